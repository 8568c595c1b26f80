/** The page a browser lands on after consent when no console page asked to be returned to. */
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function resultPage(input: { ok: boolean; title: string; lines: string[] }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(input.title)} - Switchboard</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1d2433}
h1{font-size:1.4rem}.ok{color:#1a7f37}.err{color:#b42318}code{background:#f2f4f7;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><main><h1 class="${input.ok ? 'ok' : 'err'}" role="${input.ok ? 'status' : 'alert'}">${escape(input.title)}</h1>
${input.lines.map((l) => `<p>${escape(l)}</p>`).join('\n')}
<p>You can close this window.</p></main></body></html>`;
}

/**
 * Completes the interactive step for tests by doing what a browser does: GET the authorize URL,
 * read the consent form, POST it, and return where Microsoft would redirect. It goes through the
 * listener over HTTP so the real page and form are exercised, never around them.
 */

export interface ConsentOptions {
  /** userPrincipalName, object id or display name of the account to pick. */
  user?: string;
  action?: 'accept' | 'cancel';
}

export class ConsentError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ConsentError';
  }
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

interface Account {
  id: string;
  label: string;
  checked: boolean;
}

function readAccounts(html: string): Account[] {
  const re = /<input type="radio" name="user" id="([^"]+)" value="([^"]*)"([^>]*)><label for="\1">([^<]*)<\/label>/g;
  return [...html.matchAll(re)].map((m) => ({ id: unescapeHtml(m[2]!), label: unescapeHtml(m[4]!), checked: m[3]!.includes('checked') }));
}

function pickAccount(accounts: Account[], wanted: string | undefined): Account {
  if (wanted) {
    const w = wanted.toLowerCase();
    const found = accounts.find((a) => a.id.toLowerCase() === w || a.label.toLowerCase().includes(`(${w})`) || a.label.toLowerCase() === `sign in as ${w}`);
    if (found) return found;
    throw new ConsentError(`No account '${wanted}' on the consent page. Offered: ${accounts.map((a) => a.label).join('; ') || 'none'}`, 400);
  }
  const chosen = accounts.find((a) => a.checked) ?? (accounts.length === 1 ? accounts[0] : undefined);
  if (!chosen) throw new ConsentError(`Several accounts are offered; say which one. Offered: ${accounts.map((a) => a.label).join('; ')}`, 400);
  return chosen;
}

/** form_post delivers by auto-submitting a form; report it as the URL a query response would be. */
function formPostAsUrl(html: string): string | undefined {
  if (!html.includes('name="hiddenform"')) return undefined;
  const action = /<form method="post" name="hiddenform" action="([^"]*)">/.exec(html)?.[1];
  if (action === undefined) return undefined;
  const url = new URL(unescapeHtml(action));
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) url.searchParams.append(unescapeHtml(m[1]!), unescapeHtml(m[2]!));
  return url.toString();
}

function pageError(html: string, status: number): ConsentError {
  const alert = /role="alert">([^<]*)</.exec(html)?.[1];
  return new ConsentError(alert ? unescapeHtml(alert) : `The authorize endpoint answered HTTP ${status}`, status);
}

/** Points vendor-host URLs at the local listener, as SWITCHBOARD_HOST_MAP does for Switchboard. */
function toLocalUrl(url: string, hostMap: Record<string, string>): URL {
  const parsed = new URL(url);
  const origin = hostMap[parsed.host.toLowerCase()];
  return origin ? new URL(parsed.pathname + parsed.search, origin) : parsed;
}

/**
 * Returns the redirect Location (`redirect_uri?code=...&state=...`, or `?error=...`). For
 * response_mode=form_post the posted fields are returned as a query string on the redirect URI.
 * Throws ConsentError when Microsoft would show an error page instead of redirecting.
 */
export async function driveConsent(authorizationUrl: string, options: ConsentOptions, hostMap: Record<string, string>): Promise<string> {
  const pageUrl = toLocalUrl(authorizationUrl, hostMap);
  const first = await fetch(pageUrl, { redirect: 'manual' });
  if (first.status >= 300 && first.status < 400) return first.headers.get('location') ?? '';
  const html = await first.text();
  if (first.status !== 200) throw pageError(html, first.status);
  const posted = formPostAsUrl(html);
  if (posted) return posted;

  const action = /<form method="post" action="([^"]*)">/.exec(html)?.[1];
  const tx = /<input type="hidden" name="tx" value="([^"]*)">/.exec(html)?.[1];
  if (action === undefined || tx === undefined) throw new ConsentError('The authorize page has no consent form', first.status);
  const fields = new URLSearchParams({ tx: unescapeHtml(tx), action: options.action ?? 'accept' });
  if ((options.action ?? 'accept') === 'accept') fields.set('user', pickAccount(readAccounts(html), options.user).id);

  const second = await fetch(new URL(unescapeHtml(action), pageUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields,
    redirect: 'manual',
  });
  if (second.status >= 300 && second.status < 400) return second.headers.get('location') ?? '';
  const result = await second.text();
  const asUrl = second.status === 200 ? formPostAsUrl(result) : undefined;
  if (asUrl) return asUrl;
  throw pageError(result, second.status);
}

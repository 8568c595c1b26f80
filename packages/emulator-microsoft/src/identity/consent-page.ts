/**
 * The HTML the emulator shows in place of Microsoft's sign-in UI: the consent page, the error
 * page for requests that cannot be redirected, and the form_post auto-submit page. Plain,
 * accessible markup (labels, fieldset/legend, role=alert) so both people and tests can drive it.
 * The form carries only a server-side transaction id, never the authorization parameters.
 * consent-driver.ts reads this markup the way a test browser would: keep the two in step.
 */
import { aadTimestamp } from '../ids.ts';
import type { User } from '../model.ts';
import { describeScope } from '../permissions.ts';
import type { AadError, TraceContext } from './errors.ts';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f2f2f2;color:#1b1b1b}
main{max-width:34rem;margin:3rem auto;background:#fff;padding:2rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}
.banner{font-size:.85rem;background:#fff4ce;padding:.5rem;margin:0 0 1rem}
fieldset{border:1px solid #ccc;margin:1rem 0}label{margin-left:.4rem}
button{padding:.5rem 1.5rem;margin-right:.5rem}[role=alert]{color:#a80000}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="banner">Microsoft identity platform emulator (Switchboard). This is not a real Microsoft sign-in.</p>
${body}
</main>
</body>
</html>
`;
}

export interface ConsentPageInput {
  appName: string;
  clientId: string;
  cloudLabel: string;
  /** Permissions and OIDC scopes to list, in the order asked. */
  scopes: string[];
  users: User[];
  preselectUserId?: string;
  transactionId: string;
  formAction: string;
  /** Shown when the previous submission was incomplete. */
  problem?: string;
}

export function renderConsentPage(p: ConsentPageInput): string {
  const permissions = p.scopes
    .map((s) => `<li><strong>${escapeHtml(describeScope(s))}</strong> <code>${escapeHtml(s)}</code></li>`)
    .join('\n');
  const accounts = p.users.length
    ? p.users
        .map((u, i) => {
          const checked = u.id === p.preselectUserId ? ' checked' : '';
          // `required` on one radio makes the whole group required for Accept; Cancel opts out.
          const required = i === 0 ? ' required' : '';
          return `<div><input type="radio" name="user" id="user-${i}" value="${escapeHtml(u.id)}"${checked}${required}><label for="user-${i}">Sign in as ${escapeHtml(u.displayName)} (${escapeHtml(u.userPrincipalName)})</label></div>`;
        })
        .join('\n')
    : '<p>No account in this directory can sign in to this app.</p>';
  return page(
    `Permissions requested - ${p.appName}`,
    `<h1>Permissions requested</h1>
<p><strong id="app-name">${escapeHtml(p.appName)}</strong> (application ID <code>${escapeHtml(p.clientId)}</code>, ${escapeHtml(p.cloudLabel)}) would like to:</p>
<ul id="permissions">
${permissions}
</ul>
${p.problem ? `<p role="alert">${escapeHtml(p.problem)}</p>` : ''}
<form method="post" action="${escapeHtml(p.formAction)}">
<input type="hidden" name="tx" value="${escapeHtml(p.transactionId)}">
<fieldset>
<legend>Choose an account</legend>
${accounts}
</fieldset>
<p>Accepting allows this app to use your data as described above.</p>
<button type="submit" name="action" value="accept">Accept</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</form>`,
  );
}

/** Shown when the request cannot be trusted to redirect (unknown app, unregistered redirect URI...). */
export function renderErrorPage(err: AadError, t: TraceContext): string {
  return page(
    'Sign in to your account',
    `<h1>Sign in</h1>
<p>Sorry, but we're having trouble signing you in.</p>
<p id="error" role="alert">${escapeHtml(err.message)}</p>
<dl>
<dt>Request Id</dt><dd>${escapeHtml(t.traceId)}</dd>
<dt>Correlation Id</dt><dd>${escapeHtml(t.correlationId)}</dd>
<dt>Timestamp</dt><dd>${escapeHtml(aadTimestamp(t.now))}</dd>
</dl>`,
  );
}

/** response_mode=form_post: the browser POSTs the result to the redirect URI. */
export function renderFormPost(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Working...</title></head>
<body onload="document.forms[0].submit()">
<form method="post" name="hiddenform" action="${escapeHtml(action)}">
${inputs}
<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript>
</form>
</body>
</html>
`;
}

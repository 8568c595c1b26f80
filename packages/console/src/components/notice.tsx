import type { ReactNode } from 'react';
import type { ApiError } from '../api/client.ts';
import { Link } from '../router.tsx';

type Kind = 'error' | 'success' | 'info' | 'warning';

/** Errors interrupt (role=alert); everything else is announced politely (role=status). */
export function Notice({ kind, title, children }: { kind: Kind; title?: string; children?: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {title && <p className="notice-title">{title}</p>}
      {children}
    </div>
  );
}

/** A problem from the API, with what to do: the detail, field errors and the stable code to look up. */
export function ProblemNotice({ error, title, what }: { error: ApiError; title?: string; what?: string }) {
  if (error.isMissingEndpoint) {
    return (
      <Notice kind="info" title={`${what ?? 'This feature'} is not available in this version`}>
        <p>The server does not offer this endpoint yet. Everything else works as usual.</p>
      </Notice>
    );
  }
  const vendor = [error.body.vendorCode, error.body.vendorError].filter((v) => typeof v === 'string').join(' / ');
  return (
    <Notice kind="error" title={title ?? 'Something went wrong'}>
      <p>{error.message}</p>
      {error.errors.length > 0 && (
        <ul>
          {error.errors.map((e) => (
            <li key={e.path + e.message}>
              <code>{e.path.replace(/^\/body\/(fields\/)?/, '')}</code> {e.message}
            </li>
          ))}
        </ul>
      )}
      {vendor && <p className="muted">Vendor error: {vendor}</p>}
      {error.code && error.status > 0 && (
        <p className="muted small">
          Error code <Link href={`/troubleshooting?code=${encodeURIComponent(error.code)}`}>{error.code}</Link>
          {typeof error.body.requestId === 'string' && <> · request {error.body.requestId}</>}
        </p>
      )}
    </Notice>
  );
}

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      {label}…
    </p>
  );
}

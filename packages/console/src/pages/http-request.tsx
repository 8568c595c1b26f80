import { type FormEvent, useState } from 'react';
import { type ApiError, api, enc } from '../api/client.ts';
import type { Connection } from '../api/types.ts';
import { Notice, ProblemNotice } from '../components/notice.tsx';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  bodyEncoding: 'json' | 'text' | 'base64' | 'none';
  meta: { requestId: string; attempts: number; durationMs: number };
}

/** "Name: value" lines, as people paste them from documentation. */
function parseHeaders(text: string): Record<string, string> | string {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `"${line}" is not a header: write Name: value`;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** The HTTP Request activity: any call relative to the connection's base URL, credentials added by the server. */
export function HttpRequestPanel({ connection }: { connection: Connection }) {
  const [answer, setAnswer] = useState<HttpAnswer | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const headers = parseHeaders(String(form.get('headers') ?? ''));
    if (typeof headers === 'string') return setError(headers);
    const raw = String(form.get('body') ?? '');
    let body: unknown;
    if (raw.trim()) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      setAnswer(
        await api.post<HttpAnswer>(`/api/v1/connections/${enc(connection.id)}/http`, {
          method: String(form.get('method')),
          path: String(form.get('path')),
          ...(Object.keys(headers).length ? { headers } : {}),
          ...(body !== undefined ? { body } : {}),
        }),
      );
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="http-title" className="stack">
      <h2 id="http-title">HTTP Request</h2>
      <p className="muted">Call any endpoint of the connector's API as this connection. Switchboard adds the credentials; paths are relative to the connection's base URL.</p>
      <form className="card form" onSubmit={send}>
        <div className="request-line">
          <div className="field">
            <label htmlFor="http-method">Method</label>
            <select id="http-method" name="method" defaultValue="GET">
              {METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </div>
          <div className="field grow">
            <label htmlFor="http-path">Path</label>
            <input id="http-path" name="path" required defaultValue={connection.connector === 'microsoft-365' ? '/me' : '/'} spellCheck={false} />
          </div>
        </div>
        <div className="field">
          <label htmlFor="http-headers">Headers <span className="muted">(optional, one Name: value per line)</span></label>
          <textarea id="http-headers" name="headers" rows={2} spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="http-body">Body <span className="muted">(optional; JSON is sent as JSON)</span></label>
          <textarea id="http-body" name="body" rows={4} spellCheck={false} />
        </div>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send'}
          </button>
        </div>
      </form>
      {typeof error === 'string' && <Notice kind="error">{error}</Notice>}
      {error && typeof error !== 'string' && <ProblemNotice error={error} title="The request was not sent" what="The HTTP Request activity" />}
      {answer && (
        <section className="card" aria-labelledby="answer-title">
          <h3 id="answer-title">
            Response <span className={`badge ${answer.status >= 400 ? 'badge-bad' : 'badge-ok'}`}>{answer.status}</span>
          </h3>
          <p className="muted small" role="status">
            {answer.meta.durationMs} ms · {answer.meta.attempts} attempt{answer.meta.attempts === 1 ? '' : 's'} · request {answer.meta.requestId}
          </p>
          <details>
            <summary>Headers ({Object.keys(answer.headers).length})</summary>
            <pre className="output">{Object.entries(answer.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
          </details>
          <pre className="output" tabIndex={0}>
            {answer.bodyEncoding === 'json' ? JSON.stringify(answer.body, null, 2) : answer.bodyEncoding === 'none' ? '(no body)' : String(answer.body)}
          </pre>
        </section>
      )}
    </section>
  );
}

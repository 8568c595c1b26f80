import { type FormEvent, useState } from 'react';
import { type ApiError, api } from '../api/client.ts';
import { Notice, ProblemNotice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime } from '../format.ts';
import { useWorkspace } from '../session.tsx';

export function AccountPage() {
  const { session } = useWorkspace();
  const [error, setError] = useState<ApiError | string | null>(null);
  const [done, setDone] = useState(false);

  const change = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    setDone(false);
    if (form.get('newPassword') !== form.get('confirm')) return setError('The two new passwords differ.');
    setError(null);
    try {
      await api.post('/api/v1/session/password', { currentPassword: String(form.get('currentPassword')), newPassword: String(form.get('newPassword')) });
      setDone(true);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      element.reset();
    }
  };

  return (
    <>
      <PageHeader title="Your account" documentTitle="Account" subtitle={session.user.email} />
      <dl className="details card">
        <dt>Name</dt>
        <dd>{session.user.displayName}</dd>
        <dt>Tenant administrator</dt>
        <dd>{session.user.isTenantAdmin ? 'Yes' : 'No'}</dd>
        {session.expiresAt && (
          <>
            <dt>Session</dt>
            <dd>
              Ends after {Math.round(session.idleTimeoutMinutes / 60)} hours without use, and at the latest {formatDateTime(session.expiresAt)}.
            </dd>
          </>
        )}
      </dl>
      <form className="card form" onSubmit={change} aria-labelledby="password-title">
        <h2 id="password-title">Change password</h2>
        {done && <Notice kind="success">Password changed. Your other sessions were signed out.</Notice>}
        {typeof error === 'string' && <Notice kind="error">{error}</Notice>}
        {error && typeof error !== 'string' && <ProblemNotice error={error} title="Not changed" />}
        <div className="field">
          <label htmlFor="current">Current password</label>
          <input id="current" name="currentPassword" type="password" autoComplete="current-password" required />
        </div>
        <div className="field">
          <label htmlFor="new">New password</label>
          <input id="new" name="newPassword" type="password" autoComplete="new-password" minLength={12} required aria-describedby="new-hint" />
          <span id="new-hint" className="hint">At least 12 characters.</span>
        </div>
        <div className="field">
          <label htmlFor="confirm">Repeat the new password</label>
          <input id="confirm" name="confirm" type="password" autoComplete="new-password" minLength={12} required />
        </div>
        <div className="form-actions">
          <button type="submit" className="primary">Change password</button>
        </div>
      </form>
    </>
  );
}

import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { Notice } from '../components/notice.tsx';
import { navigate } from '../router.tsx';

const MIN_LENGTH = 12;

/** The page of a sign-in link: the token is in the fragment (#token=), which never reaches a server log. */
export function InvitationPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [token] = useState(() => new URLSearchParams(location.hash.slice(1)).get('token') ?? '');
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Choose your password · Switchboard';
    // Drop the token from the address bar and history once read.
    history.replaceState(null, '', '/invitation');
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password'));
    if (password !== String(form.get('confirm'))) return setError('The two passwords differ.');
    setBusy(true);
    setError(null);
    try {
      const session = await api.post<Session>('/api/v1/session/invitation', { token, password });
      navigate('/', { replace: true });
      onSignedIn(session);
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form className="card" onSubmit={submit} aria-labelledby="invite-title">
        <h1 id="invite-title">Choose your password</h1>
        {!token && <Notice kind="error">This page needs the full sign-in link you were sent. Ask your administrator for a new one.</Notice>}
        {error && <Notice kind="error">{typeof error === 'string' ? error : error.message}</Notice>}
        <p className="muted">At least {MIN_LENGTH} characters. A passphrase of a few words is easy to remember and hard to guess.</p>
        <label htmlFor="password">New password</label>
        <input id="password" name="password" type="password" autoComplete="new-password" minLength={MIN_LENGTH} required aria-describedby="password-rule" />
        <span id="password-rule" className="hint">
          At least {MIN_LENGTH} characters.
        </span>
        <label htmlFor="confirm">Repeat the password</label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" minLength={MIN_LENGTH} required />
        <button type="submit" className="primary" disabled={busy || !token}>
          {busy ? 'Saving…' : 'Save password and sign in'}
        </button>
      </form>
    </main>
  );
}

import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { Notice } from '../components/notice.tsx';

export function SignInPage({ onSignedIn, reason }: { onSignedIn: (session: Session) => void; reason?: string }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const email = useRef<HTMLInputElement>(null);
  useEffect(() => {
    document.title = 'Sign in · Switchboard';
    email.current?.focus();
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      // Read from the form at submit time: the password never sits in React state.
      onSignedIn(await api.post<Session>('/api/v1/session', { email: String(form.get('email')), password: String(form.get('password')) }));
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form className="card" onSubmit={submit} aria-labelledby="sign-in-title">
        <p className="brand" aria-hidden="true">
          <img src="/favicon.svg" alt="" width={28} height={28} /> Switchboard
        </p>
        <h1 id="sign-in-title">Sign in</h1>
        {reason && !error && <Notice kind="info">{reason}</Notice>}
        {error && (
          <Notice kind="error" title={error.code === 'SIGN_IN_RATE_LIMITED' ? 'Too many attempts' : 'Sign-in failed'}>
            <p>{error.message}</p>
          </Notice>
        )}
        <label htmlFor="email">Email</label>
        <input ref={email} id="email" name="email" type="email" autoComplete="username" required />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">Forgot your password? A tenant administrator can send you a new sign-in link.</p>
      </form>
    </main>
  );
}

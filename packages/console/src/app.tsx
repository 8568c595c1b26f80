import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, getAll, onUnauthenticated, setCsrfToken } from './api/client.ts';
import type { Folder, Session } from './api/types.ts';
import { useResource } from './api/use-resource.ts';
import { Loading, Notice } from './components/notice.tsx';
import { Shell } from './layout/shell.tsx';
import { InvitationPage } from './pages/invitation.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { useLocation } from './router.tsx';
import { WorkspaceContext } from './session.tsx';

type State = { kind: 'loading' } | { kind: 'signed-out'; reason?: string } | { kind: 'signed-in'; session: Session } | { kind: 'failed'; error: ApiError };

/** Decides between the sign-in page, the invitation page and the console, from GET /api/v1/session. */
export function App() {
  const { pathname } = useLocation();
  const [state, setState] = useState<State>({ kind: 'loading' });

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ kind: 'signed-in', session });
  }, []);

  useEffect(() => {
    onUnauthenticated(() => {
      setCsrfToken(null);
      setState({ kind: 'signed-out', reason: 'Your session ended. Sign in again to continue.' });
    });
    api.get<Session>('/api/v1/session').then(signedIn, (error: ApiError) => {
      setState(error.status === 401 ? { kind: 'signed-out' } : { kind: 'failed', error });
    });
  }, [signedIn]);

  if (pathname === '/invitation') return <InvitationPage onSignedIn={signedIn} />;
  switch (state.kind) {
    case 'loading':
      return <Loading label="Opening Switchboard" />;
    case 'failed':
      return (
        <main className="centered">
          <Notice kind="error" title="The console could not start">
            <p>{state.error.message}</p>
          </Notice>
        </main>
      );
    case 'signed-out':
      return <SignInPage onSignedIn={signedIn} {...(state.reason ? { reason: state.reason } : {})} />;
    case 'signed-in':
      return <SignedIn session={state.session} onSignedOut={() => setState({ kind: 'signed-out' })} />;
  }
}

function SignedIn({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const folders = useResource<Folder[]>(`folders:${session.user.id}`, () => getAll<Folder>('/api/v1/folders'));
  const signOut = async () => {
    await api.delete('/api/v1/session').catch(() => {});
    setCsrfToken(null);
    onSignedOut();
  };
  return (
    <WorkspaceContext.Provider value={{ session, folders, signOut }}>
      <Shell />
    </WorkspaceContext.Provider>
  );
}

import { Loading } from './components/notice.tsx';
import { AccountPage } from './pages/account.tsx';
import { AddConnectionPage } from './pages/add-connection.tsx';
import { CatalogPage } from './pages/catalog.tsx';
import { ConnectionPage } from './pages/connection.tsx';
import { ConnectionsPage } from './pages/connections.tsx';
import { ConnectorPage } from './pages/connector.tsx';
import { MembersPage } from './pages/members.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { OAuthReturnPage } from './pages/oauth-return.tsx';
import { TriggerPage } from './pages/trigger.tsx';
import { EditTriggerPage } from './pages/trigger-edit.tsx';
import { NewTriggerPage } from './pages/trigger-new.tsx';
import { TriggersPage } from './pages/triggers.tsx';
import { TroubleshootingPage } from './pages/troubleshooting.tsx';
import { UsagePage } from './pages/usage.tsx';
import { UsersPage } from './pages/users.tsx';
import { Redirect, match, useLocation } from './router.tsx';
import { useWorkspace } from './session.tsx';

/** The console's routes, first match wins. Every path here is also served by the server's SPA fallback. */
export function Routes() {
  const { pathname } = useLocation();
  let m: Record<string, string> | null;
  if ((m = match('/folders/:folderId/connections', pathname))) return <ConnectionsPage key={m.folderId} folderId={m.folderId!} />;
  if ((m = match('/folders/:folderId/connections/new', pathname))) return <AddConnectionPage key={m.folderId} folderId={m.folderId!} />;
  if ((m = match('/folders/:folderId/triggers', pathname))) return <TriggersPage key={m.folderId} folderId={m.folderId!} />;
  if ((m = match('/folders/:folderId/triggers/new', pathname))) return <NewTriggerPage key={m.folderId} folderId={m.folderId!} />;
  if ((m = match('/triggers/:id', pathname))) return <TriggerPage key={m.id} id={m.id!} />;
  if ((m = match('/triggers/:id/edit', pathname))) return <EditTriggerPage key={m.id} id={m.id!} />;
  if ((m = match('/folders/:folderId/members', pathname))) return <MembersPage key={m.folderId} folderId={m.folderId!} />;
  if (pathname === '/connections/oauth') return <OAuthReturnPage />;
  if ((m = match('/connections/:id', pathname))) return <ConnectionPage key={m.id} id={m.id!} tab="overview" />;
  if ((m = match('/connections/:id/:tab', pathname))) return <ConnectionPage key={m.id} id={m.id!} tab={m.tab!} />;
  if (pathname === '/catalog') return <CatalogPage />;
  if ((m = match('/catalog/:key', pathname))) return <ConnectorPage key={m.key} connectorKey={m.key!} />;
  if (pathname === '/usage') return <UsagePage />;
  if (pathname === '/troubleshooting') return <TroubleshootingPage />;
  if (pathname === '/admin/users') return <UsersPage />;
  if (pathname === '/account') return <AccountPage />;
  if (pathname === '/' || pathname === '/sign-in') return <Home />;
  return <NotFoundPage />;
}

/** Home is the Connections tab of the first shared folder, else of My Workspace. */
function Home() {
  const { folders, session } = useWorkspace();
  if (!folders.data) return <Loading />;
  const first = folders.data.find((f) => f.kind === 'shared') ?? folders.data.find((f) => f.ownerId === session.user.id);
  return <Redirect to={first ? `/folders/${first.id}/connections` : '/catalog'} />;
}

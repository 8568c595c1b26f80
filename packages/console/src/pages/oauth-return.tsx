import { Notice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Link, Redirect, useLocation } from '../router.tsx';

/**
 * Where the OAuth callback sends the browser: `?connectionId=&status=` on success,
 * `?error=&message=` (and connectionId when known) on failure. With an id, the connection's
 * page tells the outcome; without one, this page does.
 */
export function OAuthReturnPage() {
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const id = params.get('connectionId');
  if (id) return <Redirect to={`/connections/${encodeURIComponent(id)}${search}`} />;
  return (
    <>
      <PageHeader title="The connection was not completed" documentTitle="Connection not completed" />
      <Notice kind="error" title="The vendor's answer could not be used">
        <p>{params.get('message') ?? 'The authorization did not complete.'}</p>
        {params.get('vendorCode') && <p>Vendor error code: <code>{params.get('vendorCode')}</code></p>}
        {params.get('error') && <p className="muted small">Error code {params.get('error')}</p>}
      </Notice>
      <p>
        <Link href="/">Back to your connections</Link>
      </p>
    </>
  );
}

import { PageHeader } from '../components/page-header.tsx';
import { Link } from '../router.tsx';

export function NotFoundPage({ what }: { what?: string }) {
  return (
    <>
      <PageHeader title="Not found" documentTitle="Not found" />
      <p>{what ?? 'This page'} does not exist, or you do not have access to it.</p>
      <p>
        <Link href="/">Go to your folders</Link>
      </p>
    </>
  );
}

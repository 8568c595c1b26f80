import { Link } from '../router.tsx';

/** Section navigation as links (each tab is a page with its own URL), marked with aria-current. */
export function Tabs({ label, tabs, current }: { label: string; tabs: Array<{ href: string; label: string }>; current: string }) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((t) => (
        <Link key={t.href} href={t.href} aria-current={t.href === current ? 'page' : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}

import { useEffect, useRef, useState } from 'react';
import { Link, navigate, useLocation } from '../router.tsx';
import { Routes } from '../routes.tsx';
import { useWorkspace } from '../session.tsx';
import { Sidebar } from './sidebar.tsx';

/** Header, sidebar and the current page; moves focus to each new page's heading. */
export function Shell() {
  const { session, signOut } = useWorkspace();
  const { pathname } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const first = useRef(true);

  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => document.querySelector<HTMLElement>('#main h1')?.focus());
    return () => cancelAnimationFrame(frame);
  }, [pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="sidebar" onClick={() => setMenuOpen((o) => !o)}>
          Menu
        </button>
        <Link href="/" className="brand">
          <img src="/favicon.svg" alt="" width={24} height={24} /> Switchboard
        </Link>
        <div className="user-menu">
          <Link href="/account" className="user" aria-label={`Account of ${session.user.email}`}>
            {session.user.displayName || session.user.email}
          </Link>
          <button
            type="button"
            onClick={async () => {
              await signOut();
              navigate('/', { replace: true });
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <Sidebar open={menuOpen} />
      <main id="main" className="content" tabIndex={-1}>
        <Routes />
      </main>
    </div>
  );
}

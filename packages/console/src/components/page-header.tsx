import { type ReactNode, useEffect } from 'react';

/**
 * Each page's h1 takes focus after navigation (tabIndex -1), so screen readers announce
 * the new page and keyboard users continue from its top, not from the link they used.
 */
export function PageHeader({ title, subtitle, actions, documentTitle }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; documentTitle: string }) {
  useEffect(() => {
    document.title = `${documentTitle} · Switchboard`;
  }, [documentTitle]);
  return (
    <header className="page-header">
      <div>
        <h1 tabIndex={-1}>{title}</h1>
        {subtitle && <p className="muted">{subtitle}</p>}
      </div>
      {actions && <div className="actions">{actions}</div>}
    </header>
  );
}

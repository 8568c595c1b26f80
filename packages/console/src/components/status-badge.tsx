import type { ConnectionStatus } from '../api/types.ts';

const CLASS: Record<ConnectionStatus, string> = { Connected: 'ok', Pending: 'warn', Disabled: 'bad' };

/** The status as a word, never color alone, so it reads the same to everyone. */
export function StatusBadge({ status }: { status: ConnectionStatus }) {
  return <span className={`badge badge-${CLASS[status]}`}>{status}</span>;
}

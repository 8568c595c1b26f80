/**
 * The changes of one incremental round: change-log entries in (from, to] for the tracked
 * collection, folded to one entry per id with its net effect — what a delta client needs to
 * bring its copy from the state at `from` to the current one:
 *   created …              → created (the client never had it)
 *   created … deleted      → nothing (it came and went between two rounds)
 *   updated / moved …      → updated
 *   … deleted              → deleted (moves out of a folder are logged as deletions there)
 * The fold depends on the log alone, never on current data, so the list is the same on every
 * page of the round and offsets into it stay valid while the data keeps changing.
 */
import type { ChangeFilter, ChangeLog, ChangeType } from '../../data/change-log.ts';

export interface NetChange {
  id: string;
  net: ChangeType;
  /** The last entry's sequence number; the round lists changes in this order. */
  seq: number;
}

export function netChanges(log: ChangeLog, from: number, to: number, filter: ChangeFilter): NetChange[] {
  const folded = new Map<string, { first: ChangeType; last: ChangeType; seq: number }>();
  for (const e of log.since(from, filter)) {
    if (e.seq > to) break;
    const known = folded.get(e.id);
    if (known) {
      known.last = e.changeType;
      known.seq = e.seq;
    } else folded.set(e.id, { first: e.changeType, last: e.changeType, seq: e.seq });
  }
  const out: NetChange[] = [];
  for (const [id, f] of folded) {
    if (f.first === 'created' && f.last === 'deleted') continue;
    out.push({ id, net: f.last === 'deleted' ? 'deleted' : f.first === 'created' ? 'created' : 'updated', seq: f.seq });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

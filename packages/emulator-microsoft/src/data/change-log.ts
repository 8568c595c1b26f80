/**
 * Every change to Graph data, in order: created / updated / deleted, with a sequence number that
 * only grows. Nothing reads it yet except the admin API, but it is what the later change
 * notification and delta work hangs on:
 *   - delta: a `$deltatoken` encodes the `seq` a round ended at; the next call replays
 *     `since(seq, { userId, resource, container })`, folding repeated changes to one entry
 *     per id and answering deleted ids as `@removed` (ids survive here after the item is gone).
 *   - subscriptions: `subscribe()` a listener per Graph subscription, match `resource`/
 *     `container` against the subscription's resource path, and POST the notification.
 * Moves in Outlook change the id, so a move is logged as `deleted` (old id, old folder) plus
 * `created` (new id, new folder) — exactly what Outlook delta reports.
 */

export type ChangeType = 'created' | 'updated' | 'deleted';

export type ChangeResource =
  | 'message'
  | 'mailFolder'
  | 'mailboxSettings'
  | 'event'
  | 'contact'
  | 'driveItem'
  | 'worksheet'
  | 'workbookTable'
  | 'list'
  | 'listItem';

export interface ChangeEntry {
  seq: number;
  /** ISO instant on the emulator clock. */
  time: string;
  changeType: ChangeType;
  resource: ChangeResource;
  /** The changed entity's id (for list items: the item id within its list). */
  id: string;
  tenantId: string;
  /** The mailbox / calendar / drive owner, when the data is per user. */
  userId?: string;
  /** Folder, calendar, drive, list or workbook item the entity lives in. */
  container?: string;
  /** Drive id for drive items and workbooks, site id for lists. */
  scope?: string;
}

export interface ChangeFilter {
  userId?: string;
  tenantId?: string;
  resource?: ChangeResource;
  container?: string;
  scope?: string;
  id?: string;
}

export type ChangeListener = (entry: ChangeEntry) => void;

/** Bounded like the request log; a delta token older than the window would get `syncStateNotFound`. */
const MAX_ENTRIES = 100_000;

export class ChangeLog {
  private entries: ChangeEntry[] = [];
  private seq = 0;
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly now: () => number) {}

  record(entry: Omit<ChangeEntry, 'seq' | 'time'>): ChangeEntry {
    const full: ChangeEntry = { seq: ++this.seq, time: new Date(this.now()).toISOString(), ...entry };
    this.entries.push(full);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /** The newest sequence number (0 before any change): what a delta round would end at. */
  get latest(): number {
    return this.seq;
  }

  /** The oldest sequence still held; tokens before it can no longer be replayed. */
  get oldest(): number {
    return this.entries[0]?.seq ?? this.seq + 1;
  }

  since(seq: number, filter: ChangeFilter = {}): ChangeEntry[] {
    return this.entries.filter((e) => e.seq > seq && matches(e, filter)).map((e) => ({ ...e }));
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets the entries but keeps counting, so a token from before a reset can never match. */
  clear(): void {
    this.entries = [];
  }
}

function matches(e: ChangeEntry, f: ChangeFilter): boolean {
  if (f.userId && e.userId !== f.userId) return false;
  if (f.tenantId && e.tenantId !== f.tenantId) return false;
  if (f.resource && e.resource !== f.resource) return false;
  if (f.container && e.container !== f.container) return false;
  if (f.scope && e.scope !== f.scope) return false;
  if (f.id && e.id !== f.id) return false;
  return true;
}

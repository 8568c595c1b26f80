/**
 * The generation of delta (sync) state. Every `$deltatoken` and `$skiptoken` carries the
 * generation it was issued in; bumping it makes all of them unknown at once, which is how the
 * emulator reproduces Exchange dropping its sync-state cache ("The sync state generation is not
 * found") — on reset, and on demand through the admin fault.
 */
export class SyncState {
  private current = 1;

  get generation(): number {
    return this.current;
  }

  invalidate(): number {
    return ++this.current;
  }
}

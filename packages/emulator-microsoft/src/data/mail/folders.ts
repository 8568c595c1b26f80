/**
 * Outlook's well-known folders. Their names are locale-independent aliases accepted wherever a
 * folder id is (reference doc, section 3: "Mail folders"). Every mailbox starts with the set a
 * new Exchange Online mailbox has; ids are derived from the owner so they are stable per user.
 */
import { outlookId } from '../ids.ts';
import type { StoredFolder } from './model.ts';

interface WellKnown {
  name: string;
  displayName: string;
  /** Parent well-known folder; null for the roots. */
  parent: string | null;
  isHidden: boolean;
}

/** The well-known names Graph documents, with the folder each one is in a fresh mailbox. */
const WELL_KNOWN: readonly WellKnown[] = [
  { name: 'msgfolderroot', displayName: 'Top of Information Store', parent: null, isHidden: false },
  { name: 'inbox', displayName: 'Inbox', parent: 'msgfolderroot', isHidden: false },
  { name: 'drafts', displayName: 'Drafts', parent: 'msgfolderroot', isHidden: false },
  { name: 'sentitems', displayName: 'Sent Items', parent: 'msgfolderroot', isHidden: false },
  { name: 'deleteditems', displayName: 'Deleted Items', parent: 'msgfolderroot', isHidden: false },
  { name: 'junkemail', displayName: 'Junk Email', parent: 'msgfolderroot', isHidden: false },
  { name: 'archive', displayName: 'Archive', parent: 'msgfolderroot', isHidden: false },
  { name: 'outbox', displayName: 'Outbox', parent: 'msgfolderroot', isHidden: false },
  { name: 'conversationhistory', displayName: 'Conversation History', parent: 'msgfolderroot', isHidden: false },
  { name: 'syncissues', displayName: 'Sync Issues', parent: 'msgfolderroot', isHidden: false },
  { name: 'conflicts', displayName: 'Conflicts', parent: 'syncissues', isHidden: false },
  { name: 'localfailures', displayName: 'Local Failures', parent: 'syncissues', isHidden: false },
  { name: 'serverfailures', displayName: 'Server Failures', parent: 'syncissues', isHidden: false },
  { name: 'scheduled', displayName: 'Scheduled', parent: 'msgfolderroot', isHidden: true },
  { name: 'clutter', displayName: 'Clutter', parent: 'msgfolderroot', isHidden: true },
  { name: 'searchfolders', displayName: 'Finder', parent: null, isHidden: true },
  // DELETE on a message moves it here: out of sight, not into Deleted Items.
  { name: 'recoverableitemsdeletions', displayName: 'Deletions', parent: null, isHidden: true },
];

export const WELL_KNOWN_NAMES = new Set(WELL_KNOWN.map((w) => w.name));

/** A well-known folder's id for a given mailbox owner: deterministic, so seeds and docs can name it. */
export function wellKnownFolderId(userId: string, name: string, personal = false): string {
  return outlookId(['mailFolder', userId, name], personal);
}

export function createWellKnownFolders(userId: string, personal: boolean): StoredFolder[] {
  return WELL_KNOWN.map((w) => ({
    id: wellKnownFolderId(userId, w.name, personal),
    wellKnownName: w.name,
    displayName: w.displayName,
    parentId: w.parent ? wellKnownFolderId(userId, w.parent, personal) : null,
    isHidden: w.isHidden,
  }));
}

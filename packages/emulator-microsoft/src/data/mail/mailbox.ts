/**
 * One user's mailbox: folders, messages, attachments and settings, plus the operations Outlook
 * defines on them. Every change goes to the change log. Moving an item gives it a new id, as
 * Exchange does (reference doc: "a new copy is created and the original removed").
 */
import { outlookId } from '../ids.ts';
import { recordChange, type OwnerContext } from '../owner.ts';
import { createWellKnownFolders } from './folders.ts';
import type { MailboxSettings, Recipient, StoredAttachment, StoredFolder, StoredMessage } from './model.ts';
import { defaultMailboxSettings } from './settings.ts';

export class Mailbox {
  readonly folders = new Map<string, StoredFolder>();
  readonly messages = new Map<string, StoredMessage>();
  settings: MailboxSettings;
  /** Senders already answered by the current automatic-reply period (Exchange answers once). */
  readonly autoRepliedTo = new Set<string>();

  constructor(
    readonly owner: OwnerContext & { userId: string },
    /** The owner as a sender: read live, since the directory record may change. */
    readonly identity: () => Recipient,
  ) {
    for (const f of createWellKnownFolders(owner.userId, owner.personal)) this.folders.set(f.id, f);
    this.settings = defaultMailboxSettings(this.folder('archive')!.id, owner.now());
  }

  newId(): string {
    return outlookId(undefined, this.owner.personal);
  }

  // --- Folders -----------------------------------------------------------------------------------

  /** By id or well-known name (case-insensitive), as Graph accepts either. */
  folder(ref: string): StoredFolder | undefined {
    const direct = this.folders.get(ref);
    if (direct) return direct;
    const lower = ref.toLowerCase();
    for (const f of this.folders.values()) if (f.wellKnownName === lower) return f;
    return undefined;
  }

  childFolders(parentId: string, includeHidden = false): StoredFolder[] {
    return [...this.folders.values()]
      .filter((f) => f.parentId === parentId && (includeHidden || !f.isHidden))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  findChildFolder(parentId: string, displayName: string): StoredFolder | undefined {
    const lower = displayName.toLowerCase();
    return [...this.folders.values()].find((f) => f.parentId === parentId && f.displayName.toLowerCase() === lower);
  }

  createFolder(parentId: string, displayName: string, isHidden = false, id?: string): StoredFolder {
    const folder: StoredFolder = { id: id ?? this.newId(), displayName, parentId, isHidden };
    this.folders.set(folder.id, folder);
    recordChange(this.owner, 'created', 'mailFolder', folder.id, { container: parentId });
    return folder;
  }

  renameFolder(folder: StoredFolder, displayName: string): void {
    folder.displayName = displayName;
    recordChange(this.owner, 'updated', 'mailFolder', folder.id, { container: folder.parentId ?? undefined });
  }

  /** Deletes a folder with its subfolders and messages (Graph moves it to Deleted Items; close enough). */
  deleteFolder(folder: StoredFolder): void {
    for (const child of [...this.folders.values()].filter((f) => f.parentId === folder.id)) this.deleteFolder(child);
    for (const m of this.messagesIn(folder.id)) this.removeMessage(m);
    this.folders.delete(folder.id);
    recordChange(this.owner, 'deleted', 'mailFolder', folder.id, { container: folder.parentId ?? undefined });
  }

  folderStats(folderId: string): { total: number; unread: number; children: number; size: number } {
    let total = 0;
    let unread = 0;
    let size = 0;
    for (const m of this.messages.values()) {
      if (m.folderId !== folderId) continue;
      total++;
      if (!m.isRead) unread++;
      size += m.body.content.length + m.attachments.reduce((n, a) => n + a.bytes.length, 0);
    }
    return { total, unread, children: this.childFolders(folderId, true).length, size };
  }

  // --- Messages ----------------------------------------------------------------------------------

  /** Messages in one folder, or (no folder) in every folder a mailbox search covers. */
  messagesIn(folderId?: string): StoredMessage[] {
    const hidden = this.folder('recoverableitemsdeletions')!.id;
    return [...this.messages.values()].filter((m) => (folderId ? m.folderId === folderId : m.folderId !== hidden));
  }

  message(id: string): StoredMessage | undefined {
    return this.messages.get(id);
  }

  insertMessage(message: StoredMessage): StoredMessage {
    this.messages.set(message.id, message);
    recordChange(this.owner, 'created', 'message', message.id, { container: message.folderId });
    return message;
  }

  /** Applies a change and bumps the version (changeKey, etag, lastModifiedDateTime). */
  updateMessage(message: StoredMessage, change: (m: StoredMessage) => void): StoredMessage {
    change(message);
    message.version++;
    message.modifiedAt = this.owner.now();
    recordChange(this.owner, 'updated', 'message', message.id, { container: message.folderId });
    return message;
  }

  /** Outlook move: the item is copied under a new id into the folder and the original removed. */
  moveMessage(message: StoredMessage, folderId: string): StoredMessage {
    const moved: StoredMessage = { ...message, id: this.newId(), folderId, version: message.version + 1, modifiedAt: this.owner.now() };
    this.removeMessage(message);
    return this.insertMessage(moved);
  }

  copyMessage(message: StoredMessage, folderId: string): StoredMessage {
    const now = this.owner.now();
    const copy: StoredMessage = {
      ...structuredClone({ ...message, attachments: [] }),
      id: this.newId(),
      folderId,
      version: 1,
      createdAt: now,
      modifiedAt: now,
      attachments: message.attachments.map((a) => ({ ...a, id: this.newId(), bytes: Buffer.from(a.bytes) })),
    };
    return this.insertMessage(copy);
  }

  removeMessage(message: StoredMessage): void {
    this.messages.delete(message.id);
    recordChange(this.owner, 'deleted', 'message', message.id, { container: message.folderId });
  }

  addAttachment(message: StoredMessage, attachment: Omit<StoredAttachment, 'id' | 'lastModifiedAt'>): StoredAttachment {
    const stored: StoredAttachment = { ...attachment, id: this.newId(), lastModifiedAt: this.owner.now() };
    this.updateMessage(message, (m) => m.attachments.push(stored));
    return stored;
  }

  removeAttachment(message: StoredMessage, attachmentId: string): boolean {
    const before = message.attachments.length;
    this.updateMessage(message, (m) => (m.attachments = m.attachments.filter((a) => a.id !== attachmentId)));
    return message.attachments.length !== before;
  }

  // --- Settings ----------------------------------------------------------------------------------

  updateSettings(change: (s: MailboxSettings) => void): MailboxSettings {
    const before = JSON.stringify(this.settings.automaticRepliesSetting);
    change(this.settings);
    // A new automatic-reply period answers everyone again.
    if (JSON.stringify(this.settings.automaticRepliesSetting) !== before) this.autoRepliedTo.clear();
    recordChange(this.owner, 'updated', 'mailboxSettings', this.owner.userId);
    return this.settings;
  }
}

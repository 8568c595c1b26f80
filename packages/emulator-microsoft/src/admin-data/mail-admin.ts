/**
 * Mailbox data for tests and local development: put mail in any folder as if it had been
 * received, sent or drafted; read, change and delete it; manage folders and mailbox settings;
 * and read the transport log of everything sent. Inputs use Graph's message JSON, plus
 * shorthands: recipients as `"Name <a@b>"` strings, a body as a plain string, attachment text
 * in `content`.
 */
import { composeMessage, mergeMessageFields } from '../data/mail/compose.ts';
import { isOutlookId } from '../data/ids.ts';
import type { Mailbox } from '../data/mail/mailbox.ts';
import { readMessageFields } from '../data/mail/message-input.ts';
import type { StoredMessage } from '../data/mail/model.ts';
import { applySettingsPatch } from '../data/mail/settings-input.ts';
import type { TransportRecord } from '../data/mail/transport.ts';
import { InputError, NotFoundError, object, optionalBoolean, optionalString, type Json } from '../input.ts';
import { folderJson, messageJson } from '../graph/mail/serialize.ts';
import { instantOf, type AdminScope } from './scope.ts';

/** A message as the admin API takes it: Graph message JSON plus placement and timing. */
export interface MessageInput {
  /** Folder id or well-known name (`inbox`, `sentitems`, `drafts`, ...). Default `inbox`. */
  folder?: string;
  /** A fixed Exchange-shaped id (default: generated). */
  id?: string;
  subject?: string;
  body?: string | { contentType: 'text' | 'html' | 'Text' | 'HTML'; content: string };
  from?: string | { emailAddress: { address: string; name?: string } };
  toRecipients?: (string | { emailAddress: { address: string; name?: string } })[];
  ccRecipients?: (string | { emailAddress: { address: string; name?: string } })[];
  bccRecipients?: (string | { emailAddress: { address: string; name?: string } })[];
  replyTo?: (string | { emailAddress: { address: string; name?: string } })[];
  categories?: string[];
  importance?: 'low' | 'normal' | 'high';
  isRead?: boolean;
  isDraft?: boolean;
  flag?: { flagStatus: 'notFlagged' | 'flagged' | 'complete' };
  /** ISO, epoch ms, Date, or relative to the emulator clock: `now-2d`, `now-90m`. */
  receivedDateTime?: string | number | Date;
  sentDateTime?: string | number | Date;
  internetMessageId?: string;
  attachments?: { name: string; contentType?: string; contentBytes?: string; content?: string; isInline?: boolean }[];
  [key: string]: unknown;
}

/** Folders whose mail is "received": unread by default and from someone else. */
const RECEIVED = new Set(['inbox', 'junkemail', 'archive', 'deleteditems', 'conversationhistory']);
const DEFAULT_SENDER = { emailAddress: { name: 'Microsoft Outlook', address: 'no-reply@microsoft.com' } };

export class MailAdmin {
  constructor(private readonly scope: AdminScope) {}

  private mailbox(user: string): Mailbox {
    return this.scope.store.mailbox(this.scope.mailUser(user));
  }

  private view(m: StoredMessage): Json {
    return messageJson(this.scope, m, { bodyType: m.body.contentType, basic: false, expandAttachments: true });
  }

  private find(mailbox: Mailbox, id: string): StoredMessage {
    const m = mailbox.message(id);
    if (!m) throw new NotFoundError(`no message '${id}' in that mailbox`);
    return m;
  }

  private folderOf(mailbox: Mailbox, ref: string | undefined) {
    const f = mailbox.folder(ref ?? 'inbox');
    if (!f) throw new NotFoundError(`no mail folder '${ref}'`);
    return f;
  }

  /** Adds a message to a folder, as delivered mail (inbox) or the user's own (sent items, drafts). */
  add(user: string, input: MessageInput): Json {
    const o = object(input, 'message');
    const mailbox = this.mailbox(user);
    const folder = this.folderOf(mailbox, optionalString(o, 'folder', 'message'));
    const id = optionalString(o, 'id', 'message');
    if (id !== undefined && (!isOutlookId(id) || mailbox.message(id))) throw new InputError('message.id must be an unused Exchange-style id (AAMk...)');
    const fields = readMessageFields(o, 'message', { shorthand: true });
    const received = RECEIVED.has(folder.wellKnownName ?? '') || (!folder.wellKnownName && folder.parentId !== null);
    const isDraft = optionalBoolean(o, 'isDraft', 'message') ?? folder.wellKnownName === 'drafts';
    if (received && !fields.from) fields.from = DEFAULT_SENDER;
    const when = instantOf(o.receivedDateTime, 'message.receivedDateTime', this.scope.now()) ?? this.scope.now();
    const messageId = optionalString(o, 'internetMessageId', 'message');
    const m = composeMessage(mailbox, fields, {
      folderId: folder.id,
      isDraft,
      isRead: fields.isRead ?? !received,
      receivedAt: isDraft ? null : when,
      sentAt: isDraft ? null : (instantOf(o.sentDateTime, 'message.sentDateTime', this.scope.now()) ?? when),
      ...(id ? { id } : {}),
      ...(messageId ? { internetMessageId: messageId } : {}),
    });
    // A backdated message has existed, unchanged, since it arrived: both stamps go back, so a
    // client comparing createdDateTime with lastModifiedDateTime sees a new, never-edited item.
    if (when < m.createdAt) m.createdAt = m.modifiedAt = when;
    return this.view(mailbox.insertMessage(m));
  }

  /** Messages of one folder (or all), newest first, as Graph JSON. */
  list(user: string, options: { folder?: string } = {}): Json[] {
    const mailbox = this.mailbox(user);
    const folder = options.folder === undefined ? undefined : this.folderOf(mailbox, options.folder);
    return mailbox
      .messagesIn(folder?.id)
      .sort((a, b) => (b.receivedAt ?? b.createdAt) - (a.receivedAt ?? a.createdAt))
      .map((m) => this.view(m));
  }

  get(user: string, id: string): Json {
    return this.view(this.find(this.mailbox(user), id));
  }

  /** Changes any message property (drafts or not); `folder` moves it, which changes its id. */
  update(user: string, id: string, patch: Partial<MessageInput>): Json {
    const o = object(patch, 'patch');
    const mailbox = this.mailbox(user);
    let m = this.find(mailbox, id);
    const fields = readMessageFields(o, 'patch', { shorthand: true });
    const received = instantOf(o.receivedDateTime, 'patch.receivedDateTime', this.scope.now());
    mailbox.updateMessage(m, (msg) => {
      mergeMessageFields(msg, fields);
      if (received !== undefined) msg.receivedAt = received;
      const draft = optionalBoolean(o, 'isDraft', 'patch');
      if (draft !== undefined) msg.isDraft = draft;
    });
    const folder = optionalString(o, 'folder', 'patch');
    if (folder !== undefined) {
      const target = this.folderOf(mailbox, folder);
      if (target.id !== m.folderId) m = mailbox.moveMessage(m, target.id);
    }
    return this.view(m);
  }

  remove(user: string, id: string): void {
    const mailbox = this.mailbox(user);
    mailbox.removeMessage(this.find(mailbox, id));
  }

  /** Every folder, hidden ones included, with its well-known name. */
  folders(user: string): Json[] {
    const mailbox = this.mailbox(user);
    return [...mailbox.folders.values()].map((f) => ({ ...folderJson(mailbox, f), ...(f.wellKnownName ? { wellKnownName: f.wellKnownName } : {}) }));
  }

  addFolder(user: string, input: { displayName: string; parent?: string; id?: string }): Json {
    const o = object(input, 'folder');
    const mailbox = this.mailbox(user);
    const parent = this.folderOf(mailbox, optionalString(o, 'parent', 'folder') ?? 'msgfolderroot');
    const name = optionalString(o, 'displayName', 'folder');
    if (!name) throw new InputError('folder.displayName is required');
    if (mailbox.findChildFolder(parent.id, name)) throw new InputError(`a folder '${name}' already exists there`, 409, 'conflict');
    const id = optionalString(o, 'id', 'folder');
    if (id !== undefined && (!isOutlookId(id) || mailbox.folders.has(id))) throw new InputError('folder.id must be an unused Exchange-style id');
    return folderJson(mailbox, mailbox.createFolder(parent.id, name, false, id));
  }

  settings(user: string): Json {
    return structuredClone(this.mailbox(user).settings) as unknown as Json;
  }

  /** PATCH semantics, as Graph's: e.g. `{automaticRepliesSetting: {status: 'alwaysEnabled'}}`. */
  updateSettings(user: string, patch: Json): Json {
    const mailbox = this.mailbox(user);
    mailbox.updateSettings((s) => applySettingsPatch(s, object(patch, 'settings')));
    return this.settings(user);
  }

  /** Everything sent through the emulator, in order, including mail to outside addresses. */
  transport(): TransportRecord[] {
    return this.scope.store.transport.list();
  }
}

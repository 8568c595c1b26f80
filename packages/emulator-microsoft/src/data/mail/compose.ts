/**
 * Building message records: new drafts, received copies, and the fields every message has
 * (conversation, Message-ID, body preview source). Sending and delivery live in transport.ts.
 */
import { internetMessageId, outlookId } from '../ids.ts';
import type { Mailbox } from './mailbox.ts';
import type { MessageFields } from './message-input.ts';
import type { StoredMessage } from './model.ts';

export interface ComposeOptions {
  folderId: string;
  isDraft: boolean;
  /** Defaults: drafts and sent items are read, received mail is unread. */
  isRead?: boolean;
  receivedAt?: number | null;
  sentAt?: number | null;
  id?: string;
  internetMessageId?: string;
  /** The thread this message belongs to; a new message starts its own. */
  threadKey?: string;
  inReplyTo?: string | null;
}

/** Exchange's per-mailbox conversation id for a thread. */
export function conversationIdFor(mailbox: Mailbox, threadKey: string): string {
  return outlookId(['conversation', mailbox.owner.userId, threadKey], mailbox.owner.personal);
}

export function composeMessage(mailbox: Mailbox, fields: MessageFields, o: ComposeOptions): StoredMessage {
  const now = mailbox.owner.now();
  const self = mailbox.identity();
  const id = o.id ?? mailbox.newId();
  const messageId = o.internetMessageId ?? internetMessageId();
  const threadKey = o.threadKey ?? messageId;
  return {
    id,
    folderId: o.folderId,
    createdAt: now,
    modifiedAt: now,
    receivedAt: o.receivedAt === undefined ? (o.isDraft ? null : now) : o.receivedAt,
    sentAt: o.sentAt === undefined ? (o.isDraft ? null : now) : o.sentAt,
    version: 1,
    subject: fields.subject ?? '',
    body: fields.body ?? { contentType: 'text', content: '' },
    // Drafts carry no sender until sent; other mail defaults to the mailbox owner.
    from: fields.from ?? (o.isDraft ? null : self),
    sender: fields.sender ?? fields.from ?? (o.isDraft ? null : self),
    toRecipients: fields.toRecipients ?? [],
    ccRecipients: fields.ccRecipients ?? [],
    bccRecipients: fields.bccRecipients ?? [],
    replyTo: fields.replyTo ?? [],
    categories: fields.categories ?? [],
    importance: fields.importance ?? 'normal',
    isRead: fields.isRead ?? o.isRead ?? true,
    isDraft: o.isDraft,
    flag: fields.flag ?? { flagStatus: 'notFlagged' },
    isReadReceiptRequested: fields.isReadReceiptRequested ?? false,
    isDeliveryReceiptRequested: fields.isDeliveryReceiptRequested ?? false,
    inferenceClassification: fields.inferenceClassification ?? 'focused',
    internetMessageId: messageId,
    inReplyTo: o.inReplyTo ?? null,
    threadKey,
    conversationId: conversationIdFor(mailbox, threadKey),
    internetMessageHeaders: fields.internetMessageHeaders ?? [],
    attachments: (fields.attachments ?? []).map((a) => ({ ...a, id: mailbox.newId(), lastModifiedAt: now })),
  };
}

/** Applies updatable fields onto an existing message (attachments are handled separately). */
export function mergeMessageFields(m: StoredMessage, f: MessageFields): void {
  const { attachments: _ignored, ...rest } = f;
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) (m as unknown as Record<string, unknown>)[k] = v;
}

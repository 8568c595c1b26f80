/**
 * Mail records → Graph JSON, property order as in Graph's samples (message-get, mailfolder-get,
 * attachment-get). Bodies follow the client's body-content-type preference; a token with only
 * Mail.ReadBasic gets neither body nor bodyPreview.
 */
import { changeKey } from '../../data/ids.ts';
import type { Mailbox } from '../../data/mail/mailbox.ts';
import type { StoredAttachment, StoredFolder, StoredMessage } from '../../data/mail/model.ts';
import type { GraphCall } from '../call.ts';
import { isoSeconds } from '../format.ts';
import { bodyAs, bodyPreview } from './body.ts';

export interface MessageView {
  /** From `Prefer: outlook.body-content-type`; HTML when absent. */
  bodyType: 'text' | 'html';
  /** Mail.ReadBasic only: no body. */
  basic: boolean;
  expandAttachments: boolean;
}

/** Reads the body preference (and records it as applied). */
export function bodyPreference(call: GraphCall): 'text' | 'html' {
  const wanted = call.prefer.get('outlook.body-content-type')?.toLowerCase();
  if (wanted === 'text' || wanted === 'html') {
    call.apply(`outlook.body-content-type="${wanted}"`);
    return wanted;
  }
  return 'html';
}

export const etag = (id: string, version: number) => `W/"${changeKey(id, version)}"`;

export function attachmentJson(a: StoredAttachment, withContent = true): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    '@odata.mediaContentType': a.contentType,
    id: a.id,
    lastModifiedDateTime: isoSeconds(a.lastModifiedAt),
    name: a.name,
    contentType: a.contentType,
    size: a.bytes.length + 200,
    isInline: a.isInline,
    contentId: a.contentId,
    contentLocation: null,
    ...(withContent ? { contentBytes: a.bytes.toString('base64') } : {}),
  };
}

/** `scope` only supplies the environment (webLink host); the admin API passes the global listener. */
export function messageJson(call: Pick<GraphCall, 'l'>, m: StoredMessage, view: MessageView): Record<string, unknown> {
  const body = bodyAs(m.body, view.bodyType);
  return {
    '@odata.etag': etag(m.id, m.version),
    id: m.id,
    createdDateTime: isoSeconds(m.createdAt),
    lastModifiedDateTime: isoSeconds(m.modifiedAt),
    changeKey: changeKey(m.id, m.version),
    categories: [...m.categories],
    receivedDateTime: m.receivedAt === null ? isoSeconds(m.createdAt) : isoSeconds(m.receivedAt),
    sentDateTime: m.sentAt === null ? isoSeconds(m.createdAt) : isoSeconds(m.sentAt),
    hasAttachments: m.attachments.some((a) => !a.isInline),
    internetMessageId: m.internetMessageId,
    subject: m.subject,
    ...(view.basic ? {} : { bodyPreview: bodyPreview(m.body) }),
    importance: m.importance,
    parentFolderId: m.folderId,
    conversationId: m.conversationId,
    isDeliveryReceiptRequested: m.isDeliveryReceiptRequested,
    isReadReceiptRequested: m.isReadReceiptRequested,
    isRead: m.isRead,
    isDraft: m.isDraft,
    webLink: `${call.l.def.outlookWeb}/owa/?ItemID=${encodeURIComponent(m.id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: m.inferenceClassification,
    ...(view.basic ? {} : { body }),
    sender: m.sender,
    from: m.from,
    toRecipients: structuredClone(m.toRecipients),
    ccRecipients: structuredClone(m.ccRecipients),
    bccRecipients: structuredClone(m.bccRecipients),
    replyTo: structuredClone(m.replyTo),
    flag: structuredClone(m.flag),
    ...(view.expandAttachments ? { attachments: m.attachments.map((a) => attachmentJson(a)) } : {}),
  };
}

export function folderJson(mailbox: Mailbox, f: StoredFolder): Record<string, unknown> {
  const stats = mailbox.folderStats(f.id);
  return {
    id: f.id,
    displayName: f.displayName,
    parentFolderId: f.parentId ?? mailbox.folder('msgfolderroot')!.id,
    childFolderCount: stats.children,
    unreadItemCount: stats.unread,
    totalItemCount: stats.total,
    sizeInBytes: stats.size,
    isHidden: f.isHidden,
  };
}

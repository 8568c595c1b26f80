/**
 * Sending: the sender's copy goes to Sent Items (unless saveToSentItems is false), and every
 * recipient who is an emulator user with a mailbox finds an unread copy in their Inbox, so a
 * test can send as Adele and read the mail as Megan. Bcc recipients are delivered but not shown
 * to anyone else. Mailboxes with automatic replies on answer once per sender, as Exchange does.
 * Every send is also written to a transport log, the only trace of mail to outside addresses.
 */
import { composeMessage } from './compose.ts';
import type { Mailbox } from './mailbox.ts';
import type { Recipient, StoredMessage } from './model.ts';
import { autoReplyActive } from './auto-replies.ts';

export interface MailDirectory {
  /** The mailbox an SMTP address delivers to, when an emulator user owns it. */
  mailboxFor(address: string): Mailbox | undefined;
}

export interface TransportRecord {
  time: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  internetMessageId: string;
  /** userPrincipalName-free: the addresses that reached an emulator mailbox. */
  deliveredTo: string[];
  savedToSentItems: boolean;
  autoReply: boolean;
}

export class TransportLog {
  private records: TransportRecord[] = [];

  add(r: TransportRecord): void {
    this.records.push(r);
    if (this.records.length > 10_000) this.records.shift();
  }

  list(): TransportRecord[] {
    return this.records.map((r) => structuredClone(r));
  }

  clear(): void {
    this.records = [];
  }
}

const addresses = (list: Recipient[]) => list.map((r) => r.emailAddress.address);

export interface SendOptions {
  saveToSentItems: boolean;
  autoReply?: boolean;
}

/**
 * Sends a message the sender's mailbox holds (a draft) or a freshly composed one (not yet
 * inserted). Returns the Sent Items copy, if one was kept.
 */
export function sendMessage(sender: Mailbox, message: StoredMessage, o: SendOptions, dir: MailDirectory, log: TransportLog): StoredMessage | undefined {
  const now = sender.owner.now();
  const self = sender.identity();
  const sent = sender.folder('sentitems')!;
  const inMailbox = sender.message(message.id) === message;
  const finalize = (m: StoredMessage) => {
    m.isDraft = false;
    m.isRead = true;
    m.sentAt = now;
    m.receivedAt = now;
    m.from = m.from ?? self;
    m.sender = m.sender ?? m.from;
  };
  let kept: StoredMessage | undefined;
  if (o.saveToSentItems) {
    if (inMailbox) {
      sender.updateMessage(message, finalize);
      kept = sender.moveMessage(message, sent.id);
    } else {
      finalize(message);
      message.folderId = sent.id;
      kept = sender.insertMessage(message);
    }
  } else {
    if (inMailbox) sender.removeMessage(message);
    finalize(message);
  }
  const delivered = deliver(message, dir);
  log.add({
    time: new Date(now).toISOString(),
    from: (message.from ?? self).emailAddress.address,
    to: addresses(message.toRecipients),
    cc: addresses(message.ccRecipients),
    bcc: addresses(message.bccRecipients),
    subject: message.subject,
    internetMessageId: message.internetMessageId,
    deliveredTo: delivered.map((d) => d.address),
    savedToSentItems: o.saveToSentItems,
    autoReply: o.autoReply ?? false,
  });
  if (!o.autoReply) for (const d of delivered) answerAutomatically(d.mailbox, message, dir, log);
  return kept;
}

function deliver(message: StoredMessage, dir: MailDirectory): { address: string; mailbox: Mailbox }[] {
  const seen = new Set<string>();
  const out: { address: string; mailbox: Mailbox }[] = [];
  for (const r of [...message.toRecipients, ...message.ccRecipients, ...message.bccRecipients]) {
    const address = r.emailAddress.address.toLowerCase();
    if (seen.has(address)) continue;
    seen.add(address);
    const mailbox = dir.mailboxFor(address);
    if (!mailbox) continue;
    const inbox = mailbox.folder('inbox')!;
    const copy = composeMessage(
      mailbox,
      {
        subject: message.subject,
        body: structuredClone(message.body),
        from: message.from!,
        sender: message.sender ?? message.from!,
        toRecipients: structuredClone(message.toRecipients),
        ccRecipients: structuredClone(message.ccRecipients),
        replyTo: structuredClone(message.replyTo),
        importance: message.importance,
        isReadReceiptRequested: message.isReadReceiptRequested,
        isDeliveryReceiptRequested: message.isDeliveryReceiptRequested,
        internetMessageHeaders: structuredClone(message.internetMessageHeaders),
        attachments: message.attachments.map((a) => ({ name: a.name, contentType: a.contentType, bytes: Buffer.from(a.bytes), isInline: a.isInline, contentId: a.contentId })),
      },
      {
        folderId: inbox.id,
        isDraft: false,
        isRead: false,
        receivedAt: mailbox.owner.now(),
        sentAt: message.sentAt,
        // The same Message-ID everywhere; the conversation id is per mailbox in Exchange.
        internetMessageId: message.internetMessageId,
        threadKey: message.threadKey,
        inReplyTo: message.inReplyTo,
      },
    );
    mailbox.insertMessage(copy);
    out.push({ address, mailbox });
  }
  return out;
}

function answerAutomatically(recipient: Mailbox, original: StoredMessage, dir: MailDirectory, log: TransportLog): void {
  const from = original.from?.emailAddress.address.toLowerCase();
  if (!from || !autoReplyActive(recipient.settings, recipient.owner.now())) return;
  if (recipient.autoRepliedTo.has(from)) return;
  const senderMailbox = dir.mailboxFor(from);
  const internal = senderMailbox?.owner.tenantId === recipient.owner.tenantId;
  const setting = recipient.settings.automaticRepliesSetting;
  if (!internal && setting.externalAudience === 'none') return;
  recipient.autoRepliedTo.add(from);
  const reply = composeMessage(
    recipient,
    {
      subject: `Automatic reply: ${original.subject}`,
      body: { contentType: 'html', content: internal ? setting.internalReplyMessage : setting.externalReplyMessage },
      toRecipients: [original.from!],
    },
    { folderId: recipient.folder('sentitems')!.id, isDraft: false, threadKey: original.threadKey, inReplyTo: original.internetMessageId },
  );
  // Exchange does not keep auto-replies in Sent Items.
  sendMessage(recipient, reply, { saveToSentItems: false, autoReply: true }, dir, log);
}

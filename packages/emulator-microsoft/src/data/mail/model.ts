/**
 * Mailbox records as the emulator keeps them. Times are epoch ms on the emulator clock; the Graph
 * serializers turn them into Graph's shapes. Recipients are kept in Graph's own shape because
 * they are never transformed.
 */

export interface EmailAddress {
  name: string;
  address: string;
}

export interface Recipient {
  emailAddress: EmailAddress;
}

export interface ItemBody {
  contentType: 'text' | 'html';
  content: string;
}

export type Importance = 'low' | 'normal' | 'high';
export type FlagStatus = 'notFlagged' | 'flagged' | 'complete';

export interface FollowupFlag {
  flagStatus: FlagStatus;
  startDateTime?: { dateTime: string; timeZone: string };
  dueDateTime?: { dateTime: string; timeZone: string };
  completedDateTime?: { dateTime: string; timeZone: string };
}

export interface StoredAttachment {
  id: string;
  name: string;
  contentType: string;
  bytes: Buffer;
  isInline: boolean;
  contentId: string | null;
  lastModifiedAt: number;
}

export interface StoredMessage {
  id: string;
  folderId: string;
  createdAt: number;
  modifiedAt: number;
  /** Null for drafts that were never sent or received. */
  receivedAt: number | null;
  sentAt: number | null;
  /** Bumped on every change; drives changeKey and @odata.etag. */
  version: number;
  subject: string;
  body: ItemBody;
  from: Recipient | null;
  sender: Recipient | null;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  categories: string[];
  importance: Importance;
  isRead: boolean;
  isDraft: boolean;
  flag: FollowupFlag;
  isReadReceiptRequested: boolean;
  isDeliveryReceiptRequested: boolean;
  inferenceClassification: 'focused' | 'other';
  internetMessageId: string;
  /** The Message-ID this one answers (In-Reply-To), for threading and MIME. */
  inReplyTo: string | null;
  /**
   * Identifies the thread across mailboxes (the first message's Message-ID). Exchange's
   * conversationId differs per mailbox, so it is derived from this and the owner.
   */
  threadKey: string;
  conversationId: string;
  internetMessageHeaders: { name: string; value: string }[];
  attachments: StoredAttachment[];
}

export interface StoredFolder {
  id: string;
  /** Set for Outlook's well-known folders (`inbox`, `sentitems`, ...). */
  wellKnownName?: string;
  displayName: string;
  /** Null only for the mailbox root (msgfolderroot). */
  parentId: string | null;
  isHidden: boolean;
}

export type AutoReplyStatus = 'disabled' | 'alwaysEnabled' | 'scheduled';

export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

export interface MailboxSettings {
  archiveFolder: string;
  timeZone: string;
  automaticRepliesSetting: {
    status: AutoReplyStatus;
    externalAudience: 'none' | 'contactsOnly' | 'all';
    scheduledStartDateTime: DateTimeTimeZone;
    scheduledEndDateTime: DateTimeTimeZone;
    internalReplyMessage: string;
    externalReplyMessage: string;
  };
  language: { locale: string; displayName: string };
  workingHours: {
    daysOfWeek: string[];
    startTime: string;
    endTime: string;
    timeZone: { name: string };
  };
  dateFormat: string;
  timeFormat: string;
  delegateMeetingMessageDeliveryOptions: string;
  userPurpose: string;
}

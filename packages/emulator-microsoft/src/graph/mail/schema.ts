/** Query schemas of the mail resources: what $select, $filter and $orderby may name. */
import { OutlookErrors } from '../outlook-errors.ts';
import { T, type EntitySchema, type PropType } from '../odata/schema.ts';

const emailAddress = T.complex('microsoft.graph.emailAddress', { name: T.string, address: T.string });
export const RECIPIENT: PropType = T.complex('microsoft.graph.recipient', { emailAddress });
const dateTimeTimeZone = T.complex('microsoft.graph.dateTimeTimeZone', { dateTime: T.string, timeZone: T.string });
export const ITEM_BODY: PropType = T.complex('microsoft.graph.itemBody', { contentType: T.enum('microsoft.graph.bodyType'), content: T.string });

export const MESSAGE_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.message',
  unknownProperty: OutlookErrors.unknownProperty('Message'),
  props: {
    id: T.string,
    createdDateTime: T.datetime,
    lastModifiedDateTime: T.datetime,
    changeKey: T.string,
    categories: T.collection(T.string),
    receivedDateTime: T.datetime,
    sentDateTime: T.datetime,
    hasAttachments: T.boolean,
    internetMessageId: T.string,
    subject: T.string,
    bodyPreview: T.string,
    importance: T.enum('microsoft.graph.importance'),
    parentFolderId: T.string,
    conversationId: T.string,
    isDeliveryReceiptRequested: T.boolean,
    isReadReceiptRequested: T.boolean,
    isRead: T.boolean,
    isDraft: T.boolean,
    webLink: T.string,
    inferenceClassification: T.enum('microsoft.graph.inferenceClassificationType'),
    body: ITEM_BODY,
    sender: RECIPIENT,
    from: RECIPIENT,
    toRecipients: T.collection(RECIPIENT),
    ccRecipients: T.collection(RECIPIENT),
    bccRecipients: T.collection(RECIPIENT),
    replyTo: T.collection(RECIPIENT),
    flag: T.complex('microsoft.graph.followupFlag', {
      flagStatus: T.enum('microsoft.graph.followupFlagStatus'),
      startDateTime: dateTimeTimeZone,
      dueDateTime: dateTimeTimeZone,
      completedDateTime: dateTimeTimeZone,
    }),
    internetMessageHeaders: T.collection(T.complex('microsoft.graph.internetMessageHeader', { name: T.string, value: T.string })),
    attachments: T.collection(T.open),
  },
};

export const MAIL_FOLDER_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.mailFolder',
  unknownProperty: OutlookErrors.unknownProperty('MailFolder'),
  props: {
    id: T.string,
    displayName: T.string,
    parentFolderId: T.string,
    childFolderCount: T.number,
    unreadItemCount: T.number,
    totalItemCount: T.number,
    sizeInBytes: T.number,
    isHidden: T.boolean,
  },
};

export const ATTACHMENT_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.attachment',
  unknownProperty: OutlookErrors.unknownProperty('Attachment'),
  props: {
    id: T.string,
    lastModifiedDateTime: T.datetime,
    name: T.string,
    contentType: T.string,
    size: T.number,
    isInline: T.boolean,
    contentId: T.string,
    contentLocation: T.string,
    contentBytes: T.string,
  },
};

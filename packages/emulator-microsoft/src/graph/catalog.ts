/**
 * Every Graph route the router serves, and the aliases Graph accepts for the same resource
 * (`/mailFolders/{id}/messages/{id}` is `/messages/{id}`). Literal routes come before
 * parametric ones where both could match.
 */
import type { FastifyInstance } from 'fastify';
import { batchRoutes } from './batch.ts';
import { CALENDAR_ROUTES } from './calendar/calendars.ts';
import { EVENT_ROUTES } from './calendar/events.ts';
import { EVENT_RESPONSE_ROUTES } from './calendar/responses.ts';
import { CALENDAR_VIEW_ROUTES } from './calendar/view.ts';
import type { GraphHandler } from './call.ts';
import { CALENDAR_DELTA_ROUTES } from './delta/calendar-delta.ts';
import { MESSAGE_DELTA_ROUTES } from './delta/message-delta.ts';
import { SUBSCRIPTION_ROUTES } from './subscriptions/routes.ts';
import { CONTACT_ROUTES } from './contacts/contacts.ts';
import { CONTENT_ROUTES } from './files/content.ts';
import { COPY_ROUTES } from './files/copy.ts';
import { DRIVE_ROUTES } from './files/drives.ts';
import { ITEM_ROUTES } from './files/items.ts';
import { LINK_ROUTES } from './files/links.ts';
import { UPLOAD_SESSION_ROUTES } from './files/upload-session.ts';
import { LIST_ITEM_ROUTES } from './sites/list-items.ts';
import { SITE_ROUTES } from './sites/sites.ts';
import { RANGE_ROUTES } from './workbook/ranges.ts';
import { TABLE_ROUTES } from './workbook/tables.ts';
import { WORKSHEET_ROUTES } from './workbook/worksheets.ts';
import { MESSAGE_ACTION_ROUTES } from './mail/actions.ts';
import { ATTACHMENT_ROUTES } from './mail/attachments.ts';
import { FOLDER_ROUTES } from './mail/folders.ts';
import { MAILBOX_SETTINGS_ROUTES } from './mail/mailbox-settings.ts';
import { MESSAGE_ROUTES } from './mail/messages.ts';
import { rewrite, RouteTable } from './router/match.ts';

export const REWRITES = [
  // `messages/delta` is the delta function of the folder's messages, not a message id.
  rewrite('{user}/mailFolders/:folderId/messages/:messageId', '{user}/messages/:messageId', { messageId: ['delta'] }),
  rewrite('{user}/mailFolders/:folderId/childFolders/:childId', '{user}/mailFolders/:childId'),
  rewrite('{user}/calendar/events/:eventId', '{user}/events/:eventId'),
  rewrite('{user}/calendars/:calendarId/events/:eventId', '{user}/events/:eventId'),
];

export function buildRouteTable(app: FastifyInstance): RouteTable<GraphHandler> {
  return new RouteTable<GraphHandler>()
    .add(batchRoutes(app))
    .add(MESSAGE_DELTA_ROUTES)
    .add(CALENDAR_DELTA_ROUTES)
    .add(SUBSCRIPTION_ROUTES)
    .add(MESSAGE_ACTION_ROUTES)
    .add(ATTACHMENT_ROUTES)
    .add(MESSAGE_ROUTES)
    .add(FOLDER_ROUTES)
    .add(MAILBOX_SETTINGS_ROUTES)
    .add(EVENT_RESPONSE_ROUTES)
    .add(EVENT_ROUTES)
    .add(CALENDAR_VIEW_ROUTES)
    .add(CALENDAR_ROUTES)
    .add(CONTACT_ROUTES)
    .add(WORKSHEET_ROUTES)
    .add(RANGE_ROUTES)
    .add(TABLE_ROUTES)
    .add(CONTENT_ROUTES)
    .add(UPLOAD_SESSION_ROUTES)
    .add(COPY_ROUTES)
    .add(LINK_ROUTES)
    .add(ITEM_ROUTES)
    .add(DRIVE_ROUTES)
    .add(LIST_ITEM_ROUTES)
    .add(SITE_ROUTES);
}

/** Opening a user's calendar for a request (user, permission, mailbox) and looking items up. */
import type { CalendarStore } from '../../data/calendar/calendar-store.ts';
import type { StoredCalendar, StoredEvent } from '../../data/calendar/model.ts';
import { isOutlookId } from '../../data/ids.ts';
import type { User } from '../../model.ts';
import { requireOutlook, type PermissionRule } from '../access.ts';
import type { GraphCall } from '../call.ts';
import { OutlookErrors } from '../outlook-errors.ts';
import { mailboxNotEnabled, resolveUser, userSegment } from '../target.ts';

export interface CalendarContext {
  user: User;
  self: boolean;
  store: CalendarStore;
}

export function openCalendar(call: GraphCall, rule: PermissionRule): CalendarContext {
  const { user, self } = resolveUser(call, call.match.user!, 'outlook');
  requireOutlook(call.principal, rule, self);
  if (!call.store.hasMailbox(user)) throw mailboxNotEnabled();
  return { user, self, store: call.store.calendar(user) };
}

export function getCalendar(ctx: CalendarContext, id: string | undefined): StoredCalendar {
  if (id === undefined) return ctx.store.defaultCalendar();
  const c = ctx.store.calendar(id);
  if (c) return c;
  throw isOutlookId(id) ? OutlookErrors.itemNotFound() : OutlookErrors.idMalformed();
}

export function getEvent(ctx: CalendarContext, id: string): StoredEvent {
  const e = ctx.store.event(id);
  if (e) return e;
  throw isOutlookId(id) ? OutlookErrors.itemNotFound() : OutlookErrors.idMalformed();
}

export function calendarContext(call: GraphCall, ctx: CalendarContext, rest: string): string {
  return `${call.metadata}#${userSegment(ctx.user)}/${rest}`;
}

/**
 * Meeting responses and actions, all 202 Accepted: accept / tentativelyAccept / decline
 * (`{comment, sendResponse}`; sendResponse defaults to true and updates the organizer's
 * attendee list), forward (`{toRecipients, comment}`: recipients who are emulator users get
 * the meeting), cancel (organizer only: attendees' copies are cancelled).
 */
import { cancelMeeting, respond, sendInvitations } from '../../data/calendar/scheduling.ts';
import { readRecipients } from '../../data/mail/message-input.ts';
import { optionalBoolean } from '../../input.ts';
import { RULES } from '../access.ts';
import type { GraphHandler } from '../call.ts';
import { OutlookErrors } from '../outlook-errors.ts';
import type { Route } from '../router/match.ts';
import { getEvent, openCalendar } from './calendar-access.ts';

const answer =
  (response: 'accepted' | 'declined' | 'tentativelyAccepted'): GraphHandler =>
  (call) => {
    const ctx = openCalendar(call, RULES.calendarsWrite);
    const event = getEvent(ctx, call.param('eventId'));
    if (event.isOrganizer) {
      throw OutlookErrors.invalidRequest("Your request can't be completed. You can't respond to this meeting because you're the meeting organizer.");
    }
    const sendResponse = optionalBoolean(call.json(), 'sendResponse', 'body') ?? true;
    respond(ctx.store, event, response, sendResponse, call.store);
    return { status: 202 };
  };

const forward: GraphHandler = (call) => {
  const ctx = openCalendar(call, RULES.calendarsRead);
  const event = getEvent(ctx, call.param('eventId'));
  const o = call.json();
  // The documentation's samples spell the parameters ToRecipients / Comment.
  const recipients = readRecipients(o, 'toRecipients', 'body') ?? readRecipients(o, 'ToRecipients', 'body');
  if (!recipients || recipients.length === 0) throw OutlookErrors.noRecipients();
  sendInvitations(ctx.store, event, call.store, recipients);
  return { status: 202 };
};

const cancel: GraphHandler = (call) => {
  const ctx = openCalendar(call, RULES.calendarsWrite);
  const event = getEvent(ctx, call.param('eventId'));
  if (!event.isOrganizer) throw OutlookErrors.invalidRequest("Your request can't be completed. You need to be an organizer to cancel a meeting.");
  cancelMeeting(ctx.store, event, call.store);
  return { status: 202 };
};

export const EVENT_RESPONSE_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{user}/events/:eventId/accept', methods: { POST: answer('accepted') } },
  { pattern: '{user}/events/:eventId/tentativelyAccept', methods: { POST: answer('tentativelyAccepted') } },
  { pattern: '{user}/events/:eventId/decline', methods: { POST: answer('declined') } },
  { pattern: '{user}/events/:eventId/forward', methods: { POST: forward } },
  { pattern: '{user}/events/:eventId/cancel', methods: { POST: cancel } },
];

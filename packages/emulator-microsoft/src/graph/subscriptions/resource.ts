/**
 * The `resource` of a subscription, resolved for the caller. Paths use the same syntax as
 * requests (leading slash optional, segment names in any case, `mailFolders('inbox')` or
 * `mailFolders/inbox`, `/me` or `/users/{id | userPrincipalName}`), so they go through the
 * request router's parser. Supported: Outlook messages (mailbox-wide or one folder), events
 * (all calendars or one) and contacts. Access follows the same rules as reading the resource:
 * delegated tokens for the signed-in user (others need `.Shared`), app tokens with application
 * permissions.
 */
import type { SubscribedKind, SubscriptionTarget } from '../../data/subscriptions/model.ts';
import { allowed, RULES, type PermissionRule } from '../access.ts';
import type { GraphCall } from '../call.ts';
import { getCalendar } from '../calendar/calendar-access.ts';
import { getFolder } from '../mail/mailbox-access.ts';
import { tokenize } from '../router/anchors.ts';
import { RouteTable } from '../router/match.ts';
import { parseGraphPath } from '../router/path.ts';
import { mailboxNotEnabled, resolveUser } from '../target.ts';
import { SubscriptionErrors } from './errors.ts';

type Shape = { kind: SubscribedKind; scope: 'all' | 'folder' | 'calendar' | 'defaultCalendar' };

const SHAPES = new RouteTable<Shape>().add([
  { pattern: '{user}/messages', methods: { GET: { kind: 'message', scope: 'all' } } },
  { pattern: '{user}/mailFolders/:containerId/messages', methods: { GET: { kind: 'message', scope: 'folder' } } },
  { pattern: '{user}/events', methods: { GET: { kind: 'event', scope: 'all' } } },
  { pattern: '{user}/calendar/events', methods: { GET: { kind: 'event', scope: 'defaultCalendar' } } },
  { pattern: '{user}/calendars/:containerId/events', methods: { GET: { kind: 'event', scope: 'calendar' } } },
  { pattern: '{user}/contacts', methods: { GET: { kind: 'contact', scope: 'all' } } },
]);

const READ_RULE: Record<SubscribedKind, PermissionRule> = { message: RULES.mailRead, event: RULES.calendarsRead, contact: RULES.contactsRead };

const unsupported = (resource: string) =>
  SubscriptionErrors.invalid(
    `Invalid 'resource' value '${resource}': the emulator supports change notifications on me/messages, users/{id}/messages, me/mailFolders('{id}')/messages, me/events, me/calendars/{id}/events and me/contacts (or users/{id}/...).`,
  );

export function resolveResource(call: GraphCall, resource: string): SubscriptionTarget {
  if (resource.includes('?')) throw SubscriptionErrors.invalid(`Invalid 'resource' value '${resource}': query options in the resource (rich notifications) are not supported by the emulator.`);
  let resolved;
  try {
    resolved = SHAPES.resolve(tokenize(parseGraphPath(resource)), 'GET');
  } catch {
    throw unsupported(resource);
  }
  if (resolved.kind !== 'match') throw unsupported(resource);
  const shape = resolved.handler;
  const { user, self } = resolveUser(call, resolved.match.user!, 'outlook');
  if (!allowed(call.principal, READ_RULE[shape.kind], self)) throw SubscriptionErrors.accessDenied('Create');
  if (!call.store.hasMailbox(user)) throw mailboxNotEnabled();
  const target: SubscriptionTarget = { kind: shape.kind, tenantId: user.tenantId, userId: user.id, excluded: [] };
  const containerId = resolved.match.params.containerId;
  if (shape.kind === 'message') {
    const mailbox = call.store.mailbox(user);
    if (shape.scope === 'folder') target.container = getFolder(mailbox, containerId!).id;
    // A DELETE moves mail out of sight into Recoverable Items; a mailbox-wide watcher sees only the deletion.
    else target.excluded.push(mailbox.folder('recoverableitemsdeletions')!.id);
  }
  if (shape.kind === 'event' && shape.scope !== 'all') {
    const calendar = getCalendar({ user, self, store: call.store.calendar(user) }, shape.scope === 'calendar' ? containerId : undefined);
    target.container = calendar.id;
  }
  return target;
}

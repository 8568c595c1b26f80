/**
 * Sharing: createLink (201 with a permission; 200 when the app already made a link of that type
 * and scope), invite (people by email), and the item's permissions list. Scope defaults to `organization` for work drives
 * and `anonymous` for personal ones; `embed` links exist only on personal OneDrive.
 */
import { randomBytes } from 'node:crypto';
import { guid } from '../../data/ids.ts';
import type { Drive } from '../../data/files/drive.ts';
import type { SharingGrant, StoredDriveItem } from '../../data/files/model.ts';
import { composeMessage } from '../../data/mail/compose.ts';
import { sendMessage } from '../../data/mail/transport.ts';
import { optionalBoolean, optionalString } from '../../input.ts';
import { RULES } from '../access.ts';
import type { GraphCall, GraphHandler } from '../call.ts';
import { collectionResponse } from '../odata/collection.ts';
import type { Route } from '../router/match.ts';
import { driveContextUrl, openDrive, resolveItem } from './drive-access.ts';
import { FileErrors } from './errors.ts';
import { PERMISSION_SCHEMA } from './schema.ts';
import { grantJson, itemWebUrl, permissionJson } from './serialize.ts';

const TYPES = ['view', 'edit', 'embed'] as const;
const SCOPES = ['anonymous', 'organization', 'users'] as const;

const createLink: GraphHandler = (call: GraphCall) => {
  const ctx = openDrive(call, RULES.filesWrite);
  const item = resolveItem(ctx, call.match.item!);
  const o = call.json();
  const type = optionalString(o, 'type', 'body');
  if (!type || !(TYPES as readonly string[]).includes(type)) throw FileErrors.invalidRequest("The 'type' must be view, edit or embed.");
  const personal = ctx.drive.record.driveType === 'personal';
  if (type === 'embed' && !personal) throw FileErrors.notSupported('Embed links are only supported for OneDrive personal.');
  const scope = optionalString(o, 'scope', 'body') ?? (personal ? 'anonymous' : 'organization');
  if (!(SCOPES as readonly string[]).includes(scope)) throw FileErrors.invalidRequest("The 'scope' must be anonymous, organization or users.");
  const app = call.l.emu.state.findApp(call.principal.clientId);
  const existing = item.links.find((l) => l.type === type && l.scope === scope && l.application?.id === call.principal.clientId);
  if (existing) return { status: 200, body: { '@odata.context': `${call.metadata}#microsoft.graph.permission`, ...permissionJson(ctx.drive, item, existing) } };
  const link = {
    id: guid(),
    type: type as (typeof TYPES)[number],
    scope: scope as (typeof SCOPES)[number],
    token: randomBytes(18).toString('base64url'),
    createdAt: call.now(),
    application: { id: call.principal.clientId, displayName: app?.displayName ?? call.principal.clientId },
  };
  item.links.push(link);
  ctx.drive.bump(item, ctx.by);
  return { status: 201, body: { '@odata.context': `${call.metadata}#microsoft.graph.permission`, ...permissionJson(ctx.drive, item, link) } };
};

const permissions: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesRead);
  const item = resolveItem(ctx, call.match.item!);
  const all = [...item.links.map((l) => permissionJson(ctx.drive, item, l)), ...item.grants.map(grantJson)];
  return collectionResponse(call, all, {
    schema: PERMISSION_SCHEMA,
    context: driveContextUrl(call, ctx, `items('${item.id}')/permissions`),
    defaultPageSize: 200,
    maxTop: 1000,
    paging: 'skiptoken',
  });
};

/**
 * invite (200 with the new permissions): grants read or write to people by email. With
 * sendInvitation the recipients get a sharing mail from the inviter, delivered like any mail.
 */
const invite: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesWrite);
  const item = resolveItem(ctx, call.match.item!);
  const o = call.json();
  const recipients = Array.isArray(o.recipients) ? o.recipients : [];
  const emails = recipients.map((r) => (typeof r === 'object' && r !== null ? (r as Record<string, unknown>).email : undefined));
  if (emails.length === 0 || emails.some((e) => typeof e !== 'string' || !e.includes('@'))) throw FileErrors.invalidRequest('Each recipient needs an email address.');
  const roles = Array.isArray(o.roles) ? o.roles : [];
  if (roles.length === 0 || roles.some((r) => r !== 'read' && r !== 'write')) throw FileErrors.invalidRequest("'roles' must be ['read'] or ['write'].");
  const requireSignIn = optionalBoolean(o, 'requireSignIn', 'body') ?? false;
  const expiration = optionalString(o, 'expirationDateTime', 'body');
  const grants: SharingGrant[] = (emails as string[]).map((email) => {
    const user = call.store.userByAddress(email) ?? call.l.emu.state.findUser(email);
    return {
      id: guid(),
      roles: roles as SharingGrant['roles'],
      email,
      ...(user ? { user: { id: user.id, displayName: user.displayName } } : {}),
      requireSignIn,
      ...(expiration ? { expirationDateTime: expiration } : {}),
    };
  });
  item.grants.push(...grants);
  ctx.drive.bump(item, ctx.by);
  if (optionalBoolean(o, 'sendInvitation', 'body') ?? false) notify(call, ctx.drive, item, emails as string[], optionalString(o, 'message', 'body') ?? '');
  return { status: 200, body: { '@odata.context': `${call.metadata}#Collection(microsoft.graph.permission)`, value: grants.map(grantJson) } };
};

/** The sharing mail, sent from the inviter's mailbox when it has one (app-only invites send none). */
function notify(call: GraphCall, drive: Drive, item: StoredDriveItem, emails: string[], message: string): void {
  const p = call.principal;
  const inviter = p.kind === 'delegated' && p.userId ? call.l.emu.state.users.get(p.userId) : undefined;
  if (!inviter || !call.store.hasMailbox(inviter)) return;
  const mailbox = call.store.mailbox(inviter);
  const mail = composeMessage(
    mailbox,
    {
      subject: `${inviter.displayName} shared "${item.name}" with you`,
      body: { contentType: 'html', content: `<p>${inviter.displayName} shared a file with you.</p><p>${message}</p><p><a href="${itemWebUrl(drive, item)}">${item.name}</a></p>` },
      toRecipients: emails.map((address) => ({ emailAddress: { name: address, address } })),
    },
    { folderId: mailbox.folder('drafts')!.id, isDraft: true },
  );
  sendMessage(mailbox, mail, { saveToSentItems: false }, call.store, call.store.transport);
}

export const LINK_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{drive}/{item}/createLink', methods: { POST: createLink } },
  { pattern: '{drive}/{item}/invite', methods: { POST: invite } },
  { pattern: '{drive}/{item}/permissions', methods: { GET: permissions } },
];

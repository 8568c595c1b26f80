/**
 * The user resource: /users/{id | userPrincipalName}, /users, and the shared serializer /me uses.
 * Properties and their order follow Graph's default user projection; `$select` narrows it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { graphBase, type ListenerContext } from '../context.ts';
import type { User } from '../model.ts';
import { grantsAny, principalOf, type Principal } from './auth.ts';
import { GraphErrors, ODATA_JSON } from './errors.ts';

/** Graph's default projection, in Graph's order. */
const DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/** Also selectable, though not returned by default. */
const EXTRA_PROPERTIES = ['accountEnabled', 'companyName', 'department', 'mailNickname', 'userType'] as const;

const SELECTABLE = new Map<string, string>([...DEFAULT_PROPERTIES, ...EXTRA_PROPERTIES].map((p) => [p.toLowerCase(), p]));

function allProperties(user: User): Record<string, unknown> {
  return {
    businessPhones: [...user.businessPhones],
    displayName: user.displayName,
    givenName: user.givenName,
    jobTitle: user.jobTitle,
    mail: user.mail,
    mobilePhone: user.mobilePhone,
    officeLocation: user.officeLocation,
    preferredLanguage: user.preferredLanguage,
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    id: user.id,
    accountEnabled: user.accountEnabled,
    companyName: user.companyName,
    department: user.department,
    mailNickname: user.userPrincipalName.split('@')[0],
    userType: 'Member',
  };
}

/** `$select` names, canonicalised; undefined when absent. Unknown names fail like Graph. */
export function selectedProperties(req: FastifyRequest): string[] | undefined {
  const raw = (req.query as Record<string, unknown>)['$select'];
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return raw.split(',').map((name) => {
    const canonical = SELECTABLE.get(name.trim().toLowerCase());
    if (!canonical) throw GraphErrors.unknownProperty(name.trim(), 'microsoft.graph.user');
    return canonical;
  });
}

export function projectUser(user: User, select: string[] | undefined): Record<string, unknown> {
  const all = allProperties(user);
  const names = select ?? DEFAULT_PROPERTIES;
  return Object.fromEntries(names.map((n) => [n, all[n]]));
}

/** `@odata.context` for a user entity or collection, mentioning `$select` as Graph does. */
export function userContext(l: ListenerContext, select: string[] | undefined, entity: boolean): string {
  const projection = select ? `(${select.join(',')})` : '';
  return `${graphBase(l)}/v1.0/$metadata#users${projection}${entity ? '/$entity' : ''}`;
}

/** Reading one's own profile. */
export const READ_SELF = ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
/** Reading other users (delegated) or any user (application). */
const READ_OTHERS = ['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

/**
 * Apps acting on mailboxes look users up by id or UPN; the emulator lets any Mail.* role do
 * that (a simplification: real Graph wants a User.* role for the directory read).
 */
function mayReadUser(p: Principal, target: User): boolean {
  if (p.kind === 'delegated') return grantsAny(p, p.userId === target.id ? READ_SELF : READ_OTHERS);
  return grantsAny(p, READ_OTHERS) || [...p.roles].some((r) => r.startsWith('mail.'));
}

export function registerUsers(app: FastifyInstance, l: ListenerContext): void {
  app.get('/users/:id', async (req, reply) => {
    const p = principalOf(req);
    const ref = (req.params as { id: string }).id;
    const user = l.emu.state.findUser(ref, p.tenantId);
    if (!user) throw GraphErrors.resourceNotFound(ref);
    if (!mayReadUser(p, user)) throw GraphErrors.accessDenied();
    const select = selectedProperties(req);
    return reply.type(ODATA_JSON).send({ '@odata.context': userContext(l, select, true), ...projectUser(user, select) });
  });

  app.get('/users', async (req, reply) => {
    const p = principalOf(req);
    if (!grantsAny(p, READ_OTHERS)) throw GraphErrors.accessDenied();
    const select = selectedProperties(req);
    const value = l.emu.state.usersOfTenant(p.tenantId).map((u) => projectUser(u, select));
    return reply.type(ODATA_JSON).send({ '@odata.context': userContext(l, select, false), value });
  });
}

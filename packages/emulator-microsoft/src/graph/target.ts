/**
 * Whose data a request addresses: `/me` (the signed-in user; delegated tokens only) or
 * `/users/{id | userPrincipalName}` within the token's tenant. Exchange and the directory word
 * "no such user" differently, so the caller says which service is answering.
 */
import type { User } from '../model.ts';
import type { GraphCall } from './call.ts';
import { GraphError, GraphErrors } from './errors.ts';
import { signedInUser } from './me.ts';
import type { UserAnchor } from './router/anchors.ts';

export interface Target {
  user: User;
  /** The signed-in user acting on their own data. */
  self: boolean;
}

export function resolveUser(call: GraphCall, anchor: UserAnchor, service: 'outlook' | 'directory'): Target {
  const p = call.principal;
  if (anchor.me) return { user: signedInUser(call.l, p), self: true };
  const user = call.l.emu.state.findUser(anchor.ref, p.tenantId);
  if (!user) {
    if (service === 'outlook') throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${anchor.ref}' is invalid.`);
    throw GraphErrors.resourceNotFound(anchor.ref);
  }
  return { user, self: p.kind === 'delegated' && p.userId === user.id };
}

/** Users without a mailbox (no `mail`) exist in the directory but not in Exchange Online. */
export function mailboxNotEnabled(): GraphError {
  return new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
}

/** `users('{id}')`, the form Graph writes in `@odata.context` for both /me and /users/{upn}. */
export function userSegment(user: User): string {
  return `users('${user.id}')`;
}

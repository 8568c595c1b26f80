/**
 * Scope strings → the resource a token is for and the permissions it carries, by the v2.0 rules:
 * a short name (`User.Read`) means Microsoft Graph; a fully-qualified scope names its resource;
 * when several resources appear the token is for the first; `.default` cannot be mixed with
 * other permissions of the same resource. Only Graph roots of the login host's own cloud are
 * resources here: anything else is "resource principal not found" (AADSTS500011), which is also
 * what Entra answers when a scope names another cloud's Graph.
 */
import { GRAPH_APP_ID, type LoginCloud } from './clouds.ts';
import { Aad } from './identity/errors.ts';
import type { App } from './model.ts';
import { canonicalDelegated, isOidcScope, type OidcScope } from './permissions.ts';

export interface ScopeRequest {
  /** The Graph root the token is for: its `aud`. */
  resource: string;
  /** Delegated permissions named for that resource, canonical spelling, without `.default`. */
  permissions: string[];
  /** `{resource}/.default` was asked: the app's statically configured permissions apply. */
  isDefault: boolean;
  oidc: OidcScope[];
}

function splitScopes(raw: string | undefined): string[] {
  return (raw ?? '').split(/\s+/).filter(Boolean);
}

/** Maps the resource part of a scope to one of the cloud's Graph roots, or fails like Entra. */
function resolveResource(resourcePart: string, cloud: LoginCloud, tenantLabel: string): string {
  const wanted = resourcePart.replace(/\/+$/, '').toLowerCase();
  // The Graph app id is a valid resource identifier too; it means the cloud's primary Graph.
  if (wanted === GRAPH_APP_ID) return cloud.graphRoots[0]!;
  const root = cloud.graphRoots.find((r) => r.toLowerCase() === wanted);
  if (!root) throw Aad.resourceNotFound(resourcePart, tenantLabel);
  return root;
}

export function parseDelegatedScopes(raw: string, cloud: LoginCloud, tenantLabel: string): ScopeRequest {
  const oidc: OidcScope[] = [];
  const shortNames: string[] = [];
  const qualified: { resource: string; permission: string }[] = [];
  for (const scope of splitScopes(raw)) {
    if (isOidcScope(scope)) {
      const name = scope.toLowerCase() as OidcScope;
      if (!oidc.includes(name)) oidc.push(name);
      continue;
    }
    const slash = scope.lastIndexOf('/');
    if (slash === -1) {
      shortNames.push(scope);
      continue;
    }
    qualified.push({ resource: resolveResource(scope.slice(0, slash), cloud, tenantLabel), permission: scope.slice(slash + 1) });
  }
  const resource = qualified[0]?.resource ?? cloud.graphRoots[0]!;
  const named = [...shortNames, ...qualified.filter((q) => q.resource === resource).map((q) => q.permission)];
  const isDefault = named.some((p) => p.toLowerCase() === '.default');
  if (isDefault && named.length > 1) throw Aad.invalidScope(raw, 'static scope limit exceeded.');
  const permissions: string[] = [];
  for (const p of named) {
    if (p.toLowerCase() === '.default') continue;
    const name = canonicalDelegated(p) ?? p;
    if (!permissions.includes(name)) permissions.push(name);
  }
  return { resource, permissions, isDefault, oidc };
}

/** Names in the request that Graph does not publish (Entra: AADSTS650053 at /authorize). */
export function unknownPermissions(request: ScopeRequest): string[] {
  return request.permissions.filter((p) => canonicalDelegated(p) === undefined);
}

/** Client credentials: exactly one `{resource}/.default`; returns the resource. */
export function parseClientCredentialsScope(raw: string | undefined, cloud: LoginCloud, tenantLabel: string): string {
  const scopes = splitScopes(raw);
  if (scopes.length === 0) throw Aad.missingParameter('scope');
  if (scopes.length > 1) throw Aad.invalidScope(scopes.join(' '));
  const scope = scopes[0]!;
  if (!scope.toLowerCase().endsWith('/.default')) throw Aad.clientCredentialsScope(scope);
  return resolveResource(scope.slice(0, -'/.default'.length), cloud, tenantLabel);
}

/** The token response's `scope`: fully-qualified Graph permissions, then the OIDC scopes asked for. */
export function formatGrantedScope(resource: string, permissions: readonly string[], oidc: readonly OidcScope[]): string {
  return [...permissions.map((p) => `${resource}/${p}`), ...oidc].join(' ');
}

/** The permissions a request stands for: its named ones, or the app's static list for `.default`. */
export function requestedPermissions(request: ScopeRequest, app: App): string[] {
  return request.isDefault ? app.delegatedPermissions : request.permissions;
}

// Small accessors of a definition shared by the validator and the runtime helpers.
import type { AuthTypeDefinition, ConnectorDefinition, FieldDefinition, OAuth2AuthTypeDefinition, ScopesDefinition } from './types.ts';

export function findAuthType(def: ConnectorDefinition, type: string): AuthTypeDefinition | undefined {
  return def.auth.find((a) => a.type === type);
}

/** The auth type marked default, else the first. */
export function defaultAuthType(def: ConnectorDefinition): AuthTypeDefinition {
  return def.auth.find((a) => a.default === true) ?? (def.auth[0] as AuthTypeDefinition);
}

/** Auth types that obtain an access token with an `oauth2` block. */
export function isOAuth2(auth: AuthTypeDefinition): auth is OAuth2AuthTypeDefinition {
  return 'oauth2' in auth;
}

export function scopesOf(auth: AuthTypeDefinition): ScopesDefinition | undefined {
  return isOAuth2(auth) ? auth.oauth2.scopes : undefined;
}

/** Token response metadata names of an auth type ({metadata.x}). */
export function metadataNames(auth: AuthTypeDefinition): Set<string> {
  const response = isOAuth2(auth) ? auth.oauth2.tokenResponse : auth.type === 'jwt-bearer' ? auth.jwtBearer.tokenResponse : undefined;
  return new Set(Object.keys(response?.metadata ?? {}));
}

export function isSecret(field: FieldDefinition): boolean {
  return field.type === 'secret' || field.secret === true;
}

// Auth type checks: one per type, one default, credential fields present and secret, scopes
// consistent, and every connection-level template resolvable for the auth types that use it.
import { credentialFields } from '../credentials.ts';
import { pointerJoin } from '../pointer.ts';
import type { AuthTypeDefinition, ConnectorDefinition, IdentityDefinition, ScopesDefinition } from '../types.ts';
import { isOAuth2, isSecret, metadataNames } from '../definition.ts';
import type { Checks, Resolver } from './context.ts';
import { checkFieldRef } from './field-ref.ts';

export function checkAuthTypes(c: Checks): void {
  const seen = new Set<string>();
  let defaults = 0;
  c.def.auth.forEach((auth, i) => {
    if (seen.has(auth.type)) c.fail(`/auth/${i}/type`, 'duplicate-key', `auth type "${auth.type}" is offered twice`);
    seen.add(auth.type);
    if (auth.default && ++defaults > 1) c.fail(`/auth/${i}/default`, 'multiple-defaults', 'only one auth type can be the default');
    checkCredentials(c, auth, i);
    checkProtocolTemplates(c, auth, i);
  });
  checkConnectorApiTemplates(c);
}

function checkCredentials(c: Checks, auth: AuthTypeDefinition, i: number): void {
  const fields = c.fieldsOf(auth, i);
  for (const credential of credentialFields(auth)) {
    const found = fields.get(credential.key);
    if (!found) {
      if (credential.required) {
        c.fail(`/auth/${i}/fields`, 'missing-credential-field', `auth type "${auth.type}" needs a field "${credential.key}"${credential.secret ? ' (secret)' : ''}`);
      }
    } else if (credential.secret && !isSecret(found.field)) {
      c.fail(`${found.path}/type`, 'credential-not-secret', `"${credential.key}" holds a credential: make it type secret (or secret: true)`);
    }
  }
}

/** Resolver of connection-level templates; metadata exists only once a token was obtained. */
function connectionResolver(c: Checks, auth: AuthTypeDefinition, i: number, allowMetadata: boolean): Resolver {
  const names = c.connectionNames(auth, i);
  const metadata = metadataNames(auth);
  return (name) => {
    if (name.startsWith('environment.')) return c.environment(name);
    if (name.startsWith('metadata.')) {
      if (!allowMetadata) return 'token response metadata is not known yet here (use it in the base URL, identity or activities)';
      return metadata.has(name.slice('metadata.'.length)) ? undefined : `auth type "${auth.type}" copies no such value from its token response`;
    }
    if (names.has(name)) return undefined;
    return name.includes('.') ? 'unknown namespace (use environment. or metadata.)' : `not a field or variable of auth type "${auth.type}" or of the connector`;
  };
}

function checkProtocolTemplates(c: Checks, auth: AuthTypeDefinition, i: number): void {
  const base = `/auth/${i}`;
  const before = connectionResolver(c, auth, i, false);
  const after = connectionResolver(c, auth, i, true);
  const t = (value: string | undefined, path: string, resolve: Resolver = before) => {
    if (value !== undefined) c.template(value, `${base}/${path}`, resolve);
  };
  const map = (values: Record<string, string> | undefined, path: string, resolve: Resolver = before) =>
    Object.entries(values ?? {}).forEach(([k, v]) => t(v, pointerJoin(path, k), resolve));
  const fields = c.fieldsOf(auth, i);
  const lookup = (key: string) => fields.get(key)?.field;

  // Variables see fields and environment values only, so they cannot refer to each other.
  const fieldNames = new Set(fields.keys());
  map(auth.variables, 'variables', (name) => (name.startsWith('environment.') ? c.environment(name) : fieldNames.has(name) ? undefined : 'variables may use fields and environment values only'));

  if (isOAuth2(auth)) {
    const o = auth.oauth2;
    t(o.tokenUrl, 'oauth2/tokenUrl');
    map(o.tokenParams, 'oauth2/tokenParams');
    if ('authorizationUrl' in o) {
      t(o.authorizationUrl, 'oauth2/authorizationUrl');
      t(o.revocationUrl, 'oauth2/revocationUrl');
      map(o.authorizationParams, 'oauth2/authorizationParams');
    }
    if ('clientAuthentication' in o) {
      const allowed = auth.type === 'oauth2-client-credentials' ? ['client_secret_post', 'client_secret_basic'] : ['client_secret_post', 'client_secret_basic', 'none'];
      checkFieldRef(c, o.clientAuthentication, `${base}/oauth2/clientAuthentication`, allowed, lookup, false);
    }
    if ('assertion' in o) {
      t(o.assertion?.audience, 'oauth2/assertion/audience');
      t(o.assertion?.keyId, 'oauth2/assertion/keyId');
    }
    if (o.scopes) checkScopes(c, o.scopes, `${base}/oauth2/scopes`, fields, before);
  }
  if (auth.type === 'jwt-bearer') {
    const j = auth.jwtBearer;
    t(j.tokenUrl, 'jwtBearer/tokenUrl');
    map(j.tokenParams, 'jwtBearer/tokenParams');
    t(j.keyId, 'jwtBearer/keyId');
    for (const claim of ['iss', 'sub', 'aud', 'scope'] as const) t(j.claims[claim], `jwtBearer/claims/${claim}`);
    map(j.claims.additional, 'jwtBearer/claims/additional');
    checkFieldRef(c, j.algorithm, `${base}/jwtBearer/algorithm`, ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384'], lookup, false);
  }
  if (auth.type === 'aws-sigv4') {
    t(auth.awsSigV4.service, 'awsSigV4/service');
    t(auth.awsSigV4.region ?? '{region}', 'awsSigV4/region');
  }
  if (auth.type === 'oauth1') {
    for (const url of ['requestTokenUrl', 'authorizationUrl', 'accessTokenUrl'] as const) t(auth.oauth1[url], `oauth1/${url}`);
  }
  if (auth.type === 'basic') {
    t(auth.basic?.username, 'basic/username');
    t(auth.basic?.password, 'basic/password');
  }
  if ('inject' in auth && auth.inject) {
    t(auth.inject.name, 'inject/name', after);
    t(auth.inject.prefix, 'inject/prefix', after);
    checkFieldRef(c, auth.inject.in, `${base}/inject/in`, ['header', 'query'], lookup, false);
  }
  t(auth.baseUrl, 'baseUrl', after);
  if (auth.identity) checkIdentity(c, auth.identity, `${base}/identity`, after, (key) => fields.has(key));
}

function checkScopes(c: Checks, scopes: ScopesDefinition, path: string, fields: ReturnType<Checks['fieldsOf']>, resolve: Resolver): void {
  const available = new Set<string>();
  scopes.available?.forEach((s, k) => {
    if (available.has(s.value)) c.fail(`${path}/available/${k}/value`, 'duplicate-key', `scope "${s.value}" is listed twice`);
    available.add(s.value);
    c.template(s.value, `${path}/available/${k}/value`, resolve);
  });
  scopes.default?.forEach((s, k) => {
    if (!available.has(s)) c.fail(`${path}/default/${k}`, 'scope-not-available', `default scope "${s}" is not in available`);
  });
  scopes.required?.forEach((s, k) => {
    if (!available.has(s)) c.fail(`${path}/required/${k}`, 'scope-not-available', `required scope "${s}" is not in available`);
    else if (!scopes.default?.includes(s)) c.fail(`${path}/required/${k}`, 'scope-required-not-default', `required scope "${s}" must also be a default scope`);
  });
  if (scopes.prefix !== undefined) c.template(scopes.prefix, `${path}/prefix`, resolve);
  scopes.unprefixed?.forEach((s, k) => {
    if (!available.has(s)) c.fail(`${path}/unprefixed/${k}`, 'scope-not-available', `unprefixed scope "${s}" is not in available`);
  });
  if (scopes.field !== undefined) {
    const field = fields.get(scopes.field)?.field;
    if (!field) c.fail(`${path}/field`, 'unknown-field', `"${scopes.field}" is not a field of this auth type or the connector`);
    else if (field.type !== 'multiselect' && field.type !== 'string') c.fail(`${path}/field`, 'field-type', `scope field "${scopes.field}" must be a multiselect or a string`);
    else if (field.type === 'multiselect' && available.size === 0) c.fail(`${path}/available`, 'missing-options', 'a multiselect scope field needs available scopes');
  }
}

function checkIdentity(c: Checks, identity: IdentityDefinition, path: string, resolve: Resolver, hasField: (key: string) => boolean): void {
  if ('request' in identity) {
    c.template(identity.request.path, `${path}/request/path`, resolve);
    for (const part of ['query', 'headers'] as const) {
      Object.entries(identity.request[part] ?? {}).forEach(([k, v]) => c.template(v, pointerJoin(`${path}/request/${part}`, k), resolve));
    }
  }
  if ('template' in identity) c.template(identity.template, `${path}/template`, resolve);
  if (identity.when && !hasField(identity.when.field)) c.fail(`${path}/when/field`, 'unknown-field', `"${identity.when.field}" is not a connection field`);
}

/** Connector-level templates used by every auth type that does not override them. */
function checkConnectorApiTemplates(c: Checks): void {
  const def: ConnectorDefinition = c.def;
  // A placeholder may be defined for some auth types and not others: report it once, naming the auth types lacking it.
  const across = (applies: (auth: AuthTypeDefinition) => boolean): Resolver => (name) => {
    const lacking = def.auth.flatMap((auth, i) => (applies(auth) && connectionResolver(c, auth, i, true)(name) ? [auth.type] : []));
    if (lacking.length === 0) return undefined;
    if (name.startsWith('environment.')) return c.environment(name);
    return `not a field, variable or token metadata of auth type${lacking.length > 1 ? 's' : ''} ${lacking.map((t) => `"${t}"`).join(', ')}`;
  };
  if (def.baseUrl) c.template(def.baseUrl, '/baseUrl', across((a) => a.baseUrl === undefined));
  if (def.identity) {
    checkIdentity(c, def.identity, '/identity', across((a) => a.identity === undefined), (key) => c.connectionField(key) !== undefined);
  }
  Object.entries(def.http.headers ?? {}).forEach(([k, v]) => c.template(v, pointerJoin('/http/headers', k), across(() => true)));
}

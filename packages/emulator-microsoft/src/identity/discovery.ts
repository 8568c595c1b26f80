/**
 * OpenID Connect discovery, signing keys and MSAL's instance discovery, per cloud. Issuers always
 * name the real authority (they are identifiers, and must match the `iss` of id tokens);
 * endpoints point at this listener unless the emulator advertises real hosts.
 */
import type { FastifyInstance } from 'fastify';
import { hostOf } from '../clouds.ts';
import { graphBase, loginBase, loginCloudOf, type ListenerContext } from '../context.ts';
import { jwks } from '../keys.ts';
import { CONSUMER_TENANT_ID } from '../seed.ts';
import { AadError } from './errors.ts';
import { sendTokenError, traceFor } from './respond.ts';
import { resolveTenantSegment } from './tenant.ts';

/** `tenant_region_scope` of tenant-specific documents; unknown for China, so left null there. */
const REGION_SCOPE = { global: 'NA', usgov: 'USGov', china: null } as const;

export function registerDiscovery(app: FastifyInstance, l: ListenerContext): void {
  const cloud = loginCloudOf(l);

  app.get('/:tenant/v2.0/.well-known/openid-configuration', async (req, reply) => {
    const segment = (req.params as { tenant: string }).tenant;
    try {
      const scope = resolveTenantSegment(l.emu.state, segment, cloud.name);
      // Microsoft substitutes the tenant's id for a domain, and keeps the audience keywords.
      const pathTenant = scope.kind === 'tenant' ? scope.tenant.id : scope.kind;
      const issuerTenant = scope.kind === 'tenant' ? scope.tenant.id : scope.kind === 'consumers' ? CONSUMER_TENANT_ID : '{tenantid}';
      const base = `${loginBase(l)}/${pathTenant}`;
      return reply.header('cache-control', 'max-age=86400, private').send({
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        // Only the authorization code flow is emulated, so only `code` is advertised.
        response_types_supported: ['code'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `https://${cloud.issuerHost}/${issuerTenant}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${graphBase(l)}/oidc/userinfo`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
        tenant_region_scope: scope.kind === 'tenant' ? REGION_SCOPE[cloud.name] : null,
        cloud_instance_name: cloud.instanceName,
        msgraph_host: hostOf(cloud.graphRoots[0]!),
      });
    } catch (err) {
      if (err instanceof AadError) return sendTokenError(reply, err, traceFor(req, l));
      throw err;
    }
  });

  app.get('/:tenant/discovery/v2.0/keys', async (_req, reply) =>
    reply.header('cache-control', 'max-age=86400, private').send(jwks(l.emu.key, `https://${cloud.issuerHost}/{tenantid}/v2.0`)),
  );

  // MSAL validates authorities through instance discovery before its first request.
  app.get('/common/discovery/instance', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const endpoint = typeof q.authorization_endpoint === 'string' ? q.authorization_endpoint : `https://${cloud.host}/common/oauth2/v2.0/authorize`;
    const tenant = /^https?:\/\/[^/]+\/([^/]+)\//.exec(endpoint)?.[1] ?? 'common';
    return reply.send({
      tenant_discovery_endpoint: `${loginBase(l)}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: cloud.host, preferred_cache: cloud.host, aliases: [cloud.host, ...cloud.aliases] }],
    });
  });
}

/** /organization: the token's tenant, as connectors read it to label a connection. */
import type { FastifyInstance } from 'fastify';
import { graphBase, type ListenerContext } from '../context.ts';
import { principalOf } from './auth.ts';
import { GraphErrors, ODATA_JSON } from './errors.ts';

export function registerOrganization(app: FastifyInstance, l: ListenerContext): void {
  app.get('/organization', async (req, reply) => {
    const p = principalOf(req);
    const tenant = l.emu.state.tenants.get(p.tenantId);
    if (!tenant) throw GraphErrors.resourceNotFound(p.tenantId);
    const value =
      tenant.kind === 'consumer'
        ? []
        : [
            {
              id: tenant.id,
              displayName: tenant.displayName,
              tenantType: 'AAD',
              verifiedDomains: tenant.domains.map((name, i) => ({
                capabilities: 'Email, OfficeCommunicationsOnline',
                isDefault: i === 0,
                isInitial: name.endsWith('.onmicrosoft.com'),
                name,
                type: 'Managed',
              })),
            },
          ];
    return reply.type(ODATA_JSON).send({ '@odata.context': `${graphBase(l)}/v1.0/$metadata#organization`, value });
  });
}

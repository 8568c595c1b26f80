import { type Catalog, connectorSchema, summarize } from '@switchboard/catalog';
import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.ts';
import { paginate } from '../http/pagination.ts';
import { Page, PageQuery, problems } from '../http/schemas.ts';
import { Problem } from '../problems/problem.ts';

const ConnectorSummarySchema = Type.Object(
  {
    key: Type.String({ examples: ['microsoft-365'] }),
    displayName: Type.String(),
    vendor: Type.String(),
    description: Type.String(),
    categories: Type.Array(Type.String()),
    icon: Type.Optional(Type.String()),
    docsUrl: Type.Optional(Type.String()),
    lifecycle: Type.String(),
    version: Type.String(),
    authTypes: Type.Array(
      Type.Object({ type: Type.String({ description: 'Canonical auth type key.' }), label: Type.String(), default: Type.Boolean() }),
      { description: 'Auth types in definition order; exactly one is the default.' },
    ),
    hasTriggers: Type.Boolean(),
    hasHttpRequest: Type.Boolean(),
    activityCount: Type.Integer(),
    triggerCount: Type.Integer(),
  },
  { $id: 'ConnectorSummary' },
);

export function catalogRoutes(app: App, catalog: Catalog): void {
  app.addSchema(ConnectorSummarySchema);
  const tags = ['Connector catalog'];

  app.get('/api/v1/connectors', {
    schema: {
      tags, summary: 'Search the connector catalog',
      querystring: Type.Object({
        ...PageQuery,
        q: Type.Optional(Type.String({ maxLength: 200, description: 'Matches key, name, vendor and categories.' })),
        category: Type.Optional(Type.String()),
        authType: Type.Optional(Type.String({ description: 'Canonical auth type key, e.g. oauth2-client-credentials.' })),
        hasTriggers: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('ConnectorSummary')), ...problems(400, 401) },
    },
  }, async (request) => {
    const { q, category, authType, hasTriggers } = request.query;
    return paginate(catalog.list({ q, category, authType, hasTriggers }).map(summarize), request.query);
  });

  app.get('/api/v1/connectors/:key', {
    schema: {
      tags, summary: 'Get the full public definition of a connector',
      params: Type.Object({ key: Type.String() }),
      response: {
        200: Type.Object({}, { additionalProperties: true, description: 'A connector definition, as described by GET /api/v1/schemas/connector.json.' }),
        ...problems(401, 404),
      },
    },
  }, async (request) => {
    const def = catalog.get(request.params.key);
    if (!def) throw new Problem('CONNECTOR_NOT_FOUND', `No connector "${request.params.key}" is in the catalog.`);
    return catalog.publicView(def);
  });

  app.get('/api/v1/schemas/connector.json', {
    schema: {
      tags, summary: 'The JSON Schema of the connector definition format',
      response: { 200: Type.Object({}, { additionalProperties: true }) },
    },
  }, async (_request, reply) => reply.type('application/schema+json').send(connectorSchema));
}

import { Type } from '@sinclair/typebox';
import type { Folders } from '../access/folders.ts';
import type { App } from '../http/app.ts';
import { Uuid, problems } from '../http/schemas.ts';
import type { Database } from '../store/database.ts';
import type { QuotaGuard } from './quota.ts';
import { GROUP_BY, usageReport } from './report.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A UTC day, YYYY-MM-DD.' });

const figures = {
  calls: Type.Integer({ description: 'Vendor calls made (every kind, billable or not).' }),
  billable: Type.Integer({ description: 'Billable Integration Activities: successful activity calls and HTTP requests, and trigger starts.' }),
  errors: Type.Integer({ description: 'Calls that failed (an error code, or a vendor status of 400 or more).' }),
  requestBytes: Type.Integer(),
  responseBytes: Type.Integer(),
  avgDurationMs: Nullable(Type.Number()),
  p50DurationMs: Nullable(Type.Number({ description: 'Median duration of a call.' })),
  p95DurationMs: Nullable(Type.Number()),
};

const UsageReportSchema = Type.Object(
  {
    from: Day,
    to: Day,
    groupBy: Type.Array(Type.String()),
    totals: Type.Object(figures),
    items: Type.Array(Type.Object({
      day: Type.Optional(Day),
      connector: Type.Optional(Type.String()),
      folderId: Type.Optional(Uuid),
      kind: Type.Optional(Type.String()),
      ...figures,
    })),
  },
  { $id: 'UsageReport' },
);

const QuotaSchema = Type.Object(
  {
    monthlyActivityQuota: Nullable(Type.Integer({ description: 'Billable activities allowed per calendar month (UTC); null is unlimited.' })),
    source: Type.Union([Type.Literal('tenant'), Type.Literal('default')], { description: '`tenant`: set with PUT /api/v1/usage/quota; `default`: SWITCHBOARD_MONTHLY_ACTIVITY_QUOTA.' }),
    used: Type.Integer({ description: 'Billable activities this month.' }),
    remaining: Nullable(Type.Integer()),
    periodStart: Type.String({ format: 'date-time' }),
    resetsAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ActivityQuota' },
);

export function usageRoutes(app: App, deps: { db: Database; folders: Folders; quota: QuotaGuard }): void {
  app.addSchema(UsageReportSchema);
  app.addSchema(QuotaSchema);
  const tags = ['Usage'];

  app.get('/api/v1/usage', {
    schema: {
      tags,
      summary: 'Usage: calls, billable activities, errors, bytes and durations, by day, connector, folder or kind',
      description: 'Over the folders where you hold Connections.View (tenant administrators: all, including deleted folders). Days are UTC; `to` is inclusive.',
      querystring: Type.Object({
        from: Type.Optional(Day),
        to: Type.Optional(Day),
        groupBy: Type.Optional(Type.String({ pattern: `^((${GROUP_BY.join('|')})(,(${GROUP_BY.join('|')}))*)?$`, description: `Comma-separated subset of ${GROUP_BY.join(', ')}; default day,connector,folder. Empty: totals only.` })),
        folderId: Type.Optional(Uuid),
        connector: Type.Optional(Type.String({ maxLength: 100 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('UsageReport'), ...problems(400, 401, 404) },
    },
  }, async (request) => usageReport(deps.db, deps.folders, request.principal, request.query));

  app.get('/api/v1/usage/quota', {
    schema: { tags, summary: "Your tenant's monthly activity quota and what is used of it", response: { 200: Type.Ref('ActivityQuota'), ...problems(401) } },
  }, async (request) => deps.quota.status(request.principal.tenantId));

  app.put('/api/v1/usage/quota', {
    schema: {
      tags,
      summary: "Set your tenant's monthly activity quota (tenant administrators)",
      description: 'Overrides SWITCHBOARD_MONTHLY_ACTIVITY_QUOTA for this tenant; null is unlimited. When it is used up, vendor calls fail with QUOTA_EXCEEDED (429) until the next month.',
      body: Type.Object({ monthlyActivityQuota: Nullable(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      response: { 200: Type.Ref('ActivityQuota'), ...problems(400, 401, 403) },
    },
  }, async (request) => deps.quota.setTenantQuota(request.principal, request.body.monthlyActivityQuota));

  app.delete('/api/v1/usage/quota', {
    schema: { tags, summary: "Return your tenant to the service's default quota (tenant administrators)", response: { 200: Type.Ref('ActivityQuota'), ...problems(401, 403) } },
  }, async (request) => deps.quota.setTenantQuota(request.principal, undefined));
}

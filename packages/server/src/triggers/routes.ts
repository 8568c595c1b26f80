import { type TSchema, Type } from '@sinclair/typebox';
import type { App } from '../http/app.ts';
import { Page, PageQuery, Uuid, problems } from '../http/schemas.ts';
import { FILTER_OPS } from './filters/builder.ts';
import type { FilterInput as FilterValue, TriggerService } from './service.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

const Condition = Type.Object(
  {
    field: Type.String({ minLength: 1, description: 'A JSON Pointer (/sender/address) or a dotted path (sender.address; headers.x-event for webhook headers).' }),
    op: Type.Union(FILTER_OPS.map((op) => Type.Literal(op))),
    value: Type.Optional(Type.Unknown({ description: 'Compared value: a number for gt/ge/lt/le, an array for in, true/false for exists (default true).' })),
  },
  { additionalProperties: false },
);
/** Groups nest (an "any" inside an "all"); the schema checks two levels, the compiler any depth. */
const Group = (inner: TSchema) => Type.Union([
  Type.Object({ all: Type.Array(inner, { minItems: 1 }) }, { additionalProperties: false }),
  Type.Object({ any: Type.Array(inner, { minItems: 1 }) }, { additionalProperties: false }),
]);
const FilterBuilder = Group(Type.Union([Condition, Group(Type.Union([Condition, Type.Object({}, { additionalProperties: true })]))]));
const FilterInput = Type.Union([
  Type.String({ minLength: 1, maxLength: 4000, description: 'A JMESPath expression evaluated on the event record.' }),
  FilterBuilder,
  Type.Null(),
], { description: 'Which events start automations: JMESPath text, or conditions combined with all/any (compiled to JMESPath). null: every event.' });

const TargetSchema = Type.Union([
  Type.Object({ type: Type.Literal('webhook'), url: Type.String({ maxLength: 2000, description: 'http(s) URL receiving each event as a POST signed per Standard Webhooks.' }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('queue') }, { additionalProperties: false, description: 'A pull queue: read GET .../events?state=pending, then acknowledge.' }),
]);

const StartFrom = Type.Union([
  Type.Literal('now', { description: 'Only changes after the trigger is created.' }),
  Type.Object({ backfill: Type.Integer({ minimum: 1, maximum: 1000, description: 'Also fire the newest n existing records on the first poll.' }) }, { additionalProperties: false }),
]);

const TriggerSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    folderId: Uuid,
    connectionId: Uuid,
    connector: Type.String(),
    trigger: Nullable(Type.String({ description: "The connector's trigger key." })),
    object: Nullable(Type.String()),
    event: Type.String({ description: 'created, updated, deleted, or the connector\'s event.' }),
    mode: Type.Union([Type.Literal('polling'), Type.Literal('webhook')]),
    input: Type.Record(Type.String(), Type.Unknown()),
    filter: Nullable(Type.Object({ expression: Type.String({ description: 'The JMESPath that runs.' }), builder: Nullable(Type.Unknown({ description: 'The structured filter it was compiled from.' })) })),
    target: TargetSchema,
    status: Type.Union([Type.Literal('Enabled'), Type.Literal('Disabled')]),
    disabledReason: Nullable(Type.String({ description: 'disabled (by a person) or too_many_failures.' })),
    statusMessage: Nullable(Type.String()),
    startFrom: StartFrom,
    webhookUrl: Nullable(Type.String({ description: 'Webhook triggers: the public URL events are sent to.' })),
    subscription: Nullable(Type.Object({ vendorId: Nullable(Type.String()), status: Type.String(), expiresAt: Nullable(DateTime), lastError: Nullable(Type.String()) })),
    health: Type.Object({
      polls: Type.Integer(),
      consecutiveFailures: Type.Integer(),
      totalFailures: Type.Integer(),
      lastPolledAt: Nullable(DateTime),
      lastSuccessAt: Nullable(DateTime),
      lastFailureAt: Nullable(DateTime),
      lastError: Nullable(Type.String()),
    }),
    events: Type.Object({
      lastOccurredAt: Nullable(DateTime),
      pending: Type.Integer({ description: 'Waiting: in the pull queue, or for their next delivery attempt.' }),
      dead: Type.Integer({ description: 'Dead letters: not delivered within 24 hours; replay them.' }),
    }, { description: 'Its stored events at a glance.' }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Trigger' },
);

const CreatedTriggerSchema = Type.Intersect([
  Type.Ref('Trigger'),
  Type.Object({ signingSecret: Nullable(Type.String({ description: 'whsec_... key of the webhook signatures; shown only now (and when a webhook target is first set).' })) }),
]);

const EventState = Type.Union([Type.Literal('pending'), Type.Literal('delivering'), Type.Literal('delivered'), Type.Literal('dead'), Type.Literal('acked')]);

const EnvelopeSchema = Type.Object(
  {
    id: Uuid,
    triggerId: Uuid,
    connectionId: Uuid,
    connector: Type.String(),
    event: Type.String(),
    objectType: Nullable(Type.String()),
    objectId: Nullable(Type.String()),
    occurredAt: DateTime,
    record: Type.Unknown(),
  },
  { $id: 'TriggerEventPayload', description: 'What a target receives; `id` is stable across retries and replays.' },
);

const EventSchema = Type.Object(
  {
    id: Uuid,
    event: Type.String(),
    objectType: Nullable(Type.String()),
    objectId: Nullable(Type.String()),
    occurredAt: DateTime,
    state: EventState,
    delivery: Type.Union([Type.Literal('webhook'), Type.Literal('queue')]),
    attempts: Type.Integer(),
    nextAttemptAt: Nullable(DateTime),
    lastAttemptAt: Nullable(DateTime),
    lastStatus: Nullable(Type.Integer()),
    lastError: Nullable(Type.String()),
    finishedAt: Nullable(DateTime),
    createdAt: DateTime,
    payload: Type.Ref('TriggerEventPayload'),
  },
  { $id: 'TriggerEvent' },
);

export function triggerRoutes(app: App, triggers: TriggerService): void {
  app.addSchema(TriggerSchema);
  app.addSchema(EnvelopeSchema);
  app.addSchema(EventSchema);
  const tags = ['Triggers'];
  const IdParams = Type.Object({ id: Type.String() });

  app.post('/api/v1/triggers', {
    schema: {
      tags,
      summary: 'Create a trigger',
      description: "A trigger listens to one event of a connection (a trigger of its connector, or a record created/updated/deleted on one of its objects), keeps the events its filter passes, and delivers them to a webhook or a pull queue. Needs Triggers.Create in the connection's folder and Connections.View on the connection. Webhook targets get a signing secret, returned only here.",
      body: Type.Object({
        connectionId: Uuid,
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        trigger: Type.Optional(Type.String({ minLength: 1, description: "A trigger key of the connector (GET /api/v1/connectors/{key})." })),
        object: Type.Optional(Type.String({ minLength: 1, description: 'With event: a generic record event on this object.' })),
        event: Type.Optional(Type.String({ minLength: 1, description: 'created, updated or deleted (with object).' })),
        input: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The trigger's parameters (its input schema)." })),
        filter: Type.Optional(FilterInput),
        target: TargetSchema,
        startFrom: Type.Optional(StartFrom),
        enabled: Type.Optional(Type.Boolean({ default: true })),
      }, { additionalProperties: false }),
      response: { 201: CreatedTriggerSchema, ...problems(400, 401, 403, 404, 502) },
    },
  }, async (request, reply) => reply.status(201).send(await triggers.create(request.principal, { ...request.body, filter: request.body.filter as FilterValue })));

  app.get('/api/v1/triggers', {
    schema: {
      tags, summary: 'List triggers in the folders you can see',
      querystring: Type.Object({
        folderId: Type.Optional(Uuid),
        connectionId: Type.Optional(Uuid),
        status: Type.Optional(Type.Union([Type.Literal('Enabled'), Type.Literal('Disabled')])),
        ...PageQuery,
      }, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('Trigger')), ...problems(400, 401, 404) },
    },
  }, async (request) => triggers.list(request.principal, request.query));

  app.get('/api/v1/triggers/:id', {
    schema: { tags, summary: 'Get a trigger', params: IdParams, response: { 200: Type.Ref('Trigger'), ...problems(401, 404) } },
  }, async (request) => triggers.get(request.principal, request.params.id));

  app.patch('/api/v1/triggers/:id', {
    schema: {
      tags, summary: 'Enable or disable a trigger, or change its name, filter or target', params: IdParams,
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        enabled: Type.Optional(Type.Boolean()),
        filter: Type.Optional(FilterInput),
        target: Type.Optional(TargetSchema),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: CreatedTriggerSchema, ...problems(400, 401, 403, 404, 502) },
    },
  }, async (request) => triggers.update(request.principal, request.params.id, { ...request.body, filter: request.body.filter as FilterValue | undefined }));

  app.delete('/api/v1/triggers/:id', {
    schema: { tags, summary: 'Delete a trigger (and its vendor subscription and events)', params: IdParams, response: { 204: Type.Null(), ...problems(401, 403, 404) } },
  }, async (request, reply) => {
    await triggers.delete(request.principal, request.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/triggers/:id/events', {
    schema: {
      tags, summary: 'Recent events with their delivery state',
      description: 'state=pending lists a pull queue oldest first (acknowledge with POST .../events/ack); state=dead lists dead letters (replay them).',
      params: IdParams,
      querystring: Type.Object({ state: Type.Optional(EventState), ...PageQuery }, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('TriggerEvent')), ...problems(400, 401, 404) },
    },
  }, async (request) => triggers.events(request.principal, request.params.id, request.query));

  app.post('/api/v1/triggers/:id/events/ack', {
    schema: {
      tags, summary: 'Acknowledge pull-queue events', params: IdParams,
      body: Type.Object({ ids: Type.Array(Type.String(), { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ acked: Type.Array(Type.String()), unknown: Type.Array(Type.String({ description: 'Ids not pending in this queue (unknown, or acknowledged before).' })) }), ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => triggers.ack(request.principal, request.params.id, request.body.ids));

  app.post('/api/v1/triggers/:id/events/:eventId/replay', {
    schema: {
      tags, summary: 'Deliver an event again (same id, new 24-hour retry window)',
      params: Type.Object({ id: Type.String(), eventId: Type.String() }),
      response: { 200: Type.Ref('TriggerEvent'), ...problems(401, 403, 404, 409) },
    },
  }, async (request) => triggers.replay(request.principal, request.params.id, request.params.eventId));

  app.post('/api/v1/triggers/:id/test', {
    schema: {
      tags, summary: 'Test a trigger without side effects',
      description: 'Polling triggers read the newest records from the vendor (no cursor change, nothing stored or delivered). Webhook triggers evaluate a sample payload. Each item says whether the filter passes it.',
      params: IdParams,
      body: Type.Optional(Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 5 })),
        payload: Type.Optional(Type.Unknown({ description: 'Webhook triggers: a sample body.' })),
        headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Webhook triggers: sample headers.' })),
      }, { additionalProperties: false })),
      response: {
        200: Type.Object({ filter: Nullable(Type.String()), items: Type.Array(Type.Object({ matchesFilter: Type.Boolean(), event: Type.Ref('TriggerEventPayload') })) }),
        ...problems(401, 403, 404, 409, 502),
      },
    },
  }, async (request) => triggers.test(request.principal, request.params.id, request.body ?? {}));

  app.get('/api/v1/triggers/:id/notices', {
    schema: {
      tags, summary: 'What happened to the trigger (trigger.disabled, subscription.recreated, event.dead-lettered ...)', params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, type: Type.String(), payload: Type.Record(Type.String(), Type.Unknown()), createdAt: DateTime })) }), ...problems(401, 404) },
    },
  }, async (request) => ({ items: await triggers.notices(request.principal, request.params.id) }));
}

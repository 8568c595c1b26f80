import type { ConnectorDefinition, JsonSchema, PollingDefinition, TriggerDefinition, WebhookDefinition } from '@switchboard/catalog';
import { Problem } from '../problems/problem.ts';
import './errors.ts';

/**
 * What a trigger listens to, resolved from the connector definition: a trigger the connector
 * declares, or a generic record event (created, updated, deleted) on one of its objects, which
 * becomes a poll of the object's collection. The definition drives everything downstream.
 */
export interface EventSource {
  mode: 'polling' | 'webhook';
  triggerKey: string | null;
  objectKey: string | null;
  /** What the trigger fires: created, updated, deleted, or the connector's own event name. */
  event: string;
  /** Name for the usage ledger and request logs. */
  operation: string;
  inputSchema: (JsonSchema & { type: 'object' }) | undefined;
  polling?: PollingDefinition;
  webhook?: WebhookDefinition;
  definition?: TriggerDefinition;
}

export const RECORD_EVENTS = ['created', 'updated', 'deleted'] as const;

export function resolveSource(connector: ConnectorDefinition, request: { trigger?: string | undefined; object?: string | undefined; event?: string | undefined }): EventSource {
  if (request.trigger !== undefined) {
    const def = connector.triggers.find((t) => t.key === request.trigger);
    if (!def) {
      throw unknown('/body/trigger', `${connector.displayName} has no trigger "${request.trigger}"${connector.triggers.length ? ` (it has ${connector.triggers.map((t) => t.key).join(', ')})` : ''}.`);
    }
    return fromDefinition(def);
  }
  if (request.object === undefined || request.event === undefined) {
    throw new Problem('VALIDATION_FAILED', 'Name a `trigger` of the connector, or an `object` and an `event` (created, updated or deleted).', {
      errors: [{ path: '/body/trigger', message: 'give trigger, or object and event', rule: 'one-of' }],
    });
  }
  return fromObject(connector, request.object, request.event);
}

function fromDefinition(def: TriggerDefinition): EventSource {
  const common = { triggerKey: def.key, objectKey: def.object ?? null, event: def.event, operation: def.key, inputSchema: def.input, definition: def };
  return def.mode === 'polling' ? { ...common, mode: 'polling', polling: def.polling } : { ...common, mode: 'webhook', webhook: def.webhook };
}

/**
 * A record event on a declared object: the connector's own trigger for that object and event
 * when it has one (it knows the vendor's best way), else a poll of the object's collection that
 * tells changes by the object's modification time. Deletions need the vendor to report them,
 * which only a trigger definition can say how.
 */
function fromObject(connector: ConnectorDefinition, objectKey: string, event: string): EventSource {
  const object = connector.objects?.find((o) => o.key === objectKey);
  if (!object) throw unknown('/body/object', `${connector.displayName} has no object "${objectKey}".`);
  if (!(RECORD_EVENTS as readonly string[]).includes(event)) throw unknown('/body/event', 'A record event is created, updated or deleted.');
  const declared = connector.triggers.find((t) => t.object === objectKey && t.event === event);
  if (declared) return fromDefinition(declared);
  if (event === 'deleted') throw unknown('/body/event', `${connector.displayName} does not report deletions of ${object.displayName} records.`);
  if (!object.operations.includes('list')) throw unknown('/body/object', `${object.displayName} records cannot be listed, so their changes cannot be polled.`);
  if (!object.updatedField) throw unknown('/body/object', `${object.displayName} records carry no modification time, so their changes cannot be told.`);
  if (event === 'created' && !object.createdField) throw unknown('/body/event', `${object.displayName} records carry no creation time, so new ones cannot be told from changed ones.`);
  const pagination = object.pagination ?? connector.pagination;
  const odata = object.queryLanguage === 'odata';
  const polling: PollingDefinition = {
    request: {
      method: 'GET',
      path: object.path,
      // OData vendors filter and sort on the server; others answer their list and the cursor filters.
      ...(odata ? { query: { $filter: `${object.updatedField} ge {watermark}`, $orderby: `${object.updatedField} asc` } } : {}),
    },
    recordsPath: pagination?.recordsPath ?? '',
    idPath: `/${escape(object.idField)}`,
    timestampPath: `/${escape(object.updatedField)}`,
    ...(object.createdField ? { createdPath: `/${escape(object.createdField)}` } : {}),
    watermark: { format: 'iso8601', overlapSeconds: 60 },
  };
  return { mode: 'polling', triggerKey: null, objectKey, event, operation: `${objectKey}.${event}`, inputSchema: undefined, polling };
}

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unknown(path: string, message: string): Problem {
  return new Problem('TRIGGER_EVENT_UNKNOWN', message, { errors: [{ path, message, rule: 'known-event' }] });
}

/** The kinds of change a trigger fires on: its own event, or any new or changed record for a connector-specific event. */
/**
 * The polling trigger a webhook trigger catches up with: the one its definition names, else the
 * connector's polling trigger for the same object and event. Undefined when there is none.
 */
export function companionOf(connector: ConnectorDefinition, source: EventSource): EventSource | undefined {
  const named = source.webhook?.catchUp?.trigger;
  const def = named !== undefined
    ? connector.triggers.find((t) => t.key === named && t.mode === 'polling')
    : connector.triggers.find((t) => t.mode === 'polling' && t.event === source.event && t.object !== undefined && t.object === source.objectKey);
  return def ? fromDefinition(def) : undefined;
}

/** Notifications of this webhook trigger only signal a change; its catch-up poll produces the events. */
export function signalsOnly(source: EventSource): boolean {
  return source.webhook?.catchUp?.signal === true;
}

export function firesOn(event: string): ReadonlySet<'created' | 'updated' | 'deleted'> {
  if (event === 'created' || event === 'updated' || event === 'deleted') return new Set([event]);
  return new Set(['created', 'updated']);
}

import type { ActivityDefinition, Catalog, ConnectorDefinition, JsonSchema } from '@switchboard/catalog';
import type { FastifyBaseLogger } from 'fastify';
import type { Principal } from '../access/principal.ts';
import type { Connections } from '../connections/service.ts';
import { Problem } from '../problems/problem.ts';
import { ActivityDirectory, type ActivityKind } from './directory.ts';
import './errors.ts';
import { ActivityExecutor, type ExecutorDeps, type FileResult, defaultPagination } from './executor.ts';
import { InputValidator } from './input.ts';
import type { Truncation } from './pagination.ts';
import { BUILT_IN_STEPS, type StepRegistry } from './steps/index.ts';

/** An activity as the API lists it: what it does and the JSON Schemas of its input and output. */
export interface ActivityView {
  key: string;
  displayName: string;
  description: string;
  kind: ActivityKind;
  curated: boolean;
  category?: string;
  object?: string;
  scopes?: string[];
  input: JsonSchema;
  output: JsonSchema;
  /** Lists that may take several vendor pages (maxRecords, meta.truncated apply). */
  paginated: boolean;
  /** Returns a file: base64 in JSON, or the bytes with Accept: application/octet-stream. */
  binary: boolean;
  /** Runs a named step of several vendor requests (e.g. an upload session). */
  composite: boolean;
}

export interface ActivityMeta {
  requestId: string;
  pages: number;
  calls: number;
  durationMs: number;
  truncated?: Truncation;
}

export interface ActivityResult {
  output: unknown;
  file?: FileResult;
  meta: ActivityMeta;
}

export interface ActivityRuntimeDeps extends Omit<ExecutorDeps, 'steps'> {
  catalog: Catalog;
  connections: Connections;
  logger: FastifyBaseLogger;
  steps?: StepRegistry;
}

/**
 * The activity runtime: lists a connector's activities and runs one for a connection. Order
 * of a call: the connection must be visible, the activity must exist, the input must be valid
 * (nothing is sent otherwise), then credentials are obtained and the activity runs.
 */
export class ActivityRuntime {
  readonly directory = new ActivityDirectory();
  private readonly validator = new InputValidator();
  private readonly executor: ActivityExecutor;
  private readonly steps: StepRegistry;

  constructor(private readonly deps: ActivityRuntimeDeps) {
    this.steps = deps.steps ?? BUILT_IN_STEPS;
    this.executor = new ActivityExecutor({ ...deps, steps: this.steps });
    // A built-in connector naming a step this build lacks is a packaging defect: refuse to start.
    for (const def of deps.catalog.list()) {
      for (const { definition } of this.directory.entries(def)) {
        if (definition.handler && !this.steps.has(definition.handler)) {
          throw new Error(`Connector "${def.key}" activity "${definition.key}" names the step "${definition.handler}", which is not registered (known: ${[...this.steps.keys()].join(', ')})`);
        }
      }
    }
  }

  connector(key: string): ConnectorDefinition {
    const def = this.deps.catalog.get(key);
    if (!def) throw new Problem('CONNECTOR_NOT_FOUND', `No connector "${key}" is in the catalog.`);
    return def;
  }

  describe(connectorKey: string): ActivityView[] {
    const def = this.connector(connectorKey);
    return this.directory.entries(def).map(({ definition, kind }) => view(def, definition, kind));
  }

  describeOne(connectorKey: string, activityKey: string): ActivityView {
    const def = this.connector(connectorKey);
    const entry = this.directory.get(def, activityKey);
    if (!entry) throw notFound(def, activityKey);
    return view(def, entry.definition, entry.kind);
  }

  async invoke(principal: Principal, connectionId: string, activityKey: string, rawInput: unknown, options: { requestId: string; wantFile?: boolean }): Promise<ActivityResult> {
    const started = performance.now();
    const connection = await this.deps.connections.get(principal, connectionId);
    const connector = this.deps.connections.connectorOf(connection.connector);
    const entry = this.directory.get(connector, activityKey);
    if (!entry) throw notFound(connector, activityKey);
    const activity = entry.definition;
    if (options.wantFile && !activity.response?.binary) {
      throw new Problem('ACTIVITY_NOT_BINARY', `${activity.displayName} returns JSON, not a file; ask for application/json.`);
    }
    const input = this.validator.check(activity.input, rawInput);
    if (activity.handler) this.steps.get(activity.handler)?.check?.({ connector, activity, input });

    const access = await this.deps.connections.accessById(principal, connectionId);
    const result = await this.executor.execute({ connector, activity, input, row: access.row, ctx: access.ctx, requestId: options.requestId, wantFile: options.wantFile ?? false });
    const durationMs = Math.round((performance.now() - started) * 100) / 100;

    if (!result.file) this.checkOutput(connector, activity, result.output);
    this.deps.logger.info(
      { requestId: options.requestId, connectionId, connector: connector.key, activity: activity.key, pages: result.pages, calls: result.calls, durationMs, ...(result.truncated ? { truncated: result.truncated.reason } : {}) },
      'activity',
    );
    return {
      output: result.output,
      ...(result.file ? { file: result.file } : {}),
      meta: { requestId: options.requestId, pages: result.pages, calls: result.calls, durationMs, ...(result.truncated ? { truncated: result.truncated } : {}) },
    };
  }

  /**
   * Outputs are returned as the vendor sent them (shaped by response.expr), not stripped to the
   * output schema: vendors add fields, and a schema that lags behind must not hide data. A
   * mismatch is logged for the connector's maintainers (paths and rules only, never values).
   */
  private checkOutput(connector: ConnectorDefinition, activity: ActivityDefinition, output: unknown): void {
    const errors = this.validator.errors(activity.output, output, '/output');
    if (errors.length) {
      this.deps.logger.warn({ connector: connector.key, activity: activity.key, errors: errors.slice(0, 5) }, 'activity output does not match its output schema');
    }
  }
}

function view(def: ConnectorDefinition, a: ActivityDefinition, kind: ActivityKind): ActivityView {
  const pagination = defaultPagination(def, a);
  return {
    key: a.key,
    displayName: a.displayName,
    description: a.description,
    kind,
    curated: a.curated,
    ...(a.category ? { category: a.category } : {}),
    ...(a.object ? { object: a.object } : {}),
    ...(a.scopes ? { scopes: [...a.scopes] } : {}),
    input: a.input,
    output: a.output,
    paginated: pagination !== undefined && pagination.style !== 'none',
    binary: a.response?.binary === true,
    composite: a.handler !== undefined,
  };
}

function notFound(def: ConnectorDefinition, key: string): Problem {
  return new Problem('ACTIVITY_NOT_FOUND', `${def.displayName} has no activity "${key}". GET /api/v1/connectors/${def.key}/activities lists them.`);
}

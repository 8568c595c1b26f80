import { ConnectorDefinitionError } from './errors.ts';
import { loadBuiltInConnectors } from './load.ts';
import { connectorSchema } from './schema.ts';
import type { AuthTypeName, Category, ConnectorDefinition, Lifecycle } from './types.ts';
import { assertValidConnector } from './validate.ts';

export interface ListFilter {
  /** Case-insensitive substring of the key, display name, vendor or a category. */
  q?: string;
  /** A category, case-insensitive. */
  category?: string;
  /** Only connectors offering this auth type. */
  authType?: string;
  /** Only connectors with (true) or without (false) triggers. */
  hasTriggers?: boolean;
}

/** The catalogue row of a connector (GET /connectors). */
export interface ConnectorSummary {
  key: string;
  displayName: string;
  vendor: string;
  description: string;
  categories: Category[];
  icon?: string;
  lifecycle: Lifecycle;
  version: string;
  authTypes: Array<{ type: AuthTypeName; label: string; default: boolean }>;
  hasHttpRequest: boolean;
  hasTriggers: boolean;
  activityCount: number;
  triggerCount: number;
  docsUrl?: string;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function withoutNotes<T extends { notes?: string }>(item: T): T {
  const { notes: _internal, ...rest } = item;
  return rest as T;
}

/**
 * The definition as published: everything except internal maintainer notes (definitions hold no
 * secrets), with $schema pointing at the published schema instead of the repository file.
 */
export function publicView(def: ConnectorDefinition): ConnectorDefinition {
  const view = withoutNotes(def);
  view.$schema = String(connectorSchema.$id);
  view.auth = def.auth.map(withoutNotes);
  view.activities = def.activities.map(withoutNotes);
  // A trigger about an object delivers that object's records unless it says otherwise.
  view.triggers = def.triggers.map((t) => {
    const output = t.output ?? def.objects?.find((o) => o.key === t.object)?.schema;
    return withoutNotes(output ? { ...t, output } : t);
  });
  if (def.objects) view.objects = def.objects.map(withoutNotes);
  return view;
}

export function summarize(def: ConnectorDefinition): ConnectorSummary {
  const defaultIndex = Math.max(0, def.auth.findIndex((a) => a.default === true));
  return {
    key: def.key,
    displayName: def.displayName,
    vendor: def.vendor,
    description: def.description,
    categories: [...def.categories],
    ...(def.icon === undefined ? {} : { icon: def.icon }),
    ...(def.docsUrl === undefined ? {} : { docsUrl: def.docsUrl }),
    lifecycle: def.lifecycle,
    version: def.version,
    authTypes: def.auth.map((a, i) => ({ type: a.type, label: a.label, default: i === defaultIndex })),
    hasHttpRequest: def.http.offered,
    hasTriggers: def.triggers.length > 0,
    activityCount: def.activities.length,
    triggerCount: def.triggers.length,
  };
}

/** In-memory catalogue: the built-in connectors plus custom ones registered at run time. */
export class Catalog {
  readonly #defs = new Map<string, ConnectorDefinition>();
  readonly #builtIn = new Set<string>();

  /** `builtIns` must already be valid (loadBuiltInConnectors validates). */
  constructor(builtIns: readonly ConnectorDefinition[] = []) {
    for (const def of builtIns) {
      if (this.#defs.has(def.key)) throw new Error(`built-in connector "${def.key}" is defined twice`);
      this.#defs.set(def.key, deepFreeze(structuredClone(def)));
      this.#builtIn.add(def.key);
    }
  }

  static withBuiltIns(): Catalog {
    return new Catalog(loadBuiltInConnectors());
  }

  get(key: string): ConnectorDefinition | undefined {
    return this.#defs.get(key);
  }

  isBuiltIn(key: string): boolean {
    return this.#builtIn.has(key);
  }

  /** Connectors matching every given filter, by display name. */
  list(filter: ListFilter = {}): ConnectorDefinition[] {
    const q = filter.q?.trim().toLowerCase();
    const category = filter.category?.toLowerCase();
    return [...this.#defs.values()]
      .filter((d) => !q || [d.key, d.displayName, d.vendor, ...d.categories].some((s) => s.toLowerCase().includes(q)))
      .filter((d) => !category || d.categories.some((c) => c.toLowerCase() === category))
      .filter((d) => !filter.authType || d.auth.some((a) => a.type === filter.authType))
      .filter((d) => filter.hasTriggers === undefined || d.triggers.length > 0 === filter.hasTriggers)
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en'));
  }

  /**
   * Validates and adds a custom connector (e.g. from the Connector Builder). Throws
   * ConnectorDefinitionError when invalid, when the key is a built-in, or when it exists and replace is not set.
   */
  register(def: unknown, options: { replace?: boolean; source?: string } = {}): ConnectorDefinition {
    const valid = assertValidConnector(def, options.source);
    const clash = (message: string) => new ConnectorDefinitionError([{ connector: valid.key, path: '/key', rule: 'duplicate-connector', message }]);
    if (this.#builtIn.has(valid.key)) throw clash(`"${valid.key}" is a built-in connector and cannot be replaced`);
    if (this.#defs.has(valid.key) && !options.replace) throw clash(`a connector "${valid.key}" is already registered`);
    const stored = deepFreeze(structuredClone(valid));
    this.#defs.set(valid.key, stored);
    return stored;
  }

  /** Removes a custom connector; built-ins cannot be removed. Returns whether one was removed. */
  unregister(key: string): boolean {
    if (this.#builtIn.has(key)) throw new Error(`"${key}" is a built-in connector and cannot be removed`);
    return this.#defs.delete(key);
  }

  publicView(def: ConnectorDefinition): ConnectorDefinition {
    return publicView(def);
  }
}

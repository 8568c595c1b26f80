import type { ActivityDefinition, ConnectorDefinition } from '@switchboard/catalog';
import { recordActivities } from './records.ts';

export type ActivityKind = 'curated' | 'operation' | 'record';

export interface ActivityEntry {
  definition: ActivityDefinition;
  /** curated and operation: declared in the connector; record: derived from one of its objects. */
  kind: ActivityKind;
}

/**
 * Every activity a connector offers: those it declares plus the generic record activities of
 * its objects. A declared activity wins over a derived one of the same key, so a connector can
 * replace e.g. list-message with a hand-made version. Computed once per definition object
 * (custom connectors replaced at run time are new objects).
 */
export class ActivityDirectory {
  private readonly cache = new WeakMap<ConnectorDefinition, Map<string, ActivityEntry>>();

  entries(def: ConnectorDefinition): ActivityEntry[] {
    return [...this.index(def).values()];
  }

  get(def: ConnectorDefinition, key: string): ActivityEntry | undefined {
    return this.index(def).get(key);
  }

  private index(def: ConnectorDefinition): Map<string, ActivityEntry> {
    let index = this.cache.get(def);
    if (!index) {
      index = new Map();
      for (const definition of def.activities) index.set(definition.key, { definition, kind: definition.curated ? 'curated' : 'operation' });
      for (const definition of recordActivities(def)) if (!index.has(definition.key)) index.set(definition.key, { definition, kind: 'record' });
      this.cache.set(def, index);
    }
    return index;
  }
}

import type { ConnectorDefinition } from '@switchboard/catalog/types';
import { api, enc, getAll } from './client.ts';
import type { ConnectorSummary } from './types.ts';

/** The catalog changes only when a connector is published, so one load per page view is plenty. */
let summaries: Promise<ConnectorSummary[]> | undefined;
const definitions = new Map<string, Promise<ConnectorDefinition>>();

export function connectorSummaries(): Promise<ConnectorSummary[]> {
  summaries ??= getAll<ConnectorSummary>('/api/v1/connectors').catch((error) => {
    summaries = undefined;
    throw error;
  });
  return summaries;
}

export function connectorDefinition(key: string): Promise<ConnectorDefinition> {
  let found = definitions.get(key);
  if (!found) {
    found = api.get<ConnectorDefinition>(`/api/v1/connectors/${enc(key)}`).catch((error) => {
      definitions.delete(key);
      throw error;
    });
    definitions.set(key, found);
  }
  return found;
}

export function authTypeLabel(summary: ConnectorSummary | undefined, type: string): string {
  return summary?.authTypes.find((a) => a.type === type)?.label ?? type;
}

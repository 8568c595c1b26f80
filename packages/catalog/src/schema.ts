import { readFileSync } from 'node:fs';

/** URL of the JSON file, for tools that want to serve or copy it. */
export const connectorSchemaUrl = new URL('../schema/connector.schema.json', import.meta.url);

/** The connector definition JSON Schema (draft 2020-12), as published at GET /api/v1/schemas/connector.json. */
export const connectorSchema: Readonly<Record<string, unknown>> = JSON.parse(readFileSync(connectorSchemaUrl, 'utf8'));

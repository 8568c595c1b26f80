import { readdirSync, readFileSync } from 'node:fs';
import { ConnectorDefinitionError } from './errors.ts';
import type { ConnectorDefinition } from './types.ts';
import { assertValidConnector } from './validate.ts';

/** Folder of the built-in connector files. */
export const builtInConnectorsDir = new URL('../connectors/', import.meta.url);

/**
 * Parses (when given text) and validates one definition. `source` names it in errors (a file name,
 * or "upload" for the Connector Builder). Throws ConnectorDefinitionError.
 */
export function loadConnector(json: string | unknown, source: string): ConnectorDefinition {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new ConnectorDefinitionError([{ connector: source, path: '', rule: 'json-syntax', message: `not valid JSON: ${(error as Error).message}` }]);
    }
  }
  return assertValidConnector(value, source);
}

/**
 * Reads and validates every *.json file of a folder, sorted by file name; each file must be named
 * <key>.json. Throws ConnectorDefinitionError on the first invalid file, listing all of its problems.
 */
export function loadConnectorDirectory(dir: URL): ConnectorDefinition[] {
  const folder = dir.href.endsWith('/') ? dir : new URL(`${dir.href}/`);
  const files = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
  return files.map((file) => {
    const def = loadConnector(readFileSync(new URL(file, folder), 'utf8'), file);
    if (file !== `${def.key}.json`) {
      throw new ConnectorDefinitionError([{ connector: def.key, path: '/key', rule: 'file-name', message: `the file ${file} must be named ${def.key}.json` }]);
    }
    return def;
  });
}

/** The built-in connectors (connectors/*.json). A broken built-in must stop the server at start, hence the throw. */
export function loadBuiltInConnectors(): ConnectorDefinition[] {
  return loadConnectorDirectory(builtInConnectorsDir);
}

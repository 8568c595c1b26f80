// Semantic checks: what JSON Schema cannot express (uniqueness, cross-references, templates).
import type { Problem } from '../ajv-errors.ts';
import type { ConnectorDefinition } from '../types.ts';
import { checkAuthTypes } from './auth.ts';
import { Checks } from './context.ts';
import { checkEnvironments } from './environments.ts';
import { checkFields } from './fields.ts';
import { checkOperations } from './operations.ts';

/** Runs every semantic check on a schema-valid definition. */
export function checkSemantics(def: ConnectorDefinition): Problem[] {
  const c = new Checks(def);
  checkFields(c);
  checkEnvironments(c);
  checkAuthTypes(c);
  checkOperations(c);
  checkBaseUrl(c);
  return c.problems;
}

function checkBaseUrl(c: Checks): void {
  const def = c.def;
  if (def.baseUrl !== undefined) return;
  const lacking = def.auth.filter((a) => a.baseUrl === undefined).map((a) => a.type);
  if (lacking.length === 0) return;
  const identityRequest = [def.identity, ...def.auth.map((a) => a.identity)].some((id) => id !== undefined && 'request' in id);
  const callsApi =
    def.http.offered ||
    def.activities.length > 0 ||
    (def.objects?.length ?? 0) > 0 ||
    identityRequest ||
    def.triggers.some((t) => t.mode === 'polling' || t.webhook.subscription !== undefined);
  if (callsApi) c.fail('/baseUrl', 'required', `required property "baseUrl" is missing: the connector calls its API (auth types without their own base URL: ${lacking.join(', ')})`);
}

/** `@microsoft.graph.conflictBehavior`, from the body or the query string: fail, replace or rename. */
import type { ConflictBehavior } from '../../data/files/drive.ts';
import type { Json } from '../../input.ts';
import type { GraphCall } from '../call.ts';
import { FileErrors } from './errors.ts';

const NAME = '@microsoft.graph.conflictbehavior';

export function conflictBehavior(call: GraphCall, body: Json | undefined, fallback: ConflictBehavior): ConflictBehavior {
  const fromBody = body ? Object.entries(body).find(([k]) => k.toLowerCase() === NAME)?.[1] : undefined;
  const raw = fromBody ?? call.option(NAME);
  if (raw === undefined) return fallback;
  const v = String(raw).toLowerCase();
  if (v !== 'fail' && v !== 'replace' && v !== 'rename') throw FileErrors.invalidRequest(`Invalid value '${String(raw)}' for @microsoft.graph.conflictBehavior; use fail, replace or rename.`);
  return v;
}

/** Drives: a user's OneDrive, a site's library, one by id, and the lists of drives. */
import { requireFiles, RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { collectionResponse, entityResponse } from '../odata/collection.ts';
import type { Route } from '../router/match.ts';
import { resolveSite } from '../sites/site-access.ts';
import { resolveUser } from '../target.ts';
import { openDrive } from './drive-access.ts';
import { DRIVE_SCHEMA } from './schema.ts';
import { driveJson } from './serialize.ts';

const get: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesRead);
  return entityResponse(call, driveJson(call, ctx.drive), { schema: DRIVE_SCHEMA, context: `${call.metadata}#drives/$entity`, alwaysSelected: ['id'] });
};

function listUserDrives(call: GraphCall): GraphResult {
  const target = resolveUser(call, call.match.user!, 'directory');
  requireFiles(call.principal, RULES.filesRead, target.self);
  const drive = call.store.userDrive(target.user);
  return collectionResponse(call, [driveJson(call, drive)], { schema: DRIVE_SCHEMA, context: `${call.metadata}#drives`, defaultPageSize: 200, maxTop: 1000, paging: 'skiptoken', alwaysSelected: ['id'] });
}

function listSiteDrives(call: GraphCall): GraphResult {
  const site = resolveSite(call, call.match.site!);
  requireFiles(call.principal, RULES.filesRead, false);
  const drives = [...site.lists.values()].filter((l) => l.driveId).map((l) => driveJson(call, call.store.drives.get(l.driveId!)!));
  return collectionResponse(call, drives, { schema: DRIVE_SCHEMA, context: `${call.metadata}#drives`, defaultPageSize: 200, maxTop: 1000, paging: 'skiptoken', alwaysSelected: ['id'] });
}

export const DRIVE_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{drive}', methods: { GET: get } },
  { pattern: '{user}/drives', methods: { GET: listUserDrives } },
  { pattern: '{site}/drives', methods: { GET: listSiteDrives } },
];

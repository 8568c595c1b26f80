/**
 * File content. GET answers 302 with a pre-authenticated download URL, as Graph does, which
 * serves the bytes without a token (`?format=pdf` converts first). PUT is the simple upload: to an existing file it replaces
 * the bytes (200, same id); to a new path (`{parent-id}:/{name}:/content`,
 * `root:/Folder/name:/content`) it creates the file (201), with conflictBehavior replace unless
 * the query says otherwise.
 */
import { PDF_SOURCES } from '../../data/files/pdf.ts';
import { RULES } from '../access.ts';
import { GraphError } from '../errors.ts';
import type { GraphHandler } from '../call.ts';
import type { Route } from '../router/match.ts';
import { conflictBehavior } from './conflict.ts';
import { checkIfMatch, openDrive, resolveForWrite, resolveItem } from './drive-access.ts';
import { FileErrors } from './errors.ts';
import { driveErrors, itemEntity } from './items.ts';
import { downloadUrl } from './serialize.ts';

/** The documented simple-upload limit. */
const SIMPLE_UPLOAD_LIMIT = 250 * 1024 * 1024;

const download: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesRead);
  const item = resolveItem(ctx, call.match.item!);
  if (item.kind !== 'file') throw FileErrors.invalidRequest('A folder has no content to download.');
  const format = call.option('format');
  if (format === undefined) return { status: 302, headers: { location: downloadUrl(call, ctx.drive, item) } };
  // `?format=pdf`: 302 to the converted file, for the source types Graph documents.
  if (format.toLowerCase() !== 'pdf') throw FileErrors.invalidRequest(`The format '${format}' is not supported; use pdf.`);
  const ext = item.name.split('.').pop()?.toLowerCase() ?? '';
  if (!PDF_SOURCES.has(ext)) throw new GraphError(406, 'notSupported', `Converting '.${ext}' files to pdf is not supported.`);
  return { status: 302, headers: { location: downloadUrl(call, ctx.drive, item, 'pdf') } };
};

const upload: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesWrite);
  const target = resolveForWrite(ctx, call.match.item!);
  const bytes = call.raw();
  if (bytes.length > SIMPLE_UPLOAD_LIMIT) throw FileErrors.invalidRequest('Simple upload supports files up to 250 MB; use an upload session.');
  if (target.existing?.kind === 'folder') throw FileErrors.nameAlreadyExists('A folder with the same name already exists.');
  if (target.existing) checkIfMatch(call, target.existing);
  const { item, created } = driveErrors(() => ctx.drive.putFile(target.parent, target.name, bytes, ctx.by, conflictBehavior(call, undefined, 'replace')));
  return itemEntity(call, ctx, item, created ? 201 : 200);
};

export const CONTENT_ROUTES: Route<GraphHandler>[] = [{ pattern: '{drive}/{item}/content', methods: { GET: download, PUT: upload } }];

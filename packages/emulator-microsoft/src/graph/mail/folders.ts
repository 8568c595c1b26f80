/**
 * Mail folders: the top-level list (children of the mailbox root), one folder by id or
 * well-known name, child folders, and creating, renaming and deleting folders. Hidden folders
 * show only with `includeHiddenFolders=true`; well-known folders cannot be deleted.
 */
import { optionalBoolean, optionalString } from '../../input.ts';
import type { StoredFolder } from '../../data/mail/model.ts';
import { GraphError } from '../errors.ts';
import { RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { collectionResponse, entityResponse } from '../odata/collection.ts';
import { OutlookErrors } from '../outlook-errors.ts';
import type { Route } from '../router/match.ts';
import { getFolder, mailContext, openMailbox, type MailContext } from './mailbox-access.ts';
import { MAIL_FOLDER_SCHEMA } from './schema.ts';
import { folderJson } from './serialize.ts';

function listChildren(call: GraphCall, parentRef: string, context: string): GraphResult {
  const ctx = openMailbox(call, RULES.mailRead);
  const parent = getFolder(ctx.mailbox, parentRef);
  const hidden = (call.option('includeHiddenFolders') ?? '').toLowerCase() === 'true';
  const items = ctx.mailbox.childFolders(parent.id, hidden).map((f) => folderJson(ctx.mailbox, f));
  return collectionResponse(call, items, { schema: MAIL_FOLDER_SCHEMA, context: mailContext(call, ctx, context), defaultPageSize: 10, maxTop: 1000, paging: 'skip', alwaysSelected: ['id'] });
}

function one(call: GraphCall, ctx: MailContext, f: StoredFolder, status = 200): GraphResult {
  return entityResponse(call, folderJson(ctx.mailbox, f), { schema: MAIL_FOLDER_SCHEMA, context: mailContext(call, ctx, 'mailFolders/$entity'), alwaysSelected: ['id'], status });
}

function create(call: GraphCall, parentRef: string): GraphResult {
  const ctx = openMailbox(call, RULES.mailWrite);
  const parent = getFolder(ctx.mailbox, parentRef);
  const o = call.json();
  const name = optionalString(o, 'displayName', 'mailFolder');
  if (!name) throw OutlookErrors.invalidRequest("The 'displayName' property is required.");
  if (ctx.mailbox.findChildFolder(parent.id, name)) throw OutlookErrors.folderExists(name);
  return one(call, ctx, ctx.mailbox.createFolder(parent.id, name, optionalBoolean(o, 'isHidden', 'mailFolder') ?? false), 201);
}

const get: GraphHandler = (call) => {
  const ctx = openMailbox(call, RULES.mailRead);
  return one(call, ctx, getFolder(ctx.mailbox, call.param('folderId')));
};

const update: GraphHandler = (call) => {
  const ctx = openMailbox(call, RULES.mailWrite);
  const f = getFolder(ctx.mailbox, call.param('folderId'));
  const name = optionalString(call.json(), 'displayName', 'mailFolder');
  if (name !== undefined) {
    const clash = ctx.mailbox.findChildFolder(f.parentId ?? '', name);
    if (clash && clash.id !== f.id) throw OutlookErrors.folderExists(name);
    ctx.mailbox.renameFolder(f, name);
  }
  return one(call, ctx, f);
};

const remove: GraphHandler = (call) => {
  const ctx = openMailbox(call, RULES.mailWrite);
  const f = getFolder(ctx.mailbox, call.param('folderId'));
  if (f.wellKnownName) throw new GraphError(400, 'ErrorDeleteDistinguishedFolder', 'Distinguished folders cannot be deleted.');
  ctx.mailbox.deleteFolder(f);
  return { status: 204 };
};

export const FOLDER_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{user}/mailFolders', methods: { GET: (c) => listChildren(c, 'msgfolderroot', 'mailFolders'), POST: (c) => create(c, 'msgfolderroot') } },
  {
    pattern: '{user}/mailFolders/:folderId/childFolders',
    methods: {
      GET: (c) => listChildren(c, c.param('folderId'), `mailFolders('${c.param('folderId')}')/childFolders`),
      POST: (c) => create(c, c.param('folderId')),
    },
  },
  { pattern: '{user}/mailFolders/:folderId', methods: { GET: get, PATCH: update, DELETE: remove } },
];

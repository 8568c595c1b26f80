/**
 * Message delta: GET {user}/mailFolders/{id}/messages/delta (reference doc, "Delta query
 * (messages)"). Delta is per folder. The first round lists the folder's messages newest first;
 * later rounds list what changed since, one entry per message with its current state, and
 * `@removed` for messages deleted from the folder or moved out of it (a move gives the message
 * a new id in the other folder, where it shows up as created).
 * Options (fixed by the first request, then carried in the tokens): `changeType` (created,
 * updated or deleted: which changes later rounds report), `$select`, `$top`, `$expand=attachments`,
 * `$filter` on `receivedDateTime ge|gt`, and `$orderby=receivedDateTime desc`.
 */
import type { StoredMessage } from '../../data/mail/model.ts';
import { allowed, RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { GraphErrors } from '../errors.ts';
import { getFolder, openMailbox, type MailContext } from '../mail/mailbox-access.ts';
import { MESSAGE_SCHEMA } from '../mail/schema.ts';
import { bodyPreference, messageJson, type MessageView } from '../mail/serialize.ts';
import type { Entity } from '../odata/collection.ts';
import { parseSelect, project } from '../odata/select.ts';
import type { Route } from '../router/match.ts';
import { invalidDeltaFilter, invalidDeltaOrderBy, unsupportedWithDelta } from './errors.ts';
import { DEFAULT_DELTA_PAGE, pageSize, removedEntry, roundOf, serveRound, type TrackedCollection } from './round.ts';
import { readToken, type SkipToken, type SyncToken } from './tokens.ts';
import { netChanges } from './window.ts';

const ALWAYS = ['@odata.etag', 'id'] as const;
const CHANGE_TYPES = ['created', 'updated', 'deleted'];

interface ReceivedFilter {
  op: 'ge' | 'gt';
  at: number;
}

/** `receivedDateTime ge 2016-07-21T00:00:00Z` (the literal may be quoted); nothing else. */
function parseReceivedFilter(text: string): ReceivedFilter {
  const m = /^\s*receivedDateTime\s+(ge|gt)\s+'?([0-9T:.+\-Z]+)'?\s*$/i.exec(text);
  const at = m ? Date.parse(/T/.test(m[2]!) && !/(Z|[+-]\d\d:?\d\d)$/i.test(m[2]!) ? `${m[2]}Z` : m[2]!) : NaN;
  if (!m || !Number.isFinite(at)) throw invalidDeltaFilter();
  return { op: m[1]!.toLowerCase() as 'ge' | 'gt', at };
}

/** The query options of a round's first request, validated, as they travel in the tokens. */
function readOptions(call: GraphCall): Record<string, string> {
  const refused = ['$search', '$skip', '$count'].filter((o) => call.option(o) !== undefined);
  if (refused.length > 0) throw unsupportedWithDelta('Messages', refused);
  const options: Record<string, string> = {};
  const changeType = call.option('changetype');
  if (changeType !== undefined) {
    if (!CHANGE_TYPES.includes(changeType.toLowerCase())) throw GraphErrors.invalidQueryValue('changeType', changeType);
    options.changeType = changeType.toLowerCase();
  }
  const select = call.option('$select');
  if (select !== undefined && select.trim() !== '') {
    parseSelect(select, MESSAGE_SCHEMA);
    options.select = select;
  }
  const filter = call.option('$filter');
  if (filter !== undefined && filter.trim() !== '') {
    parseReceivedFilter(filter);
    options.filter = filter;
  }
  const orderBy = call.option('$orderby');
  if (orderBy !== undefined && orderBy.trim() !== '' && !/^\s*receivedDateTime\s+desc\s*$/i.test(orderBy)) throw invalidDeltaOrderBy();
  const expand = call.option('$expand');
  if (expand !== undefined && expand.trim() !== '') {
    if (expand.trim().toLowerCase() !== 'attachments') throw GraphErrors.badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${expand.trim()}' on type 'microsoft.graph.message'.`);
    options.expand = 'attachments';
  }
  const topText = call.option('$top');
  if (topText !== undefined) {
    const top = Number(topText);
    if (!/^\d+$/.test(topText.trim()) || top < 1 || top > 1000) throw GraphErrors.invalidQueryValue('$top', topText);
    options.top = String(top);
  }
  return options;
}

function receivedAt(m: StoredMessage): number {
  return m.receivedAt ?? m.createdAt;
}

/** The messages of one folder as a tracked collection, serialized the way GET message does. */
function trackedFolder(call: GraphCall, ctx: MailContext, folderId: string, round: SkipToken): TrackedCollection {
  const o = round.o;
  const filter = o.filter ? parseReceivedFilter(o.filter) : undefined;
  const passes = (m: StoredMessage) => !filter || (filter.op === 'ge' ? receivedAt(m) >= filter.at : receivedAt(m) > filter.at);
  const select = parseSelect(o.select, MESSAGE_SCHEMA);
  const view: MessageView = {
    bodyType: bodyPreference(call),
    basic: !allowed(call.principal, RULES.mailReadContent, ctx.self),
    expandAttachments: o.expand === 'attachments',
  };
  const json = (m: StoredMessage): Entity => project(messageJson(call, m, view), select, ALWAYS);
  const log = call.store.changes;
  return {
    items: () =>
      ctx.mailbox
        .messagesIn(folderId)
        .filter(passes)
        .sort((a, b) => receivedAt(b) - receivedAt(a) || (a.id < b.id ? -1 : 1))
        .map((m) => ({ key: { at: receivedAt(m), id: m.id }, json: () => json(m) })),
    // Newest first, ties by id.
    follows: (key, cursor) => key.at < cursor.at || (key.at === cursor.at && key.id > cursor.id),
    changes: (from, to) =>
      netChanges(log, from, to, { userId: ctx.user.id, resource: 'message', container: folderId }).filter((c) => !o.changeType || c.net === o.changeType),
    entries: (change) => {
      if (change.net === 'deleted') return [removedEntry('message', change.id)];
      const m = ctx.mailbox.message(change.id);
      // Gone since the round's window closed: the next round reports the removal.
      if (!m || m.folderId !== folderId || !passes(m)) return [];
      return [json(m)];
    },
  };
}

function messageDelta(call: GraphCall): GraphResult {
  const ctx = openMailbox(call, RULES.mailRead);
  const folder = getFolder(ctx.mailbox, call.param('folderId'));
  const log = call.store.changes;
  const sync = call.store.sync;
  const text = call.option('$deltatoken') ?? call.option('deltatoken') ?? call.option('$skiptoken');
  let token: SyncToken;
  if (text !== undefined) token = readToken(text, { kind: 'messages', userId: ctx.user.id, container: folder.id }, sync, log);
  else {
    const options = readOptions(call);
    // $top alone sets the page size; with Prefer the smaller wins (as collection paging does).
    const n = options.top ? Number(options.top) : DEFAULT_DELTA_PAGE;
    token = { t: 'skip', g: sync.generation, k: 'messages', u: ctx.user.id, c: folder.id, o: options, n, from: null, to: log.latest, cursor: null, offset: 0, sub: 0 };
  }
  const round = roundOf(token, log.latest);
  const size = Math.min(pageSize(call, round.n), round.o.top ? Number(round.o.top) : Infinity);
  return serveRound(call, round, trackedFolder(call, ctx, folder.id, round), size, `${call.metadata}#Collection(message)`);
}

export const MESSAGE_DELTA_ROUTES: Route<GraphHandler>[] = [{ pattern: '{user}/mailFolders/:folderId/messages/delta', methods: { GET: messageDelta } }];

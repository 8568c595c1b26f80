/** Outlook contacts: list, get, create (201), update, delete (204), for /me and /users/{id}. */
import { CONTACT_PROPERTIES, readContactFields, type ContactStore, type StoredContact } from '../../data/contacts/contact-store.ts';
import { changeKey, isOutlookId } from '../../data/ids.ts';
import type { Json } from '../../input.ts';
import { requireOutlook, RULES, type PermissionRule } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { isoSeconds } from '../format.ts';
import { etag } from '../mail/serialize.ts';
import { collectionResponse, entityResponse } from '../odata/collection.ts';
import { T, type EntitySchema } from '../odata/schema.ts';
import { OutlookErrors } from '../outlook-errors.ts';
import type { Route } from '../router/match.ts';
import { mailboxNotEnabled, resolveUser, userSegment } from '../target.ts';

const address = T.complex('microsoft.graph.physicalAddress', { street: T.string, city: T.string, state: T.string, countryOrRegion: T.string, postalCode: T.string });
const STRING_LISTS = new Set(['homePhones', 'businessPhones', 'imAddresses', 'children', 'categories']);

export const CONTACT_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.contact',
  unknownProperty: OutlookErrors.unknownProperty('Contact'),
  props: {
    id: T.string,
    createdDateTime: T.datetime,
    lastModifiedDateTime: T.datetime,
    changeKey: T.string,
    parentFolderId: T.string,
    ...Object.fromEntries(
      CONTACT_PROPERTIES.map((p) => [
        p,
        STRING_LISTS.has(p) ? T.collection(T.string) : p.endsWith('Address') ? address : p === 'emailAddresses' ? T.collection(T.complex('microsoft.graph.emailAddress', { name: T.string, address: T.string })) : T.string,
      ]),
    ),
  },
};

export function contactJson(c: StoredContact): Record<string, unknown> {
  const f = c.fields;
  const empty = (key: string) => (STRING_LISTS.has(key) || key === 'emailAddresses' ? [] : key.endsWith('Address') ? {} : null);
  return {
    '@odata.etag': etag(c.id, c.version),
    id: c.id,
    createdDateTime: isoSeconds(c.createdAt),
    lastModifiedDateTime: isoSeconds(c.modifiedAt),
    changeKey: changeKey(c.id, c.version),
    categories: f.categories ?? [],
    parentFolderId: c.folderId,
    ...Object.fromEntries(CONTACT_PROPERTIES.filter((p) => p !== 'categories').map((p) => [p, structuredClone(f[p] ?? empty(p))])),
    fileAs: f.fileAs ?? '',
  };
}

function open(call: GraphCall, rule: PermissionRule): { store: ContactStore; context: string } {
  const { user, self } = resolveUser(call, call.match.user!, 'outlook');
  requireOutlook(call.principal, rule, self);
  if (!call.store.hasMailbox(user)) throw mailboxNotEnabled();
  return { store: call.store.contacts(user), context: `${call.metadata}#${userSegment(user)}/contacts` };
}

function find(store: ContactStore, id: string): StoredContact {
  const c = store.contact(id);
  if (c) return c;
  throw isOutlookId(id) ? OutlookErrors.itemNotFound() : OutlookErrors.idMalformed();
}

function body(call: GraphCall): Json {
  const o = call.json();
  for (const key of Object.keys(o)) {
    if (key.startsWith('@odata') || CONTACT_SCHEMA.props[key]) continue;
    throw OutlookErrors.unknownBodyProperty(key, 'Contact');
  }
  return o;
}

const one = (call: GraphCall, context: string, c: StoredContact, status = 200): GraphResult =>
  entityResponse(call, contactJson(c), { schema: CONTACT_SCHEMA, context: `${context}/$entity`, alwaysSelected: ['@odata.etag', 'id'], status });

const list: GraphHandler = (call) => {
  const { store, context } = open(call, RULES.contactsRead);
  const items = store
    .list()
    .sort((a, b) => String(a.fields.displayName ?? '').localeCompare(String(b.fields.displayName ?? '')))
    .map(contactJson);
  return collectionResponse(call, items, { schema: CONTACT_SCHEMA, context, defaultPageSize: 10, maxTop: 1000, paging: 'skip', alwaysSelected: ['@odata.etag', 'id'] });
};

const create: GraphHandler = (call) => {
  const { store, context } = open(call, RULES.contactsWrite);
  return one(call, context, store.add(readContactFields(body(call), 'contact')), 201);
};

const get: GraphHandler = (call) => {
  const { store, context } = open(call, RULES.contactsRead);
  return one(call, context, find(store, call.param('contactId')));
};

const update: GraphHandler = (call) => {
  const { store, context } = open(call, RULES.contactsWrite);
  const c = find(store, call.param('contactId'));
  return one(call, context, store.update(c, readContactFields(body(call), 'contact')));
};

const remove: GraphHandler = (call) => {
  const { store } = open(call, RULES.contactsWrite);
  store.remove(find(store, call.param('contactId')));
  return { status: 204 };
};

export const CONTACT_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{user}/contacts', methods: { GET: list, POST: create } },
  { pattern: '{user}/contacts/:contactId', methods: { GET: get, PATCH: update, DELETE: remove } },
];


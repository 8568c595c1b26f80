/**
 * SharePoint list operations. Every list has SharePoint's built-in Title column; other columns
 * are typed, and values are checked against the type the way SharePoint does when Graph writes
 * `fields` (a number column takes a number, a choice column one of its choices).
 */
import { InputError, type Json } from '../../input.ts';
import { CodedInputError } from '../errors.ts';
import type { Identity } from '../files/model.ts';
import { guid } from '../ids.ts';
import { recordChange, type OwnerContext } from '../owner.ts';
import type { ColumnType, ListColumn, StoredList, StoredListItem, StoredSite } from './model.ts';

export const TITLE_COLUMN: Omit<ListColumn, 'id'> = { name: 'Title', displayName: 'Title', type: 'text', required: true, indexed: false };

/** Read-only fields SharePoint returns on every item; clients may not set them. */
export const SYSTEM_FIELDS = new Set(['id', 'ContentType', 'Created', 'Modified', 'AuthorLookupId', 'EditorLookupId', '_UIVersionString', 'Attachments', 'Edit', 'LinkTitleNoMenu', 'LinkTitle', 'ItemChildCount', 'FolderChildCount', '_ComplianceFlags', '_ComplianceTag', '_ComplianceTagWrittenTime', '_ComplianceTagUserId', 'AppAuthorLookupId', 'AppEditorLookupId']);

const COLUMN_TYPES: readonly ColumnType[] = ['text', 'note', 'number', 'currency', 'boolean', 'dateTime', 'choice'];

export function readColumn(value: unknown, path: string): Omit<ListColumn, 'id'> {
  if (typeof value !== 'object' || value === null) throw new InputError(`${path} must be a column object`);
  const c = value as Json;
  const name = c.name;
  if (typeof name !== 'string' || !/^[A-Za-z_][\w]*$/.test(name)) throw new InputError(`${path}.name must be an internal column name (letters, digits, _)`);
  const type = c.type ?? 'text';
  if (!(COLUMN_TYPES as readonly unknown[]).includes(type)) throw new InputError(`${path}.type must be one of ${COLUMN_TYPES.join(', ')}`);
  const choices = c.choices;
  if (type === 'choice' && (!Array.isArray(choices) || choices.some((x) => typeof x !== 'string'))) throw new InputError(`${path}.choices must list the choices`);
  return {
    name,
    displayName: typeof c.displayName === 'string' ? c.displayName : name,
    type: type as ColumnType,
    required: c.required === true,
    indexed: c.indexed === true,
    ...(type === 'choice' ? { choices: choices as string[] } : {}),
  };
}

export function listColumn(list: StoredList, name: string): ListColumn | undefined {
  const lower = name.toLowerCase();
  return list.columns.find((c) => c.name.toLowerCase() === lower);
}

function unrecognized(name: string): CodedInputError {
  return new CodedInputError(`field '${name}' is not a column of the list`, 'invalidRequest', `Field '${name}' is not recognized`);
}

function coerce(column: ListColumn, value: unknown): unknown {
  if (value === null) return null;
  const wrong = () => new CodedInputError(`field '${column.name}' must be of type ${column.type}`, 'invalidRequest', `Invalid request: the value of field '${column.name}' is not valid for a ${column.type} column.`);
  switch (column.type) {
    case 'number':
    case 'currency':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      throw wrong();
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw wrong();
    case 'dateTime': {
      if (typeof value !== 'string' || !Number.isFinite(Date.parse(value))) throw wrong();
      return new Date(Date.parse(value)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'choice':
      if (typeof value === 'string' && (column.choices ?? []).includes(value)) return value;
      throw wrong();
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw wrong();
  }
}

/** Validates a `fields` object against the list's columns; names are matched case-insensitively. */
export function readFields(list: StoredList, value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${path} must be an object of column values`);
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value as Json)) {
    if (name.startsWith('@odata')) continue;
    const column = listColumn(list, name);
    if (!column) {
      if (SYSTEM_FIELDS.has(name)) continue;
      throw unrecognized(name);
    }
    out[column.name] = coerce(column, v);
  }
  return out;
}

export class ListEditor {
  constructor(private readonly owner: OwnerContext) {}

  createList(site: StoredSite, input: { name: string; displayName: string; description?: string; columns: Omit<ListColumn, 'id'>[]; id?: string }, by: Identity): StoredList {
    const now = this.owner.now();
    const list: StoredList = {
      id: input.id ?? guid(),
      siteId: site.id,
      name: input.name,
      displayName: input.displayName,
      description: input.description ?? '',
      template: 'genericList',
      createdAt: now,
      modifiedAt: now,
      createdBy: by,
      columns: [TITLE_COLUMN, ...input.columns.filter((c) => c.name.toLowerCase() !== 'title')].map((c) => ({ ...c, id: guid([site.id, input.name, c.name]) })),
      items: new Map(),
      nextItemId: 1,
    };
    site.lists.set(list.id, list);
    recordChange(this.owner, 'created', 'list', list.id, { scope: site.id });
    return list;
  }

  addItem(list: StoredList, fields: Record<string, unknown>, by: Identity): StoredListItem {
    for (const c of list.columns) {
      if (c.required && (fields[c.name] === undefined || fields[c.name] === null || fields[c.name] === '')) {
        throw new CodedInputError(`field '${c.name}' is required`, 'invalidRequest', `Field '${c.name}' is required.`);
      }
    }
    const now = this.owner.now();
    const item: StoredListItem = { id: String(list.nextItemId++), createdAt: now, modifiedAt: now, createdBy: by, modifiedBy: by, version: 1, fields: { ...fields }, uniqueId: guid() };
    list.items.set(item.id, item);
    list.modifiedAt = now;
    recordChange(this.owner, 'created', 'listItem', item.id, { container: list.id, scope: list.siteId });
    return item;
  }

  updateItem(list: StoredList, item: StoredListItem, fields: Record<string, unknown>, by: Identity): StoredListItem {
    Object.assign(item.fields, fields);
    item.version++;
    item.modifiedAt = this.owner.now();
    item.modifiedBy = by;
    list.modifiedAt = item.modifiedAt;
    recordChange(this.owner, 'updated', 'listItem', item.id, { container: list.id, scope: list.siteId });
    return item;
  }

  deleteItem(list: StoredList, item: StoredListItem): void {
    list.items.delete(item.id);
    list.modifiedAt = this.owner.now();
    recordChange(this.owner, 'deleted', 'listItem', item.id, { container: list.id, scope: list.siteId });
  }
}

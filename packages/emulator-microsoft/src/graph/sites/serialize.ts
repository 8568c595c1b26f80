/** SharePoint records → Graph JSON (site, list, columnDefinition, listItem, fieldValueSet). */
import { createHash } from 'node:crypto';
import type { ListColumn, StoredList, StoredListItem, StoredSite } from '../../data/sites/model.ts';
import type { GraphStore } from '../../data/store.ts';
import { identitySet } from '../files/serialize.ts';
import { isoSeconds } from '../format.ts';

export function siteJson(store: GraphStore, s: StoredSite): Record<string, unknown> {
  return {
    createdDateTime: isoSeconds(s.createdAt),
    description: s.description,
    id: s.id,
    lastModifiedDateTime: isoSeconds(s.modifiedAt),
    name: s.name,
    webUrl: store.siteUrl(s),
    displayName: s.displayName,
    ...(s.serverRelativePath === '/' ? { root: {} } : {}),
    siteCollection: { hostname: s.id.split(',')[0] },
  };
}

const listTag = (l: StoredList) => `"${l.id},${Math.max(1, l.items.size)}"`;

export function listWebUrl(store: GraphStore, site: StoredSite, l: StoredList): string {
  return l.template === 'documentLibrary' ? `${store.siteUrl(site)}/Shared%20Documents` : `${store.siteUrl(site)}/Lists/${encodeURIComponent(l.name)}`;
}

export function columnJson(c: ListColumn): Record<string, unknown> {
  const facet: Record<string, unknown> =
    c.type === 'text' || c.type === 'note'
      ? { text: { allowMultipleLines: c.type === 'note', appendChangesToExistingText: false, linesForEditing: c.type === 'note' ? 6 : 0, maxLength: c.type === 'note' ? 63999 : 255 } }
      : c.type === 'number'
        ? { number: { decimalPlaces: 'automatic', displayAs: 'number', maximum: 1.7976931348623157e308, minimum: -1.7976931348623157e308 } }
        : c.type === 'currency'
          ? { currency: { locale: 'en-US' } }
          : c.type === 'boolean'
            ? { boolean: {} }
            : c.type === 'dateTime'
              ? { dateTime: { displayAs: 'default', format: 'dateTime' } }
              : { choice: { allowTextEntry: false, choices: [...(c.choices ?? [])], displayAs: 'dropDownMenu' } };
  return {
    columnGroup: 'Custom Columns',
    description: '',
    displayName: c.displayName,
    enforceUniqueValues: false,
    hidden: false,
    id: c.id,
    indexed: c.indexed,
    name: c.name,
    readOnly: false,
    required: c.required,
    ...facet,
  };
}

export function listJson(store: GraphStore, site: StoredSite, l: StoredList, expandColumns = false): Record<string, unknown> {
  return {
    '@odata.etag': listTag(l),
    createdDateTime: isoSeconds(l.createdAt),
    description: l.description,
    eTag: listTag(l),
    id: l.id,
    lastModifiedDateTime: isoSeconds(l.modifiedAt),
    name: l.name,
    webUrl: listWebUrl(store, site, l),
    displayName: l.displayName,
    createdBy: identitySet(l.createdBy),
    parentReference: { siteId: site.id },
    list: { contentTypesEnabled: false, hidden: false, template: l.template },
    ...(expandColumns ? { columns: l.columns.map(columnJson) } : {}),
  };
}

/** SharePoint's per-site user lookup id: a small stable integer per user. */
function lookupId(userId: string): string {
  return String(6 + (createHash('sha256').update(userId).digest()[0]! % 50));
}

const itemTag = (i: StoredListItem) => `"${i.uniqueId},${i.version}"`;

export function fieldsJson(l: StoredList, i: StoredListItem, select?: string[]): Record<string, unknown> {
  const title = (i.fields.Title as string | undefined) ?? '';
  const all: Record<string, unknown> = {
    '@odata.etag': itemTag(i),
    ...Object.fromEntries(l.columns.filter((c) => i.fields[c.name] !== undefined && i.fields[c.name] !== null).map((c) => [c.name, i.fields[c.name]])),
    id: i.id,
    ContentType: 'Item',
    Modified: isoSeconds(i.modifiedAt),
    Created: isoSeconds(i.createdAt),
    AuthorLookupId: lookupId(i.createdBy.id),
    EditorLookupId: lookupId(i.modifiedBy.id),
    _UIVersionString: `${i.version}.0`,
    Attachments: false,
    Edit: '',
    LinkTitleNoMenu: title,
    LinkTitle: title,
    ItemChildCount: '0',
    FolderChildCount: '0',
    _ComplianceFlags: '',
    _ComplianceTag: '',
    _ComplianceTagWrittenTime: '',
    _ComplianceTagUserId: '',
  };
  if (!select) return all;
  const wanted = new Set(select.map((s) => s.toLowerCase()));
  return Object.fromEntries(Object.entries(all).filter(([k]) => k === '@odata.etag' || wanted.has(k.toLowerCase())));
}

export function listItemJson(store: GraphStore, site: StoredSite, l: StoredList, i: StoredListItem, fields?: { select?: string[] }): Record<string, unknown> {
  return {
    '@odata.etag': itemTag(i),
    createdDateTime: isoSeconds(i.createdAt),
    eTag: itemTag(i),
    id: i.id,
    lastModifiedDateTime: isoSeconds(i.modifiedAt),
    webUrl: `${listWebUrl(store, site, l)}/${i.id}_.000`,
    createdBy: identitySet(i.createdBy),
    lastModifiedBy: identitySet(i.modifiedBy),
    parentReference: { id: l.id, siteId: site.id },
    contentType: { id: '0x0100', name: 'Item' },
    ...(fields ? { fields: fieldsJson(l, i, fields.select) } : {}),
  };
}

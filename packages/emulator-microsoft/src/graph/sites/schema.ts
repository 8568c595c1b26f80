/** Query schemas of sites, lists, columns and list items (`fields` is open: any column). */
import { IDENTITY_SET } from '../files/schema.ts';
import { T, type EntitySchema } from '../odata/schema.ts';

export const SITE_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.site',
  props: { createdDateTime: T.datetime, description: T.string, id: T.string, lastModifiedDateTime: T.datetime, name: T.string, webUrl: T.string, displayName: T.string, root: T.open, siteCollection: T.open },
};

export const LIST_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.list',
  props: {
    '@odata.etag': T.string,
    createdDateTime: T.datetime,
    description: T.string,
    eTag: T.string,
    id: T.string,
    lastModifiedDateTime: T.datetime,
    name: T.string,
    webUrl: T.string,
    displayName: T.string,
    createdBy: IDENTITY_SET,
    parentReference: T.open,
    list: T.complex('microsoft.graph.listInfo', { contentTypesEnabled: T.boolean, hidden: T.boolean, template: T.string }),
    columns: T.collection(T.open),
    drive: T.open,
  },
};

export const COLUMN_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.columnDefinition',
  props: { id: T.string, name: T.string, displayName: T.string, description: T.string, indexed: T.boolean, required: T.boolean, readOnly: T.boolean, hidden: T.boolean, columnGroup: T.string, enforceUniqueValues: T.boolean },
};

export const LIST_ITEM_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.listItem',
  props: {
    '@odata.etag': T.string,
    createdDateTime: T.datetime,
    eTag: T.string,
    id: T.string,
    lastModifiedDateTime: T.datetime,
    webUrl: T.string,
    createdBy: IDENTITY_SET,
    lastModifiedBy: IDENTITY_SET,
    parentReference: T.open,
    contentType: T.complex('microsoft.graph.contentTypeInfo', { id: T.string, name: T.string }),
    fields: T.open,
  },
};

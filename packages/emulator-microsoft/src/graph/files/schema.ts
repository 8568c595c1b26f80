/** Query schemas of drives, drive items and sharing permissions. */
import { T, type EntitySchema, type PropType } from '../odata/schema.ts';

const identity = T.complex('microsoft.graph.identity', { id: T.string, displayName: T.string, email: T.string });
export const IDENTITY_SET: PropType = T.complex('microsoft.graph.identitySet', { user: identity, application: identity });

export const DRIVE_ITEM_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.driveItem',
  props: {
    '@microsoft.graph.downloadUrl': T.string,
    createdDateTime: T.datetime,
    eTag: T.string,
    id: T.string,
    lastModifiedDateTime: T.datetime,
    name: T.string,
    description: T.string,
    webUrl: T.string,
    cTag: T.string,
    size: T.number,
    createdBy: IDENTITY_SET,
    lastModifiedBy: IDENTITY_SET,
    parentReference: T.complex('microsoft.graph.itemReference', { driveId: T.string, driveType: T.string, id: T.string, name: T.string, path: T.string, siteId: T.string }),
    file: T.complex('microsoft.graph.file', { mimeType: T.string, hashes: T.open }),
    folder: T.complex('microsoft.graph.folder', { childCount: T.number }),
    root: T.open,
    fileSystemInfo: T.complex('microsoft.graph.fileSystemInfo', { createdDateTime: T.datetime, lastModifiedDateTime: T.datetime }),
    shared: T.open,
    children: T.collection(T.open),
  },
};

export const DRIVE_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.drive',
  props: {
    createdDateTime: T.datetime,
    description: T.string,
    id: T.string,
    lastModifiedDateTime: T.datetime,
    name: T.string,
    webUrl: T.string,
    driveType: T.string,
    createdBy: IDENTITY_SET,
    lastModifiedBy: IDENTITY_SET,
    owner: IDENTITY_SET,
    quota: T.open,
  },
};

export const PERMISSION_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.permission',
  props: { id: T.string, roles: T.collection(T.string), link: T.open, grantedToIdentities: T.open, hasPassword: T.boolean, shareId: T.string },
};

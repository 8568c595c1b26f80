/** SharePoint sites, lists, columns and list items. */
import type { Identity } from '../files/model.ts';

export type ColumnType = 'text' | 'note' | 'number' | 'currency' | 'boolean' | 'dateTime' | 'choice';

export interface ListColumn {
  id: string;
  name: string;
  displayName: string;
  type: ColumnType;
  required: boolean;
  /** Only indexed columns may be filtered without the HonorNonIndexedQueriesWarningMayFailRandomly preference. */
  indexed: boolean;
  choices?: string[];
}

export interface StoredListItem {
  id: string;
  createdAt: number;
  modifiedAt: number;
  createdBy: Identity;
  modifiedBy: Identity;
  version: number;
  /** Custom column values by column name. */
  fields: Record<string, unknown>;
  uniqueId: string;
}

export interface StoredList {
  id: string;
  siteId: string;
  /** The URL name (`Lists/{name}`); displayName is what users see. */
  name: string;
  displayName: string;
  description: string;
  template: 'genericList' | 'documentLibrary';
  createdAt: number;
  modifiedAt: number;
  createdBy: Identity;
  columns: ListColumn[];
  items: Map<string, StoredListItem>;
  nextItemId: number;
  /** For document libraries: the drive behind the list. */
  driveId?: string;
}

export interface StoredSite {
  /** `{hostname},{siteCollectionId},{webId}`. */
  id: string;
  tenantId: string;
  siteCollectionId: string;
  webId: string;
  /** `/` for the root site, `/sites/Marketing` for others. */
  serverRelativePath: string;
  name: string;
  displayName: string;
  description: string;
  createdAt: number;
  modifiedAt: number;
  lists: Map<string, StoredList>;
  driveId: string;
}

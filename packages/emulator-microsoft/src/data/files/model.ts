/** OneDrive / SharePoint document library records. */
import type { Workbook } from './workbook.ts';

/** Who did something: the `user` or `application` facet of Graph's identitySet. */
export interface Identity {
  kind: 'user' | 'application';
  id: string;
  displayName: string;
  email?: string;
}

export interface SharingLink {
  id: string;
  type: 'view' | 'edit' | 'embed';
  scope: 'anonymous' | 'organization' | 'users';
  token: string;
  createdAt: number;
  /** The app that created it (Graph reports `application` on the link). */
  application?: { id: string; displayName: string };
}

/** Access granted to a person by an invitation (driveItem: invite). */
export interface SharingGrant {
  id: string;
  roles: ('read' | 'write')[];
  email: string;
  /** Set when the address belongs to an emulator user. */
  user?: { id: string; displayName: string };
  requireSignIn: boolean;
  expirationDateTime?: string;
}

export interface StoredDriveItem {
  id: string;
  driveId: string;
  /** Null for the root. */
  parentId: string | null;
  name: string;
  kind: 'folder' | 'file';
  createdAt: number;
  modifiedAt: number;
  createdBy: Identity;
  modifiedBy: Identity;
  /** Metadata version (eTag) and content version (cTag). */
  version: number;
  contentVersion: number;
  description?: string;
  content?: Buffer;
  mimeType?: string;
  /** Excel workbooks are kept as grids; the bytes are then a rendering of it. */
  workbook?: Workbook;
  links: SharingLink[];
  grants: SharingGrant[];
  /** A stable GUID for eTag/cTag and download URLs. */
  uniqueId: string;
}

export type DriveOwner = { kind: 'user'; userId: string } | { kind: 'site'; siteId: string };

export interface DriveRecord {
  id: string;
  tenantId: string;
  owner: DriveOwner;
  driveType: 'business' | 'personal' | 'documentLibrary';
  name: string;
  description: string;
  createdAt: number;
  /** Base of webUrls: `https://contoso-my.sharepoint.com/personal/adelev_contoso_onmicrosoft_com/Documents`. */
  webUrl: string;
  rootId: string;
}

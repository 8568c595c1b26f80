/**
 * All Graph data, kept per user (mailbox, calendar, contacts, OneDrive) and per tenant (SharePoint sites),
 * next to the directory in EmulatorState so every listener sees the same data. Per-user stores
 * are created on first use, with ids derived from the owner, so a user added at run time has a
 * working mailbox and drive without any setup. Users without `mail` have no mailbox (Graph
 * answers MailboxNotEnabledForRESTAPI for them).
 */
import type { Tenant, User } from '../model.ts';
import type { EmulatorState } from '../state.ts';
import { CalendarStore } from './calendar/calendar-store.ts';
import type { CalendarDirectory } from './calendar/scheduling.ts';
import { ChangeLog } from './change-log.ts';
import { ContactStore } from './contacts/contact-store.ts';
import { Drive } from './files/drive.ts';
import type { DriveRecord, Identity } from './files/model.ts';
import { TempAuth } from './files/tempauth.ts';
import { UploadSessions } from './files/upload-sessions.ts';
import { driveId, driveItemId, guid } from './ids.ts';
import { Mailbox } from './mail/mailbox.ts';
import type { Recipient } from './mail/model.ts';
import { TransportLog, type MailDirectory } from './mail/transport.ts';
import type { OwnerContext } from './owner.ts';
import { ListEditor } from './sites/lists.ts';
import type { StoredSite } from './sites/model.ts';
import { SubscriptionStore } from './subscriptions/subscription-store.ts';
import { SyncState } from './sync-state.ts';

export interface CopyJob {
  id: string;
  tenantId: string;
  driveId: string;
  itemId: string;
  createdAt: number;
}

const SYSTEM: Identity = { kind: 'user', id: '', displayName: 'System Account' };

export class GraphStore implements MailDirectory, CalendarDirectory {
  readonly changes: ChangeLog;
  readonly transport = new TransportLog();
  readonly uploads = new UploadSessions();
  readonly tempAuth = new TempAuth();
  readonly copyJobs = new Map<string, CopyJob>();
  readonly drives = new Map<string, Drive>();
  readonly sites = new Map<string, StoredSite>();
  /** Change-notification subscriptions (delivery itself is in src/notifications). */
  readonly subscriptions: SubscriptionStore;
  /** Generation of delta tokens; bumped to invalidate them all. */
  readonly sync = new SyncState();
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly calendars = new Map<string, CalendarStore>();
  private readonly contactStores = new Map<string, ContactStore>();
  private readonly userDrives = new Map<string, string>();

  constructor(private readonly state: EmulatorState) {
    this.changes = new ChangeLog(() => state.now());
    this.subscriptions = new SubscriptionStore(() => state.now());
  }

  now(): number {
    return this.state.now();
  }

  private ownerOf(user: User): OwnerContext & { userId: string } {
    const tenant = this.state.tenants.get(user.tenantId);
    return { tenantId: user.tenantId, userId: user.id, personal: tenant?.kind === 'consumer', now: () => this.state.now(), changes: this.changes };
  }

  tenantOwner(tenantId: string): OwnerContext {
    return { tenantId, personal: false, now: () => this.state.now(), changes: this.changes };
  }

  /** The user as a sender / organizer, read from the live directory record. */
  recipient(userId: string): Recipient {
    const u = this.state.users.get(userId);
    return { emailAddress: { name: u?.displayName ?? '', address: u?.mail ?? u?.userPrincipalName ?? '' } };
  }

  identityOf(user: User): Identity {
    return { kind: 'user', id: user.id, displayName: user.displayName, email: user.mail ?? user.userPrincipalName };
  }

  // --- Mail and calendar ---------------------------------------------------------------------------

  hasMailbox(user: User): boolean {
    return user.mail !== null;
  }

  mailbox(user: User): Mailbox {
    let m = this.mailboxes.get(user.id);
    if (!m) {
      m = new Mailbox(this.ownerOf(user), () => this.recipient(user.id));
      this.mailboxes.set(user.id, m);
    }
    return m;
  }

  calendar(user: User): CalendarStore {
    let c = this.calendars.get(user.id);
    if (!c) {
      c = new CalendarStore(this.ownerOf(user), () => this.recipient(user.id));
      this.calendars.set(user.id, c);
    }
    return c;
  }

  contacts(user: User): ContactStore {
    let c = this.contactStores.get(user.id);
    if (!c) {
      c = new ContactStore(this.ownerOf(user));
      this.contactStores.set(user.id, c);
    }
    return c;
  }

  /** The user an SMTP address reaches: their `mail`, or the UPN Exchange also accepts. */
  userByAddress(address: string): User | undefined {
    const lower = address.toLowerCase();
    for (const u of this.state.users.values()) {
      if (u.mail === null) continue;
      if (u.mail.toLowerCase() === lower || u.userPrincipalName.toLowerCase() === lower) return u;
    }
    return undefined;
  }

  mailboxFor(address: string): Mailbox | undefined {
    const u = this.userByAddress(address);
    return u ? this.mailbox(u) : undefined;
  }

  calendarFor(address: string): CalendarStore | undefined {
    const u = this.userByAddress(address);
    return u ? this.calendar(u) : undefined;
  }

  // --- Drives ----------------------------------------------------------------------------------------

  private tenant(tenantId: string): Tenant | undefined {
    return this.state.tenants.get(tenantId);
  }

  /** `contoso` → `contoso.sharepoint.com`; the SharePoint host of a tenant. */
  sharePointHost(tenantId: string): string {
    return `${this.tenant(tenantId)?.name.toLowerCase() ?? 'tenant'}.sharepoint.com`;
  }

  userDrive(user: User): Drive {
    const known = this.userDrives.get(user.id);
    if (known && this.drives.has(known)) return this.drives.get(known)!;
    const personal = this.tenant(user.tenantId)?.kind === 'consumer';
    const id = driveId(['drive', user.id]);
    const site = this.sharePointHost(user.tenantId).replace('.sharepoint.com', '-my.sharepoint.com');
    const record: DriveRecord = {
      id,
      tenantId: user.tenantId,
      owner: { kind: 'user', userId: user.id },
      driveType: personal ? 'personal' : 'business',
      name: 'OneDrive',
      description: '',
      createdAt: this.state.now(),
      webUrl: personal
        ? `https://onedrive.live.com/?cid=${user.id.replace(/-/g, '').slice(-16)}`
        : `https://${site}/personal/${user.userPrincipalName.toLowerCase().replace(/[@.]/g, '_')}/Documents`,
      rootId: driveItemId(['root', id]),
    };
    const drive = new Drive(record, this.ownerOf(user), SYSTEM);
    this.drives.set(id, drive);
    this.userDrives.set(user.id, id);
    return drive;
  }

  /** A drive by id, created on the fly when it is a user's OneDrive not yet touched. */
  drive(id: string): Drive | undefined {
    const d = this.drives.get(id);
    if (d) return d;
    for (const u of this.state.users.values()) if (driveId(['drive', u.id]) === id) return this.userDrive(u);
    return undefined;
  }

  // --- Sites -------------------------------------------------------------------------------------------

  sitesOf(tenantId: string): StoredSite[] {
    this.rootSite(tenantId);
    return [...this.sites.values()].filter((s) => s.tenantId === tenantId);
  }

  /** Every organization has a root site; it exists from first use. */
  rootSite(tenantId: string): StoredSite | undefined {
    const tenant = this.tenant(tenantId);
    if (!tenant || tenant.kind === 'consumer') return undefined;
    const existing = [...this.sites.values()].find((s) => s.tenantId === tenantId && s.serverRelativePath === '/');
    return existing ?? this.addSite(tenantId, { path: '/', name: '', displayName: 'Communication site', description: '' });
  }

  addSite(tenantId: string, input: { path: string; name: string; displayName: string; description: string; siteCollectionId?: string; webId?: string }): StoredSite {
    const host = this.sharePointHost(tenantId);
    const siteCollectionId = input.siteCollectionId ?? guid(['site', tenantId, input.path.toLowerCase()]);
    const webId = input.webId ?? guid(['web', tenantId, input.path.toLowerCase()]);
    const id = `${host},${siteCollectionId},${webId}`;
    const now = this.state.now();
    const libraryId = driveId(['site-drive', id]);
    const site: StoredSite = {
      id,
      tenantId,
      siteCollectionId,
      webId,
      serverRelativePath: input.path,
      name: input.name,
      displayName: input.displayName,
      description: input.description,
      createdAt: now,
      modifiedAt: now,
      lists: new Map(),
      driveId: libraryId,
    };
    this.sites.set(id, site);
    const record: DriveRecord = {
      id: libraryId,
      tenantId,
      owner: { kind: 'site', siteId: id },
      driveType: 'documentLibrary',
      name: 'Documents',
      description: '',
      createdAt: now,
      webUrl: `${this.siteUrl(site)}/Shared%20Documents`,
      rootId: driveItemId(['root', libraryId]),
    };
    this.drives.set(libraryId, new Drive(record, this.tenantOwner(tenantId), SYSTEM));
    // The document library is a list too, as SharePoint shows it under /lists.
    site.lists.set(guid(['library', id]), {
      id: guid(['library', id]),
      siteId: id,
      name: 'Shared Documents',
      displayName: 'Documents',
      description: '',
      template: 'documentLibrary',
      createdAt: now,
      modifiedAt: now,
      createdBy: SYSTEM,
      columns: [],
      items: new Map(),
      nextItemId: 1,
      driveId: libraryId,
    });
    return site;
  }

  siteUrl(site: StoredSite): string {
    const host = site.id.split(',')[0]!;
    return `https://${host}${site.serverRelativePath === '/' ? '' : site.serverRelativePath}`;
  }

  /** By composite id (hostname part ignored, so any cloud's host works), site collection id, or path. */
  site(tenantId: string, ref: { id?: string; hostname?: string; path?: string[]; root?: boolean }): StoredSite | undefined {
    if (ref.root) return this.rootSite(tenantId);
    const all = this.sitesOf(tenantId);
    if (ref.id !== undefined) {
      const parts = ref.id.toLowerCase().split(',');
      const [collection, web] = parts.length === 3 ? [parts[1], parts[2]] : [parts[0], undefined];
      return all.find((s) => s.siteCollectionId === collection && (!web || s.webId === web));
    }
    const host = (ref.hostname ?? '').toLowerCase();
    const tenantName = this.sharePointHost(tenantId).split('.')[0]!;
    // Any cloud's SharePoint domain names the tenant's sites (the data is shared by all clouds).
    if (!new RegExp(`^${tenantName}\\.sharepoint(-mil)?\\.(com|us|cn)$`).test(host)) return undefined;
    const path = `/${(ref.path ?? []).join('/')}`.toLowerCase().replace(/\/+$/, '') || '/';
    return all.find((s) => s.serverRelativePath.toLowerCase() === path);
  }

  lists(tenantId: string): ListEditor {
    return new ListEditor(this.tenantOwner(tenantId));
  }

  // --- Lifecycle ----------------------------------------------------------------------------------------

  /** A user left the directory: their mailbox, calendar and OneDrive go with them. */
  removeUserData(userId: string): void {
    this.mailboxes.delete(userId);
    this.calendars.delete(userId);
    this.contactStores.delete(userId);
    const d = this.userDrives.get(userId);
    if (d) this.drives.delete(d);
    this.userDrives.delete(userId);
  }

  removeTenantData(tenantId: string): void {
    for (const [id, s] of this.sites) {
      if (s.tenantId !== tenantId) continue;
      this.sites.delete(id);
      this.drives.delete(s.driveId);
    }
  }

  clear(): void {
    this.mailboxes.clear();
    this.calendars.clear();
    this.contactStores.clear();
    this.drives.clear();
    this.userDrives.clear();
    this.sites.clear();
    this.uploads.clear();
    this.copyJobs.clear();
    this.transport.clear();
    this.changes.clear();
    this.subscriptions.clear();
    // Tokens issued before a reset describe data that no longer exists.
    this.sync.invalidate();
  }
}

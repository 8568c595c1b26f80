/**
 * Graph data in a seed (`EmulatorSeed.data`): the same inputs the admin API takes, each naming
 * its owner. Applied after the directory, in dependency order — sites (whose libraries files
 * may target), mail folders, messages, mailbox settings, events, contacts, files — on start and reset.
 */
import type { EventInput } from './calendar-admin.ts';
import type { ContentInput, DriveOwnerRef, FilesAdmin, WorkbookInput } from './files-admin.ts';
import type { MailAdmin, MessageInput } from './mail-admin.ts';
import type { CalendarAdmin } from './calendar-admin.ts';
import type { ContactInput, ContactsAdmin } from './contacts-admin.ts';
import type { SiteInput, SitesAdmin } from './sites-admin.ts';
import { InputError } from '../input.ts';

export type FileSeed = { owner: DriveOwnerRef; path: string; id?: string } & ({ content: ContentInput } | { folder: true } | { workbook: WorkbookInput });

export interface DataSeed {
  sites?: ({ tenant: string } & SiteInput)[];
  mailFolders?: { user: string; displayName: string; parent?: string; id?: string }[];
  messages?: ({ user: string } & MessageInput)[];
  mailboxSettings?: ({ user: string } & Record<string, unknown>)[];
  events?: ({ user: string } & EventInput)[];
  contacts?: ({ user: string } & ContactInput)[];
  files?: FileSeed[];
}

export interface DataAdmins {
  mail: MailAdmin;
  calendar: CalendarAdmin;
  contacts: ContactsAdmin;
  files: FilesAdmin;
  sites: SitesAdmin;
}

function list<T>(value: T[] | undefined, name: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InputError(`seed.data.${name} must be an array`);
  return value;
}

export function applyDataSeed(a: DataAdmins, data: DataSeed | undefined): void {
  if (data === undefined) return;
  for (const { tenant, ...site } of list(data.sites, 'sites')) a.sites.add(tenant, site);
  for (const { user, ...folder } of list(data.mailFolders, 'mailFolders')) a.mail.addFolder(user, folder);
  for (const { user, ...message } of list(data.messages, 'messages')) a.mail.add(user, message);
  for (const { user, ...patch } of list(data.mailboxSettings, 'mailboxSettings')) a.mail.updateSettings(user, patch);
  for (const { user, ...event } of list(data.events, 'events')) a.calendar.add(user, event as EventInput);
  for (const { user, ...contact } of list(data.contacts, 'contacts')) a.contacts.add(user, contact);
  for (const f of list(data.files, 'files')) {
    const options = f.id ? { id: f.id } : {};
    if ('folder' in f) a.files.mkdir(f.owner, f.path, options);
    else if ('workbook' in f) a.files.putWorkbook(f.owner, f.path, f.workbook, options);
    else a.files.put(f.owner, f.path, f.content, options);
  }
}

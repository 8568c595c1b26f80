/**
 * Who may do what, from the token alone: delegated `scp` for the signed-in user's own data,
 * `.Shared` / `.All` scopes for another user's, and application `roles` for anyone's in the
 * tenant. The lists follow each API's permissions table (least privileged first). A real
 * mailbox also needs the owner to have shared it; the emulator takes the scope as enough.
 */
import { grantsAny, type Principal } from './auth.ts';
import { GraphError } from './errors.ts';

export interface PermissionRule {
  /** Delegated, acting on the signed-in user's own data. */
  self: readonly string[];
  /** Delegated, acting on someone else's data. */
  others: readonly string[];
  /** Application permissions. */
  app: readonly string[];
}

const rule = (self: string[], others: string[], app: string[]): PermissionRule => ({ self: [...self, ...others], others, app });

export const RULES = {
  /** List/get messages and folders (Mail.ReadBasic leaves out bodies). */
  mailRead: rule(['Mail.ReadBasic', 'Mail.Read', 'Mail.ReadWrite'], ['Mail.Read.Shared', 'Mail.ReadWrite.Shared'], ['Mail.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite']),
  /** Bodies, MIME content and attachments. */
  mailReadContent: rule(['Mail.Read', 'Mail.ReadWrite'], ['Mail.Read.Shared', 'Mail.ReadWrite.Shared'], ['Mail.Read', 'Mail.ReadWrite']),
  mailWrite: rule(['Mail.ReadWrite'], ['Mail.ReadWrite.Shared'], ['Mail.ReadWrite']),
  mailSend: rule(['Mail.Send'], ['Mail.Send.Shared'], ['Mail.Send']),
  /** Delegated access to another user's mailbox settings does not exist. */
  mailboxSettingsRead: rule(['MailboxSettings.Read', 'MailboxSettings.ReadWrite'], [], ['MailboxSettings.Read', 'MailboxSettings.ReadWrite']),
  mailboxSettingsWrite: rule(['MailboxSettings.ReadWrite'], [], ['MailboxSettings.ReadWrite']),
  calendarsRead: rule(['Calendars.Read', 'Calendars.ReadWrite'], ['Calendars.Read.Shared', 'Calendars.ReadWrite.Shared'], ['Calendars.Read', 'Calendars.ReadWrite']),
  calendarsWrite: rule(['Calendars.ReadWrite'], ['Calendars.ReadWrite.Shared'], ['Calendars.ReadWrite']),
  contactsRead: rule(['Contacts.Read', 'Contacts.ReadWrite'], ['Contacts.Read.Shared', 'Contacts.ReadWrite.Shared'], ['Contacts.Read', 'Contacts.ReadWrite']),
  contactsWrite: rule(['Contacts.ReadWrite'], ['Contacts.ReadWrite.Shared'], ['Contacts.ReadWrite']),
  filesRead: rule(['Files.Read', 'Files.ReadWrite'], ['Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All'], ['Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All']),
  filesWrite: rule(['Files.ReadWrite'], ['Files.ReadWrite.All', 'Sites.ReadWrite.All'], ['Files.ReadWrite.All', 'Sites.ReadWrite.All']),
  /** The Excel API pages list delegated Files.ReadWrite and "Application: Not supported". */
  workbook: rule(['Files.ReadWrite'], ['Files.ReadWrite.All', 'Sites.ReadWrite.All'], []),
  sitesRead: rule([], ['Sites.Read.All', 'Sites.ReadWrite.All', 'Sites.Manage.All'], ['Sites.Read.All', 'Sites.ReadWrite.All', 'Sites.Manage.All']),
  sitesWrite: rule([], ['Sites.ReadWrite.All', 'Sites.Manage.All'], ['Sites.ReadWrite.All', 'Sites.Manage.All']),
  sitesManage: rule([], ['Sites.Manage.All'], ['Sites.Manage.All']),
} satisfies Record<string, PermissionRule>;

export function allowed(p: Principal, r: PermissionRule, self: boolean): boolean {
  if (p.kind === 'app') return grantsAny(p, r.app);
  return grantsAny(p, self ? r.self : r.others);
}

/** Exchange's 403 (mail, calendar, mailbox settings). */
export const outlookAccessDenied = () => new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
/** OneDrive and SharePoint's 403. */
export const filesAccessDenied = () => new GraphError(403, 'accessDenied', 'Access denied');

export function requireOutlook(p: Principal, r: PermissionRule, self: boolean): void {
  if (!allowed(p, r, self)) throw outlookAccessDenied();
}

export function requireFiles(p: Principal, r: PermissionRule, self: boolean): void {
  if (!allowed(p, r, self)) throw filesAccessDenied();
}

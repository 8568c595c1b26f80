/**
 * The Microsoft Graph permissions the emulator knows. Entra rejects a scope that Graph does not
 * publish (AADSTS650053), and matches names case-insensitively; this catalog lets the emulator do
 * both and give the canonical spelling back in tokens. The consent page shows the descriptions.
 * Extend it when a connector needs a permission that is missing here.
 */

/** Delegated permissions: name → the text Entra's consent screen shows for it. */
const DELEGATED: Record<string, string> = {
  'User.Read': 'Sign you in and read your profile',
  'User.ReadWrite': 'Read and update your profile',
  'User.ReadBasic.All': "Read all users' basic profiles",
  'User.Read.All': "Read all users' full profiles",
  'User.ReadWrite.All': "Read and write all users' full profiles",
  'Directory.Read.All': 'Read directory data',
  'Directory.ReadWrite.All': 'Read and write directory data',
  'Mail.ReadBasic': 'Read basic mail',
  'Mail.Read': 'Read your mail',
  'Mail.Read.Shared': 'Read mail you can access',
  'Mail.ReadWrite': 'Read and write access to your mail',
  'Mail.ReadWrite.Shared': 'Read and write mail you can access',
  'Mail.Send': 'Send mail as you',
  'Mail.Send.Shared': 'Send mail on behalf of others',
  'MailboxSettings.Read': 'Read your mailbox settings',
  'MailboxSettings.ReadWrite': 'Read and write your mailbox settings',
  'Calendars.Read': 'Read your calendars',
  'Calendars.Read.Shared': 'Read calendars you can access',
  'Calendars.ReadWrite': 'Have full access to your calendars',
  'Calendars.ReadWrite.Shared': 'Read and write calendars you can access',
  'Contacts.Read': 'Read your contacts',
  'Contacts.ReadWrite': 'Have full access to your contacts',
  'Contacts.Read.Shared': 'Read user and shared contacts',
  'Contacts.ReadWrite.Shared': 'Read and write user and shared contacts',
  'Files.Read': 'Read your files',
  'Files.Read.All': 'Read all files that you have access to',
  'Files.ReadWrite': 'Have full access to your files',
  'Files.ReadWrite.All': 'Have full access to all files you have access to',
  'Sites.Read.All': 'Read items in all site collections',
  'Sites.ReadWrite.All': 'Edit or delete items in all site collections',
  'Sites.Manage.All': 'Create, edit, and delete items and lists in all your site collections',
  'Tasks.Read': 'Read your tasks and task lists',
  'Tasks.ReadWrite': 'Create, read, update, and delete your tasks and task lists',
  'Notes.Read': 'Read your OneNote notebooks',
  'Notes.ReadWrite': 'Read and write your OneNote notebooks',
  'People.Read': 'Read your relevant people list',
  'Presence.Read': 'Read your presence information',
  'Group.Read.All': 'Read all groups',
  'Group.ReadWrite.All': 'Read and write all groups',
  'Chat.Read': 'Read your chat messages',
  'Chat.ReadWrite': 'Read and write your chat messages',
  'ChannelMessage.Send': 'Send channel messages',
  'Team.ReadBasic.All': 'Read the names and descriptions of teams',
};

/** Application permissions (app roles granted by admin consent): name → description. */
const APPLICATION: Record<string, string> = {
  'User.Read.All': "Read all users' full profiles",
  'User.ReadBasic.All': "Read all users' basic profiles",
  'User.ReadWrite.All': "Read and write all users' full profiles",
  'Directory.Read.All': 'Read directory data',
  'Directory.ReadWrite.All': 'Read and write directory data',
  'Organization.Read.All': 'Read organization information',
  'Mail.ReadBasic.All': 'Read basic mail in all mailboxes',
  'Mail.Read': 'Read mail in all mailboxes',
  'Mail.ReadWrite': 'Read and write mail in all mailboxes',
  'Mail.Send': 'Send mail as any user',
  'MailboxSettings.Read': "Read all user mailbox settings",
  'MailboxSettings.ReadWrite': "Read and write all user mailbox settings",
  'Calendars.Read': 'Read calendars in all mailboxes',
  'Calendars.ReadWrite': 'Read and write calendars in all mailboxes',
  'Contacts.Read': 'Read contacts in all mailboxes',
  'Contacts.ReadWrite': 'Read and write contacts in all mailboxes',
  'Files.Read.All': 'Read files in all site collections',
  'Files.ReadWrite.All': 'Read and write files in all site collections',
  'Sites.Read.All': 'Read items in all site collections',
  'Sites.ReadWrite.All': 'Read and write items in all site collections',
  'Sites.Manage.All': 'Create, edit, and delete items and lists in all site collections',
  'Group.Read.All': 'Read all groups',
  'Group.ReadWrite.All': 'Read and write all groups',
};

/** OpenID Connect scopes: not Graph permissions, but the consent page lists them too. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
export type OidcScope = (typeof OIDC_SCOPES)[number];

const OIDC_DESCRIPTIONS: Record<OidcScope, string> = {
  openid: 'Sign you in',
  profile: 'View your basic profile',
  email: 'View your email address',
  offline_access: "Maintain access to data you have given it access to",
};

function indexByLowerCase(table: Record<string, string>): Map<string, string> {
  return new Map(Object.keys(table).map((name) => [name.toLowerCase(), name]));
}

const DELEGATED_BY_LOWER = indexByLowerCase(DELEGATED);
const APPLICATION_BY_LOWER = indexByLowerCase(APPLICATION);

export function isOidcScope(scope: string): scope is OidcScope {
  return (OIDC_SCOPES as readonly string[]).includes(scope.toLowerCase());
}

/** Canonical spelling of a delegated Graph permission, or undefined when Graph has no such scope. */
export function canonicalDelegated(name: string): string | undefined {
  return DELEGATED_BY_LOWER.get(name.toLowerCase());
}

/** Canonical spelling of an application permission, or undefined when Graph has no such role. */
export function canonicalApplication(name: string): string | undefined {
  return APPLICATION_BY_LOWER.get(name.toLowerCase());
}

export function describeScope(scope: string): string {
  const lower = scope.toLowerCase();
  if (isOidcScope(lower)) return OIDC_DESCRIPTIONS[lower as OidcScope];
  const name = canonicalDelegated(scope);
  return name ? (DELEGATED[name] ?? scope) : scope;
}

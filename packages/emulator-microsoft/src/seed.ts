/**
 * The default directory, so `switchboard emulate microsoft` is useful with no setup. Ids and
 * secrets are fixed (tests and docs can name them); they are emulator-only values and grant
 * nothing anywhere else.
 */
import type { EmulatorSeed } from './directory.ts';
import { defaultDataSeed } from './seed-data.ts';

export { CONSUMER_TENANT_ID, DEFAULT_SEED_IDS } from './seed-ids.ts';
import { CONSUMER_TENANT_ID, DEFAULT_SEED_IDS } from './seed-ids.ts';

export const DEFAULT_REDIRECT_URIS = [
  'http://127.0.0.1:8080/api/v1/oauth/callback',
  'http://localhost:8080/api/v1/oauth/callback',
];

/** What the Integration Service Microsoft 365 connector asks for by default (user guide). */
const CONNECTOR_DELEGATED = [
  'User.Read',
  'Mail.Read',
  'Mail.Read.Shared',
  'Mail.ReadWrite',
  'Mail.ReadWrite.Shared',
  'Mail.Send',
  'Mail.Send.Shared',
  'MailboxSettings.ReadWrite',
  'Calendars.Read',
  'Calendars.Read.Shared',
  'Calendars.ReadWrite',
  'Calendars.ReadWrite.Shared',
];

const GRANTED_IN_CONTOSO = ['Mail.ReadWrite', 'Mail.Send', 'Calendars.ReadWrite', 'User.Read.All'];

/** A fresh copy each call, so callers may extend it without touching the next emulator's seed. */
export function defaultSeed(): EmulatorSeed {
  const ids = DEFAULT_SEED_IDS;
  return {
    data: defaultDataSeed(),
    tenants: [
      { id: ids.tenants.contoso, name: 'contoso', displayName: 'Contoso', domains: ['contoso.onmicrosoft.com'] },
      { id: ids.tenants.fabrikam, name: 'fabrikam', displayName: 'Fabrikam', domains: ['fabrikam.onmicrosoft.com'] },
      // Personal accounts exist only in the worldwide cloud.
      { id: CONSUMER_TENANT_ID, name: 'msa', displayName: 'Microsoft Accounts', domains: [], kind: 'consumer', cloud: 'global' },
    ],
    users: [
      {
        id: ids.users.adele,
        tenant: 'contoso',
        userPrincipalName: 'AdeleV@contoso.onmicrosoft.com',
        displayName: 'Adele Vance',
        givenName: 'Adele',
        surname: 'Vance',
        jobTitle: 'Retail Manager',
        mobilePhone: '+1 425 555 0109',
        officeLocation: '18/2111',
        businessPhones: ['+1 425 555 0109'],
      },
      {
        id: ids.users.megan,
        tenant: 'contoso',
        userPrincipalName: 'MeganB@contoso.onmicrosoft.com',
        displayName: 'Megan Bowen',
        givenName: 'Megan',
        surname: 'Bowen',
        jobTitle: 'Marketing Manager',
        mobilePhone: null,
        officeLocation: '12/1110',
        businessPhones: ['+1 412 555 0109'],
      },
      {
        id: ids.users.lee,
        tenant: 'contoso',
        userPrincipalName: 'LeeG@contoso.onmicrosoft.com',
        displayName: 'Lee Gu',
        givenName: 'Lee',
        surname: 'Gu',
        jobTitle: 'Director',
        mail: null,
        officeLocation: '23/3101',
        businessPhones: ['+1 913 555 0101'],
      },
      {
        id: ids.users.diego,
        tenant: 'fabrikam',
        userPrincipalName: 'DiegoS@fabrikam.onmicrosoft.com',
        displayName: 'Diego Siciliani',
        givenName: 'Diego',
        surname: 'Siciliani',
        jobTitle: 'HR Manager',
        officeLocation: '14/1108',
        businessPhones: ['+1 205 555 0108'],
      },
      {
        id: ids.users.pat,
        tenant: CONSUMER_TENANT_ID,
        userPrincipalName: 'pat.kim@outlook.com',
        displayName: 'Pat Kim',
        givenName: 'Pat',
        surname: 'Kim',
        preferredLanguage: null,
      },
    ],
    apps: [
      {
        clientId: ids.apps.multiTenant.clientId,
        displayName: 'Switchboard (multi-tenant)',
        homeTenant: 'contoso',
        signInAudience: 'multi',
        secrets: [{ value: ids.apps.multiTenant.secret, displayName: 'emulator' }],
        redirectUris: [...DEFAULT_REDIRECT_URIS],
        delegatedPermissions: CONNECTOR_DELEGATED,
        applicationPermissions: { contoso: GRANTED_IN_CONTOSO },
      },
      {
        clientId: ids.apps.singleTenant.clientId,
        displayName: 'Switchboard (Contoso only)',
        homeTenant: 'contoso',
        signInAudience: 'single',
        secrets: [{ value: ids.apps.singleTenant.secret, displayName: 'emulator' }],
        redirectUris: [...DEFAULT_REDIRECT_URIS],
        delegatedPermissions: CONNECTOR_DELEGATED,
        applicationPermissions: { contoso: GRANTED_IN_CONTOSO },
      },
    ],
  };
}

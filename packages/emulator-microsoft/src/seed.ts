/**
 * The default directory, so `switchboard emulate microsoft` is useful with no setup. Ids and
 * secrets are fixed (tests and docs can name them); they are emulator-only values and grant
 * nothing anywhere else.
 */
import type { EmulatorSeed } from './directory.ts';

/** The consumer (personal Microsoft account) tenant has this id in every Entra deployment. */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export const DEFAULT_SEED_IDS = {
  tenants: {
    contoso: 'f9163c6c-04ec-4acb-9870-1b3c4f522237',
    fabrikam: 'feff5575-4a1f-46ba-a4d0-f6567a9f32d7',
    consumers: CONSUMER_TENANT_ID,
  },
  users: {
    /** Same id as Microsoft's documentation sample for Adele Vance. */
    adele: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
    megan: '48d31887-5fad-4d73-a9f5-3c356e68a038',
    /** Has no mailbox: `mail` is null. */
    lee: 'b5fb1e7d-0c12-489b-a9d9-dac4bb11a815',
    diego: '182f50f6-b92d-4b0b-a1e4-e65673efe42b',
    /** Personal-account object ids have this zero-prefixed shape. */
    pat: '00000000-0000-0000-1b2c-3d4e5f607182',
  },
  apps: {
    multiTenant: {
      clientId: 'dbdc19aa-3ae1-4099-bff1-f1ccabf77193',
      secret: 'Swb8Q~multiTenantEmulatorSecret.0001',
    },
    singleTenant: {
      clientId: 'e8be4d84-e14d-4590-8b64-b8264c93a455',
      secret: 'Swb8Q~singleTenantEmulatorSecret.0001',
    },
  },
} as const;

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

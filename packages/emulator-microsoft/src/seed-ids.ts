/** Fixed ids and secrets of the default directory (see seed.ts); emulator-only values. */

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

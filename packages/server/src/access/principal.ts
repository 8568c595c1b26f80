/** Who is calling: resolved from the API key (or, later, the console session) on every request. */
export interface Principal {
  userId: string;
  tenantId: string;
  email: string;
  isTenantAdmin: boolean;
  /** The API key used, when the caller authenticated with one. */
  apiKeyId?: string;
}

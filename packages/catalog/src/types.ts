// Hand-written types of schema/connector.schema.json. The schema is the contract; these types are
// kept in sync by the tests, which validate typed fixtures (checked by tsc against these types)
// and every built-in connector (checked by ajv against the schema).
// Template strings follow the rules in the schema's top-level description (see template.ts).

export const CATEGORIES = [
  'AI', 'Analytics', 'Automation', 'Cloud Infrastructure', 'Collaboration', 'Communication', 'CRM', 'Data',
  'Developer Tools', 'Documents', 'E-commerce', 'Email', 'ERP', 'Finance', 'Generic', 'HR', 'Identity',
  'IT Operations', 'ITSM', 'Maps', 'Marketing', 'Productivity', 'Project Management', 'Security',
  'Social Media', 'Storage',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const AUTH_TYPES = [
  'oauth2-authorization-code', 'oauth2-byoa', 'oauth2-client-credentials', 'client-certificate', 'api-key',
  'basic', 'personal-access-token', 'jwt-bearer', 'aws-sigv4', 'oauth1', 'none',
] as const;
export type AuthTypeName = (typeof AUTH_TYPES)[number];

export const FIELD_TYPES = ['string', 'secret', 'url', 'number', 'boolean', 'select', 'multiselect', 'text', 'json'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export type Lifecycle = 'ga' | 'preview' | 'custom';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON Schema document (draft 2020-12). */
export type JsonSchema = { [keyword: string]: JsonValue };
/** RFC 6901 JSON Pointer, e.g. "/value" or "/@odata.nextLink". */
export type JsonPointer = string;
/** Text with {placeholders}. */
export type Template = string;
/** A single placeholder naming a select field, e.g. "{placement}" or "{connection.placement}". */
export type FieldRef = `{${string}}`;

export interface ConnectorDefinition {
  $schema?: string;
  key: string;
  displayName: string;
  vendor: string;
  description: string;
  categories: Category[];
  icon?: string;
  docsUrl?: string;
  lifecycle: Lifecycle;
  version: string;
  fields?: FieldDefinition[];
  environments?: EnvironmentsDefinition;
  baseUrl?: Template;
  auth: AuthTypeDefinition[];
  identity?: IdentityDefinition;
  http: HttpDefinition;
  pagination?: PaginationDefinition;
  objects?: ObjectDefinition[];
  activities: ActivityDefinition[];
  triggers: TriggerDefinition[];
  notes?: string;
}

export interface OptionDefinition {
  value: string;
  label: string;
  description?: string;
}

/** Exactly one of equals, in, notEmpty. */
export type Condition =
  | { field: string; equals: string | number | boolean }
  | { field: string; in: Array<string | number | boolean> }
  | { field: string; notEmpty: true };

export interface FieldDefinition {
  key: string;
  label: string;
  type: FieldType;
  secret?: boolean;
  required?: boolean;
  default?: JsonValue;
  options?: OptionDefinition[];
  pattern?: string;
  patternMessage?: string;
  help?: string;
  placeholder?: string;
  locked?: string[];
  visibleWhen?: Condition;
}

export interface EnvironmentOption {
  key: string;
  label: string;
  description?: string;
  values: Record<string, string>;
}

export interface EnvironmentsDefinition {
  field: string;
  default: string;
  options: EnvironmentOption[];
}

// ---- auth types ----

interface AuthCommon {
  label: string;
  description?: string;
  default?: boolean;
  fields?: FieldDefinition[];
  variables?: Record<string, Template>;
  baseUrl?: Template;
  identity?: IdentityDefinition;
  notes?: string;
}

export type ClientAuthentication = 'client_secret_post' | 'client_secret_basic' | 'none' | FieldRef;

export interface ScopesDefinition {
  available?: Array<{ value: string; label?: string; description?: string }>;
  default?: string[];
  required?: string[];
  separator?: string;
  field?: string;
  /** Template put before short scope names (not in unprefixed, not URLs). */
  prefix?: Template;
  unprefixed?: string[];
}

export interface TokenResponseDefinition {
  accessTokenPath?: JsonPointer;
  refreshTokenPath?: JsonPointer;
  expiresInPath?: JsonPointer;
  metadata?: Record<string, JsonPointer>;
}

interface OAuth2TokenCommon {
  tokenUrl: Template;
  tokenParams?: Record<string, Template>;
  refreshMarginSeconds?: number;
  expiredTokenStatus?: number[];
  tokenResponse?: TokenResponseDefinition;
}

export interface OAuth2AuthorizationCodeDefinition extends OAuth2TokenCommon {
  authorizationUrl: Template;
  revocationUrl?: Template;
  pkce?: boolean;
  pkceNote?: string;
  scopes?: ScopesDefinition;
  authorizationParams?: Record<string, Template>;
  clientAuthentication?: ClientAuthentication;
}

export interface OAuth2ClientCredentialsDefinition extends OAuth2TokenCommon {
  scopes?: ScopesDefinition;
  clientAuthentication?: Exclude<ClientAuthentication, 'none'>;
}

export interface OAuth2ClientAssertionDefinition extends OAuth2TokenCommon {
  scopes?: ScopesDefinition;
  assertion?: { algorithm?: 'PS256' | 'RS256' | 'ES256'; audience?: Template; keyId?: Template; lifetimeSeconds?: number };
}

export interface InjectDefinition {
  in: 'header' | 'query' | FieldRef;
  name: Template;
  prefix?: Template;
}

export interface JwtBearerDefinition extends OAuth2TokenCommon {
  algorithm: 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | FieldRef;
  keyId?: Template;
  claims: { iss: Template; sub?: Template; aud: Template; scope?: Template; additional?: Record<string, Template> };
  lifetimeSeconds?: number;
}

export interface OAuth2AuthorizationCodeAuth extends AuthCommon {
  type: 'oauth2-authorization-code';
  oauth2: OAuth2AuthorizationCodeDefinition;
  inject?: InjectDefinition;
}
export interface OAuth2ByoaAuth extends AuthCommon {
  type: 'oauth2-byoa';
  oauth2: OAuth2AuthorizationCodeDefinition;
  inject?: InjectDefinition;
}
export interface OAuth2ClientCredentialsAuth extends AuthCommon {
  type: 'oauth2-client-credentials';
  oauth2: OAuth2ClientCredentialsDefinition;
  inject?: InjectDefinition;
}
export interface ClientCertificateAuth extends AuthCommon {
  type: 'client-certificate';
  oauth2: OAuth2ClientAssertionDefinition;
  inject?: InjectDefinition;
}
export interface ApiKeyAuth extends AuthCommon {
  type: 'api-key';
  inject: InjectDefinition;
}
export interface BasicAuth extends AuthCommon {
  type: 'basic';
  basic?: { username?: Template; password?: Template };
}
export interface PersonalAccessTokenAuth extends AuthCommon {
  type: 'personal-access-token';
  inject?: InjectDefinition;
}
export interface JwtBearerAuth extends AuthCommon {
  type: 'jwt-bearer';
  jwtBearer: JwtBearerDefinition;
  inject?: InjectDefinition;
}
export interface AwsSigV4Auth extends AuthCommon {
  type: 'aws-sigv4';
  awsSigV4: { service: Template; region?: Template };
}
export interface OAuth1Auth extends AuthCommon {
  type: 'oauth1';
  oauth1: {
    requestTokenUrl: Template;
    authorizationUrl: Template;
    accessTokenUrl: Template;
    signatureMethod: 'HMAC-SHA1' | 'HMAC-SHA256' | 'RSA-SHA1' | 'PLAINTEXT';
    realm?: string;
  };
}
export interface NoneAuth extends AuthCommon {
  type: 'none';
}

export type AuthTypeDefinition =
  | OAuth2AuthorizationCodeAuth
  | OAuth2ByoaAuth
  | OAuth2ClientCredentialsAuth
  | ClientCertificateAuth
  | ApiKeyAuth
  | BasicAuth
  | PersonalAccessTokenAuth
  | JwtBearerAuth
  | AwsSigV4Auth
  | OAuth1Auth
  | NoneAuth;

/** Auth types whose credential is an access token obtained from a token endpoint. */
export type OAuth2AuthTypeDefinition =
  | OAuth2AuthorizationCodeAuth
  | OAuth2ByoaAuth
  | OAuth2ClientCredentialsAuth
  | ClientCertificateAuth;

// ---- identity, http, pagination ----

export interface IdentityRequestDefinition {
  method: HttpMethod;
  path: Template;
  query?: Record<string, Template>;
  headers?: Record<string, Template>;
}

export type IdentityDefinition =
  | { request: IdentityRequestDefinition; account: JsonPointer[]; id?: JsonPointer; displayName?: JsonPointer; when?: Condition }
  | { template: Template; when?: Condition }
  | { fromTokenClaims: string[]; token?: 'id_token' | 'access_token'; idClaim?: string; when?: Condition };

export interface HttpDefinition {
  offered: boolean;
  headers?: Record<string, Template>;
  rateLimit?: { concurrency?: number; requestsPerSecond?: number; burst?: number };
  retry?: { statuses: number[]; maxAttempts: number };
}

interface PaginationCommon {
  recordsPath?: JsonPointer;
  maxPages?: number;
}
export type PaginationDefinition =
  | (PaginationCommon & { style: 'none' })
  | (PaginationCommon & {
      style: 'cursor';
      cursorPath: JsonPointer;
      cursorParam: string;
      in?: 'query' | 'body';
      limitParam?: string;
      pageSize?: number;
      hasMorePath?: JsonPointer;
    })
  | (PaginationCommon & { style: 'link'; source: 'header' } )
  | (PaginationCommon & { style: 'link'; source: 'body'; urlPath: JsonPointer })
  | (PaginationCommon & {
      style: 'offset';
      offsetParam: string;
      limitParam: string;
      start?: 0 | 1;
      pageSize?: number;
      hasMorePath?: JsonPointer;
    })
  | (PaginationCommon & {
      style: 'page';
      pageParam: string;
      sizeParam?: string;
      start?: 0 | 1;
      pageSize?: number;
      hasMorePath?: JsonPointer;
    });

// ---- requests, objects, activities, triggers ----

export type ValueSource = Template | { expr: string };

export interface BodyDefinition {
  type: 'json' | 'form' | 'multipart' | 'raw' | 'none';
  expr?: string;
  from?: string;
  contentType?: string;
}

export interface RequestDefinition {
  method: HttpMethod;
  path: Template;
  query?: Record<string, ValueSource>;
  headers?: Record<string, ValueSource>;
  body?: BodyDefinition;
  expectStatus?: number[];
}

export interface ObjectDefinition {
  key: string;
  displayName: string;
  description?: string;
  path: Template;
  itemPath: Template;
  idField: string;
  updatedField?: string;
  createdField?: string;
  queryLanguage: 'none' | 'odata' | 'soql' | 'jql' | 'custom';
  schema: JsonSchema;
  operations: Array<'list' | 'get' | 'create' | 'update' | 'replace' | 'delete'>;
  pagination?: PaginationDefinition;
  notes?: string;
}

export interface ActivityDefinition {
  key: string;
  displayName: string;
  description: string;
  curated: boolean;
  category?: string;
  object?: string;
  scopes?: string[];
  input: JsonSchema & { type: 'object' };
  output: JsonSchema;
  /**
   * Names for the request templates computed per call, in order: each is a URL template, or a list
   * of candidates of which the first whose placeholders all have values wins. A name
   * connection.x overrides that connection value for this activity when a candidate renders.
   */
  variables?: Record<string, Template | Template[]>;
  request: RequestDefinition;
  response?: { expr?: string; binary?: boolean };
  pagination?: PaginationDefinition;
  /** A named runtime step for what needs several requests (e.g. an upload session); the request stays the main call. */
  handler?: string;
  notes?: string;
}

export interface PollingDefinition {
  request: RequestDefinition;
  recordsPath: JsonPointer;
  idPath: JsonPointer;
  timestampPath?: JsonPointer;
  createdPath?: JsonPointer;
  watermark?: { format: 'iso8601' | 'unix' | 'unix-ms'; overlapSeconds?: number };
  delta?: { linkPath: JsonPointer; nextLinkPath?: JsonPointer; removedPath?: JsonPointer };
}

export type SignatureAlgorithm = 'hmac-sha256' | 'hmac-sha1' | 'hmac-sha512' | 'ed25519' | 'none-with-client-state';

export interface SignatureDefinition {
  algorithm: SignatureAlgorithm | FieldRef;
  header?: Template;
  encoding?: 'hex' | 'base64' | FieldRef;
  prefix?: Template;
  signedPayload?: Template;
  timestampHeader?: string;
  toleranceSeconds?: number;
  clientStatePath?: JsonPointer;
  secret: { from: 'connection-field' | 'subscription' | 'connector-setting'; field?: string };
  when?: Condition;
}

export interface ChallengeDefinition {
  type: 'query-echo' | 'body-echo' | 'none' | FieldRef;
  param?: Template;
  when?: Condition;
}

export interface SubscriptionDefinition {
  create: { request: RequestDefinition; idPath: JsonPointer; expiresAtPath?: JsonPointer };
  renew?: RequestDefinition;
  delete?: RequestDefinition;
  lifetimeMinutes?: number;
  renewBeforeMinutes?: number;
}

export interface WebhookDefinition {
  subscription?: SubscriptionDefinition;
  signature?: SignatureDefinition;
  challenge?: ChallengeDefinition;
  recordsPath?: JsonPointer;
  idPath?: JsonPointer;
  eventTypePath?: JsonPointer;
  /**
   * The polling trigger (same parameters) that reads what changed: run after missed
   * notifications or a removed subscription, and, with `signal`, on every notification.
   */
  catchUp?: { trigger: string; signal?: boolean };
}

export interface FilterFieldDefinition {
  path: JsonPointer;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'datetime';
  options?: OptionDefinition[];
}

interface TriggerCommon {
  key: string;
  displayName: string;
  description: string;
  object?: string;
  /** created | updated | deleted | a connector-specific kebab-case event such as custom. */
  event: string;
  input?: JsonSchema & { type: 'object' };
  output?: JsonSchema;
  filterFields: FilterFieldDefinition[];
  notes?: string;
}
export type TriggerDefinition =
  | (TriggerCommon & { mode: 'polling'; polling: PollingDefinition })
  | (TriggerCommon & { mode: 'webhook'; webhook: WebhookDefinition });

// ---- validation results ----

export interface ValidationError {
  /** Connector key, or the file name when the key is unusable. */
  connector: string;
  /** JSON Pointer to the offending value, e.g. /auth/0/oauth2/tokenUrl ("" is the whole definition). */
  path: string;
  /** Stable rule name, e.g. required, pattern, enum, unknown-placeholder. */
  rule: string;
  message: string;
}

export type ValidationResult =
  | { valid: true; connector: string; definition: ConnectorDefinition; errors: [] }
  | { valid: false; connector: string; errors: ValidationError[] };

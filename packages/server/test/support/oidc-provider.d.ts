// The few parts of oidc-provider (v9, untyped JavaScript) that the test authorization server uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface OidcClient {
    clientId: string;
    grantTypeAllowed(type: string): boolean;
  }

  export interface OidcToken {
    clientId: string;
    accountId?: string;
    kind: string;
    jti: string;
    expiration: number;
    save(): Promise<string>;
  }

  export interface OidcContext {
    params: Record<string, string | undefined>;
    client?: OidcClient;
    route: string;
  }

  export interface ProviderContext {
    method: string;
    path: string;
    href: string;
    status: number;
    body: unknown;
    oidc: OidcContext;
  }

  export type Middleware = (ctx: ProviderContext, next: () => Promise<void>) => Promise<void>;
  export type GrantHandler = (ctx: ProviderContext, next: () => Promise<void>) => Promise<void>;

  interface TokenConstructor {
    new (properties: Record<string, unknown>): OidcToken;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    readonly AccessToken: TokenConstructor;
    readonly ReplayDetection: { unique(iss: string, jti: string, exp: number): Promise<boolean> };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: Middleware): void;
    on(event: string, listener: (ctx: ProviderContext, ...rest: unknown[]) => void): this;
    registerGrantType(name: string, handler: GrantHandler, parameters?: string[]): void;
  }

  export const errors: {
    InvalidGrant: new (description?: string) => Error;
    InvalidRequest: new (description?: string) => Error;
  };

  export default Provider;
}

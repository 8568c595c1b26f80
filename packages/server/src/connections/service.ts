import { randomUUID } from 'node:crypto';
import type { AuthTypeDefinition, Catalog, ConnectorDefinition } from '@switchboard/catalog';
import type { Folders } from '../access/folders.ts';
import { isUuid } from '../access/ids.ts';
import type { Principal } from '../access/principal.ts';
import { type Authenticator, type Credentials, isInteractive, usesTokens } from '../authentication/authenticator.ts';
import { ConnectionContext } from '../authentication/context.ts';
import { AuthProviderError } from '../authentication/errors.ts';
import { IdentityError, readIdentity } from '../authentication/identity.ts';
import { PrivateKeyError } from '../authentication/keys.ts';
import type { OAuth2Client, TokenSet } from '../authentication/oauth2.ts';
import { CONNECTION_SCOPE, type ConnectionSecrets, type TokenManager, TransientRenewalError } from '../authentication/tokens.ts';
import { explainAuthError } from '../authentication/vendor-messages.ts';
import { decodeCursor, encodeCursor } from '../http/pagination.ts';
import type { Outbound } from '../outbound/http.ts';
import { Problem } from '../problems/problem.ts';
import type { Database, Queryable } from '../store/database.ts';
import type { Vault } from '../vault/vault.ts';
import type { AuthorizationFlow } from './authorization-flow.ts';
import { checkFields } from './fields.ts';
import {
  type ConnectionRow,
  type ConnectionStatus,
  type ConnectionView,
  SELECT_CONNECTION,
  claimDefaultIfNone,
  findConnection,
  findConnectionById,
  recordEvent,
  toView,
} from './repository.ts';

export interface CreateConnectionInput {
  folderId: string;
  connector: string;
  authType?: string | undefined;
  name?: string | undefined;
  fields?: Record<string, unknown> | undefined;
  /** Where the browser goes after consent: a path of this service, e.g. the console page. */
  returnTo?: string | undefined;
}

export type CreateResult =
  | { kind: 'pending'; id: string; status: 'Pending'; authorizationUrl: string }
  | { kind: 'connected'; connection: ConnectionView };

export interface ConnectionsDeps {
  db: Database;
  catalog: Catalog;
  folders: Folders;
  vault: Vault;
  authenticator: Authenticator;
  oauth2: OAuth2Client;
  outbound: Outbound;
  flow: AuthorizationFlow;
  tokens: () => TokenManager;
}

/** Everything needed to call the vendor as this connection. */
export interface ConnectionAccess {
  row: ConnectionRow;
  connector: ConnectorDefinition;
  ctx: ConnectionContext;
  credentials: Credentials;
  tokens: TokenSet | undefined;
}

/**
 * Connections: their lifecycle (create, check, reconnect, delete), their defaults, and the
 * credentials the runtime uses to call vendors. Access is checked against the folder first,
 * so a connection outside your folders is "not found".
 */
export class Connections {
  constructor(private readonly deps: ConnectionsDeps) {}

  private get db() {
    return this.deps.db;
  }

  connectorOf(key: string): ConnectorDefinition {
    const def = this.deps.catalog.get(key);
    if (!def) throw new Problem('CONNECTION_NOT_ENABLED', `The connector "${key}" of this connection is no longer in the catalog.`);
    return def;
  }

  authOf(def: ConnectorDefinition, type: string): AuthTypeDefinition {
    const auth = def.auth.find((a) => a.type === type);
    if (!auth) throw new Problem('CONNECTION_NOT_ENABLED', `The connector "${def.key}" no longer offers the auth type ${type}.`);
    return auth;
  }

  /** The template context of a connection: its stored values plus its secret field values. */
  context(row: Pick<ConnectionRow, 'connector_key' | 'auth_type' | 'config' | 'metadata'>, secrets: ConnectionSecrets, overrides?: { config: Record<string, unknown>; secrets: Record<string, unknown> }): ConnectionContext {
    const def = this.connectorOf(row.connector_key);
    const values = overrides ? { ...overrides.config, ...overrides.secrets } : { ...row.config, ...secrets.fields };
    return new ConnectionContext(def, this.authOf(def, row.auth_type), values, { ...row.metadata, ...(secrets.tokens?.metadata ?? {}) });
  }

  // ---- reading ----

  private async visibleRow(principal: Principal, id: string, permission: 'Connections.View' | 'Connections.Edit' | 'Connections.Delete', db: Queryable = this.db): Promise<ConnectionRow> {
    const row = isUuid(id) ? await findConnection(db, principal.tenantId, id) : undefined;
    if (!row) throw notFound(id);
    try {
      await this.deps.folders.authorize(principal, row.folder_id, 'Connections.View', db);
    } catch (error) {
      if (error instanceof Problem && error.status === 404) throw notFound(id);
      throw error;
    }
    if (permission !== 'Connections.View') await this.deps.folders.authorize(principal, row.folder_id, permission, db);
    return row;
  }

  async get(principal: Principal, id: string): Promise<ConnectionView> {
    return toView(await this.visibleRow(principal, id, 'Connections.View'));
  }

  async list(
    principal: Principal,
    query: { folderId?: string | undefined; connector?: string | undefined; status?: ConnectionStatus | undefined; defaultsOnly?: boolean | undefined; limit?: number | undefined; cursor?: string | undefined },
  ): Promise<{ items: ConnectionView[]; nextCursor: string | null }> {
    if (query.folderId) await this.deps.folders.authorize(principal, query.folderId, 'Connections.View');
    const folderIds = query.folderId ? [query.folderId] : await this.deps.folders.idsWithPermission(principal, 'Connections.View');
    const limit = query.limit ?? 50;
    const offset = decodeCursor(query.cursor);
    const where = ['c.tenant_id = $1', 'c.folder_id = ANY($2::uuid[])'];
    const params: unknown[] = [principal.tenantId, folderIds];
    if (query.connector) where.push(`c.connector_key = $${params.push(query.connector)}`);
    if (query.status) where.push(`c.status = $${params.push(query.status)}`);
    if (query.defaultsOnly) where.push('c.is_default');
    const rows = await this.db.query<ConnectionRow>(
      `${SELECT_CONNECTION} WHERE ${where.join(' AND ')} ORDER BY c.created_at, c.id LIMIT ${limit + 1} OFFSET ${offset}`,
      params,
    );
    return { items: rows.slice(0, limit).map(toView), nextCursor: rows.length > limit ? encodeCursor(offset + limit) : null };
  }

  // ---- creating ----

  private resolveInput(input: { connector: string; authType?: string | undefined }): { def: ConnectorDefinition; auth: AuthTypeDefinition } {
    const def = this.deps.catalog.get(input.connector);
    if (!def) {
      throw new Problem('VALIDATION_FAILED', `No connector "${input.connector}" is in the catalog.`, {
        errors: [{ path: '/body/connector', message: 'is not a connector in the catalog (GET /api/v1/connectors)', rule: 'known-connector' }],
      });
    }
    const auth = input.authType ? def.auth.find((a) => a.type === input.authType) : (def.auth.find((a) => a.default) ?? def.auth[0]);
    if (!auth) {
      throw new Problem('VALIDATION_FAILED', `${def.displayName} does not offer the auth type "${input.authType}".`, {
        errors: [{ path: '/body/authType', message: `must be one of ${def.auth.map((a) => a.type).join(', ')}`, rule: 'enum' }],
      });
    }
    return { def, auth };
  }

  private checked(def: ConnectorDefinition, auth: AuthTypeDefinition, fields: Record<string, unknown>, previous?: Record<string, unknown>) {
    const result = checkFields(def, auth, fields, previous);
    if (result.errors.length) {
      throw new Problem('VALIDATION_FAILED', `${result.errors[0]!.path}: ${result.errors[0]!.message}`, { errors: result.errors });
    }
    return result;
  }

  async create(principal: Principal, input: CreateConnectionInput): Promise<CreateResult> {
    const folder = await this.deps.folders.authorize(principal, input.folderId, 'Connections.Create');
    const { def, auth } = this.resolveInput(input);
    const { config, secrets } = this.checked(def, auth, input.fields ?? {});
    const id = randomUUID();
    const ctx = new ConnectionContext(def, auth, { ...config, ...secrets });
    const base = {
      id, tenant_id: principal.tenantId, folder_id: folder.id, connector_key: def.key, connector_version: def.version, auth_type: auth.type,
      owner_id: principal.userId, environment: ctx.environmentKey ?? null, config,
    };

    if (isInteractive(auth)) {
      if (auth.type === 'oauth1') throw new Problem('VALIDATION_FAILED', 'OAuth 1.0a connections are not supported by this version.', { errors: [{ path: '/body/authType', message: 'oauth1 is not supported yet', rule: 'supported' }] });
      return this.db.transaction(async (tx) => {
        await insertRow(tx, { ...base, name: input.name?.trim() || def.displayName, name_auto: !input.name?.trim(), status: 'Pending' });
        await this.deps.vault.put(CONNECTION_SCOPE, id, { fields: secrets } satisfies ConnectionSecrets, tx);
        const authorizationUrl = await this.deps.flow.begin(tx, { connectionId: id, userId: principal.userId, purpose: 'connect', ctx, returnTo: input.returnTo });
        return { kind: 'pending' as const, id, status: 'Pending' as const, authorizationUrl };
      });
    }

    const { tokens, identity } = await this.authenticate(ctx);
    const row = await this.db.transaction(async (tx) => {
      await insertRow(tx, {
        ...base,
        name: input.name?.trim() || identity.account || def.displayName,
        name_auto: !input.name?.trim(),
        status: 'Connected',
        account: identity.account,
        account_id: identity.accountId,
        granted_scopes: tokens?.scopes ?? [],
        token_expires_at: tokens?.expiresAt ?? null,
        last_refreshed_at: tokens ? new Date().toISOString() : null,
        metadata: tokens?.metadata ?? {},
      });
      await this.deps.vault.put(CONNECTION_SCOPE, id, { fields: secrets, ...(tokens ? { tokens } : {}) } satisfies ConnectionSecrets, tx);
      await claimDefaultIfNone(tx, { id, folder_id: folder.id, connector_key: def.key });
      await recordEvent(tx, { id, tenant_id: principal.tenantId, folder_id: folder.id }, 'connection.connected', { account: identity.account });
      return (await findConnection(tx, principal.tenantId, id))!;
    });
    return { kind: 'connected', connection: toView(row) };
  }

  /**
   * Verifies non-interactive credentials before anything is stored: token (if the type uses
   * one), then the identity call. A failure here leaves nothing behind.
   */
  async authenticate(ctx: ConnectionContext): Promise<{ tokens: TokenSet | undefined; identity: Awaited<ReturnType<typeof readIdentity>> }> {
    let tokens: TokenSet | undefined;
    try {
      tokens = await this.deps.authenticator.obtain(ctx);
    } catch (error) {
      throw authFailure(error);
    }
    try {
      const identity = await readIdentity(this.deps.outbound, ctx, this.deps.authenticator.credentials(ctx, tokens), tokens);
      return { tokens, identity };
    } catch (error) {
      throw authFailure(error);
    }
  }

  // ---- changing ----

  async update(principal: Principal, id: string, patch: { name?: string | undefined; isDefault?: boolean | undefined; pollingIntervalMinutes?: number | undefined }): Promise<ConnectionView> {
    return this.db.transaction(async (tx) => {
      const row = await this.visibleRow(principal, id, 'Connections.Edit', tx);
      if (patch.isDefault === false && row.is_default) {
        throw new Problem('VALIDATION_FAILED', 'A folder always has one default connection per connector; make another connection the default instead.', {
          errors: [{ path: '/body/isDefault', message: 'set isDefault: true on another connection instead', rule: 'one-default' }],
        });
      }
      if (patch.isDefault && !row.is_default) {
        await tx.query('UPDATE connections SET is_default = false WHERE folder_id = $1 AND connector_key = $2 AND is_default', [row.folder_id, row.connector_key]);
        await tx.query('UPDATE connections SET is_default = true WHERE id = $1', [id]);
      }
      if (patch.name !== undefined) await tx.query('UPDATE connections SET name = $2, name_auto = false WHERE id = $1', [id, patch.name.trim()]);
      if (patch.pollingIntervalMinutes !== undefined) await tx.query('UPDATE connections SET polling_interval_minutes = $2 WHERE id = $1', [id, patch.pollingIntervalMinutes]);
      await tx.query('UPDATE connections SET updated_at = now() WHERE id = $1', [id]);
      return toView((await findConnection(tx, principal.tenantId, id))!);
    });
  }

  async delete(principal: Principal, id: string): Promise<{ revoked: boolean }> {
    const row = await this.visibleRow(principal, id, 'Connections.Delete');
    const secrets = await this.deps.vault.get<ConnectionSecrets>(CONNECTION_SCOPE, id);
    let revoked = false;
    // While the credentials still work: other stages undo what they made at the vendor (best effort).
    for (const undo of connectionDeletingHooks) {
      try {
        await undo(id);
      } catch {
        // What could not be undone lapses at the vendor; the deletion goes on.
      }
    }
    // Revoke before forgetting: once deleted we no longer hold the token to revoke.
    if (secrets?.value.tokens && usesTokens(this.authOf(this.connectorOf(row.connector_key), row.auth_type))) {
      const ctx = this.context(row, secrets.value);
      const token = secrets.value.tokens.refreshToken ?? secrets.value.tokens.accessToken;
      revoked = await this.deps.oauth2.revoke(ctx, token);
    }
    await this.db.transaction(async (tx) => {
      for (const cleanup of connectionDeletionHooks) await cleanup(tx, id);
      await this.deps.vault.delete(CONNECTION_SCOPE, id, tx);
      await tx.query('DELETE FROM connections WHERE id = $1', [id]);
      if (row.is_default) {
        // Keep "one default per connector per folder": the newest connected sibling takes over.
        await tx.query(
          `UPDATE connections SET is_default = true WHERE id = (
             SELECT id FROM connections WHERE folder_id = $1 AND connector_key = $2 AND status = 'Connected' ORDER BY created_at DESC LIMIT 1)`,
          [row.folder_id, row.connector_key],
        );
      }
      await recordEvent(tx, row, 'connection.deleted', { revoked });
    });
    return { revoked };
  }

  /** Check connection: renew the token if needed, call the identity endpoint, record the outcome. */
  async check(principal: Principal, id: string): Promise<ConnectionView> {
    const row = await this.visibleRow(principal, id, 'Connections.View');
    if (row.status === 'Pending') throw notEnabled(row);
    let ok = false;
    let message: string | null = null;
    let identity: Awaited<ReturnType<typeof readIdentity>> | undefined;
    try {
      // A Disabled connection lost its grant: an access token may still work for a while, but
      // only a successful renewal proves the connection is healthy again.
      const access = await this.access(row, { allowDisabled: true, force: row.status === 'Disabled' });
      try {
        identity = await readIdentity(this.deps.outbound, access.ctx, access.credentials, access.tokens);
      } catch (error) {
        // A 401 on the identity call may be an access token revoked early: renew once and retry.
        if (error instanceof IdentityError && error.status === 401 && access.tokens) {
          const again = await this.access(row, { allowDisabled: true, rejected: access.tokens.accessToken });
          identity = await readIdentity(this.deps.outbound, again.ctx, again.credentials, again.tokens);
        } else {
          throw error;
        }
      }
      ok = true;
    } catch (error) {
      if (error instanceof Problem && error.code === 'CONNECTION_NOT_ENABLED') {
        message = String(error.extensions.statusMessage ?? error.message);
      } else if (error instanceof IdentityError || error instanceof Problem || error instanceof TransientRenewalError) {
        message = error.message;
      } else {
        throw error;
      }
    }
    await this.db.transaction(async (tx) => {
      await tx.query('UPDATE connections SET last_checked_at = now(), last_check_ok = $2, last_check_message = $3, updated_at = now() WHERE id = $1', [id, ok, message]);
      if (ok && identity) {
        // A successful check proves the credentials work again.
        await tx.query(
          `UPDATE connections SET status = 'Connected', disabled_reason = NULL, status_message = NULL,
             account = coalesce($2, account), account_id = coalesce($3, account_id) WHERE id = $1`,
          [id, identity.account, identity.accountId],
        );
      }
    });
    return toView((await findConnection(this.db, principal.tenantId, id))!);
  }

  /** Reconnect: re-run authentication on the same connection, keeping its id, triggers and default flag. */
  async reconnect(principal: Principal, id: string, input: { fields?: Record<string, unknown> | undefined; returnTo?: string | undefined }): Promise<CreateResult> {
    const row = await this.visibleRow(principal, id, 'Connections.Edit');
    const def = this.connectorOf(row.connector_key);
    const auth = this.authOf(def, row.auth_type);
    const stored = await this.deps.vault.get<ConnectionSecrets>(CONNECTION_SCOPE, id);
    const previous = { ...row.config, ...(stored?.value.fields ?? {}) };
    const { config, secrets } = this.checked(def, auth, input.fields ?? {}, previous);
    const ctx = new ConnectionContext(def, auth, { ...config, ...secrets });

    if (isInteractive(auth)) {
      const authorizationUrl = await this.db.transaction((tx) =>
        this.deps.flow.begin(tx, { connectionId: id, userId: principal.userId, purpose: 'reconnect', ctx, returnTo: input.returnTo, pending: { config, secrets } }),
      );
      return { kind: 'pending', id, status: 'Pending', authorizationUrl };
    }
    const { tokens, identity } = await this.authenticate(ctx);
    await this.db.transaction(async (tx) => {
      await this.deps.vault.put(CONNECTION_SCOPE, id, { fields: secrets, ...(tokens ? { tokens } : {}) } satisfies ConnectionSecrets, tx);
      await markConnected(tx, row, { config, identity, tokens, environment: ctx.environmentKey ?? null });
      await recordEvent(tx, row, 'connection.reconnected', { account: identity.account });
    });
    return { kind: 'connected', connection: toView((await findConnection(this.db, principal.tenantId, id))!) };
  }

  // ---- using ----

  /**
   * Credentials to call the vendor as this connection, renewing the token when due or
   * when the vendor just rejected `rejected`. Only Connected connections may be used.
   */
  async access(row: ConnectionRow, options: { rejected?: string; allowDisabled?: boolean; force?: boolean } = {}): Promise<ConnectionAccess> {
    if (row.status === 'Pending' || (row.status === 'Disabled' && !options.allowDisabled)) throw notEnabled(row);
    const connector = this.connectorOf(row.connector_key);
    let tokens: TokenSet | undefined;
    try {
      tokens = await this.deps.tokens().token(row.id, { ...(options.rejected ? { rejected: options.rejected } : {}), ...(options.force ? { force: true } : {}) });
    } catch (error) {
      if (error instanceof TransientRenewalError) throw new Problem('TOKEN_REFRESH_FAILED', error.message);
      throw error;
    }
    const stored = await this.deps.vault.get<ConnectionSecrets>(CONNECTION_SCOPE, row.id);
    const ctx = this.context(row, stored?.value ?? { fields: {} });
    return { row, connector, ctx, credentials: this.deps.authenticator.credentials(ctx, tokens), tokens };
  }

  async accessById(principal: Principal, id: string, options: { rejected?: string } = {}): Promise<ConnectionAccess> {
    return this.access(await this.visibleRow(principal, id, 'Connections.View'), options);
  }

  /** Called by the token manager when a renewal failed for good: Disabled, with a reason people can act on. */
  async disable(connectionId: string, error: AuthProviderError): Promise<never> {
    const row = await findConnectionById(this.db, connectionId);
    const explained = explainAuthError(error);
    if (row) {
      await this.db.transaction(async (tx) => {
        await tx.query(
          `UPDATE connections SET status = 'Disabled', disabled_reason = $2, status_message = $3, updated_at = now() WHERE id = $1`,
          [connectionId, explained.reason, explained.message],
        );
        await recordEvent(tx, row, 'connection.disabled', { reason: explained.reason, message: explained.message, vendorError: error.error, vendorCode: explained.vendorCode ?? null });
      });
    }
    throw new Problem('CONNECTION_NOT_ENABLED', explained.message, {
      extensions: { disabledReason: explained.reason, statusMessage: explained.message, vendorError: error.error, ...(explained.vendorCode ? { vendorCode: explained.vendorCode } : {}), action: 'reconnect' },
    });
  }

  async renewed(connectionId: string, tokens: TokenSet): Promise<void> {
    await this.db.query(
      `UPDATE connections SET token_expires_at = $2, last_refreshed_at = now(), granted_scopes = coalesce($3::jsonb, granted_scopes) WHERE id = $1`,
      [connectionId, tokens.expiresAt ?? null, tokens.scopes ? JSON.stringify(tokens.scopes) : null],
    );
  }
}

// ---- helpers shared with the authorization flow ----

/** Other stages (triggers) delete what belongs to a connection inside the deleting transaction. */
export type ConnectionDeletionHook = (tx: Queryable, connectionId: string) => Promise<void>;
const connectionDeletionHooks: ConnectionDeletionHook[] = [];
export function onConnectionDeleted(hook: ConnectionDeletionHook): void {
  connectionDeletionHooks.push(hook);
}

/** Before a connection is deleted, while its credentials still work (e.g. deleting vendor webhook subscriptions). */
export type ConnectionDeletingHook = (connectionId: string) => Promise<void>;
const connectionDeletingHooks: ConnectionDeletingHook[] = [];
export function onConnectionDeleting(hook: ConnectionDeletingHook): void {
  connectionDeletingHooks.push(hook);
}

export async function markConnected(
  tx: Queryable,
  row: ConnectionRow,
  update: { config: Record<string, unknown>; identity: { account: string | null; accountId: string | null }; tokens: TokenSet | undefined; environment: string | null },
): Promise<void> {
  await tx.query(
    `UPDATE connections SET status = 'Connected', disabled_reason = NULL, status_message = NULL, config = $2,
       account = $3, account_id = $4, granted_scopes = $5, token_expires_at = $6, last_refreshed_at = $7,
       metadata = $8, environment = $9, name = CASE WHEN name_auto AND $3::text IS NOT NULL THEN $3 ELSE name END,
       updated_at = now()
     WHERE id = $1`,
    [
      row.id, JSON.stringify(update.config), update.identity.account, update.identity.accountId, JSON.stringify(update.tokens?.scopes ?? []),
      update.tokens?.expiresAt ?? null, update.tokens ? new Date().toISOString() : null, JSON.stringify(update.tokens?.metadata ?? {}), update.environment,
    ],
  );
  await claimDefaultIfNone(tx, row);
}

async function insertRow(tx: Queryable, r: Record<string, unknown>): Promise<void> {
  const cols = Object.keys(r);
  const values = cols.map((c) => (c === 'config' || c === 'metadata' || c === 'granted_scopes' ? JSON.stringify(r[c]) : r[c]));
  await tx.query(`INSERT INTO connections (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, values);
}

function notFound(id: string): Problem {
  return new Problem('CONNECTION_NOT_FOUND', `Connection ${id} was not found.`);
}

export function notEnabled(row: Pick<ConnectionRow, 'id' | 'status' | 'disabled_reason' | 'status_message'>): Problem {
  const message =
    row.status === 'Pending'
      ? 'The connection is still Pending: complete the authorization in the browser, or reconnect to get a new link.'
      : (row.status_message ?? 'The connection is Disabled; reconnect it.');
  return new Problem('CONNECTION_NOT_ENABLED', message, {
    extensions: { connectionStatus: row.status, disabledReason: row.disabled_reason, statusMessage: message, action: 'reconnect' },
  });
}

/** A vendor refusal at create or reconnect, explained, with the vendor's own code and message kept. */
export function authFailure(error: unknown): Problem {
  if (error instanceof Problem) return error;
  if (error instanceof PrivateKeyError) {
    return new Problem('VALIDATION_FAILED', error.message, { errors: [{ path: '/body/fields/privateKey', message: error.message, rule: 'private-key' }] });
  }
  if (error instanceof AuthProviderError) {
    if (!error.permanent) return new Problem('VENDOR_UNREACHABLE', `The vendor's authorization server failed or could not be reached: ${error.message}`);
    const explained = explainAuthError(error);
    return new Problem('CONNECTION_AUTH_FAILED', explained.message, {
      extensions: { reason: explained.reason, vendorError: error.error, vendorMessage: error.description.split(/\r?\n/)[0], ...(explained.vendorCode ? { vendorCode: explained.vendorCode } : {}) },
    });
  }
  if (error instanceof IdentityError) {
    if (error.status === undefined || error.status >= 500) return new Problem('VENDOR_UNREACHABLE', error.message);
    return new Problem('CONNECTION_AUTH_FAILED', `The credentials were accepted but reading the connection account failed: ${error.message}`, {
      extensions: { reason: 'identity_failed', vendorStatus: error.status, ...(error.vendorCode ? { vendorError: error.vendorCode } : {}), ...(error.vendorMessage ? { vendorMessage: error.vendorMessage } : {}) },
    });
  }
  throw error;
}

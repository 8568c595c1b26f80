import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { readIdentity } from '../authentication/identity.ts';
import type { Authenticator } from '../authentication/authenticator.ts';
import type { ConnectionContext } from '../authentication/context.ts';
import { AuthProviderError, classifyOAuthError } from '../authentication/errors.ts';
import type { OAuth2Client } from '../authentication/oauth2.ts';
import { CONNECTION_SCOPE, type ConnectionSecrets } from '../authentication/tokens.ts';
import { explainAuthError } from '../authentication/vendor-messages.ts';
import type { Outbound } from '../outbound/http.ts';
import { Problem } from '../problems/problem.ts';
import type { Database, Queryable } from '../store/database.ts';
import type { Vault } from '../vault/vault.ts';
import { type ConnectionRow, type ConnectionView, findConnectionById, recordEvent, toView } from './repository.ts';
import { type Connections, authFailure, markConnected } from './service.ts';

const STATE_SCOPE = 'oauth-state';
/** RFC 9700 §2.1: short-lived, single-use state bound to the pending connection and its user. */
export const STATE_TTL_MINUTES = 10;

interface StateSecrets {
  codeVerifier?: string;
  /** New field values of a reconnect, applied only when it succeeds. */
  pending?: { config: Record<string, unknown>; secrets: Record<string, unknown> };
}

interface StateRow {
  id: string;
  connection_id: string;
  user_id: string;
  purpose: 'connect' | 'reconnect';
  return_to: string | null;
  expired: boolean;
}

export interface CallbackOutcome {
  connection?: ConnectionView;
  problem?: Problem;
  returnTo: string | null;
}

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

/**
 * The browser part of OAuth: issuing the authorization URL with a fresh state and PKCE
 * verifier, and completing the callback. The state is stored hashed; the verifier and any
 * reconnect values are stored in the vault, never in the URL.
 */
export class AuthorizationFlow {
  private connections!: Connections;

  constructor(
    private readonly db: Database,
    private readonly vault: Vault,
    private readonly oauth2: OAuth2Client,
    private readonly authenticator: Authenticator,
    private readonly outbound: Outbound,
    readonly redirectUri: string,
  ) {}

  attach(connections: Connections): void {
    this.connections = connections;
  }

  async begin(
    tx: Queryable,
    input: { connectionId: string; userId: string; purpose: 'connect' | 'reconnect'; ctx: ConnectionContext; returnTo?: string | undefined; pending?: StateSecrets['pending'] },
  ): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    const codeVerifier = this.oauth2.usesPkce(input.ctx) ? oauth.generateRandomCodeVerifier() : undefined;
    const id = randomUUID();
    await tx.query(
      `INSERT INTO oauth_states (id, state_hash, connection_id, user_id, purpose, return_to, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(mins => $7))`,
      [id, hashState(state), input.connectionId, input.userId, input.purpose, safeReturnTo(input.returnTo), STATE_TTL_MINUTES],
    );
    await this.vault.put(STATE_SCOPE, id, { ...(codeVerifier ? { codeVerifier } : {}), ...(input.pending ? { pending: input.pending } : {}) } satisfies StateSecrets, tx);
    const url = await this.oauth2.authorizationUrl(input.ctx, { redirectUri: this.redirectUri, state, ...(codeVerifier ? { codeVerifier } : {}) });
    return url.href;
  }

  /** Handles GET /api/v1/oauth/callback. Never throws: the outcome is rendered for a browser. */
  async complete(params: URLSearchParams, sessionUserId?: string): Promise<CallbackOutcome> {
    const state = params.get('state');
    if (!state) return { problem: invalidState('The callback has no state parameter.'), returnTo: null };
    // Single use: the first request to mark the state used wins; a replay finds it used.
    const [row] = await this.db.query<StateRow>(
      `UPDATE oauth_states SET used_at = now() WHERE state_hash = $1 AND used_at IS NULL
       RETURNING id, connection_id, user_id, purpose, return_to, expires_at < now() AS expired`,
      [hashState(state)],
    );
    if (!row) {
      const [used] = await this.db.query('SELECT 1 FROM oauth_states WHERE state_hash = $1', [hashState(state)]);
      return { problem: invalidState(used ? 'This authorization response was already used. Each link works once; reconnect to get a new one.' : 'The state is unknown: the link was forged, or its connection was deleted.'), returnTo: null };
    }
    const returnTo = row.return_to;
    const secrets = (await this.vault.get<StateSecrets>(STATE_SCOPE, row.id))?.value ?? {};
    await this.vault.delete(STATE_SCOPE, row.id);
    if (row.expired) return { problem: invalidState(`The authorization took longer than ${STATE_TTL_MINUTES} minutes. Start again to get a fresh link.`), returnTo };
    if (sessionUserId && sessionUserId !== row.user_id) {
      return { problem: invalidState('This authorization was started by another user.'), returnTo };
    }
    const connection = await findConnectionById(this.db, row.connection_id);
    if (!connection) return { problem: invalidState('The connection of this authorization no longer exists.'), returnTo };

    try {
      const view = await this.finish(connection, row, params, secrets);
      return { connection: view, returnTo };
    } catch (error) {
      const problem = error instanceof Problem ? error : authFailure(error);
      if (row.purpose === 'connect') {
        await this.db.query('UPDATE connections SET status_message = $2, updated_at = now() WHERE id = $1 AND status = $3', [connection.id, problem.message, 'Pending']);
      }
      return { problem: withConnection(problem, connection.id), returnTo };
    }
  }

  private async finish(row: ConnectionRow, state: StateRow, params: URLSearchParams, secrets: StateSecrets): Promise<ConnectionView> {
    const vendorError = params.get('error');
    if (vendorError) {
      const description = params.get('error_description') ?? '';
      const error = classifyOAuthError(vendorError, description, undefined, []);
      const explained = explainAuthError(error);
      throw new Problem('VENDOR_CONSENT_ERROR', explained.message, {
        extensions: { vendorError, vendorMessage: description.split(/\r?\n/)[0], ...(explained.vendorCode ? { vendorCode: explained.vendorCode } : {}) },
      });
    }
    if (!params.get('code')) throw invalidState('The callback has neither a code nor an error.');
    const stored = (await this.vault.get<ConnectionSecrets>(CONNECTION_SCOPE, row.id))?.value ?? { fields: {} };
    const pending = secrets.pending;
    const ctx = this.connections.context(row, stored, pending);
    const tokens = await this.oauth2.exchangeCode(ctx, { callbackParams: params, redirectUri: this.redirectUri, codeVerifier: secrets.codeVerifier });
    const identity = await readIdentity(this.outbound, ctx, this.authenticator.credentials(ctx, tokens), tokens);
    await this.db.transaction(async (tx) => {
      await this.vault.put(CONNECTION_SCOPE, row.id, { fields: pending ? pending.secrets : stored.fields, tokens } satisfies ConnectionSecrets, tx);
      await markConnected(tx, row, { config: pending ? pending.config : row.config, identity, tokens, environment: ctx.environmentKey ?? row.environment });
      await recordEvent(tx, row, state.purpose === 'reconnect' ? 'connection.reconnected' : 'connection.connected', { account: identity.account });
    });
    return toView((await findConnectionById(this.db, row.id))!);
  }

  /** Pending authorizations nobody finished: their states expire, and connections never connected go away after a day. */
  async sweep(): Promise<void> {
    await this.db.query("DELETE FROM vault_secrets WHERE scope = $1 AND owner_id IN (SELECT id FROM oauth_states WHERE expires_at < now() - interval '1 hour')", [STATE_SCOPE]);
    await this.db.query("DELETE FROM oauth_states WHERE expires_at < now() - interval '1 hour'");
    await this.db.query(
      `DELETE FROM vault_secrets WHERE scope = $1 AND owner_id IN (SELECT id FROM connections WHERE status = 'Pending' AND last_refreshed_at IS NULL AND created_at < now() - interval '1 day')`,
      [CONNECTION_SCOPE],
    );
    await this.db.query("DELETE FROM connections WHERE status = 'Pending' AND last_refreshed_at IS NULL AND created_at < now() - interval '1 day'");
  }
}

function invalidState(detail: string): Problem {
  return new Problem('OAUTH_STATE_INVALID', detail);
}

function withConnection(problem: Problem, connectionId: string): Problem {
  return new Problem(problem.code, problem.message, { status: problem.status, ...(problem.errors ? { errors: problem.errors } : {}), extensions: { ...problem.extensions, connectionId } });
}

/** Only paths of this service: an absolute URL here would make the callback an open redirect. */
export function safeReturnTo(value: string | undefined): string | null {
  if (!value) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  return value;
}

export { AuthProviderError };

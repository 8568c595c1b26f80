import type { FastifyBaseLogger } from 'fastify';
import type { TokenManager } from '../authentication/tokens.ts';
import type { Database } from '../store/database.ts';
import type { AuthorizationFlow } from './authorization-flow.ts';

/** Vendors expire refresh tokens that go unused (Microsoft: 90 days); renewing daily keeps idle connections alive. */
const IDLE_RENEWAL_HOURS = 20;

/**
 * Background upkeep of connections, run by every instance: renew idle refresh tokens and
 * clear abandoned authorizations. Safe to run in several instances at once (the token
 * manager's lock and version check make a second renewal a no-op).
 */
export class ConnectionMaintenance {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly tokens: TokenManager,
    private readonly flow: AuthorizationFlow,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(intervalMs = 60 * 60 * 1000): void {
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async runOnce(): Promise<{ renewed: number; failed: number }> {
    let renewed = 0;
    let failed = 0;
    try {
      await this.flow.sweep();
      const idle = await this.db.query<{ id: string; version: number }>(
        `SELECT c.id, s.version FROM connections c JOIN vault_secrets s ON s.scope = 'connection' AND s.owner_id = c.id
          WHERE c.status = 'Connected' AND c.last_refreshed_at < now() - make_interval(hours => $1)
          ORDER BY c.last_refreshed_at LIMIT 500`,
        [IDLE_RENEWAL_HOURS],
      );
      for (const { id, version } of idle) {
        try {
          await this.tokens.renew(id, version);
          renewed++;
        } catch (error) {
          failed++;
          this.log.warn({ connectionId: id, err: (error as Error).message }, 'idle connection renewal failed');
        }
      }
    } catch (error) {
      this.log.error({ err: error }, 'connection maintenance failed');
    }
    return { renewed, failed };
  }
}

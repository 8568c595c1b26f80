import { Writable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/http/logging.ts';
import { type Switchboard, createSwitchboard } from '../../src/service.ts';
import { type StoreKind, type TestStore, openTestStore } from './stores.ts';

export const ADMIN_KEY = 'sb_test-administrator-key-0123456789abcdef';
/** A fixed vault master key for tests (32 bytes, base64). */
export const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

/** Everything the service logged, one parsed JSON object per line, for assertions and secret scans. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.lines.push(line);
    done();
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  /** Every secret that appears anywhere in the log, of those given. */
  leaked(secrets: string[]): string[] {
    const text = this.lines.join('\n');
    return secrets.filter((s) => s.length > 0 && text.includes(s));
  }
}

export interface TestService {
  sb: Switchboard;
  store: TestStore;
  logs: LogCapture;
  /** Calls the API in-process; `key` defaults to the administrator key, `null` sends none. */
  api(method: InjectOptions['method'], url: string, options?: { key?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestService(kind: StoreKind, env: Record<string, string> = {}): Promise<TestService> {
  const store = await openTestStore(kind);
  const logs = new LogCapture();
  const config = loadConfig({ SWITCHBOARD_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, SWITCHBOARD_MASTER_KEY: MASTER_KEY, PORT: '0', LOG_LEVEL: 'info', ...env });
  const sb = await createSwitchboard(config, { logger: createLogger('info', logs), db: store.db, tokens: { baseDelayMs: 5 } });
  return {
    sb,
    store,
    logs,
    api(method, url, options = {}) {
      const key = options.key === undefined ? ADMIN_KEY : options.key;
      const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...options.headers };
      return sb.app.inject({ method, url, headers, ...(options.body !== undefined ? { payload: options.body as never } : {}) });
    },
    async close() {
      await sb.close();
      await store.drop();
    },
  };
}

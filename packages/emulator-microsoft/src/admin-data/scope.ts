/**
 * What the admin data API shares: the store, a stand-in request scope so admin views use the
 * same serializers as Graph (links are built for the global listener), and user lookups that
 * fail with admin errors rather than Graph ones.
 */
import { LISTENERS } from '../clouds.ts';
import type { EmulatorContext, ListenerContext } from '../context.ts';
import type { GraphStore } from '../data/store.ts';
import { requireUser } from '../directory.ts';
import { InputError } from '../input.ts';
import type { User } from '../model.ts';
import { relativeInstant } from './relative-time.ts';

export class AdminScope {
  constructor(readonly ctx: EmulatorContext) {}

  get store(): GraphStore {
    return this.ctx.state.data;
  }

  /** Serializers read the environment from here; admin views describe the global cloud. */
  get l(): ListenerContext {
    return { def: LISTENERS.global, emu: this.ctx };
  }

  get origin(): string {
    return this.ctx.origins.global;
  }

  now(): number {
    return this.ctx.state.now();
  }

  user(ref: string, path = 'user'): User {
    if (typeof ref !== 'string' || ref === '') throw new InputError(`${path} must be a user id or userPrincipalName`);
    return requireUser(this.ctx.state, ref, path);
  }

  mailUser(ref: string): User {
    const u = this.user(ref);
    if (!this.store.hasMailbox(u)) throw new InputError(`user ${u.userPrincipalName} has no mailbox (its mail is null)`);
    return u;
  }
}

/** An instant from an ISO string, epoch ms, Date or a relative `now-2d`; undefined when absent. */
export function instantOf(v: unknown, path: string, nowMs: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  const relative = relativeInstant(v, nowMs);
  if (relative !== undefined) return relative;
  const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isFinite(ms)) throw new InputError(`${path} must be an ISO date, epoch milliseconds or a Date`);
  return ms;
}

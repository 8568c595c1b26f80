/** A connector's `http.rateLimit`: how hard one connection may use its vendor. */
export interface LimitSettings {
  /** Requests in flight at once. */
  concurrency?: number | undefined;
  /** Sustained request rate (token bucket refill). */
  requestsPerSecond?: number | undefined;
  /** Requests allowed at once after a quiet spell (bucket size); defaults to one second's worth. */
  burst?: number | undefined;
}

export type Release = () => void;

interface Waiter {
  resolve(release: Release): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface State {
  inFlight: number;
  queue: Waiter[];
  tokens: number;
  refilledAt: number;
  /** Set when the vendor said to wait (Retry-After, quota reset): nobody goes before. */
  pausedUntil: number;
  timer: NodeJS.Timeout | undefined;
  settings: LimitSettings;
}

const NO_RELEASE: Release = () => {};
const FREE = Promise.resolve(NO_RELEASE);

/**
 * Per-connection throttling, so Switchboard paces calls before the vendor has to refuse them
 * (peers only react to 429s). Each connection has a concurrency cap and a token bucket from its
 * connector's `http.rateLimit`, and can be paused when the vendor says when to come back.
 * Requests wait in FIFO order rather than fail; the caller's deadline (its abort signal) is the
 * only limit on waiting. Connections without limits and without a pause cost nothing.
 */
export class ConnectionLimiter {
  private readonly states = new Map<string, State>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Waits for a slot and a token; resolves with the function that gives the slot back. */
  acquire(key: string, settings: LimitSettings | undefined, signal?: AbortSignal): Promise<Release> {
    let state = this.states.get(key);
    if (!state) {
      if (!isLimited(settings)) return FREE;
      state = this.create(settings!);
      this.states.set(key, state);
    }
    state.settings = settings ?? {};
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const i = state.queue.indexOf(waiter);
          if (i !== -1) state.queue.splice(i, 1);
          reject(signal.reason);
          this.pump(key, state);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      state.queue.push(waiter);
      this.pump(key, state);
    });
  }

  /** Holds every request of the connection until `untilMs` (the vendor's Retry-After or reset time). */
  pause(key: string, untilMs: number, settings?: LimitSettings): void {
    let state = this.states.get(key);
    if (!state) {
      state = this.create(settings ?? {});
      this.states.set(key, state);
    }
    if (untilMs > state.pausedUntil) state.pausedUntil = untilMs;
  }

  /** For tests and metrics: requests waiting and in flight on a connection. */
  snapshot(key: string): { waiting: number; inFlight: number } {
    const s = this.states.get(key);
    return { waiting: s?.queue.length ?? 0, inFlight: s?.inFlight ?? 0 };
  }

  private create(settings: LimitSettings): State {
    return { inFlight: 0, queue: [], tokens: capacity(settings), refilledAt: this.now(), pausedUntil: 0, timer: undefined, settings };
  }

  private pump(key: string, state: State): void {
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
    while (state.queue.length > 0) {
      const now = this.now();
      if (now < state.pausedUntil) return this.wake(key, state, state.pausedUntil - now);
      const { concurrency, requestsPerSecond } = state.settings;
      if (concurrency !== undefined && state.inFlight >= concurrency) return; // a release pumps again
      if (requestsPerSecond !== undefined) {
        this.refill(state, now);
        if (state.tokens < 1) return this.wake(key, state, Math.ceil(((1 - state.tokens) / requestsPerSecond) * 1000));
        state.tokens -= 1;
      }
      const waiter = state.queue.shift()!;
      if (waiter.onAbort) waiter.signal!.removeEventListener('abort', waiter.onAbort);
      state.inFlight++;
      let released = false;
      waiter.resolve(() => {
        if (released) return;
        released = true;
        state.inFlight--;
        this.pump(key, state);
      });
    }
    this.prune(key, state);
  }

  private refill(state: State, now: number): void {
    const rps = state.settings.requestsPerSecond;
    if (rps === undefined) return;
    state.tokens = Math.min(capacity(state.settings), state.tokens + ((now - state.refilledAt) / 1000) * rps);
    state.refilledAt = now;
  }

  private wake(key: string, state: State, delayMs: number): void {
    state.timer = setTimeout(() => {
      state.timer = undefined;
      this.pump(key, state);
    }, Math.max(1, delayMs));
  }

  /** Forgets an idle connection once its bucket is full again, so the map holds only busy ones. */
  private prune(key: string, state: State): void {
    if (state.inFlight > 0 || state.queue.length > 0 || state.timer) return;
    const now = this.now();
    if (now < state.pausedUntil) return;
    this.refill(state, now);
    if (state.settings.requestsPerSecond !== undefined && state.tokens < capacity(state.settings)) return;
    this.states.delete(key);
  }
}

function isLimited(settings: LimitSettings | undefined): boolean {
  return settings !== undefined && (settings.concurrency !== undefined || settings.requestsPerSecond !== undefined);
}

function capacity(settings: LimitSettings): number {
  return settings.burst ?? Math.max(1, Math.ceil(settings.requestsPerSecond ?? 1));
}

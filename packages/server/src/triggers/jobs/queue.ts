/**
 * The background work of triggers (polls, deliveries, subscription upkeep) as named jobs.
 * On PostgreSQL it is pg-boss, so every instance shares one queue and each job runs once; the
 * embedded store cannot host pg-boss, so there the same handlers run on an in-process queue.
 * Either way the store, not the queue, holds the truth (events, cursors, schedules): a job
 * lost with a crashed process is found again by the sweeps of the ticker.
 */
export interface JobOptions {
  /** Jobs with the same key in a `stately` queue: at most one waiting and one running. */
  singletonKey?: string;
  /** Run no earlier than this many milliseconds from now. */
  startAfterMs?: number;
}

export interface QueueSettings {
  /** standard: every job runs; stately: one waiting and one running per singleton key. */
  policy: 'standard' | 'stately';
  /** Jobs a worker takes at once; the handler receives them together. */
  batchSize: number;
  /** Workers of this queue in this process. */
  concurrency: number;
  /** A running job whose process died is retried after this long. */
  expireInSeconds: number;
  /** Retries of a job whose handler threw (the store decides anything beyond). */
  retryLimit: number;
}

export interface Job<T> {
  id: string;
  data: T;
}

export type JobHandler<T> = (jobs: Job<T>[]) => Promise<void>;

export interface JobQueue {
  readonly kind: 'pg-boss' | 'in-process';
  start(): Promise<void>;
  /** Declares a queue; call before send and work. */
  define(name: string, settings: QueueSettings): Promise<void>;
  send<T extends object>(name: string, data: T, options?: JobOptions): Promise<void>;
  sendMany<T extends object>(name: string, items: Array<{ data: T; options?: JobOptions }>): Promise<void>;
  work<T>(name: string, handler: JobHandler<T>): Promise<void>;
  /** Stops taking jobs and waits for running handlers (up to a grace period). */
  stop(): Promise<void>;
}

/** The trigger engine's queues. */
export const JOBS = {
  poll: 'trigger-poll',
  deliver: 'trigger-deliver',
  subscription: 'trigger-subscription',
} as const;

/** A delivery job carries the ids of events stored about the same time. */
export interface DeliveryJob {
  eventIds: string[];
}

export const DELIVERY_JOB_SIZE = 100;

export function deliveryJobs(ids: string[]): Array<{ data: DeliveryJob }> {
  const jobs: Array<{ data: DeliveryJob }> = [];
  for (let i = 0; i < ids.length; i += DELIVERY_JOB_SIZE) jobs.push({ data: { eventIds: ids.slice(i, i + DELIVERY_JOB_SIZE) } });
  return jobs;
}

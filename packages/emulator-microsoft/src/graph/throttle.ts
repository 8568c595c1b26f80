/**
 * Injected Graph faults: added latency, then throttling (429 TooManyRequests or 503, both with
 * Retry-After). They run after authentication, per request; a $batch envelope is exempt because
 * Graph throttles the requests inside a batch one by one (each then reports its own 429).
 */
import type { FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ListenerContext } from '../context.ts';
import { GraphErrors } from './errors.ts';

export async function applyGraphFaults(req: FastifyRequest, l: ListenerContext): Promise<void> {
  const path = req.url.split('?')[0]!;
  if (/^\/v1\.0\/\$batch\/?$/i.test(path)) return;
  const state = l.emu.state;
  const delay = state.graphDelayMs(l.def.name, path);
  if (delay > 0) await sleep(delay);
  const fault = state.takeGraphThrottle(l.def.name, req.method, path);
  if (!fault) return;
  throw fault.status === 503 ? GraphErrors.serviceUnavailable(fault.retryAfterSeconds) : GraphErrors.tooManyRequests(fault.retryAfterSeconds);
}

import { Problem } from '../problems/problem.ts';
import { DestinationRefused } from './destinations.ts';
import { BodyTooLarge } from './response-body.ts';

/** Why a call ended without a vendor answer to return. */
export type Failure = 'timeout' | 'cancelled' | 'destination' | 'too-large' | 'network';

/** Classifies what an attempt threw. The call's own deadline is checked first: its abort surfaces as many error types. */
export function failureOf(error: unknown, deadline: AbortSignal): Failure {
  if (deadline.aborted) return 'timeout';
  if ((error as { name?: string })?.name === 'AbortError' || (error as { code?: string })?.code === 'UND_ERR_ABORTED') return 'cancelled';
  if (findDestinationRefused(error)) return 'destination';
  if (error instanceof BodyTooLarge) return 'too-large';
  return 'network';
}

/** The DestinationRefused behind an error, however the connect step wrapped it. */
export function findDestinationRefused(error: unknown): DestinationRefused | undefined {
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    if (e instanceof DestinationRefused) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface FailureContext {
  vendor: string;
  attempts: number;
  timeoutMs: number;
}

const plural = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;

/** The problem for a failure; a cancellation stays the caller's own error (nobody is waiting for a problem). */
export function problemForFailure(error: unknown, failure: Failure, ctx: FailureContext): Problem | Error {
  switch (failure) {
    case 'timeout':
      return new Problem('TIMEOUT', `${ctx.vendor} did not answer within ${formatDuration(ctx.timeoutMs)} (${plural(ctx.attempts)}).`, {
        extensions: { timeoutMs: ctx.timeoutMs, attempts: ctx.attempts },
      });
    case 'cancelled':
      return error instanceof Error ? error : new Error('The call was cancelled');
    case 'destination': {
      const refused = findDestinationRefused(error)!;
      return new Problem('DESTINATION_NOT_ALLOWED', `${refused.message}. Nothing was sent.`, { extensions: { host: refused.hostname, addressCategory: refused.category } });
    }
    case 'too-large': {
      const big = error as BodyTooLarge;
      return new Problem(
        'RESPONSE_TOO_LARGE',
        `${ctx.vendor}'s ${big.json ? 'JSON ' : ''}response is larger than ${big.limit} bytes${big.declared ? ` (it declared ${big.declared})` : ''}; Switchboard stopped reading it.`,
        { extensions: { limitBytes: big.limit, ...(big.declared ? { declaredBytes: big.declared } : {}) } },
      );
    }
    default: {
      const code = (error as { code?: string })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
      return new Problem('VENDOR_UNREACHABLE', `${ctx.vendor} could not be reached${code ? ` (${code})` : ''} after ${plural(ctx.attempts)}.`, {
        extensions: { attempts: ctx.attempts, ...(code ? { networkError: code } : {}) },
      });
    }
  }
}

function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} seconds` : `${ms} ms`;
}

import { Problem } from '../../problems/problem.ts';
import type { RegisteredStep } from './index.ts';

/** Polls of the copy monitor, with growing waits: about 40 seconds in all, inside the call's time limit. */
const POLL_DELAYS_MS = [250, 500, 1000, 2000, 3000, 5000, 8000, 10000, 10000];

interface CopyStatus {
  status?: string;
  resourceId?: string;
  percentageComplete?: number;
  error?: { code?: string; message?: string };
}

/**
 * Copy File or Folder: Graph copies in the background. POST .../copy answers 202 with a
 * monitor URL in Location; the monitor (pre-authorised, no credentials) reports status until
 * completed, with the new item's id as resourceId. The step waits for that, then reads the copy.
 */
export const graphCopyItem: RegisteredStep = {
  run: async (ctx) => {
    const accepted = await ctx.call(ctx.activity.request);
    const monitor = accepted.headers['location'];
    if (!monitor) throw new Problem('ACTIVITY_UNEXPECTED_RESPONSE', 'Microsoft Graph accepted the copy but gave no monitor URL to follow it.');

    for (const [i, wait] of [0, ...POLL_DELAYS_MS].entries()) {
      if (wait) await ctx.sleep(wait);
      // A finished copy may answer with a redirect to the new item; the client follows it.
      const res = await ctx.callUrl({ method: 'GET', url: new URL(monitor, accepted.url ?? undefined).href, idempotent: true }, { accept: [202, 303] });
      const status = (res.json ?? {}) as CopyStatus & { id?: string };
      if (status.status === 'failed') {
        throw new Problem('ACTIVITY_INCOMPLETE', `Microsoft Graph could not copy the item: ${status.error?.message ?? 'the copy failed'}.`, {
          extensions: { completedSteps: 1 + i, ...(status.error?.code ? { vendorCode: status.error.code } : {}) },
        });
      }
      const itemId = status.status === 'completed' ? status.resourceId : status.id && !status.status ? status.id : undefined;
      if (itemId) {
        const destinationDrive = ctx.input.destinationDriveId;
        const item = await ctx.call(
          { method: 'GET', path: destinationDrive ? '/drives/{destinationDriveId}/items/{copyId}' : '{drive}/items/{copyId}' },
          { ...ctx.input, copyId: itemId },
        );
        return { itemId, status: 'completed', item: item.json ?? null };
      }
    }
    throw new Problem('ACTIVITY_INCOMPLETE', 'The copy did not finish within about 40 seconds; it may still complete. Check the destination folder before retrying.', {
      extensions: { completedSteps: 1, monitorUrl: monitor },
    });
  },
};

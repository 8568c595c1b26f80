import type { ActivityRecorder } from '../../usage/recorder.ts';
import type { Clock } from '../delivery/policy.ts';
import type { TriggerRow } from '../model.ts';

interface Tally {
  trigger: Pick<TriggerRow, 'id' | 'tenant_id' | 'folder_id' | 'connection_id' | 'connector_key'>;
  operation: string;
  units: number;
  requestId: string;
}

/**
 * Trigger starts from webhooks, for the usage ledger. A busy webhook brings thousands of
 * events a minute; one ledger row and one request log entry each would cost the store more than
 * the events themselves. So starts are summed per trigger and written once a second (the
 * ledger's `units` says how many automations a row stands for, exactly as a poll reports them).
 */
export class StartsMeter {
  private tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly recorder: ActivityRecorder,
    private readonly clock: Clock,
    private readonly everyMs = 1000,
  ) {}

  count(trigger: Tally['trigger'], operation: string, units: number, requestId: string): void {
    if (units <= 0) return;
    const tally = this.tallies.get(trigger.id);
    if (tally) {
      tally.units += units;
      tally.requestId = requestId;
    } else {
      this.tallies.set(trigger.id, { trigger, operation, units, requestId });
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.everyMs);
      this.timer.unref();
    }
  }

  /** Records what was counted (also at shutdown, so no start goes unbilled). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const tallies = [...this.tallies.values()];
    this.tallies = new Map();
    for (const { trigger, operation, units, requestId } of tallies) {
      this.recorder.record({
        at: this.clock.now(),
        requestId,
        tenantId: trigger.tenant_id,
        folderId: trigger.folder_id,
        connectionId: trigger.connection_id,
        connector: trigger.connector_key,
        kind: 'trigger',
        operation,
        method: 'WEBHOOK',
        redactedUrl: `/api/v1/triggers/${trigger.id}`,
        status: null,
        errorCode: null,
        durationMs: 0,
        requestBytes: 0,
        responseBytes: 0,
        attempts: 1,
        billable: true,
        units,
      });
    }
  }
}

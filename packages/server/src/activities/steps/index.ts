import type { ActivityDefinition, ConnectorDefinition } from '@switchboard/catalog';
import { RECORDS_LIST_STEP } from '../records.ts';
import { excelAppendRow } from './excel-append-row.ts';
import { excelWriteRange } from './excel-write-range.ts';
import { graphAddCategories, graphRemoveCategories } from './graph-categories.ts';
import { graphCopyItem } from './graph-copy-item.ts';
import { graphGetEmails } from './graph-get-emails.ts';
import { graphSendEmail } from './graph-send-email.ts';
import { graphUploadFile } from './graph-upload-file.ts';
import { recordsList } from './records-list.ts';
import type { Step } from './step.ts';

export interface RegisteredStep {
  run: Step;
  /** Input checks that need no vendor call, run before the connection's credentials are touched. */
  check?: (call: { connector: ConnectorDefinition; activity: ActivityDefinition; input: Record<string, unknown> }) => void;
}

export type StepRegistry = ReadonlyMap<string, RegisteredStep>;

/**
 * The steps connectors may name in `handler`. Small on purpose: each is one multi-request
 * pattern that a declarative request cannot express; everything else stays data.
 */
export const BUILT_IN_STEPS: StepRegistry = new Map<string, RegisteredStep>([
  [RECORDS_LIST_STEP, recordsList],
  ['graph-send-email', graphSendEmail],
  ['graph-get-emails', graphGetEmails],
  ['graph-add-categories', graphAddCategories],
  ['graph-remove-categories', graphRemoveCategories],
  ['graph-upload-file', graphUploadFile],
  ['graph-copy-item', graphCopyItem],
  ['excel-write-range', excelWriteRange],
  ['excel-append-row', excelAppendRow],
]);

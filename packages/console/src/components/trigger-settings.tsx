import type { FilterFieldDefinition } from '@switchboard/catalog/types';
import { Notice } from './notice.tsx';
import { type FilterDraft, FilterBuilder } from './trigger-filter.tsx';

/**
 * The parts of a trigger that are set when it is added and changed later (its filter and where
 * its events go): one rendering for the Add trigger and Edit trigger forms.
 */

export type FilterMode = 'conditions' | 'expression';

export interface FilterSetting {
  mode: FilterMode;
  draft: FilterDraft;
  expression: string;
}

export function FilterFieldset({ fields, value, onChange, invalid }: { fields: FilterFieldDefinition[]; value: FilterSetting; onChange: (next: FilterSetting) => void; invalid?: number | undefined }) {
  return (
    <fieldset>
      <legend>Filter <span className="muted">(optional)</span></legend>
      <div className="row" role="radiogroup" aria-label="Filter with">
        <label className="checkbox">
          <input type="radio" name="filter-mode" checked={value.mode === 'conditions'} onChange={() => onChange({ ...value, mode: 'conditions' })} /> <span>Conditions</span>
        </label>
        <label className="checkbox">
          <input type="radio" name="filter-mode" checked={value.mode === 'expression'} onChange={() => onChange({ ...value, mode: 'expression' })} /> <span>JMESPath expression</span>
        </label>
      </div>
      {value.mode === 'conditions' ? (
        <>
          <FilterBuilder fields={fields} draft={value.draft} onChange={(draft) => onChange({ ...value, draft })} invalid={invalid} />
          <p className="hint">Only events whose record matches are delivered. Text comparisons are case-sensitive.</p>
        </>
      ) : (
        <div className="field">
          <label htmlFor="trigger-filter" className="visually-hidden">JMESPath expression</label>
          <input
            id="trigger-filter"
            value={value.expression}
            onChange={(e) => onChange({ ...value, expression: e.target.value })}
            spellCheck={false}
            placeholder="e.g. contains(subject, 'Invoice')"
            aria-describedby="filter-hint"
          />
          <span id="filter-hint" className="hint">A JMESPath expression on the event record; only events it passes are delivered.</span>
        </div>
      )}
    </fieldset>
  );
}

export interface TargetSetting {
  type: 'queue' | 'webhook';
  url: string;
}

export function TargetFieldset({ value, onChange }: { value: TargetSetting; onChange: (next: TargetSetting) => void }) {
  return (
    <fieldset>
      <legend>Deliver events to</legend>
      <label className="checkbox">
        <input type="radio" name="target" checked={value.type === 'queue'} onChange={() => onChange({ ...value, type: 'queue' })} /> <span>A pull queue (read with the API)</span>
      </label>
      <label className="checkbox">
        <input type="radio" name="target" checked={value.type === 'webhook'} onChange={() => onChange({ ...value, type: 'webhook' })} /> <span>A webhook</span>
      </label>
      {value.type === 'webhook' && (
        <div className="field">
          <label htmlFor="trigger-url">Webhook URL</label>
          <input id="trigger-url" name="url" type="url" required placeholder="https://automation.example.com/hooks/switchboard" value={value.url} onChange={(e) => onChange({ ...value, url: e.target.value })} />
        </div>
      )}
    </fieldset>
  );
}

/** The API's target for a setting. */
export const targetOf = (t: TargetSetting) => (t.type === 'queue' ? { type: 'queue' as const } : { type: 'webhook' as const, url: t.url.trim() });

/** Shown once, when a trigger starts delivering to a webhook: the secret its deliveries are signed with. */
export function SigningSecretNotice({ secret }: { secret: string }) {
  return (
    <Notice kind="success" title="Store the signing secret now">
      <p>Your webhook verifies each delivery with this secret (Standard Webhooks). It is not shown again.</p>
      <input aria-label="Signing secret" readOnly value={secret} className="grow" onFocus={(e) => e.currentTarget.select()} />
    </Notice>
  );
}

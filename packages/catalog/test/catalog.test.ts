import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Catalog, ConnectorDefinitionError, loadBuiltInConnectors, loadConnector, loadConnectorDirectory, publicView, summarize } from '../src/index.ts';
import { crm, helpdesk, legacy, minimal } from './fixtures.ts';

function catalog(): Catalog {
  const c = new Catalog(loadBuiltInConnectors());
  for (const def of [helpdesk, crm, legacy]) c.register(structuredClone(def));
  return c;
}
const keys = (defs: Array<{ key: string }>) => defs.map((d) => d.key);

describe('Catalog', () => {
  it('lists everything by display name', () => {
    assert.deepEqual(keys(catalog().list()), ['crm-cloud', 'helpdesk-pro', 'http', 'http-webhook', 'legacy-api', 'microsoft-365']);
  });

  it('filters by q over key, display name, vendor and categories, case-insensitively', () => {
    const c = catalog();
    assert.deepEqual(keys(c.list({ q: 'MICROSOFT' })), ['microsoft-365']);
    assert.deepEqual(keys(c.list({ q: 'switchboard' })), ['http', 'http-webhook']);
    assert.deepEqual(keys(c.list({ q: 'itsm' })), ['helpdesk-pro']);
    assert.deepEqual(keys(c.list({ q: 'pro' })), ['helpdesk-pro', 'microsoft-365']);
    assert.deepEqual(keys(c.list({ q: 'nothing-like-this' })), []);
  });

  it('filters by category, auth type and triggers, and combines filters', () => {
    const c = catalog();
    assert.deepEqual(keys(c.list({ category: 'generic' })), ['http', 'http-webhook']);
    assert.deepEqual(keys(c.list({ authType: 'client-certificate' })), ['http', 'legacy-api', 'microsoft-365']);
    assert.deepEqual(keys(c.list({ hasTriggers: true })), ['crm-cloud', 'helpdesk-pro', 'http-webhook', 'microsoft-365']);
    assert.deepEqual(keys(c.list({ hasTriggers: false })), ['http', 'legacy-api']);
    assert.deepEqual(keys(c.list({ category: 'Generic', hasTriggers: true })), ['http-webhook']);
    assert.deepEqual(keys(c.list({ q: 'crm', authType: 'jwt-bearer' })), ['crm-cloud']);
  });

  it('gets by key and keeps stored definitions immutable', () => {
    const c = catalog();
    const m365 = c.get('microsoft-365');
    assert.equal(m365?.displayName, 'Microsoft 365');
    assert.equal(c.get('nope'), undefined);
    assert.throws(() => {
      (m365 as { displayName: string }).displayName = 'x';
    }, TypeError);
  });

  it('registers valid custom connectors and refuses invalid, duplicate or built-in keys', () => {
    const c = new Catalog(loadBuiltInConnectors());
    const acme = c.register(minimal());
    assert.equal(c.get('acme'), acme);
    assert.throws(() => c.register(minimal()), (e: unknown) => e instanceof ConnectorDefinitionError && e.errors[0]?.rule === 'duplicate-connector');
    assert.equal(c.register({ ...minimal(), version: '1.1.0' }, { replace: true }).version, '1.1.0');
    assert.throws(() => c.register({ ...minimal(), key: 'http', displayName: 'HTTP' }, { replace: true }), /built-in/);
    assert.throws(() => c.register({ ...minimal(), key: 'Bad Key' }, { source: 'upload' }), /Connector "upload" is invalid at \/key/);
    assert.equal(c.unregister('acme'), true);
    assert.equal(c.get('acme'), undefined);
    assert.throws(() => c.unregister('http'), /built-in/);
  });

  it('publishes definitions without internal notes', () => {
    const c = catalog();
    const m365 = c.get('microsoft-365');
    assert.ok(m365?.notes && m365.auth.some((a) => a.notes));
    const view = c.publicView(m365);
    assert.equal(view.notes, undefined);
    assert.ok(view.auth.every((a) => a.notes === undefined));
    assert.equal(view.auth.length, m365.auth.length);
    assert.equal(JSON.stringify(view).includes('"notes"'), false);
    assert.equal(view.$schema, 'https://switchboard.dev/schemas/connector.json');
    assert.equal(publicView(crm).notes, undefined);
    // The stored definition is untouched.
    assert.ok(c.get('microsoft-365')?.notes);
  });

  it('summarizes a connector for the catalogue page', () => {
    const summary = summarize(catalog().get('microsoft-365') ?? assert.fail());
    assert.deepEqual(summary.authTypes.map((a) => [a.type, a.default]), [['oauth2-byoa', true], ['oauth2-client-credentials', false], ['client-certificate', false]]);
    assert.equal(summary.hasHttpRequest, true);
    assert.equal(summary.hasTriggers, true);
    assert.equal(summarize(legacy).hasTriggers, false);
    assert.equal(summarize(legacy).authTypes[0]?.default, true, 'the first auth type is the default when none is marked');
  });
});

describe('loadConnector', () => {
  it('reports JSON syntax errors with the source name', () => {
    assert.throws(() => loadConnector('{"key": ', 'custom.json'), /Connector "custom.json" is invalid at the top level: not valid JSON.*\(json-syntax\)/);
  });
  it('accepts parsed values and text', () => {
    assert.equal(loadConnector(JSON.stringify(minimal()), 'a.json').key, 'acme');
    assert.equal(loadConnector(minimal(), 'a.json').key, 'acme');
  });
});

describe('loadConnectorDirectory', () => {
  it('requires each file to be named after its key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    try {
      writeFileSync(join(dir, 'acme.json'), JSON.stringify(minimal()));
      writeFileSync(join(dir, 'readme.txt'), 'ignored');
      assert.deepEqual(loadConnectorDirectory(pathToFileURL(dir)).map((d) => d.key), ['acme']);
      writeFileSync(join(dir, 'zeta.json'), JSON.stringify({ ...minimal(), key: 'other' }));
      assert.throws(() => loadConnectorDirectory(pathToFileURL(dir)), /Connector "other" is invalid at \/key: the file zeta.json must be named other.json \(file-name\)/);
      writeFileSync(join(dir, 'zeta.json'), JSON.stringify({ ...minimal(), key: 'zeta', auth: [] }));
      assert.throws(() => loadConnectorDirectory(pathToFileURL(dir)), /Connector "zeta" is invalid at \/auth: must NOT have fewer than 1 items \(min-items\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

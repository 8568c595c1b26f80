import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_DATA_IDS, type MicrosoftEmulator } from '../src/index.ts';
import { start } from './helpers.ts';
import { appOnly, assertError, client, delegated, type Client } from './graph-helpers.ts';

const SITE = DEFAULT_DATA_IDS.sites.marketing;
const LIST = `/sites/${SITE.id}/lists/${SITE.campaignsList}`;
let emu: MicrosoftEmulator;
let sites: Client;

before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(async () => {
  emu.reset();
  sites = client(emu.origins.global, await delegated(emu, ['Sites.ReadWrite.All']));
});

const titles = (res: { body: { value: { fields: { Title: string } }[] } }) => res.body.value.map((i) => i.fields.Title);

describe('sites', () => {
  test('root, by id, by collection id, by hostname and path, and search', async () => {
    const root = await sites.get('/sites/root');
    assert.equal(root.status, 200);
    assert.deepEqual(root.body.root, {});
    assert.equal(root.body.webUrl, 'https://contoso.sharepoint.com');
    const byPath = await sites.get('/sites/contoso.sharepoint.com:/sites/Marketing');
    assert.equal(byPath.body.id, SITE.id);
    assert.equal(byPath.body.displayName, 'Marketing');
    assert.equal(byPath.body.webUrl, 'https://contoso.sharepoint.com/sites/Marketing');
    assert.deepEqual(byPath.body.siteCollection, { hostname: 'contoso.sharepoint.com' });
    assert.equal((await sites.get(`/sites/${SITE.id}`)).body.name, 'Marketing');
    assert.equal((await sites.get(`/sites/${SITE.id.split(',')[1]}`)).body.id, SITE.id);
    const found = await sites.get('/sites?search=market');
    assert.deepEqual(found.body.value.map((s: { displayName: string }) => s.displayName), ['Marketing']);
    assert.equal((await sites.get('/sites?search=*')).body.value.length, 2);
    assertError(await sites.get('/sites/contoso.sharepoint.com:/sites/Nowhere'), 404, 'itemNotFound', 'Requested site could not be found');
    assertError(await sites.get('/sites/fabrikam.sharepoint.com:/sites/Marketing'), 404, 'itemNotFound');
  });

  test('lists: all, by id, by display name, with columns; create a list (Sites.Manage.All)', async () => {
    const lists = await sites.get(`/sites/${SITE.id}/lists`);
    assert.deepEqual(lists.body.value.map((l: { displayName: string; list: { template: string } }) => [l.displayName, l.list.template]), [
      ['Documents', 'documentLibrary'],
      ['Campaigns', 'genericList'],
    ]);
    assert.equal((await sites.get(`/sites/${SITE.id}/lists/Campaigns`)).body.id, SITE.campaignsList);
    const withColumns = await sites.get(`${LIST}?$expand=columns`);
    const status = withColumns.body.columns.find((c: { name: string }) => c.name === 'Status');
    assert.deepEqual(status.choice.choices, ['Planned', 'Active', 'Completed']);
    assert.equal(status.indexed, true);
    assert.equal((await sites.get(`${LIST}/columns`)).body.value.length, 5);
    assertError(await sites.post(`/sites/${SITE.id}/lists`, { displayName: 'Tasks', columns: [{ name: 'Due', dateTime: {} }] }), 403, 'accessDenied');
    const manager = client(emu.origins.global, await delegated(emu, ['Sites.Manage.All']));
    const created = await manager.post(`/sites/${SITE.id}/lists`, { displayName: 'Tasks', columns: [{ name: 'Due', dateTime: {} }, { name: 'Done', boolean: {} }], list: { template: 'genericList' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.webUrl, 'https://contoso.sharepoint.com/sites/Marketing/Lists/Tasks');
    assertError(await sites.get(`/sites/${SITE.id}/lists/Nope`), 404, 'itemNotFound');
  });
});

describe('list items', () => {
  test('list without and with fields; select fields; get one', async () => {
    const bare = await sites.get(`${LIST}/items`);
    assert.equal(bare.body.value.length, 3);
    assert.equal(bare.body.value[0].fields, undefined);
    assert.equal(bare.body.value[0].id, '1');
    const expanded = await sites.get(`${LIST}/items?expand=fields`);
    assert.deepEqual(titles(expanded), ['Spring launch', 'Summer social push', 'Holiday campaign']);
    const f = expanded.body.value[1].fields;
    assert.equal(f.Status, 'Active');
    assert.equal(f.Budget, 12000);
    assert.equal(f.LaunchDate, '2024-06-01T00:00:00Z');
    assert.equal(f.ContentType, 'Item');
    assert.equal(f._UIVersionString, '1.0');
    const selected = await sites.get(`${LIST}/items?$expand=fields($select=Title,Status)`);
    assert.deepEqual(Object.keys(selected.body.value[0].fields), ['@odata.etag', 'Title', 'Status']);
    const one = await sites.get(`${LIST}/items/3?$expand=fields`);
    assert.equal(one.body.fields.Title, 'Holiday campaign');
    assert.equal(one.body.webUrl, 'https://contoso.sharepoint.com/sites/Marketing/Lists/Campaigns/3_.000');
    assertError(await sites.get(`${LIST}/items/99`), 404, 'itemNotFound');
  });

  test('create (201), update fields, delete (204); values are checked against column types', async () => {
    const created = await sites.post(`${LIST}/items`, { fields: { Title: 'Webinar series', Status: 'Planned', Budget: 5000 } });
    assert.equal(created.status, 201);
    assert.equal(created.body.id, '4');
    assert.equal(created.body.fields.Title, 'Webinar series');
    const patched = await sites.patch(`${LIST}/items/4/fields`, { Status: 'Active' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.Status, 'Active');
    assert.equal(patched.body._UIVersionString, '2.0');
    assert.equal((await sites.get(`${LIST}/items/4/fields`)).body.Budget, 5000);
    assertError(await sites.post(`${LIST}/items`, { fields: { Title: 'x', Colour: 'red' } }), 400, 'invalidRequest', "Field 'Colour' is not recognized");
    assertError(await sites.post(`${LIST}/items`, { fields: { Title: 'x', Status: 'Someday' } }), 400, 'invalidRequest');
    assertError(await sites.post(`${LIST}/items`, { fields: { Budget: 1 } }), 400, 'invalidRequest', "Field 'Title' is required.");
    assert.equal((await sites.del(`${LIST}/items/4`)).status, 204);
    assertError(await sites.get(`${LIST}/items/4`), 404, 'itemNotFound');
    assert.deepEqual(emu.changes({ resource: 'listItem', container: SITE.campaignsList }).slice(-3).map((c) => c.changeType), ['created', 'updated', 'deleted']);
  });

  test('$filter on fields: indexed columns always, others only with the Prefer header', async () => {
    const active = await sites.get(`${LIST}/items?$expand=fields&$filter=fields/Status eq 'Active'`);
    assert.deepEqual(titles(active), ['Summer social push']);
    const refused = await sites.get(`${LIST}/items?$expand=fields&$filter=fields/Budget gt 20000`);
    assertError(refused, 400, 'invalidRequest', /^Field 'Budget' cannot be referenced in filter or orderby as it is not indexed\./);
    const honored = await sites.get(`${LIST}/items?$expand=fields&$filter=fields/Budget gt 20000`, { headers: { prefer: 'HonorNonIndexedQueriesWarningMayFailRandomly' } });
    assert.deepEqual(titles(honored), ['Spring launch', 'Holiday campaign']);
    assert.equal(honored.headers.get('preference-applied'), 'HonorNonIndexedQueriesWarningMayFailRandomly');
    const unexpanded = await sites.get(`${LIST}/items?$filter=fields/Status eq 'Planned'`);
    assert.deepEqual(unexpanded.body.value.map((i: { id: string }) => i.id), ['3']);
    assert.equal(unexpanded.body.value[0].fields, undefined);
  });

  test('permissions: read-only scopes cannot write; apps need a Sites role', async () => {
    const reader = client(emu.origins.global, await delegated(emu, ['Sites.Read.All']));
    assert.equal((await reader.get(`${LIST}/items`)).status, 200);
    assertError(await reader.post(`${LIST}/items`, { fields: { Title: 'x' } }), 403, 'accessDenied');
    const noSites = client(emu.origins.global, await delegated(emu, ['Files.ReadWrite']));
    assertError(await noSites.get('/sites/root'), 403, 'accessDenied');
    const app = client(emu.origins.global, await appOnly(emu, ['Sites.ReadWrite.All']));
    assert.equal((await app.post(`${LIST}/items`, { fields: { Title: 'From the app' } })).status, 201);
  });
});

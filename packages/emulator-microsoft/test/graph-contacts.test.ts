import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_DATA_IDS, type MicrosoftEmulator } from '../src/index.ts';
import { start } from './helpers.ts';
import { ADELE, MEGAN, appOnly, assertError, client, delegated, type Client } from './graph-helpers.ts';

let emu: MicrosoftEmulator;
let adele: Client;

before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(async () => {
  emu.reset();
  adele = client(emu.origins.global, await delegated(emu, ['Contacts.ReadWrite']));
});

describe('contacts', () => {
  test('list, get, create (201, displayName derived), update, delete (204)', async () => {
    const list = await adele.get('/me/contacts');
    assert.deepEqual(list.body.value.map((c: { displayName: string }) => c.displayName), ['Ryan Miller']);
    const ryan = (await adele.get(`/me/contacts/${DEFAULT_DATA_IDS.adele.contacts.ryan}`)).body;
    assert.deepEqual(ryan.emailAddresses, [{ name: 'Ryan Miller', address: 'ryan.miller@fabrikam.com' }]);
    assert.equal(ryan.companyName, 'Fabrikam');
    assert.match(ryan['@odata.etag'], /^W\/"/);
    const created = await adele.post('/me/contacts', { givenName: 'Pavel', surname: 'Bansky', emailAddresses: [{ address: 'pavelb@fabrikam.onmicrosoft.com', name: 'Pavel Bansky' }], businessPhones: ['+1 732 555 0102'] });
    assert.equal(created.status, 201);
    assert.equal(created.body.displayName, 'Pavel Bansky');
    const updated = await adele.patch(`/me/contacts/${created.body.id}`, { jobTitle: 'Buyer', homeAddress: { city: 'Redmond' } });
    assert.equal(updated.body.jobTitle, 'Buyer');
    assert.equal(updated.body.homeAddress.city, 'Redmond');
    const filtered = await adele.get("/me/contacts?$filter=startswith(displayName,'Pav')&$select=displayName");
    assert.deepEqual(filtered.body.value.map((c: { displayName: string }) => c.displayName), ['Pavel Bansky']);
    assert.equal((await adele.del(`/me/contacts/${created.body.id}`)).status, 204);
    assertError(await adele.get(`/me/contacts/${created.body.id}`), 404, 'ErrorItemNotFound');
    assertError(await adele.post('/me/contacts', { favouriteColour: 'blue' }), 400, 'RequestBodyRead');
    assert.deepEqual(emu.changes({ user: ADELE, resource: 'contact' }).slice(-3).map((c) => c.changeType), ['created', 'updated', 'deleted']);
  });

  test('permissions: Contacts.Read is read-only; apps need a Contacts role; admin API adds contacts', async () => {
    const reader = client(emu.origins.global, await delegated(emu, ['Contacts.Read']));
    assert.equal((await reader.get('/me/contacts')).status, 200);
    assertError(await reader.post('/me/contacts', { givenName: 'X' }), 403, 'ErrorAccessDenied');
    emu.contacts.add(MEGAN, { givenName: 'Alex', surname: 'Wilber', emailAddresses: ['alexw@contoso.onmicrosoft.com'] });
    assertError(await reader.get(`/users/${MEGAN}/contacts`), 403, 'ErrorAccessDenied');
    const app = client(emu.origins.global, await appOnly(emu, ['Contacts.Read']));
    const megans = await app.get(`/users/${MEGAN}/contacts`);
    assert.deepEqual(megans.body.value.map((c: { displayName: string }) => c.displayName), ['Alex Wilber']);
  });
});

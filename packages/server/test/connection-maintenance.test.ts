import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { APP, type MicrosoftSetup, connectDelegated, startWithEmulator } from './support/microsoft.ts';

describe('connection upkeep', () => {
  let m: MicrosoftSetup;
  before(async () => {
    m = await startWithEmulator();
  });
  after(() => m.close());

  test('idle connections are renewed daily so the vendor does not expire their refresh token', async () => {
    const { id } = await connectDelegated(m);
    const fresh = await connectDelegated(m, { user: 'MeganB@contoso.onmicrosoft.com' });
    await m.s.store.db.query("UPDATE connections SET last_refreshed_at = now() - interval '25 hours' WHERE id = $1", [id]);
    const before = await m.s.sb.vault.get<{ tokens: { refreshToken: string } }>('connection', id);
    m.em.clearRequests();
    const result = await m.s.sb.maintenance.runOnce();
    assert.equal(result.renewed, 1, 'only the idle connection');
    assert.equal(m.em.tokenStats().byGrantType.refresh_token, 1);
    const after = await m.s.sb.vault.get<{ tokens: { refreshToken: string } }>('connection', id);
    assert.notEqual(after!.value.tokens.refreshToken, before!.value.tokens.refreshToken);
    const row = (await m.s.api('GET', `/api/v1/connections/${id}`)).json();
    assert.ok(Date.parse(row.lastRefreshedAt) > Date.now() - 60_000);
    assert.equal((await m.s.api('GET', `/api/v1/connections/${fresh.id}`)).json().status, 'Connected');
  });

  test('an idle connection whose grant was revoked is disabled by the upkeep, with an event for notifications', async () => {
    const { id } = await connectDelegated(m, { user: 'LeeG@contoso.onmicrosoft.com' });
    await m.s.store.db.query("UPDATE connections SET last_refreshed_at = now() - interval '25 hours' WHERE id = $1", [id]);
    m.em.revokeRefreshTokens({ user: 'LeeG@contoso.onmicrosoft.com' });
    const result = await m.s.sb.maintenance.runOnce();
    assert.equal(result.failed, 1);
    const row = (await m.s.api('GET', `/api/v1/connections/${id}`)).json();
    assert.equal(row.status, 'Disabled');
    const [event] = await m.s.store.db.query<{ type: string; payload: { reason: string } }>(
      "SELECT type, payload FROM connection_events WHERE connection_id = $1 AND type = 'connection.disabled'",
      [id],
    );
    assert.equal(event!.payload.reason, 'refresh_token_revoked');
  });

  test('abandoned authorizations are cleared: expired states, and connections never connected after a day', async () => {
    const created = await m.s.api('POST', '/api/v1/connections', { body: { folderId: m.folderId, connector: 'microsoft-365', fields: { clientId: APP.clientId, clientSecret: APP.secret } } });
    const id = created.json().id;
    await m.s.store.db.query("UPDATE oauth_states SET expires_at = now() - interval '2 hours' WHERE connection_id = $1", [id]);
    await m.s.sb.maintenance.runOnce();
    assert.deepEqual(await m.s.store.db.query('SELECT 1 FROM oauth_states WHERE connection_id = $1', [id]), []);
    assert.equal((await m.s.api('GET', `/api/v1/connections/${id}`)).json().status, 'Pending', 'kept for a day');
    await m.s.store.db.query("UPDATE connections SET created_at = now() - interval '2 days' WHERE id = $1", [id]);
    await m.s.sb.maintenance.runOnce();
    assert.equal((await m.s.api('GET', `/api/v1/connections/${id}`)).statusCode, 404);
    assert.equal((await m.s.store.db.query("SELECT 1 FROM vault_secrets WHERE owner_id = $1", [id])).length, 0, 'its secrets too');
  });
});

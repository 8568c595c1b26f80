import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ManualClock, type Receiver, startReceiver, waitFor } from '../support/triggers.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type ConsoleSetup, launchBrowser, newPage, screenshot, signIn, startConsole } from './support.ts';

const DAY = 24 * 60 * 60 * 1000;

interface EventView {
  id: string;
  state: string;
  attempts: number;
}

/**
 * The issue's "replay of dead-lettered events", in a browser: an HTTP Webhook trigger delivers to
 * a receiver that fails; once the 24-hour retry window has passed (a ManualClock moved by a day)
 * the event is a dead letter, the trigger's page lists it under "Failed (dead letters)" with
 * what happened, and Replay delivers it again, with the same id, to the receiver now answering.
 * A pull-queue trigger's waiting event is acknowledged from the same page.
 */
describe('console: dead letters replayed and queued events acknowledged in a browser', () => {
  const clock = new ManualClock();
  let setup: ConsoleSetup;
  let browser: Browser;
  let page: Page;
  let receiver: Receiver;
  let sharedId: string;

  const eventsOf = async (triggerId: string, state = ''): Promise<EventView[]> =>
    (await setup.s.api('GET', `/api/v1/triggers/${triggerId}/events${state ? `?state=${state}` : ''}`)).json().items;

  async function webhookTrigger(name: string, target: { type: 'webhook'; url: string } | { type: 'queue' }): Promise<{ id: string; hook: string }> {
    const connection = await setup.s.api('POST', '/api/v1/connections', { body: { folderId: sharedId, connector: 'http-webhook', name, fields: { sourceName: name } } });
    assert.equal(connection.statusCode, 201, connection.body);
    const created = await setup.s.api('POST', '/api/v1/triggers', { body: { connectionId: connection.json().id, trigger: 'webhook-received', name, target } });
    assert.equal(created.statusCode, 201, created.body);
    return { id: created.json().id, hook: new URL(created.json().webhookUrl).pathname };
  }

  before(async () => {
    receiver = await startReceiver();
    setup = await startConsole({ triggers: { clock } });
    browser = await launchBrowser();
    ({ page } = await newPage(browser, setup.origin));
    const folders = await setup.s.api('GET', '/api/v1/folders?kind=shared');
    sharedId = folders.json().items.find((f: { name: string }) => f.name === 'Shared').id;
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  after(async () => {
    await browser?.close();
    await setup?.close();
    await receiver?.close();
  });

  test('an event that failed for 24 hours is listed as a dead letter and Replay delivers it with the same id', async () => {
    receiver.answer.status = 500;
    const t = await webhookTrigger('Orders from the shop', { type: 'webhook', url: receiver.url });
    const before = receiver.deliveries.length;
    assert.equal((await setup.s.api('POST', t.hook, { key: null, body: { order: 41, total: 99.5 } })).statusCode, 202);
    const [failing] = await waitFor('a failed attempt', async () => {
      const items = await eventsOf(t.id);
      return items[0] && items[0].attempts >= 1 && items[0].state === 'pending' ? items : undefined;
    });
    // A day later the next failure falls outside the retry window: a dead letter.
    clock.advance(DAY + 60_000);
    const [dead] = await waitFor('the dead letter', async () => {
      const items = await eventsOf(t.id, 'dead');
      return items.length ? items : undefined;
    });
    assert.equal(dead!.id, failing!.id);
    const attemptsSent = receiver.deliveries.length - before;
    assert.ok(attemptsSent >= 2, `retried before giving up (${attemptsSent} attempts)`);

    await page.goto(`/triggers/${t.id}`);
    await page.getByRole('heading', { level: 1, name: 'Orders from the shop' }).waitFor();
    await page.getByLabel('Show').selectOption({ label: 'Failed (dead letters)' });
    const row = page.getByRole('table', { name: 'Recent events of this trigger' }).locator('tbody tr');
    await row.filter({ hasText: 'Failed (dead letter)' }).waitFor();
    assert.equal(await row.count(), 1, 'only the dead letter is shown');
    await row.getByText(/answered 500/).waitFor();
    // The notices say what happened, in words.
    await page.getByRole('list', { name: 'Trigger notices' }).getByText(/could not be delivered for 24 hours/).waitFor();
    await screenshot(page, '34-trigger-dead-letter');

    receiver.answer.status = 204;
    await row.getByRole('button', { name: /^Replay the event of/ }).click();
    await page.getByRole('status').filter({ hasText: 'Event replayed' }).waitFor();
    // Replayed, it is no longer a dead letter: the filtered list empties, and the whole list shows it delivered.
    await page.getByText('No events in this state.').waitFor();
    await page.getByLabel('Show').selectOption({ label: 'All events' });
    await row.filter({ hasText: 'Delivered' }).waitFor();

    const delivered = await waitFor('the replayed delivery', async () => {
      const items = await eventsOf(t.id);
      return items[0]?.state === 'delivered' ? items[0] : undefined;
    });
    assert.equal(delivered.id, dead!.id);
    assert.equal(delivered.attempts, 1, 'a replay starts a new window');
    assert.equal(receiver.deliveries.at(-1)!.json.id, dead!.id, 'the receiver gets the same event id again, to deduplicate on');
    assert.equal(receiver.deliveries.at(-1)!.headers['webhook-id'], dead!.id);
  });

  test('a pull-queue event is acknowledged from the trigger page and leaves the queue', async () => {
    const t = await webhookTrigger('Queued tickets', { type: 'queue' });
    assert.equal((await setup.s.api('POST', t.hook, { key: null, body: { ticket: 'T-1' } })).statusCode, 202);
    assert.equal((await eventsOf(t.id, 'pending')).length, 1);

    await page.goto(`/triggers/${t.id}`);
    await page.getByRole('heading', { level: 1, name: 'Queued tickets' }).waitFor();
    await page.getByLabel('Show').selectOption({ label: 'Waiting in the queue' });
    const row = page.getByRole('table', { name: 'Recent events of this trigger' }).locator('tbody tr');
    await row.getByRole('button', { name: /^Acknowledge the event of/ }).click();
    await page.getByRole('status').filter({ hasText: 'Event acknowledged' }).waitFor();
    await page.getByText('No events in this state.').waitFor();

    assert.equal((await eventsOf(t.id, 'pending')).length, 0, 'nothing left in the queue');
    assert.equal((await eventsOf(t.id, 'acked')).length, 1);
  });
});

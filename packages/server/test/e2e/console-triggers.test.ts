import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { ADELE, APP } from '../support/microsoft.ts';
import { ManualClock, startReceiver, waitFor } from '../support/triggers.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type ConsoleSetup, connectThroughApi, launchBrowser, newPage, screenshot, signIn, startConsole } from './support.ts';

const MEGAN = 'MeganB@contoso.onmicrosoft.com';
const OTHER_SENDER = 'news@fabrikam.example';
const DEFAULT_POLLING_MINUTES = 5;

interface TriggerView {
  status: string;
  input: Record<string, unknown>;
  filter: { expression: string; builder: unknown } | null;
  target: { type: string };
  health: { polls: number };
}

/**
 * The "create a trigger and see its event arrive", in a browser: add an Email Received
 * trigger on a Microsoft 365 connection from the folder's Triggers tab with a filter built from
 * the trigger's fields (From (address) equals Megan), test it, then see, after the next poll,
 * exactly the one email that passes the filter appear on the trigger's page by itself.
 *
 * The trigger engine runs in the test process on a ManualClock that starts one polling interval
 * in the past: the first poll runs at once when the trigger is created (it only marks where the
 * trigger starts); moving the clock by the connection's interval makes the next poll due, as
 * waiting five minutes would. Everything Graph answers comes from the emulator's delta query.
 */
describe('console: a Microsoft 365 trigger and its events in a browser', () => {
  const clock = new ManualClock(new Date(Date.now() - DEFAULT_POLLING_MINUTES * 60_000));
  let setup: ConsoleSetup;
  let browser: Browser;
  let page: Page;
  let sharedId: string;
  let connectionId: string;
  let triggerId: string;
  const wanted = `Quarterly numbers ${randomUUID().slice(0, 8)}`;
  const unwanted = `Weekly newsletter ${randomUUID().slice(0, 8)}`;
  let wantedId: string;

  const view = async (): Promise<TriggerView> => (await setup.s.api('GET', `/api/v1/triggers/${triggerId}`)).json();
  const storedEvents = async (): Promise<Array<{ objectId: string; state: string; payload: { record: { subject: string } } }>> =>
    (await setup.s.api('GET', `/api/v1/triggers/${triggerId}/events`)).json().items;

  before(async () => {
    setup = await startConsole({ triggers: { clock } });
    browser = await launchBrowser();
    ({ page } = await newPage(browser, setup.origin));
    const folders = await setup.s.api('GET', '/api/v1/folders?kind=shared');
    sharedId = folders.json().items.find((f: { name: string }) => f.name === 'Shared').id;
    connectionId = await connectThroughApi(setup, { folderId: sharedId, user: ADELE, clientId: APP.clientId, clientSecret: APP.secret });
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  after(async () => {
    await browser?.close();
    await setup?.close();
  });

  test("the form explains an incomplete condition instead of sending it", async () => {
    await page.goto(`/folders/${sharedId}/triggers/new`);
    await page.getByLabel('Event', { exact: true }).selectOption({ label: 'Email Received' });
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByRole('button', { name: 'Create trigger' }).click();
    await page.getByRole('alert').getByText('Condition 1: give a value to compare with.').waitFor();
    assert.equal(await page.getByLabel('Condition 1 value').getAttribute('aria-invalid'), 'true');
    assert.equal((await setup.s.api('GET', `/api/v1/triggers?folderId=${sharedId}`)).json().items.length, 0, 'nothing was created');
  });

  test('adds an Email Received trigger from the Triggers tab: folder, a From filter built from the fields, a pull queue', async () => {
    await page.goto(`/folders/${sharedId}/connections`);
    await page.getByRole('navigation', { name: 'Shared sections' }).getByRole('link', { name: 'Triggers', exact: true }).click();
    await page.getByText('No triggers in this folder yet.').waitFor();
    await page.getByRole('link', { name: 'Add trigger' }).click();

    const form = page.getByRole('form', { name: 'Add trigger' });
    await form.getByLabel('Connection').selectOption(connectionId);
    const eventsOffered = await form.getByLabel('Event', { exact: true }).locator('option').allTextContents();
    for (const name of ['Email Received', 'Email Received (instant)', 'Email Sent', 'Email Moved to Trash', 'Calendar Event Created', 'Calendar Event Updated']) {
      assert.ok(eventsOffered.includes(name), `${name} is offered: ${eventsOffered.join(', ')}`);
    }
    await form.getByLabel('Event', { exact: true }).selectOption({ label: 'Email Received' });
    await form.getByText(/Graph delta query/).waitFor();
    await form.getByText('checked every 5 min (its polling interval)', { exact: false }).waitFor();

    // The trigger's input, from its JSON schema: the folder to watch, the inbox by default.
    const settings = form.getByRole('group', { name: 'Email Received settings' });
    assert.equal(await settings.getByLabel(/^folder/).inputValue(), 'inbox');

    // The filter builder offers the trigger's filter fields, typed: a list of options for Importance.
    await form.getByRole('button', { name: 'Add condition' }).click();
    const fieldSelect = form.getByLabel('Condition 1 field');
    const offered = await fieldSelect.locator('option').allTextContents();
    for (const label of ['From (address)', 'Subject', 'Importance', 'Has attachments', 'Other field…']) assert.ok(offered.includes(label), `${label} is offered: ${offered.join(', ')}`);
    await form.getByRole('button', { name: 'Add condition' }).click();
    await form.getByLabel('Condition 2 field').selectOption({ label: 'Importance' });
    assert.deepEqual(await form.getByLabel('Condition 2 value').locator('option').allTextContents(), ['Low', 'Normal', 'High']);
    await form.getByLabel('Combine conditions').waitFor();
    await form.getByRole('button', { name: 'Remove condition 2' }).click();

    await fieldSelect.selectOption({ label: 'From (address)' });
    await form.getByLabel('Condition 1 operator').selectOption({ label: 'equals' });
    await form.getByLabel('Condition 1 value').fill(MEGAN);
    assert.equal(await form.getByRole('radio', { name: /pull queue/ }).isChecked(), true, 'a pull queue unless a webhook is chosen');
    await screenshot(page, '30-add-trigger');
    await form.getByRole('button', { name: 'Create trigger' }).click();

    await page.getByRole('heading', { level: 1, name: 'Email Received' }).waitFor();
    triggerId = /\/triggers\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    assert.ok(triggerId, `on the trigger's page: ${page.url()}`);
    const details = page.getByRole('definition');
    assert.equal(await page.locator('.details .badge').first().textContent(), 'Enabled');
    await details.filter({ hasText: `From (address) equals "${MEGAN}"` }).waitFor();
    await details.filter({ hasText: /^inbox$/ }).waitFor();
    await details.filter({ hasText: 'Pull queue' }).waitFor();

    const stored = await view();
    assert.equal(stored.status, 'Enabled');
    assert.deepEqual(stored.input, { folder: 'inbox' });
    assert.deepEqual(stored.target, { type: 'queue' });
    assert.deepEqual(stored.filter?.builder, { all: [{ field: '/from/emailAddress/address', op: 'eq', value: MEGAN }] });
  });

  test('after the first poll, Test reads the inbox and shows which emails the filter passes, storing nothing', async () => {
    // The first poll runs as the trigger is created and only marks where it starts.
    await waitFor('the first poll', async () => (await view()).health.polls >= 1);
    await page.getByText(/\(1 poll\)/).waitFor();
    await page.getByText('No events yet.', { exact: false }).waitFor();

    wantedId = (setup.em.mail.add(ADELE, { subject: wanted, from: MEGAN }) as { id: string }).id;
    setup.em.mail.add(ADELE, { subject: unwanted, from: OTHER_SENDER });

    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.getByRole('region', { name: 'Test result' });
    const rows = result.getByRole('table').locator('tbody tr');
    await rows.first().waitFor();
    assert.match((await rows.filter({ hasText: wanted }).textContent()) ?? '', /Passes/);
    assert.match((await rows.filter({ hasText: unwanted }).textContent()) ?? '', /Filtered out/);
    await screenshot(page, '31-trigger-test');
    assert.equal((await storedEvents()).length, 0, 'a test stores nothing');
    assert.equal((await view()).health.polls, 1, 'and is not a poll');
    await result.getByRole('button', { name: 'Close' }).click();
  });

  test("the next poll brings exactly the email from Megan, and the trigger's page shows it by itself", async () => {
    const interval = (await setup.s.api('GET', `/api/v1/connections/${connectionId}`)).json().pollingIntervalMinutes as number;
    assert.equal(interval, DEFAULT_POLLING_MINUTES);
    // The connection's polling interval passes.
    clock.advance(interval * 60_000);
    await setup.s.sb.triggerEngine.tick();
    await waitFor('the second poll', async () => (await view()).health.polls >= 2);

    const fired = await storedEvents();
    assert.deepEqual(fired.map((e) => e.objectId), [wantedId], 'one event: the filter dropped the newsletter');
    assert.equal(fired[0]!.payload.record.subject, wanted);
    assert.equal(fired[0]!.state, 'pending', 'waiting in the pull queue');

    // No reload: the events list refreshes itself.
    const rows = page.getByRole('table', { name: 'Recent events of this trigger' }).locator('tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    await page.getByRole('heading', { name: 'Recent events (1)' }).waitFor();
    const row = rows.first();
    assert.match((await row.textContent()) ?? '', new RegExp(wanted));
    assert.match((await row.textContent()) ?? '', /received/);
    assert.match((await row.textContent()) ?? '', /Pending/);
    await row.locator('summary', { hasText: wanted }).click();
    const record = row.locator('details').first();
    assert.equal(await record.getAttribute('open'), '', 'the event unfolds');
    // Its fields, named as the trigger's filter fields name them, then the whole record.
    await record.locator('dt', { hasText: 'From (address)' }).waitFor();
    await record.locator('dd', { hasText: MEGAN }).first().waitFor();
    await record.getByText('Whole record (JSON)').click();
    await record.locator('pre', { hasText: `"subject": "${wanted}"` }).waitFor();
    assert.equal(await page.getByText(unwanted).count(), 0, "the other sender's email is nowhere on the page");
    await page.getByText(/\(2 polls\)/).waitFor();
    await record.getByText('Whole record (JSON)').click();
    await screenshot(page, '32-trigger-event');
  });

  test('the Triggers tab lists it with the event in words, the queue and its status', async () => {
    await page.goto(`/folders/${sharedId}/triggers`);
    const row = page.getByRole('table', { name: 'Triggers in this folder' }).locator('tbody tr');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    await row.getByText('Microsoft 365 · Email Received').waitFor();
    assert.match((await row.textContent()) ?? '', /Pull queue/);
    assert.match((await row.textContent()) ?? '', /Enabled/);
    // Its last event, and the one waiting in the queue.
    assert.match((await row.textContent()) ?? '', /1 waiting/);
    await screenshot(page, '33-triggers');
  });

  test('Edit starts from the stored filter; a new condition and a webhook target are saved, and the waiting event goes to the webhook, signed', async () => {
    const receiver = await startReceiver();
    try {
      await page.goto(`/triggers/${triggerId}`);
      await page.getByRole('link', { name: 'Edit', exact: true }).click();
      const form = page.getByRole('form', { name: 'Edit trigger' });
      // The stored builder filter comes back as its conditions.
      assert.equal(await form.getByLabel('Condition 1 field').inputValue(), '/from/emailAddress/address');
      assert.equal(await form.getByLabel('Condition 1 operator').inputValue(), 'eq');
      assert.equal(await form.getByLabel('Condition 1 value').inputValue(), MEGAN);
      assert.equal(await form.getByRole('radio', { name: /pull queue/ }).isChecked(), true);

      await form.getByLabel('Name').fill('Numbers from Megan');
      await form.getByRole('button', { name: 'Add condition' }).click();
      await form.getByLabel('Condition 2 field').selectOption({ label: 'Subject' });
      await form.getByLabel('Condition 2 operator').selectOption({ label: 'contains' });
      await form.getByLabel('Condition 2 value').fill('Quarterly');
      await form.getByRole('radio', { name: 'A webhook' }).check();
      await form.getByLabel('Webhook URL').fill(receiver.url);
      await form.getByRole('button', { name: 'Save' }).click();

      // Now delivered to a webhook: its signing secret, shown once.
      const secret = await page.getByLabel('Signing secret').inputValue();
      assert.match(secret, /^whsec_/);
      const stored = await view();
      assert.deepEqual(stored.filter?.builder, { all: [{ field: '/from/emailAddress/address', op: 'eq', value: MEGAN }, { field: '/subject', op: 'contains', value: 'Quarterly' }] });
      assert.deepEqual(stored.target, { type: 'webhook', url: receiver.url });

      // The event waiting in the queue goes where the trigger now delivers, signed with that secret.
      const delivery = await waitFor('the delivery', () => receiver.deliveries.find((d) => d.json.objectId === wantedId));
      // Signed per Standard Webhooks with the secret just shown (verify throws otherwise).
      assert.deepEqual(new Webhook(secret).verify(delivery.body, delivery.headers), delivery.json);
      await page.getByRole('link', { name: 'Open the trigger' }).click();
      await page.getByRole('heading', { level: 1, name: 'Numbers from Megan' }).waitFor();
      await page.getByRole('definition').filter({ hasText: 'From (address) equals' }).filter({ hasText: 'Subject contains "Quarterly"' }).waitFor();
    } finally {
      await receiver.close();
    }
  });
});

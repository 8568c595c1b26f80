import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ADELE, APP } from '../support/microsoft.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type ConsoleSetup, connectThroughApi, launchBrowser, newPage, screenshot, signIn, startConsole } from './support.ts';

const MEGAN = 'MeganB@contoso.onmicrosoft.com';

/**
 * Using a connection from the console: the activity runner sends an email that then sits in
 * the recipient's mailbox in the emulator, the HTTP Request tab calls Graph as the connection,
 * and the connection's recent requests, Usage and Troubleshooting show those calls.
 */
describe('console: activities, HTTP Request and request logs', () => {
  let setup: ConsoleSetup;
  let browser: Browser;
  let page: Page;
  let connectionId: string;
  const subject = `Console test ${randomUUID().slice(0, 8)}`;

  before(async () => {
    setup = await startConsole();
    browser = await launchBrowser();
    ({ page } = await newPage(browser, setup.origin));
    const folders = await setup.s.api('GET', '/api/v1/folders?kind=shared');
    const sharedId = folders.json().items.find((f: { name: string }) => f.name === 'Shared').id;
    connectionId = await connectThroughApi(setup, { folderId: sharedId, user: ADELE, clientId: APP.clientId, clientSecret: APP.secret });
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  after(async () => {
    await browser?.close();
    await setup?.close();
  });

  test('runs Send Email from the activity runner, and the message arrives in the emulator mailbox', async () => {
    await page.goto(`/connections/${connectionId}/activities`);
    await page.getByLabel('Activity', { exact: true }).selectOption({ label: 'Send Email' });
    const form = page.getByRole('form', { name: 'Send Email' });
    await form.getByLabel('to', { exact: true }).fill(MEGAN);
    await form.getByLabel('subject', { exact: true }).fill(subject);
    await form.getByRole('textbox', { name: /^body/ }).fill('Sent from the Switchboard console.');
    await form.getByRole('button', { name: 'Run' }).click();
    const output = page.getByRole('region', { name: 'Output' });
    await output.locator('pre').filter({ hasText: '"sent": true' }).waitFor();
    await screenshot(page, '20-activity-runner');

    // Read Megan's inbox straight from the emulator's Graph, with a token the emulator mints.
    const token = await setup.em.issueAccessToken({ clientId: APP.clientId, user: MEGAN, scopes: ['Mail.Read'] });
    const filter = encodeURIComponent(`subject eq '${subject}'`);
    const inbox = await fetch(`${setup.em.origins.global}/v1.0/me/mailFolders/inbox/messages?$filter=${filter}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(inbox.status, 200);
    const messages = ((await inbox.json()) as { value: Array<{ subject: string; from: { emailAddress: { address: string } }; body: { content: string } }> }).value;
    assert.equal(messages.length, 1, `Megan received "${subject}"`);
    assert.equal(messages[0]!.from.emailAddress.address.toLowerCase(), ADELE.toLowerCase());
    assert.match(messages[0]!.body.content, /Sent from the Switchboard console\./);
  });

  test('shows an activity input problem next to the form, without calling the vendor', async () => {
    await page.goto(`/connections/${connectionId}/activities`);
    await page.getByLabel('Activity', { exact: true }).selectOption({ label: 'Send Email' });
    const form = page.getByRole('form', { name: 'Send Email' });
    await form.getByLabel('to', { exact: true }).fill('not an address');
    await form.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('alert').filter({ hasText: 'Send Email failed' }).waitFor();
  });

  test('sends a request from the HTTP Request tab as the connection', async () => {
    await page.goto(`/connections/${connectionId}/http`);
    await page.getByLabel('Path').fill('/me');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.getByRole('region', { name: /Response/ });
    await answer.getByText('200', { exact: true }).waitFor();
    assert.match((await answer.locator('pre').last().textContent()) ?? '', new RegExp(ADELE.replace('.', '\\.'), 'i'));
    await screenshot(page, '21-http-request');
  });

  test("the connection's recent requests list the calls just made", async () => {
    await page.goto(`/connections/${connectionId}/requests`);
    const rows = page.getByRole('table', { name: 'Recent requests of this connection' }).locator('tbody tr');
    // The recorder writes in the background (about once a second): refresh until the calls are there.
    for (let i = 0; i < 20 && (await rows.count()) < 2; i++) {
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    assert.ok((await rows.count()) >= 2, 'the Send Email and the HTTP Request calls');
    await page.getByRole('table').getByText('send-email').first().waitFor();
    await screenshot(page, '22-recent-requests');
  });

  test('Usage counts the billable activities and Troubleshooting explains error codes', async () => {
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usage' }).waitFor();
    await page.getByRole('region', { name: 'Totals of the period' }).getByText('billable activities', { exact: true }).waitFor();
    await page.getByRole('table').getByText('Microsoft 365').waitFor();
    // The charts: today's column carries the day's billable count, as the API reports it.
    const today = new Date().toISOString().slice(0, 10);
    const byDay = page.getByRole('figure', { name: 'Billable activities by day' });
    const todayBar = byDay.locator(`rect[data-day="${today}"]`);
    // The usage ledger is written in batches off the request path: read the API and the page
    // until they have seen the same writes.
    let billableToday = -1;
    for (let attempt = 0; attempt < 5; attempt++) {
      billableToday = (await setup.s.api('GET', `/api/v1/usage?from=${today}&to=${today}&groupBy=day`)).json().totals.billable;
      if ((await todayBar.getAttribute('data-value')) === String(billableToday)) break;
      await page.reload();
    }
    assert.ok(billableToday >= 2, `Send Email and the HTTP Request are billable (${billableToday})`);
    assert.equal(await todayBar.getAttribute('data-value'), String(billableToday));
    assert.equal(await byDay.locator('rect').count(), 30, 'one column per day of the default 30-day period');
    assert.match(await byDay.getByRole('img').getAttribute('aria-label') ?? '', new RegExp(`busiest day was ${today} with ${billableToday}`));
    const byConnector = page.getByRole('figure', { name: 'By connector' }).getByRole('listitem');
    await byConnector.filter({ hasText: 'Microsoft 365' }).filter({ hasText: String(billableToday) }).waitFor();
    await page.getByRole('figure', { name: 'By folder' }).getByRole('listitem').filter({ hasText: 'Shared' }).waitFor();
    await screenshot(page, '23-usage');

    await page.getByRole('link', { name: 'Troubleshooting' }).click();
    await page.getByRole('heading', { level: 1, name: 'Troubleshooting' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill('CSRF');
    await page.getByText('CSRF_TOKEN_INVALID').waitFor();
    await screenshot(page, '24-troubleshooting');
  });

  test('the catalog lists every connector with a page per connector', async () => {
    await page.getByRole('link', { name: 'Connector catalog' }).click();
    await page.getByRole('link', { name: /Microsoft 365/ }).click();
    await page.getByRole('heading', { level: 1, name: /Microsoft 365/ }).waitFor();
    await page.getByRole('heading', { name: /Activities \(\d+\)/ }).waitFor();
    await page.getByText('Send Email', { exact: true }).waitFor();
    await screenshot(page, '25-connector');
  });
});

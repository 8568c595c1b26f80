import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { APP } from '../support/microsoft.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type ConsoleSetup, launchBrowser, newPage, screenshot, signIn, startConsole } from './support.ts';

const BOB = 'bob@example.com';
const BOB_PASSWORD = 'bobs console passphrase';

/**
 * Folder access through the console: an administrator invites a user and gives them a role
 * in one folder; the user sees that folder's connections and nothing of another folder's,
 * whether through the sidebar, a typed URL or the API with their session.
 */
describe('console: users, invitations and folder access', () => {
  let setup: ConsoleSetup;
  let browser: Browser;
  let admin: Page;
  let bob: Page;
  let sharedId: string;
  let financeId: string;
  let sharedConnectionId: string;
  let invitationUrl: string;

  /** A Pending Microsoft 365 connection, made through the API (the other test file covers the console's form). */
  async function pendingConnection(folderId: string, name: string): Promise<string> {
    const res = await setup.s.api('POST', '/api/v1/connections', {
      body: { folderId, connector: 'microsoft-365', authType: 'oauth2-byoa', name, fields: { clientId: APP.clientId, clientSecret: APP.secret, environment: 'office365' } },
    });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().id;
  }

  before(async () => {
    setup = await startConsole();
    browser = await launchBrowser();
    ({ page: admin } = await newPage(browser, setup.origin));
    ({ page: bob } = await newPage(browser, setup.origin));
    const folders = await setup.s.api('GET', '/api/v1/folders?kind=shared');
    sharedId = folders.json().items.find((f: { name: string }) => f.name === 'Shared').id;
    sharedConnectionId = await pendingConnection(sharedId, 'Payroll mailbox');
  });
  after(async () => {
    await browser?.close();
    await setup?.close();
  });

  test('an administrator creates a folder and invites a user with a one-time link', async () => {
    await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    await admin.getByRole('button', { name: '+ New folder' }).click();
    await admin.getByLabel('Name').fill('Finance');
    await admin.getByRole('button', { name: 'Create' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Finance' }).waitFor();
    financeId = /\/folders\/([0-9a-f-]{36})\//.exec(admin.url())![1]!;
    await pendingConnection(financeId, 'Invoices mailbox');

    await admin.getByRole('link', { name: 'Users' }).click();
    await admin.getByLabel('Email').fill(BOB);
    await admin.getByLabel('Display name').fill('Bob');
    await admin.getByRole('button', { name: 'Invite' }).click();
    const link = admin.getByRole('textbox', { name: 'Sign-in link' });
    await link.waitFor();
    invitationUrl = await link.inputValue();
    assert.match(invitationUrl, new RegExp(`^${setup.origin}/invitation#token=[A-Za-z0-9_-]{43}$`));
    await admin.getByRole('table').getByRole('cell', { name: BOB, exact: true }).waitFor();
    await screenshot(admin, '10-users-invite');
  });

  test('the invited user chooses a password and sees only their own workspace', async () => {
    await bob.goto(invitationUrl);
    await bob.getByRole('heading', { name: 'Choose your password' }).waitFor();
    assert.equal(new URL(bob.url()).hash, '', 'the token leaves the address bar at once');
    await bob.getByLabel('New password').fill(BOB_PASSWORD);
    await bob.getByLabel('Repeat the password').fill(BOB_PASSWORD);
    await bob.getByRole('button', { name: 'Save password and sign in' }).click();
    const nav = bob.getByRole('navigation', { name: 'Console' });
    await nav.getByRole('link', { name: 'My Workspace' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Shared' }).count(), 0, 'no role in Shared: not listed');
    assert.equal(await nav.getByRole('link', { name: 'Finance' }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: 'Users' }).count(), 0, 'administration is for administrators');
    await screenshot(bob, '11-user-own-workspace');

    const again = await setup.s.api('POST', '/api/v1/session/invitation', { key: null, body: { token: new URL(invitationUrl).hash.split('=')[1], password: 'another passphrase here' } });
    assert.equal(again.json().code, 'INVITATION_INVALID', 'the link worked once');
  });

  test("a user without a role cannot see another folder's connections, by URL or by API", async () => {
    await bob.goto(`/folders/${sharedId}/connections`);
    await bob.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    await bob.goto(`/connections/${sharedConnectionId}`);
    await bob.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    assert.doesNotMatch(await bob.locator('body').innerText(), /Payroll mailbox/);
    const statuses = JSON.parse(String(await bob.evaluate(`Promise.all([
      fetch('/api/v1/connections?folderId=${sharedId}').then((r) => r.status),
      fetch('/api/v1/connections/${sharedConnectionId}').then((r) => r.status),
      fetch('/api/v1/connections').then((r) => r.json()).then((b) => b.items.length),
    ]).then(JSON.stringify)`)));
    assert.deepEqual(statuses, [404, 404, 0], 'the API with the session cookie answers as the console does');
  });

  test('the session cookie alone cannot change anything: the CSRF token is required', async () => {
    const status = await bob.evaluate(`fetch('/api/v1/session', { method: 'DELETE' }).then((r) => r.status)`);
    assert.equal(status, 403);
    await bob.reload();
    await bob.getByRole('navigation', { name: 'Console' }).waitFor();
  });

  test('a folder role given in the Members tab shows that folder, read-only for a Viewer', async () => {
    await admin.goto(`/folders/${financeId}/members`);
    await admin.getByLabel('User', { exact: true }).selectOption({ label: `Bob (${BOB})` });
    await admin.getByLabel('Role', { exact: true }).selectOption('Viewer');
    await admin.getByRole('button', { name: 'Add' }).click();
    await admin.getByText(`${BOB} is now Viewer here.`).waitFor();
    await admin.getByRole('combobox', { name: `Role of ${BOB}` }).waitFor();
    await screenshot(admin, '12-folder-members');

    await bob.reload();
    const nav = bob.getByRole('navigation', { name: 'Console' });
    await nav.getByRole('link', { name: 'Finance' }).click();
    await bob.getByRole('heading', { level: 1, name: 'Finance' }).waitFor();
    await bob.getByText('your role: Viewer').waitFor();
    await bob.getByRole('link', { name: 'Invoices mailbox' }).waitFor();
    assert.equal(await bob.getByRole('link', { name: 'Add connection' }).count(), 0, 'Viewers cannot add connections');
    assert.equal(await nav.getByRole('link', { name: 'Shared' }).count(), 0, 'Shared stays hidden');
    await bob.getByRole('link', { name: 'Invoices mailbox' }).click();
    await bob.getByRole('button', { name: 'Check connection' }).waitFor();
    assert.equal(await bob.getByRole('button', { name: 'Reconnect' }).count(), 0, 'no Reconnect without Connections.Edit');
    assert.equal(await bob.getByRole('button', { name: 'Delete…' }).count(), 0, 'no Delete without Connections.Delete');
    assert.equal(await bob.getByRole('button', { name: 'Rename' }).isDisabled(), true);
  });

  test('signing out ends the session', async () => {
    await bob.getByRole('button', { name: 'Sign out' }).click();
    await bob.getByRole('heading', { name: 'Sign in' }).waitFor();
    const status = await bob.evaluate(`fetch('/api/v1/session').then((r) => r.status)`);
    assert.equal(status, 401);
    await signIn(bob, BOB, BOB_PASSWORD);
  });
});

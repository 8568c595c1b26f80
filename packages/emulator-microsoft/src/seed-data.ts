/**
 * The default Graph data: a little realistic content for the default users, so every Microsoft
 * 365 activity has something to act on out of the box. Times are relative to the emulator clock
 * when the seed is applied ("two days ago"); ids are fixed (derived from stable names) so tests
 * and docs can name them — they are listed in DEFAULT_DATA_IDS.
 */
import type { DataSeed } from './admin-data/data-seed.ts';
import { wellKnownFolderId } from './data/mail/folders.ts';
import { driveId, driveItemId, guid, outlookId } from './data/ids.ts';
import { DEFAULT_SEED_IDS } from './seed-ids.ts';

const U = DEFAULT_SEED_IDS.users;
const ADELE = 'AdeleV@contoso.onmicrosoft.com';
const MEGAN = 'MeganB@contoso.onmicrosoft.com';

const msg = (key: string, personal = false) => outlookId(['seed', 'message', key], personal);
const evt = (key: string) => outlookId(['seed', 'event', key]);
const file = (key: string) => driveItemId(['seed', 'driveItem', key]);

const adeleDrive = driveId(['drive', U.adele]);
const marketingSiteId = `contoso.sharepoint.com,${guid(['site', DEFAULT_SEED_IDS.tenants.contoso, '/sites/marketing'])},${guid(['web', DEFAULT_SEED_IDS.tenants.contoso, '/sites/marketing'])}`;

export const DEFAULT_DATA_IDS = {
  adele: {
    folders: {
      inbox: wellKnownFolderId(U.adele, 'inbox'),
      sentitems: wellKnownFolderId(U.adele, 'sentitems'),
      drafts: wellKnownFolderId(U.adele, 'drafts'),
      deleteditems: wellKnownFolderId(U.adele, 'deleteditems'),
      archive: wellKnownFolderId(U.adele, 'archive'),
      /** Custom folder under Inbox. */
      invoices: outlookId(['seed', 'mailFolder', 'adele-invoices']),
    },
    messages: {
      /** Inbox, read, from Microsoft 365. */
      welcome: msg('adele-welcome'),
      /** Inbox, unread, from Megan, high importance, one attachment. */
      q3Plan: msg('adele-q3-plan'),
      /** Inbox, unread, flagged, from Diego (fabrikam). */
      partnership: msg('adele-partnership'),
      /** Invoices folder, read, PDF attachment. */
      invoice: msg('adele-invoice'),
      /** Sent Items, to Megan. */
      lunch: msg('adele-lunch'),
      /** Drafts. */
      draft: msg('adele-draft'),
    },
    events: {
      /** Weekly series (Mondays 10:00 Pacific), Teams meeting, Megan invited. */
      weeklySync: evt('adele-weekly-sync'),
      /** In two days 14:00–15:30 UTC, Megan and Diego invited. */
      quarterlyReview: evt('adele-qbr'),
      /** Tomorrow 09:00–11:00 UTC, no attendees. */
      focusTime: evt('adele-focus'),
    },
    contacts: {
      /** Ryan Miller of Fabrikam (an outside contact). */
      ryan: outlookId(['seed', 'contact', 'adele-ryan']),
    },
    drive: {
      id: adeleDrive,
      root: driveItemId(['root', adeleDrive]),
      projectsFolder: file('adele-projects'),
      projectPlan: file('adele-project-plan'),
      requirements: file('adele-requirements'),
      welcome: file('adele-welcome'),
      /** Budget.xlsx: sheets Expenses (table ExpensesTable, A1:C4) and Summary (a SUM formula). */
      budgetWorkbook: file('adele-budget'),
    },
  },
  megan: {
    messages: { lunch: msg('megan-lunch') },
  },
  diego: {
    messages: { welcome: msg('diego-welcome') },
  },
  pat: {
    messages: { welcome: msg('pat-welcome', true) },
  },
  lee: {
    drive: { notes: file('lee-notes') },
  },
  sites: {
    marketing: {
      id: marketingSiteId,
      /** Campaigns list: Title, Status (choice, indexed), Budget (currency), LaunchDate, Owner; items 1–3. */
      campaignsList: guid(['seed', 'list', 'marketing-campaigns']),
      driveId: driveId(['site-drive', marketingSiteId]),
      brandGuidelines: file('marketing-brand-guidelines'),
    },
  },
} as const;

const D = DEFAULT_DATA_IDS;

/** A fresh copy each call, like defaultSeed(). */
export function defaultDataSeed(): DataSeed {
  return {
    sites: [
      {
        tenant: 'contoso',
        path: '/sites/Marketing',
        displayName: 'Marketing',
        description: 'Campaigns, brand assets and plans of the Contoso marketing team.',
        lists: [
          {
            id: D.sites.marketing.campaignsList,
            displayName: 'Campaigns',
            description: 'Marketing campaigns and their budgets',
            columns: [
              { name: 'Status', type: 'choice', choices: ['Planned', 'Active', 'Completed'], indexed: true },
              { name: 'Budget', type: 'currency' },
              { name: 'LaunchDate', displayName: 'Launch date', type: 'dateTime' },
              { name: 'Owner', type: 'text' },
            ],
            items: [
              { Title: 'Spring launch', Status: 'Completed', Budget: 25000, LaunchDate: '2024-03-15T00:00:00Z', Owner: 'Megan Bowen' },
              { Title: 'Summer social push', Status: 'Active', Budget: 12000, LaunchDate: '2024-06-01T00:00:00Z', Owner: 'Adele Vance' },
              { Title: 'Holiday campaign', Status: 'Planned', Budget: 40000, LaunchDate: '2024-11-20T00:00:00Z', Owner: 'Megan Bowen' },
            ],
          },
        ],
      },
    ],
    mailFolders: [{ user: ADELE, displayName: 'Invoices', parent: 'inbox', id: D.adele.folders.invoices }],
    messages: [
      {
        user: ADELE,
        id: D.adele.messages.welcome,
        folder: 'inbox',
        from: 'Microsoft 365 <no-reply@microsoft.com>',
        toRecipients: [`Adele Vance <${ADELE}>`],
        subject: 'Welcome to Microsoft 365',
        body: { contentType: 'html', content: '<html><body><p>Welcome, Adele! Your Microsoft 365 account is ready.</p></body></html>' },
        receivedDateTime: 'now-7d',
        isRead: true,
      },
      {
        user: ADELE,
        id: D.adele.messages.q3Plan,
        folder: 'inbox',
        from: `Megan Bowen <${MEGAN}>`,
        toRecipients: [`Adele Vance <${ADELE}>`],
        subject: 'Q3 marketing plan - please review',
        body: 'Hi Adele,\n\nAttached is the draft Q3 plan. Could you review the budget section by Thursday?\n\nThanks,\nMegan',
        importance: 'high',
        categories: ['Red category'],
        receivedDateTime: 'now-2d',
        attachments: [{ name: 'Q3-plan.txt', contentType: 'text/plain', content: 'Q3 plan\n- Summer social push\n- Partner webinar series\n' }],
      },
      {
        user: ADELE,
        id: D.adele.messages.partnership,
        folder: 'inbox',
        from: 'Diego Siciliani <DiegoS@fabrikam.onmicrosoft.com>',
        toRecipients: [`Adele Vance <${ADELE}>`],
        ccRecipients: [`Megan Bowen <${MEGAN}>`],
        subject: 'Partnership proposal',
        body: 'Hello Adele, Fabrikam would like to propose a joint campaign for the holiday season. Are you available next week?',
        flag: { flagStatus: 'flagged' },
        receivedDateTime: 'now-3h',
      },
      {
        user: ADELE,
        id: D.adele.messages.invoice,
        folder: D.adele.folders.invoices,
        from: 'Fabrikam Billing <billing@fabrikam.com>',
        toRecipients: [`Adele Vance <${ADELE}>`],
        subject: 'Invoice INV-1042',
        body: 'Please find invoice INV-1042 attached. Payment is due within 30 days.',
        receivedDateTime: 'now-10d',
        isRead: true,
        attachments: [{ name: 'INV-1042.pdf', contentType: 'application/pdf', contentBytes: Buffer.from('%PDF-1.4\n% emulated invoice INV-1042\n%%EOF\n').toString('base64') }],
      },
      {
        user: ADELE,
        id: D.adele.messages.lunch,
        folder: 'sentitems',
        toRecipients: [`Megan Bowen <${MEGAN}>`],
        subject: 'Lunch on Friday?',
        body: 'Hi Megan, lunch on Friday at 12:30? Adele',
        receivedDateTime: 'now-1d',
      },
      {
        user: ADELE,
        id: D.adele.messages.draft,
        folder: 'drafts',
        toRecipients: ['Lee Gu <LeeG@contoso.onmicrosoft.com>'],
        subject: 'Budget notes (draft)',
        body: 'Notes for the budget meeting: travel is over plan, software under.',
      },
      {
        user: MEGAN,
        id: D.megan.messages.lunch,
        folder: 'inbox',
        from: `Adele Vance <${ADELE}>`,
        toRecipients: [`Megan Bowen <${MEGAN}>`],
        subject: 'Lunch on Friday?',
        body: 'Hi Megan, lunch on Friday at 12:30? Adele',
        receivedDateTime: 'now-1d',
      },
      {
        user: 'DiegoS@fabrikam.onmicrosoft.com',
        id: D.diego.messages.welcome,
        folder: 'inbox',
        from: 'Microsoft 365 <no-reply@microsoft.com>',
        subject: 'Welcome to Microsoft 365',
        body: 'Welcome, Diego! Your Microsoft 365 account is ready.',
        receivedDateTime: 'now-5d',
      },
      {
        user: 'pat.kim@outlook.com',
        id: D.pat.messages.welcome,
        folder: 'inbox',
        from: 'Outlook.com Team <no-reply@outlook.com>',
        subject: 'Get started with Outlook.com',
        body: 'Hi Pat, here are a few tips to get started with your new mailbox.',
        receivedDateTime: 'now-30d',
      },
    ],
    events: [
      {
        user: ADELE,
        id: D.adele.events.weeklySync,
        subject: 'Weekly marketing sync',
        body: { contentType: 'html', content: '<p>Status of campaigns and blockers.</p>' },
        start: { dateTime: 'today-7d@10:00', timeZone: 'Pacific Standard Time' },
        end: { dateTime: 'today-7d@10:30', timeZone: 'Pacific Standard Time' },
        isOnlineMeeting: true,
        attendees: [{ emailAddress: { address: MEGAN, name: 'Megan Bowen' }, type: 'required' }],
        recurrence: {
          pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' },
          range: { type: 'noEnd', startDate: 'today-7d', recurrenceTimeZone: 'Pacific Standard Time' },
        },
      },
      {
        user: ADELE,
        id: D.adele.events.quarterlyReview,
        subject: 'Quarterly business review',
        body: 'Review of Q3 results with the Fabrikam team.',
        start: { dateTime: 'today+2d@14:00', timeZone: 'UTC' },
        end: { dateTime: 'today+2d@15:30', timeZone: 'UTC' },
        location: 'Conference Room 18/2111',
        attendees: [`Megan Bowen <${MEGAN}>`, 'Diego Siciliani <DiegoS@fabrikam.onmicrosoft.com>'],
      },
      {
        user: ADELE,
        id: D.adele.events.focusTime,
        subject: 'Focus time',
        start: { dateTime: 'today+1d@09:00', timeZone: 'UTC' },
        end: { dateTime: 'today+1d@11:00', timeZone: 'UTC' },
        showAs: 'busy',
      },
    ],
    contacts: [
      {
        user: ADELE,
        id: D.adele.contacts.ryan,
        givenName: 'Ryan',
        surname: 'Miller',
        emailAddresses: [{ address: 'ryan.miller@fabrikam.com', name: 'Ryan Miller' }],
        businessPhones: ['+1 206 555 0110'],
        companyName: 'Fabrikam',
        jobTitle: 'Purchasing Manager',
      },
    ],
    files: [
      { owner: ADELE, path: '/Projects', folder: true, id: D.adele.drive.projectsFolder },
      { owner: ADELE, path: '/Projects/Project-Plan.txt', id: D.adele.drive.projectPlan, content: 'Project plan\n1. Research\n2. Design\n3. Launch\n' },
      { owner: ADELE, path: '/Projects/Requirements.md', id: D.adele.drive.requirements, content: '# Requirements\n\n- Must support offline mode\n- Must export to CSV\n' },
      { owner: ADELE, path: '/Welcome.txt', id: D.adele.drive.welcome, content: 'Welcome to OneDrive, Adele.\n' },
      {
        owner: ADELE,
        path: '/Budget.xlsx',
        id: D.adele.drive.budgetWorkbook,
        workbook: {
          worksheets: [
            {
              name: 'Expenses',
              values: [
                ['Date', 'Category', 'Amount'],
                ['2024-01-05', 'Travel', 1200],
                ['2024-01-12', 'Software', 450],
                ['2024-01-20', 'Catering', 310],
              ],
            },
            { name: 'Summary', values: [['Total', '=SUM(Expenses!C2:C4)']] },
          ],
          tables: [{ name: 'ExpensesTable', worksheet: 'Expenses', address: 'A1:C4', hasHeaders: true }],
        },
      },
      { owner: { site: D.sites.marketing.id }, path: '/Brand-Guidelines.txt', id: D.sites.marketing.brandGuidelines, content: 'Contoso brand guidelines: use the blue palette.\n' },
      { owner: 'LeeG@contoso.onmicrosoft.com', path: '/Notes.txt', id: D.lee.drive.notes, content: 'Lee’s notes.\n' },
    ],
  };
}

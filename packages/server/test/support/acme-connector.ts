import type { ConnectorDefinition } from '@switchboard/catalog';

/**
 * The connector of the fake Acme vendor: one object (ticket) and triggers of every kind the
 * engine runs from a definition. Its triggers are what Microsoft 365's will be: a watermark
 * poll, a delta poll, and a Graph-style subscription with clientState and lifecycle events.
 */
export const acmeConnector: ConnectorDefinition = {
  key: 'acme-tickets',
  displayName: 'Acme Tickets',
  vendor: 'Acme Inc.',
  description: 'Tickets of an Acme helpdesk, for the trigger tests.',
  categories: ['ITSM'],
  lifecycle: 'custom',
  version: '1.0.0',
  fields: [
    { key: 'baseUrl', label: 'Base URL', type: 'url', required: true },
    { key: 'webhookSecret', label: 'Webhook signing secret', type: 'secret' },
  ],
  baseUrl: '{baseUrl}',
  auth: [{
    type: 'api-key', label: 'API key', default: true,
    fields: [{ key: 'apiKey', label: 'API key', type: 'secret', required: true }],
    inject: { in: 'header', name: 'X-API-Key' },
  }],
  identity: { request: { method: 'GET', path: '/me' }, account: ['/email'], id: '/id' },
  http: { offered: true },
  objects: [{
    key: 'ticket', displayName: 'Ticket', path: '/tickets', itemPath: '/tickets/{id}', idField: 'id', updatedField: 'updatedAt', createdField: 'createdAt',
    queryLanguage: 'none', schema: { type: 'object' }, operations: ['list', 'get'], pagination: { style: 'none', recordsPath: '/items' },
  }],
  activities: [],
  triggers: [
    {
      key: 'ticket-created', displayName: 'Ticket Created', description: 'A new ticket.', object: 'ticket', event: 'created', mode: 'polling',
      polling: {
        request: { method: 'GET', path: '/tickets', query: { since: '{watermark}' } },
        recordsPath: '/items', idPath: '/id', timestampPath: '/updatedAt', createdPath: '/createdAt',
        watermark: { format: 'iso8601', overlapSeconds: 30 },
      },
      filterFields: [{ path: '/status', label: 'Status', type: 'string' }, { path: '/priority', label: 'Priority', type: 'number' }],
    },
    {
      key: 'ticket-updated', displayName: 'Ticket Updated', description: 'A ticket changed.', object: 'ticket', event: 'updated', mode: 'polling',
      polling: {
        request: { method: 'GET', path: '/tickets', query: { since: '{watermark}' } },
        recordsPath: '/items', idPath: '/id', timestampPath: '/updatedAt', createdPath: '/createdAt',
        watermark: { format: 'iso8601', overlapSeconds: 30 },
      },
      filterFields: [],
    },
    {
      key: 'ticket-changes', displayName: 'Ticket Changes', description: 'Tickets created, changed or deleted, from the delta feed.', event: 'ticket-changed', mode: 'polling',
      polling: {
        request: { method: 'GET', path: '/tickets/delta' },
        recordsPath: '/value', idPath: '/id', timestampPath: '/updatedAt', createdPath: '/createdAt',
        delta: { linkPath: '/@odata.deltaLink', nextLinkPath: '/@odata.nextLink', removedPath: '/@removed' },
      },
      filterFields: [],
    },
    {
      key: 'ticket-deleted', displayName: 'Ticket Deleted', description: 'A ticket was deleted.', object: 'ticket', event: 'deleted', mode: 'polling',
      polling: {
        request: { method: 'GET', path: '/tickets/delta' },
        recordsPath: '/value', idPath: '/id', timestampPath: '/updatedAt', createdPath: '/createdAt',
        delta: { linkPath: '/@odata.deltaLink', nextLinkPath: '/@odata.nextLink', removedPath: '/@removed' },
      },
      filterFields: [],
    },
    {
      key: 'ticket-created-notification', displayName: 'Ticket Created (instant)', description: 'Acme notifies new tickets.', object: 'ticket', event: 'created', mode: 'webhook',
      webhook: {
        subscription: {
          create: {
            request: {
              method: 'POST', path: '/subscriptions',
              body: { type: 'json', expr: "{changeType: 'created', notificationUrl: webhook.url, lifecycleNotificationUrl: webhook.url, resource: 'tickets', expirationDateTime: subscription.expiresAt, clientState: subscription.secret}" },
            },
            idPath: '/id', expiresAtPath: '/expirationDateTime',
          },
          renew: { method: 'PATCH', path: '/subscriptions/{subscription.id}', body: { type: 'json', expr: '{expirationDateTime: subscription.expiresAt}' } },
          delete: { method: 'DELETE', path: '/subscriptions/{subscription.id}' },
          lifetimeMinutes: 60,
          renewBeforeMinutes: 10,
        },
        signature: { algorithm: 'none-with-client-state', clientStatePath: '/clientState', secret: { from: 'subscription' } },
        challenge: { type: 'query-echo', param: 'validationToken' },
        recordsPath: '/value', idPath: '/resourceData/id', eventTypePath: '/changeType',
      },
      filterFields: [],
    },
    {
      key: 'ticket-event', displayName: 'Ticket Event', description: 'Acme posts signed ticket events to a URL you register in Acme.', event: 'custom', mode: 'webhook',
      webhook: {
        signature: {
          algorithm: 'hmac-sha256', header: 'X-Acme-Signature', encoding: 'hex', prefix: 'sha256=', signedPayload: '{timestamp}.{body}',
          timestampHeader: 'X-Acme-Timestamp', toleranceSeconds: 300, secret: { from: 'connection-field', field: 'webhookSecret' },
        },
        idPath: '/id', eventTypePath: '/type',
      },
      filterFields: [],
    },
  ],
};

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kebabCase, parseTemplate, readPointer, renderTemplate, TemplateSyntaxError, templateVariables, TemplateValueError } from '../src/index.ts';

describe('kebabCase', () => {
  const table: Array<[string, string]> = [
    ['Microsoft 365', 'microsoft-365'],
    ['HTTP Webhook', 'http-webhook'],
    ['X (formerly Twitter)', 'x-formerly-twitter'],
    ['Microsoft OneDrive & Sharepoint', 'microsoft-onedrive-sharepoint'],
    ['Act! 365', 'act-365'],
    ['watsonx.ai', 'watsonx-ai'],
    ['CrewAI – Preview', 'crewai-preview'],
    ['HubSpot Marketing', 'hubspot-marketing'],
    ['Café  Über', 'cafe-uber'],
  ];
  for (const [name, key] of table) it(`${name} -> ${key}`, () => assert.equal(kebabCase(name), key));
});

describe('templates', () => {
  it('lists placeholders in order, once each', () => {
    assert.deepEqual(templateVariables('{environment.login}/{tenantId}/oauth2/v2.0/{tenantId}'), ['environment.login', 'tenantId']);
    assert.deepEqual(templateVariables('https://{subdomain}.zendesk.com/api/v2'), ['subdomain']);
    assert.deepEqual(templateVariables('{+identityPath}'), ['identityPath']);
    assert.deepEqual(templateVariables('no placeholders'), []);
  });

  it('rejects malformed braces', () => {
    for (const bad of ['{tenantId', 'tenantId}', '{}', '{a b}', '{{a}}', '{a.}', '{1a}']) {
      assert.throws(() => parseTemplate(bad), TemplateSyntaxError, bad);
    }
  });

  it('renders, percent-encoding URL values except verbatim ones and {+reserved} ones', () => {
    const values = { graph: 'https://graph.microsoft.com', mailbox: 'a b@contoso.com', path: '/users/me' };
    const verbatim = (name: string) => name === 'graph';
    assert.equal(renderTemplate('{graph}/v1.0/users/{mailbox}', values, { encode: true, verbatim }), 'https://graph.microsoft.com/v1.0/users/a%20b%40contoso.com');
    assert.equal(renderTemplate('{graph}{+path}', values, { encode: true, verbatim }), 'https://graph.microsoft.com/users/me');
    assert.equal(renderTemplate('{graph}{path}', values, { encode: true, verbatim }), 'https://graph.microsoft.com%2Fusers%2Fme');
    assert.equal(renderTemplate('{mailbox}', values), 'a b@contoso.com');
    assert.throws(() => renderTemplate('{missing}', values), TemplateValueError);
    assert.throws(() => renderTemplate('{list}', { list: ['a'] }), TemplateValueError);
  });
});

describe('JSON pointers', () => {
  const doc = { value: [{ id: 1 }], '@odata.nextLink': 'https://next', 'a/b': { '~k': true } };
  it('read values, including keys with dots, slashes and tildes', () => {
    assert.equal(readPointer(doc, ''), doc);
    assert.equal(readPointer(doc, '/value/0/id'), 1);
    assert.equal(readPointer(doc, '/@odata.nextLink'), 'https://next');
    assert.equal(readPointer(doc, '/a~1b/~0k'), true);
    assert.equal(readPointer(doc, '/value/1/id'), undefined);
    assert.equal(readPointer(doc, '/value/x'), undefined);
    assert.equal(readPointer(doc, '/toString'), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertValidConnector, ConnectorDefinitionError, validateConnector } from '../src/index.ts';
import { minimal } from './fixtures.ts';

// Loosely typed so cases can break the definition in ways the types forbid.
type Loose = Record<string, any>;

const byoa = (): Loose => ({
  type: 'oauth2-byoa',
  label: 'Your app',
  fields: [
    { key: 'clientId', label: 'Client ID', type: 'string', required: true },
    { key: 'clientSecret', label: 'Client secret', type: 'secret', required: true },
    { key: 'scopes', label: 'Scopes', type: 'multiselect' },
  ],
  oauth2: {
    authorizationUrl: 'https://login.acme.test/authorize',
    tokenUrl: 'https://login.acme.test/token',
    scopes: { available: [{ value: 'read' }, { value: 'write' }], default: ['read'], required: ['read'], field: 'scopes' },
  },
});

const activity = (key: string): Loose => ({
  key,
  displayName: 'Get Thing',
  description: 'Gets a thing.',
  curated: true,
  input: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
  output: { type: 'object' },
  request: { method: 'GET', path: '/things/{id}' },
});

interface Case {
  name: string;
  breakIt: (def: Loose) => void;
  path: string;
  rule: string;
  /** Text the message must contain. */
  says?: string | RegExp;
  /** Name the error must give the connector (default acme). */
  connector?: string;
}

const cases: Case[] = [
  { name: 'missing key', breakIt: (d) => delete d.key, path: '/key', rule: 'required', says: 'required property "key" is missing', connector: 'broken.json' },
  { name: 'key not kebab-case', breakIt: (d) => (d.key = 'AcmeCRM'), path: '/key', rule: 'pattern', says: /kebab-case.*got "AcmeCRM"/, connector: 'broken.json' },
  { name: 'unknown auth type', breakIt: (d) => (d.auth[0].type = 'oauth3'), path: '/auth/0/type', rule: 'enum', says: /must be one of oauth2-authorization-code, .*none \(got "oauth3"\)/ },
  {
    name: 'two default auth types',
    breakIt: (d) => (d.auth = [{ type: 'none', label: 'None', default: true }, { ...byoa(), default: true }]),
    path: '/auth/1/default',
    rule: 'multiple-defaults',
  },
  { name: 'unknown placeholder', breakIt: (d) => (d.baseUrl = 'https://{subdomain}.acme.test'), path: '/baseUrl', rule: 'unknown-placeholder', says: '{subdomain}' },
  { name: 'malformed template', breakIt: (d) => (d.baseUrl = 'https://{subdomain.acme.test'), path: '/baseUrl', rule: 'bad-template', says: 'unclosed "{"' },
  {
    name: 'pattern that does not compile',
    breakIt: (d) => (d.fields = [{ key: 'code', label: 'Code', type: 'string', pattern: '([a-z', patternMessage: 'Letters.' }]),
    path: '/fields/0/pattern',
    rule: 'invalid-regex',
  },
  {
    name: 'pattern without its message',
    breakIt: (d) => (d.fields = [{ key: 'code', label: 'Code', type: 'string', pattern: '^[a-z]+$' }]),
    path: '/fields/0/patternMessage',
    rule: 'required',
    says: 'required when "pattern" is set',
  },
  {
    name: 'unknown field type (enum)',
    breakIt: (d) => (d.auth = [{ ...byoa(), fields: [byoa().fields[0], { key: 'clientSecret', label: 'S', type: 'password' }] }]),
    path: '/auth/0/fields/1/type',
    rule: 'enum',
    says: 'must be one of string, secret, url, number, boolean, select, multiselect, text, json (got "password")',
  },
  {
    name: 'additional property',
    breakIt: (d) => (d.auth[0].scope = 'read'),
    path: '/auth/0/scope',
    rule: 'additional-property',
    says: /unknown property "scope"; allowed here: .*label/,
  },
  {
    name: 'inconsistent environments',
    breakIt: (d) => {
      d.fields = [{ key: 'environment', label: 'Environment', type: 'select' }];
      d.environments = {
        field: 'environment',
        default: 'global',
        options: [
          { key: 'global', label: 'Global', values: { login: 'https://login.acme.test', api: 'https://api.acme.test' } },
          { key: 'gov', label: 'Government', values: { login: 'https://login.acme.gov' } },
        ],
      };
    },
    path: '/environments/options/1/values',
    rule: 'environment-values',
    says: 'does not define api',
  },
  {
    name: 'environment value used but not defined everywhere',
    breakIt: (d) => {
      d.fields = [{ key: 'environment', label: 'Environment', type: 'select' }];
      d.environments = { field: 'environment', default: 'global', options: [{ key: 'global', label: 'Global', values: { login: 'https://login.acme.test' } }] };
      d.baseUrl = '{environment.api}/v1';
    },
    path: '/baseUrl',
    rule: 'unknown-placeholder',
    says: '{environment.api}',
  },
  {
    name: 'scope default not available',
    breakIt: (d) => {
      d.auth = [byoa()];
      d.auth[0].oauth2.scopes.default = ['read', 'admin'];
    },
    path: '/auth/0/oauth2/scopes/default/1',
    rule: 'scope-not-available',
    says: '"admin"',
  },
  {
    name: 'required scope not default',
    breakIt: (d) => {
      d.auth = [byoa()];
      d.auth[0].oauth2.scopes.required = ['read', 'write'];
    },
    path: '/auth/0/oauth2/scopes/required/1',
    rule: 'scope-required-not-default',
  },
  {
    name: 'invalid activity input schema',
    breakIt: (d) => (d.activities = [{ ...activity('get-thing'), input: { type: 'object', required: ['id'], properties: { id: { type: 'strng' } } } }]),
    path: '/activities/0/input',
    rule: 'invalid-schema',
  },
  {
    name: 'typo in activity input schema keyword (strict)',
    breakIt: (d) => (d.activities = [{ ...activity('get-thing'), input: { type: 'object', requried: ['id'], properties: { id: { type: 'string' } } } }]),
    path: '/activities/0/input',
    rule: 'invalid-schema',
    says: 'requried',
  },
  {
    name: 'duplicate activity keys',
    breakIt: (d) => (d.activities = [activity('get-thing'), activity('get-thing')]),
    path: '/activities/1/key',
    rule: 'duplicate-key',
  },
  {
    name: 'path placeholder not a required input',
    breakIt: (d) => (d.activities = [{ ...activity('get-thing'), input: { type: 'object', properties: { id: { type: 'string' } } } }]),
    path: '/activities/0/request/path',
    rule: 'optional-path-param',
  },
  {
    name: 'activity placeholder that is not an input',
    breakIt: (d) => (d.activities = [{ ...activity('get-thing'), request: { method: 'GET', path: '/things/{thingId}' } }]),
    path: '/activities/0/request/path',
    rule: 'unknown-placeholder',
    says: 'not an input property',
  },
  {
    name: 'connection placeholder not defined for every auth type',
    breakIt: (d) => {
      d.auth = [{ type: 'none', label: 'None', variables: { userPath: '/me' } }, { type: 'basic', label: 'Basic', fields: [{ key: 'username', label: 'U', type: 'string' }, { key: 'password', label: 'P', type: 'secret' }] }];
      d.activities = [{ ...activity('get-thing'), request: { method: 'GET', path: '{connection.userPath}/things/{id}' } }];
    },
    path: '/activities/0/request/path',
    rule: 'unknown-placeholder',
    says: 'every auth type',
  },
  {
    name: 'token metadata in a token URL',
    breakIt: (d) => {
      d.auth = [byoa()];
      d.auth[0].oauth2.tokenUrl = '{metadata.instanceUrl}/token';
      d.auth[0].oauth2.tokenResponse = { metadata: { instanceUrl: '/instance_url' } };
    },
    path: '/auth/0/oauth2/tokenUrl',
    rule: 'unknown-placeholder',
    says: 'not known yet',
  },
  { name: 'missing credential field', breakIt: (d) => (d.auth = [{ ...byoa(), fields: [byoa().fields[0], byoa().fields[2]] }]), path: '/auth/0/fields', rule: 'missing-credential-field', says: '"clientSecret"' },
  {
    name: 'credential field not secret',
    breakIt: (d) => (d.auth = [{ ...byoa(), fields: [byoa().fields[0], { key: 'clientSecret', label: 'S', type: 'string' }, byoa().fields[2]] }]),
    path: '/auth/0/fields/1/type',
    rule: 'credential-not-secret',
  },
  {
    name: 'secret with a default',
    breakIt: (d) => (d.fields = [{ key: 'webhookKey', label: 'Key', type: 'secret', default: 'abc' }]),
    path: '/fields/0/default',
    rule: 'secret-default',
  },
  {
    name: 'select default not among options',
    breakIt: (d) => (d.fields = [{ key: 'region', label: 'Region', type: 'select', default: 'mars', options: [{ value: 'eu', label: 'EU' }] }]),
    path: '/fields/0/default',
    rule: 'default-not-in-options',
  },
  {
    name: 'locked value not in the default',
    breakIt: (d) => (d.fields = [{ key: 'features', label: 'F', type: 'multiselect', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }], default: ['a'], locked: ['b'] }]),
    path: '/fields/0/locked/0',
    rule: 'locked',
  },
  {
    name: 'environment field declaring its own options',
    breakIt: (d) => {
      d.fields = [{ key: 'environment', label: 'Environment', type: 'select', options: [{ value: 'global', label: 'Global' }] }];
      d.environments = { field: 'environment', default: 'global', options: [{ key: 'global', label: 'Global', values: { api: 'https://api.acme.test' } }] };
    },
    path: '/fields/0/options',
    rule: 'derived-options',
  },
  {
    name: 'PKCE off without a reason',
    breakIt: (d) => {
      d.auth = [byoa()];
      d.auth[0].oauth2.pkce = false;
    },
    path: '/auth/0/oauth2/pkceNote',
    rule: 'required',
  },
  {
    name: 'body link pagination without urlPath',
    breakIt: (d) => (d.pagination = { style: 'link', source: 'body' }),
    path: '/pagination/urlPath',
    rule: 'required',
  },
  { name: 'unknown pagination style', breakIt: (d) => (d.pagination = { style: 'token' }), path: '/pagination/style', rule: 'enum' },
  {
    name: 'polling trigger without polling block',
    breakIt: (d) => (d.triggers = [{ key: 'thing-created', displayName: 'Thing Created', description: 'd', event: 'created', mode: 'polling', filterFields: [] }]),
    path: '/triggers/0/polling',
    rule: 'required',
  },
  {
    name: 'identity with both request and template',
    breakIt: (d) => (d.identity = { request: { method: 'GET', path: '/me' }, account: ['/email'], template: '{x}' }),
    path: '/identity',
    rule: 'one-of',
    says: 'only one of: request, template, fromTokenClaims',
  },
  {
    name: 'api-key placement from a non-select field',
    breakIt: (d) =>
      (d.auth = [
        {
          type: 'api-key',
          label: 'Key',
          fields: [{ key: 'apiKey', label: 'Key', type: 'secret' }, { key: 'where', label: 'Where', type: 'string' }],
          inject: { in: '{where}', name: 'X-Key' },
        },
      ]),
    path: '/auth/0/inject/in',
    rule: 'field-ref',
  },
  {
    name: 'trigger field reference without the connection namespace',
    breakIt: (d) => {
      d.fields = [{ key: 'mode', label: 'Mode', type: 'select', options: [{ value: 'none', label: 'None' }, { value: 'query-echo', label: 'Echo' }] }];
      d.triggers = [{ key: 'hook', displayName: 'Hook', description: 'd', event: 'custom', mode: 'webhook', webhook: { challenge: { type: '{mode}', param: 'token' } }, filterFields: [] }];
    },
    path: '/triggers/0/webhook/challenge/type',
    rule: 'field-ref',
    says: 'write {connection.mode} in triggers',
  },
  {
    name: 'webhook signature secret that is not a secret field',
    breakIt: (d) => {
      d.fields = [{ key: 'signingKey', label: 'Key', type: 'string' }];
      d.triggers = [
        { key: 'hook', displayName: 'Hook', description: 'd', event: 'custom', mode: 'webhook', webhook: { signature: { algorithm: 'hmac-sha256', header: 'X-Sig', secret: { from: 'connection-field', field: 'signingKey' } } }, filterFields: [] },
      ];
    },
    path: '/triggers/0/webhook/signature/secret/field',
    rule: 'credential-not-secret',
  },
  {
    name: 'webhook property on a polling trigger',
    breakIt: (d) =>
      (d.triggers = [
        { key: 't', displayName: 'T', description: 'd', event: 'created', mode: 'polling', polling: { request: { method: 'GET', path: '/x' }, recordsPath: '/value', idPath: '/id' }, webhook: {}, filterFields: [] },
      ]),
    path: '/triggers/0/webhook',
    rule: 'not-allowed',
    says: '"webhook" is not allowed when mode is "polling"',
  },
  {
    name: 'catch-up by a trigger that does not exist',
    breakIt: (d) => (d.triggers = [{ key: 'hook', displayName: 'Hook', description: 'd', event: 'custom', mode: 'webhook', webhook: { catchUp: { trigger: 'nope', signal: true } }, filterFields: [] }]),
    path: '/triggers/0/webhook/catchUp/trigger',
    rule: 'unknown-trigger',
    says: '"nope" is not a trigger',
  },
  {
    name: 'catch-up by another webhook trigger',
    breakIt: (d) =>
      (d.triggers = [
        { key: 'a', displayName: 'A', description: 'd', event: 'custom', mode: 'webhook', webhook: {}, filterFields: [] },
        { key: 'b', displayName: 'B', description: 'd', event: 'custom', mode: 'webhook', webhook: { catchUp: { trigger: 'a' } }, filterFields: [] },
      ]),
    path: '/triggers/1/webhook/catchUp/trigger',
    rule: 'not-polling',
  },
  {
    name: 'catch-up by a poll that takes parameters the webhook trigger lacks',
    breakIt: (d) =>
      (d.triggers = [
        {
          key: 'poll', displayName: 'Poll', description: 'd', event: 'created', mode: 'polling', filterFields: [],
          input: { type: 'object', properties: { folder: { type: 'string' } } },
          polling: { request: { method: 'GET', path: '/x/{folder}' }, recordsPath: '/value', idPath: '/id' },
        },
        { key: 'hook', displayName: 'Hook', description: 'd', event: 'created', mode: 'webhook', webhook: { catchUp: { trigger: 'poll', signal: true } }, filterFields: [] },
      ]),
    path: '/triggers/1/webhook/catchUp/trigger',
    rule: 'input-mismatch',
    says: 'folder',
  },
  { name: 'no base URL although the API is called', breakIt: (d) => delete d.baseUrl, path: '/baseUrl', rule: 'required' },
  { name: 'activity on an unknown object', breakIt: (d) => (d.activities = [{ ...activity('get-thing'), object: 'thing' }]), path: '/activities/0/object', rule: 'unknown-object' },
];

describe('broken definitions', () => {
  for (const c of cases) {
    it(`rejects ${c.name}`, () => {
      const def: Loose = minimal();
      c.breakIt(def);
      const result = validateConnector(def, 'broken.json');
      assert.equal(result.valid, false, 'definition should be invalid');
      const match = result.errors.find((e) => e.path === c.path && e.rule === c.rule);
      assert.ok(match, `expected ${c.rule} at ${c.path}, got:\n${JSON.stringify(result.errors, null, 2)}`);
      if (c.says) {
        if (typeof c.says === 'string') assert.ok(match.message.includes(c.says), match.message);
        else assert.match(match.message, c.says);
      }
      const connector = c.connector ?? 'acme';
      assert.equal(match.connector, connector);
      // The thrown error names the connector, the path and the rule.
      assert.throws(
        () => assertValidConnector(def, 'broken.json'),
        (error: unknown) => {
          assert.ok(error instanceof ConnectorDefinitionError);
          assert.ok(error.message.includes(`Connector "${connector}" is invalid`), error.message);
          assert.ok(error.message.includes(`${c.path}: ${match.message} (${c.rule})`), error.message);
          return true;
        },
      );
    });
  }

  it('formats the first problem on the first line and lists the others', () => {
    const def: Loose = minimal();
    def.auth[0] = { type: 'api-key', label: 'Key', inject: { in: 'cookie', name: 'k' } };
    def.fields = [{ key: 'x', label: 'X', type: 'password' }];
    const error = (() => {
      try {
        assertValidConnector(def);
      } catch (e) {
        return e as ConnectorDefinitionError;
      }
      throw new Error('should have thrown');
    })();
    const lines = error.message.split('\n');
    assert.equal(lines[0], 'Connector "acme" is invalid at /fields/0/type: must be one of string, secret, url, number, boolean, select, multiselect, text, json (got "password") (enum)');
    assert.ok(lines.some((l) => l.startsWith('  and at /auth/0/inject/in: must be one of header, query')), error.message);
    assert.equal(error.errors.length, lines.length);
  });

  it('names a definition that is not even an object', () => {
    const result = validateConnector('nope', 'x.json');
    assert.equal(result.valid, false);
    assert.deepEqual(result.errors[0], { connector: 'x.json', path: '', rule: 'type', message: 'must be of type object (got "nope")' });
  });
});

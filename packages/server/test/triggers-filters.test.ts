import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FilterBuildError, compileFilter } from '../src/triggers/filters/builder.ts';
import { FilterSyntaxError, matches, parseFilter } from '../src/triggers/filters/expression.ts';

// The structured filter builder compiles to JMESPath; the expression runs on each event record.

const record = {
  status: 'open',
  priority: 4,
  title: "Customer's printer is on fire",
  tags: ['hardware', 'urgent'],
  sender: { address: 'ana@contoso.com' },
  headers: { 'x-event': 'ticket.created' },
  items: [{ sku: 'P-100' }],
  archived: null,
};

const passes = (field: string, op: string, value?: unknown) => matches(compileFilter({ all: [{ field, op, value } as never] }), record);

describe('filter builder', () => {
  test('every operator compiles and means what it says', () => {
    assert.equal(passes('status', 'eq', 'open'), true);
    assert.equal(passes('status', 'ne', 'open'), false);
    assert.equal(passes('priority', 'gt', 3), true);
    assert.equal(passes('priority', 'ge', 4), true);
    assert.equal(passes('priority', 'lt', 4), false);
    assert.equal(passes('priority', 'le', 4), true);
    assert.equal(passes('title', 'contains', 'on fire'), true);
    assert.equal(passes('tags', 'contains', 'urgent'), true, 'contains works on arrays too');
    assert.equal(passes('title', 'startsWith', "Customer's"), true, 'quotes in values are escaped');
    assert.equal(passes('status', 'in', ['open', 'pending']), true);
    assert.equal(passes('status', 'in', ['closed']), false);
    assert.equal(passes('sender.address', 'exists'), true);
    assert.equal(passes('archived', 'exists'), false);
    assert.equal(passes('archived', 'exists', false), true);
  });

  test('fields are JSON pointers or dotted paths; odd names are quoted; indexes become brackets', () => {
    assert.equal(compileFilter({ all: [{ field: '/sender/address', op: 'eq', value: 'x' }] }), "sender.address == 'x'");
    assert.equal(compileFilter({ all: [{ field: 'headers.x-event', op: 'eq', value: 'ticket.created' }] }), `headers."x-event" == 'ticket.created'`);
    assert.equal(compileFilter({ all: [{ field: '/items/0/sku', op: 'eq', value: 'P-100' }] }), "items[0].sku == 'P-100'");
    assert.equal(passes('/items/0/sku', 'eq', 'P-100'), true);
    assert.equal(passes('/headers/x-event', 'startsWith', 'ticket.'), true);
  });

  test('all and any nest', () => {
    const expression = compileFilter({ any: [{ field: 'status', op: 'eq', value: 'closed' }, { all: [{ field: 'priority', op: 'ge', value: 4 }, { field: 'tags', op: 'contains', value: 'urgent' }] }] });
    assert.equal(expression, "(status == 'closed') || ((priority >= `4`) && (contains(tags || '', 'urgent')))");
    assert.equal(matches(expression, record), true);
    assert.equal(matches(expression, { ...record, priority: 1 }), false);
  });

  test('a missing field is a non-match, not an error', () => {
    const expression = compileFilter({ all: [{ field: 'nope.deeper', op: 'startsWith', value: 'a' }] });
    assert.equal(matches(expression, record), false);
    assert.equal(matches(compileFilter({ all: [{ field: 'nope', op: 'contains', value: 'a' }] }), record), false);
  });

  test('malformed conditions are refused with their path', () => {
    const cases: Array<[unknown, string]> = [
      [{ all: [] }, '/body/filter/all'],
      [{ all: [{ field: 'priority', op: 'gt', value: 'high' }] }, '/body/filter/all/0/value'],
      [{ all: [{ field: 'status', op: 'in', value: 'open' }] }, '/body/filter/all/0/value'],
      [{ all: [{ field: 'status', op: 'like', value: 'o%' }] }, '/body/filter/all/0/op'],
      [{ any: [{ field: '', op: 'eq', value: 1 }] }, '/body/filter/any/0/field'],
      [{ all: [{ any: [{ field: 'a', op: 'exists', value: 'yes' }] }] }, '/body/filter/all/0/any/0/value'],
    ];
    for (const [tree, path] of cases) {
      assert.throws(() => compileFilter(tree as never), (error: unknown) => error instanceof FilterBuildError && error.errors[0]!.path === path, JSON.stringify(tree));
    }
  });
});

describe('filter expressions', () => {
  test('JMESPath truthiness decides', () => {
    assert.equal(matches("status == 'open'", record), true);
    assert.equal(matches('tags', record), true);
    assert.equal(matches('archived', record), false);
    assert.equal(matches('items[?sku == `"P-100"`]', record), true);
    assert.equal(matches(null, record), true, 'no filter: everything passes');
  });

  test('syntax errors say where', () => {
    const at = (expression: string) => {
      try {
        parseFilter(expression);
        return -1;
      } catch (error) {
        assert.ok(error instanceof FilterSyntaxError);
        return error.position;
      }
    };
    assert.equal(at('status =='), 9, 'an incomplete expression breaks at its end');
    assert.equal(at('status == #x'), 10, 'an unknown character');
    assert.equal(at('status open'), 7, 'an unexpected token');
    assert.equal(at("foo[?bar == 'x'"), 15);
  });
});

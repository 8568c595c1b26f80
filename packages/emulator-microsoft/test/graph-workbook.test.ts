import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_DATA_IDS, type MicrosoftEmulator } from '../src/index.ts';
import { start } from './helpers.ts';
import { ADELE, appOnly, assertError, client, delegated, type Client } from './graph-helpers.ts';

const BUDGET = `/me/drive/items/${DEFAULT_DATA_IDS.adele.drive.budgetWorkbook}/workbook`;
let emu: MicrosoftEmulator;
let adele: Client;

before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(async () => {
  emu.reset();
  adele = client(emu.origins.global, await delegated(emu, ['Files.ReadWrite']));
});

describe('worksheets', () => {
  test('list, get by name or id (both key syntaxes), add, rename, delete', async () => {
    const list = await adele.get(`${BUDGET}/worksheets`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.value.map((w: { name: string; position: number }) => [w.name, w.position]), [['Expenses', 0], ['Summary', 1]]);
    const first = list.body.value[0];
    assert.equal(first.id, '{00000000-0001-0000-0000-000000000000}');
    assert.equal(first.visibility, 'Visible');
    assert.equal((await adele.get(`${BUDGET}/worksheets('Expenses')`)).body.id, first.id);
    assert.equal((await adele.get(`${BUDGET}/worksheets/${encodeURIComponent(first.id)}`)).body.name, 'Expenses');
    assert.equal((await adele.get('/me/drive/root:/Budget.xlsx:/workbook/worksheets/summary')).body.name, 'Summary');
    const added = await adele.post(`${BUDGET}/worksheets/add`, { name: 'Q2' });
    assert.equal(added.status, 200);
    assert.equal(added.body.position, 2);
    assert.equal((await adele.post(`${BUDGET}/worksheets`, {})).body.name, 'Sheet4');
    assertError(await adele.post(`${BUDGET}/worksheets/add`, { name: 'q2' }), 409, 'ItemAlreadyExists');
    assert.equal((await adele.patch(`${BUDGET}/worksheets('Q2')`, { name: 'Q2 plan' })).body.name, 'Q2 plan');
    assert.equal((await adele.del(`${BUDGET}/worksheets('Q2 plan')`)).status, 204);
    assertError(await adele.get(`${BUDGET}/worksheets('Q2 plan')`), 404, 'ItemNotFound', "The requested resource doesn't exist.");
  });
});

describe('ranges', () => {
  test('GET a range: values, text, formulas, valueTypes, address and counts', async () => {
    const res = await adele.get(`${BUDGET}/worksheets('Expenses')/range(address='A1:C3')`);
    assert.equal(res.status, 200);
    const r = res.body;
    assert.equal(r.address, 'Expenses!A1:C3');
    assert.equal(r.rowCount, 3);
    assert.equal(r.columnCount, 3);
    assert.equal(r.cellCount, 9);
    assert.deepEqual(r.values, [
      ['Date', 'Category', 'Amount'],
      ['2024-01-05', 'Travel', 1200],
      ['2024-01-12', 'Software', 450],
    ]);
    assert.deepEqual(r.text[1], ['2024-01-05', 'Travel', '1200']);
    assert.deepEqual(r.valueTypes[1], ['String', 'String', 'Double']);
    assert.deepEqual(r.numberFormat[0], ['General', 'General', 'General']);
    const summary = await adele.get(`${BUDGET}/worksheets('Summary')/range(address='A1:B1')`);
    assert.deepEqual(summary.body.values, [['Total', 1960]]);
    assert.deepEqual(summary.body.formulas, [['Total', '=SUM(Expenses!C2:C4)']]);
    const empty = await adele.get(`${BUDGET}/worksheets('Summary')/range(address='D5')`);
    assert.deepEqual(empty.body.values, [['']]);
    assert.deepEqual(empty.body.valueTypes, [['Empty']]);
  });

  test('PATCH values (shape must match, else 400 InvalidArgument); formulas recalculate; null leaves a cell', async () => {
    const patched = await adele.patch(`${BUDGET}/worksheets('Expenses')/range(address='C2:C3')`, { values: [[2000], [null]] });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.values, [[2000], [450]]);
    assert.deepEqual((await adele.get(`${BUDGET}/worksheets('Summary')/range(address='B1')`)).body.values, [[2760]]);
    assertError(
      await adele.patch(`${BUDGET}/worksheets('Expenses')/range(address='A1:B2')`, { values: [['a', 'b', 'c'], ['d', 'e', 'f']] }),
      400,
      'InvalidArgument',
      "The number of rows or columns in the input array doesn't match the size or dimensions of the range.",
    );
    assertError(await adele.patch(`${BUDGET}/worksheets('Expenses')/range(address='A1:B2')`, { values: [['a', 'b']] }), 400, 'InvalidArgument');
    const formula = await adele.patch(`${BUDGET}/worksheets('Summary')/range(address='A2:B3')`, { values: [['Average', '=AVERAGE(Expenses!C2:C4)'], ['Label', '="n="&COUNT(Expenses!C2:C4)']] });
    assert.deepEqual(formula.body.values, [['Average', 920], ['Label', 'n=3']]);
    assert.deepEqual(formula.body.formulas[0], ['Average', '=AVERAGE(Expenses!C2:C4)']);
    const bad = await adele.patch(`${BUDGET}/worksheets('Summary')/range(address='C1')`, { values: [['=NOSUCH(1)']] });
    assert.deepEqual(bad.body.values, [['#NAME?']]);
    assert.deepEqual(bad.body.valueTypes, [['Error']]);
    assertError(await adele.get(`${BUDGET}/worksheets('Expenses')/range(address='not an address')`), 400, 'InvalidArgument');
  });

  test('$select narrows a range (what connectors ask of usedRange(valuesOnly=true))', async () => {
    const res = await adele.get(`${BUDGET}/worksheets('Expenses')/usedRange(valuesOnly=true)?$select=address,rowCount,columnCount,values`);
    assert.deepEqual(Object.keys(res.body), ['@odata.context', '@odata.type', '@odata.id', 'address', 'columnCount', 'rowCount', 'values']);
    assert.equal(res.body.rowCount, 4);
  });

  test('usedRange grows with writes; whole columns are clipped to it', async () => {
    const used = await adele.get(`${BUDGET}/worksheets('Expenses')/usedRange`);
    assert.equal(used.body.address, 'Expenses!A1:C4');
    await adele.patch(`${BUDGET}/worksheets('Expenses')/range(address='E6')`, { values: [['note']] });
    assert.equal((await adele.get(`${BUDGET}/worksheets('Expenses')/usedRange`)).body.address, 'Expenses!A1:E6');
    const column = await adele.get(`${BUDGET}/worksheets('Expenses')/range(address='B:B')`);
    assert.equal(column.body.address, 'Expenses!B1:B6');
    const cell = await adele.get(`${BUDGET}/worksheets('Expenses')/cell(row=1,column=2)`);
    assert.deepEqual(cell.body.values, [[1200]]);
  });

  test('the file changes with the workbook (cTag, bytes) and the change log says which sheet', async () => {
    const before = (await adele.get(`/me/drive/items/${DEFAULT_DATA_IDS.adele.drive.budgetWorkbook}`)).body.cTag;
    const since = emu.latestChange;
    await adele.patch(`${BUDGET}/worksheets('Expenses')/range(address='A5')`, { values: [['2024-01-31']] });
    const after = (await adele.get(`/me/drive/items/${DEFAULT_DATA_IDS.adele.drive.budgetWorkbook}`)).body.cTag;
    assert.notEqual(after, before);
    const changes = emu.changes({ since, user: ADELE });
    assert.deepEqual(changes.map((c) => [c.changeType, c.resource]), [['updated', 'driveItem'], ['updated', 'worksheet']]);
    assert.equal(changes[1]!.id, '{00000000-0001-0000-0000-000000000000}');
  });
});

describe('tables', () => {
  test('list, get, rows, columns, and rows/add appends and extends the table', async () => {
    const tables = await adele.get(`${BUDGET}/tables`);
    assert.deepEqual(tables.body.value.map((t: { name: string }) => t.name), ['ExpensesTable']);
    assert.deepEqual((await adele.get(`${BUDGET}/worksheets('Summary')/tables`)).body.value, []);
    const rows = await adele.get(`${BUDGET}/tables('ExpensesTable')/rows`);
    assert.deepEqual(rows.body.value.map((r: { index: number; values: unknown[][] }) => [r.index, r.values[0]![1]]), [[0, 'Travel'], [1, 'Software'], [2, 'Catering']]);
    const columns = await adele.get(`${BUDGET}/tables/ExpensesTable/columns`);
    assert.deepEqual(columns.body.value.map((c: { name: string }) => c.name), ['Date', 'Category', 'Amount']);
    const added = await adele.post(`${BUDGET}/tables/ExpensesTable/rows/add`, { values: [['2024-02-01', 'Hardware', 800], ['2024-02-02', 'Travel', 90]] });
    assert.equal(added.status, 200);
    assert.equal(added.body.index, 3);
    assert.deepEqual(added.body.values, [['2024-02-01', 'Hardware', 800], ['2024-02-02', 'Travel', 90]]);
    const range = await adele.get(`${BUDGET}/tables/ExpensesTable/range`);
    assert.equal(range.body.address, 'Expenses!A1:C6');
    assert.equal((await adele.get(`${BUDGET}/tables/ExpensesTable/dataBodyRange`)).body.address, 'Expenses!A2:C6');
    assert.deepEqual((await adele.get(`${BUDGET}/tables/ExpensesTable/headerRowRange`)).body.values, [['Date', 'Category', 'Amount']]);
    const created = await adele.post(`${BUDGET}/worksheets('Expenses')/tables/ExpensesTable/rows`, { values: [['2024-03-01', 'Misc', 1]] });
    assert.equal(created.status, 201);
    assertError(await adele.post(`${BUDGET}/tables/ExpensesTable/rows/add`, { values: [['too', 'short']] }), 400, 'InvalidArgument');
    assertError(await adele.get(`${BUDGET}/tables/NoTable/rows`), 404, 'ItemNotFound');
  });

  test('tables/add over a range, with and without headers', async () => {
    await adele.patch(`${BUDGET}/worksheets('Summary')/range(address='D1:E3')`, { values: [['Name', 'Score'], ['a', 1], ['b', 2]] });
    const t = await adele.post(`${BUDGET}/tables/add`, { address: 'Summary!D1:E3', hasHeaders: true });
    assert.equal(t.status, 200);
    assert.equal(t.body.name, 'Table2');
    const cols = await adele.get(`${BUDGET}/tables/${t.body.id}/columns`);
    assert.deepEqual(cols.body.value.map((c: { name: string }) => c.name), ['Name', 'Score']);
    const bare = await adele.post(`${BUDGET}/worksheets('Summary')/tables/add`, { address: 'G1:H2', hasHeaders: false });
    assert.deepEqual((await adele.get(`${BUDGET}/tables/${bare.body.id}/headerRowRange`)).body.values, [['Column1', 'Column2']]);
  });
});

describe('workbook access', () => {
  test('needs Files.ReadWrite (delegated); application permissions are not supported; non-workbooks are refused', async () => {
    const reader = client(emu.origins.global, await delegated(emu, ['Files.Read']));
    assertError(await reader.get(`${BUDGET}/worksheets`), 403, 'accessDenied');
    const app = client(emu.origins.global, await appOnly(emu, ['Files.ReadWrite.All']));
    assertError(await app.get(`/users/${ADELE}/drive/items/${DEFAULT_DATA_IDS.adele.drive.budgetWorkbook}/workbook/worksheets`), 403, 'accessDenied');
    assertError(await adele.get(`/me/drive/items/${DEFAULT_DATA_IDS.adele.drive.welcome}/workbook/worksheets`), 400, 'invalidRequest');
  });

  test('an uploaded .xlsx is an empty workbook; the admin API builds real grids', async () => {
    const up = await adele.put('/me/drive/root:/New.xlsx:/content', new Uint8Array([80, 75, 3, 4]));
    assert.equal(up.status, 201);
    const sheets = await adele.get(`/me/drive/items/${up.body.id}/workbook/worksheets`);
    assert.deepEqual(sheets.body.value.map((w: { name: string }) => w.name), ['Sheet1']);
    emu.files.putWorkbook(ADELE, '/Reports/Sales.xlsx', { worksheets: [{ name: 'Data', values: [['Region', 'Sales'], ['East', 10], ['West', 20]] }], tables: [{ name: 'Sales', worksheet: 'Data', address: 'A1:B3' }] });
    const rows = await adele.get("/me/drive/root:/Reports/Sales.xlsx:/workbook/tables('Sales')/rows");
    assert.equal(rows.body.value.length, 2);
    await adele.post("/me/drive/root:/Reports/Sales.xlsx:/workbook/tables('Sales')/rows/add", { values: [['North', 30]] });
    assert.deepEqual(emu.files.workbook(ADELE, '/Reports/Sales.xlsx'), {
      worksheets: [{ name: 'Data', values: [['Region', 'Sales'], ['East', 10], ['West', 20], ['North', 30]] }],
      tables: [{ name: 'Sales', worksheet: 'Data', address: 'Data!A1:B4' }],
    });
  });
});

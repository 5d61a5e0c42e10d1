// The package from CommonJS: Node 20.19+ loads the ESM node entries through require(); every
// entry of the registry, with the same checks as in ESM (tests/js/support/entry-checks.mjs).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const registry = require('../../pkg/dist/registry.js').default;
const { runChecks, expectedFor } = require('./support/entry-checks.mjs');

test('require("kassa") signs the cash-in example', () => {
  const kassa = require('kassa');
  const body = { username: '989898', amount: 100, agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001', datetime: '2022-12-01T15:45:00Z' };
  assert.equal(kassa.tarlanSign(body, '12345'), '9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2');
  const agws = new kassa.TarlanAgws({ secret: '12345' });
  assert.ok(agws.operations().includes('cashIn'));
  assert.throws(() => kassa.tarlanSign([], '12345'), (e) => e instanceof kassa.KassaError && e.kind === 'validation');
});

for (const entry of registry.entries) {
  test(`require(${JSON.stringify(entry.specifier)}) exports its classes and functions and runs its examples`, () => {
    const k = require(entry.specifier);
    assert.deepEqual(Object.keys(k).filter((key) => key !== '__esModule').sort(), ['KassaError', ...entry.classes, ...entry.functions].sort());
    assert.deepEqual(runChecks(k), expectedFor(entry));
    assert.equal(k.KassaError, require('kassa').KassaError);
  });
}

test('require("kassa/journal") gives the journal and its stores, with the one KassaError class', async () => {
  const journalEntry = require('kassa/journal');
  for (const name of ['PaymentJournal', 'KassaError', 'sqliteStore', 'postgresStore', 'd1Store', 'memoryStore']) {
    assert.equal(typeof journalEntry[name], 'function', name);
  }
  assert.equal(journalEntry.KassaError, require('kassa').KassaError);
  const { TarlanAgws } = require('kassa/tarlan');
  const journal = new journalEntry.PaymentJournal({
    store: journalEntry.memoryStore(), clients: { agws: new TarlanAgws({ secret: '12345', agent: 'tarlan', project: 'mobile' }) },
  });
  await journal.migrate();
  assert.equal(await journal.get('agws:cashIn:nothing'), null);
  await assert.rejects(journal.pay('agws', 'status', {}), (e) => e instanceof journalEntry.KassaError && e.field === 'operation');
});

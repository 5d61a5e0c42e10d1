// Every npm entry of the registry (kassa, kassa/tarlan, ...) in Node ESM: it exports exactly its
// classes and functions, runs its module's documented examples through its own .wasm (and no
// other), and shares the one KassaError class with every other entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import registry from '../../pkg/dist/registry.js';
import { CHECKED_MODULES, expectedFor, runChecks } from './support/entry-checks.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const modules = registry.entries.filter((e) => e.name !== 'kassa');

test('the registry lists the root entry first, then one entry per module, each with its checks', () => {
  assert.equal(registry.entries[0].specifier, 'kassa');
  assert.deepEqual(modules.map((e) => e.specifier), modules.map((e) => `kassa/${e.name}`));
  assert.deepEqual(modules.map((e) => e.name).sort(), [...CHECKED_MODULES].sort());
  // The root exports everything every module exports.
  for (const entry of modules) {
    for (const name of [...entry.classes, ...entry.functions]) assert.ok(registry.entries[0].classes.includes(name) || registry.entries[0].functions.includes(name), name);
  }
});

for (const entry of registry.entries) {
  test(`${entry.specifier}: exactly its exports, and its module's examples through its own wasm`, async () => {
    const k = await import(entry.specifier);
    assert.deepEqual(Object.keys(k).sort(), ['KassaError', ...entry.classes, ...entry.functions].sort());
    assert.deepEqual(runChecks(k), expectedFor(entry));
  });
}

test('each entry reads only its own .wasm', () => {
  for (const entry of registry.entries) {
    // A fresh process that reports every .wasm file read while the entry loads.
    const script = `
      const fs = require('node:fs');
      const read = fs.readFileSync;
      fs.readFileSync = (path, ...rest) => { if (String(path).endsWith('.wasm')) console.log(String(path)); return read(path, ...rest); };
      require('node:module').syncBuiltinESMExports();
      import(${JSON.stringify(entry.specifier)});`;
    const read = execFileSync(process.execPath, ['-e', script], { cwd: root }).toString().trim().split('\n');
    assert.deepEqual(read.map((p) => p.replace(/^file:\/\//, '').split('/pkg/')[1]), [`dist/${entry.name}/kassa_bg.wasm`]);
  }
});

test('instanceof KassaError holds across entries, whichever wasm threw', async () => {
  const kassa = await import('kassa');
  const tarlan = await import('kassa/tarlan');
  const fiscalbox = await import('kassa/fiscalbox');
  assert.equal(tarlan.KassaError, fiscalbox.KassaError);
  assert.equal(tarlan.KassaError, kassa.KassaError);
  let thrown;
  try {
    fiscalbox.parseSoliqQr('https://example.com/');
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof tarlan.KassaError && thrown instanceof kassa.KassaError && thrown instanceof Error);
  const rejected = await new tarlan.TarlanAgws({ secret: '1', baseUrl: 'http://127.0.0.1:9' }).call('nope', {}).catch((e) => e);
  assert.ok(rejected instanceof fiscalbox.KassaError, String(rejected));
  assert.equal(rejected.kind, 'validation');
  assert.equal(rejected.field, 'operation');
  assert.equal(rejected.provider, 'agws');
});

test('two copies of the package recognise each other\'s errors', async () => {
  // A second copy of the package, as when two versions end up in one program.
  const copy = mkdtempSync(join(tmpdir(), 'kassa-copy-'));
  for (const part of ['src', 'dist', 'package.json']) cpSync(join(root, 'pkg', part), join(copy, part), { recursive: true });
  const other = await import(pathToFileURL(join(copy, 'dist', 'tarlan', 'node.js')).href);
  const ours = await import('kassa/tarlan');
  assert.notEqual(other.KassaError, ours.KassaError);
  let thrown;
  try {
    other.tarlanSign('[1]', '12345');
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof ours.KassaError, 'an error of the other copy is a KassaError here');
  assert.ok(thrown instanceof other.KassaError);
  // Subclasses keep the ordinary prototype check.
  class PaymentDeclined extends ours.KassaError {}
  assert.equal(thrown instanceof PaymentDeclined, false);
  assert.ok(new PaymentDeclined({ kind: 'provider', message: 'x' }) instanceof PaymentDeclined);
});

test('describe(op) returns that one operation with the docs of its fields; describe() every one', async () => {
  const { TarlanAgws, KassaError } = await import('kassa/tarlan');
  const agws = new TarlanAgws({ secret: '12345' });
  const cashIn = agws.describe('cashIn');
  assert.equal(cashIn.name, 'cashIn');
  assert.equal(cashIn.method, 'POST');
  assert.equal(cashIn.path, '/showcase-gateway/api/v1/action/cash-in');
  assert.equal(cashIn.class, 'idempotent-write');
  assert.ok(cashIn.summary.length > 0);
  assert.ok(cashIn.params.length >= 5);
  for (const param of cashIn.params) assert.ok(param.doc.length > 0, `${param.name} has a doc`);
  // The documented meaning of external_id (spec/tarlan-agws.md §2.2).
  assert.match(cashIn.params.find((p) => p.name === 'external_id').doc, /Payment ID/i);
  const all = agws.describe();
  assert.deepEqual(all.map((op) => op.name), agws.operations());
  assert.deepEqual(all.find((op) => op.name === 'cashIn'), cashIn);
  // A copy each time: changing what describe returned changes nothing.
  cashIn.params.length = 0;
  assert.ok(agws.describe('cashIn').params.length > 0);
  assert.throws(() => agws.describe('refund'), (e) => e instanceof KassaError && e.kind === 'validation' && e.field === 'operation' && /cashIn/.test(e.message));
});

test('errors are real objects: Error, stack, every contract field, no JSON sniffing', async () => {
  const { TarlanAgws, KassaError } = await import('kassa');
  const agws = new TarlanAgws({ secret: 'very-secret-value-42' });
  let error;
  try {
    agws.parse('fiscalReceipt', { status: 400, body: '{"status":false,"status_code":1014,"message":"Invalid signature","result":{}}' });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof KassaError && error instanceof Error);
  assert.equal(Object.getPrototypeOf(error), KassaError.prototype);
  assert.match(error.stack, /^KassaError: /);
  assert.deepEqual(
    { kind: error.kind, provider: error.provider, operation: error.operation, code: error.code, field: error.field, httpStatus: error.httpStatus, retryable: error.retryable },
    { kind: 'signature', provider: 'agws', operation: 'fiscalReceipt', code: 1014, field: null, httpStatus: 400, retryable: false },
  );
  assert.equal(typeof error.details, 'object');
  assert.ok(!JSON.stringify(error).includes('very-secret-value-42') && !error.stack.includes('very-secret-value-42'));
  // A string that merely looks like an error's JSON is not an error: nothing is sniffed.
  assert.equal(agws.parse('fiscalReceipt', { status: 200, body: '{"status":true,"status_code":0,"message":"{\\"kind\\":\\"config\\"}","result":{"fiscal_number":"1","fiscal_check_url":"https://x.kz"}}' }).fiscal_number, '1');
});

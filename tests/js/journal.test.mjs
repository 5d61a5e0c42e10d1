// kassa/journal against the emulator over real HTTP, on SQLite and in memory: the contract
// (pay, the same key again, get/list), notifications (AGWS callbacks and acquiring webhooks the
// emulator really sends), and the bad input and faults of issue 14 — a lease too short, a
// schema newer than the code, a corrupted row, a store failing mid-way, and no secret stored.
// The clients have default options: the journal makes each of its calls fit its lease.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { startEmulator, tarlanSignature } from 'kassa/emulator';
import { TarlanAgws, KassaError as MainKassaError } from 'kassa';
import { PaymentJournal, KassaError, sqliteStore, memoryStore } from 'kassa/journal';
import { clientsFor } from './support/clients.mjs';

/** Each call the journal makes gets half of it: 1000 ms. */
const LEASE_MS = 2000;
let emulator;
let clients;
let dir;
let receiver;
let receiverUrl;
let journalForCallbacks = null;

before(async () => {
  // Distinctive credentials, so that finding one in a stored record cannot be a coincidence.
  emulator = await startEmulator({
    timing: { pendingPolls: 0, assistNewLookups: 0, callbackBackoffMs: 20, callbackAttempts: 2 },
    credentials: { agws: { secret: 'agws-Secret-7f3Q' }, acquiring: { secret: 'acq-Secret-9xPw' }, assist: { login: 'login-9Zt', password: 'pw-Secret-4kL' } },
  });
  const all = clientsFor(emulator);
  clients = { agws: all.agws, acquiring: all.acquiring, assist: all.assist, fiscalbox: all.fiscalbox };
  dir = mkdtempSync(join(tmpdir(), 'kassa-journal-'));
  // Where the emulator delivers notifications: the journal applies them and answers its reply.
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', async () => {
      try {
        const provider = req.url.startsWith('/agws') ? 'agws' : 'acquiring';
        const { reply } = await journalForCallbacks.applyCallback(provider, body, req.headers);
        res.writeHead(reply.status, reply.headers).end(reply.body);
      } catch (error) {
        res.writeHead(error.kind === 'signature' ? 401 : 500).end(error.message);
      }
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${receiver.address().port}`;
});

after(async () => {
  receiver?.close();
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

let dbSerial = 0;
function sqlite() {
  dbSerial += 1;
  const db = new Database(join(dir, `journal-${dbSerial}.db`));
  db.pragma('journal_mode = WAL');
  return db;
}

async function journalOn(store, extra = {}) {
  const journal = new PaymentJournal({ store, clients, leaseMs: LEASE_MS, ...extra });
  await journal.migrate();
  return journal;
}

const ref = (prefix) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
const cashIn = (externalId, extra = {}) => ({ username: '989898', amount: '250.00', service_code: '201106', external_id: externalId, ...extra });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const requestsOf = (operation, mark) => emulator.ledger.requests.slice(mark).filter((r) => r.operation === operation).length;

/** Every file kassa/journal imports, following relative imports from its entry. */
function importGraph(entry) {
  const seen = new Set();
  const visit = (url) => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    for (const [, spec] of readFileSync(url, 'utf8').matchAll(/(?:import|export)[^'"]*from\s*'([^']+)'/g)) {
      if (spec.startsWith('.')) visit(new URL(spec, url));
    }
  };
  visit(entry);
  return [...seen];
}

test('kassa/journal loads no wasm and throws the one KassaError class', () => {
  const entry = new URL(import.meta.resolve('kassa/journal'));
  const files = importGraph(entry).map((f) => f.slice(f.indexOf('/src/')));
  assert.deepEqual(files.sort(), ['/src/error.js', '/src/journal/index.js', '/src/journal/protocol.js', '/src/journal/sql.js', '/src/journal/stores.js']);
  // And at run time: a fresh process that reports every .wasm read and every WebAssembly compile
  // while kassa/journal loads (the import graph above reads static imports only).
  const script = `
    const fs = require('node:fs');
    const read = fs.readFileSync;
    fs.readFileSync = (path, ...rest) => { if (String(path).endsWith('.wasm')) console.log('read ' + path); return read(path, ...rest); };
    require('node:module').syncBuiltinESMExports();
    for (const name of ['Module', 'compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
      const original = WebAssembly[name];
      if (original) WebAssembly[name] = new Proxy(original, { apply: (f, self, args) => { console.log('wasm ' + name); return Reflect.apply(f, self, args); }, construct: (f, args) => { console.log('wasm ' + name); return Reflect.construct(f, args); } });
    }
    import('kassa/journal').then((j) => console.log('loaded ' + typeof j.PaymentJournal));`;
  const printed = execFileSync(process.execPath, ['-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)) }).toString().trim().split('\n');
  assert.deepEqual(printed, ['loaded function']);
  assert.equal(KassaError, MainKassaError);
  assert.throws(() => new PaymentJournal({ store: memoryStore(), clients: { agws: {} } }), (e) => e instanceof KassaError && e.kind === 'config' && e.field === 'clients.agws');
  assert.throws(() => new PaymentJournal({ store: memoryStore(), clients: { fiscalbox: clients.agws } }), /is a agws client/);
});

test('pay records, claims and sends once; the same key again sends nothing new; get and list read it', async () => {
  for (const store of [memoryStore(), sqliteStore(sqlite())]) {
    const journal = await journalOn(store);
    const externalId = ref('pay');
    const mark = emulator.ledger.requests.length;
    const first = await journal.pay('agws', 'cashIn', cashIn(externalId));
    assert.equal(first.key, `agws:cashIn:${externalId}`);
    assert.equal(first.state, 'pending');
    assert.equal(first.attempts, 1);
    assert.equal(first.leaseUntil, null);
    // Again: the pending record is settled through status, nothing new is sent.
    const again = await journal.pay('agws', 'cashIn', cashIn(externalId));
    assert.equal(again.state, 'success');
    assert.equal(requestsOf('cashIn', mark), 1);
    const final = await journal.pay('agws', 'cashIn', cashIn(externalId));
    assert.deepEqual(final, again, 'a final record is returned as it is');
    assert.equal(requestsOf('cashIn', mark) + requestsOf('status', mark), 2);
    await assert.rejects(journal.pay('agws', 'cashIn', cashIn(externalId, { amount: '999.00' })), (e) => e.kind === 'validation' && e.field === 'amount');
    assert.deepEqual(await journal.get(first.key), again);
    assert.equal(await journal.get('agws:cashIn:nope'), null);
    assert.ok((await journal.list({ state: 'success', provider: 'agws' })).some((r) => r.key === first.key));
    assert.equal(emulator.ledger.agws.payments[externalId].performed, 1);
  }
});

test('bad input: an operation the journal does not take, a missing key or lookup, a lease too short for any call', async () => {
  const journal = await journalOn(memoryStore());
  await assert.rejects(journal.pay('agws', 'status', { service_code: '1', external_id: '1' }), (e) => e.kind === 'validation' && e.field === 'operation');
  await assert.rejects(journal.pay('fiscalbox', 'humo', { amount: 100 }), (e) => e.field === 'options.key');
  await assert.rejects(journal.pay('acquiring', 'refund', { transaction_id: 1, amount: 1 }, { key: 'r1' }), (e) => e.field === 'options.lookup.project_reference_id');
  await assert.rejects(journal.pay('assist', 'fiscalize', { Type: 'sell' }), (e) => e.kind === 'validation');
  await assert.rejects(journal.pay('nope', 'cashIn', {}), (e) => e.field === 'provider');
  for (const leaseMs of [999, 1]) {
    assert.throws(() => new PaymentJournal({ store: memoryStore(), clients, leaseMs }), (e) => e instanceof KassaError && e.kind === 'config' && e.field === 'leaseMs' && /at least 1000 ms/.test(e.message));
  }
  assert.ok(new PaymentJournal({ store: memoryStore(), clients, leaseMs: 1000 }));
});

test('default clients under the default lease; each call ends within the lease, however slow the provider', async () => {
  // A client with default options (timeoutMs 30 s, 2 retries) is taken with the default lease.
  const agws = new TarlanAgws({ ...emulator.credentials.agws, baseUrl: emulator.baseUrls.agws });
  const journal = new PaymentJournal({ store: memoryStore(), clients: { agws } });
  await journal.migrate();
  assert.equal((await journal.pay('agws', 'cashIn', cashIn(ref('default')))).state, 'pending');

  // The answer trickles in over 4 s: the client alone would wait for it (its deadline is 30 s);
  // the journal's call gives up at half its lease, and the record stays claimed until the lease ends.
  const short = await journalOn(memoryStore());
  const externalId = ref('slow');
  const mark = emulator.ledger.requests.length;
  emulator.inject({ provider: 'agws', operation: 'cashIn', fault: { type: 'slowBody', ms: 4000 } });
  const started = Date.now();
  const record = await short.pay('agws', 'cashIn', cashIn(externalId));
  const took = Date.now() - started;
  emulator.faults.clear();
  assert.ok(took < LEASE_MS, `pay() took ${took} ms, not less than the lease`);
  assert.equal(record.state, 'unknown');
  assert.equal(record.error.kind, 'timeout');
  assert.ok(record.leaseUntil > Date.now(), 'not settled before another lease has passed');
  await sleep(record.leaseUntil - Date.now() + 50);
  await short.reconcile();
  assert.equal((await short.get(record.key)).state, 'success', 'settled through status, not sent again');
  assert.equal(requestsOf('cashIn', mark), 1);
  assert.equal(emulator.ledger.agws.payments[externalId].performed, 1);
});

test('a store whose schema is newer than the code refuses with kind config; an unmigrated one asks for migrate()', async () => {
  const db = sqlite();
  const fresh = new PaymentJournal({ store: sqliteStore(db), clients, leaseMs: LEASE_MS });
  await assert.rejects(fresh.get('x'), (e) => e.kind === 'config' && /migrate\(\)/.test(e.message));
  await fresh.migrate();
  assert.equal(await fresh.get('x'), null);
  db.prepare('UPDATE kassa_journal_schema SET version = 99').run();
  const later = new PaymentJournal({ store: sqliteStore(db), clients, leaseMs: LEASE_MS });
  await assert.rejects(later.pay('agws', 'cashIn', cashIn(ref('new'))), (e) => e.kind === 'config' && /version 99/.test(e.message));
  await assert.rejects(later.migrate(), (e) => e.kind === 'config');
  assert.equal(db.prepare('SELECT COUNT(*) AS n FROM kassa_journal').get().n, 0, 'nothing was recorded');
  // A damaged version is no version: refused, not taken for an old or a current one.
  db.prepare("UPDATE kassa_journal_schema SET version = 'x'").run();
  const damaged = new PaymentJournal({ store: sqliteStore(db), clients, leaseMs: LEASE_MS });
  await assert.rejects(damaged.pay('agws', 'cashIn', cashIn(ref('damaged'))), (e) => e.kind === 'config' && /unreadable/.test(e.message));
  await assert.rejects(damaged.migrate(), (e) => e.kind === 'config' && /unreadable/.test(e.message));
});

test('a corrupted row is a decode error naming its key, and the rest of the journal keeps working', async () => {
  const db = sqlite();
  const journal = await journalOn(sqliteStore(db));
  const broken = await journal.pay('fiscalbox', 'uzqrCreate', { external_id: ref('uz'), amount: '150.00' });
  const other = await journal.pay('fiscalbox', 'uzqrCreate', { external_id: ref('uz'), amount: '150.00' });
  db.prepare('UPDATE kassa_journal SET data = ?, state = ? WHERE key = ?').run('{"params": {tru', 'unknown', broken.key);
  await assert.rejects(journal.get(broken.key), (e) => e.kind === 'decode' && e.message.includes(broken.key));
  assert.equal((await journal.get(other.key)).state, 'success');
  const unknownState = await journal.pay('fiscalbox', 'uzqrCreate', { external_id: ref('uz'), amount: '150.00' });
  db.prepare('UPDATE kassa_journal SET state = ? WHERE key = ?').run('paid?', unknownState.key);
  await assert.rejects(journal.get(unknownState.key), (e) => e.kind === 'decode' && e.message.includes(unknownState.key));
  const listed = await journal.list();
  assert.ok(listed.some((r) => r.key === other.key) && !listed.some((r) => r.key === broken.key));
  const summary = await journal.reconcile();
  assert.equal(summary.corrupted, 2);
  assert.deepEqual(summary.problems.map((p) => p.key).sort(), [broken.key, unknownState.key].sort());
  assert.equal((await journal.pay('fiscalbox', 'uzqrCreate', { external_id: ref('uz'), amount: '150.00' })).state, 'success');
  await assert.rejects(journal.pay('fiscalbox', 'uzqrCreate', broken.params), (e) => e.kind === 'decode' && e.message.includes(broken.key));
});

/** A store whose connection drops at one write: the stage's state given. */
function droppingAt(store, state) {
  let dropped = false;
  return {
    ...store,
    async write(record, condition) {
      if (!dropped && record.state === state) {
        dropped = true;
        throw new Error('Connection terminated unexpectedly');
      }
      return store.write(record, condition);
    },
  };
}

test('reconcile() pages past rows it cannot work on: older corrupted rows never hold back a record to settle', async () => {
  const db = sqlite();
  const journal = await journalOn(sqliteStore(db));
  // Three older rows nothing can be done about here...
  for (let i = 0; i < 3; i += 1) {
    const record = await journal.pay('fiscalbox', 'uzqrCreate', { external_id: ref(`old${i}`), amount: '150.00' });
    db.prepare('UPDATE kassa_journal SET data = ?, state = ?, updated_at = ? WHERE key = ?').run('{"params": {tru', 'unknown', 1, record.key);
  }
  // ...and a newer cash-in whose answer was lost.
  const externalId = ref('behind');
  emulator.inject({ provider: 'agws', operation: 'cashIn', fault: { type: 'slowBody', ms: 4000 } });
  const record = await journal.pay('agws', 'cashIn', cashIn(externalId));
  emulator.faults.clear();
  assert.equal(record.state, 'unknown');
  await sleep(record.leaseUntil - Date.now() + 50);
  const summary = await journal.reconcile({ limit: 3 });
  assert.equal(summary.corrupted, 3);
  assert.equal((await journal.get(record.key)).state, 'success', JSON.stringify(summary));
});

test('a store failing mid-way never leads to a second send', async () => {
  const db = sqlite();
  const store = sqliteStore(db);
  const healthy = await journalOn(store);
  const mark = emulator.ledger.requests.length;

  // The connection drops while the answer is recorded: the caller learns it, the record stays
  // claimed, and the reconciler settles it from the provider — no second cash-in.
  const answered = ref('drop-answer');
  const failing = new PaymentJournal({ store: droppingAt(store, 'pending'), clients, leaseMs: LEASE_MS });
  await assert.rejects(failing.pay('agws', 'cashIn', cashIn(answered)), (e) => e instanceof KassaError && e.kind === 'transport' && e.details.store === true
    && /Do not pay again/.test(e.message) && e.details.record?.state === 'pending');
  assert.equal((await healthy.get(`agws:cashIn:${answered}`)).state, 'sending');
  // While its lease runs, paying again returns it as it is (nothing is sent).
  assert.equal((await healthy.pay('agws', 'cashIn', cashIn(answered))).state, 'sending');

  // The connection drops at the claim to send: nothing was sent.
  const claimed = ref('drop-claim');
  const failingClaim = new PaymentJournal({ store: droppingAt(store, 'sending'), clients, leaseMs: LEASE_MS });
  await assert.rejects(failingClaim.pay('agws', 'cashIn', cashIn(claimed)), (e) => e.kind === 'transport' && /Nothing was sent/.test(e.message));
  assert.equal(emulator.ledger.agws.payments[claimed], undefined);

  await sleep(LEASE_MS + 50);
  const summary = await healthy.reconcile();
  assert.equal(summary.errors, 0);
  assert.equal((await healthy.get(`agws:cashIn:${answered}`)).state, 'success');
  assert.equal((await healthy.get(`agws:cashIn:${claimed}`)).state, 'pending', 'recorded, never claimed: sent by the reconciler, once');
  assert.equal(requestsOf('cashIn', mark), 2, 'one cash-in per payment');
  assert.equal(emulator.ledger.agws.payments[answered].performed, 1);
  assert.equal(emulator.ledger.agws.duplicateAttempts, 0);
});

test('no secret is stored: no credential, no signature, no Authorization or X-Signature header', async () => {
  const db = sqlite();
  const journal = await journalOn(sqliteStore(db));
  const paymentId = ref('fz');
  const fiscalize = { Payment_ID: paymentId, Type: 'sell', Email: 'buyer@example.kz', ChequeItems: [{ id: 1, name: 'Coffee', price: '750.00', quantity: 2, tax: 'vat12' }] };
  const receipt = await journal.pay('assist', 'fiscalize', fiscalize);
  assert.equal(receipt.state, 'pending');
  const externalId = ref('secret');
  await journal.pay('agws', 'cashIn', cashIn(externalId));
  await journal.pay('acquiring', 'payIn', { amount: 700, description: 'Order', project_reference_id: ref('acq'), success_redirect_url: 'https://shop.example.kz/ok' });
  await sleep(LEASE_MS);
  await journal.reconcile();
  assert.equal((await journal.get(receipt.key)).state, 'success', 'the Assist receipt was followed to its end');
  const { agws, acquiring, assist } = emulator.credentials;
  const signatures = [
    clients.agws.build('cashIn', cashIn(externalId, { datetime: '2026-01-01T00:00:00Z' })).headers['X-Signature'],
  ];
  const rows = db.prepare('SELECT * FROM kassa_journal').all();
  const rowsText = JSON.stringify(rows);
  // Every text value stored (timestamps may contain a short secret's digits by chance).
  const texts = [];
  const walk = (value) => {
    if (typeof value === 'string') texts.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  rows.forEach((row) => walk({ ...row, data: JSON.parse(row.data) }));
  for (const secret of [agws.secret, acquiring.secret, assist.password, assist.login, ...signatures]) {
    assert.ok(!texts.some((t) => t.includes(secret)), `a secret is in the journal: ${secret} in ${texts.find((t) => t.includes(secret))}`);
  }
  for (const header of ['X-Signature', 'Authorization', 'Bearer', 'Password', 'Login']) {
    assert.ok(!rowsText.includes(header), `${header} is in the journal`);
  }
});

test('applyCallback: the AGWS callback and the acquiring webhook the emulator sends settle their records; a replay changes nothing; a forged one is refused', async () => {
  const db = sqlite();
  const journal = await journalOn(sqliteStore(db));
  journalForCallbacks = journal;
  const externalId = ref('cb');
  const record = await journal.pay('agws', 'cashIn', cashIn(externalId, { callback_url: `${receiverUrl}/agws/callback` }));
  assert.equal(record.state, 'pending');
  // The payment finishes at the provider (a status poll in the emulator); its callback comes in.
  await clients.agws.status({ service_code: '201106', external_id: externalId });
  let settled;
  for (let i = 0; i < 100 && settled?.state !== 'success'; i += 1) {
    await sleep(20);
    settled = await journal.get(record.key);
  }
  assert.equal(settled.state, 'success', 'settled by the callback');
  let delivery;
  for (let i = 0; i < 100 && !delivery; i += 1) {
    delivery = emulator.ledger.agws.callbacks.find((c) => c.external_id === externalId);
    if (!delivery) await sleep(20);
  }
  assert.equal(delivery.status, 200, 'the journal answered the callback with its reply');
  const replay = await journal.applyCallback('agws', delivery.body, { 'X-Signature': delivery.signature });
  assert.equal(replay.record.version, settled.version, 'a replay changes nothing');
  assert.equal(replay.reply.status, 200);
  const forged = delivery.body.replace('"status_code":"2"', '"status_code":"4"');
  await assert.rejects(journal.applyCallback('agws', forged, { 'x-signature': delivery.signature }), (e) => e.kind === 'signature');
  const unknown = JSON.stringify({ external_id: ref('none'), status_code: '2' });
  const none = await journal.applyCallback('agws', unknown, new Headers({ 'X-Signature': tarlanSignature(JSON.parse(unknown), emulator.credentials.agws.secret) }));
  assert.equal(none.record, null);
  assert.equal(none.reply.status, 200);

  const reference = ref('wh');
  const page = await journal.pay('acquiring', 'payIn', {
    amount: 700, description: 'Order', project_reference_id: reference, success_redirect_url: 'https://shop.example.kz/ok', callback_url: `${receiverUrl}/acquiring/webhook`,
  });
  assert.equal(page.state, 'pending', 'the page exists; the customer has not paid');
  await emulator.pay(page.result.transaction_id);
  let paid;
  for (let i = 0; i < 100 && paid?.state !== 'success'; i += 1) {
    await sleep(20);
    paid = await journal.get(page.key);
  }
  assert.equal(paid.state, 'success', 'settled by the webhook');
  assert.equal(paid.result.transaction_id, page.result.transaction_id);
});

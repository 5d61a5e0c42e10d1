// Four Node processes call pay() and reconcile() on the same 200 keys at once, on SQLite (one
// file) and on PostgreSQL: the atomic claim lets exactly one of them send each payment. Judged by
// the emulator: every money-moving request reached it exactly once, and the ledger made each
// payment once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startEmulator } from 'kassa/emulator';
import { TarlanAgws } from 'kassa';
import { PaymentJournal, sqliteStore, postgresStore } from 'kassa/journal';
import { freshDatabase } from './support/postgres.mjs';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./support/journal-process.mjs', import.meta.url));
const PROCESSES = 4;
const KEYS = 200;
/** The clients have default options: each call the journal makes gets half of it (6 s). */
const LEASE_MS = 12_000;

// Four money-moving operations of three providers; what the ledger says each made.
const KINDS = [
  {
    provider: 'agws', operation: 'cashIn',
    params: (ref) => ({ username: '989898', amount: '100.00', service_code: '201106', external_id: ref }),
    made: (ledger, ref) => ledger.agws.payments[ref]?.performed ?? 0,
  },
  {
    provider: 'acquiring', operation: 'payOutByPhone',
    params: (ref) => ({ amount: 100, phone_number: '+77011234567', project_reference_id: ref, description: 'Pay-out' }),
    made: (ledger, ref) => (ledger.acquiring.byReference[ref] !== undefined ? 1 : 0),
  },
  {
    provider: 'fiscalbox', operation: 'click',
    params: (ref) => ({ amount: 100_000, qr_code: ref }),
    made: (ledger, ref) => Object.values(ledger.fiscalbox.payments).filter((p) => p.qr_code === ref).length,
  },
  {
    provider: 'fiscalbox', operation: 'uzqrCreate',
    params: (ref) => ({ external_id: ref, amount: '150.00' }),
    made: (ledger, ref) => (ledger.fiscalbox.uzqr.byExternalId[ref] ? 1 : 0),
  },
];

let emulator;
before(async () => {
  emulator = await startEmulator({ timing: { pendingPolls: 0, callbackAttempts: 1 } });
});
after(() => emulator?.close());

function shuffled(list, seed) {
  const out = [...list];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function race(label, store, journal) {
  await journal.migrate();
  const mark = emulator.ledger.requests.length;
  const payments = Array.from({ length: KEYS }, (_, i) => {
    const kind = KINDS[i % KINDS.length];
    const ref = `${label}-${Date.now()}-${i}`;
    return { kind, ref, provider: kind.provider, operation: kind.operation, params: kind.params(ref) };
  });
  const job = (seed) => JSON.stringify({
    mode: 'race', store, urls: emulator.baseUrls, credentials: emulator.credentials, leaseMs: LEASE_MS,
    payments: shuffled(payments, seed).map(({ provider, operation, params }) => ({ provider, operation, params })),
  });
  const outputs = await Promise.all(Array.from({ length: PROCESSES }, (_, i) => run(process.execPath, [child, job(i + 1)], { timeout: 240_000 })));
  const results = outputs.map(({ stdout }) => JSON.parse(stdout));
  assert.deepEqual(results.flatMap((r) => r.errors), [], 'no pay() call failed');

  const requests = emulator.ledger.requests.slice(mark);
  const problems = [];
  let sends = 0;
  for (const kind of KINDS) {
    const ours = payments.filter((p) => p.kind === kind);
    const reached = requests.filter((r) => r.provider === kind.provider && r.operation === kind.operation).length;
    sends += reached;
    if (reached !== ours.length) problems.push(`${kind.operation}: ${reached} requests reached the emulator for ${ours.length} keys`);
    for (const p of ours) {
      const made = kind.made(emulator.ledger, p.ref);
      if (made !== 1) problems.push(`${kind.operation} ${p.ref}: made ${made} times`);
    }
  }
  const records = await journal.list({ limit: 10_000 });
  const mine = records.filter((r) => payments.some((p) => r.key.endsWith(`:${p.ref}`)));
  const unsettled = mine.filter((r) => !['success', 'pending'].includes(r.state));
  if (mine.length !== KEYS) problems.push(`${mine.length} records for ${KEYS} keys`);
  for (const r of unsettled) problems.push(`${r.key} ended ${r.state}`);
  const calls = results.reduce((n, r) => n + r.paid.length, 0);
  console.log(`journal concurrency test (${label}): ${PROCESSES} processes × ${KEYS} keys, ${calls} pay() calls, ` +
    `${sends} money-moving requests reached the emulator for ${KEYS} keys, ${problems.length} problems`);
  assert.deepEqual(problems, []);
  assert.equal(sends, KEYS);
}

test(`${PROCESSES} processes pay and reconcile the same ${KEYS} keys at once on SQLite: each request is sent once`, { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kassa-journal-'));
  const file = join(dir, 'journal.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  try {
    const journal = new PaymentJournal({ store: sqliteStore(db), clients: { agws: new TarlanAgws({ secret: 'x', agent: 'a', project: 'p' }) }, leaseMs: LEASE_MS });
    await race('SQLite', { kind: 'sqlite', file }, journal);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test(`${PROCESSES} processes pay and reconcile the same ${KEYS} keys at once on PostgreSQL: each request is sent once`, { timeout: 300_000 }, async () => {
  const database = await freshDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    const journal = new PaymentJournal({ store: postgresStore(pool), clients: { agws: new TarlanAgws({ secret: 'x', agent: 'a', project: 'p' }) }, leaseMs: LEASE_MS });
    await race('PostgreSQL', { kind: 'postgres', url: database.url }, journal);
  } finally {
    await pool.end();
    await database.drop();
  }
});

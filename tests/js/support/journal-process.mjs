// One journal process of the crash and concurrency tests (a real Node process on a real
// database). The job comes as JSON in argv[2]:
//   { store: { kind: 'sqlite', file } | { kind: 'postgres', url }, urls, credentials, leaseMs,
//     mode: 'pay' | 'reconcile' | 'race', payments: [{ provider, operation, params, options }],
//     killAt?: 'recorded' | 'claimed' | 'sent' | 'answered' }
// `killAt` makes the process SIGKILL itself at that step of its payment: after the intent is
// recorded, after the claim to send is recorded, after the request reached the provider but
// before its answer was read, after the answer was read but before it was recorded. It does so
// from the outside of the journal: through the store object and the client's `fetch` option,
// the same seams a user's process dies at. The process prints one JSON line of what it did.
import Database from 'better-sqlite3';
import pg from 'pg';
import { PaymentJournal, sqliteStore, postgresStore } from 'kassa/journal';
import { clientsFor } from './clients.mjs';

const job = JSON.parse(process.argv[2]);
const die = () => process.kill(process.pid, 'SIGKILL');

/** The one request whose answer the process must not live to read (`killAt: 'sent'`). */
let doomed = null;
const fetchOrDie = async (url, init) => {
  const response = await fetch(url, init);
  if (doomed && doomed.method === (init?.method ?? 'GET') && doomed.path === new URL(url).pathname) die();
  return response;
};

// Default options but the fetch: the journal fits each of its calls in its lease.
const all = clientsFor({ baseUrls: job.urls, credentials: job.credentials }, { fetch: fetchOrDie });
const clients = { agws: all.agws, acquiring: all.acquiring, assist: all.assist, fiscalbox: all.fiscalbox };

let pool = null;
let store;
if (job.store.kind === 'sqlite') {
  const db = new Database(job.store.file, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  store = sqliteStore(db);
} else {
  pool = new pg.Pool({ connectionString: job.store.url, max: 4 });
  store = postgresStore(pool);
}

if (job.killAt) {
  const { insert, write } = store;
  store = {
    ...store,
    async insert(record) {
      const done = await insert.call(this, record);
      if (job.killAt === 'recorded' && done.inserted) die();
      return done;
    },
    async write(record, condition) {
      if (job.killAt === 'answered' && record.state !== 'sending') die();
      const done = await write.call(this, record, condition);
      if (job.killAt === 'claimed' && done?.state === 'sending') die();
      return done;
    },
  };
}

const journal = new PaymentJournal({ store, clients, leaseMs: job.leaseMs });
const out = { paid: [], errors: [] };
try {
  if (job.mode === 'reconcile') {
    const summary = await journal.reconcile({ limit: 10_000 });
    out.summary = { ...summary, problems: summary.problems.map((p) => `${p.key}: ${p.error?.message}`) };
  } else {
    for (const [i, payment] of job.payments.entries()) {
      if (job.killAt === 'sent') {
        const request = clients[payment.provider].build(payment.operation, payment.params);
        doomed = { method: request.method, path: new URL(request.url).pathname };
      }
      try {
        const record = await journal.pay(payment.provider, payment.operation, payment.params, payment.options);
        out.paid.push({ key: record.key, state: record.state });
      } catch (error) {
        out.errors.push(`${payment.operation}: ${error.kind ?? ''} ${error.message}`);
      }
      // The race: every few payments, reconcile too (in the middle of the others' payments).
      if (job.mode === 'race' && i % 10 === 9) await journal.reconcile({ limit: 50 });
    }
    if (job.mode === 'race') await journal.reconcile({ limit: 10_000 });
  }
} finally {
  await pool?.end();
}
console.log(JSON.stringify(out));

// The crash test, shared by the SQLite and PostgreSQL files: for every money-moving operation
// the fault matrix covers (and Assist's fiscalize), a real Node process pays through the
// journal and is SIGKILLed at each step; a new process then reconciles. The emulator's ledger
// judges: no payment made twice, none lost (the journal's final state says what the ledger
// shows).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator } from 'kassa/emulator';
import { clientsFor } from './clients.mjs';
import { MONEY_MOVING, journalOptions, viewOfRecord } from './money-moving.mjs';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./journal-process.mjs', import.meta.url));

export const KILL_POINTS = ['recorded', 'claimed', 'sent', 'answered'];
/** The children's clients have default options: each call the journal makes gets half of it. */
export const LEASE_MS = 2000;

/** Assist's fiscalize: journaled too, but Assist publishes no "not found" answer. */
const ASSIST_FISCALIZE = {
  provider: 'assist', operation: 'fiscalize',
  prepare: (_clients, _emulator, ref) => ({ payment_id: `fz${ref}` }),
  params: (p) => ({
    Payment_ID: p.payment_id, Type: 'sell', Email: 'buyer@example.kz', ChequeItems: [{ id: 1, name: 'Coffee', price: '750.00', quantity: 2, tax: 'vat12' }],
  }),
  made: (ledger, p) => ledger.assist.byPaymentId[p.payment_id]?.length ?? 0,
  // A fiscalize that never arrived cannot be told from one Assist lost: the record stays unknown.
  absenceUnprovable: true,
};

export const CRASH_SCENARIOS = [...MONEY_MOVING.filter((s) => !s.flow), ASSIST_FISCALIZE];

/** Settled by comparing a before and an after on a shared device: one at a time per device. */
const LANES = { humo: 'humo', uzcard: 'uzcard', orderCreate: 'receipts' };

async function pool(items, size, fn) {
  const queue = [...items];
  await Promise.all(Array.from({ length: size }, async () => {
    while (queue.length) await fn(queue.shift());
  }));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs every scenario × kill point on one store. `store` is the job's store description;
 * `journalOf()` gives a PaymentJournal on the same store for reading the outcome.
 */
export async function crashTest({ store, journal, label, log }) {
  const emulator = await startEmulator({ timing: { pendingPolls: 0, assistNewLookups: 0, callbackAttempts: 1 } });
  try {
    const clients = clientsFor(emulator);
    await clients.fiscalbox.shiftOpen({}).catch(() => {});
    const base = { store, urls: emulator.baseUrls, credentials: emulator.credentials, leaseMs: LEASE_MS };
    const process = async (job) => {
      try {
        const { stdout } = await run(globalThis.process.execPath, [child, JSON.stringify({ ...base, ...job })], { timeout: 60_000 });
        return JSON.parse(stdout);
      } catch (error) {
        if (error.signal === 'SIGKILL') return { killed: true };
        throw new Error(`journal process failed: ${error.stderr || error.message}`);
      }
    };
    const cases = [];
    let serial = 0;
    for (const scenario of CRASH_SCENARIOS) {
      for (const killAt of KILL_POINTS) {
        serial += 1;
        cases.push({ scenario, killAt, ref: `${label}${killAt[0]}${Date.now()}${serial}` });
      }
    }
    const reconcile = async () => {
      const { summary } = await process({ mode: 'reconcile' });
      return summary;
    };
    const crash = async (c) => {
      c.prepared = await c.scenario.prepare(clients, emulator, c.ref);
      const payment = {
        provider: c.scenario.provider, operation: c.scenario.operation,
        params: c.scenario.params(c.prepared), options: journalOptions(c.scenario, c.prepared),
      };
      const result = await process({ mode: 'pay', payments: [payment], killAt: c.killAt });
      c.killed = Boolean(result.killed);
      c.payError = result.errors?.[0];
    };
    // Lanes: the scenarios settled by comparing a device's before and after run one at a time,
    // each settled (a new process, once the dead one's lease expired) before the next.
    const lanes = new Map();
    const free = [];
    for (const c of cases) {
      const lane = LANES[c.scenario.operation];
      if (lane) lanes.set(lane, [...(lanes.get(lane) ?? []), c]);
      else free.push(c);
    }
    // The ledger's count for a scenario, read once it is settled (a device's later operations
    // must not be counted as its own).
    const judge = async (c) => {
      c.made = c.scenario.made(emulator.ledger, c.prepared);
      c.record = await findRecord(journal, c.scenario, c.prepared);
    };
    const laneRuns = [...lanes.values()].map(async (list) => {
      for (const c of list) {
        await crash(c);
        await sleep(LEASE_MS + 50);
        await reconcile();
        await judge(c);
      }
    });
    await Promise.all([pool(free, 4, crash), ...laneRuns]);
    await sleep(LEASE_MS + 50);
    const summary = await reconcile();
    log(`reconcile: ${JSON.stringify(summary)}`);
    for (const c of free) await judge(c);

    const totals = { scenarios: 0, killed: 0, duplicates: 0, lost: 0, leftUnknown: 0, leftUnknownBy: {} };
    const problems = [];
    for (const c of cases) {
      const { record, made } = c;
      const truth = made > 0 ? 'made' : 'none';
      const view = record ? viewOfRecord(record) : 'no record';
      const what = `${c.scenario.provider}.${c.scenario.operation} killed ${c.killed ? '' : 'NOT '}at ${c.killAt}`;
      totals.scenarios += 1;
      if (c.killed) totals.killed += 1;
      else problems.push(`${what}: the process was not killed (${c.payError ?? 'it finished'})`);
      if (made > 1) {
        totals.duplicates += 1;
        problems.push(`${what}: made ${made} times`);
      }
      if (view !== truth) {
        if (record?.state === 'unknown' && (c.scenario.outcomeUnprovable || (c.scenario.absenceUnprovable && truth === 'none'))) {
          totals.leftUnknown += 1;
          const name = `${c.scenario.provider}.${c.scenario.operation}`;
          totals.leftUnknownBy[name] = (totals.leftUnknownBy[name] ?? 0) + 1;
        } else {
          totals.lost += 1;
          problems.push(`${what}: ledger says ${truth}, journal says ${view} (${record?.state} after ${record?.attempts} send(s); ${record?.error?.message ?? ''})`);
        }
      }
      log(`${what}: ledger ${truth} (${made}), journal ${record?.state}`);
    }
    return { totals, problems };
  } finally {
    await emulator.close();
  }
}

/**
 * The scenario's record: by the caller's key when it named one, else the record of that
 * operation whose params hold every field the scenario gave (its own reference among them).
 */
export async function findRecord(journal, scenario, prepared) {
  const prefix = `${scenario.provider}:${scenario.operation}:`;
  const { key } = journalOptions(scenario, prepared);
  if (key) return journal.get(`${prefix}${key}`);
  const given = scenario.params(prepared);
  const records = await journal.list({ provider: scenario.provider, limit: 10_000 });
  return records.find((r) => r.key.startsWith(prefix)
    && Object.entries(given).every(([k, v]) => typeof v === 'object' || String(r.params[k]) === String(v) || Number(r.params[k]) === Number(v))) ?? null;
}

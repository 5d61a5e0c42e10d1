// The crash test on PostgreSQL (node-postgres, a real server: scripts/postgres.sh): see
// support/journal-crash.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { TarlanAgws } from 'kassa';
import { PaymentJournal, postgresStore } from 'kassa/journal';
import { crashTest, CRASH_SCENARIOS, KILL_POINTS, LEASE_MS } from './support/journal-crash.mjs';
import { describeLeftUnknown } from './support/money-moving.mjs';
import { freshDatabase } from './support/postgres.mjs';

test('journal crash test on PostgreSQL: killed at every step, reconciled by a new process', { timeout: 300_000 }, async (t) => {
  const database = await freshDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  try {
    const journal = new PaymentJournal({
      store: postgresStore(pool), clients: { agws: new TarlanAgws({ secret: 'x', agent: 'a', project: 'p' }) }, leaseMs: LEASE_MS,
    });
    await journal.migrate();
    const { totals, problems } = await crashTest({ store: { kind: 'postgres', url: database.url }, journal, label: 'p', log: (line) => t.diagnostic(line) });
    console.log(`journal crash test (PostgreSQL): ${totals.scenarios} scenarios (${CRASH_SCENARIOS.length} operations × ${KILL_POINTS.length} kill points), ` +
      `${totals.killed} processes killed, ${totals.duplicates} duplicates, ${totals.lost} lost, ${describeLeftUnknown(totals)}`);
    assert.deepEqual(problems, []);
    assert.equal(totals.scenarios, CRASH_SCENARIOS.length * KILL_POINTS.length);
  } finally {
    await pool.end();
    await database.drop();
  }
});

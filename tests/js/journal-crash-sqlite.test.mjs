// The crash test on SQLite (better-sqlite3, a file shared by every process): see
// support/journal-crash.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { TarlanAgws } from 'kassa';
import { PaymentJournal, sqliteStore } from 'kassa/journal';
import { crashTest, CRASH_SCENARIOS, KILL_POINTS, LEASE_MS } from './support/journal-crash.mjs';
import { describeLeftUnknown } from './support/money-moving.mjs';

test('journal crash test on SQLite: killed at every step, reconciled by a new process', { timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kassa-journal-'));
  const file = join(dir, 'journal.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  try {
    const journal = new PaymentJournal({ store: sqliteStore(db), clients: { agws: new TarlanAgws({ secret: 'x', agent: 'a', project: 'p' }) }, leaseMs: LEASE_MS });
    await journal.migrate();
    const { totals, problems } = await crashTest({ store: { kind: 'sqlite', file }, journal, label: 's', log: (line) => t.diagnostic(line) });
    console.log(`journal crash test (SQLite): ${totals.scenarios} scenarios (${CRASH_SCENARIOS.length} operations × ${KILL_POINTS.length} kill points), ` +
      `${totals.killed} processes killed, ${totals.duplicates} duplicates, ${totals.lost} lost, ${describeLeftUnknown(totals)}`);
    assert.deepEqual(problems, []);
    assert.equal(totals.scenarios, CRASH_SCENARIOS.length * KILL_POINTS.length);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

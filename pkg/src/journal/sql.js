// The journal's store contract, implemented once for every SQL database. One schema with
// versioned migrations; each driver adapter (stores.js) only runs statements, and the few
// dialect differences — placeholders, how a table's existence is asked, how a migration is made
// atomic — are the `dialect` and `transaction` of the adapter. Statements are written with `?`.
import { KassaError } from '../error.js';

/** Every schema change, in order. A database at version N has run migrations 1..N. */
export const MIGRATIONS = [
  {
    version: 1,
    statements: [
      `CREATE TABLE IF NOT EXISTS kassa_journal (
        key TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        operation TEXT NOT NULL,
        state TEXT NOT NULL,
        outcome TEXT,
        attempts INTEGER NOT NULL,
        version BIGINT NOT NULL,
        lease_until BIGINT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        data TEXT NOT NULL
      )`,
      'CREATE INDEX IF NOT EXISTS kassa_journal_due ON kassa_journal (state, updated_at)',
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

const SCHEMA_TABLE = 'kassa_journal_schema';
const CREATE_SCHEMA_TABLE = `CREATE TABLE IF NOT EXISTS ${SCHEMA_TABLE} (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)`;
const RECORD_VERSION = `INSERT INTO ${SCHEMA_TABLE} (id, version) VALUES (1, ?)
  ON CONFLICT (id) DO UPDATE SET version = excluded.version WHERE ${SCHEMA_TABLE}.version < excluded.version`;

const DIALECTS = {
  sqlite: {
    tableExists: "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?",
    text: (sql) => sql,
  },
  postgres: {
    tableExists: 'SELECT 1 AS found WHERE to_regclass(CAST(? AS text)) IS NOT NULL',
    // node-postgres numbers its placeholders: $1, $2, ...
    text: (sql) => {
      let n = 0;
      return sql.replace(/\?/g, () => `$${(n += 1)}`);
    },
  },
};

const COLUMNS = 'key, provider, operation, state, outcome, attempts, version, lease_until, created_at, updated_at, data';

export function corruptedRow(key, what) {
  return new KassaError({
    kind: 'decode',
    message: `the journal record \`${key}\` is corrupted: ${what}; repair or delete that row (the rest of the journal is unaffected)`,
    details: { key },
  });
}

/** A row as the driver returns it → a record (BIGINT columns may come back as strings). */
export function rowToRecord(row) {
  let data;
  try {
    data = JSON.parse(row.data);
  } catch {
    throw corruptedRow(row.key, 'its `data` column is not JSON');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw corruptedRow(row.key, 'its `data` column is not a JSON object');
  const number = (value) => (value === null || value === undefined ? null : Number(value));
  return {
    key: row.key,
    provider: row.provider,
    operation: row.operation,
    state: row.state,
    outcome: row.outcome ?? null,
    params: data.params ?? {},
    result: data.result ?? null,
    error: data.error ?? null,
    attempts: number(row.attempts),
    createdAt: number(row.created_at),
    updatedAt: number(row.updated_at),
    version: number(row.version),
    leaseUntil: number(row.lease_until),
    baseline: data.baseline ?? null,
    lookup: data.lookup ?? {},
  };
}

function recordData(record) {
  return JSON.stringify({
    params: record.params, result: record.result, error: record.error, baseline: record.baseline, lookup: record.lookup,
  });
}

/** Rows → records; a row that cannot be read is set aside with its decode error. */
function readRows(rows) {
  const records = [];
  const corrupted = [];
  for (const row of rows) {
    try {
      records.push(rowToRecord(row));
    } catch (error) {
      corrupted.push({ key: row.key, error });
    }
  }
  return { records, corrupted };
}

/**
 * The journal store over an adapter `{ dialect, all(sql, params) -> rows, transaction(statements) }`.
 * Every write is one conditional statement, so concurrent processes never both win.
 */
export function sqlStore(adapter) {
  const dialect = DIALECTS[adapter.dialect];
  const all = (sql, params = []) => adapter.all(dialect.text(sql), params);

  async function schemaVersion() {
    const exists = await all(dialect.tableExists, [SCHEMA_TABLE]);
    if (exists.length === 0) return 0;
    const rows = await all(`SELECT version FROM ${SCHEMA_TABLE} WHERE id = 1`);
    return rows.length === 0 ? 0 : Number(rows[0].version);
  }

  return {
    schemaVersion,

    async migrate() {
      const from = await schemaVersion();
      if (from > SCHEMA_VERSION) return { from, to: from };
      for (const migration of MIGRATIONS.filter((m) => m.version > from)) {
        await adapter.transaction([
          [dialect.text(CREATE_SCHEMA_TABLE), []],
          ...migration.statements.map((sql) => [dialect.text(sql), []]),
          [dialect.text(RECORD_VERSION), [migration.version]],
        ]);
      }
      return { from, to: await schemaVersion() };
    },

    async insert(record) {
      const rows = await all(
        `INSERT INTO kassa_journal (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO NOTHING RETURNING *`,
        [record.key, record.provider, record.operation, record.state, record.outcome, record.attempts, record.version,
          record.leaseUntil, record.createdAt, record.updatedAt, recordData(record)],
      );
      if (rows.length > 0) return { inserted: true, record: rowToRecord(rows[0]) };
      return { inserted: false, record: await this.get(record.key) };
    },

    async get(key) {
      const rows = await all('SELECT * FROM kassa_journal WHERE key = ?', [key]);
      return rows.length === 0 ? null : rowToRecord(rows[0]);
    },

    // The claim and every other write: one UPDATE that succeeds only against the version and
    // state that were read, and — when taking a record over — only once its lease has expired.
    async write(record, { expectVersion, expectState, takeover, now }) {
      const rows = await all(
        `UPDATE kassa_journal SET state = ?, outcome = ?, attempts = ?, version = ?, lease_until = ?, updated_at = ?, data = ?
         WHERE key = ? AND version = ? AND state = ?${takeover ? ' AND (lease_until IS NULL OR lease_until <= ?)' : ''}
         RETURNING *`,
        [record.state, record.outcome, record.attempts, record.version, record.leaseUntil, record.updatedAt, recordData(record),
          record.key, expectVersion, expectState, ...(takeover ? [now] : [])],
      );
      return rows.length === 0 ? null : rowToRecord(rows[0]);
    },

    async due({ now, olderThanMs, limit, finalStates, after }) {
      const rows = await all(
        `SELECT * FROM kassa_journal
         WHERE state NOT IN (${finalStates.map(() => '?').join(', ')}) AND (lease_until IS NULL OR lease_until <= ?) AND updated_at <= ?
         ${after ? 'AND (updated_at > ? OR (updated_at = ? AND key > ?))' : ''}
         ORDER BY updated_at, key LIMIT ?`,
        [...finalStates, now, now - olderThanMs, ...(after ? [after.updatedAt, after.updatedAt, after.key] : []), limit],
      );
      const last = rows.at(-1);
      const next = rows.length < limit || !last ? null : { updatedAt: Number(last.updated_at), key: last.key };
      return { ...readRows(rows), next };
    },

    async list({ state, provider, limit }) {
      const where = [];
      const params = [];
      if (state !== undefined) {
        where.push('state = ?');
        params.push(state);
      }
      if (provider !== undefined) {
        where.push('provider = ?');
        params.push(provider);
      }
      const rows = await all(
        `SELECT * FROM kassa_journal${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, key LIMIT ?`,
        [...params, limit],
      );
      return readRows(rows);
    },
  };
}

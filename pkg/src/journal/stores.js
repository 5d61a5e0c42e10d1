// The journal's stores. Each SQL store takes the user's own driver object (kassa bundles no
// driver) and adapts it to the three things sql.js needs: the dialect, running a statement, and
// running a migration atomically. memoryStore keeps records in this process, for tests and
// development.
import { KassaError } from '../error.js';
import { SCHEMA_VERSION, sqlStore } from './sql.js';

function driverError(name, what) {
  return new KassaError({ kind: 'config', field: name, message: `\`${name}\` must be ${what}` });
}

/** A better-sqlite3 (or API-compatible) `Database`: the embedded default. Use WAL mode when several processes share the file. */
export function sqliteStore(db) {
  if (typeof db?.prepare !== 'function' || typeof db?.transaction !== 'function') {
    throw driverError('sqliteStore(db)', 'a better-sqlite3 Database (new Database(file))');
  }
  const run = (sql, params) => {
    const statement = db.prepare(sql);
    return statement.reader ? statement.all(...params) : (statement.run(...params), []);
  };
  return sqlStore({
    dialect: 'sqlite',
    all: async (sql, params) => run(sql, params),
    // BEGIN IMMEDIATE: the migration holds the write lock from its first statement.
    transaction: async (statements) => db.transaction(() => statements.forEach(([sql, params]) => run(sql, params))).immediate(),
  });
}

/** A node-postgres `Pool` (or anything with its `query` and `connect`): for several Node instances. */
export function postgresStore(pool) {
  if (typeof pool?.query !== 'function' || typeof pool?.connect !== 'function') {
    throw driverError('postgresStore(pool)', 'a node-postgres Pool (new pg.Pool({ connectionString }))');
  }
  return sqlStore({
    dialect: 'postgres',
    all: async (sql, params) => (await pool.query(sql, params)).rows,
    // Concurrent CREATE TABLE IF NOT EXISTS can collide in PostgreSQL: migrations take a lock.
    async transaction(statements) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query("SELECT pg_advisory_xact_lock(hashtext('kassa_journal_migrate'))");
        for (const [sql, params] of statements) await client.query(sql, params);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  });
}

/** A Cloudflare D1 binding (`env.DB`): for Workers. */
export function d1Store(db) {
  if (typeof db?.prepare !== 'function' || typeof db?.batch !== 'function') {
    throw driverError('d1Store(db)', 'a D1 database binding (env.DB)');
  }
  return sqlStore({
    dialect: 'sqlite',
    all: async (sql, params) => (await db.prepare(sql).bind(...params).all()).results,
    // A D1 batch runs as one transaction.
    transaction: async (statements) => db.batch(statements.map(([sql, params]) => db.prepare(sql).bind(...params))),
  });
}

/** Records in this process's memory: for tests and development (nothing survives the process). */
export function memoryStore() {
  const records = new Map();
  const copy = (record) => structuredClone(record);
  return {
    schemaVersion: async () => SCHEMA_VERSION,
    migrate: async () => ({ from: SCHEMA_VERSION, to: SCHEMA_VERSION }),
    async insert(record) {
      if (records.has(record.key)) return { inserted: false, record: copy(records.get(record.key)) };
      records.set(record.key, copy(record));
      return { inserted: true, record: copy(record) };
    },
    get: async (key) => (records.has(key) ? copy(records.get(key)) : null),
    async write(record, { expectVersion, expectState, takeover, now }) {
      const stored = records.get(record.key);
      if (!stored || stored.version !== expectVersion || stored.state !== expectState) return null;
      if (takeover && stored.leaseUntil !== null && stored.leaseUntil > now) return null;
      records.set(record.key, copy(record));
      return copy(record);
    },
    async due({ now, olderThanMs, limit, finalStates, after }) {
      const due = [...records.values()]
        .filter((r) => !finalStates.includes(r.state) && (r.leaseUntil === null || r.leaseUntil <= now) && r.updatedAt <= now - olderThanMs)
        .filter((r) => !after || r.updatedAt > after.updatedAt || (r.updatedAt === after.updatedAt && r.key > after.key))
        .sort((a, b) => a.updatedAt - b.updatedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .slice(0, limit);
      const last = due.at(-1);
      const next = due.length < limit || !last ? null : { updatedAt: last.updatedAt, key: last.key };
      return { records: due.map(copy), corrupted: [], next };
    },
    async list({ state, provider, limit }) {
      const found = [...records.values()]
        .filter((r) => (state === undefined || r.state === state) && (provider === undefined || r.provider === provider))
        .sort((a, b) => b.updatedAt - a.updatedAt || a.key.localeCompare(b.key))
        .slice(0, limit);
      return { records: found.map(copy), corrupted: [] };
    },
  };
}

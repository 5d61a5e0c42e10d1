// kassa/journal — a payment journal that survives crashes. The lifecycle of each record is the
// sans-IO state machine in the Rust core (src/journal); this driver only performs its actions
// against the user's store and through the kassa clients it is given (each client's wasm holds
// the core, so this entry loads no wasm of its own).
import { KassaError } from '../error.js';
import { JOURNAL_STEP } from './protocol.js';
import { SCHEMA_VERSION } from './sql.js';

export { KassaError };
export { sqliteStore, postgresStore, d1Store, memoryStore } from './stores.js';

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_RECONCILE_LIMIT = 100;
/** How many pages of due records one reconcile() reads at most (each of `limit` rows). */
const MAX_RECONCILE_PAGES = 20;
/** A hard cap on one record's steps, so a bug cannot loop forever. */
const MAX_STEPS = 64;
const STORE_METHODS = ['schemaVersion', 'migrate', 'insert', 'get', 'write', 'due', 'list'];
/** Writes after which the request has been answered: a store failure there loses the answer, not the payment. */
const AFTER_SEND = new Set(['outcome', 'settled', 'callback']);

function configError(field, rule) {
  return new KassaError({ kind: 'config', field, message: `\`${field}\` ${rule}` });
}

function validationError(field, rule) {
  return new KassaError({ kind: 'validation', field, message: `\`${field}\` ${rule}` });
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Headers as a Headers instance, a Node headers object or a plain object → lower-cased keys. */
function plainHeaders(headers) {
  if (headers == null) return {};
  const entries = typeof headers.entries === 'function' && typeof headers.get === 'function' ? [...headers.entries()] : Object.entries(headers);
  const out = {};
  for (const [key, value] of entries) {
    if (value != null) out[String(key).toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

export class PaymentJournal {
  #store;
  #clients = new Map();
  #leaseMs;
  #finalStates;
  #ready = null;

  /**
   * `store`: sqliteStore(db) | postgresStore(pool) | d1Store(env.DB) | memoryStore().
   * `clients`: kassa clients by provider: `{ agws, acquiring, assist, fiscalbox }`, any subset.
   * `leaseMs` (default 60 s): how long a claim holds before another process may take the
   * record over. Every call the journal makes fits in it: one attempt (no retries) whose
   * deadline is the client's timeoutMs cut to half the lease; a lease under 1 s, which leaves a
   * call less than 500 ms, is refused (KassaError 'config').
   */
  constructor(options) {
    if (!isObject(options)) throw configError('options', 'must be an object { store, clients, leaseMs }');
    const { store, clients, leaseMs = DEFAULT_LEASE_MS } = options;
    for (const method of STORE_METHODS) {
      if (typeof store?.[method] !== 'function') {
        throw configError('store', 'must be a journal store: sqliteStore(db), postgresStore(pool), d1Store(env.DB) or memoryStore()');
      }
    }
    if (!Number.isSafeInteger(leaseMs) || leaseMs <= 0) throw configError('leaseMs', 'must be a positive whole number of milliseconds');
    if (!isObject(clients) || Object.keys(clients).length === 0) {
      throw configError('clients', 'must hold at least one kassa client: { agws, acquiring, assist, fiscalbox }');
    }
    this.#store = store;
    this.#leaseMs = leaseMs;
    for (const [name, client] of Object.entries(clients)) {
      if (typeof client?.[JOURNAL_STEP] !== 'function') throw configError(`clients.${name}`, 'must be a kassa client (e.g. new TarlanAgws({...}))');
      const { value } = this.#step(client, null, { type: 'check' }).action;
      if (value.provider !== name) throw configError(`clients.${name}`, `is a ${value.provider} client: pass it as clients.${value.provider}`);
      this.#finalStates = value.finalStates;
      this.#clients.set(name, client);
    }
  }

  /** Creates or upgrades the store's tables (versioned migrations); safe to run from many processes. */
  async migrate() {
    const version = await this.#storeCall('reading the schema version', null, () => this.#store.schemaVersion());
    this.#refuseNewer(version);
    const done = await this.#storeCall('migrating', null, () => this.#store.migrate());
    this.#ready = null;
    return done;
  }

  /**
   * Records the request, claims it, sends it and records what it gave. A key already in the
   * journal sends nothing new: a final record is returned as it is, another one is settled.
   * `options.key` names requests without a reference of their own (pin-pad payments, refunds);
   * `options.lookup` gives what their settle call needs (see the README).
   */
  async pay(provider, operation, params, options) {
    const { key, lookup } = this.#options(options);
    return (await this.#run(provider, null, { type: 'pay', operation, params: params ?? {}, key, lookup })).record;
  }

  /**
   * Takes over a request sent without the journal whose outcome is unknown (a KassaError
   * `unknown_outcome` from the client or a flow): records it and settles it now.
   * `options.baseline` is what `measure()` read before sending, for operations settled by comparing.
   */
  async adopt(provider, operation, params, options) {
    const { key, lookup } = this.#options(options);
    const { baseline = null, error = null } = options ?? {};
    const errorJson = error instanceof KassaError ? error.toJSON() : error;
    return (await this.#run(provider, null, { type: 'adopt', operation, params: params ?? {}, key, lookup, baseline, error: errorJson })).record;
  }

  /** What must be read before sending a request that `adopt` may settle later (null when nothing). */
  async measure(provider, operation, params, options) {
    const { lookup } = this.#options(options);
    const client = this.#client(provider);
    const request = { type: 'measure', operation, params: params ?? {}, lookup };
    const { action } = this.#step(client, null, request);
    if (action.type === 'done') return action.value;
    let answer;
    try {
      answer = { result: await client.call(action.operation, action.params, action.options) };
    } catch (error) {
      if (!(error instanceof KassaError)) throw error;
      answer = { error: error.toJSON() };
    }
    return this.#step(client, null, { ...request, ...answer }).action.value;
  }

  /**
   * Settles every record that is not final and that nobody holds, oldest first. Many processes
   * may run it at once: each record is taken by one of them. Returns counts by state.
   */
  async reconcile(options) {
    if (options !== undefined && !isObject(options)) throw validationError('options', 'must be an object { olderThanMs, limit }');
    const { olderThanMs = 0, limit = DEFAULT_RECONCILE_LIMIT } = options ?? {};
    if (!Number.isSafeInteger(olderThanMs) || olderThanMs < 0) throw validationError('olderThanMs', 'must be a whole number of milliseconds ≥ 0');
    if (!Number.isSafeInteger(limit) || limit < 1) throw validationError('limit', 'must be a positive whole number');
    await this.#ensureReady();
    const now = Date.now();
    const summary = { created: 0, sending: 0, pending: 0, success: 0, failed: 0, unknown: 0, corrupted: 0, errors: 0, problems: [] };
    // Page on past rows nothing can be done about here — a pending payment no status call
    // follows, another process's provider, a corrupted row — so that they never hold back the
    // ones behind them: up to `limit` records worked on, reading at most MAX_RECONCILE_PAGES pages.
    let worked = 0;
    let cursor;
    for (let page = 0; page < MAX_RECONCILE_PAGES && worked < limit; page += 1) {
      const { records, corrupted, next } = await this.#storeCall('listing due records', null, () => this.#store.due({
        now, olderThanMs, limit, finalStates: this.#finalStates, after: cursor,
      }));
      summary.corrupted += corrupted.length;
      summary.problems.push(...corrupted);
      for (const record of records) {
        if (worked >= limit) break;
        const client = this.#clients.get(record.provider);
        if (!client) continue; // another journal instance with that provider's client settles it
        try {
          const after = (await this.#drive(client, record, { type: 'reconcile' })).record;
          if (after) summary[after.state] += 1;
          if (!after || after.version !== record.version) worked += 1;
        } catch (error) {
          worked += 1;
          const corruptedRecord = error instanceof KassaError && error.kind === 'decode' && error.details?.key === record.key;
          summary[corruptedRecord ? 'corrupted' : 'errors'] += 1;
          summary.problems.push({ key: record.key, error });
        }
      }
      if (!next) break;
      cursor = next;
    }
    return summary;
  }

  /**
   * Verifies an AGWS callback (X-Signature) or an acquiring webhook (Authorization: Bearer) in
   * constant time, applies it to its record (a replay changes nothing) and returns the reply to
   * send: `{ reply: { status, headers, body }, record }`. A forged one throws KassaError 'signature'.
   */
  async applyCallback(provider, body, headers) {
    const client = this.#client(provider);
    await this.#ensureReady();
    const step = this.#step(client, null, { type: 'callback', body, headers: plainHeaders(headers) });
    const { keys, callback, reply } = step.action;
    for (const key of keys) {
      let record = await this.#storeCall('reading', key, () => this.#store.get(key));
      if (!record) continue;
      // A write that lost to a concurrent one is applied again to what is stored now.
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const after = (await this.#drive(client, record, { type: 'found', callback })).record;
        if (!after || after.version === record.version) return { reply, record: after ?? record };
        record = after;
      }
      return { reply, record };
    }
    return { reply, record: null };
  }

  /** The record under `key`, or null. A corrupted one throws KassaError 'decode' naming the key. */
  async get(key) {
    if (typeof key !== 'string') throw validationError('key', 'must be a string');
    await this.#ensureReady();
    const record = await this.#storeCall('reading', key, () => this.#store.get(key));
    return record ? this.#inspect(record) : null;
  }

  /** Records, newest first; rows that cannot be read are left out (reconcile() reports them). */
  async list(options) {
    if (options !== undefined && !isObject(options)) throw validationError('options', 'must be an object { state, provider, limit }');
    const { state, provider, limit = 100 } = options ?? {};
    if (!Number.isSafeInteger(limit) || limit < 1) throw validationError('limit', 'must be a positive whole number');
    await this.#ensureReady();
    const { records } = await this.#storeCall('listing', null, () => this.#store.list({ state, provider, limit }));
    const out = [];
    for (const record of records) {
      try {
        out.push(this.#inspect(record));
      } catch (error) {
        if (!(error instanceof KassaError && error.kind === 'decode')) throw error;
      }
    }
    return out;
  }

  toString() {
    return `[PaymentJournal clients: ${[...this.#clients.keys()].join(', ')}; leaseMs: ${this.#leaseMs}]`;
  }

  // ---------------------------------------------------------------------------------------

  #client(provider) {
    const client = this.#clients.get(provider);
    if (!client) {
      throw validationError('provider', `\`${provider}\` has no client in this journal (it has: ${[...this.#clients.keys()].join(', ')})`);
    }
    return client;
  }

  #options(options) {
    if (options === undefined || options === null) return {};
    if (!isObject(options)) throw validationError('options', 'must be an object { key, lookup }');
    return { key: options.key ?? null, lookup: options.lookup ?? null };
  }

  #step(client, record, event) {
    return client[JOURNAL_STEP](record, { ...event, now: Date.now(), leaseMs: this.#leaseMs });
  }

  #inspect(record) {
    const client = this.#clients.get(record.provider) ?? this.#clients.values().next().value;
    return this.#step(client, record, { type: 'inspect' }).record;
  }

  #refuseNewer(version) {
    // A version that is not a whole number (a damaged schema table) is no version at all.
    if (!Number.isSafeInteger(version) || version < 0) {
      throw configError('store', `holds an unreadable journal schema version (${String(version)}): repair the kassa_journal_schema table before using this journal`);
    }
    if (version > SCHEMA_VERSION) {
      throw configError('store', `holds a journal schema of version ${version}, newer than this kassa understands (${SCHEMA_VERSION}): upgrade kassa before using this journal`);
    }
  }

  async #ensureReady() {
    this.#ready ??= (async () => {
      const version = await this.#storeCall('reading the schema version', null, () => this.#store.schemaVersion());
      this.#refuseNewer(version);
      if (version < SCHEMA_VERSION) {
        throw configError('store', `holds no journal schema of version ${SCHEMA_VERSION} (found ${version}): run \`await journal.migrate()\` once first`);
      }
    })();
    try {
      await this.#ready;
    } catch (error) {
      this.#ready = null;
      throw error;
    }
  }

  async #run(provider, record, event) {
    const client = this.#client(provider);
    await this.#ensureReady();
    return this.#drive(client, record, event);
  }

  /** A store failure becomes a KassaError that says whether anything was sent. */
  async #storeCall(what, key, fn, stage, record) {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof KassaError) throw error;
      const consequence = AFTER_SEND.has(stage)
        ? 'The request was answered (see details.record) but the answer is not recorded: reconcile() settles it from the provider. Do not pay again.'
        : 'Nothing was sent by this call; reconcile() settles whatever the record shows — a record left `created` (written, never sent) is sent by it, as recorded: call pay() again with the same key to finish it now.';
      throw new KassaError({
        kind: 'transport',
        retryable: true,
        message: `the journal store failed while ${what}${key ? ` \`${key}\`` : ''} (${error?.message ?? error}). ${consequence}`,
        details: { store: true, key, ...(AFTER_SEND.has(stage) ? { record } : {}) },
      });
    }
  }

  /** Performs the machine's actions for one record until it says done. */
  async #drive(client, start, first) {
    let record = start;
    let event = first;
    for (let steps = 0; steps < MAX_STEPS; steps += 1) {
      const now = Date.now();
      const step = client[JOURNAL_STEP](record, { ...event, now, leaseMs: this.#leaseMs });
      const { action } = step;
      switch (action.type) {
        case 'insert': {
          const { inserted, record: stored } = await this.#storeCall('recording', step.record.key, () => this.#store.insert(step.record));
          if (inserted) {
            record = stored;
            event = { type: 'inserted' };
          } else {
            record = step.record;
            event = { type: 'exists', existing: stored };
          }
          break;
        }
        case 'write': {
          const { stage, expectVersion, expectState, takeover } = action;
          const written = await this.#storeCall('recording', step.record.key, () => this.#store.write(step.record, {
            expectVersion, expectState, takeover, now,
          }), stage, step.record);
          if (written) {
            record = written;
            event = { type: 'written', stage };
          } else {
            const current = await this.#storeCall('reading', step.record.key, () => this.#store.get(step.record.key));
            record = step.record;
            event = { type: 'conflict', stage, current };
          }
          break;
        }
        case 'call': {
          record = step.record;
          try {
            // action.options: one attempt whose deadline ends within the lease (see the README).
            const result = await client.call(action.operation, action.params, action.options);
            event = { type: 'answered', stage: action.stage, result };
          } catch (error) {
            if (!(error instanceof KassaError)) throw error;
            event = { type: 'failed', stage: action.stage, error: error.toJSON() };
          }
          break;
        }
        case 'done':
          return { record: step.record, value: action.value };
        default:
          throw new KassaError({ kind: 'decode', message: `the journal step asked for an unknown action \`${action.type}\`` });
      }
    }
    throw new KassaError({ kind: 'decode', message: `the journal record \`${record?.key}\` did not settle within ${MAX_STEPS} steps` });
  }
}

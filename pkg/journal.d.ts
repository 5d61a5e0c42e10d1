// kassa/journal — hand-written (the Rust typegen describes the operation tables, not this
// driver); checked by tests/ts/consumer.mts under tsc --strict.
import type { TarlanAgws, TarlanAcquiring, AssistFiscal, FiscalBox } from './dist/kassa/index.js';
import { KassaError } from './dist/types.js';

export { KassaError };

/** Providers whose money-moving operations the journal records. */
export type JournalProvider = 'agws' | 'acquiring' | 'assist' | 'fiscalbox';

export type JournalState = 'created' | 'sending' | 'pending' | 'success' | 'failed' | 'unknown';

export interface JournalRecord {
  /** `provider:operation:reference`, e.g. `agws:cashIn:200001`. */
  key: string;
  provider: JournalProvider;
  operation: string;
  state: JournalState;
  /** The payment's outcome as the provider reported it; null while unknown. */
  outcome: 'success' | 'pending' | 'failed' | null;
  /** The validated wire params, credentials removed. */
  params: Record<string, unknown>;
  result: unknown;
  /** The last error, as KassaError JSON. */
  error: { kind: string; message: string; code?: string | number | null; details?: Record<string, unknown> } | null;
  attempts: number;
  createdAt: number;
  updatedAt: number;
  version: number;
  leaseUntil: number | null;
  baseline: unknown;
  lookup: Record<string, unknown>;
}

/** Where a page of due records ended. */
export interface DueCursor {
  updatedAt: number;
  key: string;
}

/** A journal store: one of the functions below, or your own with the same methods. */
export interface JournalStore {
  schemaVersion(): Promise<number>;
  migrate(): Promise<{ from: number; to: number }>;
  insert(record: JournalRecord): Promise<{ inserted: boolean; record: JournalRecord }>;
  get(key: string): Promise<JournalRecord | null>;
  write(record: JournalRecord, condition: { expectVersion: number; expectState: JournalState; takeover: boolean; now: number }): Promise<JournalRecord | null>;
  /**
   * Up to `limit` records that are not final and not leased, oldest first (by `updatedAt`, then
   * `key`), after the cursor `after`; `next` is the cursor of the last row read (corrupted ones
   * included), or null when there are no more.
   */
  due(query: { now: number; olderThanMs: number; limit: number; finalStates: JournalState[]; after?: DueCursor | undefined }): Promise<{ records: JournalRecord[]; corrupted: Array<{ key: string; error: KassaError }>; next?: DueCursor | null }>;
  list(query: { state?: JournalState | undefined; provider?: string | undefined; limit: number }): Promise<{ records: JournalRecord[]; corrupted: Array<{ key: string; error: KassaError }> }>;
}

/** A better-sqlite3 `Database` (structurally). */
export interface SqliteDatabase {
  prepare(sql: string): unknown;
  transaction(fn: (...args: never[]) => unknown): unknown;
}
/** A node-postgres `Pool` (structurally). */
export interface PostgresPool {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  connect(): Promise<unknown>;
}
/** A Cloudflare D1 binding (structurally). */
export interface D1Binding {
  prepare(sql: string): unknown;
  batch(statements: unknown[]): Promise<unknown>;
}

export declare function sqliteStore(db: SqliteDatabase): JournalStore;
export declare function postgresStore(pool: PostgresPool): JournalStore;
export declare function d1Store(db: D1Binding): JournalStore;
export declare function memoryStore(): JournalStore;

export interface JournalClients {
  agws?: TarlanAgws;
  acquiring?: TarlanAcquiring;
  assist?: AssistFiscal;
  fiscalbox?: FiscalBox;
}

export interface PayOptions {
  /** Your own unique key, for requests without a reference of their own (pin-pad payments, refunds). */
  key?: string;
  /** Params the settle call needs that the request does not carry (refund/charge: the paid payment's `project_reference_id` and `type`; confirmInvoice: `service_code`). */
  lookup?: Record<string, unknown>;
}

export interface AdoptOptions extends PayOptions {
  /** What `measure()` returned before the request was sent. */
  baseline?: unknown;
  /** The error the call ended with. */
  error?: KassaError | Record<string, unknown> | null;
}

export interface ReconcileSummary {
  created: number;
  sending: number;
  pending: number;
  success: number;
  failed: number;
  unknown: number;
  /** Rows that could not be read. */
  corrupted: number;
  /** Records whose settling failed (e.g. the store or the provider was unreachable). */
  errors: number;
  problems: Array<{ key: string; error: unknown }>;
}

export interface CallbackReply {
  /** Answer the notification with this: `new Response(reply.body, reply)`. */
  reply: { status: number; headers: Record<string, string>; body: string };
  /** The record it applies to, as stored now; null when the journal has none. */
  record: JournalRecord | null;
}

export interface JournalOptions {
  store: JournalStore;
  /** Clients built with any options: the journal makes each of its calls fit the lease. */
  clients: JournalClients;
  /**
   * How long a claim holds before another process may take the record over (default 60000).
   * Each call the journal makes is one attempt (no retries) whose deadline is the client's
   * timeoutMs cut to half the lease; a lease under 1000 ms is refused (KassaError 'config').
   */
  leaseMs?: number;
}

export declare class PaymentJournal {
  constructor(options: JournalOptions);
  migrate(): Promise<{ from: number; to: number }>;
  pay(provider: JournalProvider, operation: string, params: Record<string, unknown>, options?: PayOptions): Promise<JournalRecord>;
  adopt(provider: JournalProvider, operation: string, params: Record<string, unknown>, options?: AdoptOptions): Promise<JournalRecord>;
  measure(provider: JournalProvider, operation: string, params: Record<string, unknown>, options?: PayOptions): Promise<unknown>;
  reconcile(options?: { olderThanMs?: number; limit?: number }): Promise<ReconcileSummary>;
  applyCallback(provider: 'agws' | 'acquiring', body: string | object, headers: Headers | Record<string, string | string[] | undefined>): Promise<CallbackReply>;
  get(key: string): Promise<JournalRecord | null>;
  list(options?: { state?: JournalState; provider?: JournalProvider; limit?: number }): Promise<JournalRecord[]>;
}

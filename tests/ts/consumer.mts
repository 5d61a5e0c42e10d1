// Compiled with `tsc --strict` against the generated declarations: the types must allow the
// documented usage and reject mistakes (each @ts-expect-error fails the build if it stops
// being an error).
import {
  canonicalJson, tarlanSign, tarlanVerify, TarlanAgws, TarlanAcquiring, AssistFiscal, FiscalBox, FiscalBoxBilling, KassaError,
  parseSoliqQr, buildSoliqQr, toFiscalReceipt, diagnoseSignature, explainSignature,
} from 'kassa';
import type { HttpRequest, TarlanAgwsCashInParams, AgwsPayment, ErrorKind, FiscalReceipt } from 'kassa';
import { startEmulator, DEFAULT_CREDENTIALS } from 'kassa/emulator';

const signature: string = tarlanSign({ username: '989898', amount: 100 }, '12345');
const same: boolean = tarlanVerify('{"a":1}', '12345', signature);
const text: string = canonicalJson({ b: 1, a: 2 });

const agws = new TarlanAgws({ secret: '12345', agent: 'tarlan', project: 'mobile', timeoutMs: 10_000 });
const request: HttpRequest = agws.build('fiscalReceipt', {
  provider_order_id: 'pr10010',
  provider_code: 'code',
  provider_service_code: 'service_code',
});
const method: 'GET' | 'POST' | 'DELETE' = request.method;

const params: TarlanAgwsCashInParams = {
  username: '989898',
  amount: '100.50',
  service_code: '201106',
  external_id: '200001',
};
const parsed: AgwsPayment = agws.parse('cashIn', { status: 200, body: '{}' });
const outcome: 'success' | 'pending' | 'failed' = parsed.outcome;
const statusCode: string = parsed.data.status_code;

async function pay(): Promise<string> {
  const result = await agws.cashIn(params);
  return result.data.external_id ?? '';
}

try {
  agws.build('cashIn', params);
} catch (error) {
  if (error instanceof KassaError) {
    const kind: ErrorKind = error.kind;
    const code: number | string | null = error.code;
    const field: string | null = error.field;
    const retry: boolean = error.retryable;
    void [kind, code, field, retry];
  }
}

// @ts-expect-error: not an operation of TarlanAgws
agws.build('refund', {});
// @ts-expect-error: external_id is required
agws.build('status', { service_code: 's' });
// @ts-expect-error: amount must be a number or a decimal string
const wrongAmount: TarlanAgwsCashInParams = { ...params, amount: true };
// @ts-expect-error: the secret option is required
new TarlanAgws({ agent: 'x' });

// Tarlan acquiring: hosted form, one-click, webhook.
const acquiring = new TarlanAcquiring({ secret: 's', merchantId: 1, projectId: 42, environment: 'sandbox' });
async function acquire(): Promise<string> {
  const page = await acquiring.payIn({
    amount: '1500.50', description: 'Order 42', project_reference_id: 'order-42', success_redirect_url: 'https://shop.kz/ok',
  });
  const tx = await acquiring.oneClickPayIn({
    amount: 990, card_token: 't', project_client_id: 'u', project_reference_id: 'o-43', description: 'd',
  });
  const hook = acquiring.verifyWebhook('{}', 'Bearer 00');
  return `${page.url} ${tx.outcome} ${hook.transaction_id}`;
}
// @ts-expect-error: a sandbox is chosen by name, not by an arbitrary string
new TarlanAcquiring({ secret: 's', environment: 'staging' });

// Assist: exactly one identifier at run time; typed results.
const assist = new AssistFiscal({ baseUrl: 'https://assist.example', merchantId: '1', login: 'l', password: 'p' });
async function receiptOf(): Promise<FiscalReceipt> {
  const receipt = await assist.fiscalReceipt({ Billnumber: '5791234567890123' });
  const state: 'success' | 'pending' | 'failed' = receipt.outcome;
  void state;
  return toFiscalReceipt('assist', receipt);
}

// FiscalBox: QR-wallet sale step by step, Soliq links, billing.
const fb = new FiscalBox({ baseUrl: 'http://192.168.1.50:8080', walletAmountUnit: 'tiyin' });
async function sell(): Promise<string> {
  const paid = await fb.anor({ amount: 1_500_000, qr_code: 'code' });
  const confirmed = await fb.anorConfirm({ transaction_id: String(paid.transaction_id), qr_code: 'https://ofd.soliq.uz/check?t=..' });
  return String(confirmed.outcome);
}
// @ts-expect-error: anorConfirm needs transaction_id
fb.anorConfirm({ qr_code: 'x' });
const link: string = buildSoliqQr({ t: 'EZ000000000102', r: 2121, c: '20220929013159', s: '420808230750' });
const sign12: string = parseSoliqQr(link).s;
const billing = new FiscalBoxBilling({ username: 'demo', password: 'p' });

// Signature diagnosis and the emulator's types.
const diagnosis = diagnoseSignature({ a: 1 }, '12345', 'ff');
const explained = explainSignature({ a: 1 }, '12345');
async function emulate(): Promise<string> {
  const emu = await startEmulator({ port: 0 });
  const url: string = emu.baseUrls.fiscalbox;
  await emu.close();
  return `${url} ${DEFAULT_CREDENTIALS.agws.secret}`;
}

void [signature, same, text, method, outcome, statusCode, pay, wrongAmount, acquire, receiptOf, sell, sign12, billing, diagnosis, explained, emulate];

// Operations whose documented tables are incomplete accept extra parameters (sent as given).
const passThrough = assist.build('fiscalize', {
  Payment_ID: 'order-42', Type: 'sell', Email: 'buyer@example.kz', ChequeItems: [], Language: 'RU',
});
void passThrough;

// kassa/journal (hand-written declarations): the documented usage compiles, mistakes do not.
import { PaymentJournal, sqliteStore, postgresStore, d1Store, memoryStore, KassaError as JournalError } from 'kassa/journal';
import type { JournalRecord, JournalState, ReconcileSummary, JournalStore, JournalOptions } from 'kassa/journal';
async function journaled(db: { prepare(sql: string): unknown; transaction(fn: () => void): unknown }): Promise<JournalState> {
  const options: JournalOptions = { store: sqliteStore(db), clients: { agws, fiscalbox: fb } };
  const journal = new PaymentJournal({ ...options, leaseMs: 90_000 });
  await journal.migrate();
  const record: JournalRecord = await journal.pay('agws', 'cashIn', { username: '989898', amount: '100.50', service_code: '201106', external_id: '200001' });
  await journal.pay('fiscalbox', 'humo', { amount: 100_000 }, { key: 'sale-7' });
  const summary: ReconcileSummary = await journal.reconcile({ olderThanMs: 0, limit: 50 });
  const { reply } = await journal.applyCallback('agws', '{}', { 'x-signature': 'ff' });
  const listed: JournalRecord[] = await journal.list({ state: 'unknown', provider: 'agws' });
  // @ts-expect-error: clients are kassa clients by provider
  new PaymentJournal({ store: memoryStore(), clients: { agws: 'nope' } });
  // @ts-expect-error: not a provider of the journal
  await journal.pay('fiscalboxBilling', 'login', {});
  void [summary.unknown, reply.status, listed, JournalError, postgresStore, d1Store];
  return record.state;
}
const stores: Array<(x: never) => JournalStore> = [sqliteStore, postgresStore, d1Store];
void [journaled, stores];

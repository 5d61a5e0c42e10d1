// Provider fidelity from the primary sources (issue 11), through the built package over real
// HTTP against the emulator: what the seeds in ../shared/spec/seeds/ say is what goes on the wire
// and what results say. The Rust tests cover every case; these prove the same through wasm and fetch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEmulator } from 'kassa/emulator';
import { TarlanAgws, TarlanAcquiring, AssistFiscal, FiscalBox } from 'kassa';
import { clientsFor } from './support/clients.mjs';
import { rejects } from './support/rejects.mjs';

let emulator;
let clients;

before(async () => {
  emulator = await startEmulator({ timing: { pendingPolls: 1, assistNewLookups: 1, callbackAttempts: 1 } });
  clients = clientsFor(emulator, { timeoutMs: 5000 });
});
after(() => emulator?.close());

test('Assist: the 13 errortexts of seed 002, as text, as ID and as both, cross the wasm boundary with their ID and text', () => {
  const seed = JSON.parse(readFileSync(new URL('../fixtures/assist/errortexts.seed-002.json', import.meta.url)));
  assert.equal(seed.errortexts.length, 13);
  const adviceOf = (id) => ([8006, 868, 19521].includes(id) ? 'look_up_later' : [456, 155].includes(id) ? 'contact_assist' : 'correct_and_fiscalize_again');
  for (const { id, errortext } of seed.errortexts) {
    for (const form of [errortext, String(id), `${id} ${errortext}`, `${errortext} (${id})`]) {
      const explained = AssistFiscal.explainErrortext(form);
      assert.equal(explained.code, id, form);
      assert.equal(explained.message, errortext, form);
      assert.equal(explained.advice, adviceOf(id), form);
      assert.equal(explained.documented, true, form);
    }
  }
  const unknown = AssistFiscal.explainErrortext('Что-то новое');
  assert.equal(unknown.documented, false);
  assert.equal(unknown.advice, null);
  assert.equal(unknown.text, 'Что-то новое');
});

test('Assist: a CreateError from the emulator carries a seed-002 data error and the advice to correct and fiscalize again', async () => {
  const paymentId = `err-${Date.now()}`;
  const receipt = await clients.assist.fiscalizeAndWait({
    Payment_ID: paymentId, Type: 'sell', Email: 'buyer@example.kz',
    ChequeItems: [{ id: 1, name: 'Tea', price: '1500.50', quantity: 1, tax: 'vat12' }],
  }, { pollIntervalMs: 20, maxPollIntervalMs: 50, deadlineMs: 5000 });
  assert.equal(receipt.status, 'CreateError');
  assert.equal(receipt.outcome, 'failed');
  assert.equal(receipt.status_legacy, false);
  assert.equal(receipt.receipt_error.code, 19511);
  assert.equal(receipt.receipt_error.advice, 'correct_and_fiscalize_again');
  const statuses = AssistFiscal.codes.receiptStatuses;
  assert.deepEqual(statuses.filter((s) => !s.legacy).map((s) => s.code), ['New', 'Success', 'CreateError']);
  assert.equal(statuses.find((s) => s.code === 'CREAREERROR').current, 'CreateError');
  assert.ok(!statuses.some((s) => s.code === 'NotNeeded'));
});

test('AGWS: the fiscal receipt GET sends the headers of seed 000 (Content-Type and X-Signature) over fetch', async () => {
  const seen = [];
  const recordingFetch = (url, init) => {
    seen.push({ url: String(url), method: init?.method ?? 'GET', headers: new Headers(init?.headers) });
    return fetch(url, init);
  };
  const { agws } = emulator.credentials;
  const client = new TarlanAgws({ baseUrl: emulator.baseUrls.agws, ...agws, fetch: recordingFetch });
  const ref = `seed000-${Date.now()}`;
  await client.cashIn({ username: 'instant989898', amount: 10, service_code: '201106', external_id: ref });
  const receipt = await client.fiscalReceipt({ provider_order_id: ref, provider_code: 'code', provider_service_code: '201106' });
  assert.equal(receipt.fiscal_number, emulator.ledger.agws.payments[ref].fiscal_number);
  const get = seen.find((r) => r.method === 'GET' && r.url.includes('/fiscalization/order'));
  assert.equal(get.headers.get('content-type'), 'application/json');
  assert.match(get.headers.get('x-signature'), /^[0-9a-f]{64}$/);
});

test('AGWS: a rejected confirmInvoice (is_success/otp_status false) is outcome failed with the message and the reason, never null', async () => {
  const ref = `otp-${Date.now()}`;
  await clients.agws.cashIn({ username: 'otp989898', amount: 10, service_code: '201106', external_id: ref });
  const rejected = await clients.agws.confirmInvoice({ external_id: ref, confirm_code: '000000' });
  assert.equal(rejected.outcome, 'failed');
  assert.equal(rejected.is_success, false);
  assert.equal(rejected.otp_status, false);
  assert.equal(rejected.message, 'Incorrect confirmation code');
  assert.equal(rejected.fail_reason.code, 402);
  assert.match(rejected.fail_reason.meaning, /Incorrect confirmation code/);
  assert.equal(emulator.ledger.agws.payments[ref].confirmations, 0, 'no money moved');
  assert.equal((await clients.agws.status({ service_code: '201106', external_id: ref })).outcome, 'failed');
  const accepted = `otp-ok-${Date.now()}`;
  await clients.agws.cashIn({ username: 'otp989898', amount: 10, service_code: '201106', external_id: accepted });
  assert.equal((await clients.agws.confirmInvoice({ external_id: accepted, confirm_code: '1234' })).outcome, 'pending');
});

test('Tarlan notifications are acknowledged with HTTP 200 and an empty body, as documented', async () => {
  for (const ack of [TarlanAgws.callbackAck(), TarlanAcquiring.webhookAck()]) {
    assert.deepEqual(ack, { status: 200, headers: {}, body: '' });
    const response = new Response(ack.body, ack);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '');
  }
  // confirmReply's body is documented (spec §5.2): it stays.
  assert.equal(JSON.parse(TarlanAcquiring.confirmReply({ id: '121abc', is_payble: true }).body).is_payble, true);
});

test('acquiring: charge sends only what the newest table lists; pay-outs send their visible rows and what is passed', async () => {
  const acquiring = clients.acquiring;
  const charge = acquiring.build('charge', { transaction_id: 5, amount: 10 });
  assert.equal(charge.body, '{"amount":10,"transaction_id":5}');
  const payOut = JSON.parse(acquiring.build('payOutDirect', { amount: 100, description: 'Winnings' }).body);
  assert.deepEqual(Object.keys(payOut).sort(), ['amount', 'description', 'merchant_id']);
  const byPhone = JSON.parse(acquiring.build('payOutByPhone', { phone_number: '+77011234567', description: 'Cashback' }).body);
  assert.deepEqual(Object.keys(byPhone).sort(), ['description', 'merchant_id', 'phone_number']);
});

test('FiscalBox: without walletAmountUnit every QR-wallet payment and qrWalletSale refuse with kind config before sending', async () => {
  const unset = new FiscalBox({ baseUrl: emulator.baseUrls.fiscalbox });
  const before = emulator.ledger.requests.length;
  for (const provider of ['click', 'payme', 'uzum', 'anor']) {
    const error = await rejects(unset[provider]({ amount: 50_000, qr_code: `unit-${provider}` }), { kind: 'config', field: 'walletAmountUnit' });
    assert.match(error.message, /conflict/);
    assert.match(error.message, /ask FiscalBox which unit the device expects/i);
  }
  await rejects(unset.qrWalletSale({ provider: 'payme', amount: 50_000, qr_code: 'unit-flow', order: {} }), { kind: 'config', field: 'walletAmountUnit' });
  assert.equal(emulator.ledger.requests.length, before, 'nothing reached the device');
});

test('FiscalBox: walletAmountUnit sum sends whole sums and the device charges the tiyin given', async () => {
  const sums = await startEmulator({ credentials: { fiscalbox: { walletAmountUnit: 'sum' } } });
  try {
    const client = new FiscalBox({ baseUrl: sums.baseUrls.fiscalbox, ...sums.credentials.fiscalbox });
    const paid = await client.payme({ amount: 50_000, qr_code: `sum-${Date.now()}` });
    const payment = Object.values(sums.ledger.fiscalbox.payments).find((p) => p.payment_id === paid.payment_id);
    assert.equal(payment.amount, 500);
    assert.equal(payment.amount_tiyin, 50_000);
  } finally {
    await sums.close();
  }
});

// Every operation of every client, called through the SDK's typed methods over real HTTP
// against the emulator; each result is compared with what the emulator recorded answering.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from 'kassa/emulator';
import { KassaError, TarlanAgws } from 'kassa';
import { clientsFor } from './support/clients.mjs';
import { assertCarries, lastRecorded } from './support/recorded.mjs';
import { rejects } from './support/rejects.mjs';

let emulator;
let clients;
const called = new Map(); // provider -> Set of operations called

before(async () => {
  emulator = await startEmulator({ timing: { pendingPolls: 1, callbackAttempts: 1 } });
  clients = clientsFor(emulator, { timeoutMs: 5000 });
});
after(() => emulator?.close());

/** Calls provider.operation through its typed method and checks the result against the recording. */
async function callChecked(provider, operation, params, { unwrap = (body) => body, options, compare = {} } = {}) {
  const mark = emulator.ledger.requests.length;
  const result = await clients[provider][operation](params, options);
  const recorded = lastRecorded(emulator, provider, operation, mark);
  assert.equal(typeof recorded.responseBody, 'string', `${provider}.${operation}: response recorded`);
  assertCarries(result, unwrap(JSON.parse(recorded.responseBody)), { path: `${provider}.${operation}`, ...compare });
  if (!called.has(provider)) called.set(provider, new Set());
  called.get(provider).add(operation);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Tarlan AGWS

test('AGWS: every operation over HTTP equals what the emulator answered', async () => {
  const agws = (body) => body.result;
  const ref = `e2e-${Date.now()}`;
  const account = await callChecked('agws', 'check', { username: '989898', service_code: '201106' }, { unwrap: agws });
  assert.equal(account.account_status, 1);

  const before = emulator.ledger.agws.balance;
  const cashIn = await callChecked('agws', 'cashIn', { username: '989898', amount: '1500.50', service_code: '201106', external_id: ref }, { unwrap: agws });
  assert.equal(cashIn.outcome, 'pending');
  assert.equal(emulator.ledger.agws.payments[ref].amount, 1500.5);

  const pending = await callChecked('agws', 'status', { service_code: '201106', external_id: ref }, { unwrap: agws });
  assert.equal(pending.outcome, 'pending');
  const done = await callChecked('agws', 'status', { service_code: '201106', external_id: ref }, { unwrap: agws });
  assert.equal(done.outcome, 'success');
  assert.equal(done.data.status_code, emulator.ledger.agws.payments[ref].status);

  const balance = await callChecked('agws', 'balance', {}, { unwrap: agws });
  assert.notEqual(String(balance.balance), String(before));

  const receipt = await callChecked('agws', 'fiscalReceipt', { provider_order_id: ref, provider_code: 'code', provider_service_code: '201106' }, { unwrap: agws });
  assert.equal(receipt.fiscal_number, emulator.ledger.agws.payments[ref].fiscal_number);

  const otp = `otp-${Date.now()}`;
  await callChecked('agws', 'cashIn', { username: '989898', amount: 10, service_code: '201106', external_id: otp }, { unwrap: agws });
  await callChecked('agws', 'confirmInvoice', { external_id: otp, confirm_code: '1234' }, { unwrap: agws });
  assert.equal(emulator.ledger.agws.payments[otp].confirmations, 1);

  const link = await callChecked('agws', 'paymentLink', { amount: 500, service: '201106', refer_host: 'shop.example.kz', username: '989898' }, { unwrap: agws });
  assert.match(link.redirect_url, /\/agws\/pay-link\//);

  await callChecked('agws', 'upperCommission', { amount: '1000', service_code: '201106' }, { unwrap: agws });
  await callChecked('agws', 'serviceInfo', { service_code: '201106', service_group: 'parking' }, { unwrap: agws });
  await callChecked('agws', 'userInfo', { service_code: '201106', service_group: 'parking' }, { unwrap: agws });
});

test('AGWS: a wrong secret gets 1014 from the emulator and KassaError kind signature', async () => {
  const wrong = new TarlanAgws({ baseUrl: emulator.baseUrls.agws, secret: 'not-the-secret', agent: 'tarlan', project: 'mobile' });
  await rejects(wrong.check({ username: '989898', service_code: '201106' }), { kind: 'signature', code: 1014, httpStatus: 400, provider: 'agws' });
});

// ---------------------------------------------------------------------------------------------
// Tarlan acquiring

test('acquiring: every operation over HTTP equals what the emulator answered', async () => {
  const acquiring = (body) => body.result;
  const page = (body) => ({ url: body.result });
  const ref = `acq-${Date.now()}`;
  const form = (suffix, extra = {}) => ({
    amount: '1500.50', description: `Order ${suffix}`, project_reference_id: `${ref}-${suffix}`,
    success_redirect_url: 'https://shop.example.kz/ok', project_client_id: 'user-7', ...extra,
  });

  // Hosted-form pay-in: the URL carries the transaction id and the bcrypt hash with its "$".
  const payIn = await callChecked('acquiring', 'payIn', form('in', { additional_data: { cart: 42 } }), { unwrap: page });
  const tx = emulator.ledger.acquiring.transactions[payIn.transaction_id];
  assert.ok(tx, 'the emulator holds the transaction named in the URL');
  assert.equal(payIn.hash, tx.hash);
  assert.match(payIn.hash, /\$/);
  await emulator.pay(payIn.transaction_id); // the customer presses Pay on the hosted page; the card is saved

  const status = await callChecked('acquiring', 'status', { project_reference_id: `${ref}-in`, type: 'in' }, { unwrap: acquiring });
  assert.equal(status.outcome, 'success');

  const cards = await callChecked('acquiring', 'cards', { project_client_id: 'user-7' }, { unwrap: acquiring });
  const cardList = Array.isArray(cards) ? cards : cards.cards;
  assert.ok(cardList.length >= 1);
  const cardToken = cardList[0].card_token;

  for (const op of ['payOut', 'applePay', 'googlePay']) await callChecked('acquiring', op, form(op), { unwrap: page });
  await callChecked('acquiring', 'cardLink', {
    project_client_id: 'user-7', success_redirect_url: 'https://shop.example.kz/ok', description: 'Save a card',
  }, { unwrap: page });

  const oneClick = await callChecked('acquiring', 'oneClickPayIn', {
    amount: 990, card_token: cardToken, project_client_id: 'user-7', project_reference_id: `${ref}-oc`, description: 'Subscription',
  }, { unwrap: acquiring });
  assert.equal(oneClick.outcome, 'success');

  await callChecked('acquiring', 'payOutDirect', {
    amount: 100, card_token: cardToken, project_client_id: 'user-7', project_reference_id: `${ref}-po`, description: 'Winnings',
  }, { unwrap: acquiring });
  await callChecked('acquiring', 'payOutByPhone', {
    amount: 100, phone_number: '+77011234567', project_reference_id: `${ref}-pp`, description: 'Cashback',
  }, { unwrap: acquiring });

  const refund = await callChecked('acquiring', 'refund', { transaction_id: payIn.transaction_id, amount: 500 }, { unwrap: acquiring });
  assert.equal(emulator.ledger.acquiring.refunds.at(-1).transaction_id, Number(payIn.transaction_id));
  assert.ok(refund);

  // Two-stage: an authorized pay-in, then charge.
  const twoStage = await callChecked('acquiring', 'payIn', form('2s', { additional_data: { two_stage: true } }), { unwrap: page });
  await emulator.pay(twoStage.transaction_id);
  await callChecked('acquiring', 'charge', { transaction_id: Number(twoStage.transaction_id), amount: 1000 }, { unwrap: acquiring });
  assert.equal(emulator.ledger.acquiring.transactions[twoStage.transaction_id].status, 'success');

  await callChecked('acquiring', 'upperFee', { transaction_amount: 1000, transaction_type_code: 'in' }, { unwrap: acquiring });
  await callChecked('acquiring', 'deleteCard', { card_token: cardToken }, { unwrap: acquiring });
  assert.equal((emulator.ledger.acquiring.cards['user-7'] ?? []).some((c) => c.card_token === cardToken), false);
});

test('acquiring: a wrong secret is refused (5406) and becomes KassaError kind signature', async () => {
  const { acquiring } = emulator.credentials;
  const { TarlanAcquiring } = await import('kassa');
  const wrong = new TarlanAcquiring({ baseUrl: emulator.baseUrls.acquiring, secret: 'wrong', merchantId: acquiring.merchantId, projectId: acquiring.projectId });
  await rejects(wrong.status({ project_reference_id: 'x', type: 'in' }), { kind: 'signature', code: 5406, provider: 'acquiring' });
});

// ---------------------------------------------------------------------------------------------
// Assist

const assistRoot = (body) => {
  // JSON answers are bare or under a root named after the service.
  const root = body.fiscalreceipt ?? body.fiscalize ?? body.result ?? body;
  return Array.isArray(root) ? root[0] : Array.isArray(root.receipts) ? root.receipts[0] : root;
};

test('Assist: fiscalize and fiscalReceipt over HTTP (JSON and SOAP) equal what the emulator answered', async () => {
  const paymentId = `asst-${Date.now()}`;
  const fiscalized = await callChecked('assist', 'fiscalize', {
    Payment_ID: paymentId, Type: 'sell', Email: 'buyer@example.kz',
    ChequeItems: [{ id: 1, name: 'Tea', price: '1500.50', quantity: 2, tax: 'vat12' }, { id: 2, product: 'Cup', price: '99.99', quantity: 3, tax: 'vat12' }],
  }, { unwrap: assistRoot, compare: { caseless: true } });
  const recorded = emulator.ledger.assist.byPaymentId[paymentId];
  assert.ok(recorded && recorded.length === 1, 'the emulator recorded one receipt for the payment');
  assert.equal(String(fiscalized.fiscalreceipt_ID ?? fiscalized.fiscalreceipt_id), String(recorded[0]));

  let receipt = await callChecked('assist', 'fiscalReceipt', { Payment_ID: paymentId }, { unwrap: assistRoot, compare: { caseless: true, ignore: ['chequeItems', 'chequeitems', 'status'] } });
  for (let i = 0; i < 5 && receipt.outcome === 'pending'; i += 1) receipt = await clients.assist.fiscalReceipt({ Payment_ID: paymentId });
  assert.equal(receipt.outcome, 'success');
  assert.equal(receipt.total, '3300.97');
  assert.deepEqual(receipt.items.map((i) => Number(i.amount)), [3001, 299.97]);

  const { AssistFiscal } = await import('kassa');
  const { assist } = emulator.credentials;
  const soap = new AssistFiscal({ baseUrl: emulator.baseUrls.assist, ...assist, format: 'soap' });
  const viaSoap = await soap.fiscalReceipt({ Payment_ID: paymentId });
  assert.equal(viaSoap.outcome, 'success');
  assert.equal(viaSoap.total, receipt.total);
});

test('Assist: wrong password is a provider error that never echoes the password', async () => {
  const { AssistFiscal } = await import('kassa');
  const { assist } = emulator.credentials;
  const wrong = new AssistFiscal({ baseUrl: emulator.baseUrls.assist, merchantId: assist.merchantId, login: assist.login, password: 'hunter2-wrong' });
  const error = await rejects(wrong.fiscalReceipt({ Payment_ID: 'x' }), { kind: 'provider', provider: 'assist' });
  assert.ok(!JSON.stringify(error).includes('hunter2-wrong') && !error.message.includes('hunter2-wrong'));
});

// ---------------------------------------------------------------------------------------------
// FiscalBox (device) and its billing API

const fbData = (body) => (body.result && typeof body.result === 'object' && 'is_success' in body.result ? body.result.data : body.data);
const coffee = (price) => ({
  name: 'Coffee', amount: 1000, unit_name: 'dona', price, product_price: price, vat: Math.round((price * 12) / 112), vat_percent: 12,
  class_code: '02710001005000000', package_code: '1282556', owner_type: 1,
});

test('FiscalBox: every operation over HTTP equals what the emulator answered', async () => {
  const fb = (op, params, extra = {}) => callChecked('fiscalbox', op, params, { unwrap: fbData, ...extra });
  await fb('shiftOpen', {});
  await fb('deviceInfo', {});

  // A sale paid with each QR wallet: payment → receipt → confirmation with the Soliq link.
  const wallets = [['click', 'clickConfirm', 64], ['payme', 'paymeConfirm', 141], ['uzum', 'uzumConfirm', 161], ['anor', 'anorConfirm', 187]];
  for (const [wallet, confirm, providerCode] of wallets) {
    const payment = await fb(wallet, { amount: 5_000_000, qr_code: `${wallet}-${Date.now()}` });
    const receipt = await fb('orderCreate', {
      receipt_type: 'order', cashier: 'Admin', uuid: crypto.randomUUID(), products: [coffee(5_000_000)],
      received_cash: 0, change: 0, received_card: 5_000_000,
      extra_info: {
        phone_number: payment.client_phone_number ?? payment.phone_number,
        qr_payment_id: String(payment.payment_id ?? payment.transaction_id), qr_payment_provider: providerCode,
      },
    });
    assert.match(receipt.qr_url, /^https:\/\/ofd\.soliq\.uz\/check\?t=/);
    assert.equal(emulator.ledger.fiscalbox.orders.at(-1).qr_url, receipt.qr_url);
    const reference = wallet === 'anor' ? { transaction_id: payment.transaction_id } : { payment_id: payment.payment_id };
    const confirmed = await fb(confirm, { ...reference, qr_code: receipt.qr_url });
    assert.equal(confirmed.outcome, 'success', `${confirm}: ${JSON.stringify(confirmed)}`);
  }

  const cash = await fb('orderCreate', {
    receipt_type: 'order', cashier: 'Admin', products: [coffee(1_000_000)], received_cash: 1_000_000, change: 0, received_card: 0,
  });
  const last = await fb('orderLast', {});
  assert.equal(last.qr_url, cash.qr_url);
  await fb('orderRefuse', {
    number: cash.receipt_count, qr_code: cash.qr_url, cashier: 'Admin', products: [coffee(1_000_000)],
    received_cash: 1_000_000, change: 0, received_card: 0,
  });
  await fb('orderPrint', {});

  // Pin-pads: a payment, its return by RRN, reports, reconciliation and reprints.
  for (const kind of ['humo', 'uzcard']) {
    const paid = await fb(kind, { amount: 100_000 });
    const rrn = paid.ppt_id ?? paid.rrn ?? paid.request_id;
    assert.ok(rrn, `${kind}: the slip names its RRN (${JSON.stringify(paid)})`);
    await fb(kind, { amount: 100_000, request_id: String(rrn), is_return: true });
    await fb(`${kind}PrintLast`, {});
    await fb(`${kind}ShortReport`, {});
    await fb(`${kind}Close`, {});
    await fb(`${kind}ClosePrintLast`, {});
  }

  // Scan2pay: a link, then its status (pending answers first).
  const orderId = `s2p-${Date.now()}`;
  await fb('scan2pay', { amount: 1_500_000, order_id: orderId });
  let paid = null;
  for (let i = 0; i < 5 && !paid; i += 1) {
    paid = await fb('scan2payStatus', { order_id: orderId }).catch((error) => {
      if (error instanceof KassaError && error.code === 105) return null;
      throw error;
    });
  }
  assert.ok(paid, 'Scan2pay reported the payment');

  // UzQR: create, status until paid, fiscal receipt link, refund and its status; cancel another.
  const invoice = await fb('uzqrCreate', { external_id: `uzqr${Date.now()}`, amount: '15000.00' });
  let state = await fb('uzqrStatus', { invoice_id: invoice.invoice_id });
  for (let i = 0; i < 5 && state.outcome !== 'success'; i += 1) state = await fb('uzqrStatus', { invoice_id: invoice.invoice_id });
  assert.equal(state.outcome, 'success');
  await fb('uzqrReceipt', { pay_id: state.pay_id, fiscal_receipt_url: cash.qr_url });
  const refund = await fb('uzqrRefund', { pay_id: state.pay_id, amount: '5000.00' });
  await fb('uzqrRefundStatus', { refund_id: refund.refund_id });
  const other = await fb('uzqrCreate', { external_id: `uzqrc${Date.now()}`, amount: '100.00' });
  await fb('uzqrCancel', { invoice_id: other.invoice_id });

  await fb('markingValidate', { products: [{ productCode: '02710001005000000', packageCode: '1282556', amount: 1, kmIds: ['0104780069000130215Bs&GQl'] }] }, {
    unwrap: (body) => body,
  });
  await fb('printBanner', { banners: [{ type: 'text', data: 'Thank you!' }, { type: 'qr_code', data: 'https://shop.example.uz' }] });
  await fb('openCashDrawer', {});
  await fb('xReport', {});
  const info = await fb('shiftInfo', {});
  assert.ok(info);
  await fb('shiftClose', {});
  await fb('shiftOpen', {});
  await fb('shiftClosePrinted', {});
  assert.equal(emulator.ledger.fiscalbox.shift, null);
});

test('FiscalBox billing: token login and order count', async () => {
  const login = await callChecked('fiscalboxBilling', 'login', {});
  assert.ok(login.token);
  const { FiscalBoxBilling } = await import('kassa');
  const billing = new FiscalBoxBilling({ baseUrl: emulator.baseUrls.fiscalboxBilling, token: login.token, inn: emulator.credentials.fiscalboxBilling.inn });
  const mark = emulator.ledger.requests.length;
  const count = await billing.ordersCount({ start_date: '2025-05-05T00:00:00', end_date: '2030-05-05T23:59:59' });
  assertCarries(count, JSON.parse(lastRecorded(emulator, 'fiscalboxBilling', 'ordersCount', mark).responseBody), { path: 'ordersCount' });
  called.get('fiscalboxBilling').add('ordersCount');
});

// ---------------------------------------------------------------------------------------------

test('every operation of every client was called', () => {
  for (const provider of ['agws', 'acquiring', 'assist', 'fiscalbox', 'fiscalboxBilling']) {
    const expected = clients[provider].operations();
    const seen = called.get(provider) ?? new Set();
    assert.deepEqual(expected.filter((op) => !seen.has(op)), [], `${provider}: operations never called over HTTP`);
  }
});

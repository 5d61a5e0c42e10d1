// The emulator, driven from the outside with raw fetch and signatures computed here with
// node:crypto (not with the kassa package, not with the emulator's own canonicalizer).
// Run: node --test tests/js/emulator.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CREDENTIALS, startEmulator } from '../../pkg/emulator/index.mjs';

const BIN = fileURLToPath(new URL('../../pkg/bin/kassa-emulator.mjs', import.meta.url));

// ---- the test's own Tarlan signer ------------------------------------------------------------

/** Go encoding/json output for the plain values these tests send (sorted keys, HTML-escaped). */
function goJson(value) {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${keys.map((k) => `${goJson(k)}:${goJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function sign(body, secret) {
  const signable = Object.fromEntries(Object.entries(body).filter(([k, v]) => v !== '' && k !== 'additional_data'));
  const b64 = Buffer.from(goJson(signable), 'utf8').toString('base64');
  return createHash('sha256').update(b64 + secret).digest('hex');
}

function verify(bodyText, secret, signature) {
  const expected = Buffer.from(sign(JSON.parse(bodyText), secret), 'hex');
  const given = Buffer.from(String(signature ?? ''), 'hex');
  return given.length === expected.length && timingSafeEqual(expected, given);
}

/** Tashkent wall clock "yyyy-MM-dd HH:mm:ss" (FiscalBox device time). */
function tashkentNow(offsetMs = 0) {
  return new Date(Date.now() + offsetMs + 5 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

const AGWS = DEFAULT_CREDENTIALS.agws;
const ACQ = DEFAULT_CREDENTIALS.acquiring;
const ASSIST = DEFAULT_CREDENTIALS.assist;

let emu;
let hook; // a merchant server that receives callbacks/webhooks
const received = [];
let uniq = 0;
const id = (prefix) => `${prefix}-${Date.now()}-${(uniq += 1)}`;

before(async () => {
  emu = await startEmulator({ port: 0, timing: { callbackBackoffMs: 20, callbackAttempts: 3, callbackTimeoutMs: 2000 } });
  hook = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      received.push({ method: req.method, path: req.url, headers: req.headers, body: text });
      res.writeHead(200, { 'content-type': 'application/json' });
      // confirm_url answers: /confirm-yes allows the payment, /confirm-no refuses it.
      if (req.url.startsWith('/confirm-')) res.end(JSON.stringify({ id: '1', status: 'new', message: 'm', is_payble: req.url.startsWith('/confirm-yes') }));
      else res.end('{"ok":true}');
    });
  });
  await new Promise((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${hook.address().port}`;
});

after(async () => {
  await emu?.close();
  hook?.closeAllConnections();
  await new Promise((resolve) => hook.close(resolve));
});

// ---- request helpers ---------------------------------------------------------------------

async function agwsPost(path, body, { signature } = {}) {
  const text = JSON.stringify(body);
  const res = await fetch(`${emu.baseUrls.agws}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': signature ?? sign(body, AGWS.secret) },
    body: text,
  });
  return { status: res.status, json: await res.json() };
}

async function acqRequest(method, path, body) {
  const init = { method, headers: { 'content-type': 'application/json' } };
  let url = `${emu.baseUrls.acquiring}${path}`;
  if (method === 'GET') {
    url += `?${new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)]))}`;
  } else {
    init.body = JSON.stringify(body);
  }
  init.headers.authorization = `Bearer ${sign(body, ACQ.secret)}`;
  const res = await fetch(url, init);
  return { status: res.status, json: await res.json() };
}

async function assistPost(service, fields) {
  const res = await fetch(`${emu.baseUrls.assist}/fiscal/${service}.cfm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Merchant_ID: ASSIST.merchantId, Login: ASSIST.login, Password: ASSIST.password, ...fields }).toString(),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function fbox(method, path, body) {
  const res = await fetch(`${emu.baseUrls.fiscalbox}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(res.status, 200, `FiscalBox answers HTTP 200 even on errors (${path})`);
  return res.json();
}

function cashInBody(overrides = {}) {
  return {
    username: '989898', amount: 100, agent: AGWS.agent, project: AGWS.project, service_code: '201106',
    external_id: id('ext'), datetime: '2022-12-01T15:45:00Z', ...overrides,
  };
}

async function waitFor(predicate, what, ms = 3000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = predicate();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

// ---- tests --------------------------------------------------------------------------------

test('the test signer reproduces the documented AGWS signature (spec §4.4)', () => {
  const body = { username: '989898', amount: 100, agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001', datetime: '2022-12-01T15:45:00Z' };
  assert.equal(sign(body, '12345'), '9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2');
});

describe('Tarlan AGWS', () => {
  test('check, cash-in (pending first), status polling, callback, balance, fiscal receipt', async () => {
    const check = await agwsPost('/showcase-gateway/api/v1/user/check', { username: '989898', agent: AGWS.agent, project: AGWS.project, service_code: '201106' });
    assert.equal(check.status, 200);
    assert.equal(check.json.status, true);
    assert.equal(check.json.result.account_status, 1);

    const before = (await agwsPost('/showcase-gateway/api/v1/showcase/balance', { agent: AGWS.agent })).json.result.balance;
    const body = cashInBody({ amount: 10.42, callback_url: `${hook.url}/agws-callback` });
    const cashIn = await agwsPost('/showcase-gateway/api/v1/action/cash-in', body);
    assert.equal(cashIn.status, 200);
    assert.equal(cashIn.json.result.error_code, 0);
    assert.equal(cashIn.json.result.data.status_code, '7', 'cash-in answers "in progress" first');

    const statusBody = { agent: AGWS.agent, project: AGWS.project, service_code: '201106', external_id: body.external_id };
    const first = await agwsPost('/showcase-gateway/api/v1/action/status', statusBody);
    assert.equal(first.json.result.data.status_code, '7', 'first poll still pending');
    const second = await agwsPost('/showcase-gateway/api/v1/action/status', statusBody);
    assert.equal(second.json.result.data.status_code, '2');
    assert.equal(second.json.result.data.amount, 10.42);

    const callback = await waitFor(() => received.find((r) => r.path === '/agws-callback' && JSON.parse(r.body).external_id === body.external_id), 'the AGWS callback');
    assert.ok(verify(callback.body, AGWS.secret, callback.headers['x-signature']), 'callback X-Signature verifies');
    assert.equal(JSON.parse(callback.body).status_code, '2');

    const afterBalance = (await agwsPost('/showcase-gateway/api/v1/showcase/balance', { agent: AGWS.agent })).json.result.balance;
    assert.equal(Math.round((before - afterBalance) * 100), 1042, 'balance drops by exactly 10.42');

    // GET fiscal receipt, signed over the query as strings; and the `{}` reading.
    const query = { provider_order_id: body.external_id, provider_code: 'tarlan', provider_service_code: '201106' };
    const url = `${emu.baseUrls.agws}/fiscalization/api/v1/payment/fiscalization/order?${new URLSearchParams(query)}`;
    for (const signature of [sign(query, AGWS.secret), sign({}, AGWS.secret)]) {
      const res = await fetch(url, { headers: { 'x-signature': signature } });
      const json = await res.json();
      assert.equal(res.status, 200);
      assert.match(json.result.fiscal_number, /^\d{12}$/);
      assert.ok(json.result.fiscal_check_url.startsWith(emu.url));
    }
    const bad = await fetch(url, { headers: { 'x-signature': sign({ ...query, provider_code: 'x' }, AGWS.secret) } });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).status_code, 1014);

    const payment = emu.ledger.agws.payments[body.external_id];
    assert.deepEqual(payment.history.map((h) => h.status), ['7', '2']);
    assert.equal(payment.performed, 1);
  });

  test('receipt is refused before the payment succeeded', async () => {
    const body = cashInBody();
    await agwsPost('/showcase-gateway/api/v1/action/cash-in', body);
    const query = { provider_order_id: body.external_id, provider_code: 'tarlan', provider_service_code: '201106' };
    const res = await fetch(`${emu.baseUrls.agws}/fiscalization/api/v1/payment/fiscalization/order?${new URLSearchParams(query)}`, { headers: { 'x-signature': sign(query, AGWS.secret) } });
    assert.equal((await res.json()).result.error_code, 1041);
  });

  test('confirm invoice, payment link, upper commission, info GETs', async () => {
    const body = cashInBody();
    await agwsPost('/showcase-gateway/api/v1/action/cash-in', body);
    const confirm = await agwsPost('/showcase-gateway/api/v1/action/confirm/invoice', { agent: AGWS.agent, external_id: body.external_id, confirm_code: '1234' });
    assert.equal(confirm.json.result.is_success, true);

    const link = await agwsPost('/showcase-gateway/api/v1/action/link', { agent: AGWS.agent, amount: 500, service: 'kaspi', refer_host: 'shop.kz', username: '87011234567' });
    assert.equal(link.json.result.code, 0);
    assert.equal((await fetch(link.json.result.redirect_url)).status, 200);

    const upper = await agwsPost('/showcase-gateway/api/v1/calculate/upper/commission', { agent: AGWS.agent, amount: 1000 });
    assert.equal(upper.json.result.amount_with_commission, upper.json.result.amount + upper.json.result.commission);

    for (const kind of ['service', 'user']) {
      const query = { service_code: 'parking', project: AGWS.project, agent: AGWS.agent };
      const res = await fetch(`${emu.baseUrls.agws}/showcase-gateway/api/v1/info/${kind}/parking?${new URLSearchParams(query)}`, { headers: { 'x-signature': sign(query, AGWS.secret) } });
      assert.equal(res.status, 200);
      assert.ok(Array.isArray((await res.json()).result.data));
    }
  });

  test('a bad signature is answered 1014 exactly like the provider, nothing recorded', async () => {
    const body = cashInBody();
    const res = await agwsPost('/showcase-gateway/api/v1/action/cash-in', body, { signature: sign({ ...body, amount: 101 }, AGWS.secret) });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { status: false, status_code: 1014, message: 'Invalid signature', result: {} });
    assert.equal(emu.ledger.agws.payments[body.external_id], undefined);
  });

  test('a repeated external_id is answered 1042 and not paid twice', async () => {
    const body = cashInBody();
    await agwsPost('/showcase-gateway/api/v1/action/cash-in', body);
    const again = await agwsPost('/showcase-gateway/api/v1/action/cash-in', body);
    assert.equal(again.status, 200);
    assert.equal(again.json.status, true);
    assert.equal(again.json.result.error_code, 1042);
    assert.equal(again.json.result.message, 'duplicate external id');
    const payment = emu.ledger.agws.payments[body.external_id];
    assert.equal(payment.performed, 1);
    assert.equal(payment.duplicates, 1);
  });
});

describe('Tarlan acquiring', () => {
  test('pay-in: hosted page Pay button (real form POST) -> signed webhook -> status', async () => {
    const reference = id('order');
    const body = {
      amount: 2500.5, merchant_id: ACQ.merchantId, project_id: ACQ.projectId, project_reference_id: reference,
      success_redirect_url: 'https://shop.example/ok', failure_redirect_url: 'https://shop.example/fail',
      description: 'Order <1> & co', callback_url: `${hook.url}/acq-webhook`, project_client_id: 'client-1',
      additional_data: { note: 'not signed' },
    };
    const created = await acqRequest('POST', '/transaction/api/v1/transaction/primal/pay-in', body);
    assert.equal(created.status, 200);
    assert.equal(created.json.status, true);
    const pageUrl = created.json.result;
    assert.match(pageUrl, /\/acquiring\/pay\?hash=\$2a\$10\$.+&transaction_id=\d+$/);

    const page = await fetch(pageUrl);
    assert.equal(page.status, 200);
    const html = await page.text();
    const form = /<form method="POST" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
    assert.ok(form, 'the page has a POST form');
    const fields = new URLSearchParams();
    for (const [, name, value] of form[2].matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields.set(name, value.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    const button = /<button type="submit" name="([^"]+)" value="([^"]+)">Pay<\/button>/.exec(form[2]);
    fields.set(button[1], button[2]);
    const submitted = await fetch(new URL(form[1], pageUrl), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString(), redirect: 'manual',
    });
    assert.equal(submitted.status, 303);
    assert.equal(submitted.headers.get('location'), 'https://shop.example/ok');

    const hookCall = await waitFor(() => received.find((r) => r.path === '/acq-webhook' && JSON.parse(r.body).project_reference_id === reference), 'the webhook');
    const token = /^Bearer ([0-9a-f]{64})$/.exec(hookCall.headers.authorization)?.[1];
    assert.ok(verify(hookCall.body, ACQ.secret, token), 'webhook Bearer signature verifies');
    const webhook = JSON.parse(hookCall.body);
    assert.equal(webhook.status_code, 'success');
    assert.equal(webhook.amount, 2500.5);
    assert.match(webhook.card_token, /^[0-9a-f]{32}$/);

    const status = await acqRequest('GET', '/transaction/api/v1/system/transaction/status', { merchant_id: ACQ.merchantId, project_id: ACQ.projectId, project_reference_id: reference, type: 'in' });
    assert.equal(status.status, 200);
    assert.equal(status.json.result.transaction_status.code, 'success');

    const tx = emu.ledger.acquiring.transactions[webhook.transaction_id];
    assert.deepEqual(tx.history.map((h) => h.status), ['new', 'processed', 'success']);

    // Follow-ups on the paid transaction: saved card, one-click, refund.
    const cards = await acqRequest('GET', '/transaction/api/v1/system/client/cards', { merchant_id: ACQ.merchantId, project_id: ACQ.projectId, project_client_id: 'client-1' });
    assert.equal(cards.json.result[0].card_token, webhook.card_token);
    const oneClick = await acqRequest('POST', '/transaction/api/v1/system/one-click/pay-in', {
      amount: 10, card_token: webhook.card_token, description: 'again', merchant_id: ACQ.merchantId, project_id: ACQ.projectId, project_client_id: 'client-1', project_reference_id: id('oc'),
    });
    assert.equal(oneClick.json.result.transaction_status_code, 'success');
    const refund = await acqRequest('POST', '/refund/api/v1/system/refund/partial', { transaction_id: webhook.transaction_id, amount: 500.5 });
    assert.equal(refund.json.result.transaction_status_code, 'refund');
    const tooMuch = await acqRequest('POST', '/refund/api/v1/system/refund/partial', { transaction_id: webhook.transaction_id, amount: 2000.01 });
    assert.equal(tooMuch.json.status_code, 3010);
    const fee = await acqRequest('GET', '/commission/api/v1/system/project/upper/commission', { merchant_id: ACQ.merchantId, project_id: ACQ.projectId, transaction_type_code: 'in', transaction_amount: 1000 });
    assert.equal(fee.json.result.total_commission_amount, 20);
  });

  test('confirm_url is asked (signed GET) before paying; is_payble:false refuses', async () => {
    for (const answer of ['yes', 'no']) {
      const reference = id(`conf-${answer}`);
      const created = await acqRequest('POST', '/transaction/api/v1/transaction/primal/pay-in', {
        amount: 100, merchant_id: ACQ.merchantId, project_id: ACQ.projectId, project_reference_id: reference,
        success_redirect_url: 'https://shop.example/ok', description: 'x', confirm_url: `${hook.url}/confirm-${answer}`,
      });
      const tx = await emu.pay(new URL(created.json.result).searchParams.get('transaction_id'));
      assert.equal(tx.status, answer === 'yes' ? 'success' : 'failed');
      const ask = received.find((r) => r.method === 'GET' && r.path.includes(encodeURIComponent(reference)));
      const query = Object.fromEntries(new URL(ask.path, hook.url).searchParams);
      assert.deepEqual(query, { type: 'in', project_reference_id: reference });
      assert.equal(ask.headers.authorization, `Bearer ${sign(query, ACQ.secret)}`);
    }
  });

  test('programmatic pay (emu.pay and POST /__emulator/acquiring/pay)', async () => {
    for (const viaHttp of [false, true]) {
      const reference = id('prog');
      const created = await acqRequest('POST', '/transaction/api/v1/transaction/primal/pay-in', {
        amount: 100, merchant_id: ACQ.merchantId, project_id: ACQ.projectId, project_reference_id: reference,
        success_redirect_url: 'https://shop.example/ok', description: 'x',
      });
      const txId = Number(new URL(created.json.result).searchParams.get('transaction_id'));
      if (viaHttp) {
        const res = await fetch(`${emu.url}/__emulator/acquiring/pay`, { method: 'POST', body: JSON.stringify({ transaction_id: txId, decline: true }) });
        assert.equal((await res.json()).transaction.status, 'failed');
      } else {
        assert.equal((await emu.pay(txId)).status, 'success');
      }
    }
  });

  test('duplicate project_reference_id -> 5000; bad signature -> 5406 (the acquiring code for a wrong hash)', async () => {
    const body = { amount: 100, merchant_id: ACQ.merchantId, project_id: ACQ.projectId, project_reference_id: id('dup'), success_redirect_url: 'https://s/ok', description: 'd' };
    assert.equal((await acqRequest('POST', '/transaction/api/v1/transaction/primal/pay-in', body)).status, 200);
    const again = await acqRequest('POST', '/transaction/api/v1/transaction/primal/pay-in', body);
    assert.equal(again.status, 400);
    assert.deepEqual(again.json, { status: false, status_code: 5000, message: 'transaction already exists', result: {} });

    const res = await fetch(`${emu.baseUrls.acquiring}/transaction/api/v1/transaction/primal/pay-in`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sign(body, 'wrong')}` }, body: JSON.stringify({ ...body, project_reference_id: id('sig') }),
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).status_code, 5406);
    // A GET signed over `{}` is accepted (alternative reading).
    const q = { merchant_id: ACQ.merchantId, project_id: ACQ.projectId, project_reference_id: body.project_reference_id, type: 'in' };
    const get = await fetch(`${emu.baseUrls.acquiring}/transaction/api/v1/system/transaction/status?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`, { headers: { authorization: `Bearer ${sign({}, ACQ.secret)}` } });
    assert.equal(get.status, 200);
  });
});

describe('Assist', () => {
  test('fiscalize (form in, JSON out) then fiscalreceipt: New, then Success; SOAP when asked', async () => {
    const paymentId = id('pay');
    const items = { items: [{ id: 1, product: 'SKU-1', name: 'Товар', price: 100.5, quantity: 2, amount: 201, tax: 'vat12', fpmode: 1 }] };
    const made = await assistPost('fiscalize', { Payment_ID: paymentId, Type: 'sell', Email: 'buyer@example.com', ChequeItems: JSON.stringify(items) });
    assert.equal(made.status, 200);
    assert.match(made.type, /json/);
    const receiptId = JSON.parse(made.text).fiscalize.fiscalreceipt_id;
    assert.ok(Number.isInteger(receiptId));

    const first = JSON.parse((await assistPost('fiscalreceipt', { Payment_ID: paymentId })).text).fiscalreceipt;
    assert.equal(first.status, 'New');
    const second = JSON.parse((await assistPost('fiscalreceipt', { Fiscalreceipt_ID: String(receiptId) })).text).fiscalreceipt;
    assert.equal(second.status, 'Success');
    assert.equal(second.total, '201.00');

    const soap = await fetch(`${emu.baseUrls.assist}/fiscal/fiscalreceipt.cfm`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: 'http://www.paysecure.ru/ws/fiscalreceipt' },
      body: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ws="http://www.paysecure.ru/ws/"><soapenv:Header/><soapenv:Body><ws:fiscalreceipt><format>4</format><login>${ASSIST.login}</login><password>${ASSIST.password}</password><payment_id>${paymentId}</payment_id><merchant_id>${ASSIST.merchantId}</merchant_id></ws:fiscalreceipt></soapenv:Body></soapenv:Envelope>`,
    });
    const xml = await soap.text();
    assert.match(xml, /<ASS-NS:result><fiscalreceipt>.*<status>Success<\/status>.*<url>http:\/\/127\.0\.0\.1/s);

    const repeat = JSON.parse((await assistPost('fiscalize', { Payment_ID: paymentId, Type: 'sell', Email: 'buyer@example.com', ChequeItems: JSON.stringify(items) })).text);
    assert.ok(repeat.firstcode > 0, 'a repeated fiscalize is refused');
    assert.equal(emu.ledger.assist.duplicateAttempts, 1);

    const denied = JSON.parse((await assistPost('fiscalreceipt', { Payment_ID: paymentId, Password: 'nope' })).text);
    assert.equal(denied.firstcode, 5);
  });
});

describe('FiscalBox', () => {
  test('shift, Payme payment, receipt with a Soliq link, payme_confirm, refund, close', async () => {
    assert.equal((await fbox('GET', `/zreport/open/?time=${encodeURIComponent(tashkentNow())}`)).is_success, true);
    const again = await fbox('GET', `/zreport/open/?time=${encodeURIComponent(tashkentNow())}`);
    assert.deepEqual(again.error, { code: 9327, message: 'ZREPORT_ALREADY_OPEN', data: null });

    const pay = await fbox('POST', '/payment/payme', { amount: 50000, qr_code: id('50502044301381396427') });
    assert.equal(pay.is_success, true);
    assert.match(pay.data.payment_id, /^[0-9a-f]{24}$/);

    const order = {
      number: 1, receipt_type: 'order', uuid: id('uuid'), time: tashkentNow(), cashier: 'Admin',
      products: [{ name: 'Чай', barcode: '4780000000007', amount: 1000, unit_name: 'dona', price: 50000, product_price: 50000, vat: 5357, vat_percent: 12, discount: 0, other: 0, class_code: '02710001005000000', package_code: '1282556', owner_type: 1 }],
      received_cash: 0, change: 0, received_card: 50000, card_type: 2,
      extra_info: { phone_number: pay.data.client_phone_number, qr_payment_id: pay.data.payment_id, qr_payment_provider: 141 },
    };
    const created = await fbox('POST', '/order/create', order); // without the trailing slash
    assert.equal(created.is_success, true);
    const d = created.data;
    assert.match(d.terminal_id, /^[A-Z]{2}\d{12}$/);
    assert.match(d.fiscal_sign, /^\d{12}$/);
    assert.match(d.date_time, /^\d{14}$/);
    assert.equal(d.qr_url, `https://ofd.soliq.uz/check?t=${d.terminal_id}&r=${d.receipt_count}&c=${d.date_time}&s=${d.fiscal_sign}`);

    const confirm = await fbox('POST', '/payment/payme_confirm', { payment_id: pay.data.payment_id, qr_code: d.qr_url });
    assert.equal(confirm.is_success, true);
    const blank = await fbox('POST', '/payment/payme_confirm', { payment_id: '', qr_code: d.qr_url });
    assert.deepEqual(blank.error, { code: 7, message: '{"payment_id":["This field may not be blank."]}', data: null });

    const last = await fbox('GET', '/order/last/');
    assert.equal(last.result.data.result.QRCodeURL, d.qr_url);

    const unbalanced = await fbox('POST', '/order/create/', { ...order, time: tashkentNow(), received_card: 40000 });
    assert.equal(unbalanced.error.code, 65531);

    const refund = await fbox('POST', '/order/refuse/', { ...order, time: tashkentNow(), qr_code: d.qr_url, received_card: 0, received_cash: 50000 });
    assert.equal(refund.is_success, true);
    const refundAgain = await fbox('POST', '/order/refuse/', { ...order, time: tashkentNow(), qr_code: d.qr_url, received_card: 0, received_cash: 50000 });
    assert.equal(refundAgain.error.code, 36913);

    const info = await fbox('GET', '/zreport/info/');
    assert.equal(info.result.data.shift_opened, true);
    assert.equal(info.result.data.total_sale_card, 50000);
    assert.equal(info.result.data.total_refund_cash, 50000);
    const closed = await fbox('GET', `/zreport/close/?time=${encodeURIComponent(tashkentNow())}`);
    assert.equal(closed.result.is_success, true);
    assert.equal(closed.result.data.total_sale_count, 1);
    const closedAgain = await fbox('GET', `/zreport/close/?time=${encodeURIComponent(tashkentNow())}`);
    assert.equal(closedAgain.error.code, 9326);
    const noShift = await fbox('POST', '/order/create/', { ...order, time: tashkentNow() });
    assert.equal(noShift.error.code, 36909);

    const ledger = emu.ledger.fiscalbox;
    const sale = ledger.orders.find((o) => o.qr_url === d.qr_url);
    assert.equal(sale.qr_payment.provider, 'payme');
    assert.deepEqual(ledger.payments[`payme:${pay.data.payment_id}`].receipts, [d.qr_url]);
    assert.equal(ledger.uuidCounts[order.uuid], 1);
    assert.equal(ledger.shifts.at(-1).totals.total_sale_card, 50000);
  });

  test('click / uzum / anor and their *_confirm; a QR code cannot pay twice', async () => {
    await fbox('GET', `/zreport/open/?time=${encodeURIComponent(tashkentNow())}`);
    for (const [provider, code] of [['click', 64], ['uzum', 161], ['anor', 187]]) {
      const qr = id('qr');
      const pay = await fbox('POST', `/payment/${provider}`, { amount: 1000, qr_code: qr });
      assert.equal(pay.is_success, true, provider);
      const dup = await fbox('POST', `/payment/${provider}`, { amount: 1000, qr_code: qr });
      assert.equal(dup.is_success, false);
      const paymentId = provider === 'anor' ? pay.data.transaction_id : pay.data.payment_id;
      const order = await fbox('POST', '/order/create/', {
        receipt_type: 'order', time: tashkentNow(), cashier: 'Admin', received_cash: 0, change: 0, received_card: 1000,
        products: [{ name: 'x', amount: 1000, unit_name: 'dona', price: 1000, product_price: 1000, class_code: '02710001005000000', package_code: '1282556', owner_type: 0 }],
        extra_info: { qr_payment_id: String(pay.data.payment_id), qr_payment_provider: code },
      });
      assert.equal(order.is_success, true);
      const idField = provider === 'anor' ? 'transaction_id' : 'payment_id';
      const confirm = await fbox('POST', `/payment/${provider}_confirm`, { [idField]: paymentId, qr_code: order.data.qr_url });
      assert.equal(confirm.is_success, true, `${provider}_confirm`);
      const unknown = await fbox('POST', `/payment/${provider}_confirm`, { [idField]: 'nope', qr_code: order.data.qr_url });
      assert.equal(unknown.is_success, false);
    }
    await fbox('GET', `/zreport/close/?time=${encodeURIComponent(tashkentNow())}`);
  });

  test('UzQR flow, Scan2pay, device info, banner, billing', async () => {
    const created = await fbox('POST', '/payment/one_qr/create', { external_id: id('EXT').replace(/[^A-Za-z0-9_-]/g, ''), amount: '100.00' });
    const invoice = created.data.invoice_id;
    assert.equal((await fbox('GET', `/payment/one_qr/status?invoice_id=${invoice}`)).data.status, 1);
    const paid = await fbox('GET', `/payment/one_qr/status?invoice_id=${invoice}`);
    assert.equal(paid.data.status, 2);
    assert.equal((await fbox('POST', '/payment/one_qr/refund', { pay_id: paid.data.pay_id, amount: '100.01' })).error.code, 2002);
    const refund = await fbox('POST', '/payment/one_qr/refund', { pay_id: paid.data.pay_id, amount: '40.50' });
    assert.equal(refund.data.status, 1);
    assert.equal((await fbox('POST', '/payment/one_qr/cancel', { invoice_id: invoice })).error.code, 3002);
    assert.equal((await fbox('GET', '/payment/one_qr/status?invoice_id=NOPE')).error.code, 3001);

    const s2p = await fbox('POST', '/payment/qr_pay', { amount: 500, order_id: 77777 });
    assert.match(s2p.data.message, /^http:\/\/scan2pay\.uz\/[0-9a-f-]{36}$/);
    assert.equal((await fbox('POST', '/payment/qr_pay/status', { order_id: '77777' })).error.code, 105);
    assert.equal((await fbox('POST', '/payment/qr_pay/status', { order_id: '77777' })).data.data.status, 'success');

    assert.match((await fbox('GET', '/info/')).data.current_time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal((await fbox('POST', '/print/banner', { banners: [{ type: 'text', data: 'hi', cut: true }] })).is_success, true);

    const login = await fetch(`${emu.baseUrls.fiscalboxBilling}/api/v1/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo', password: 'demo-pass' }) });
    const { token } = await login.json();
    const count = await fetch(`${emu.baseUrls.fiscalboxBilling}/api/v1/orders/count/?start_date=2000-01-01T00:00:00&end_date=2100-01-01T00:00:00`, { headers: { authorization: `Token ${token}` } });
    const countJson = await count.json();
    assert.equal(countJson.status, 'successfully');
    assert.ok(countJson.data.total_orders >= 1);
    const denied = await fetch(`${emu.baseUrls.fiscalboxBilling}/api/v1/orders/count/?start_date=2000-01-01T00:00:00&end_date=2100-01-01T00:00:00`, { headers: { authorization: 'Token nope' } });
    assert.equal(denied.status, 401);
  });
});

describe('fault injection', () => {
  beforeEach(() => emu.faults.clear());

  test('delay', async () => {
    emu.inject({ provider: 'agws', operation: 'balance', fault: 'delay', ms: 300 });
    const started = Date.now();
    const res = await agwsPost('/showcase-gateway/api/v1/showcase/balance', { agent: AGWS.agent });
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 250);
  });

  test('status500 and status502html answer without performing the operation', async () => {
    emu.inject({ provider: 'agws', operation: 'cashIn', fault: 'status500' });
    const a = cashInBody();
    const res500 = await agwsPost('/showcase-gateway/api/v1/action/cash-in', a);
    assert.equal(res500.status, 500);
    assert.equal(res500.json.status, false);
    assert.equal(emu.ledger.agws.payments[a.external_id], undefined);

    emu.inject({ provider: 'agws', operation: 'cashIn', fault: 'status502html' });
    const b = cashInBody();
    const res502 = await fetch(`${emu.baseUrls.agws}/showcase-gateway/api/v1/action/cash-in`, { method: 'POST', headers: { 'x-signature': sign(b, AGWS.secret) }, body: JSON.stringify(b) });
    assert.equal(res502.status, 502);
    assert.match(res502.headers.get('content-type'), /text\/html/);
    assert.match(await res502.text(), /<h1>502 Bad Gateway<\/h1>/);
    assert.equal(emu.ledger.agws.payments[b.external_id], undefined);
  });

  test('malformed: the operation ran, the body is broken JSON', async () => {
    emu.inject({ provider: 'agws', operation: 'cashIn', fault: 'malformed' });
    const body = cashInBody();
    const res = await fetch(`${emu.baseUrls.agws}/showcase-gateway/api/v1/action/cash-in`, { method: 'POST', headers: { 'x-signature': sign(body, AGWS.secret) }, body: JSON.stringify(body) });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.throws(() => JSON.parse(text));
    assert.equal(emu.ledger.agws.payments[body.external_id].performed, 1);
  });

  test('dropBefore: connection reset, nothing recorded', async () => {
    emu.inject({ provider: 'agws', operation: 'cashIn', fault: 'dropBefore' });
    const body = cashInBody();
    await assert.rejects(agwsPost('/showcase-gateway/api/v1/action/cash-in', body));
    assert.equal(emu.ledger.agws.payments[body.external_id], undefined);
  });

  test('dropAfter: connection reset after the payment was recorded; the retry gets 1042', async () => {
    emu.inject({ provider: 'agws', operation: 'cashIn', fault: 'dropAfter' });
    const body = cashInBody();
    await assert.rejects(agwsPost('/showcase-gateway/api/v1/action/cash-in', body));
    assert.equal(emu.ledger.agws.payments[body.external_id].performed, 1);
    const retry = await agwsPost('/showcase-gateway/api/v1/action/cash-in', body);
    assert.equal(retry.json.result.error_code, 1042);
  });

  test('slowBody: headers arrive, the body outlasts the client deadline', async () => {
    emu.inject({ provider: 'acquiring', operation: 'status', fault: 'slowBody', ms: 1500 });
    const q = { merchant_id: ACQ.merchantId, project_id: ACQ.projectId, project_reference_id: 'none', type: 'in' };
    const signal = AbortSignal.timeout(400);
    const started = Date.now();
    const res = await fetch(`${emu.baseUrls.acquiring}/transaction/api/v1/system/transaction/status?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`, {
      headers: { authorization: `Bearer ${sign(q, ACQ.secret)}` }, signal,
    });
    assert.ok(Date.now() - started < 400, 'headers come at once');
    await assert.rejects(res.text(), (error) => error.name === 'TimeoutError' || error.name === 'AbortError');
  });

  test('times, FiscalBox envelope on 500, and injection over HTTP', async () => {
    const res = await fetch(`${emu.url}/__emulator/inject`, { method: 'POST', body: JSON.stringify({ provider: 'fiscalbox', operation: 'deviceInfo', fault: 'status500', times: 2 }) });
    assert.equal(res.status, 200);
    for (let i = 0; i < 2; i += 1) {
      const r = await fetch(`${emu.baseUrls.fiscalbox}/info/`);
      assert.equal(r.status, 500);
      assert.equal((await r.json()).is_success, false);
    }
    assert.equal((await fetch(`${emu.baseUrls.fiscalbox}/info/`)).status, 200);
    emu.inject({ provider: 'fiscalbox', operation: '*', fault: 'status502html' });
    assert.equal((await fetch(`${emu.baseUrls.fiscalbox}/order/last/`)).status, 502, "'*' matches any operation");
    const badOp = await fetch(`${emu.url}/__emulator/inject`, { method: 'POST', body: JSON.stringify({ provider: 'agws', operation: 'cashOut', fault: 'delay' }) });
    assert.equal(badOp.status, 400);
    assert.match((await badOp.json()).error, /unknown agws operation "cashOut"/);
  });
});

describe('control API, CORS, bin', () => {
  test('ledger over HTTP and reset', async () => {
    const ledger = await (await fetch(`${emu.url}/__emulator/ledger`)).json();
    assert.ok(Object.keys(ledger.agws.payments).length > 0);
    assert.ok(Array.isArray(ledger.requests));
    assert.ok(ledger.requests.some((r) => r.provider === 'agws' && r.operation === 'cashIn'));
    assert.doesNotMatch(JSON.stringify(ledger), /acq-secret|demo-pass/, 'no secrets in the ledger');
  });

  test('CORS preflight allows signed requests from any origin', async () => {
    const res = await fetch(`${emu.baseUrls.agws}/showcase-gateway/api/v1/action/cash-in`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-signature, content-type, authorization' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const allowed = res.headers.get('access-control-allow-headers').toLowerCase();
    for (const h of ['x-signature', 'authorization', 'content-type']) assert.ok(allowed.includes(h), h);
    const real = await fetch(`${emu.url}/__emulator/ledger`, { headers: { origin: 'https://app.example' } });
    assert.equal(real.headers.get('access-control-allow-origin'), '*');
  });

  test('reset empties the ledger', async () => {
    const other = await startEmulator({ port: 0 });
    try {
      const body = cashInBody();
      await fetch(`${other.baseUrls.agws}/showcase-gateway/api/v1/action/cash-in`, { method: 'POST', headers: { 'x-signature': sign(body, AGWS.secret) }, body: JSON.stringify(body) });
      assert.ok(other.ledger.agws.payments[body.external_id]);
      await fetch(`${other.url}/__emulator/reset`, { method: 'POST' });
      assert.equal(other.ledger.agws.payments[body.external_id], undefined);
    } finally {
      await other.close();
    }
  });

  test('the bin starts and prints the base URLs', async () => {
    const child = spawn(process.execPath, [BIN, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 5000);
        child.stdout.on('data', (chunk) => {
          out += chunk;
          if (out.includes('control')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)[1];
      for (const prefix of ['/agws', '/acquiring', '/assist', '/fiscalbox', '/fiscalbox-billing']) assert.ok(out.includes(`${base}${prefix}`), prefix);
      const infoRes = await fetch(`${base}/__emulator`);
      assert.equal((await infoRes.json()).baseUrls.agws, `${base}/agws`);
    } finally {
      child.kill('SIGTERM');
    }
    const help = spawn(process.execPath, [BIN, '--help']);
    let text = '';
    help.stdout.on('data', (c) => (text += c));
    const code = await new Promise((resolve) => help.on('exit', resolve));
    assert.equal(code, 0);
    assert.match(text, /--port/);
  });
});

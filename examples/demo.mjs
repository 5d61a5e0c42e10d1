// The kassa demo: every provider end to end, over real HTTP, with the SDK — against the local
// emulator by default, or against a real sandbox when its credentials are in the environment
// (see `sandboxFromEnv`). Prints a transcript and exits 0 only if every step gave the expected
// result.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import {
  tarlanSign, canonicalJson, parseSoliqQr, toFiscalReceipt, KassaError,
  TarlanAgws, TarlanAcquiring, AssistFiscal, FiscalBox,
} from 'kassa';
import { startEmulator } from 'kassa/emulator';
import { PaymentJournal, sqliteStore } from 'kassa/journal';

// ---------------------------------------------------------------------------------------------
// The payment-journal scene runs two short-lived processes of this same file:
//   node demo.mjs --journal pay|reconcile <db file> <AGWS options JSON> <external_id>
// `pay` dies (SIGKILL) right after its cash-in reached AGWS, before it reads the answer.
// A short lease, so that the scene does not wait long for the dead process's claim to run out;
// the journal cuts each of its calls to half of it (the client keeps its default options).
const JOURNAL_LEASE_MS = 2000;
if (process.argv[2] === '--journal') {
  const [, , , mode, file, agwsOptions, externalId] = process.argv;
  const cashInPath = '/showcase-gateway/api/v1/action/cash-in';
  const dieAfterCashIn = async (url, init) => {
    const response = await fetch(url, init);
    if (mode === 'pay' && new URL(url).pathname.endsWith(cashInPath)) process.kill(process.pid, 'SIGKILL');
    return response;
  };
  const agws = new TarlanAgws({ ...JSON.parse(agwsOptions), fetch: dieAfterCashIn });
  const journal = new PaymentJournal({ store: sqliteStore(new Database(file)), clients: { agws }, leaseMs: JOURNAL_LEASE_MS });
  await journal.migrate();
  if (mode === 'pay') await journal.pay('agws', 'cashIn', { username: '989898', amount: '990.00', service_code: '201106', external_id: externalId });
  else console.log(JSON.stringify(await journal.reconcile()));
  process.exit(0);
}

let failures = 0;
const say = (text = '') => console.log(text);
const show = (label, value) => say(`    ${label.padEnd(14)} ${value}`);
function expect(label, actual, expected) {
  const ok = expected instanceof RegExp ? expected.test(String(actual)) : actual === expected;
  if (!ok) failures += 1;
  say(`  ${ok ? '✔' : '✘'} ${label}: ${actual}${ok ? '' : `   (expected ${expected})`}`);
  return ok;
}
async function step(title, run) {
  say(`\n▶ ${title}`);
  try {
    await run();
  } catch (error) {
    failures += 1;
    say(`  ✘ ${error instanceof KassaError ? `KassaError ${error.kind} ${error.code ?? ''}: ${error.message}` : `${error.stack}${error.cause ? `\n    cause: ${error.cause.stack ?? error.cause}` : ''}`}`);
  }
}
/** Prints the exact request an operation sends (the signature included), then sends it. */
async function send(client, operation, params, options) {
  const request = client.build(operation, params);
  say(`  → ${operation}: ${request.method} ${request.url}`);
  const signature = request.headers['X-Signature'] ?? request.headers.Authorization;
  if (signature) show(request.headers['X-Signature'] ? 'X-Signature' : 'Authorization', signature);
  if (request.body) show('body', request.body.length > 160 ? `${request.body.slice(0, 157)}...` : request.body);
  return client[operation](params, options);
}

// ---------------------------------------------------------------------------------------------
// Where to send: the emulator, or a real sandbox per provider when its variables are set.

function sandboxFromEnv(env) {
  const out = {};
  if (env.KASSA_AGWS_SECRET) {
    out.agws = { baseUrl: env.KASSA_AGWS_BASE_URL, secret: env.KASSA_AGWS_SECRET, agent: env.KASSA_AGWS_AGENT, project: env.KASSA_AGWS_PROJECT };
  }
  if (env.KASSA_ACQUIRING_SECRET) {
    out.acquiring = {
      environment: 'sandbox', secret: env.KASSA_ACQUIRING_SECRET,
      merchantId: Number(env.KASSA_ACQUIRING_MERCHANT_ID), projectId: Number(env.KASSA_ACQUIRING_PROJECT_ID),
    };
  }
  if (env.KASSA_ASSIST_PASSWORD) {
    out.assist = { baseUrl: env.KASSA_ASSIST_BASE_URL, merchantId: env.KASSA_ASSIST_MERCHANT_ID, login: env.KASSA_ASSIST_LOGIN, password: env.KASSA_ASSIST_PASSWORD };
  }
  // The wallet amount unit has no default (FiscalBox's docs conflict): ask FiscalBox, then set it.
  if (env.KASSA_FISCALBOX_BASE_URL) {
    out.fiscalbox = { baseUrl: env.KASSA_FISCALBOX_BASE_URL, walletAmountUnit: env.KASSA_FISCALBOX_WALLET_AMOUNT_UNIT };
  }
  return out;
}

const sandbox = sandboxFromEnv(process.env);
const emulator = await startEmulator({ timing: { pendingPolls: 1, assistNewLookups: 1, callbackBackoffMs: 50 } });
const creds = emulator.credentials;
const target = (name) => (sandbox[name] ? 'real sandbox (from environment)' : `emulator ${emulator.baseUrls[name]}`);
const options = {
  agws: sandbox.agws ?? { baseUrl: emulator.baseUrls.agws, ...creds.agws },
  acquiring: sandbox.acquiring ?? { baseUrl: emulator.baseUrls.acquiring, ...creds.acquiring },
  assist: sandbox.assist ?? { baseUrl: emulator.baseUrls.assist, ...creds.assist },
  fiscalbox: sandbox.fiscalbox ?? { baseUrl: emulator.baseUrls.fiscalbox, ...creds.fiscalbox }, // walletAmountUnit: 'tiyin'
};

// A local endpoint for the signed notifications (AGWS callbacks, acquiring webhooks).
const notifications = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    notifications.push({ path: req.url, headers: req.headers, body });
    // What the docs ask for: HTTP 200, no body documented (TarlanAcquiring.webhookAck() is the same).
    const ack = TarlanAgws.callbackAck();
    res.writeHead(ack.status, ack.headers).end(ack.body);
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}`;
const waitFor = async (predicate, ms = 5000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
    const found = notifications.find(predicate);
    if (found) return found;
  }
  return null;
};

say('kassa demo — signed requests, typed results, over real HTTP');
say(`emulator: ${emulator.url} (started on a free port); notifications received at ${receiverUrl}`);

// ---------------------------------------------------------------------------------------------

await step('Tarlan signatures: the three printed in the AGWS docs (secret "12345")', async () => {
  const documented = [
    ['check', { username: '989898', agent: 'tarlan', project: 'mobile', service_code: '201106' }, '227e9c6513a43f71f4cb6acb3c73f26f3ea90f7e36305afc6d37f9923f12d8c8'],
    ['cash-in', { username: '989898', amount: 100.0, agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001', datetime: '2022-12-01T15:45:00Z' }, '9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2'],
    ['status', { agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001' }, '0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91'],
  ];
  for (const [name, body, signature] of documented) {
    show('canonical', canonicalJson(body));
    expect(`${name} signature`, tarlanSign(body, '12345'), signature);
  }
});

let paidExternalId = null;
await step(`Tarlan AGWS (${target('agws')}): check → cash-in → status until success → fiscal receipt`, async () => {
  const agws = new TarlanAgws(options.agws);
  const account = await send(agws, 'check', { username: '989898', service_code: '201106' });
  expect('account can be topped up', account.account_status, 1);

  paidExternalId = `demo-${Date.now()}`;
  const cashIn = await send(agws, 'cashIn', {
    username: '989898', amount: '1500.50', service_code: '201106', external_id: paidExternalId, callback_url: `${receiverUrl}/agws/callback`,
  });
  expect('cash-in accepted, still pending', cashIn.outcome, 'pending');

  let status = cashIn;
  for (let poll = 1; status.outcome === 'pending' && poll <= 10; poll += 1) {
    status = await send(agws, 'status', { service_code: '201106', external_id: paidExternalId });
    show('status', `${status.data.status_code} ${status.data.status_message ?? ''} → outcome ${status.outcome}`);
  }
  expect('payment outcome', status.outcome, 'success');

  const receipt = await send(agws, 'fiscalReceipt', { provider_order_id: paidExternalId, provider_code: 'code', provider_service_code: '201106' });
  show('fiscal number', receipt.fiscal_number);
  expect('receipt link', receipt.fiscal_check_url, /^https?:\/\//);
  const model = toFiscalReceipt('agws', receipt);
  show('receipt model', JSON.stringify({ provider: model.provider, status: model.status, fiscal_sign: model.fiscal_sign }));

  if (!sandbox.agws) {
    const callback = await waitFor((n) => n.path === '/agws/callback' && n.body.includes(paidExternalId));
    const verified = callback && agws.verifyCallback(callback.body, callback.headers['x-signature']);
    expect('callback received and its X-Signature verified', verified?.outcome, 'success');
  }
});

await step(`Tarlan acquiring (${target('acquiring')}): hosted-form pay-in, the customer pays, verified webhook`, async () => {
  const acquiring = new TarlanAcquiring(options.acquiring);
  const reference = `order-${Date.now()}`;
  const page = await send(acquiring, 'payIn', {
    amount: '2500', description: 'Demo order', project_reference_id: reference, project_client_id: 'demo-user',
    success_redirect_url: 'https://shop.example.kz/ok', callback_url: `${receiverUrl}/acquiring/webhook`,
  });
  show('payment page', page.url);
  show('transaction_id', page.transaction_id);
  if (sandbox.acquiring) {
    say('    (real sandbox: open the page above to pay; the webhook goes to your callback_url)');
    return;
  }
  // What the customer's browser does: load the page, press Pay (a real form POST).
  const html = await (await fetch(page.url)).text();
  const action = new URL(/<form method="POST" action="([^"]+)"/.exec(html)[1], page.url);
  const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replaceAll('&#36;', '$')]));
  const paid = await fetch(action, { method: 'POST', body: new URLSearchParams({ ...fields, action: 'pay' }), redirect: 'manual' });
  expect('customer pressed Pay, redirected to the shop', paid.headers.get('location'), 'https://shop.example.kz/ok');

  const webhook = await waitFor((n) => n.path === '/acquiring/webhook' && n.body.includes(String(page.transaction_id)));
  const verified = webhook && acquiring.verifyWebhook(webhook.body, webhook.headers.authorization);
  show('webhook', webhook ? `Authorization: ${webhook.headers.authorization.slice(0, 30)}…` : 'not received');
  expect('webhook signature verified, outcome', verified?.outcome, 'success');
  const status = await send(acquiring, 'status', { project_reference_id: reference, type: 'in' });
  expect('status confirms', status.outcome, 'success');
});

await step(`Assist (${target('assist')}): fiscalize an external payment, then look its receipt up`, async () => {
  const assist = new AssistFiscal(options.assist);
  const paymentId = `ext-${Date.now()}`;
  const fiscalized = await send(assist, 'fiscalize', {
    Payment_ID: paymentId, Type: 'sell', Email: 'buyer@example.kz',
    ChequeItems: [{ id: 1, name: 'Coffee', price: '750.00', quantity: 2, tax: 'vat12' }], // amount computed and checked
  });
  show('receipt id', fiscalized.fiscalreceipt_ID ?? fiscalized.fiscalreceipt_id ?? JSON.stringify(fiscalized));
  let receipt = await send(assist, 'fiscalReceipt', { Payment_ID: paymentId });
  show('status', `${receipt.status} → outcome ${receipt.outcome}`);
  for (let i = 0; i < 5 && receipt.outcome === 'pending'; i += 1) {
    receipt = await send(assist, 'fiscalReceipt', { Payment_ID: paymentId });
    show('status', `${receipt.status} → outcome ${receipt.outcome}`);
  }
  expect('receipt status', receipt.outcome, 'success');
  const model = toFiscalReceipt('assist', receipt);
  show('receipt model', JSON.stringify({ status: model.status, total: model.total, items: model.items?.length, url: model.receipt_url }));
});

await step(`FiscalBox (${target('fiscalbox')}): shift open → Anor payment → sale receipt → anorConfirm → shift close`, async () => {
  const fiscalbox = new FiscalBox(options.fiscalbox);
  await send(fiscalbox, 'shiftOpen', {});
  const payment = await send(fiscalbox, 'anor', { amount: 1_500_000, qr_code: `anor-customer-${Date.now()}` });
  show('Anor', `transaction_id ${payment.transaction_id}, payment_id ${payment.payment_id}`);
  const price = 1_500_000; // tiyin: 15 000 UZS
  const receipt = await send(fiscalbox, 'orderCreate', {
    receipt_type: 'order', cashier: 'Demo', uuid: crypto.randomUUID(), received_cash: 0, change: 0, received_card: price,
    products: [{
      name: 'Coffee', amount: 1000, unit_name: 'dona', price, product_price: price, vat: 160_714, vat_percent: 12,
      class_code: '02710001005000000', package_code: '1282556', owner_type: 1,
    }],
    extra_info: { phone_number: payment.phone_number, qr_payment_id: String(payment.payment_id), qr_payment_provider: 187 },
  });
  show('Soliq link', receipt.qr_url);
  const link = parseSoliqQr(receipt.qr_url);
  show('link parts', `terminal ${link.t}, receipt ${link.r}, at ${link.datetime}, fiscal sign ${link.s}`);
  const confirmed = await send(fiscalbox, 'anorConfirm', { transaction_id: payment.transaction_id, qr_code: receipt.qr_url });
  expect('Anor confirmation', confirmed.outcome, 'success');
  const closed = await send(fiscalbox, 'shiftClose', {});
  expect('shift closed', typeof closed, 'object');
  const model = toFiscalReceipt('fiscalbox', receipt);
  show('receipt model', JSON.stringify({ status: model.status, fiscal_sign: model.fiscal_sign, receipt_url: model.receipt_url }));
});

await step('Payment journal (SQLite file): a process killed after sending, recovered by reconcile() in a new process', async () => {
  if (sandbox.agws) {
    say('    (emulator only: this scene kills a process in the middle of a payment)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kassa-demo-'));
  const file = join(dir, 'payments.db');
  const externalId = `demo-journal-${Date.now()}`;
  const self = fileURLToPath(import.meta.url);
  const agwsOptions = JSON.stringify({ baseUrl: emulator.baseUrls.agws, ...creds.agws });
  // Asynchronously: the emulator answering the child runs in this process.
  const child = (mode) => new Promise((resolve) => {
    execFile(process.execPath, [self, '--journal', mode, file, agwsOptions, externalId], { encoding: 'utf8', timeout: 30_000 }, (error, stdout) => {
      resolve({ signal: error?.signal ?? null, stdout });
    });
  });
  try {
    const paying = await child('pay');
    expect('process 1 recorded the cash-in, sent it, and died before reading the answer', paying.signal, 'SIGKILL');
    const db = new Database(file);
    const journal = new PaymentJournal({ store: sqliteStore(db), clients: { agws: new TarlanAgws(options.agws) }, leaseMs: JOURNAL_LEASE_MS });
    const left = await journal.get(`agws:cashIn:${externalId}`);
    show('journal', `${left.key}: ${left.state} (claimed until ${new Date(left.leaseUntil).toISOString()}), result ${JSON.stringify(left.result)}`);
    show('AGWS ledger', `external_id ${externalId} made ${emulator.ledger.agws.payments[externalId]?.performed ?? 0} time(s)`);
    await new Promise((resolve) => setTimeout(resolve, JOURNAL_LEASE_MS + 100)); // the dead process's lease runs out
    const reconciling = await child('reconcile');
    show('process 2', `reconcile() → ${reconciling.stdout.trim()}`);
    const recovered = await journal.get(`agws:cashIn:${externalId}`);
    show('journal', `${recovered.key}: ${recovered.state} after ${recovered.attempts} send(s), outcome ${recovered.outcome}`);
    expect('recovered through status, not sent again: AGWS made it', emulator.ledger.agws.payments[externalId]?.performed, 1);
    expect('the journal knows its outcome', ['success', 'pending'].includes(recovered.state) ? 'settled' : recovered.state, 'settled');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

await step('Safety: a wrong secret is refused by the provider (1014), a tampered callback by the receiver', async () => {
  const wrong = new TarlanAgws({ ...options.agws, secret: 'not-the-secret' });
  try {
    await wrong.check({ username: '989898', service_code: '201106' });
    expect('wrong secret refused', 'accepted', 'signature');
  } catch (error) {
    expect('wrong secret refused', `${error.kind} ${error.code}`, 'signature 1014');
  }
  const agws = new TarlanAgws(options.agws);
  const body = JSON.stringify({ external_id: paidExternalId ?? '200001', status_code: '2', amount: 1500.5 });
  const signature = tarlanSign(body, options.agws.secret);
  try {
    agws.verifyCallback(body.replace('1500.5', '150000'), signature);
    expect('tampered callback refused', 'accepted', 'signature');
  } catch (error) {
    expect('tampered callback refused', error.kind, 'signature');
  }
});

receiver.close();
await emulator.close();
say(failures === 0 ? '\nAll demo steps gave the expected results.' : `\n${failures} demo step(s) failed.`);
process.exit(failures === 0 ? 0 : 1);

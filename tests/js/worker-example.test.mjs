// examples/worker.mjs, bundled as wrangler bundles it, in the real Workers runtime (workerd via
// Miniflare): it pays through the emulator over real HTTP and verifies the emulator's signed
// notifications, which the emulator POSTs to the Worker's own port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startEmulator, DEFAULT_CREDENTIALS, tarlanSignature } from 'kassa/emulator';
import { startWorker } from './support/worker-bundle.mjs';

let emulator;
let worker;
let workerUrl;

before(async () => {
  emulator = await startEmulator({ timing: { pendingPolls: 1, callbackBackoffMs: 20 } });
  const { agws, acquiring } = DEFAULT_CREDENTIALS;
  worker = await startWorker(fileURLToPath(new URL('../../examples/worker.mjs', import.meta.url)), {
    host: '127.0.0.1',
    port: 0,
    bindings: {
      AGWS_URL: emulator.baseUrls.agws,
      AGWS_SECRET: agws.secret,
      AGWS_AGENT: agws.agent,
      AGWS_PROJECT: agws.project,
      ACQUIRING_URL: emulator.baseUrls.acquiring,
      ACQUIRING_SECRET: acquiring.secret,
      ACQUIRING_MERCHANT_ID: String(acquiring.merchantId),
      ACQUIRING_PROJECT_ID: String(acquiring.projectId),
    },
  });
  workerUrl = (await worker.ready).origin;
});

after(async () => {
  await worker?.dispose();
  await emulator?.close();
});

async function until(predicate, what, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = await predicate();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('the Worker pays through AGWS until final and verifies the signed callback', async () => {
  const order = { username: '989898', amount: 1500.5, service_code: '201106', external_id: `wk-${Date.now()}` };
  const response = await fetch(`${workerUrl}/pay`, { method: 'POST', body: JSON.stringify(order) });
  const result = await response.json();
  assert.equal(response.status, 200, JSON.stringify(result));
  assert.equal(result.payment.outcome, 'success');
  assert.equal(result.payment.data.external_id, order.external_id);

  const recorded = emulator.ledger.agws.payments[order.external_id];
  assert.ok(recorded, 'the emulator recorded the payment');
  assert.equal(recorded.status, '2');

  // The emulator POSTs the callback to the Worker, which verifies X-Signature and answers 200.
  const seen = await until(async () => {
    const list = await (await fetch(`${workerUrl}/notifications`)).json();
    return list.find((n) => n.provider === 'agws' && n.external_id === order.external_id);
  }, 'the AGWS callback');
  assert.equal(seen.outcome, 'success');
  assert.ok(seen.signed_set, 'a signed field set matched');
});

test('a tampered AGWS callback is refused by the Worker with kind signature', async () => {
  const body = JSON.stringify({ external_id: '200001', status_code: '2', amount: 100 });
  const signature = tarlanSignature(JSON.parse(body), DEFAULT_CREDENTIALS.agws.secret);
  const tampered = body.replace('"amount":100', '"amount":100000');
  const genuine = await fetch(`${workerUrl}/agws/callback`, { method: 'POST', body, headers: { 'X-Signature': signature } });
  assert.equal(genuine.status, 200);
  const refused = await fetch(`${workerUrl}/agws/callback`, { method: 'POST', body: tampered, headers: { 'X-Signature': signature } });
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).kind, 'signature');
});

test('the Worker verifies the acquiring webhook the emulator sends when the customer pays', async () => {
  const { TarlanAcquiring } = await import('kassa');
  const { acquiring } = DEFAULT_CREDENTIALS;
  const client = new TarlanAcquiring({ baseUrl: emulator.baseUrls.acquiring, ...acquiring });
  const page = await client.payIn({
    amount: 700, description: 'Worker order', project_reference_id: `wk-acq-${Date.now()}`,
    success_redirect_url: 'https://shop.example.kz/ok', callback_url: `${workerUrl}/acquiring/webhook`,
  });
  await emulator.pay(page.transaction_id);
  const seen = await until(async () => {
    const list = await (await fetch(`${workerUrl}/notifications`)).json();
    return list.find((n) => n.provider === 'acquiring' && String(n.transaction_id) === String(page.transaction_id));
  }, 'the acquiring webhook');
  assert.equal(seen.outcome, 'success');
  const delivery = emulator.ledger.acquiring.webhooks.find((w) => String(w.transaction_id) === String(page.transaction_id));
  assert.equal(delivery.status, 200, 'the Worker acknowledged the webhook');

  // The same body with a changed amount and the original signature is refused.
  const tampered = delivery.body.replace(/"amount":\s*700/, '"amount":70000');
  assert.notEqual(tampered, delivery.body);
  const refused = await fetch(`${workerUrl}/acquiring/webhook`, {
    method: 'POST', body: tampered, headers: { Authorization: `Bearer ${delivery.signature}` },
  });
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).kind, 'signature');
});

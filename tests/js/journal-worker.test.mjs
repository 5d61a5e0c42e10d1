// examples/worker-d1.mjs, bundled as wrangler bundles it, in the real Workers runtime (workerd
// via Miniflare) on Miniflare's real D1: two concurrent requests for the same payment give one
// send; the Cron Trigger's reconcile() settles it; the AGWS callback the emulator POSTs to the
// Worker settles another; a replay changes nothing and a forged one is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startEmulator, DEFAULT_CREDENTIALS } from 'kassa/emulator';
import { TarlanAgws } from 'kassa';
import { startWorker } from './support/worker-bundle.mjs';

let emulator;
let worker;
let workerUrl;

before(async () => {
  // A payment stays in progress for one status poll and finishes at the second.
  emulator = await startEmulator({ timing: { pendingPolls: 1, callbackBackoffMs: 20, callbackAttempts: 2 } });
  const { agws } = DEFAULT_CREDENTIALS;
  worker = await startWorker(fileURLToPath(new URL('../../examples/worker-d1.mjs', import.meta.url)), {
    host: '127.0.0.1',
    port: 0,
    d1Databases: ['DB'],
    bindings: { AGWS_URL: emulator.baseUrls.agws, AGWS_SECRET: agws.secret, AGWS_AGENT: agws.agent, AGWS_PROJECT: agws.project },
  });
  workerUrl = (await worker.ready).origin;
});

after(async () => {
  await worker?.dispose();
  await emulator?.close();
});

const order = (externalId) => ({ username: '989898', amount: '700.00', service_code: '201106', external_id: externalId });
const pay = (body) => fetch(`${workerUrl}/pay`, { method: 'POST', body: JSON.stringify(body) });
const record = async (key) => (await fetch(`${workerUrl}/payments?key=${encodeURIComponent(key)}`)).json();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate, what) {
  for (let i = 0; i < 200; i += 1) {
    const value = await predicate();
    if (value) return value;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('two concurrent Worker requests for the same payment on D1 give one send; the Cron reconcile settles it', async () => {
  const externalId = `wd1-${Date.now()}`;
  const mark = emulator.ledger.requests.length;
  const answers = await Promise.all([pay(order(externalId)), pay(order(externalId))]);
  const records = await Promise.all(answers.map(async (a) => {
    assert.equal(a.status, 200);
    return a.json();
  }));
  const sends = emulator.ledger.requests.slice(mark).filter((r) => r.operation === 'cashIn').length;
  console.log(`journal workerd test: 2 concurrent requests for one key on D1 → ${sends} send(s); states ${records.map((r) => r.state).join(', ')}`);
  assert.equal(sends, 1, 'one cash-in reached AGWS');
  assert.equal(emulator.ledger.agws.payments[externalId].performed, 1);
  for (const r of records) assert.ok(['pending', 'sending'].includes(r.state), r.state);

  // The Cron Trigger, every minute: reconcile() asks status — in progress at the first run,
  // success at the second.
  const cron = await worker.getWorker();
  const key = `agws:cashIn:${externalId}`;
  let version = (await record(key)).version;
  const afterRun = async (state) => {
    await cron.scheduled({ cron: '* * * * *' });
    const r = await until(async () => {
      const now = await record(key);
      return now.version > version && now.leaseUntil === null && now;
    }, `the record ${state} after a reconcile`);
    assert.equal(r.state, state);
    version = r.version;
    return r;
  };
  await afterRun('pending');
  const settled = await afterRun('success');
  assert.equal(settled.attempts, 1);
  assert.equal(emulator.ledger.requests.slice(mark).filter((r) => r.operation === 'cashIn').length, 1);
});

test('the AGWS callback the emulator POSTs to the Worker settles its record; a replay changes nothing; a forged one is refused', async () => {
  const externalId = `wd1cb-${Date.now()}`;
  const paid = await (await pay(order(externalId))).json();
  assert.equal(paid.state, 'pending');
  // The payment finishes at AGWS (two status polls from elsewhere); its callback goes to the Worker.
  const { agws } = DEFAULT_CREDENTIALS;
  const direct = new TarlanAgws({ baseUrl: emulator.baseUrls.agws, ...agws });
  await direct.status({ service_code: '201106', external_id: externalId });
  await direct.status({ service_code: '201106', external_id: externalId });
  const settled = await until(async () => {
    const r = await record(paid.key);
    return r.state === 'success' && r;
  }, 'the callback to settle the record');
  assert.equal(settled.result.external_id, externalId, 'the verified callback is the result');
  const delivery = await until(() => emulator.ledger.agws.callbacks.find((c) => c.external_id === externalId && c.status === 200), 'the acknowledged delivery');

  const replay = await fetch(`${workerUrl}/agws/callback`, { method: 'POST', body: delivery.body, headers: { 'X-Signature': delivery.signature } });
  assert.equal(replay.status, 200);
  assert.equal((await record(paid.key)).version, settled.version, 'a replay changes nothing');
  const forged = await fetch(`${workerUrl}/agws/callback`, {
    method: 'POST', body: delivery.body.replace('"status_code":"2"', '"status_code":"4"'), headers: { 'X-Signature': delivery.signature },
  });
  assert.equal(forged.status, 401);
  assert.equal((await forged.json()).kind, 'signature');
});

// The fetch transport of the built package over real HTTP on 127.0.0.1, against a scripted
// server (each test says what the "provider" answers): deadlines that cover the body,
// AbortSignal, a fetch given in the options, retries of reads, no re-send of money.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { TarlanAgws } from 'kassa';
import { rejects } from './support/rejects.mjs';

let server;
let base;
let script = [];
const received = [];

function ok(res, result) {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ status: true, status_code: 0, message: 'Success', result }));
}

const success = (externalId) => ({ error_code: 0, message: '', data: { status_code: '2', external_id: externalId }, additional_data: {} });

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      const next = script.shift() ?? ((r) => ok(r, success('none')));
      next(res, body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((resolve) => server.close(resolve)));

function client(extra = {}) {
  received.length = 0;
  return new TarlanAgws({ secret: '12345', agent: 'tarlan', project: 'mobile', baseUrl: base, ...extra });
}

test('a read is retried after a 502 page and the typed method equals call()', async () => {
  const agws = client();
  script = [
    (res) => { res.writeHead(502, { 'Content-Type': 'text/html' }); res.end('<html><body><h1>502 Bad Gateway</h1></body></html>'); },
    (res) => ok(res, success('200001')),
  ];
  const result = await agws.status({ service_code: '201106', external_id: '200001' });
  assert.equal(result.outcome, 'success');
  assert.equal(received.length, 2);
  assert.equal(received[0].headers['x-signature'], '0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91');
  assert.equal(received[0].body, received[1].body);
});

test('the deadline covers a body slower than timeoutMs (a money-moving call is not re-sent)', async () => {
  const agws = client();
  script = [(res) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.write('{"status":true,'); setTimeout(() => res.end('"result":{}}'), 1500); }];
  const started = Date.now();
  const error = await rejects(agws.confirmInvoice({ external_id: 'slow-1', confirm_code: '1' }, { timeoutMs: 300 }), { kind: 'unknown_outcome' });
  assert.ok(Date.now() - started < 1400, 'the body read was cut at the deadline');
  assert.deepEqual(error.reference, { external_id: 'slow-1' });
  assert.equal(received.length, 1);
});

test('a slow read times out per attempt and is retried up to maxRetries', async () => {
  const agws = client();
  const slow = (res) => { res.writeHead(200); res.write('{'); setTimeout(() => res.end('}'), 1000); };
  script = [slow, slow];
  await rejects(agws.balance({}, { timeoutMs: 200, maxRetries: 1 }), { kind: 'timeout', retryable: true });
  assert.equal(received.length, 2);
  await new Promise((r) => setTimeout(r, 1100)); // let the slow bodies finish
});

test('an AbortSignal cancels the call', async () => {
  const agws = client();
  script = [(res) => setTimeout(() => ok(res, success('x')), 1000)];
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await rejects(agws.status({ service_code: 's', external_id: 'x' }, { signal: controller.signal, maxRetries: 0 }), { kind: 'transport' });
  const aborted = new AbortController();
  aborted.abort();
  received.length = 0;
  const error = await rejects(agws.confirmInvoice({ external_id: 'x' }, { signal: aborted.signal }), { kind: 'transport' });
  assert.match(error.message, /before it was sent/);
  assert.equal(received.length, 0);
  await new Promise((r) => setTimeout(r, 1000));
});

test('the fetch given in the options is used', async () => {
  const seen = [];
  const agws = client({
    fetch: async (url, init) => {
      seen.push({ url, method: init.method, signature: init.headers['X-Signature'] });
      return new Response(JSON.stringify({ status: true, result: { showcase_code: 'tarlan', balance: 12.5 } }), { status: 200 });
    },
  });
  const balance = await agws.balance();
  assert.equal(balance.balance, 12.5);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].url, `${base}/showcase-gateway/api/v1/showcase/balance`);
  assert.equal(received.length, 0);
});

test('a refused connection is a retryable transport error for reads', async () => {
  const agws = new TarlanAgws({ secret: '12345', agent: 'a', project: 'p', baseUrl: 'http://127.0.0.1:9' });
  await rejects(agws.balance({}, { maxRetries: 1 }), { kind: 'transport', retryable: true });
});

test('validation errors reject before anything is sent', async () => {
  const agws = client();
  await rejects(agws.cashIn({ username: '1', amount: 0.1 + 0.2, service_code: 's', external_id: 'e' }), { kind: 'validation', field: 'amount' });
  await rejects(agws.call('status', { service_code: 's', external_id: 'e' }, { timeoutMs: -5 }), { kind: 'validation', field: 'options.timeoutMs' });
  assert.equal(received.length, 0);
});

test('payUntilFinal polls status until the payment is final', async () => {
  const agws = client();
  const pending = { error_code: 0, message: '', data: { status_code: '7', external_id: 'p-1' } };
  script = [(res) => ok(res, pending), (res) => ok(res, { ...pending, data: { ...pending.data, status_code: '5' } }), (res) => ok(res, success('p-1'))];
  const result = await agws.payUntilFinal({ username: 'u', amount: '150.50', service_code: 's', external_id: 'p-1' }, { pollIntervalMs: 50 });
  assert.equal(result.outcome, 'success');
  assert.deepEqual(received.map((r) => r.url.split('/').pop()), ['cash-in', 'status', 'status']);
  assert.equal(JSON.parse(received[0].body).amount, 150.5);
});

// The JS contract of the built package (imported by name, Node ESM): signing vectors from
// the spec, KassaError, the first endpoint, bad input that must never trap the wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { canonicalJson, tarlanSign, tarlanVerify, TarlanAgws, KassaError } from 'kassa';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/tarlan-signatures.json', import.meta.url)));
const goCases = JSON.parse(readFileSync(new URL('../fixtures/go-canonical.json', import.meta.url)));
const agwsFixture = (name) => readFileSync(new URL(`../fixtures/agws/${name}`, import.meta.url), 'utf8');

function assertKassa(fn, expected) {
  let thrown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown, 'expected a KassaError');
  assert.ok(thrown instanceof KassaError, `not a KassaError: ${thrown}`);
  assert.ok(thrown instanceof Error);
  for (const [key, value] of Object.entries(expected)) assert.equal(thrown[key], value, `${key}: ${thrown.message}`);
  return thrown;
}

test('every spec vector signs byte for byte from JSON text and from an object', () => {
  assert.ok(fixtures.vectors.length >= 15);
  for (const v of fixtures.vectors) {
    assert.equal(tarlanSign(v.body, v.secret), v.signature, v.name);
    assert.equal(tarlanSign(JSON.parse(v.body), v.secret), v.signature, `${v.name} (object)`);
    assert.equal(tarlanVerify(v.body, v.secret, v.signature), true, v.name);
    assert.equal(tarlanVerify(JSON.parse(v.body), v.secret, v.signature.toUpperCase()), true, v.name);
  }
});

test('the three signatures printed in the AGWS docs', () => {
  assert.equal(
    tarlanSign({ username: '989898', agent: 'tarlan', project: 'mobile', service_code: '201106' }, '12345'),
    '227e9c6513a43f71f4cb6acb3c73f26f3ea90f7e36305afc6d37f9923f12d8c8',
  );
  assert.equal(
    tarlanSign({ username: '989898', amount: 100, agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001', datetime: '2022-12-01T15:45:00Z' }, '12345'),
    '9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2',
  );
  assert.equal(
    tarlanSign({ agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001' }, '12345'),
    '0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91',
  );
});

test('tarlanVerify rejects tampering and wrong secrets in constant-time comparison', () => {
  const body = { agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001' };
  const sig = '0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91';
  assert.equal(tarlanVerify(body, '12345', `Bearer ${sig}`), true);
  assert.equal(tarlanVerify({ ...body, external_id: '200002' }, '12345', sig), false);
  assert.equal(tarlanVerify(body, '12346', sig), false);
  assert.equal(tarlanVerify(body, '12345', sig.slice(1)), false);
  assert.equal(tarlanVerify(body, '12345', ''), false);
});

test('canonicalJson follows Go in every documented detail (same cases as the Rust tests)', () => {
  for (const group of ['numbers', 'strings', 'objects']) {
    for (const [input, go] of goCases[group]) assert.equal(canonicalJson(input), go, `${group}: ${input}`);
  }
  for (const [body, secret, go] of goCases.signatures) assert.equal(tarlanSign(body, secret), go, `signature of ${body}`);
  assert.equal(canonicalJson({ b: 1, a: [{ d: 1, c: 0.1 + 0.2 }] }), '{"a":[{"c":0.30000000000000004,"d":1}],"b":1}');
  assert.equal(canonicalJson({ url: 'https://x.kz/?a=1&b=<2>' }), '{"url":"https://x.kz/?a=1\\u0026b=\\u003c2\\u003e"}');
});

test('KassaError is one class with the contract fields', () => {
  const error = assertKassa(() => tarlanSign('[1]', '12345'), { kind: 'validation', field: 'body', retryable: false });
  assert.equal(error.name, 'KassaError');
  assert.ok('code' in error && 'provider' in error && 'httpStatus' in error);
  assert.deepEqual(Object.keys(error.toJSON()).sort(), ['code', 'details', 'field', 'httpStatus', 'kind', 'message', 'name', 'operation', 'provider', 'retryable'].sort());
  const made = new KassaError({ kind: 'timeout', message: 'x', retryable: true });
  assert.ok(made instanceof KassaError && made.kind === 'timeout' && made.retryable);
});

test('bad input a new user might try gives KassaErrors and the module keeps working', () => {
  const cases = [
    [() => tarlanSign([1, 2], '12345'), 'body'],
    [() => tarlanSign(42, '12345'), 'body'],
    [() => tarlanSign('not json', '12345'), 'body'],
    [() => tarlanSign(undefined, '12345'), 'body'],
    [() => tarlanSign({ amount: NaN }, '12345'), 'body.amount'],
    [() => tarlanSign({ nested: { amount: Infinity } }, '12345'), 'body.nested.amount'],
    [() => tarlanSign({ list: [1, -Infinity] }, '12345'), 'body.list[1]'],
    [() => tarlanSign({ amount: 10n }, '12345'), 'body'],
    [() => tarlanSign({ name: 'a\ud800b' }, '12345'), 'body'],
    [() => tarlanSign('{"name":"a\ud800b"}', '12345'), 'body'],
    [() => tarlanSign({ big: 'x'.repeat(10 * 1024 * 1024) }, '12345'), 'body'],
    [() => tarlanSign('{"a":1e400}', '12345'), 'body'],
    [() => tarlanSign({}, ' 12345'), 'secret'],
    [() => tarlanSign({}, '12 345'), 'secret'],
    [() => tarlanSign({}, ''), 'secret'],
    [() => tarlanSign({}, 12345), 'secret'],
    [() => tarlanSign({}, 'a\udc00'), 'secret'],
    [() => canonicalJson('{"a":'), 'value'],
    [() => tarlanVerify({}, '12345', null), 'signature'],
  ];
  const cyclic = {};
  cyclic.self = cyclic;
  cases.push([() => tarlanSign(cyclic, '12345'), 'body']);
  const deep = '['.repeat(200000);
  cases.push([() => canonicalJson(deep), 'value']);
  for (const [fn, field] of cases) {
    assertKassa(fn, { kind: 'validation', field });
    // Still alive after every error: the wasm instance did not trap.
    assert.equal(tarlanSign({ a: 1 }, '12345').length, 64);
  }
});

test('TarlanAgws builds the fiscal receipt request exactly and parses both documented answers', () => {
  const agws = new TarlanAgws({ secret: '12345', agent: 'tarlan', project: 'mobile' });
  assert.deepEqual(agws.operations(), ['check', 'cashIn', 'status', 'balance', 'confirmInvoice', 'paymentLink', 'upperCommission', 'fiscalReceipt', 'serviceInfo', 'userInfo']);
  const request = agws.build('fiscalReceipt', { provider_order_id: 'pr10010', provider_code: 'code', provider_service_code: 'service_code' });
  assert.deepEqual(request, {
    method: 'GET',
    url: 'https://agwsapi.tarlanpayments.kz/fiscalization/api/v1/payment/fiscalization/order?provider_order_id=pr10010&provider_code=code&provider_service_code=service_code',
    // Seed 000's header table: Content-Type: application/json and X-Signature (Accept is ours).
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Signature': '06db6a7291b1503767ecedfe73dae0699474f58fea091c602a4d7afd696fb528' },
    body: null,
  });
  const empty = new TarlanAgws({ secret: '12345', getSigning: 'empty' });
  assert.equal(
    empty.build('fiscalReceipt', { provider_order_id: 'pr10010', provider_code: 'code', provider_service_code: 'service_code' }).headers['X-Signature'],
    '52133d739e87751f0e3be86711459dd984ccbbf1cb16a0484178be9b1c5f193a',
  );
  const receipt = agws.parse('fiscalReceipt', { status: 200, headers: { 'content-type': 'application/json' }, body: agwsFixture('fiscal-receipt-200.json') });
  assert.equal(receipt.fiscal_number, '123456789123');
  assert.equal(receipt.fiscal_check_url, 'https://link.kz');
  const headers = new Headers({ 'content-type': 'application/json' });
  const error = assertKassa(() => agws.parse('fiscalReceipt', { status: 400, headers, body: agwsFixture('fiscal-receipt-400.json') }), {
    kind: 'signature', code: 1014, httpStatus: 400, provider: 'agws', operation: 'fiscalReceipt',
  });
  assert.match(error.message, /Invalid signature/);
  assertKassa(() => agws.build('fiscalReceipt', { provider_order_id: 'pr10010', provider_code: 'code' }), { kind: 'validation', field: 'provider_service_code' });
  assertKassa(() => agws.build('fiscalReceipt', { provider_order_id: '', provider_code: 'code', provider_service_code: 's' }), { kind: 'validation', field: 'provider_order_id' });
  assertKassa(() => agws.build('fiscalReceipt', 'oops'), { kind: 'validation', field: 'params' });
  assertKassa(() => agws.build('nope', {}), { kind: 'validation', field: 'operation' });
  assertKassa(() => agws.parse('fiscalReceipt', null), { kind: 'validation', field: 'response' });
});

test('the secret never reaches toJSON, toString, inspect or errors', () => {
  const secret = 'very-secret-value-42';
  const agws = new TarlanAgws({ secret, agent: 'tarlan' });
  for (const text of [JSON.stringify(agws), String(agws), inspect(agws, { showHidden: true, depth: 5 }), JSON.stringify(Object.entries(agws))]) {
    assert.ok(!text.includes(secret), text);
  }
  assert.equal(agws.toJSON().secret, '[redacted]');
  const error = assertKassa(() => new TarlanAgws({ secret: `${secret} ` }), { kind: 'config', field: 'secret' });
  assert.ok(!JSON.stringify(error).includes(secret) && !error.message.includes(secret));
  assertKassa(() => new TarlanAgws(), { kind: 'config', field: 'secret' });
  assertKassa(() => new TarlanAgws('12345'), { kind: 'config', field: 'options' });
  assertKassa(() => new TarlanAgws({ secret: '1', fetch: 'x' }), { kind: 'config', field: 'fetch' });
});

test('code tables are exported with messages and actions', () => {
  const { errors, transactionStatuses, accountStatuses, failReasons } = TarlanAgws.codes;
  assert.equal(errors.find((e) => e.code === 1014).kind, 'signature');
  assert.equal(transactionStatuses.find((s) => s.code === 2).outcome, 'success');
  assert.equal(accountStatuses.length, 3);
  assert.equal(failReasons.find((r) => r.code === 200).message, 'Insufficient balance');
});

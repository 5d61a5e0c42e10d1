// Bad input as users and broken providers produce it, against every operation of every client:
// whatever is thrown must be a KassaError (never a TypeError, never a wasm trap), and the module
// must keep working afterwards. Deterministic: a seeded generator, so a failure reproduces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TarlanAgws, TarlanAcquiring, AssistFiscal, FiscalBox, FiscalBoxBilling, KassaError, tarlanSign } from 'kassa';

const clients = {
  agws: new TarlanAgws({ secret: '12345', agent: 'tarlan', project: 'mobile' }),
  acquiring: new TarlanAcquiring({ secret: 's', merchantId: 1, projectId: 42 }),
  assist: new AssistFiscal({ baseUrl: 'https://assist.example', merchantId: '1', login: 'l', password: 'p' }),
  fiscalbox: new FiscalBox({ walletAmountUnit: 'tiyin' }),
  fiscalboxBilling: new FiscalBoxBilling({ username: 'u', password: 'p', token: 't', inn: '306429662' }),
};

function rng(seed) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

const SCALARS = [
  '', ' ', 'x', '0', '-1', '1e309', '12345678901234567890123', '1.005', 'null', '\u2028', '\ud800', '<script>', '💳', 'a'.repeat(5000),
  0, -1, 1.5, 1e21, 2 ** 53 + 1, Number.MAX_VALUE, true, false, null, [], {}, [1, 'a'], { nested: { deeper: [null] } },
];

function junk(random, depth = 0) {
  const pick = SCALARS[Math.floor(random() * SCALARS.length)];
  if (depth < 3 && random() < 0.25) {
    const out = {};
    for (let i = 0; i < 1 + Math.floor(random() * 4); i += 1) out[`k${Math.floor(random() * 6)}`] = junk(random, depth + 1);
    return out;
  }
  return pick;
}

const BODIES = [
  '', 'null', '[]', '{}', '"text"', '42', '{"status":true}', '{"status":false}', '{"result":null}', '{"result":"x"}',
  '{"status":true,"result":{"error_code":"x"}}', '{"is_success":true}', '{"is_success":false,"error":{"code":"7","message":"{\\"a\\":[1]}"}}',
  '{"data":null,"error":null,"is_success":true}', '<html><body>502 Bad Gateway</body></html>', '{"status":tr', '{"a":' + '['.repeat(5000),
  '<?xml version="1.0"?><Envelope><Body><Fault><faultcode>x</faultcode></Fault></Body></Envelope>', '<a><b></a>', '<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>',
  JSON.stringify({ fiscalreceipt: { status: 'Success', chequeItems: '{"items":[{"id":"x"}]}' } }), '\u0000\u0001', '{"a":1e999}',
];
const STATUSES = [200, 201, 204, 301, 400, 401, 404, 429, 500, 502, 503];

function expectKassaOrValue(label, run) {
  try {
    const value = run();
    assert.notEqual(value, undefined, `${label}: returned undefined`);
  } catch (error) {
    assert.ok(error instanceof KassaError, `${label}: threw ${error?.constructor?.name}: ${error?.message}`);
    assert.ok(error.kind && typeof error.message === 'string' && error.message.length > 0, `${label}: KassaError without kind/message`);
  }
}

test('build: junk params for every operation give a value or a KassaError', () => {
  const random = rng(20261202);
  let calls = 0;
  for (const [provider, client] of Object.entries(clients)) {
    for (const operation of client.operations()) {
      for (let i = 0; i < 40; i += 1) {
        const params = i === 0 ? undefined : i === 1 ? null : i === 2 ? 'text' : junk(random);
        expectKassaOrValue(`${provider}.build(${operation}, ${JSON.stringify(params)?.slice(0, 80)})`, () => client.build(operation, params));
        calls += 1;
      }
    }
  }
  assert.ok(calls > 2000);
});

test('parse: broken provider answers for every operation give a value or a KassaError', () => {
  let calls = 0;
  for (const [provider, client] of Object.entries(clients)) {
    for (const operation of client.operations()) {
      for (const body of BODIES) {
        for (const status of STATUSES) {
          expectKassaOrValue(`${provider}.parse(${operation}, ${status}, ${body.slice(0, 40)})`, () => client.parse(operation, { status, headers: {}, body }));
          calls += 1;
        }
      }
      expectKassaOrValue(`${provider}.parse(${operation}, no response)`, () => client.parse(operation, undefined));
      expectKassaOrValue(`${provider}.parse(${operation}, odd status)`, () => client.parse(operation, { status: 'x', body: 7 }));
    }
  }
  assert.ok(calls > 10_000);
});

test('static helpers and flows with junk arguments give a value or a KassaError', async () => {
  const random = rng(7);
  for (const [provider, client] of Object.entries(clients)) {
    const Class = client.constructor;
    for (const name of Object.getOwnPropertyNames(Class)) {
      if (typeof Class[name] !== 'function' || ['length', 'name', 'prototype'].includes(name)) continue;
      for (let i = 0; i < 10; i += 1) {
        const args = [junk(random), junk(random), junk(random)];
        expectKassaOrValue(`${provider} static ${name}`, () => Class[name](...args));
      }
    }
    for (const name of ['verifyCallback', 'verifyWebhook', 'verifyConfirmRequest', 'parseCallback', 'parseWebhook']) {
      if (typeof client[name] !== 'function') continue;
      for (let i = 0; i < 20; i += 1) {
        const args = [junk(random), junk(random)];
        expectKassaOrValue(`${provider}.${name}`, () => client[name](...args));
      }
    }
  }
  // The module still works after all of the above.
  assert.equal(tarlanSign({ agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001' }, '12345'),
    '0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91');
});

test('clients refuse bad options with a config or validation KassaError naming the option', () => {
  const Classes = { TarlanAgws, TarlanAcquiring, AssistFiscal, FiscalBox, FiscalBoxBilling };
  for (const [name, Class] of Object.entries(Classes)) {
    for (const options of [undefined, null, 'x', 42, { baseUrl: 'not a url' }, { timeoutMs: -1 }, { maxRetries: 'many' }, { secret: 'a b' }]) {
      try {
        // eslint-disable-next-line no-new
        new Class(options);
      } catch (error) {
        assert.ok(error instanceof KassaError, `new ${name}(${JSON.stringify(options)}): ${error}`);
        assert.ok(['config', 'validation'].includes(error.kind), `${name}: kind ${error.kind}`);
      }
    }
  }
});

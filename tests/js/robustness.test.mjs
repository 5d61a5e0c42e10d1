// Bad input as users and broken providers produce it, against every operation of every client:
// whatever is thrown must be a KassaError (never a TypeError, never a wasm trap), and the module
// must keep working afterwards. Deterministic: a seeded generator, so a failure reproduces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TarlanAgws, TarlanAcquiring, AssistFiscal, FiscalBox, FiscalBoxBilling, KassaError, tarlanSign } from 'kassa';
// The registry the entries are generated from (operations, helpers and flows per provider).
import registry from '../../pkg/dist/registry.js';

/** Valid options of each client class: the tests below break one thing at a time. */
const OPTIONS = {
  agws: { secret: '12345', agent: 'tarlan', project: 'mobile' },
  acquiring: { secret: 's', merchantId: 1, projectId: 42 },
  assist: { baseUrl: 'https://assist.example', merchantId: '1', login: 'l', password: 'p' },
  fiscalbox: { walletAmountUnit: 'tiyin' },
  fiscalboxBilling: { username: 'u', password: 'p', token: 't', inn: '306429662' },
};
const CLASSES = { agws: TarlanAgws, acquiring: TarlanAcquiring, assist: AssistFiscal, fiscalbox: FiscalBox, fiscalboxBilling: FiscalBoxBilling };
const clients = Object.fromEntries(Object.entries(CLASSES).map(([id, Class]) => [id, new Class(OPTIONS[id])]));

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

test('static and instance helpers with junk arguments give a value or a KassaError', () => {
  const random = rng(7);
  let calls = 0;
  for (const [provider, client] of Object.entries(clients)) {
    const Class = client.constructor;
    for (const name of Object.getOwnPropertyNames(Class)) {
      if (typeof Class[name] !== 'function' || ['length', 'name', 'prototype'].includes(name)) continue;
      for (let i = 0; i < 10; i += 1) {
        const args = [junk(random), junk(random), junk(random)];
        expectKassaOrValue(`${provider} static ${name}`, () => Class[name](...args));
        calls += 1;
      }
    }
    for (const name of ['verifyCallback', 'verifyWebhook', 'verifyConfirmRequest', 'parseCallback', 'parseWebhook']) {
      if (typeof client[name] !== 'function') continue;
      for (let i = 0; i < 20; i += 1) {
        const args = [junk(random), junk(random)];
        expectKassaOrValue(`${provider}.${name}`, () => client[name](...args));
        calls += 1;
      }
    }
  }
  assert.ok(calls > 100, `${calls} helper calls`);
  // The module still works after all of the above.
  assert.equal(tarlanSign({ agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001' }, '12345'),
    '0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91');
});

/** Params each flow accepts, so that with junk answers it gets past validation and really runs. */
const FLOW_PARAMS = {
  payUntilFinal: { username: 'u', amount: '150.50', service_code: 's', external_id: 'p-1' },
  qrWalletSale: {
    provider: 'anor', amount: 1_000_000, qr_code: 'q-1',
    order: {
      receipt_type: 'order', cashier: 'Admin', uuid: '7d8a3b52-9f1e-4c67-8a0b-2f4c5d6e7f80',
      products: [{
        name: 'Coffee', amount: 1000, unit_name: 'dona', price: 1_000_000, product_price: 1_000_000, vat: 107_143, vat_percent: 12,
        class_code: '02710001005000000', package_code: '1282556', owner_type: 1,
      }],
    },
  },
  fiscalizeAndWait: {
    Payment_ID: 'p-1', Type: 'sell', Email: 'buyer@example.kz', ChequeItems: [{ id: 1, name: 'Coffee', price: '10.00', quantity: 1, tax: 'vat12' }],
  },
};
const FLOW_OPTIONS = { pollIntervalMs: 1, maxPollIntervalMs: 2, deadlineMs: 40 };
const FETCH_STATUSES = STATUSES.filter((status) => ![204, 205, 304].includes(status)); // a Response with a body

/** A fetch that answers every request with a junk answer (or fails like a network), counting calls. */
function junkFetch(random) {
  const fetch = async () => {
    fetch.calls += 1;
    if (random() < 0.1) throw new TypeError('fetch failed');
    const body = BODIES[Math.floor(random() * BODIES.length)];
    const status = FETCH_STATUSES[Math.floor(random() * FETCH_STATUSES.length)];
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  };
  fetch.calls = 0;
  return fetch;
}

async function expectFlowOutcome(label, run) {
  let value;
  try {
    value = await run();
  } catch (error) {
    assert.ok(error instanceof KassaError, `${label}: threw ${error?.constructor?.name}: ${error?.message}`);
    assert.ok(error.kind && error.message.length > 0, `${label}: KassaError without kind/message`);
    return error;
  }
  assert.ok(value !== null && typeof value === 'object', `${label}: resolved to ${JSON.stringify(value)}`);
  return value;
}

test('flows with junk params and junk answers give a value or a KassaError', async () => {
  const random = rng(11);
  const listed = registry.providers.flatMap((p) => p.flows.map((flow) => ({ provider: p.id, flow })));
  assert.deepEqual(listed.map((f) => f.flow).sort(), Object.keys(FLOW_PARAMS).sort(), 'a flow without params in this test');
  for (const { provider, flow } of listed) {
    // Junk params: refused before anything is sent, as a validation error naming the params.
    for (const params of ['text', 42, [1], true]) {
      const fetch = junkFetch(random);
      const client = new CLASSES[provider]({ ...OPTIONS[provider], fetch, maxRetries: 0 });
      const error = await expectFlowOutcome(`${flow}(${JSON.stringify(params)})`, () => client[flow](params, FLOW_OPTIONS));
      assert.ok(error instanceof KassaError, `${flow}(${JSON.stringify(params)}) resolved`);
      assert.equal(error.kind, 'validation');
      assert.equal(error.field, 'params');
      assert.equal(fetch.calls, 0, `${flow}(${JSON.stringify(params)}) sent a request`);
    }
    for (let i = 0; i < 10; i += 1) {
      const fetch = junkFetch(random);
      const client = new CLASSES[provider]({ ...OPTIONS[provider], fetch, maxRetries: 0 });
      await expectFlowOutcome(`${flow}(junk)`, () => client[flow](junk(random), FLOW_OPTIONS));
    }
    // Valid params and junk answers: the flow runs (it calls the provider) and ends in a value or a KassaError.
    let requests = 0;
    const kinds = new Set();
    for (let i = 0; i < 25; i += 1) {
      const fetch = junkFetch(random);
      const client = new CLASSES[provider]({ ...OPTIONS[provider], fetch, maxRetries: 0 });
      const outcome = await expectFlowOutcome(`${flow}(valid params, junk answers #${i})`, () => client[flow](FLOW_PARAMS[flow], FLOW_OPTIONS));
      if (outcome instanceof KassaError) kinds.add(outcome.kind);
      requests += fetch.calls;
    }
    assert.ok(requests >= 25, `${flow} sent ${requests} requests in 25 runs`);
    assert.ok(kinds.size > 0, `${flow} never failed on junk answers`);
  }
});

/** For each client class: options with one thing wrong, and the field the error must name. */
function badOptions(id) {
  const valid = OPTIONS[id];
  const cases = [
    [null, 'options'], ['x', 'options'], [42, 'options'], [[], 'options'],
    [{ ...valid, baseUrl: 'not a url' }, 'baseUrl'],
    [{ ...valid, baseUrl: 42 }, 'baseUrl'],
    [{ ...valid, timeoutMs: -1 }, 'timeoutMs'],
    [{ ...valid, maxRetries: 'many' }, 'maxRetries'],
    [{ ...valid, maxRetries: 11 }, 'maxRetries'],
    [{ ...valid, fetch: 'not a function' }, 'fetch'],
    [{ ...valid, noSuchOption: 1 }, 'noSuchOption'],
  ];
  if ('secret' in valid) {
    const { secret: _secret, ...withoutSecret } = valid;
    cases.push([withoutSecret, 'secret'], [{ ...valid, secret: 'a b' }, 'secret'], [{ ...valid, secret: 12345 }, 'secret']);
  } else {
    cases.push([{ ...valid, secret: 'a b' }, 'secret']); // not an option of this client
  }
  if (id === 'assist') {
    const { baseUrl: _baseUrl, ...withoutBase } = valid;
    cases.push([withoutBase, 'baseUrl'], [{ ...valid, merchantId: 'abc' }, 'merchantId'], [{ ...valid, format: 'xml' }, 'format']);
  }
  if (id === 'fiscalbox') {
    cases.push([{ ...valid, walletAmountUnit: 'kopeck' }, 'walletAmountUnit'], [{ ...valid, timeZoneOffsetMinutes: 5000 }, 'timeZoneOffsetMinutes']);
  }
  if (id === 'acquiring') cases.push([{ ...valid, environment: 'staging' }, 'environment']);
  return cases;
}

test('clients refuse bad options with a config KassaError naming the option', () => {
  let checked = 0;
  for (const [id, Class] of Object.entries(CLASSES)) {
    assert.ok(new Class(OPTIONS[id]) instanceof Class, `${id}: the valid options are accepted`);
    for (const [options, field] of badOptions(id)) {
      const label = `new ${Class.name}(${JSON.stringify(options)})`;
      assert.throws(() => new Class(options), (error) => {
        assert.ok(error instanceof KassaError, `${label} threw ${error?.constructor?.name}: ${error?.message}`);
        assert.equal(error.kind, 'config', `${label}: kind ${error.kind} (${error.message})`);
        assert.equal(error.field, field, `${label}: field ${error.field} (${error.message})`);
        assert.ok(error.message.includes(field), `${label}: the message does not name ${field}: ${error.message}`);
        return true;
      }, `${label} did not throw`);
      checked += 1;
    }
  }
  assert.ok(checked > 60, `${checked} bad option sets`);
});

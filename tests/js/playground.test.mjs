// The playground (www/) in real headless Chromium, served by www/serve.mjs from the built
// package ($KASSA_PKG, default pkg/). Runs the signature lab on the documented AGWS examples,
// diagnoses wrong signatures built here (node:crypto, hand-written wrong texts), builds one
// request and decodes one response per provider, and checks that nothing leaves the page
// after it has loaded. Screenshots of every panel at desktop and phone width go to
// tests/artifacts/, and the lab's desktop screenshot to www/screenshot.png (shown in the README).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startPlayground } from '../../www/serve.mjs';
import { launchChromium } from './support/chromium.mjs';

const PKG = process.env.KASSA_PKG ?? fileURLToPath(new URL('../../pkg', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const SCREENSHOT = fileURLToPath(new URL('../../www/screenshot.png', import.meta.url));
const fixture = (path) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
const signatures = JSON.parse(fixture('tarlan-signatures.json'));
const vector = (name) => signatures.vectors.find((v) => v.name === name);
const wrong = (name) => signatures.wrong.find((v) => v.name === name);

const SECRET = '12345';
// spec/tarlan-agws.md §4.4.
const DOCUMENTED = [
  { example: 'check', canonical: '{"agent":"tarlan","project":"mobile","service_code":"201106","username":"989898"}',
    base64: 'eyJhZ2VudCI6InRhcmxhbiIsInByb2plY3QiOiJtb2JpbGUiLCJzZXJ2aWNlX2NvZGUiOiIyMDExMDYiLCJ1c2VybmFtZSI6Ijk4OTg5OCJ9',
    signature: '227e9c6513a43f71f4cb6acb3c73f26f3ea90f7e36305afc6d37f9923f12d8c8' },
  { example: 'cash-in', canonical: '{"agent":"tarlan","amount":100,"datetime":"2022-12-01T15:45:00Z","external_id":"200001","project":"mobile","service_code":"201106","username":"989898"}',
    base64: 'eyJhZ2VudCI6InRhcmxhbiIsImFtb3VudCI6MTAwLCJkYXRldGltZSI6IjIwMjItMTItMDFUMTU6NDU6MDBaIiwiZXh0ZXJuYWxfaWQiOiIyMDAwMDEiLCJwcm9qZWN0IjoibW9iaWxlIiwic2VydmljZV9jb2RlIjoiMjAxMTA2IiwidXNlcm5hbWUiOiI5ODk4OTgifQ==',
    signature: '9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2' },
  { example: 'status', canonical: '{"agent":"tarlan","external_id":"200001","project":"mobile","service_code":"201106"}',
    base64: 'eyJhZ2VudCI6InRhcmxhbiIsImV4dGVybmFsX2lkIjoiMjAwMDAxIiwicHJvamVjdCI6Im1vYmlsZSIsInNlcnZpY2VfY29kZSI6IjIwMTEwNiJ9',
    signature: '0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91' },
];

// Independent signers (never the code under test).
const sha256hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');
const signText = (text) => sha256hex(b64(text) + SECRET);

const CHECK_BODY = '{"username":"989898","agent":"tarlan","project":"mobile","service_code":"201106"}';
const CHECK_CANONICAL = DOCUMENTED[0].canonical;
const CASH_IN_BODY = '{"username":"989898","amount":100,"agent":"tarlan","project":"mobile","service_code":"201106","external_id":"200001","datetime":"2022-12-01T15:45:00Z"}';

/** Wrong signatures and the mistakes the lab must name for them. */
const WRONG = [
  { name: 'keys not sorted', body: CHECK_BODY, signature: signText(CHECK_BODY), mistakes: ['unsorted_keys'] },
  { name: "Python's default separators", body: CHECK_BODY,
    signature: signText('{"agent": "tarlan", "project": "mobile", "service_code": "201106", "username": "989898"}'),
    mistakes: ['spaces_after_separators'] },
  { name: '100.0 for 100 (§4.4 negative check)', body: CASH_IN_BODY,
    signature: 'c836c839a89e2eaa6d1c384b4716918cd75080f18431c9d3b8341e390a742996', mistakes: ['whole_number_as_float'] },
  { name: 'literal & instead of \\u0026', body: vector('agws-ampersand-go-escaping').body,
    signature: wrong('literal-ampersand-is-wrong').signature, mistakes: ['literal_html'] },
  { name: 'PHP \\uXXXX for Cyrillic', body: vector('acquiring-F-cyrillic-raw').body,
    signature: wrong('php-escaped-cyrillic-is-wrong').signature, mistakes: ['escaped_unicode'] },
  { name: 'HMAC instead of SHA-256', body: CHECK_BODY,
    signature: createHmac('sha256', SECRET).update(b64(CHECK_CANONICAL)).digest('hex'), mistakes: ['hmac'] },
  { name: 'base64 without padding', body: CASH_IN_BODY,
    signature: sha256hex(b64(DOCUMENTED[1].canonical).replace(/=+$/, '') + SECRET), mistakes: ['base64_no_padding'] },
  { name: 'secret prepended', body: CHECK_BODY, signature: sha256hex(SECRET + b64(CHECK_CANONICAL)), mistakes: ['secret_prepended'] },
  { name: '"" field signed', body: vector('agws-empty-string-dropped').body,
    signature: wrong('empty-string-kept-is-wrong').signature, mistakes: ['empty_fields_kept'] },
  { name: 'uppercase hex', body: CHECK_BODY, signature: DOCUMENTED[0].signature.toUpperCase(), mistakes: ['uppercase_hex'] },
];

/** One response per provider: [operation, fixture, HTTP status, text expected in the output]. */
const RESPONSES = {
  agws: [['check', 'agws/check-success.json', 200, '"account_status": 1']],
  acquiring: [['status', 'acquiring/status-success.repaired.json', 200, '"id": 99999']],
  fiscalbox: [['orderCreate', 'fiscalbox/order-create-success.json', 200, '"fiscal_sign": "248429044289"']],
  fiscalboxBilling: [['ordersCount', 'fiscalbox/billing-orders-count-success.json', 200, '"total_orders": 2']],
  assist: [['fiscalReceipt', 'assist/response-fiscalreceipt-success.constructed.json', 200, '"outcome": "success"']],
};

/** Providers whose request and response must work in the page: all of them. */
const REQUIRED = new Set(['agws', 'acquiring', 'assist', 'fiscalbox', 'fiscalboxBilling']);

const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const PANELS = ['lab', 'builder', 'decoder', 'soliq'];

let server;
let browser;
let page;
const requests = [];
let loaded = false;
const afterLoad = [];

before(async () => {
  server = await startPlayground({ port: 0, pkg: PKG });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: VIEWPORTS.desktop });
  page.on('request', (request) => {
    requests.push(request.url());
    if (loaded) afterLoad.push(`${request.method()} ${request.url()}`);
  });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}/`, { waitUntil: 'load' });
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20000 });
  await page.waitForLoadState('networkidle');
  loaded = true;
  assert.deepEqual(errors, []);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function selectExample(id) {
  await page.selectOption('#lab-example', id);
}

test('the page loads only its own files, from the local server', () => {
  assert.ok(requests.length > 0);
  for (const url of requests) assert.ok(url.startsWith(server.url), `request to ${url}`);
  assert.ok(requests.some((url) => url.endsWith('.wasm')));
});

test('signature lab: the documented AGWS examples give the documented signatures', async () => {
  for (const doc of DOCUMENTED) {
    await selectExample(doc.example);
    await page.fill('#lab-secret', SECRET);
    assert.equal(await page.textContent('#lab-canonical'), doc.canonical, doc.example);
    assert.equal(await page.textContent('#lab-base64'), doc.base64, doc.example);
    assert.equal(await page.textContent('#lab-signature'), doc.signature, doc.example);
    assert.equal(await page.textContent('#lab-header-agws'), `X-Signature: ${doc.signature}`);
    assert.equal(await page.textContent('#lab-header-acquiring'), `Authorization: Bearer ${doc.signature}`);
    const curl = await page.textContent('#lab-curl');
    assert.match(curl, new RegExp(`-H 'X-Signature: ${doc.signature}'`));
    assert.ok(curl.includes(`--data-raw '${doc.canonical}'`), curl);
    // The SHA-256 input shows the base64 text, never the secret.
    const input = await page.textContent('#lab-input');
    assert.ok(input.startsWith(doc.base64));
    assert.ok(!input.includes(SECRET), input);
    // And it verifies.
    await page.fill('#lab-received', doc.signature);
    await page.click('#lab-check');
    assert.equal(await page.getAttribute('#lab-diagnosis [data-verdict]', 'data-verdict'), 'match');
  }
  // Typing a body: what changed is highlighted (100.0 -> 100).
  await page.fill('#lab-body', '{"username": "989898", "amount": 100.0, "agent": "tarlan", "project": "mobile", "service_code": "201106", "external_id": "200001", "datetime": "2022-12-01T15:45:00Z"}');
  assert.equal(await page.textContent('#lab-signature'), DOCUMENTED[1].signature);
  assert.equal(await page.textContent('#lab-canonical mark'), '"amount":100');
  assert.match(await page.textContent('#lab-changes'), /100\.0 is signed as 100/);
  // Acquiring host: the curl carries the Bearer header.
  await page.selectOption('#lab-host', 'acquiring');
  assert.match(await page.textContent('#lab-curl'), /-H 'Authorization: Bearer 9ab70986/);
  await page.selectOption('#lab-host', 'agws');
  // Bad input shows the KassaError, not a crash.
  await page.fill('#lab-body', '{"amount": 1,');
  assert.match(await page.textContent('#lab-error'), /validation error \(body\)/);
});

test('signature lab: wrong signatures are diagnosed with the mistake that made them', async () => {
  assert.ok(WRONG.length >= 5);
  await page.fill('#lab-secret', SECRET);
  for (const w of WRONG) {
    await page.fill('#lab-body', w.body);
    await page.fill('#lab-received', w.signature);
    await page.click('#lab-check');
    const verdict = await page.getAttribute('#lab-diagnosis [data-verdict]', 'data-verdict');
    assert.equal(verdict, 'mistake', w.name);
    const ids = await page.$$eval('#lab-diagnosis [data-mistake]', (items) => items.map((i) => i.dataset.mistake));
    assert.deepEqual(ids.sort(), [...w.mistakes].sort(), w.name);
    const fixes = await page.$$eval('#lab-diagnosis .fix', (items) => items.map((i) => i.textContent));
    assert.equal(fixes.length, w.mistakes.length, w.name);
    for (const fix of fixes) assert.ok(fix.length > 10, `${w.name}: fix "${fix}"`);
  }
  // A signature made with another secret: no known mistake explains it.
  await page.fill('#lab-body', CHECK_BODY);
  await page.fill('#lab-received', sha256hex(b64(CHECK_CANONICAL) + '54321'));
  await page.click('#lab-check');
  assert.equal(await page.getAttribute('#lab-diagnosis [data-verdict]', 'data-verdict'), 'unknown');
  await page.fill('#lab-received', 'not a signature');
  await page.click('#lab-check');
  assert.equal(await page.getAttribute('#lab-diagnosis [data-verdict]', 'data-verdict'), 'malformed');
});

async function providersWithOperations(select) {
  return page.$$eval(`${select} option`, (options) => options.filter((o) => !o.disabled).map((o) => o.value));
}

test('request builder: one request per provider that has operations', async () => {
  const providers = await providersWithOperations('#rb-provider');
  for (const id of REQUIRED) assert.ok(providers.includes(id), `${id} has no operations (providers: ${providers})`);
  // AGWS: the documented check request, signed as documented.
  await page.selectOption('#rb-provider', 'agws');
  await page.selectOption('#rb-operation', 'check');
  await page.fill('#rb-params', JSON.stringify({ username: '989898', service_code: '201106' }));
  await page.click('#rb-build');
  const request = await page.textContent('#rb-request');
  assert.match(request, /^POST https:\/\/\S+\/showcase-gateway\/api\/v1\/user\/check\n/);
  assert.ok(request.includes(`X-Signature: ${DOCUMENTED[0].signature}`), request);
  assert.ok(request.endsWith(DOCUMENTED[0].canonical), request);
  assert.match(await page.textContent('#rb-curl'), /^curl /);
  // The parameter table's notes column shows each parameter's doc (from the describe catalog):
  // `username` of check, as the AGWS table documents it (spec/tarlan-agws.md §2.1).
  const usernameRow = await page.$$eval('#rb-param-table tr', (rows) => rows.map((r) => r.textContent).find((t) => t.startsWith('username')));
  assert.match(usernameRow, /User ID/);
  // A bad parameter is a KassaError naming the field.
  await page.fill('#rb-params', JSON.stringify({ service_code: '201106' }));
  await page.click('#rb-build');
  assert.match(await page.textContent('#rb-error'), /username/);

  const built = {};
  for (const provider of providers) {
    await page.selectOption('#rb-provider', provider);
    const operations = await page.$$eval('#rb-operation option', (options) => options.map((o) => o.value));
    assert.ok(operations.length > 0, provider);
    // The page fills sample parameters from the operation's description; the first
    // operation those build is this provider's request.
    for (const operation of operations) {
      await page.selectOption('#rb-operation', operation);
      await page.click('#rb-build');
      const text = await page.textContent('#rb-request');
      if (text && (await page.isHidden('#rb-error'))) {
        assert.match(text, /^(GET|POST|PUT|DELETE|PATCH) https?:\/\//);
        assert.match(await page.textContent('#rb-curl'), /^curl /);
        built[provider] = operation;
        break;
      }
    }
    if (REQUIRED.has(provider)) assert.ok(built[provider], `no operation of ${provider} could be built from the sample parameters`);
    else if (!built[provider]) console.log(`# ${provider}: no operation built from the sample parameters (not required yet)`);
  }
  console.log(`# built requests: ${JSON.stringify(built)}`);
});

test('response decoder: one response per provider that has operations', async () => {
  const providers = await providersWithOperations('#rd-provider');
  for (const id of REQUIRED) assert.ok(providers.includes(id), id);
  const decoded = [];
  for (const provider of providers) {
    await page.selectOption('#rd-provider', provider);
    const operations = await page.$$eval('#rd-operation option', (options) => options.map((o) => o.value));
    const candidates = (RESPONSES[provider] ?? []).filter(([operation]) => operations.includes(operation));
    if (!REQUIRED.has(provider) && candidates.length === 0) {
      console.log(`# ${provider}: no response fixture for its operations yet (not required)`);
      continue;
    }
    assert.ok(candidates.length > 0, `no response fixture for ${provider} (operations: ${operations})`);
    const [operation, file, status, expected] = candidates[0];
    await page.selectOption('#rd-operation', operation);
    await page.fill('#rd-status', String(status));
    await page.fill('#rd-body', fixture(file));
    await page.click('#rd-decode');
    const result = await page.textContent('#rd-result');
    if (expected) {
      assert.ok(await page.isHidden('#rd-error'), `${provider}: ${await page.textContent('#rd-error')}`);
      assert.ok(result.includes(expected), `${provider}: ${result}`);
    } else {
      assert.ok(result || (await page.isVisible('#rd-error')), provider);
    }
    decoded.push(`${provider}.${operation}`);
  }
  // An error answer: the KassaError with its meaning.
  await page.selectOption('#rd-provider', 'agws');
  await page.selectOption('#rd-operation', 'check');
  await page.fill('#rd-body', fixture('agws/check-error-before.json'));
  await page.click('#rd-decode');
  const error = await page.textContent('#rd-error');
  assert.match(error, /KassaError \(provider\)/);
  assert.match(error, /1407/);
  assert.match(error, /not found/i);
  console.log(`# decoded responses: ${decoded.join(', ')}`);
});

test('Soliq receipt link: decoded, or said to be unavailable in this build', async () => {
  const link = 'https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289';
  if (await page.isDisabled('#sq-decode')) {
    assert.match(await page.textContent('#sq-error'), /not available in this build/);
    return;
  }
  await page.fill('#sq-url', link);
  await page.click('#sq-decode');
  const result = await page.textContent('#sq-result');
  assert.ok(result.includes('UZ170703100189'), result);
  assert.ok(result.includes('248429044289'), result);
});

test('keyboard: every control has a label and is reachable with Tab', async () => {
  const unlabeled = await page.$$eval('input, select, textarea', (controls) =>
    controls.filter((c) => !c.labels || c.labels.length === 0).map((c) => c.id));
  assert.deepEqual(unlabeled, []);
  await page.focus('#lab-example');
  const seen = new Set();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    seen.add(await page.evaluate(() => document.activeElement?.id));
  }
  for (const id of ['lab-body', 'lab-secret', 'lab-host', 'lab-url', 'lab-received', 'lab-check', 'rb-provider', 'rb-options', 'rb-operation', 'rb-params', 'rb-build']) {
    assert.ok(seen.has(id), `${id} not reached by Tab (reached: ${[...seen].join(' ')})`);
  }
});

test('screenshots of every panel at desktop and phone width', async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // A state worth showing: the cash-in example as the Kazakh page prints it, and a diagnosis.
  await selectExample('cash-in-100.0');
  await page.fill('#lab-secret', SECRET);
  await page.fill('#lab-received', 'c836c839a89e2eaa6d1c384b4716918cd75080f18431c9d3b8341e390a742996');
  await page.click('#lab-check');
  await page.selectOption('#rb-provider', 'agws');
  await page.selectOption('#rb-operation', 'cashIn');
  await page.click('#rb-build');
  await page.selectOption('#rd-provider', 'agws');
  await page.selectOption('#rd-operation', 'check');
  await page.fill('#rd-body', fixture('agws/check-success.json'));
  await page.click('#rd-decode');
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    for (const panel of PANELS) {
      await page.locator(`#${panel}`).screenshot({ path: `${ARTIFACTS}playground-${panel}-${name}.png` });
    }
    // Nothing overflows sideways at this width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name}: page is ${overflow}px wider than the viewport`);
  }
  await page.setViewportSize(VIEWPORTS.desktop);
  await page.locator('#lab').screenshot({ path: SCREENSHOT });
});

test('no request leaves the page after it has loaded', () => {
  assert.deepEqual(afterLoad, []);
});

// The package's browser entry in real headless Chromium, loaded from a local server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import registry from '../../pkg/dist/registry.js';
import { expectedFor } from './support/entry-checks.mjs';
import { serveStatic } from './support/static-server.mjs';
import { launchChromium } from './support/chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let server;
let browser;

before(async () => {
  server = await serveStatic(root);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('a page importing the browser entry signs the cash-in example', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/tests/browser/sign.html`);
  const result = await page.waitForFunction(() => window.kassaResult, null, { timeout: 15000 }).then((h) => h.jsonValue());
  assert.deepEqual(errors, []);
  assert.equal(result.signature, '9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2');
  assert.equal(result.errorIsKassa, true);
  assert.equal(result.errorField, 'body.amount');
  assert.equal(result.request.headers['X-Signature'], '06db6a7291b1503767ecedfe73dae0699474f58fea091c602a4d7afd696fb528');
  await page.close();
});

test('every entry in Chromium: its exports and its examples, fetching only its own .wasm', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${server.url}/tests/browser/sign.html`);
    await page.waitForFunction(() => window.kassaResult, null, { timeout: 15000 });
    for (const entry of registry.entries) {
      const wasm = [];
      const onRequest = (request) => { if (request.url().endsWith('.wasm')) wasm.push(new URL(request.url()).pathname); };
      page.on('request', onRequest);
      // The file the `browser` condition of the entry's subpath points at.
      const seen = await page.evaluate(async ({ url, checks }) => {
        const k = await import(url);
        const { runChecks } = await import(checks);
        const root = await import('/pkg/dist/kassa/browser.js');
        return { exports: Object.keys(k).sort(), checks: runChecks(k), sameError: k.KassaError === root.KassaError };
      }, { url: `/pkg/dist/${entry.name}/browser.js`, checks: '/tests/js/support/entry-checks.mjs' });
      page.off('request', onRequest);
      assert.deepEqual(seen.exports, ['KassaError', ...entry.classes, ...entry.functions].sort(), entry.specifier);
      assert.deepEqual(seen.checks, expectedFor(entry), entry.specifier);
      assert.equal(seen.sameError, true);
      // The root's wasm was fetched by sign.html already; every other entry fetches its own only.
      if (entry.name !== 'kassa') assert.deepEqual(wasm, [`/pkg/dist/${entry.name}/kassa_bg.wasm`], entry.specifier);
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the browser entry calls the emulator cross-origin: pay until final, and 1014 on a wrong secret', async () => {
  const { startEmulator, DEFAULT_CREDENTIALS } = await import('kassa/emulator');
  const emulator = await startEmulator({ timing: { pendingPolls: 1, callbackAttempts: 1 } });
  const page = await browser.newPage();
  try {
    await page.goto(`${server.url}/tests/browser/call.html`);
    await page.waitForFunction(() => window.kassa, null, { timeout: 15000 });
    const externalId = `browser-${Date.now()}`;
    const outcome = await page.evaluate(async ({ baseUrl, credentials, externalId }) => {
      const { TarlanAgws, KassaError } = window.kassa;
      const agws = new TarlanAgws({ baseUrl, ...credentials });
      const account = await agws.check({ username: '989898', service_code: '201106' });
      const payment = await agws.payUntilFinal(
        { username: '989898', amount: '250.75', service_code: '201106', external_id: externalId },
        { pollIntervalMs: 20, maxPollIntervalMs: 50, deadlineMs: 5000 },
      );
      let wrong = null;
      try {
        await new TarlanAgws({ baseUrl, ...credentials, secret: 'wrong' }).check({ username: '989898', service_code: '201106' });
      } catch (e) {
        wrong = { isKassa: e instanceof KassaError, kind: e.kind, code: e.code, httpStatus: e.httpStatus };
      }
      return { accountStatus: account.account_status, outcome: payment.outcome, status: payment.data.status_code, wrong };
    }, { baseUrl: emulator.baseUrls.agws, credentials: DEFAULT_CREDENTIALS.agws, externalId });
    assert.deepEqual(outcome, {
      accountStatus: 1, outcome: 'success', status: '2', wrong: { isKassa: true, kind: 'signature', code: 1014, httpStatus: 400 },
    });
    assert.equal(emulator.ledger.agws.payments[externalId].status, '2');
    assert.equal(emulator.ledger.agws.payments[externalId].performed, 1);
  } finally {
    await page.close();
    await emulator.close();
  }
});

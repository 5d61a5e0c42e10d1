// The package's browser entry in real headless Chromium, loaded from a local server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

/** The file the `browser` condition of the package's exports gives for an entry's specifier. */
function browserFile(entry) {
  const { exports } = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
  const subpath = entry.specifier === 'kassa' ? '.' : `./${entry.specifier.slice('kassa/'.length)}`;
  const target = exports[subpath]?.browser ?? exports['./*'].browser.replace('*', subpath.slice(2));
  return `/pkg/${target.replace(/^\.\//, '')}`;
}

test('every entry in Chromium: its exports and its examples, fetching only its own .wasm', async () => {
  for (const entry of registry.entries) {
    // A fresh context each time (no module map, no cache) on a page that has loaded nothing, so
    // an entry that also loaded the root module would show its .wasm.
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const wasm = [];
    page.on('request', (request) => { if (request.url().endsWith('.wasm')) wasm.push(new URL(request.url()).pathname); });
    try {
      await page.goto(`${server.url}/tests/browser/blank.html`);
      const url = browserFile(entry);
      const seen = await page.evaluate(async ({ url, checks }) => {
        const k = await import(url);
        const { runChecks } = await import(checks);
        return { exports: Object.keys(k).sort(), checks: runChecks(k) };
      }, { url, checks: '/tests/js/support/entry-checks.mjs' });
      assert.deepEqual(seen.exports, ['KassaError', ...entry.classes, ...entry.functions].sort(), entry.specifier);
      assert.deepEqual(seen.checks, expectedFor(entry), entry.specifier);
      assert.deepEqual(wasm, [`/pkg/dist/${entry.name}/kassa_bg.wasm`], entry.specifier);
      // One KassaError class across entries: the root imported after this one is the same class.
      const sameError = await page.evaluate(async ({ url, root }) => (await import(url)).KassaError === (await import(root)).KassaError,
        { url, root: browserFile({ specifier: 'kassa' }) });
      assert.equal(sameError, true, entry.specifier);
      assert.deepEqual(errors, [], entry.specifier);
    } finally {
      await context.close();
    }
  }
});

test('kassa/journal in Chromium: a memory-store journal over a kassa/tarlan client, the one KassaError, no .wasm of its own', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const wasm = [];
  page.on('request', (request) => { if (request.url().endsWith('.wasm')) wasm.push(new URL(request.url()).pathname); });
  try {
    await page.goto(`${server.url}/tests/browser/blank.html`);
    const { exports } = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
    const journalUrl = `/pkg/${exports['./journal'].default.replace(/^\.\//, '')}`;
    const seen = await page.evaluate(async ({ journalUrl, tarlanUrl }) => {
      const j = await import(journalUrl);
      const afterJournal = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm')).length;
      const t = await import(tarlanUrl);
      const journal = new j.PaymentJournal({ store: j.memoryStore(), clients: { agws: new t.TarlanAgws({ secret: '12345', agent: 'tarlan', project: 'mobile' }) } });
      await journal.migrate();
      let refused = null;
      try { await journal.pay('agws', 'status', {}); } catch (e) { refused = { isKassa: e instanceof t.KassaError, field: e.field }; }
      return { afterJournal, missing: await journal.get('agws:cashIn:nothing'), refused, sameError: j.KassaError === t.KassaError };
    }, { journalUrl, tarlanUrl: browserFile({ specifier: 'kassa/tarlan' }) });
    assert.deepEqual(seen, { afterJournal: 0, missing: null, refused: { isKassa: true, field: 'operation' }, sameError: true });
    assert.deepEqual(wasm, ['/pkg/dist/tarlan/kassa_bg.wasm']);
  } finally {
    await context.close();
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

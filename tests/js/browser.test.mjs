// The package's browser entry in real headless Chromium, loaded from a local server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
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

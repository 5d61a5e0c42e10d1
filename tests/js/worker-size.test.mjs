// A Worker that imports only kassa/tarlan (tests/workers/tarlan-only.mjs), bundled by wrangler
// itself (`wrangler deploy --dry-run --outdir`): the upload holds exactly one .wasm — the
// kassa/tarlan module, not the all-in-one root — and that .wasm is within the module's size
// target (issue 12: <= 150 KB raw, <= 60 KB gzip -9). bench/modules.mjs prints the same figures.
// The size target is not met yet (README "Size and speed"): its test is marked TODO, so every
// run prints the measured figures next to the target without failing CI, and the marker goes
// the day the module fits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { wranglerDryRun } from './support/wrangler.mjs';

const KB = 1024;
let bundle;
let wasm;

before(async () => {
  bundle = await wranglerDryRun(fileURLToPath(new URL('../workers/tarlan-only.mjs', import.meta.url)));
  wasm = bundle.files.filter((f) => f.name.endsWith('.wasm'));
});
after(() => rmSync(bundle.dir, { recursive: true, force: true }));

test('wrangler bundles a kassa/tarlan Worker with exactly one .wasm: the module\'s own', () => {
  assert.equal(wasm.length, 1, `one .wasm in ${wasm.map((f) => f.name)}`);
  const sha256 = (path) => createHash('sha256').update(readFileSync(new URL(path, import.meta.url))).digest('hex');
  assert.equal(wasm[0].sha256, sha256('../../pkg/dist/tarlan/kassa_bg.wasm'), 'the .wasm is kassa/tarlan\'s, byte for byte');
  assert.notEqual(wasm[0].sha256, sha256('../../pkg/dist/kassa/kassa_bg.wasm'), 'not the all-in-one module');
});

test('the kassa/tarlan .wasm in that bundle is within its size target (150 KB raw, 60 KB gzip -9), the upload within 100 KiB gzip', {
  todo: 'issue 12 size targets not met yet — see README "Size and speed"',
}, () => {
  assert.ok(wasm[0].bytes <= 150 * KB, `${wasm[0].bytes} bytes raw, target <= ${150 * KB}`);
  assert.ok(wasm[0].gzip <= 60 * KB, `${wasm[0].gzip} bytes gzip -9, target <= ${60 * KB}`);
  assert.ok(bundle.gzipKiB <= 100, `wrangler's upload ${bundle.gzipKiB} KiB gzip, target <= 100 KiB`);
});

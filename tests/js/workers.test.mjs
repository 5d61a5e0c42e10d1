// The package in the real Workers runtime (workerd via Miniflare), serving requests: the Worker
// of tests/workers/sign-worker.mjs, and one Worker that imports every entry of the registry and
// runs each entry's checks (tests/js/support/entry-checks.mjs) inside workerd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import registry from '../../pkg/dist/registry.js';
import { expectedFor } from './support/entry-checks.mjs';
import { startWorker } from './support/worker-bundle.mjs';

test('a Worker importing kassa by name signs the cash-in example', async () => {
  const mf = await startWorker(fileURLToPath(new URL('../workers/sign-worker.mjs', import.meta.url)));
  try {
    const body = { username: '989898', amount: 100, agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001', datetime: '2022-12-01T15:45:00Z' };
    const response = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body: JSON.stringify(body) });
    assert.equal(response.status, 200);
    const result = await response.json();
    assert.equal(result.signature, '9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2');
    assert.deepEqual(result.error, { isKassa: true, kind: 'validation', field: 'body.amount' });
    assert.equal(result.request.headers['X-Signature'], '06db6a7291b1503767ecedfe73dae0699474f58fea091c602a4d7afd696fb528');
  } finally {
    await mf.dispose();
  }
});

test('every entry in workerd: its exports and its examples, one Worker importing them all', async () => {
  // The Worker is written from the registry, so a new entry is tested without editing this file.
  // Inside the repository (tests/artifacts, git-ignored), so that `kassa` resolves as a dependency.
  const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
  mkdirSync(artifacts, { recursive: true });
  const dir = mkdtempSync(join(artifacts, 'worker-'));
  const checks = fileURLToPath(new URL('./support/entry-checks.mjs', import.meta.url));
  const imports = registry.entries.map((e, i) => `import * as entry${i} from ${JSON.stringify(e.specifier)};`).join('\n');
  const table = registry.entries.map((e, i) => `[${JSON.stringify(e.specifier)}, entry${i}]`).join(', ');
  const script = join(dir, 'worker.mjs');
  writeFileSync(script, `${imports}
import { runChecks } from ${JSON.stringify(checks)};
export default {
  async fetch() {
    const out = {};
    for (const [name, k] of [${table}]) out[name] = { exports: Object.keys(k).sort(), checks: runChecks(k), sameError: k.KassaError === entry0.KassaError };
    return Response.json(out);
  },
};
`);
  const mf = await startWorker(script);
  try {
    const result = await (await mf.dispatchFetch('http://worker.test/')).json();
    for (const entry of registry.entries) {
      const seen = result[entry.specifier];
      assert.deepEqual(seen.exports, ['KassaError', ...entry.classes, ...entry.functions].sort(), entry.specifier);
      assert.deepEqual(seen.checks, expectedFor(entry), entry.specifier);
      assert.equal(seen.sameError, true, entry.specifier);
    }
  } finally {
    await mf.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

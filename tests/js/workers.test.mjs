// The package in the real Workers runtime (workerd via Miniflare), serving a request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
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

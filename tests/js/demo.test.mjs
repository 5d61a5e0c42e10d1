// The README's main command runs examples/demo.mjs; this keeps it honest in the test command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('the end-to-end demo passes every step against the emulator', () => {
  const demo = fileURLToPath(new URL('../../examples/demo.mjs', import.meta.url));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KASSA_')));
  const run = spawnSync(process.execPath, [demo], { encoding: 'utf8', env, timeout: 60_000 });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /All demo steps gave the expected results\./);
  assert.doesNotMatch(run.stdout, /✘/);
  for (const part of ['Tarlan AGWS', 'Tarlan acquiring', 'Assist', 'FiscalBox', 'Soliq link', 'webhook signature verified', 'recovered by reconcile() in a new process']) {
    assert.ok(run.stdout.includes(part), `transcript mentions ${part}`);
  }
});

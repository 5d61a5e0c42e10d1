// Bundles a Worker the way wrangler does: package exports resolved with the workerd/worker
// conditions, the .wasm kept as a separate module that workerd compiles (never inlined).
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Miniflare } from 'miniflare';

export async function bundleWorker(entry) {
  const outdir = mkdtempSync(join(tmpdir(), 'kassa-worker-'));
  await build({
    entryPoints: { worker: entry },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    loader: { '.wasm': 'copy' },
    outdir,
    logLevel: 'silent',
  });
  return join(outdir, 'worker.js');
}

export async function startWorker(entry, options = {}) {
  const scriptPath = await bundleWorker(entry);
  return new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    ...options,
  });
}

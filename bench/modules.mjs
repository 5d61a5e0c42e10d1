// Benchmark of the npm entries (run after ./scripts/build.sh), each figure next to its target:
//  - the .wasm each entry loads, raw and gzip -9 (kassa/tarlan: <= 150 KB raw, <= 60 KB gzip;
//    kassa: no larger than the all-in-one module before the split, 679,250 / 268,063 bytes);
//  - a fresh Node process: import(entry) to its first call, median of --runs (kassa/tarlan: < 10 ms);
//  - a Worker importing only kassa/tarlan, as `wrangler deploy --dry-run` uploads it (<= 100 KiB gzip);
//  - tarlanSign of kassa/tarlan against node:crypto in the same process (bench/sign.mjs; >= 1.0x).
// Prints; asserts nothing.
//
//   node bench/modules.mjs [--runs 15] [--seconds 1]
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import registry from '../pkg/dist/registry.js';
import { wranglerDryRun } from '../tests/js/support/wrangler.mjs';

const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const runs = arg('--runs', 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const KB = 1024;
const TARGETS = {
  tarlanRaw: 150 * KB,
  tarlanGzip: 60 * KB,
  rootRaw: 679_250,
  rootGzip: 268_063,
  coldMs: 10,
  workerGzipKiB: 100,
};

const mark = (ok) => (ok ? 'met' : 'NOT met');

function wasmSize(name) {
  const bytes = readFileSync(new URL(`../pkg/dist/${name}/kassa_bg.wasm`, import.meta.url));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** Milliseconds from a fresh process's `import(specifier)` to the end of its first call. */
function coldStart(entry) {
  const call = entry.functions.includes('tarlanSign') ? "k.tarlanSign({a:1},'12345');" : '';
  const script = `const t0=performance.now();const k=await import('${entry.specifier}');${call}console.log(performance.now()-t0)`;
  const times = Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root }).toString()));
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1], call: call ? 'first tarlanSign' : 'import' };
}

console.log(`Entries (pkg/dist/<entry>/kassa_bg.wasm); fresh Node process, median of ${runs} runs:`);
const sizes = {};
const colds = {};
for (const entry of registry.entries) {
  const size = (sizes[entry.name] = wasmSize(entry.name));
  const cold = (colds[entry.name] = coldStart(entry));
  console.log(`  ${entry.specifier.padEnd(16)} ${String(size.raw).padStart(7)} bytes raw ${String(size.gzip).padStart(7)} gzip -9   import → ${cold.call}: median ${cold.median.toFixed(1)} ms (min ${cold.min.toFixed(1)}, max ${cold.max.toFixed(1)})`);
}

const worker = await wranglerDryRun(fileURLToPath(new URL('../tests/workers/tarlan-only.mjs', import.meta.url)));
console.log('A Worker importing only kassa/tarlan, `wrangler deploy --dry-run`:');
for (const file of worker.files) console.log(`  ${file.name.padEnd(52)} ${String(file.bytes).padStart(7)} bytes ${String(file.gzip).padStart(7)} gzip -9`);
console.log(`  wrangler: Total Upload ${worker.uploadKiB} KiB / gzip ${worker.gzipKiB} KiB`);
rmSync(worker.dir, { recursive: true, force: true });

const sign = execFileSync(process.execPath, [fileURLToPath(new URL('./sign.mjs', import.meta.url)), '--seconds', String(arg('--seconds', 1))], { cwd: root }).toString();
const ratio = Number(/kassa\/\(a\) = ([\d.]+)x/.exec(sign)?.[1]);
process.stdout.write(sign);

const t = sizes.tarlan;
const r = sizes[registry.entries[0].name];
console.log('\nTargets:');
console.log(`  kassa/tarlan .wasm raw        ${t.raw} bytes (${(t.raw / KB).toFixed(1)} KiB)   target <= ${TARGETS.tarlanRaw} (150 KiB)   ${mark(t.raw <= TARGETS.tarlanRaw)}`);
console.log(`  kassa/tarlan .wasm gzip -9    ${t.gzip} bytes (${(t.gzip / KB).toFixed(1)} KiB)   target <= ${TARGETS.tarlanGzip} (60 KiB)   ${mark(t.gzip <= TARGETS.tarlanGzip)}`);
console.log(`  kassa/tarlan import → sign    median ${colds.tarlan.median.toFixed(1)} ms   target < ${TARGETS.coldMs} ms   ${mark(colds.tarlan.median < TARGETS.coldMs)}`);
console.log(`  Worker (kassa/tarlan) upload  ${worker.gzipKiB} KiB gzip   target <= ${TARGETS.workerGzipKiB} KiB   ${mark(worker.gzipKiB <= TARGETS.workerGzipKiB)}`);
console.log(`  tarlanSign vs node:crypto     ${ratio.toFixed(2)}x   target >= 1.0x   ${mark(ratio >= 1)}`);
console.log(`  kassa .wasm (must not grow)   ${r.raw} raw / ${r.gzip} gzip   limit ${TARGETS.rootRaw} / ${TARGETS.rootGzip}   ${mark(r.raw <= TARGETS.rootRaw && r.gzip <= TARGETS.rootGzip)}`);

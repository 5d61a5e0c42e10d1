// Bundles a Worker with wrangler itself (`wrangler deploy --dry-run --outdir`): what would be
// uploaded to Cloudflare, and wrangler's own "Total Upload" figures. Used by the Worker size
// test and by bench/modules.mjs.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler');
const QUIET = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false' };

/**
 * Runs `wrangler deploy --dry-run --outdir` on a Worker script. Resolves to the files wrangler
 * would upload (name, bytes, gzip -9 bytes) and the upload totals it printed, in KiB.
 */
export async function wranglerDryRun(script) {
  const dir = mkdtempSync(join(tmpdir(), 'kassa-wrangler-'));
  // The Worker resolves `kassa` from the workspace's node_modules, like a project depending on it.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'worker.mjs'), readFileSync(script));
  writeFileSync(join(dir, 'wrangler.toml'), `name = "kassa-size"\nmain = "worker.mjs"\ncompatibility_date = "2026-04-01"\n`);
  const outdir = join(dir, 'out');
  const { stdout } = await promisify(execFile)(WRANGLER, ['deploy', '--dry-run', '--outdir', outdir], {
    cwd: dir, env: { ...process.env, ...QUIET, NO_COLOR: '1' },
  });
  const total = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(stdout);
  if (!total) throw new Error(`wrangler printed no upload total:\n${stdout}`);
  const files = readdirSync(outdir, { recursive: true })
    .filter((name) => statSync(join(outdir, name)).isFile() && !name.endsWith('.map') && basename(name) !== 'README.md')
    .map((name) => {
      const bytes = readFileSync(join(outdir, name));
      return {
        name, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, sha256: createHash('sha256').update(bytes).digest('hex'),
      };
    });
  return { dir, outdir, files, uploadKiB: Number(total[1]), gzipKiB: Number(total[2]), script: basename(script) };
}

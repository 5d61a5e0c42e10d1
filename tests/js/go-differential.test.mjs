// The Go differential through the wasm build in Node (issue 11): the same generated JSON texts
// as tests/go_differential.rs (one Go process, tests/go/oracle) must give kassa's canonicalJson
// and tarlanSign exactly Go's canonical text and signature. Lone surrogates (kassa refuses them
// by design; Go turns them into U+FFFD) are counted and listed; Go missing is a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { canonicalJson, tarlanSign, KassaError } from 'kassa';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEED = '11';
const COUNT = 12_000;
const SECRET = '12345';

function oracle() {
  const run = spawnSync('bash', ['tests/go/oracle.sh', 'gen', '--seed', SEED, '--count', String(COUNT), '--secret', SECRET], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(run.status, 0, `the Go oracle did not run (Go is required; ./scripts/setup.sh --go installs Debian's golang-go): ${run.stderr}`);
  const [header, ...lines] = run.stdout.trimEnd().split('\n');
  const text = (b64) => Buffer.from(b64, 'base64').toString('utf8');
  return {
    header: header.replace(/^# /, ''),
    records: lines.map((line) => {
      const [n, flags, body, canonical, signable, signature] = line.split('\t');
      const goError = signature.startsWith('go-error:') ? signature.slice('go-error:'.length) : null;
      return {
        n: Number(n), lone: flags.split(',').includes('lone'), text: text(body),
        go: goError === null ? { canonical: text(canonical), signable: text(signable), signature } : null, goError,
      };
    }),
  };
}

function attempt(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    assert.ok(error instanceof KassaError, `not a KassaError: ${error}`);
    return { error };
  }
}

test('kassa (wasm in Node) signs exactly like Go encoding/json over 12,000 generated texts', (t) => {
  const { header, records } = oracle();
  assert.ok(records.length >= 10_000);
  let agreed = 0;
  let refusedByBoth = 0;
  const byDesign = [];
  const mismatched = [];
  for (const r of records) {
    const canonical = attempt(() => canonicalJson(r.text));
    const signature = attempt(() => tarlanSign(r.text, SECRET));
    const refused = Boolean(canonical.error && signature.error);
    if (r.lone) {
      if (refused) byDesign.push(r.n);
      else mismatched.push(`#${r.n} holds a lone surrogate but kassa accepted it: ${JSON.stringify(r.text)}`);
    } else if (r.goError !== null) {
      if (refused) {
        agreed += 1;
        refusedByBoth += 1;
      } else {
        mismatched.push(`#${r.n} Go refused it (${r.goError}) but kassa accepted it: ${JSON.stringify(r.text)}`);
      }
    } else if (canonical.value === r.go.canonical && signature.value === r.go.signature) {
      agreed += 1;
    } else {
      mismatched.push(`#${r.n} ${JSON.stringify(r.text)}\n  go:    ${r.go.canonical}\n  kassa: ${canonical.value ?? canonical.error.message}`);
    }
  }
  const summary = `go differential, wasm in Node (${header}): ${records.length} texts — agreed ${agreed} (of which refused by both ${refusedByBoth}), `
    + `mismatched ${mismatched.length}, refused by design (lone surrogates) ${byDesign.length}`;
  t.diagnostic(summary);
  t.diagnostic(`refused by design (record numbers): ${byDesign.join(' ')}`);
  for (const m of mismatched.slice(0, 20)) t.diagnostic(`MISMATCH ${m}`);
  console.log(summary);
  assert.deepEqual(mismatched, []);
  assert.ok(byDesign.length > 0, 'lone surrogates were generated');
  assert.equal(agreed + byDesign.length, records.length, 'every text is counted once');
});

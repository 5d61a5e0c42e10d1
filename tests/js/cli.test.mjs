// The `kassa` command (pkg/bin/kassa.mjs) of the built package ($KASSA_PKG, default pkg/):
// every subcommand against files and stdin, outputs and exit codes, and the refusal of
// secrets given as arguments. Wrong signatures are built here with node:crypto.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG = process.env.KASSA_PKG ?? fileURLToPath(new URL('../../pkg', import.meta.url));
const BIN = join(PKG, 'bin', 'kassa.mjs');
const signatures = JSON.parse(readFileSync(new URL('../fixtures/tarlan-signatures.json', import.meta.url), 'utf8'));
const vector = (name) => signatures.vectors.find((v) => v.name === name);

const SECRET = '12345';
const CHECK = vector('agws-test-check');
const CASH_IN = vector('agws-test-cash-in');
const STATUS = vector('agws-test-status');
const CHECK_BASE64 = 'eyJhZ2VudCI6InRhcmxhbiIsInByb2plY3QiOiJtb2JpbGUiLCJzZXJ2aWNlX2NvZGUiOiIyMDExMDYiLCJ1c2VybmFtZSI6Ijk4OTg5OCJ9';

const sha256hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');

let dir;
const file = (name, text) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kassa-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs kassa; `env` is added to a clean environment without KASSA_SECRET. */
function kassa(args, { input, env = {} } = {}) {
  const base = { ...process.env };
  delete base.KASSA_SECRET;
  delete base.KASSA_PASSWORD;
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: input ?? '',
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 30000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const withSecret = { env: { KASSA_SECRET: SECRET } };

test('--help for kassa and for every command', () => {
  const top = kassa(['--help']);
  assert.equal(top.code, 0);
  for (const command of ['sign', 'verify', 'diagnose', 'build', 'emulator']) assert.match(top.stdout, new RegExp(`\\n  ${command}\\b`));
  for (const command of ['sign', 'verify', 'diagnose', 'build']) {
    const help = kassa([command, '--help']);
    assert.equal(help.code, 0, command);
    assert.match(help.stdout, new RegExp(`^Usage: kassa ${command}`), command);
    assert.equal(kassa(['help', command]).stdout, help.stdout);
  }
  const emulator = kassa(['emulator', '--help']);
  assert.equal(emulator.code, 0);
  assert.match(emulator.stdout, /Usage: kassa emulator/);
  const none = kassa([]);
  assert.equal(none.code, 2);
  assert.match(none.stdout, /Usage: kassa/);
  const unknown = kassa(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});

test('sign: documented signatures from files and from stdin', () => {
  for (const v of signatures.vectors) {
    const fromFile = kassa(['sign', file(`${v.name}.json`, v.body)], withSecret);
    assert.equal(fromFile.code, 0, `${v.name}: ${fromFile.stderr}`);
    assert.equal(fromFile.stdout, `${v.signature}\n`, v.name);
  }
  for (const v of [CHECK, CASH_IN, STATUS]) {
    const fromStdin = kassa(['sign'], { input: v.body, ...withSecret });
    assert.equal(fromStdin.stdout, `${v.signature}\n`);
    const dash = kassa(['sign', '-'], { input: v.body, ...withSecret });
    assert.equal(dash.stdout, `${v.signature}\n`);
  }
});

test('sign: the secret from the first line of stdin when the body is a file', () => {
  const result = kassa(['sign', file('check.json', CHECK.body)], { input: `${SECRET}\n` });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, `${CHECK.signature}\n`);
  // Body on stdin and no KASSA_SECRET: nowhere to ask.
  const none = kassa(['sign'], { input: CHECK.body });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /KASSA_SECRET/);
});

test('sign --explain and --json show every step, never the secret', () => {
  const explained = kassa(['sign', '--explain', file('check.json', CHECK.body)], withSecret);
  assert.equal(explained.code, 0, explained.stderr);
  assert.ok(explained.stdout.includes(CHECK.canonical));
  assert.ok(explained.stdout.includes(CHECK_BASE64));
  assert.ok(explained.stdout.includes(`X-Signature: ${CHECK.signature}`));
  assert.ok(explained.stdout.includes(`Authorization: Bearer ${CHECK.signature}`));
  assert.match(explained.stdout, /keys sorted/);
  assert.ok(!explained.stdout.includes(`${CHECK_BASE64}${SECRET}`));
  const json = kassa(['sign', '--json'], { input: CASH_IN.body, ...withSecret });
  assert.equal(json.code, 0);
  const steps = JSON.parse(json.stdout);
  assert.equal(steps.signature, CASH_IN.signature);
  assert.equal(steps.canonical, CASH_IN.canonical);
  assert.equal(steps.headers.agws, `X-Signature: ${CASH_IN.signature}`);
});

test('a secret given as an argument is refused, with the reason', () => {
  const body = file('check.json', CHECK.body);
  for (const args of [
    ['sign', '--secret', 'sup3rs3cr3t', body],
    ['sign', body, '--secret=sup3rs3cr3t'],
    ['verify', body, '--signature', CHECK.signature, '--secret', 'sup3rs3cr3t'],
    ['diagnose', body, '--signature', CHECK.signature, '--password', 'sup3rs3cr3t'],
    ['build', 'agws', 'check', '--secret', 'sup3rs3cr3t'],
  ]) {
    const result = kassa(args, withSecret);
    assert.equal(result.code, 2, args.join(' '));
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /does not take secrets on the command line/);
    assert.match(result.stderr, /KASSA_SECRET/);
    assert.ok(!result.stderr.includes('sup3rs3cr3t'));
  }
  // Nor inside inline client options.
  const inline = kassa(['build', 'agws', 'check', '--options', '{"secret":"sup3rs3cr3t"}'], withSecret);
  assert.equal(inline.code, 2);
  assert.match(inline.stderr, /does not take secrets on the command line/);
  assert.ok(!inline.stderr.includes('sup3rs3cr3t'));
});

test('errors exit non-zero with the KassaError message', () => {
  const badJson = kassa(['sign'], { input: '{"amount": 1,', ...withSecret });
  assert.equal(badJson.code, 1);
  assert.match(badJson.stderr, /^kassa: `body` is not valid JSON/);
  const badSecret = kassa(['sign', file('check.json', CHECK.body)], { env: { KASSA_SECRET: '12345\n' } });
  assert.equal(badSecret.code, 1);
  assert.match(badSecret.stderr, /`secret` contains whitespace/);
  const missing = kassa(['sign', join(dir, 'nope.json')], withSecret);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read body file/);
});

test('verify: match exits 0, mismatch exits 1', () => {
  const body = file('status.json', STATUS.body);
  const ok = kassa(['verify', body, '--signature', STATUS.signature], withSecret);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'match\n');
  const bearer = kassa(['verify', '--signature', `Bearer ${STATUS.signature}`], { input: STATUS.body, ...withSecret });
  assert.equal(bearer.code, 0);
  const bad = kassa(['verify', body, '--signature', CHECK.signature], withSecret);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, 'mismatch\n');
  assert.match(bad.stderr, /kassa diagnose/);
  const noSignature = kassa(['verify', body], withSecret);
  assert.equal(noSignature.code, 2);
  assert.match(noSignature.stderr, /--signature/);
});

test('diagnose: names the mistake and its fix', () => {
  const check = file('check.json', CHECK.body);
  const cases = [
    // Keys in the order written.
    [check, sha256hex(b64('{"username":"989898","agent":"tarlan","project":"mobile","service_code":"201106"}') + SECRET), 'unsorted_keys'],
    // Python's default separators.
    [check, sha256hex(b64('{"agent": "tarlan", "project": "mobile", "service_code": "201106", "username": "989898"}') + SECRET), 'spaces_after_separators'],
    // HMAC.
    [check, createHmac('sha256', SECRET).update(CHECK_BASE64).digest('hex'), 'hmac'],
    // §4.4's negative check: 100.0.
    [file('cash-in.json', CASH_IN.body), 'c836c839a89e2eaa6d1c384b4716918cd75080f18431c9d3b8341e390a742996', 'whole_number_as_float'],
  ];
  for (const [body, signature, mistake] of cases) {
    const result = kassa(['diagnose', body, '--signature', signature], withSecret);
    assert.equal(result.code, 1, `${mistake}: ${result.stderr}`);
    assert.match(result.stdout, /^verdict: mistake\n/);
    assert.ok(result.stdout.includes(`[${mistake}]`), result.stdout);
    assert.match(result.stdout, /Fix: /);
    assert.ok(result.stdout.includes(`expected: ${body.endsWith('check.json') ? CHECK.signature : CASH_IN.signature}`));
  }
  const json = kassa(['diagnose', '--json', '--signature', CHECK.signature.toUpperCase()], { input: CHECK.body, ...withSecret });
  assert.equal(json.code, 1);
  const d = JSON.parse(json.stdout);
  assert.equal(d.verdict, 'mistake');
  assert.deepEqual(d.mistakes.map((m) => m.id), ['uppercase_hex']);
  const match = kassa(['diagnose', check, '--signature', CHECK.signature], withSecret);
  assert.equal(match.code, 0);
  assert.match(match.stdout, /^verdict: match\n/);
});

test('build: the exact request, as JSON or curl, params from a file, stdin or inline', () => {
  const options = file('options.json', JSON.stringify({ agent: 'tarlan', project: 'mobile' }));
  const params = file('params.json', JSON.stringify({ username: '989898', service_code: '201106' }));
  const json = kassa(['build', 'agws', 'check', '--options', options, '--params', params], withSecret);
  assert.equal(json.code, 0, json.stderr);
  const request = JSON.parse(json.stdout);
  assert.equal(request.method, 'POST');
  assert.match(request.url, /\/showcase-gateway\/api\/v1\/user\/check$/);
  assert.equal(request.headers['X-Signature'], CHECK.signature);
  assert.equal(request.body, CHECK.canonical);
  const fromStdin = kassa(['build', 'TarlanAgws', 'check', '--options', options, '--params', '-'], {
    input: JSON.stringify({ username: '989898', service_code: '201106' }), ...withSecret,
  });
  assert.deepEqual(JSON.parse(fromStdin.stdout), request);
  const curl = kassa(['build', 'agws', 'check', '--options', '{"agent":"tarlan","project":"mobile"}',
    '--params', '{"username":"989898","service_code":"201106"}', '--curl'], withSecret);
  assert.equal(curl.code, 0, curl.stderr);
  assert.match(curl.stdout, /^curl /);
  assert.ok(curl.stdout.includes(`X-Signature: ${CHECK.signature}`));
  assert.ok(curl.stdout.includes(CHECK.canonical));
  // A provider without a secret: FiscalBox.
  const fiscalbox = kassa(['build', 'fiscalbox', 'deviceInfo']);
  assert.equal(fiscalbox.code, 0, fiscalbox.stderr);
  assert.equal(JSON.parse(fiscalbox.stdout).method, 'GET');
});

test('build: listing operations, and errors', () => {
  const list = kassa(['build', 'agws']);
  assert.equal(list.code, 2);
  assert.match(list.stdout, /\n {2}cashIn\s+POST /);
  assert.match(list.stderr, /needs an operation/);
  const help = kassa(['build', 'agws', 'cashIn', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /external_id: string/);
  const unknown = kassa(['build', 'paypal', 'x']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown provider "paypal"/);
  const invalid = kassa(['build', 'agws', 'check', '--options', '{"agent":"tarlan","project":"mobile"}', '--params', '{"service_code":"201106"}'], withSecret);
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /^kassa: `username` is required/);
  const noSecret = kassa(['build', 'agws', 'check', '--params', '{"username":"1","service_code":"2"}']);
  assert.equal(noSecret.code, 1);
  assert.match(noSecret.stderr, /secret/);
  const badParams = kassa(['build', 'agws', 'check', '--params', '{oops'], withSecret);
  assert.equal(badParams.code, 2);
  assert.match(badParams.stderr, /params is not valid JSON/);
});

test('emulator: starts the local emulator and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => { err += chunk; });
  const url = await new Promise((resolve, reject) => {
    // Generous: a loaded CI machine can take a while to start Node and the wasm module.
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out} ${err}`)), 60000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${out} ${err}`)));
  });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+/);
  const code = await new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (c, signal) => resolve(c ?? signal));
    child.kill('SIGTERM');
  });
  assert.equal(code, 0);
});

#!/usr/bin/env node
// kassa: sign, verify and diagnose Tarlan signatures, build any request of any client, run
// the local emulator. Secrets come from the environment (KASSA_SECRET) or a prompt — never
// from the command line, where `ps` and shell history would keep them.
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const USAGE = `Usage: kassa <command> [options]

Commands:
  sign [file]                      Tarlan signature of a JSON body (file, or stdin)
  verify [file] --signature <hex>  Check a signature (exit 0 if it matches, 1 if not)
  diagnose [file] --signature <hex>
                                   Say why a signature does not match: which common mistake made it
  build <provider> <operation>     Print the signed request (JSON) or, with --curl, a curl command
  emulator [options]               Run the local provider emulator (kassa-emulator)
  help [command]                   Show help for a command

The secret is read from the environment variable KASSA_SECRET, or asked for (hidden input on a
terminal; the first line of stdin when stdin is a pipe and the body comes from a file).
It is never accepted as a command-line argument. Run "kassa <command> --help" for details.
`;

const HELP = {
  sign: `Usage: kassa sign [file] [--explain] [--json]

Prints the Tarlan signature of a JSON body: lowercase_hex(sha256(base64(canonical_json(body)) + secret)),
with top-level "" fields and additional_data left out. The body is read from <file>, or from stdin
when no file (or "-") is given.

  --explain   print every step: canonical JSON (and what changed from the input), base64,
              the SHA-256 input, the signature and the header lines for both Tarlan hosts
  --json      print the steps as JSON

Secret: KASSA_SECRET, else a prompt. Examples:
  KASSA_SECRET=12345 kassa sign body.json
  echo '{"agent":"tarlan","project":"mobile","service_code":"201106"}' | KASSA_SECRET=12345 kassa sign --explain
`,
  verify: `Usage: kassa verify [file] --signature <hex>

Checks a signature (hex; "X-Signature: " or "Bearer " prefixes allowed) against a body (file, or
stdin) and the secret. Prints "match" and exits 0, or prints "mismatch" and exits 1
(run "kassa diagnose" to find out why).

Secret: KASSA_SECRET, else a prompt. Example:
  KASSA_SECRET=12345 kassa verify body.json --signature 227e9c65...d8c8
`,
  diagnose: `Usage: kassa diagnose [file] --signature <hex> [--json]

Says whether a signature matches the body (file, or stdin) and secret, and if not which common
mistake reproduces it: keys not sorted, spaces after , and : (Python's default separators),
100.0 for 100, PHP's \\/ and \\uXXXX escapes, literal & instead of \\u0026, "" fields or
additional_data signed, base64 without padding or URL-safe, no base64, secret prepended, HMAC
instead of SHA-256, a line break after the secret, no secret, uppercase hex, a base64 digest.
Each mistake is named with its fix. Exits 0 when the signature matches, 1 when it does not.

  --json   print the diagnosis as JSON

Secret: KASSA_SECRET, else a prompt. Example:
  KASSA_SECRET=12345 kassa diagnose body.json --signature c836c839...2996
`,
  build: `Usage: kassa build <provider> <operation> [--params <file|-|json>] [--options <file|json>] [--curl]

Prints the exact request kassa would send, without sending it: {method, url, headers, body} as
JSON, or a curl command with --curl.

  <provider>   a provider id (agws, fiscalbox, ...; "kassa build" lists them) or its class name (TarlanAgws)
  <operation>  an operation of that client; "kassa build <provider>" lists them
  --params     the operation's parameters: a JSON file, "-" for stdin, or inline JSON
  --options    client options (camelCase, e.g. {"agent":"tarlan","project":"mobile"}): a JSON file
               or inline JSON without secrets
  --curl       print a curl command instead of JSON

Secrets come from the environment: KASSA_SECRET becomes the client's "secret" option, and
KASSA_PASSWORD its "password" option, for the clients that have one. Example:
  KASSA_SECRET=12345 kassa build agws check --options '{"agent":"tarlan","project":"mobile"}' \\
    --params '{"username":"989898","service_code":"201106"}' --curl
`,
  emulator: `Usage: kassa emulator [--port 8787] [--host 127.0.0.1] [--quiet]

Runs the local emulator of Tarlan AGWS, Tarlan acquiring, Assist and FiscalBox (the same as
"kassa-emulator"; see "kassa-emulator --help").
`,
};

const SECRET_FLAGS = /^--?(secret|secret-key|secret_key|api-secret|key|password|pass|token)(=|$)/i;
const SECRET_REFUSAL = `kassa does not take secrets on the command line: arguments are visible to every user
in the process list and are saved in shell history. Set the environment variable instead
(KASSA_SECRET, or KASSA_PASSWORD for a password), or leave it unset to be asked for it.`;

class UsageError extends Error {}

/** The package's module entry `kassa/<name>` (each command loads only the wasm it needs). */
function entry(name) {
  return load(`../dist/${name}/node.js`);
}

/** The module entry that exports `fn` (the registry says which). */
async function withFunction(fn) {
  const { entries } = (await load('../dist/registry.js')).default;
  const holder = entries.slice(1).find((e) => e.functions.includes(fn)) ?? entries[0];
  return (await entry(holder.name))[fn];
}

/** A file of the built package, or a message saying how to build it. */
async function load(path) {
  try {
    return await import(path);
  } catch (error) {
    throw new Error(`cannot load the kassa package (${error.message}); if this is a source checkout, run ./scripts/build.sh first`);
  }
}

/** Every provider, from the registry the build generates (src/registry.rs). */
async function providers() {
  return (await load('../dist/registry.js')).default.providers;
}

/** What describe() says of each operation of a provider, without making a client. */
async function operationsOf(provider) {
  const catalog = JSON.parse((await load(`../dist/${provider.module}/catalog.js`)).default);
  return catalog[provider.id] ?? [];
}

/** Splits argv into positionals and --flags (`--name value`, `--name=value`, boolean flags). */
function parse(args, { values = [], booleans = [] }) {
  const positionals = [];
  const flags = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    const [name, inline] = arg.replace(/^--?/, '').split(/=(.*)/s);
    if (name === 'h' || name === 'help') {
      flags.help = true;
    } else if (booleans.includes(name)) {
      flags[name] = true;
    } else if (values.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
  }
  return { positionals, flags };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function readFileText(path, what) {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} file ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
}

/** The body: from a file, or stdin. */
async function readBody(file) {
  if (file && file !== '-') return { text: readFileText(file, 'body'), fromStdin: false };
  if (process.stdin.isTTY) throw new UsageError('no body: give a JSON file, or pipe the body into stdin');
  return { text: await readStdin(), fromStdin: true };
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question) {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The secret: KASSA_SECRET, else a hidden prompt, else the first line of piped stdin. */
async function readSecret(bodyFromStdin) {
  const fromEnv = process.env.KASSA_SECRET;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (process.stdin.isTTY) return promptHidden('Secret (input hidden): ');
  if (bodyFromStdin) {
    throw new UsageError('no secret: set KASSA_SECRET (the body comes from stdin, so the secret cannot be asked for there)');
  }
  const text = await readStdin();
  const line = text.split(/\r?\n/)[0];
  if (!line) throw new UsageError('no secret: set KASSA_SECRET, or give the secret as the first line of stdin');
  return line;
}

function requireSignature(flags, command) {
  if (flags.signature === undefined) throw new UsageError(`kassa ${command} needs --signature <hex>`);
  return flags.signature;
}

async function cmdSign(args) {
  const { positionals, flags } = parse(args, { booleans: ['explain', 'json'] });
  if (flags.help) return print(HELP.sign);
  if (positionals.length > 1) throw new UsageError('kassa sign takes one body file');
  const body = await readBody(positionals[0]);
  const secret = await readSecret(body.fromStdin);
  if (!flags.explain && !flags.json) return print(`${(await withFunction('tarlanSign'))(body.text, secret)}\n`);
  const e = (await withFunction('explainSignature'))(body.text, secret);
  if (flags.json) return print(`${JSON.stringify(e, null, 2)}\n`);
  const lines = [];
  for (const step of e.steps) {
    lines.push(`${step.title}:`, `  ${step.value}`);
    if (step.id === 'canonical') {
      if (e.changes.length) {
        lines.push('  changed from the input:');
        for (const c of e.changes) lines.push(`    - ${c.message}`);
      }
      if (e.excluded.length) lines.push(`  left out of the signature: ${e.excluded.join(', ')}`);
    }
  }
  return print(`${lines.join('\n')}\n`);
}

async function cmdVerify(args) {
  const { positionals, flags } = parse(args, { values: ['signature'] });
  if (flags.help) return print(HELP.verify);
  const signature = requireSignature(flags, 'verify');
  const body = await readBody(positionals[0]);
  const secret = await readSecret(body.fromStdin);
  if ((await withFunction('tarlanVerify'))(body.text, secret, signature)) return print('match\n');
  print('mismatch\n');
  process.stderr.write('The signature does not match this body and secret; run "kassa diagnose" to find out why.\n');
  return 1;
}

async function cmdDiagnose(args) {
  const { positionals, flags } = parse(args, { values: ['signature'], booleans: ['json'] });
  if (flags.help) return print(HELP.diagnose);
  const signature = requireSignature(flags, 'diagnose');
  const body = await readBody(positionals[0]);
  const secret = await readSecret(body.fromStdin);
  const d = (await withFunction('diagnoseSignature'))(body.text, secret, signature);
  if (flags.json) {
    print(`${JSON.stringify(d, null, 2)}\n`);
    return d.match ? 0 : 1;
  }
  const lines = [`verdict: ${d.verdict}`];
  if (d.verdict === 'match') {
    lines.push('The signature matches.');
  } else {
    d.mistakes.forEach((m, i) => {
      lines.push(`${i + 1}. ${m.title} [${m.id}]`, `   ${m.explanation}`, `   Fix: ${m.fix}`);
    });
    if (!d.mistakes.length) lines.push(d.message);
    if (d.reproduced) lines.push(`signed instead: ${d.reproduced.text}`, `hashed as: ${d.reproduced.hashed}`);
    lines.push(`expected: ${d.expected}`, `received: ${d.received}`);
  }
  print(`${lines.join('\n')}\n`);
  return d.match ? 0 : 1;
}

/** The provider named by its id or its class name, any case. */
function findProvider(list, name) {
  const lower = name.toLowerCase();
  return list.find((p) => p.id.toLowerCase() === lower || p.className.toLowerCase() === lower);
}

/** JSON from inline text (starts with { or [), "-" (stdin) or a file. */
async function jsonArg(value, what) {
  let text;
  if (value === '-') text = await readStdin();
  else if (/^\s*[{[]/.test(value)) text = value;
  else text = readFileText(value, what);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${error.message}`);
  }
}

const SECRET_OPTION_KEYS = ['secret', 'password', 'token'];

async function cmdBuild(args) {
  const { positionals, flags } = parse(args, { values: ['params', 'options'], booleans: ['curl'] });
  const [providerName, operation, ...extra] = positionals;
  if (flags.help && !providerName) return print(HELP.build);
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  const list = await providers();
  const ids = list.map((p) => p.id).join(', ');
  if (!providerName) throw new UsageError(`kassa build needs a provider: ${ids}`);
  const provider = findProvider(list, providerName);
  if (!provider) throw new UsageError(`unknown provider "${providerName}"; one of: ${ids}`);
  const { id, className } = provider;
  // Listing operations needs no client: the same catalog describe() reads.
  if (!operation || flags.help) {
    const ops = await operationsOf(provider);
    const lines = [`Operations of ${className} (kassa build ${id} <operation>):`];
    for (const op of ops) {
      if (flags.help && operation && op.name !== operation) continue;
      lines.push(`  ${op.name.padEnd(22)} ${op.method} ${op.path}  — ${op.summary}`);
      if (flags.help && operation) {
        for (const p of op.params) lines.push(`      ${p.name}${p.required ? '' : '?'}: ${p.type}${p.fromOptions ? ` (or client option ${p.option})` : ''}${p.doc ? ` — ${p.doc}` : ''}`);
      }
    }
    print(`${lines.join('\n')}\n`);
    if (flags.help) return 0;
    throw new UsageError(`kassa build ${id} needs an operation (listed above)`);
  }
  let options = {};
  if (flags.options !== undefined) {
    const inline = /^\s*[{[]/.test(flags.options);
    options = await jsonArg(flags.options, 'options');
    if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new UsageError('options must be a JSON object');
    const secretKey = inline && Object.keys(options).find((key) => SECRET_OPTION_KEYS.includes(key));
    if (secretKey) throw new UsageError(`--options given inline contains "${secretKey}".\n${SECRET_REFUSAL}`);
  }
  const hasOption = (name) => provider.options.some((o) => o.name === name);
  if (process.env.KASSA_SECRET && options.secret === undefined && hasOption('secret')) options.secret = process.env.KASSA_SECRET;
  if (process.env.KASSA_PASSWORD && options.password === undefined && hasOption('password')) options.password = process.env.KASSA_PASSWORD;
  const params = flags.params === undefined ? {} : await jsonArg(flags.params, 'params');
  const Client = (await entry(provider.module))[className];
  const client = new Client(options);
  if (flags.curl) return print(`${client.curl(operation, params)}\n`);
  return print(`${JSON.stringify(client.build(operation, params), null, 2)}\n`);
}

function cmdEmulator(args) {
  if (args.includes('--help') || args.includes('-h')) {
    print(HELP.emulator);
  }
  const script = fileURLToPath(new URL('./kassa-emulator.mjs', import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
    let stopping = false;
    const forward = (signal) => {
      stopping = true;
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      process.stderr.write(`kassa: cannot start the emulator: ${error.message}\n`);
      resolve(1);
    });
    // Stopped by the signal we forwarded (even before the emulator set up its own handler):
    // a normal stop.
    child.on('exit', (code, signal) => resolve(code ?? (stopping && signal ? 0 : 1)));
  });
}

function print(text) {
  process.stdout.write(text);
  return 0;
}

const COMMANDS = { sign: cmdSign, verify: cmdVerify, diagnose: cmdDiagnose, build: cmdBuild, emulator: cmdEmulator };

async function main(argv) {
  const [command, ...rest] = argv;
  if (argv.some((arg) => SECRET_FLAGS.test(arg))) {
    process.stderr.write(`kassa: ${SECRET_REFUSAL}\n`);
    return 2;
  }
  if (!command || command === '--help' || command === '-h') {
    print(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'help') {
    const topic = rest[0];
    if (!topic) return print(USAGE);
    if (!HELP[topic]) throw new UsageError(`no command "${topic}"`);
    return print(HELP[topic]);
  }
  if (command === '--version' || command === 'version') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    return print(`${pkg.version}\n`);
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command "${command}"`);
  return run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`kassa: ${error.message}\nRun "kassa --help" for usage.\n`);
    process.exitCode = 2;
  } else if (error?.name === 'KassaError') {
    process.stderr.write(`kassa: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`kassa: ${error?.message ?? error}\n`);
    process.exitCode = 1;
  }
}

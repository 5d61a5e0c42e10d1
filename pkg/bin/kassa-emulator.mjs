#!/usr/bin/env node
// kassa-emulator: runs the local provider emulator (Tarlan AGWS + acquiring, Assist, FiscalBox).
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/index.mjs';

const HELP = `Usage: kassa-emulator [--port 8787] [--host 127.0.0.1] [--quiet]

Runs a local emulator of Tarlan AGWS, Tarlan acquiring, Assist and FiscalBox on one HTTP port.

Options:
  --port <n>    port to listen on (default 8787; 0 = any free port)
  --host <addr> address to bind (default 127.0.0.1; use 0.0.0.0 to expose it)
  --quiet       do not log requests (the log never contains bodies, headers or secrets)
  -h, --help    show this help

Default test credentials: see DEFAULT_CREDENTIALS in 'kassa/emulator' (the README lists them).
Control API: GET /__emulator/ledger, POST /__emulator/inject, POST /__emulator/reset.
`;

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  process.stderr.write(`${error.message}\n\n${HELP}`);
  process.exit(2);
}

if (args.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be an integer 0..65535, got "${args.port}"\n`);
  process.exit(2);
}

let emulator;
try {
  emulator = await startEmulator({
    port,
    host: args.host,
    log: args.quiet ? null : (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
} catch (error) {
  process.stderr.write(`kassa-emulator: cannot listen on ${args.host}:${port}: ${error.message}\n`);
  process.exit(1);
}

const { baseUrls } = emulator;
process.stdout.write(`kassa emulator listening on ${emulator.url}
  agws              ${baseUrls.agws}
  acquiring         ${baseUrls.acquiring}
  assist            ${baseUrls.assist}
  fiscalbox         ${baseUrls.fiscalbox}
  fiscalboxBilling  ${baseUrls.fiscalboxBilling}
  control           ${emulator.url}/__emulator
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) process.exit(1);
    stopping = true;
    await emulator.close();
    process.exit(0);
  });
}

// kassa/emulator — a local stand-in for Tarlan AGWS, Tarlan acquiring, Assist and FiscalBox
// (device + billing) on one HTTP server, like stripe-mock. Node built-ins only; signatures are
// checked with the emulator's own canonicalizer (./canonical.mjs), never with the SDK's code.
import http from 'node:http';
import { createAcquiring } from './acquiring.mjs';
import { createAgws } from './agws.mjs';
import { createAssist } from './assist.mjs';
import { canonicalJson, tarlanSignature, tarlanSignatureMatches } from './canonical.mjs';
import { FAULT_TYPES, FaultBook, OPERATIONS } from './faults.mjs';
import { createFiscalbox, createFiscalboxBilling } from './fiscalbox.mjs';
import {
  corsHeaders, dropConnection, htmlResponse, jsonResponse, malformedResponse, readBody, trickleResponse, writeResponse,
} from './http.mjs';
import { createLedger } from './ledger.mjs';
import { isPlainObject, sleep } from './util.mjs';

export { OPERATIONS, FAULT_TYPES, canonicalJson, tarlanSignature, tarlanSignatureMatches };

/** The credentials the emulator accepts unless told otherwise (all of them are test values). */
export const DEFAULT_CREDENTIALS = deepFreeze({
  agws: { secret: '12345', agent: 'tarlan', project: 'mobile' },
  acquiring: { merchantId: 1, projectId: 42, secret: 'acq-secret' },
  assist: { merchantId: '123456', login: 'kassa_demo', password: 'demo-pass' },
  // The device API has no auth (spec §0.2: "Auth required: NO"). The emulated device takes
  // QR-wallet amounts in tiyin (the S2 reading of a conflict, spec §0.4); clients must say so
  // themselves (kassa's walletAmountUnit has no default), e.g. `new FiscalBox({ baseUrl, ...creds.fiscalbox })`.
  fiscalbox: { walletAmountUnit: 'tiyin' },
  fiscalboxBilling: { username: 'demo', password: 'demo-pass', inn: '306429662', companyName: 'KASSA EMULATOR LLC' },
});

/** How fast things happen. Tests usually shorten the callback schedule. */
export const DEFAULT_TIMING = deepFreeze({
  pendingPolls: 1, // AGWS: status calls that still see "7" (in progress) before the final status
  pendingMs: null, // AGWS: also finalize this many ms after cash-in (then the callback goes out unasked); null = polls only
  assistNewLookups: 1, // Assist: fiscalreceipt lookups answering status "New" before "Success"
  scan2payPendingPolls: 1, // FiscalBox Scan2pay: status calls answering 105 "not found" before success
  uzqrPendingPolls: 1, // FiscalBox UzQR: status / refund-status calls answering 1 before 2
  fiscalboxClockToleranceMs: 5 * 60 * 1000, // FiscalBox: allowed |request time - device time|; null = no check
  callbackAttempts: 5, // AGWS callbacks / acquiring webhooks: tries until HTTP 200
  callbackBackoffMs: 100, // first retry delay, doubled each time
  callbackTimeoutMs: 5000, // per attempt
  faultDelayMs: 1000, // default `ms` of a delay fault
  slowBodyMs: 3000, // default `ms` of a slowBody fault
});

const MAX_REQUEST_RECORDS = 10_000; // a long-running `kassa-emulator` must not grow without bound
const PROVIDER_ORDER = ['agws', 'acquiring', 'assist', 'fiscalbox', 'fiscalboxBilling'];

/**
 * Starts the emulator. Resolves to a handle with the base URL of every provider, the live
 * ledger, fault injection and reset/close.
 */
export async function startEmulator(options = {}) {
  const { port = 0, host = '127.0.0.1', credentials = {}, timing = {}, log = null } = options;
  const abort = new AbortController();
  const pending = new Set();
  const timers = new Set();
  const faults = new FaultBook();
  const ledger = createLedger();
  ledger.requests = [];

  const ctx = {
    ledger,
    credentials: mergeCredentials(credentials),
    timing: { ...DEFAULT_TIMING, ...timing },
    now: () => Date.now(),
    url: '',
    signal: abort.signal,
    /** Keeps an outbound delivery alive across close() and lets settled() wait for it. */
    track(promise) {
      const tracked = Promise.resolve(promise).then(
        (value) => {
          pending.delete(tracked);
          return value;
        },
        (error) => {
          pending.delete(tracked);
          logLine(`background task failed: ${error?.message ?? error}`);
          return undefined;
        },
      );
      pending.add(tracked);
      return tracked;
    },
    schedule(fn, ms) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timer.unref?.();
      timers.add(timer);
      return timer;
    },
  };

  const providers = {
    agws: createAgws(ctx),
    acquiring: createAcquiring(ctx),
    assist: createAssist(ctx),
    fiscalbox: createFiscalbox(ctx),
    fiscalboxBilling: createFiscalboxBilling(ctx),
  };
  // Longest prefix first: "/fiscalbox-billing" must not be taken for "/fiscalbox".
  const byPrefix = Object.values(providers).sort((a, b) => b.prefix.length - a.prefix.length);

  function logLine(text) {
    if (typeof log === 'function') log(text);
  }

  function inject(spec) {
    const normalized = normalizeFault(spec, ctx.timing);
    faults.inject(normalized.provider, normalized.operation, normalized.fault);
    return normalized;
  }

  function reset() {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    const fresh = createLedger();
    for (const key of Object.keys(fresh)) ledger[key] = fresh[key];
    ledger.requests = [];
    faults.clear();
    for (const name of PROVIDER_ORDER) providers[name].reset();
  }

  // ---- request handling ---------------------------------------------------------------------

  async function onRequest(req, res) {
    const cors = corsHeaders(req);
    const send = (response) => writeResponse(res, withHeaders(response, cors));
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'content-length': 0 });
      res.end();
      return;
    }
    let bodyText;
    try {
      bodyText = await readBody(req);
    } catch {
      send(jsonResponse(413, { error: 'request body too large' }));
      return;
    }
    const request = { method: req.method, path: url.pathname, query: url.searchParams, headers: req.headers, bodyText };

    if (url.pathname === '/__emulator' || url.pathname.startsWith('/__emulator/')) {
      send(await control(request));
      return;
    }
    if (url.pathname === '/' || url.pathname === '') {
      send(jsonResponse(200, info()));
      return;
    }
    const provider = byPrefix.find((p) => url.pathname === p.prefix || url.pathname.startsWith(`${p.prefix}/`));
    if (!provider) {
      send(jsonResponse(404, { error: `no provider at ${url.pathname}`, baseUrls: baseUrls() }));
      return;
    }
    const subpath = url.pathname.slice(provider.prefix.length) || '/';
    const route = provider.route(req.method, subpath);
    if (!route) {
      send(provider.notFound());
      return;
    }
    const operation = provider.refine ? provider.refine(route.operation, request) : route.operation;
    const fault = OPERATIONS[provider.name]?.includes(operation) ? faults.take(provider.name, operation) : null;
    const entry = { provider: provider.name, operation, method: req.method, path: subpath, fault: fault?.type ?? null, status: null, at: new Date().toISOString() };
    ledger.requests.push(entry);
    if (ledger.requests.length > MAX_REQUEST_RECORDS) ledger.requests.splice(0, ledger.requests.length - MAX_REQUEST_RECORDS);

    const run = async () => {
      try {
        return await provider.handle(operation, request, route.params);
      } catch (error) {
        logLine(`${provider.name}.${operation} failed: ${error?.message ?? error}`);
        return provider.internalError();
      }
    };

    if (fault) {
      switch (fault.type) {
        case 'delay':
          await sleep(fault.ms, abort.signal);
          break;
        case 'status500':
          entry.status = 500;
          send(provider.internalError());
          return;
        case 'status502html':
          entry.status = 502;
          send(badGatewayPage());
          return;
        case 'dropBefore':
          entry.status = 'dropped';
          dropConnection(req, res);
          return;
        case 'dropAfter': {
          const response = await run();
          entry.status = 'dropped';
          entry.performedStatus = response.status;
          dropConnection(req, res);
          return;
        }
        case 'malformed': {
          const response = await run();
          entry.status = 200;
          send(malformedResponse(response));
          return;
        }
        case 'slowBody': {
          const response = await run();
          entry.status = response.status;
          await trickleResponse(res, withHeaders(response, cors), fault.ms);
          return;
        }
        default:
          break;
      }
    }
    const response = await run();
    entry.status = response.status;
    // What was answered, so a test can compare the SDK's typed result with the bytes sent.
    entry.responseBody = response.body;
    logLine(`${req.method} ${url.pathname} -> ${response.status}`);
    send(response);
  }

  // ---- control API (/__emulator/*) -------------------------------------------------------------

  async function control(request) {
    const sub = request.path.replace(/^\/__emulator/, '') || '/';
    const body = () => {
      try {
        const value = request.bodyText ? JSON.parse(request.bodyText) : {};
        return isPlainObject(value) ? value : {};
      } catch {
        return null;
      }
    };
    try {
      if (request.method === 'GET' && (sub === '/' || sub === '/info')) return jsonResponse(200, info());
      if (request.method === 'GET' && sub === '/ledger') return jsonResponse(200, ledger);
      if (request.method === 'GET' && sub === '/faults') return jsonResponse(200, { pending: faults.pending() });
      if (request.method === 'POST' && sub === '/inject') {
        const spec = body();
        if (!spec) return jsonResponse(400, { error: 'body must be JSON' });
        const specs = Array.isArray(spec.faults) ? spec.faults : [spec];
        const injected = specs.map(inject);
        return jsonResponse(200, { ok: true, injected, pending: faults.pending() });
      }
      if (request.method === 'POST' && sub === '/faults/clear') {
        faults.clear();
        return jsonResponse(200, { ok: true });
      }
      if (request.method === 'POST' && sub === '/reset') {
        reset();
        return jsonResponse(200, { ok: true });
      }
      if (request.method === 'POST' && sub === '/acquiring/pay') {
        const spec = body() ?? {};
        const tx = await handle.pay(spec.transaction_id, { decline: spec.decline === true, cardNumber: spec.card_number });
        return jsonResponse(200, { ok: true, transaction: tx });
      }
      if (request.method === 'POST' && sub === '/agws/settle') {
        const spec = body() ?? {};
        return jsonResponse(200, { ok: true, payment: handle.settleAgws(spec.external_id, { fail: spec.fail === true }) });
      }
      if (request.method === 'POST' && sub === '/settled') {
        await handle.settled();
        return jsonResponse(200, { ok: true });
      }
    } catch (error) {
      return jsonResponse(400, { error: String(error?.message ?? error) });
    }
    return jsonResponse(404, { error: `unknown control endpoint ${request.method} ${request.path}` });
  }

  function baseUrls() {
    return {
      agws: `${ctx.url}/agws`,
      acquiring: `${ctx.url}/acquiring`,
      assist: `${ctx.url}/assist`,
      fiscalbox: `${ctx.url}/fiscalbox`,
      fiscalboxBilling: `${ctx.url}/fiscalbox-billing`,
    };
  }

  function info() {
    return {
      name: 'kassa emulator',
      url: ctx.url,
      baseUrls: baseUrls(),
      control: `${ctx.url}/__emulator`,
      operations: OPERATIONS,
      faults: FAULT_TYPES,
    };
  }

  // ---- server ---------------------------------------------------------------------------------

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((error) => {
      logLine(`request failed: ${error?.message ?? error}`);
      if (!res.headersSent) {
        try {
          writeResponse(res, jsonResponse(500, { error: 'emulator failure' }));
        } catch {
          res.destroy();
        }
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const printedHost = address.family === 'IPv6' || address.family === 6 ? `[${address.address}]` : address.address;
  ctx.url = `http://${printedHost}:${address.port}`;

  let closing = null;
  const handle = {
    url: ctx.url,
    port: address.port,
    baseUrls: baseUrls(),
    credentials: ctx.credentials,
    timing: ctx.timing,
    operations: OPERATIONS,
    get ledger() {
      return ledger;
    },
    inject,
    faults: { inject, clear: () => faults.clear(), pending: () => faults.pending() },
    reset,
    /** Presses Pay (or Decline) on the hosted page of an acquiring transaction; resolves after the webhook. */
    pay: (transactionId, payOptions = {}) => providers.acquiring.api.completePayment(Number(transactionId), payOptions),
    /** Moves an AGWS payment to its final status now (success, or failed with {fail: true}). */
    settleAgws: (externalId, settleOptions = {}) => providers.agws.api.settle(String(externalId), settleOptions),
    /** Waits until every outbound callback/webhook in flight has finished (delivered or given up). */
    async settled() {
      while (pending.size) await Promise.all([...pending]);
    },
    close() {
      closing ??= (async () => {
        abort.abort();
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        const closed = new Promise((resolve) => server.close(() => resolve()));
        server.closeAllConnections?.();
        // Deliveries in flight were aborted above; give them a moment to record their last attempt.
        const grace = new AbortController();
        await Promise.race([Promise.all([...pending]), sleep(2000, grace.signal)]);
        grace.abort();
        await closed;
      })();
      return closing;
    },
  };
  return handle;
}

function withHeaders(response, headers) {
  return { ...response, headers: { ...headers, ...response.headers } };
}

function badGatewayPage() {
  return htmlResponse(502, '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n');
}

/** Accepts {provider, operation, fault: 'delay' | {type, ms}, ms, times} and returns {provider, operation, fault: {type, ms?, times}}. */
function normalizeFault(spec, timing) {
  if (!isPlainObject(spec)) throw new TypeError('inject() takes { provider, operation, fault, ms?, times? }');
  const raw = typeof spec.fault === 'string' ? { type: spec.fault } : isPlainObject(spec.fault) ? { ...spec.fault } : { type: spec.type };
  const fault = { type: raw.type, times: raw.times ?? spec.times ?? 1 };
  const ms = raw.ms ?? spec.ms;
  if (fault.type === 'delay') fault.ms = ms ?? timing.faultDelayMs;
  if (fault.type === 'slowBody') fault.ms = ms ?? timing.slowBodyMs;
  return { provider: spec.provider, operation: spec.operation, fault };
}

function mergeCredentials(overrides) {
  const out = {};
  for (const name of PROVIDER_ORDER) {
    out[name] = { ...DEFAULT_CREDENTIALS[name], ...(isPlainObject(overrides?.[name]) ? overrides[name] : {}) };
  }
  out.acquiring.merchantId = Number(out.acquiring.merchantId);
  out.acquiring.projectId = Number(out.acquiring.projectId);
  out.assist.merchantId = String(out.assist.merchantId);
  return out;
}

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) deepFreeze(value[key]);
    Object.freeze(value);
  }
  return value;
}

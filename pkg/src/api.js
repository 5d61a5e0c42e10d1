// The public JavaScript API of kassa. Runtime-independent: each entry file (node, workerd,
// browser) initializes the wasm module its own way, calls setup() and re-exports this module.

import {
  KassaError, wasm, guarded, jsonText, secretText, validationError, configError,
  providerInfo, responseText, toKassaError, invokeModule,
} from './internal.js';
import { JOURNAL_STEP } from './journal/protocol.js';

export { KassaError };

/** Go `encoding/json` canonical text of a value or of a JSON string. */
export function canonicalJson(value) {
  return guarded(() => wasm.canonical_json(jsonText(value, 'value')));
}

/** Tarlan signature (lowercase hex) of a body; `""` fields and `additional_data` excluded. */
export function tarlanSign(body, secret) {
  return guarded(() => wasm.tarlan_sign(jsonText(body, 'body'), secretText(secret)));
}

/** Every step of a Tarlan signature: canonical JSON, base64, the hash, the header lines. */
export function explainSignature(body, secret) {
  return invokeModule('explainSignature', [jsonText(body, 'body'), secretText(secret)]);
}

/** Whether a signature someone computed matches, and if not which common mistake produced it. */
export function diagnoseSignature(body, secret, signature) {
  if (typeof signature !== 'string') throw validationError('signature', 'must be a string');
  return invokeModule('diagnoseSignature', [jsonText(body, 'body'), secretText(secret), signature]);
}

/** Reads a Soliq receipt link (ofd.soliq.uz/check?t=&r=&c=&s=) into its parts. */
export function parseSoliqQr(url) {
  return invokeModule('parseSoliqQr', [url]);
}

/** Builds a Soliq receipt link from its parts (the inverse of parseSoliqQr). */
export function buildSoliqQr(parts) {
  return invokeModule('buildSoliqQr', [parts]);
}

/** One receipt model across providers: `toFiscalReceipt('fiscalbox', orderResult)`. */
export function toFiscalReceipt(provider, result) {
  return invokeModule('toFiscalReceipt', [provider, result]);
}

/** Constant-time check of a Tarlan signature (hex, case-insensitive, `Bearer ` allowed). */
export function tarlanVerify(body, secret, signature) {
  if (typeof signature !== 'string') throw validationError('signature', 'must be a string');
  return guarded(() => wasm.tarlan_verify(jsonText(body, 'body'), secretText(secret), signature));
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** Shared behaviour of every provider client; the secret lives only inside wasm memory. */
class KassaClient {
  #inner;
  #provider;

  constructor(providerId, options) {
    if (options === undefined) options = {};
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw configError('options', 'must be an object');
    }
    const { fetch, ...rest } = options;
    if (fetch !== undefined && typeof fetch !== 'function') throw configError('fetch', 'must be a function');
    this.#provider = providerId;
    this.#inner = guarded(() => new wasm.WasmClient(providerId, jsonText(rest, 'options'), fetch));
  }

  /** @internal Calls a Rust method helper of this provider with JSON arguments. */
  invokeHelper(name, args) {
    return JSON.parse(guarded(() => this.#inner.invoke(name, jsonText(args, 'arguments'))));
  }

  /** Every operation this client supports. */
  operations() {
    return providerInfo(this.#provider).operations.map((op) => op.name);
  }

  /** How each operation is declared (method, path, class, params). */
  describe() {
    return structuredClone(providerInfo(this.#provider).operations);
  }

  /** The signed request, without sending it: `{ method, url, headers, body }`. */
  build(operation, params) {
    return JSON.parse(guarded(() => this.#inner.build(String(operation), jsonText(params ?? {}, 'params'))));
  }

  /** The same request as a copy-pasteable curl command. */
  curl(operation, params) {
    return guarded(() => this.#inner.curl(String(operation), jsonText(params ?? {}, 'params')));
  }

  /** Parses `{ status, headers, body }` into the typed result, or throws a KassaError. */
  parse(operation, response) {
    return JSON.parse(guarded(() => this.#inner.parse(String(operation), responseText(response))));
  }

  /** Builds, sends with the transport rules (safe retries, unknown outcomes) and parses. */
  async call(operation, params, options) {
    const { signal, ...rest } = options ?? {};
    try {
      const text = await this.#inner.call(String(operation), jsonText(params ?? {}, 'params'), jsonText(rest, 'options'), signal);
      return JSON.parse(text);
    } catch (error) {
      throw toKassaError(error);
    }
  }

  /** @internal Runs a Rust flow of this provider (see src/flow.rs). */
  async runFlow(name, params, options) {
    const { signal, ...rest } = options ?? {};
    try {
      const text = await this.#inner.run_flow(String(name), jsonText(params ?? {}, 'params'), jsonText(rest, 'options'), signal);
      return JSON.parse(text);
    } catch (error) {
      throw toKassaError(error);
    }
  }

  /** @internal One step of the payment journal's state machine (src/journal), for kassa/journal. */
  [JOURNAL_STEP](record, event) {
    if (event?.params !== undefined) jsonText(event.params, 'params'); // names a NaN as `params.x`
    return JSON.parse(guarded(() => this.#inner.journal_step(jsonText(record, 'record'), jsonText(event, 'event'))));
  }

  /** Configuration without secrets. */
  toJSON() {
    return JSON.parse(this.#inner.describe());
  }

  toString() {
    return `[${this.constructor.name} ${this.#inner.describe()}]`;
  }

  [inspectSymbol]() {
    return `${this.constructor.name} ${this.#inner.describe()}`;
  }
}

function codeTables(providerId) {
  return structuredClone(providerInfo(providerId).tables);
}

/** Tarlan Payments AGWS: the showcase gateway and its fiscal receipts. */
export class TarlanAgws extends KassaClient {
  constructor(options) {
    super('agws', options);
  }

  static get codes() {
    return codeTables('agws');
  }
}


/** Tarlan Payments acquiring gateway: hosted form, one-click, pay-outs, refunds, webhooks. */
export class TarlanAcquiring extends KassaClient {
  constructor(options) {
    super('acquiring', options);
  }

  static get codes() {
    return codeTables('acquiring');
  }
}

/** Assist fiscal receipts (`fiscalreceipt`) and fiscalization of external operations. */
export class AssistFiscal extends KassaClient {
  constructor(options) {
    super('assist', options);
  }

  static get codes() {
    return codeTables('assist');
  }
}

/** FiscalBox (Uzbekistan): orders, shifts, QR-wallet payments and confirmations, UzQR, pin-pads. */
export class FiscalBox extends KassaClient {
  constructor(options) {
    super('fiscalbox', options);
  }

  static get codes() {
    return codeTables('fiscalbox');
  }
}

/** FiscalBox billing API (token login, order counts), a separate host. */
export class FiscalBoxBilling extends KassaClient {
  constructor(options) {
    super('fiscalboxBilling', options);
  }

  static get codes() {
    return codeTables('fiscalboxBilling');
  }
}

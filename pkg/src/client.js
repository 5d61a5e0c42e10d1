// The behaviour every provider client shares, and the binding of one entry's wasm. The client
// classes themselves — one per provider, with one method per operation, flow and helper — are
// generated from the Rust registry into each entry's runtime files (src/registry.rs, src/npm.rs),
// so no list of providers or operations is written here.

import { configError, validationError } from './error.js';
import { jsonText, responseText } from './convert.js';
import { drive } from './driver.js';
import { JOURNAL_STEP } from './journal/protocol.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** The 64 hex characters of a signature, which come back at the text buffer's start. */
const SIGNATURE_LENGTH = 64;

/**
 * One entry's wasm glue, its text buffer for the signing hot path (src/wasm/sign.rs) and its
 * `describe` catalog, loaded and parsed on first use.
 */
export class Binding {
  #loadCatalog;
  #catalog = null;
  /** wasm's text buffer: its address, capacity, a view of it in wasm memory and of its start. */
  #buffer = { address: 0, capacity: 0, view: null, signature: null };

  /** `loadCatalog()` gives the catalog's JSON text (read from disk in Node, bundled elsewhere). */
  constructor(wasm, loadCatalog) {
    this.wasm = wasm;
    this.#loadCatalog = loadCatalog;
  }

  /** The operations of a provider as `describe()` returns them. */
  operations(providerId) {
    this.#catalog ??= JSON.parse(this.#loadCatalog());
    return this.#catalog[providerId] ?? [];
  }

  /** A provider's code tables, a fresh copy each time. */
  codes(providerId) {
    return JSON.parse(this.wasm.code_tables(providerId));
  }

  #bufferView(capacity) {
    const buffer = this.#buffer;
    if (capacity > buffer.capacity) {
      buffer.address = this.wasm.text_buffer(capacity);
      buffer.capacity = capacity;
      buffer.view = null;
    }
    // Growing wasm memory detaches its old ArrayBuffer (views of it then have length 0).
    if (buffer.view === null || buffer.view.byteLength === 0) {
      buffer.view = new Uint8Array(this.wasm.wasm_memory().buffer, buffer.address, buffer.capacity);
      buffer.signature = buffer.view.subarray(0, SIGNATURE_LENGTH);
    }
    return buffer.view;
  }

  /**
   * Writes texts one after another, as UTF-8, into wasm's text buffer and returns their byte
   * lengths: one copy each, where wasm-bindgen's string glue allocates and frees every argument
   * and the result of each call (README "Size and speed").
   */
  writeTexts(texts) {
    let capacity = SIGNATURE_LENGTH;
    for (const text of texts) capacity += text.length * 3; // at most 3 UTF-8 bytes per UTF-16 unit
    let view = this.#bufferView(capacity);
    return texts.map((text) => {
      const { written } = encoder.encodeInto(text, view);
      view = view.subarray(written);
      return written;
    });
  }

  /** The signature a buffered signing call left in the text buffer, or the error it returned. */
  signature(error) {
    if (error !== undefined) throw error;
    this.#bufferView(SIGNATURE_LENGTH);
    return decoder.decode(this.#buffer.signature);
  }

  /** A static helper of a provider (`providerId`) or a module function (`''`): JSON in and out. */
  invokeStatic(providerId, name, args) {
    return JSON.parse(this.wasm.invoke_static(providerId, name, jsonText(args, 'arguments')));
  }
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** Shared behaviour of every provider client; the secret lives only inside wasm memory. */
export class KassaClient {
  #binding;
  #provider;
  #inner;
  #fetch;

  constructor(binding, providerId, options) {
    if (options === undefined) options = {};
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw configError('options', 'must be an object');
    }
    const { fetch, ...rest } = options;
    if (fetch !== undefined && typeof fetch !== 'function') throw configError('fetch', 'must be a function');
    this.#binding = binding;
    this.#provider = providerId;
    this.#inner = new binding.wasm.WasmClient(providerId, jsonText(rest, 'options'));
    this.#fetch = fetch;
  }

  /** @internal Calls a Rust method helper of this provider with JSON arguments. */
  invokeHelper(name, args) {
    return JSON.parse(this.#inner.invoke(name, jsonText(args, 'arguments')));
  }

  /** Every operation this client supports. */
  operations() {
    return this.#binding.operations(this.#provider).map((op) => op.name);
  }

  /**
   * How each operation is declared (method, path, class, params with their docs); with a name,
   * that one operation.
   */
  describe(operation) {
    const all = this.#binding.operations(this.#provider);
    if (operation === undefined) return structuredClone(all);
    const found = all.find((op) => op.name === operation);
    if (!found) {
      throw validationError('operation', `names no operation of ${this.constructor.name} (got ${JSON.stringify(String(operation))}); known operations: ${all.map((op) => op.name).join(', ')}`);
    }
    return structuredClone(found);
  }

  /** The signed request, without sending it: `{ method, url, headers, body }`. */
  build(operation, params) {
    return JSON.parse(this.#inner.build(String(operation), jsonText(params ?? {}, 'params')));
  }

  /** The same request as a copy-pasteable curl command. */
  curl(operation, params) {
    return this.#inner.curl(String(operation), jsonText(params ?? {}, 'params'));
  }

  /** Parses `{ status, headers, body }` into the typed result, or throws a KassaError. */
  parse(operation, response) {
    return JSON.parse(this.#inner.parse(String(operation), responseText(response)));
  }

  /** Builds, sends with the transport rules (safe retries, unknown outcomes) and parses. */
  async call(operation, params, options) {
    const { signal, ...rest } = options ?? {};
    const task = this.#inner.call_task(String(operation), jsonText(params ?? {}, 'params'), jsonText(rest, 'options'), Date.now());
    return drive(task, this.#fetch ?? globalThis.fetch, signal);
  }

  /** @internal Runs a Rust flow of this provider (see src/flow.rs). */
  async runFlow(name, params, options) {
    const { signal, ...rest } = options ?? {};
    const task = this.#inner.flow_task(String(name), jsonText(params ?? {}, 'params'), jsonText(rest, 'options'));
    return drive(task, this.#fetch ?? globalThis.fetch, signal);
  }

  /** @internal One step of the payment journal's state machine (src/journal), for kassa/journal. */
  [JOURNAL_STEP](record, event) {
    if (event?.params !== undefined) jsonText(event.params, 'params'); // names a NaN as `params.x`
    return JSON.parse(this.#inner.journal_step(jsonText(record, 'record'), jsonText(event, 'event')));
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

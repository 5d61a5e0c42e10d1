// Plumbing shared by the public API (api.js) and the runtime entries: the wasm glue,
// KassaError (defined in the wasm-free error.js), and the conversion of JS values into the
// JSON text that crosses into wasm.
// Deliberately thin: it checks what JSON.stringify would silently get wrong and turns errors
// coming out of the Rust core into KassaError instances. Everything else is Rust.

import * as wasm from '../dist/kassa.js';
import { KassaError } from './error.js';

export { wasm, KassaError };

/** Largest JSON text accepted from a caller (UTF-16 units): payment bodies are tiny. */
const MAX_JSON_CHARS = 1 << 20;

export function validationError(field, rule) {
  return new KassaError({ kind: 'validation', field, message: `\`${field}\` ${rule}` });
}

export function configError(field, rule) {
  return new KassaError({ kind: 'config', field, message: `client option \`${field}\` ${rule}` });
}

/** Errors leave Rust as the JSON of a KassaError; everything else passes through. */
export function toKassaError(error) {
  if (error instanceof KassaError) return error;
  if (typeof error === 'string' && error.startsWith('{"kind"')) {
    try {
      return new KassaError(JSON.parse(error));
    } catch {
      // not ours after all
    }
  }
  return error;
}

export function guarded(fn) {
  try {
    return fn();
  } catch (error) {
    throw toKassaError(error);
  }
}

/** Finds the path of the first NaN/Infinity in a value (JSON.stringify writes them as null). */
function nonFinitePath(value, path, seen = new Set()) {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (value === null || typeof value !== 'object' || seen.has(value)) return null;
  seen.add(value);
  if (typeof value.toJSON === 'function') return null;
  for (const [key, item] of Object.entries(value)) {
    const found = nonFinitePath(item, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, seen);
    if (found) return found;
  }
  return null;
}

/**
 * JSON text for a value given as an object or as JSON text, refusing what JSON.stringify
 * would silently corrupt: NaN/Infinity (become null), lone UTF-16 surrogates (become U+FFFD
 * when encoded), BigInt and cycles (throw TypeError), oversized input.
 */
export function jsonText(value, what) {
  let text;
  if (typeof value === 'string') {
    if (!value.isWellFormed()) throw validationError(what, 'contains a lone UTF-16 surrogate: the text cannot be encoded as UTF-8');
    text = value;
  } else {
    try {
      text = JSON.stringify(value);
    } catch (error) {
      throw validationError(what, `cannot be converted to JSON (${error.message})`);
    }
    if (text === undefined) throw validationError(what, `must be a JSON value (got ${typeof value})`);
    if (text.includes('null')) {
      const path = nonFinitePath(value, what);
      if (path) throw validationError(path, 'is NaN or Infinity, which JSON cannot carry: send a finite number');
    }
  }
  if (text.length > MAX_JSON_CHARS) throw validationError(what, 'is larger than 1 MiB; payment bodies are small, check what is being sent');
  return text;
}

export function secretText(secret, what = 'secret') {
  if (typeof secret !== 'string') throw validationError(what, `must be a string (got ${secret === null ? 'null' : typeof secret})`);
  if (!secret.isWellFormed()) throw validationError(what, 'contains a lone UTF-16 surrogate');
  return secret;
}

let catalogCache = null;
export function catalog() {
  catalogCache ??= JSON.parse(wasm.catalog());
  return catalogCache;
}

export function providerInfo(id) {
  return catalog().providers.find((p) => p.id === id);
}

/** Calls a module-level helper declared in Rust (JSON arguments in, JSON result out). */
export function invokeModule(name, args) {
  return JSON.parse(guarded(() => wasm.invoke_static('', name, jsonText(args, 'arguments'))));
}

function plainHeaders(headers) {
  if (headers == null) return {};
  if (typeof headers.entries === 'function' && typeof headers.get === 'function') {
    return Object.fromEntries(headers.entries());
  }
  if (typeof headers === 'object') {
    const out = {};
    for (const [key, value] of Object.entries(headers)) {
      if (value != null) out[key] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    return out;
  }
  throw validationError('response.headers', 'must be an object or a Headers instance');
}

export function responseText(response) {
  if (response === null || typeof response !== 'object') {
    throw validationError('response', 'must be an object {status, headers, body}');
  }
  let body = response.body ?? '';
  if (typeof body !== 'string') body = JSON.stringify(body);
  return jsonText({ status: response.status, headers: plainHeaders(response.headers), body }, 'response');
}

let classIndex = null;

/**
 * Adds to a client class what its Rust table declares: one method per operation
 * (`agws.cashIn(params, options)` = `agws.call('cashIn', ...)`), one per flow, and the
 * provider's helpers (src/helper.rs) as static or instance methods.
 */
export function installHelpers(cls, providerId) {
  if (Object.hasOwn(cls, '__kassaInstalled')) return;
  Object.defineProperty(cls, '__kassaInstalled', { value: true });
  classIndex ??= JSON.parse(wasm.class_index());
  const index = classIndex[providerId] ?? { operations: [], helpers: [], flows: [] };
  for (const name of index.operations) {
    Object.defineProperty(cls.prototype, name, {
      configurable: true,
      value(params, options) {
        return this.call(name, params, options);
      },
    });
  }
  for (const name of index.flows) {
    Object.defineProperty(cls.prototype, name, {
      configurable: true,
      value(params, options) {
        return this.runFlow(name, params, options);
      },
    });
  }
  for (const { name, kind } of index.helpers) {
    if (kind === 'static') {
      Object.defineProperty(cls, name, {
        configurable: true,
        value: (...args) => JSON.parse(guarded(() => wasm.invoke_static(providerId, name, jsonText(args, 'arguments')))),
      });
    } else {
      Object.defineProperty(cls.prototype, name, {
        configurable: true,
        value(...args) {
          return this.invokeHelper(name, args);
        },
      });
    }
  }
}


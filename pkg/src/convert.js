// What a JavaScript value becomes before it crosses into wasm. Deliberately thin: it checks
// what JSON.stringify would silently get wrong (NaN, lone surrogates, cycles, BigInt) and names
// the argument in the KassaError. Everything else is Rust. Wasm-free: every entry shares it.

import { validationError } from './error.js';

/** Largest JSON text accepted from a caller (UTF-16 units): payment bodies are tiny. */
const MAX_JSON_CHARS = 1 << 20;

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

/** A string argument (a signature, a name). */
export function stringText(value, what) {
  if (typeof value !== 'string') throw validationError(what, 'must be a string');
  return value;
}

/** A secret: a string that can be encoded as UTF-8. */
export function secretText(secret, what = 'secret') {
  if (typeof secret !== 'string') throw validationError(what, `must be a string (got ${secret === null ? 'null' : typeof secret})`);
  if (!secret.isWellFormed()) throw validationError(what, 'contains a lone UTF-16 surrogate');
  return secret;
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

/** `{ status, headers, body }` (headers may be a Headers instance) as JSON text. */
export function responseText(response) {
  if (response === null || typeof response !== 'object') {
    throw validationError('response', 'must be an object {status, headers, body}');
  }
  let body = response.body ?? '';
  if (typeof body !== 'string') body = JSON.stringify(body);
  return jsonText({ status: response.status, headers: plainHeaders(response.headers), body }, 'response');
}

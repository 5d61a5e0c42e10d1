// Go-compatible canonical JSON and the Tarlan signature, written independently of the SDK.
// The emulator is the SDK's external check, so nothing here may come from the Rust/wasm code:
// it is a clean-room port of what Go's encoding/json prints after
// json.Unmarshal(body, &map[string]interface{}) + json.Marshal(map).
import { createHash, timingSafeEqual } from 'node:crypto';

export class JsonInputError extends Error {}

/** Parses request JSON the way Go would accept it into interface{}; throws JsonInputError otherwise. */
export function parseJsonText(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JsonInputError(error.message);
  }
  assertFiniteNumbers(value);
  return value;
}

// Go refuses numbers outside float64 range ("1e400"); JSON.parse silently yields Infinity.
function assertFiniteNumbers(value) {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new JsonInputError('number out of float64 range');
  } else if (Array.isArray(value)) {
    for (const item of value) assertFiniteNumbers(item);
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) assertFiniteNumbers(value[key]);
  }
}

/** The JSON text Go's json.Marshal prints for a decoded value (keys byte-sorted, HTML-escaped). */
export function canonicalJson(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return goFloat64(value);
    case 'string':
      return goString(value);
    case 'object':
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value);
    default:
      throw new TypeError(`cannot canonicalize a ${typeof value}`);
  }
}

function canonicalArray(items) {
  return `[${items.map(canonicalJson).join(',')}]`;
}

function canonicalObject(object) {
  const keys = Object.keys(object).filter((key) => object[key] !== undefined);
  keys.sort(compareUtf8);
  return `{${keys.map((key) => `${goString(key)}:${canonicalJson(object[key])}`).join(',')}}`;
}

// Go sorts map keys with strings.Compare, i.e. by UTF-8 bytes; JS's default sort compares
// UTF-16 code units, which orders astral characters differently from U+E000..U+FFFF.
function compareUtf8(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * float64 in Go's encoding/json form. ECMAScript Number::toString uses the same shortest
 * round-trip digits and switches to exponent form at the same thresholds (|x| < 1e-6 or
 * >= 1e21) with the same exponent spelling (1e-7, 1e+21); only -0 differs ("0" in JS).
 */
export function goFloat64(number) {
  if (!Number.isFinite(number)) throw new JsonInputError('non-finite number');
  if (Object.is(number, -0)) return '-0';
  return String(number);
}

/** A JSON string literal as Go's encoder writes it with HTML escaping on (the default). */
export function goString(text) {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0);
    out += escapeCodePoint(code, char);
  }
  return `${out}"`;
}

function escapeCodePoint(code, char) {
  switch (code) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x2028:
      return '\\u2028';
    case 0x2029:
      return '\\u2029';
    default:
      break;
  }
  // Controls (incl. \b and \f, written the pre-Go-1.22 way) and the HTML-sensitive < > &.
  if (code < 0x20 || code === 0x3c || code === 0x3e || code === 0x26) {
    return `\\u00${code.toString(16).padStart(2, '0')}`;
  }
  // A lone surrogate cannot be UTF-8; Go's decoder would already have replaced it with U+FFFD.
  if (code >= 0xd800 && code <= 0xdfff) return '\ufffd';
  return char;
}

/** The body Tarlan signs: top-level "" values and top-level additional_data are left out. */
export function signableBody(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(
    Object.entries(body).filter(([key, value]) => value !== '' && key !== 'additional_data'),
  );
}

/** lowercase hex sha256( base64_std(canonical(signable body)) + secret ) — plain SHA-256, not HMAC. */
export function tarlanSignature(body, secret) {
  const canonical = canonicalJson(signableBody(body));
  const base64 = Buffer.from(canonical, 'utf8').toString('base64');
  return createHash('sha256').update(base64 + secret, 'utf8').digest('hex');
}

/** Constant-time, hex-case-insensitive comparison of a presented signature with the expected one. */
export function tarlanSignatureMatches(body, secret, presented) {
  if (typeof presented !== 'string' || !/^[0-9a-fA-F]{64}$/.test(presented)) return false;
  const expected = Buffer.from(tarlanSignature(body, secret), 'hex');
  return timingSafeEqual(expected, Buffer.from(presented, 'hex'));
}

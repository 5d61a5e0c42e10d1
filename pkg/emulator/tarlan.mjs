// What the two Tarlan hosts (AGWS and acquiring) share: Go-struct-like request validation and
// reading the JSON body the way a Go handler would.
import { JsonInputError, parseJsonText } from './canonical.mjs';
import { isPlainObject } from './util.mjs';

/**
 * Checks a decoded body against a field table like { amount: 'number', callback_url: 'string?' }.
 * Types: string, number (float64), int (integral float64), object, bool, any; "?" = optional.
 * Required strings must be non-empty (Go validate:"required"). Returns a problem text or null.
 */
export function checkFields(body, fields) {
  for (const [name, spec] of Object.entries(fields)) {
    const optional = spec.endsWith('?');
    const type = optional ? spec.slice(0, -1) : spec;
    const present = Object.hasOwn(body, name) && body[name] !== null;
    if (!present) {
      if (optional) continue;
      return `${name} is required`;
    }
    const value = body[name];
    if (!hasType(value, type)) return `${name} must be of type ${type}`;
    if (!optional && type === 'string' && value === '') return `${name} is required`;
  }
  return null;
}

function hasType(value, type) {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'object':
      return isPlainObject(value);
    case 'bool':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

/** The decoded JSON object of a request body, or null when Go would refuse to decode it into a struct. */
export function decodeObjectBody(text) {
  if (!text || !text.trim()) return null;
  try {
    const value = parseJsonText(text);
    return isPlainObject(value) ? value : null;
  } catch (error) {
    if (error instanceof JsonInputError) return null;
    throw error;
  }
}

export function bearerToken(headers) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match ? match[1] : null;
}

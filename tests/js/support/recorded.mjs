// Compares a typed SDK result with what the emulator recorded having answered, so "the result
// equals what the emulator recorded" is checked field by field rather than trusted.
import assert from 'node:assert/strict';

/** The last request the emulator recorded for provider.operation since `mark`. */
export function lastRecorded(emulator, provider, operation, mark = 0) {
  const entries = emulator.ledger.requests.slice(mark).filter((e) => e.provider === provider && e.operation === operation);
  assert.ok(entries.length > 0, `the emulator recorded no ${provider}.${operation} request`);
  return entries.at(-1);
}

const sameScalar = (a, b) => {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  // Money and counts may be typed differently (decimal text vs JSON number): compare exactly as text.
  const numeric = (v) => (typeof v === 'number' ? String(v) : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? v.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') : null);
  const na = numeric(a);
  const nb = numeric(b);
  return na !== null && na === nb;
};

/**
 * Every scalar the provider sent (under `payload`) is in `result` at the same path with the
 * same value. Field names are compared case-insensitively when `caseless` (Assist).
 */
export function assertCarries(result, payload, { path = '$', caseless = false, ignore = [] } = {}) {
  if (payload === null || typeof payload !== 'object') {
    assert.ok(sameScalar(result, payload), `${path}: result has ${JSON.stringify(result)}, the emulator sent ${JSON.stringify(payload)}`);
    return;
  }
  assert.ok(result !== null && typeof result === 'object', `${path}: result has ${JSON.stringify(result)}, the emulator sent an object/array`);
  if (Array.isArray(payload)) {
    assert.ok(Array.isArray(result) && result.length === payload.length, `${path}: array length differs`);
    payload.forEach((item, i) => assertCarries(result[i], item, { path: `${path}[${i}]`, caseless, ignore }));
    return;
  }
  for (const [key, value] of Object.entries(payload)) {
    if (ignore.includes(key)) continue;
    const resultKey = caseless ? Object.keys(result).find((k) => k.toLowerCase() === key.toLowerCase()) : key;
    // Empty values may be dropped (Assist sends "" for fields a pending receipt does not have yet).
    if ((value === null || value === '') && (resultKey === undefined || result[resultKey] == null)) continue;
    assert.ok(resultKey !== undefined && resultKey in result, `${path}.${key}: missing from the result (${Object.keys(result).join(', ')})`);
    assertCarries(result[resultKey], value, { path: `${path}.${key}`, caseless, ignore });
  }
}

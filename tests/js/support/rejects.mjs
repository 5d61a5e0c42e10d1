// The one assertion for "this call fails with a KassaError carrying these fields".
import assert from 'node:assert/strict';
import { KassaError } from 'kassa';

/** Awaits `promise`, which must reject with a KassaError whose fields equal `expected`; returns the error. */
export async function rejects(promise, expected) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof KassaError, `expected a KassaError, got ${error}`);
  for (const [k, v] of Object.entries(expected)) assert.equal(error[k], v, `${k}: ${error.message}`);
  return error;
}

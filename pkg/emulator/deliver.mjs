// Outbound notifications (AGWS callbacks, acquiring webhooks). The providers retry until the
// receiver answers HTTP 200 (Go cenkalti/backoff: 500 ms, x2, up to 10 min); the emulator keeps
// the same rule with a short schedule so tests finish quickly, and records every attempt.
import { sleep } from './util.mjs';

/**
 * POSTs `body` (a string) until a 200 arrives or `attempts` are used up.
 * `record(attempt)` is called after each try with {attempt, at, status, error}.
 * Resolves to {delivered, attempts}.
 */
export async function deliverWithRetry({ url, body, headers, timing, signal, record }) {
  for (let attempt = 1; attempt <= timing.callbackAttempts; attempt += 1) {
    const outcome = await postOnce(url, body, headers, timing.callbackTimeoutMs, signal);
    record({ attempt, at: new Date().toISOString(), ...outcome });
    if (outcome.status === 200) return { delivered: true, attempts: attempt };
    if (signal.aborted || attempt === timing.callbackAttempts) return { delivered: false, attempts: attempt };
    await sleep(timing.callbackBackoffMs * 2 ** (attempt - 1), signal);
    if (signal.aborted) return { delivered: false, attempts: attempt };
  }
  return { delivered: false, attempts: 0 };
}

async function postOnce(url, body, headers, timeoutMs, signal) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    const responseBody = await response.text().catch(() => '');
    return { status: response.status, responseBody: responseBody.slice(0, 2000), error: null };
  } catch (error) {
    return { status: null, responseBody: null, error: String(error?.cause?.message ?? error?.message ?? error) };
  }
}

/** A GET to a merchant endpoint (acquiring confirm_url); never throws. */
export async function getOnce(url, headers, timeoutMs, signal) {
  try {
    const response = await fetch(url, {
      method: 'GET',
      headers,
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    return { status: response.status, body: await response.text(), error: null };
  } catch (error) {
    return { status: null, body: null, error: String(error?.cause?.message ?? error?.message ?? error) };
  }
}

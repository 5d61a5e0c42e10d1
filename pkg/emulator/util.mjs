// Small helpers shared by the provider modules: ids, clocks, escaping, sleeping.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** A plain map for ledger tables; no prototype, so ids like "__proto__" are ordinary keys. */
export function dict() {
  return Object.create(null);
}

export function randomDigits(length) {
  let out = '';
  while (out.length < length) out += randomInt(0, 10).toString();
  return out;
}

/** Digits that never start with 0 (ids printed as numbers must keep their length). */
export function randomDigitsNoLeadingZero(length) {
  return randomInt(1, 10).toString() + randomDigits(length - 1);
}

export function randomHex(length, upper = false) {
  const text = randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
  return upper ? text.toUpperCase() : text;
}

export function uuid() {
  return randomUUID();
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Looks like the bcrypt hash Tarlan puts in hosted-page URLs: "$2a$10$" + 53 chars of [./A-Za-z0-9]. */
export function bcryptLikeHash() {
  let tail = '';
  for (let i = 0; i < 53; i += 1) tail += BCRYPT_ALPHABET[randomInt(0, BCRYPT_ALPHABET.length)];
  return `$2a$10$${tail}`;
}

const TASHKENT_OFFSET_MS = 5 * 60 * 60 * 1000;

function pad(number, width = 2) {
  return String(number).padStart(width, '0');
}

/** Wall-clock parts in Tashkent (UTC+5, no DST), the FiscalBox device clock. */
function tashkentParts(epochMs) {
  const d = new Date(epochMs + TASHKENT_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: pad(d.getUTCMonth() + 1),
    day: pad(d.getUTCDate()),
    hour: pad(d.getUTCHours()),
    minute: pad(d.getUTCMinutes()),
    second: pad(d.getUTCSeconds()),
  };
}

/** "yyyy-MM-dd HH:mm:ss" in Tashkent time. */
export function formatTashkent(epochMs) {
  const p = tashkentParts(epochMs);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** "yyyyMMddHHmmss" in Tashkent time (fiscal date_time / QR `c`). */
export function compactTashkent(epochMs) {
  const p = tashkentParts(epochMs);
  return `${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second}`;
}

/** Epoch ms of a "yyyy-MM-dd HH:mm:ss" Tashkent wall-clock string (or "yyyy-MM-ddTHH:mm:ss"), else null. */
export function parseTashkent(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(String(text));
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  // Reject rolled-over dates such as 2024-02-31.
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return utc - TASHKENT_OFFSET_MS;
}

export function isoTimestamp(epochMs) {
  return new Date(epochMs).toISOString();
}

/** RFC 3339 without fractional seconds, as in the AGWS info examples ("2024-10-21T08:43:33Z"). */
export function isoSeconds(epochMs) {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

export const escapeXml = escapeHtml;

export function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function startsWithCi(value, prefix) {
  return typeof value === 'string' && value.toLowerCase().startsWith(prefix);
}

// HTTP plumbing shared by all providers: bodies, responses, CORS, routing tables, and the
// low-level tricks the fault injector needs (truncating, trickling, dropping).
import { sleep } from './util.mjs';

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A response value: handlers return these; the dispatcher (and the fault injector) sends them. */
export function jsonResponse(status, value, headers = {}) {
  return textResponse(status, JSON.stringify(value), 'application/json; charset=utf-8', headers);
}

export function rawJsonResponse(status, text, headers = {}) {
  return textResponse(status, text, 'application/json; charset=utf-8', headers);
}

export function textResponse(status, body, contentType = 'text/plain; charset=utf-8', headers = {}) {
  return { status, headers: { 'content-type': contentType, ...headers }, body: String(body) };
}

export function htmlResponse(status, body, headers = {}) {
  return textResponse(status, body, 'text/html; charset=utf-8', headers);
}

export function xmlResponse(status, body, headers = {}) {
  return textResponse(status, body, 'text/xml; charset=utf-8', headers);
}

export function redirectResponse(location) {
  return textResponse(303, `See Other: ${location}`, 'text/plain; charset=utf-8', { location });
}

/** Headers that let a browser page on any origin call the emulator (incl. signed requests). */
export function corsHeaders(req) {
  const requested = req.headers['access-control-request-headers'];
  const allowed = ['Authorization', 'X-Signature', 'Content-Type', 'SOAPAction', 'Accept'];
  return {
    'access-control-allow-origin': '*',
    // The "*" wildcard does not cover Authorization in the Fetch spec, so it is also listed by name.
    'access-control-allow-headers': ['*', ...allowed, ...(requested ? [requested] : [])].join(', '),
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-expose-headers': '*',
    'access-control-max-age': '600',
  };
}

export function writeResponse(res, response) {
  const body = Buffer.from(response.body ?? '', 'utf8');
  res.writeHead(response.status, { ...response.headers, 'content-length': body.length });
  res.end(body);
}

/**
 * Sends status and headers at once, then the body in small pieces so that the last byte
 * arrives only after `ms` — a client whose deadline covers the body must time out.
 */
export async function trickleResponse(res, response, ms) {
  const body = Buffer.from(response.body ?? '', 'utf8');
  res.writeHead(response.status, { ...response.headers, 'content-length': body.length });
  res.flushHeaders();
  const pieces = Math.max(2, Math.min(body.length, 10));
  const step = Math.ceil(body.length / pieces);
  const closed = new AbortController();
  res.on('close', () => closed.abort());
  for (let offset = 0; offset < body.length; offset += step) {
    if (offset > 0) await sleep(ms / pieces, closed.signal);
    if (closed.signal.aborted) return;
    res.write(body.subarray(offset, offset + step));
  }
  await sleep(ms / pieces, closed.signal);
  if (!closed.signal.aborted) res.end();
}

/** The answer mangled by a proxy: same status line, JSON cut in half (never valid JSON). */
export function malformedResponse(response) {
  const body = response.body ?? '';
  const cut = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
  const mangled = cut.trimEnd().endsWith('}') ? `${cut},` : cut;
  return { status: 200, headers: { ...response.headers }, body: mangled };
}

/** Tears the TCP connection down without a byte of HTTP answer. */
export function dropConnection(req, res) {
  res.socket?.destroy();
  req.socket?.destroy();
}

/**
 * A routing table: [method, path | RegExp, operation]. Returns { operation, params } or null.
 * `normalize` lets FiscalBox accept every path with and without a trailing slash.
 */
export function matchRoute(routes, method, path, { trailingSlashOptional = false } = {}) {
  const candidate = trailingSlashOptional && path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const [routeMethod, pattern, operation] of routes) {
    const methods = Array.isArray(routeMethod) ? routeMethod : [routeMethod];
    if (!methods.includes(method)) continue;
    if (typeof pattern === 'string') {
      const wanted = trailingSlashOptional ? pattern.replace(/\/+$/, '') : pattern;
      if (wanted === candidate) return { operation, params: [] };
    } else {
      const match = pattern.exec(candidate);
      if (match) return { operation, params: match.slice(1).map(decodeURIComponent) };
    }
  }
  return null;
}

/** First value of every query parameter, as Go's url.Values.Get reads it. */
export function queryObject(searchParams) {
  const out = {};
  for (const key of new Set(searchParams.keys())) {
    Object.defineProperty(out, key, { value: searchParams.get(key), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export function headerValue(headers, name) {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

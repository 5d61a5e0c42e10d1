// The fetch driver: performs the sends and sleeps that a call or a flow asks for. What to send,
// when to retry, what an answer means and what the caller's AbortSignal does between two sends
// is decided in Rust by a sans-IO task (src/task.rs over src/transport.rs and src/flow.rs); this
// loop only hands it what happened and does what it says, in the style of the payment journal's
// driver (journal/index.js). Written once for every entry; wasm-free.

/** Network error codes that prove the request never left this machine. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

const text = (value) => (typeof value === 'string' ? value : undefined);

/** A failed fetch as the task reads it: its message and whether the request may have left. */
function networkError(error) {
  const message = text(error?.message) ?? 'fetch failed';
  const code = text(error?.cause?.code) ?? text(error?.code);
  return {
    type: 'networkError',
    message: code === undefined ? message : `${message}: ${code}`,
    maybeSent: !NOT_SENT_CODES.has(code),
  };
}

/**
 * One attempt: the response read in full, or what went wrong. One deadline (an AbortController)
 * covers the headers *and* the body; the caller's signal aborts it too.
 */
async function send(fetch, request, timeoutMs, signal) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort);
  try {
    const init = { method: request.method, headers: request.headers, signal: controller.signal };
    if (request.body !== null) init.body = request.body;
    const response = await fetch.call(globalThis, request.url, init);
    if (!(response instanceof Response)) {
      return { event: { type: 'networkError', message: 'fetch did not return a Response', maybeSent: true }, body: '' };
    }
    const headers = [...response.headers];
    const body = await response.text();
    return { event: { type: 'response', status: response.status, headers }, body };
  } catch (error) {
    if (timedOut) return { event: { type: 'timedOut' }, body: '' };
    if (signal?.aborted) return { event: { type: 'aborted' }, body: '' };
    return { event: networkError(error), body: '' };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Runs a task (a wasm `WasmTask`) to its end with `fetch` (the client's, else the global one)
 * and the caller's AbortSignal (ignored unless it is one): resolves with its result, or throws
 * the KassaError it ends with.
 */
export async function drive(task, fetch, signal) {
  if (!(typeof AbortSignal !== 'undefined' && signal instanceof AbortSignal)) signal = undefined;
  try {
    let event = { type: 'start' };
    let body = '';
    for (;;) {
      const step = JSON.parse(task.step(JSON.stringify(event), body, Date.now(), Math.random()));
      body = '';
      if (step.type === 'done') return step.result;
      if (step.type === 'sleep') {
        await new Promise((resolve) => setTimeout(resolve, step.ms));
        event = { type: 'woke', aborted: signal?.aborted === true };
      } else if (typeof fetch !== 'function') {
        event = { type: 'noFetch' };
      } else if (signal?.aborted) {
        event = { type: 'abortedBeforeSending' };
      } else {
        ({ event, body } = await send(fetch, step.request, step.timeoutMs, signal));
      }
    }
  } finally {
    task.free();
  }
}

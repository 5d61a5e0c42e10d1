// A Cloudflare Worker using kassa: it takes a payment through AGWS (check, then pay until a
// final state) and receives the providers' signed notifications, verifying each in constant time.
// Bindings (wrangler.toml [vars] / secrets): AGWS_URL, AGWS_SECRET, AGWS_AGENT, AGWS_PROJECT,
// ACQUIRING_URL, ACQUIRING_SECRET, ACQUIRING_MERCHANT_ID, ACQUIRING_PROJECT_ID.
// The tests run this file, bundled as wrangler would, in workerd against the kassa emulator.
import { TarlanAgws, TarlanAcquiring, KassaError } from 'kassa';

function agwsClient(env) {
  return new TarlanAgws({ baseUrl: env.AGWS_URL, secret: env.AGWS_SECRET, agent: env.AGWS_AGENT, project: env.AGWS_PROJECT });
}

function acquiringClient(env) {
  return new TarlanAcquiring({
    baseUrl: env.ACQUIRING_URL,
    secret: env.ACQUIRING_SECRET,
    merchantId: Number(env.ACQUIRING_MERCHANT_ID),
    projectId: Number(env.ACQUIRING_PROJECT_ID),
  });
}

// What the Worker saw, so a test (or you, while developing) can inspect it: GET /notifications.
const notifications = [];

function errorResponse(error) {
  if (!(error instanceof KassaError)) throw error;
  const status = error.kind === 'signature' ? 401 : error.kind === 'validation' ? 400 : 502;
  return Response.json({ kind: error.kind, code: error.code, message: error.message }, { status });
}

const routes = {
  // POST {username, amount, service_code, external_id}: check the account, then pay until final.
  async 'POST /pay'(request, env, origin) {
    const order = await request.json();
    const agws = agwsClient(env);
    const account = await agws.check({ username: order.username, service_code: order.service_code });
    const payment = await agws.payUntilFinal(
      { ...order, callback_url: `${origin}/agws/callback` },
      { pollIntervalMs: 50, maxPollIntervalMs: 200, deadlineMs: 10_000 },
    );
    return Response.json({ account, payment });
  },

  // AGWS Payment System Callback: verify X-Signature, acknowledge with HTTP 200.
  async 'POST /agws/callback'(request, env) {
    const callback = agwsClient(env).verifyCallback(await request.text(), request.headers.get('x-signature'));
    notifications.push({ provider: 'agws', external_id: callback.external_id, outcome: callback.outcome, signed_set: callback.signed_set });
    const ack = TarlanAgws.callbackAck();
    return new Response(ack.body, { status: ack.status, headers: ack.headers });
  },

  // Acquiring payment-status webhook: verify Authorization: Bearer, acknowledge.
  async 'POST /acquiring/webhook'(request, env) {
    const webhook = acquiringClient(env).verifyWebhook(await request.text(), request.headers.get('authorization'));
    notifications.push({ provider: 'acquiring', transaction_id: webhook.transaction_id, outcome: webhook.outcome });
    const ack = TarlanAcquiring.webhookAck();
    return new Response(ack.body, { status: ack.status, headers: ack.headers });
  },

  async 'GET /notifications'() {
    return Response.json(notifications);
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const route = routes[`${request.method} ${url.pathname}`];
    if (!route) return new Response('not found', { status: 404 });
    try {
      return await route(request, env, url.origin);
    } catch (error) {
      return errorResponse(error);
    }
  },
};

// A Cloudflare Worker taking payments through the kassa payment journal on D1, so that no
// payment is lost or made twice when an isolate is evicted mid-request or two requests race:
//   POST /pay            {username, amount, service_code, external_id} → the journal record
//   POST /agws/callback  the AGWS callback: verified, applied to its record, acknowledged
//   GET  /payments?key=  a record
//   Cron Trigger         reconcile(): settles what an evicted isolate left behind
// Bindings (wrangler.toml): [[d1_databases]] binding = "DB"; [vars]/secrets AGWS_URL,
// AGWS_SECRET, AGWS_AGENT, AGWS_PROJECT; [triggers] crons = ["* * * * *"].
// The tests run this file, bundled as wrangler would, in workerd (Miniflare) on a real D1.
import { TarlanAgws, KassaError } from 'kassa';
import { PaymentJournal, d1Store } from 'kassa/journal';

function journalOf(env) {
  // Default options and the default lease (60 s): the journal makes each of its calls one
  // attempt within the lease, and settles or re-sends safely across runs of the Cron Trigger.
  const agws = new TarlanAgws({ baseUrl: env.AGWS_URL, secret: env.AGWS_SECRET, agent: env.AGWS_AGENT, project: env.AGWS_PROJECT });
  return new PaymentJournal({ store: d1Store(env.DB), clients: { agws } });
}

// Creating the tables is idempotent; once per isolate is enough.
let migrated = null;
async function ready(env) {
  const journal = journalOf(env);
  migrated ??= journal.migrate().catch((error) => {
    migrated = null;
    throw error;
  });
  await migrated;
  return journal;
}

function errorResponse(error) {
  if (!(error instanceof KassaError)) throw error;
  const status = { signature: 401, validation: 400, config: 500 }[error.kind] ?? 502;
  return Response.json({ kind: error.kind, field: error.field, message: error.message }, { status });
}

const routes = {
  async 'POST /pay'(request, journal, origin) {
    const order = await request.json();
    const record = await journal.pay('agws', 'cashIn', { ...order, callback_url: `${origin}/agws/callback` });
    return Response.json(record);
  },

  async 'POST /agws/callback'(request, journal) {
    const { reply } = await journal.applyCallback('agws', await request.text(), request.headers);
    return new Response(reply.body, reply);
  },

  async 'GET /payments'(request, journal) {
    const record = await journal.get(new URL(request.url).searchParams.get('key') ?? '');
    return record ? Response.json(record) : new Response('not found', { status: 404 });
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const route = routes[`${request.method} ${url.pathname}`];
    if (!route) return new Response('not found', { status: 404 });
    try {
      return await route(request, await ready(env), url.origin);
    } catch (error) {
      return errorResponse(error);
    }
  },

  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(ready(env).then((journal) => journal.reconcile({ limit: 50 })));
  },
};

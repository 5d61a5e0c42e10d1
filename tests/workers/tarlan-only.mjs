// A Worker that imports only kassa/tarlan: what a Tarlan-only integration uploads to Cloudflare.
// tests/js/worker-size.test.mjs bundles it with wrangler; bench/modules.mjs reports its size.
import { tarlanSign, TarlanAgws, KassaError } from 'kassa/tarlan';

export default {
  async fetch(request) {
    const body = await request.text();
    try {
      const agws = new TarlanAgws({ secret: '12345', agent: 'tarlan', project: 'mobile' });
      return Response.json({ signature: tarlanSign(body, '12345'), request: agws.build('check', { username: '989898', service_code: '201106' }) });
    } catch (error) {
      if (!(error instanceof KassaError)) throw error;
      return Response.json({ kind: error.kind, field: error.field }, { status: 400 });
    }
  },
};

// A Worker that imports the package by name (bundled with the "workerd" condition, the .wasm
// imported as a module, as wrangler does) and signs the body it is sent.
import { tarlanSign, TarlanAgws, KassaError } from 'kassa';

export default {
  async fetch(request) {
    const body = await request.json();
    let error = null;
    try {
      tarlanSign({ amount: NaN }, '12345');
    } catch (e) {
      error = { isKassa: e instanceof KassaError, kind: e.kind, field: e.field };
    }
    const agws = new TarlanAgws({ secret: '12345' });
    return Response.json({
      signature: tarlanSign(body, '12345'),
      error,
      request: agws.build('fiscalReceipt', { provider_order_id: 'pr10010', provider_code: 'code', provider_service_code: 'service_code' }),
    });
  },
};

// Compiled with `tsc --strict` against the generated declarations: the types must allow the
// documented usage and reject mistakes (each @ts-expect-error fails the build if it stops
// being an error).
import { canonicalJson, tarlanSign, tarlanVerify, TarlanAgws, KassaError } from 'kassa';
import type { HttpRequest, TarlanAgwsCashInParams, AgwsPayment, ErrorKind } from 'kassa';

const signature: string = tarlanSign({ username: '989898', amount: 100 }, '12345');
const same: boolean = tarlanVerify('{"a":1}', '12345', signature);
const text: string = canonicalJson({ b: 1, a: 2 });

const agws = new TarlanAgws({ secret: '12345', agent: 'tarlan', project: 'mobile', timeoutMs: 10_000 });
const request: HttpRequest = agws.build('fiscalReceipt', {
  provider_order_id: 'pr10010',
  provider_code: 'code',
  provider_service_code: 'service_code',
});
const method: 'GET' | 'POST' | 'DELETE' = request.method;

const params: TarlanAgwsCashInParams = {
  username: '989898',
  amount: '100.50',
  service_code: '201106',
  external_id: '200001',
};
const parsed: AgwsPayment = agws.parse('cashIn', { status: 200, body: '{}' });
const outcome: 'success' | 'pending' | 'failed' = parsed.outcome;
const statusCode: string = parsed.data.status_code;

async function pay(): Promise<string> {
  const result = await agws.cashIn(params);
  return result.data.external_id ?? '';
}

try {
  agws.build('cashIn', params);
} catch (error) {
  if (error instanceof KassaError) {
    const kind: ErrorKind = error.kind;
    const code: number | string | null = error.code;
    const field: string | null = error.field;
    const retry: boolean = error.retryable;
    void [kind, code, field, retry];
  }
}

// @ts-expect-error: not an operation of TarlanAgws
agws.build('refund', {});
// @ts-expect-error: external_id is required
agws.build('status', { service_code: 's' });
// @ts-expect-error: amount must be a number or a decimal string
const wrongAmount: TarlanAgwsCashInParams = { ...params, amount: true };
// @ts-expect-error: the secret option is required
new TarlanAgws({ agent: 'x' });

void [signature, same, text, method, outcome, statusCode, pay, wrongAmount];

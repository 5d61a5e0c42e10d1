// The kassa demo: what a user should see. Exits non-zero if any step does not give the
// documented result.
import { tarlanSign, canonicalJson, TarlanAgws, KassaError } from 'kassa';

let failures = 0;
const line = (text = '') => console.log(text);
function check(label, actual, expected) {
  const ok = actual === expected;
  if (!ok) failures++;
  line(`  ${ok ? '✔' : '✘'} ${label}: ${actual}${ok ? '' : `   (expected ${expected})`}`);
}

line('kassa demo — Tarlan AGWS signatures, secret "12345" (spec/tarlan-agws.md §4.4)');
const documented = [
  ['check', { username: '989898', agent: 'tarlan', project: 'mobile', service_code: '201106' }, '227e9c6513a43f71f4cb6acb3c73f26f3ea90f7e36305afc6d37f9923f12d8c8'],
  ['cash-in', { username: '989898', amount: 100, agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001', datetime: '2022-12-01T15:45:00Z' }, '9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2'],
  ['status', { agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001' }, '0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91'],
];
for (const [name, body, signature] of documented) {
  line(`\n${name}: canonical ${canonicalJson(body)}`);
  check(`X-Signature`, tarlanSign(body, '12345'), signature);
}
line('\nThe Kazakh page prints "amount": 100.0 with the same signature: Go prints 100.');
check('sign {"amount":100.0,...}', tarlanSign('{"username":"989898","amount":100.0,"agent":"tarlan","project":"mobile","service_code":"201106","external_id":"200001","datetime":"2022-12-01T15:45:00Z"}', '12345'), documented[1][2]);

line('\nFiscal receipt (spec §2.8): build the signed GET and parse both documented answers');
const agws = new TarlanAgws({ secret: '12345', agent: 'tarlan', project: 'mobile' });
const request = agws.build('fiscalReceipt', { provider_order_id: 'pr10010', provider_code: 'code', provider_service_code: 'service_code' });
line(`  ${request.method} ${request.url}`);
line(`  X-Signature: ${request.headers['X-Signature']}   (signs {"provider_code":"code","provider_order_id":"pr10010","provider_service_code":"service_code"})`);
const receipt = agws.parse('fiscalReceipt', { status: 200, body: '{"status":true,"message":"Success","result":{"fiscal_number":"123456789123","fiscal_check_url":"https://link.kz"}}' });
check('fiscal_number', receipt.fiscal_number, '123456789123');
check('fiscal_check_url', receipt.fiscal_check_url, 'https://link.kz');
try {
  agws.parse('fiscalReceipt', { status: 400, body: '{"status":false,"status_code":1014,"message":"Invalid signature","result":{}}' });
  failures++;
} catch (error) {
  check('400 answer becomes KassaError', `${error instanceof KassaError} kind=${error.kind} code=${error.code} httpStatus=${error.httpStatus}`, 'true kind=signature code=1014 httpStatus=400');
  line(`    message: ${error.message}`);
}
try {
  agws.build('fiscalReceipt', { provider_order_id: 'pr10010', provider_code: 'code' });
  failures++;
} catch (error) {
  check('missing param', `${error.kind} ${error.field}`, 'validation provider_service_code');
}

line(failures === 0 ? '\nAll demo steps gave the documented results.' : `\n${failures} demo step(s) failed.`);
process.exit(failures === 0 ? 0 : 1);

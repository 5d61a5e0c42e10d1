// The module entries, compiled with `tsc --strict` against their generated declarations
// (pkg/dist/<entry>/index.d.ts): each exports its own classes and functions and the shared
// KassaError; what belongs to another module is not there.
import { tarlanSign, tarlanVerify, canonicalJson, TarlanAgws, TarlanAcquiring, KassaError } from 'kassa/tarlan';
import type { OperationInfo, TarlanAgwsCashInParams, AgwsCallback, AcquiringWebhook, ErrorKind } from 'kassa/tarlan';
import { AssistFiscal, KassaError as AssistError } from 'kassa/assist';
import type { AssistFiscalReceipt } from 'kassa/assist';
import { FiscalBox, FiscalBoxBilling, parseSoliqQr, buildSoliqQr } from 'kassa/fiscalbox';
import type { FiscalReceipt, SoliqQr } from 'kassa/fiscalbox';
import { explainSignature, diagnoseSignature } from 'kassa/diagnose';
import type { SignatureDiagnosis } from 'kassa/diagnose';
import { KassaError as RootError } from 'kassa';
// @ts-expect-error: Assist's types are not in kassa/tarlan
import type { AssistFiscalReceipt as NotInTarlan } from 'kassa/tarlan';

const signature: string = tarlanSign({ a: 1 }, '12345');
const verified: boolean = tarlanVerify('{"a":1}', '12345', signature);
const canonical: string = canonicalJson([1, 2]);
const agws = new TarlanAgws({ secret: '12345', agent: 'tarlan', project: 'mobile' });
const cashIn: OperationInfo = agws.describe('cashIn');
const docs: string[] = cashIn.params.map((p) => p.doc);
const all: OperationInfo[] = agws.describe();
// @ts-expect-error: not an operation of TarlanAgws
agws.describe('refund');
const params: TarlanAgwsCashInParams = { username: '989898', amount: 100, service_code: '201106', external_id: '200001' };
const callback: AgwsCallback = agws.verifyCallback('{}', null);
const webhook: AcquiringWebhook = new TarlanAcquiring({ secret: 's', merchantId: 1, projectId: 2 }).verifyWebhook('{}', 'Bearer 0');

async function assist(): Promise<AssistFiscalReceipt> {
  return new AssistFiscal({ baseUrl: 'https://assist.example', merchantId: '1', login: 'l', password: 'p' }).fiscalReceipt({ Billnumber: '1' });
}
const qr: SoliqQr = parseSoliqQr(buildSoliqQr({ t: 'EZ000000000102', r: 1, c: '20220929013159', s: '420808230750' }));
const fb = new FiscalBox({ baseUrl: 'http://192.168.1.50:8080' });
async function sale(): Promise<FiscalReceipt> {
  const sold = await fb.qrWalletSale({ provider: 'anor', amount: 100, qr_code: 'x', order: {} as never });
  return sold.fiscal_receipt;
}
const billing = new FiscalBoxBilling({ username: 'u', password: 'p' });
const diagnosis: SignatureDiagnosis = diagnoseSignature({ a: 1 }, '12345', signature);
const explained: string = explainSignature({ a: 1 }, '12345').canonical;

// One KassaError: an error caught from any entry narrows with any entry's class.
function kindOf(error: unknown): ErrorKind | null {
  if (error instanceof KassaError) return error.kind;
  if (error instanceof AssistError || error instanceof RootError) return error.kind;
  return null;
}

void ([] as NotInTarlan[]);
void [verified, canonical, docs, all, params, callback, webhook, assist, qr, sale, billing, diagnosis, explained, kindOf];

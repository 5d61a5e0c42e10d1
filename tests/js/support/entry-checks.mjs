// What each npm entry must do in any runtime: one documented example per module it holds, run
// through that entry's own wasm. The same checks run in Node ESM, Node require, workerd and
// headless Chromium; each returns plain JSON that the Node side compares with EXPECTED.
//
// Sources: the AGWS cash-in body and its signature, and the fiscal receipt request
// (spec/tarlan-agws.md §4.4 and §2.8; tests/fixtures/tarlan-signatures.json); the Assist form
// request (tests/fixtures/assist/request-fiscalreceipt.form.constructed.txt, spec/assist.md §1.2);
// the Soliq receipt link of the FiscalBox example (spec/fiscalbox.md, orderLast `qr_url`).

const CASH_IN = {
  username: '989898', amount: 100, agent: 'tarlan', project: 'mobile', service_code: '201106', external_id: '200001', datetime: '2022-12-01T15:45:00Z',
};
const CASH_IN_SIGNATURE = '9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2';
const SOLIQ_LINK = 'https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289';

/** What a thrown error looks like across the boundary. */
function caught(fn, KassaError) {
  try {
    fn();
    return null;
  } catch (error) {
    return {
      isKassa: error instanceof KassaError, isError: error instanceof Error, name: error.name,
      kind: error.kind, field: error.field, hasStack: typeof error.stack === 'string' && error.stack.length > 0,
    };
  }
}

/** Per module: an export only it has (how an entry shows it holds the module), and its checks. */
const CHECKS = {
  // kassa/tarlan (and kassa): the signature, both Tarlan clients, describe with docs.
  tarlan: { marker: 'tarlanSign', run: (k) => {
    const agws = new k.TarlanAgws({ secret: '12345', agent: 'tarlan', project: 'mobile' });
    const cashIn = agws.describe('cashIn');
    return {
      signature: k.tarlanSign(CASH_IN, '12345'),
      verified: k.tarlanVerify(JSON.stringify(CASH_IN), '12345', CASH_IN_SIGNATURE),
      canonical: k.canonicalJson({ b: 1, a: [0.1] }),
      receiptSignature: agws.build('fiscalReceipt', { provider_order_id: 'pr10010', provider_code: 'code', provider_service_code: 'service_code' }).headers['X-Signature'],
      acquiring: new k.TarlanAcquiring({ secret: 's', merchantId: 1, projectId: 42 }).operations().includes('payIn'),
      describe: {
        name: cashIn.name,
        params: cashIn.params.map((p) => p.name),
        everyParamDocumented: cashIn.params.length > 0 && cashIn.params.every((p) => typeof p.doc === 'string' && p.doc.length > 0),
      },
      error: caught(() => k.tarlanSign({ amount: NaN }, '12345'), k.KassaError),
      wasmError: caught(() => agws.build('cashIn', {}), k.KassaError),
    };
  } },
  // kassa/assist: the documented form request.
  assist: { marker: 'AssistFiscal', run: (k) => ({
    body: new k.AssistFiscal({ baseUrl: 'https://assist.example', merchantId: '123456', login: 'svc_user', password: 'secret' })
      .build('fiscalReceipt', { Billnumber: '5791234567890123' }).body,
    error: caught(() => new k.AssistFiscal({}), k.KassaError),
  }) },
  // kassa/fiscalbox: a Soliq link and a device request.
  fiscalbox: { marker: 'FiscalBox', run: (k) => {
    const qr = k.parseSoliqQr(SOLIQ_LINK);
    return {
      qr: { t: qr.t, r: qr.r, c: qr.c, s: qr.s },
      rebuilt: k.buildSoliqQr(qr) === SOLIQ_LINK,
      deviceInfo: new k.FiscalBox({ baseUrl: 'http://192.168.1.50:8080' }).build('deviceInfo').method,
      billing: typeof k.FiscalBoxBilling,
      error: caught(() => k.parseSoliqQr('https://example.com/'), k.KassaError),
    };
  } },
  // kassa/diagnose: the documented signature matches; a wrong one is explained.
  diagnose: { marker: 'diagnoseSignature', run: (k) => ({
    match: k.diagnoseSignature(CASH_IN, '12345', CASH_IN_SIGNATURE).match,
    uppercase: k.diagnoseSignature(CASH_IN, '12345', CASH_IN_SIGNATURE.toUpperCase()).match,
    signature: k.explainSignature(CASH_IN, '12345').signature,
    error: caught(() => k.explainSignature({ amount: NaN }, '12345'), k.KassaError),
  }) },
};

const validation = (field) => ({ isKassa: true, isError: true, name: 'KassaError', kind: 'validation', field, hasStack: true });

export const EXPECTED = {
  tarlan: {
    signature: CASH_IN_SIGNATURE,
    verified: true,
    canonical: '{"a":[0.1],"b":1}',
    receiptSignature: '06db6a7291b1503767ecedfe73dae0699474f58fea091c602a4d7afd696fb528',
    acquiring: true,
    // The cash-in table of spec/tarlan-agws.md §2.2, in its order.
    describe: {
      name: 'cashIn',
      params: ['username', 'amount', 'agent', 'project', 'service_code', 'external_id', 'callback_url', 'datetime'],
      everyParamDocumented: true,
    },
    error: validation('body.amount'),
    wasmError: validation('username'),
  },
  assist: {
    body: 'Merchant_ID=123456&Login=svc_user&Password=secret&Billnumber=5791234567890123&Format=5',
    error: { isKassa: true, isError: true, name: 'KassaError', kind: 'config', field: 'baseUrl', hasStack: true },
  },
  fiscalbox: {
    qr: { t: 'UZ170703100189', r: 643, c: '20200518221403', s: '248429044289' },
    rebuilt: true,
    deviceInfo: 'GET',
    billing: 'function',
    error: validation('url'),
  },
  diagnose: {
    match: true,
    uppercase: false,
    signature: CASH_IN_SIGNATURE,
    error: validation('body.amount'),
  },
};

/** Runs the checks of every module the entry `k` (its namespace object) holds. */
export function runChecks(k) {
  const out = {};
  for (const [module, { marker, run }] of Object.entries(CHECKS)) {
    if (k[marker] !== undefined) out[module] = run(k);
  }
  return out;
}

/** What runChecks must give for an entry of the registry (pkg/dist/registry.js). */
export function expectedFor(entry) {
  const names = new Set([...entry.classes, ...entry.functions]);
  const out = {};
  for (const [module, { marker }] of Object.entries(CHECKS)) {
    if (names.has(marker)) out[module] = EXPECTED[module];
  }
  return out;
}

/** The modules these checks know, to prove every module of the registry has its checks. */
export const CHECKED_MODULES = Object.keys(CHECKS);

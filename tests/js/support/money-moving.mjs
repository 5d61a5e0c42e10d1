// Every money-moving operation (and flow) of every client, as the fault matrix and the journal
// tests drive it: prepare (fresh references), the params, the journal options (a key for
// requests without a reference of their own, the lookup their settle call needs), what the
// caller concludes from a result, and what the emulator's ledger says was done (the count of
// times the money moved — the truth every test is judged by).
//
// How an unknown outcome is resolved is NOT defined here: it is the operation's settle rule in
// the provider tables (src/journal, `Settle`), reached through `journal.adopt` (and
// `journal.measure` before sending, for the rules that compare a before and an after).

/** A cash-in into an AGWS account. */
const agwsCashIn = {
  prepare: (_clients, _emulator, ref) => ({ external_id: ref }),
  params: (p) => ({ username: '989898', amount: '1500.50', service_code: '201106', external_id: p.external_id }),
  viewOfResult: (result) => (result.outcome === 'failed' ? 'none' : 'made'),
  made: (ledger, p) => ledger.agws.payments[p.external_id]?.performed ?? 0,
};

export const MONEY_MOVING = [
  { provider: 'agws', operation: 'cashIn', ...agwsCashIn },
  {
    provider: 'agws', operation: 'cashIn', flow: 'payUntilFinal', ...agwsCashIn,
    flowOptions: { pollIntervalMs: 20, maxPollIntervalMs: 50, deadlineMs: 5000 },
  },
  {
    // Confirmation of funds debit (§2.5): the payment waits in "1" until confirmed.
    provider: 'agws', operation: 'confirmInvoice',
    prepare: async (clients, _emulator, ref) => {
      await clients.agws.cashIn({ username: 'otp989898', amount: 10, service_code: '201106', external_id: ref });
      return { external_id: ref };
    },
    params: (p) => ({ external_id: p.external_id, confirm_code: '1234' }),
    journal: () => ({ lookup: { service_code: '201106' } }),
    viewOfResult: (result) => (result.outcome === 'failed' ? 'none' : 'made'),
    made: (ledger, p) => ledger.agws.payments[p.external_id]?.confirmations ?? 0,
  },
  ...acquiringScenarios(),
  ...fiscalboxScenarios(),
];

/** Sends a scenario's request the way a caller without the journal does (the flow, if any). */
export function callScenario(clients, scenario, p) {
  const client = clients[scenario.provider];
  if (scenario.flow) return client[scenario.flow](scenario.flowParams?.(p) ?? scenario.params(p), scenario.flowOptions);
  return client[scenario.operation](scenario.params(p));
}

/** What the journal needs besides the params: `{ key, lookup }`. */
export const journalOptions = (scenario, p) => scenario.journal?.(p) ?? {};

/** Made or not, by a journal record's state; an unsettled record is reported as such. */
/** "N left unknown (assist.fiscalize 1, …): no call shows what became of them". */
export function describeLeftUnknown(totals) {
  const by = Object.entries(totals.leftUnknownBy).map(([name, n]) => `${name} ${n}`).join(', ');
  return `${totals.leftUnknown} left unknown${by ? ` (${by}: no call shows whether they were performed)` : ''}`;
}

export function viewOfRecord(record) {
  if (record.state === 'success' || record.state === 'pending') return 'made';
  if (record.state === 'failed') return 'none';
  return `unsettled (${record.state})`;
}

// ---------------------------------------------------------------------------------------------
// Tarlan acquiring: the ledger's transactions by project_reference_id are the truth.

/** A paid hosted-form pay-in (card saved for user-7), optionally only authorized (two-stage). */
async function paidPayIn(clients, emulator, ref, twoStage = false) {
  const page = await clients.acquiring.payIn({
    amount: 2000, description: 'Order', project_reference_id: `${ref}-base`, success_redirect_url: 'https://shop.example.kz/ok',
    project_client_id: 'user-7', ...(twoStage ? { additional_data: { two_stage: true } } : {}),
  });
  await emulator.pay(page.transaction_id);
  const cards = await clients.acquiring.cards({ project_client_id: 'user-7' });
  const list = Array.isArray(cards) ? cards : cards.cards;
  return { base: `${ref}-base`, transaction_id: Number(page.transaction_id), card_token: list[0].card_token, ref };
}

function acquiringScenarios() {
  const byReference = (ledger, ref) => (ledger.acquiring.byReference[ref] !== undefined ? 1 : 0);
  const s2s = (operation, params) => ({
    provider: 'acquiring', operation,
    prepare: (clients, emulator, ref) => paidPayIn(clients, emulator, ref),
    params,
    viewOfResult: (result) => (result.outcome === 'failed' ? 'none' : 'made'),
    made: (ledger, p) => byReference(ledger, p.ref),
  });
  /** Refunds and charges are settled through the paid payment's status. */
  const onBase = (p) => ({ project_reference_id: p.base, type: 'in' });
  return [
    {
      provider: 'acquiring', operation: 'payIn',
      prepare: (_clients, _emulator, ref) => ({ ref }),
      params: (p) => ({ amount: 1500, description: 'Order', project_reference_id: p.ref, success_redirect_url: 'https://shop.example.kz/ok' }),
      viewOfResult: (result) => (result.transaction_id ? 'made' : 'none'),
      made: (ledger, p) => byReference(ledger, p.ref),
    },
    s2s('oneClickPayIn', (p) => ({
      amount: 990, card_token: p.card_token, project_client_id: 'user-7', project_reference_id: p.ref, description: 'One click',
    })),
    // Truncated tables (spec §4.2, §4.3): the status lookup that finds them is presumed, so its
    // "not found" proves nothing — one that never arrived stays unknown.
    { ...s2s('payOutDirect', (p) => ({
      amount: 100, card_token: p.card_token, project_client_id: 'user-7', project_reference_id: p.ref, description: 'Pay-out',
    })), absenceUnprovable: true },
    { ...s2s('payOutByPhone', (p) => ({
      amount: 100, phone_number: '+77011234567', project_reference_id: p.ref, description: 'Pay-out by phone',
    })), absenceUnprovable: true },
    {
      provider: 'acquiring', operation: 'refund',
      prepare: (clients, emulator, ref) => paidPayIn(clients, emulator, ref),
      params: (p) => ({ transaction_id: p.transaction_id, amount: 500 }),
      journal: (p) => ({ key: `${p.ref}-refund`, lookup: onBase(p) }),
      viewOfResult: () => 'made',
      made: (ledger, p) => ledger.acquiring.refunds.filter((r) => r.transaction_id === p.transaction_id).length,
    },
    {
      provider: 'acquiring', operation: 'charge',
      prepare: (clients, emulator, ref) => paidPayIn(clients, emulator, ref, true),
      params: (p) => ({ transaction_id: p.transaction_id, amount: 1000 }),
      journal: (p) => ({ lookup: onBase(p) }),
      viewOfResult: () => 'made',
      made: (ledger, p) => ledger.acquiring.charges.filter((c) => c.transaction_id === p.transaction_id).length,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// FiscalBox: wallet payments by the customer's QR code, pin-pad operations, receipts by uuid.

const coffee = (price) => ({
  name: 'Coffee', amount: 1000, unit_name: 'dona', price, product_price: price, vat: Math.round((price * 12) / 112), vat_percent: 12,
  class_code: '02710001005000000', package_code: '1282556', owner_type: 1,
});

const walletPayments = (ledger, wallet, qrCode) => Object.values(ledger.fiscalbox.payments).filter((x) => x.provider === wallet && x.qr_code === qrCode).length;

function fiscalboxScenarios() {
  const wallets = ['click', 'payme', 'uzum', 'anor'].map((wallet) => ({
    provider: 'fiscalbox', operation: wallet,
    prepare: (_clients, _emulator, ref) => ({ qr_code: `${wallet}${ref}` }),
    params: (p) => ({ amount: 5_000_000, qr_code: p.qr_code }),
    viewOfResult: (result) => (result.outcome === 'failed' ? 'none' : 'made'),
    made: (ledger, p) => walletPayments(ledger, wallet, p.qr_code),
    // No status call, and no source says the code is single use: a lost answer stays unknown.
    outcomeUnprovable: true,
  }));
  const pinpads = ['humo', 'uzcard'].map((kind) => ({
    provider: 'fiscalbox', operation: kind,
    prepare: (_clients, emulator, ref) => ({ ledgerBefore: emulator.ledger.fiscalbox.pinpad.length, ref }),
    params: () => ({ amount: 100_000 }),
    journal: (p) => ({ key: p.ref }),
    viewOfResult: () => 'made',
    made: (ledger, p) => ledger.fiscalbox.pinpad.slice(p.ledgerBefore).filter((op) => op.kind === kind).length,
  }));
  const sale = {
    // The whole QR-wallet sale (payment → receipt → confirmation) with the fault on the payment.
    provider: 'fiscalbox', operation: 'anor', flow: 'qrWalletSale',
    prepare: async (clients, _emulator, ref) => {
      await clients.fiscalbox.shiftOpen({}).catch(() => {});
      return { qr_code: `sale${ref}`, uuid: crypto.randomUUID() };
    },
    params: (p) => ({ amount: 1_000_000, qr_code: p.qr_code }),
    flowParams: (p) => ({
      provider: 'anor', amount: 1_000_000, qr_code: p.qr_code, order: { receipt_type: 'order', products: [coffee(1_000_000)], cashier: 'Admin', uuid: p.uuid },
    }),
    viewOfResult: () => 'made',
    made: (ledger, p) => walletPayments(ledger, 'anor', p.qr_code),
    outcomeUnprovable: true,
  };
  return [
    ...wallets,
    sale,
    ...pinpads,
    {
      // A fiscal receipt issued twice is a double sale in the tax records: orders are never re-sent.
      provider: 'fiscalbox', operation: 'orderCreate',
      prepare: async (clients, _emulator, ref) => {
        await clients.fiscalbox.shiftOpen({}).catch(() => {}); // already open is fine
        return { uuid: crypto.randomUUID(), ref };
      },
      params: (p) => ({
        receipt_type: 'order', cashier: 'Admin', uuid: p.uuid, products: [coffee(1_000_000)], received_cash: 1_000_000, change: 0, received_card: 0,
      }),
      viewOfResult: (result) => (result.qr_url ? 'made' : 'none'),
      made: (ledger, p) => ledger.fiscalbox.uuidCounts[p.uuid] ?? 0,
    },
    {
      // UzQR deduplicates on external_id (a repeat returns the same invoice).
      provider: 'fiscalbox', operation: 'uzqrCreate',
      prepare: (_clients, _emulator, ref) => ({ external_id: `uz${ref}` }),
      params: (p) => ({ external_id: p.external_id, amount: '150.00' }),
      viewOfResult: (result) => (result.invoice_id ? 'made' : 'none'),
      made: (ledger, p) => (ledger.fiscalbox.uzqr.byExternalId[p.external_id] ? 1 : 0),
    },
  ];
}

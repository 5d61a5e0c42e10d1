// Every money-moving operation (and flow) of every client, as the fault matrix drives it:
// prepare (fresh references), call, what the caller concludes from a result, how an
// unknown_outcome reference is resolved through the provider's own API, and what the
// emulator's ledger says was done (the count of times the money moved).
import { KassaError } from 'kassa';

const codeOf = (error) => (error instanceof KassaError ? error.code : undefined);

// AGWS: a cash-in is made when the ledger holds its external_id; `status` resolves it
// (1041 Order not found = never made).
async function agwsStatusView(clients, externalId) {
  try {
    await clients.agws.status({ service_code: '201106', external_id: externalId });
    return 'made';
  } catch (error) {
    if (codeOf(error) === 1041) return 'none';
    throw error;
  }
}

const agwsCashIn = (username) => ({
  prepare: (_clients, _emulator, ref) => ({ external_id: ref }),
  view: (result) => (result.outcome === 'failed' ? 'none' : 'made'),
  resolve: (clients, reference, prepared) => agwsStatusView(clients, reference.external_id ?? prepared.external_id),
  made: (ledger, prepared) => (ledger.agws.payments[prepared.external_id] ? ledger.agws.payments[prepared.external_id].performed : 0),
  params: (prepared) => ({ username, amount: '1500.50', service_code: '201106', external_id: prepared.external_id }),
});

export const MONEY_MOVING = [
  (() => {
    const s = agwsCashIn('989898');
    return {
      provider: 'agws', operation: 'cashIn', prepare: s.prepare, resolve: s.resolve, made: s.made, viewOfResult: s.view,
      call: (clients, prepared) => clients.agws.cashIn(s.params(prepared)),
    };
  })(),
  (() => {
    const s = agwsCashIn('989898');
    return {
      provider: 'agws', operation: 'cashIn', flow: 'payUntilFinal', prepare: s.prepare, resolve: s.resolve, made: s.made,
      viewOfResult: s.view,
      call: (clients, prepared) => clients.agws.payUntilFinal(s.params(prepared), { pollIntervalMs: 20, maxPollIntervalMs: 50, deadlineMs: 5000 }),
    };
  })(),
  {
    // Confirmation of funds debit (§2.5): the payment waits in "1" until confirmed; `status`
    // resolves whether the confirmation went through.
    provider: 'agws', operation: 'confirmInvoice',
    prepare: async (clients, _emulator, ref) => {
      await clients.agws.cashIn({ username: 'otp989898', amount: 10, service_code: '201106', external_id: ref });
      return { external_id: ref };
    },
    call: (clients, prepared) => clients.agws.confirmInvoice({ external_id: prepared.external_id, confirm_code: '1234' }),
    viewOfResult: (result) => (result.outcome === 'failed' ? 'none' : 'made'),
    resolve: async (clients, reference, prepared) => {
      const status = await clients.agws.status({ service_code: '201106', external_id: reference.external_id ?? prepared.external_id });
      return status.data.status_code === '1' ? 'none' : 'made';
    },
    made: (ledger, prepared) => ledger.agws.payments[prepared.external_id]?.confirmations ?? 0,
  },

  ...acquiringScenarios(),
  ...fiscalboxScenarios(),
];

// ---------------------------------------------------------------------------------------------
// Tarlan acquiring: the ledger's transactions by project_reference_id are the truth; `status`
// (by project_reference_id and type) resolves an unknown outcome.

async function acquiringStatus(clients, reference, type) {
  try {
    return await clients.acquiring.status({ project_reference_id: reference, type });
  } catch (error) {
    if (codeOf(error) === 5103) return null;
    throw error;
  }
}

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
  const s2s = (operation, type, params) => ({
    provider: 'acquiring', operation,
    prepare: (clients, emulator, ref) => paidPayIn(clients, emulator, ref),
    call: (clients, p) => clients.acquiring[operation](params(p)),
    viewOfResult: (result) => (result.outcome === 'failed' ? 'none' : 'made'),
    resolve: async (clients, _reference, p) => ((await acquiringStatus(clients, p.ref, type)) ? 'made' : 'none'),
    made: (ledger, p) => byReference(ledger, p.ref),
  });
  return [
    {
      provider: 'acquiring', operation: 'payIn',
      prepare: (_clients, _emulator, ref) => ({ ref }),
      call: (clients, p) => clients.acquiring.payIn({
        amount: 1500, description: 'Order', project_reference_id: p.ref, success_redirect_url: 'https://shop.example.kz/ok',
      }),
      viewOfResult: (result) => (result.transaction_id ? 'made' : 'none'),
      resolve: async (clients, _reference, p) => ((await acquiringStatus(clients, p.ref, 'in')) ? 'made' : 'none'),
      made: (ledger, p) => byReference(ledger, p.ref),
    },
    s2s('oneClickPayIn', 'one_click_pay_in', (p) => ({
      amount: 990, card_token: p.card_token, project_client_id: 'user-7', project_reference_id: p.ref, description: 'One click',
    })),
    s2s('payOutDirect', 'out', (p) => ({
      amount: 100, card_token: p.card_token, project_client_id: 'user-7', project_reference_id: p.ref, description: 'Pay-out',
    })),
    s2s('payOutByPhone', 'out', (p) => ({
      amount: 100, phone_number: '+77011234567', project_reference_id: p.ref, description: 'Pay-out by phone',
    })),
    {
      provider: 'acquiring', operation: 'refund',
      prepare: (clients, emulator, ref) => paidPayIn(clients, emulator, ref),
      call: (clients, p) => clients.acquiring.refund({ transaction_id: p.transaction_id, amount: 500 }),
      viewOfResult: () => 'made',
      resolve: async (clients, _reference, p) => ((await acquiringStatus(clients, p.base, 'in')).refunds.length > 0 ? 'made' : 'none'),
      made: (ledger, p) => ledger.acquiring.refunds.filter((r) => r.transaction_id === p.transaction_id).length,
    },
    {
      provider: 'acquiring', operation: 'charge',
      prepare: (clients, emulator, ref) => paidPayIn(clients, emulator, ref, true),
      call: (clients, p) => clients.acquiring.charge({ transaction_id: p.transaction_id, amount: 1000 }),
      viewOfResult: () => 'made',
      resolve: async (clients, _reference, p) => {
        const status = await acquiringStatus(clients, p.base, 'in');
        return status.transaction_status.code === 'success' ? 'made' : 'none';
      },
      made: (ledger, p) => ledger.acquiring.charges.filter((c) => c.transaction_id === p.transaction_id).length,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// FiscalBox. QR-wallet payments have no status endpoint; the customer's QR code is single-use,
// so presenting the same code again is the safe lookup: "already used" means the first attempt
// went through, a success means it had not (and now has, once). Pin-pad payments are resolved
// through the pin-pad's short report (its operation count), orders through `orderLast`.



async function walletView(clients, wallet, qrCode) {
  try {
    await clients.fiscalbox[wallet]({ amount: 5_000_000, qr_code: qrCode });
    return 'made';
  } catch (error) {
    if (codeOf(error) === 106 && /already been used/.test(JSON.stringify(error.details ?? {}) + error.message)) return 'made';
    throw error;
  }
}

async function pinpadCount(clients, kind) {
  const report = await clients.fiscalbox[`${kind}ShortReport`]({});
  const match = /Операций: (\d+)/.exec(report.message ?? '');
  if (!match) throw new Error(`${kind} short report without an operation count: ${JSON.stringify(report)}`);
  return Number(match[1]);
}

const coffee = (price) => ({
  name: 'Coffee', amount: 1000, unit_name: 'dona', price, product_price: price, vat: Math.round((price * 12) / 112), vat_percent: 12,
  class_code: '02710001005000000', package_code: '1282556', owner_type: 1,
});

function fiscalboxScenarios() {
  const wallets = ['click', 'payme', 'uzum', 'anor'].map((wallet) => ({
    provider: 'fiscalbox', operation: wallet,
    prepare: (_clients, _emulator, ref) => ({ qr_code: `${wallet}${ref}` }),
    call: (clients, p) => clients.fiscalbox[wallet]({ amount: 5_000_000, qr_code: p.qr_code }),
    viewOfResult: (result) => (result.outcome === 'failed' ? 'none' : 'made'),
    resolve: (clients, _reference, p) => walletView(clients, wallet, p.qr_code),
    made: (ledger, p) => Object.values(ledger.fiscalbox.payments).filter((x) => x.provider === wallet && x.qr_code === p.qr_code).length,
  }));
  const pinpads = ['humo', 'uzcard'].map((kind) => ({
    provider: 'fiscalbox', operation: kind,
    prepare: async (clients, emulator, ref) => ({ before: await pinpadCount(clients, kind), ledgerBefore: emulator.ledger.fiscalbox.pinpad.length, ref }),
    call: (clients) => clients.fiscalbox[kind]({ amount: 100_000 }),
    viewOfResult: () => 'made',
    resolve: async (clients, _reference, p) => ((await pinpadCount(clients, kind)) > p.before ? 'made' : 'none'),
    made: (ledger, p) => ledger.fiscalbox.pinpad.slice(p.ledgerBefore).filter((op) => op.kind === kind).length,
  }));
  const sale = {
    // The whole QR-wallet sale (payment → receipt → confirmation) with the fault on the payment.
    provider: 'fiscalbox', operation: 'anor', flow: 'qrWalletSale',
    prepare: async (clients, _emulator, ref) => {
      await clients.fiscalbox.shiftOpen({}).catch(() => {});
      return { qr_code: `sale${ref}`, uuid: crypto.randomUUID() };
    },
    call: (clients, p) => clients.fiscalbox.qrWalletSale({
      provider: 'anor', amount: 1_000_000, qr_code: p.qr_code, order: { receipt_type: 'order', products: [coffee(1_000_000)], cashier: 'Admin', uuid: p.uuid },
    }),
    viewOfResult: () => 'made',
    resolve: (clients, _reference, p) => walletView(clients, 'anor', p.qr_code),
    made: (ledger, p) => Object.values(ledger.fiscalbox.payments).filter((x) => x.provider === 'anor' && x.qr_code === p.qr_code).length,
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
      call: (clients, p) => clients.fiscalbox.orderCreate({
        receipt_type: 'order', cashier: 'Admin', uuid: p.uuid, products: [coffee(1_000_000)], received_cash: 1_000_000, change: 0, received_card: 0,
      }),
      viewOfResult: (result) => (result.qr_url ? 'made' : 'none'),
      resolve: async (clients, _reference, p) => {
        const last = await clients.fiscalbox.orderLast({});
        return last.order?.uuid === p.uuid ? 'made' : 'none';
      },
      made: (ledger, p) => ledger.fiscalbox.uuidCounts[p.uuid] ?? 0,
    },
    {
      // UzQR deduplicates on external_id (a repeat returns the same invoice): create is resolved by
      // creating again with the same external_id and comparing with the ledger's single invoice.
      provider: 'fiscalbox', operation: 'uzqrCreate',
      prepare: (_clients, _emulator, ref) => ({ external_id: `uz${ref}` }),
      call: (clients, p) => clients.fiscalbox.uzqrCreate({ external_id: p.external_id, amount: '150.00' }),
      viewOfResult: (result) => (result.invoice_id ? 'made' : 'none'),
      resolve: async (clients, _reference, p) => ((await clients.fiscalbox.uzqrCreate({ external_id: p.external_id, amount: '150.00' })).invoice_id ? 'made' : 'none'),
      made: (ledger, p) => (ledger.fiscalbox.uzqr.byExternalId[p.external_id] ? 1 : 0),
    },
  ];
}

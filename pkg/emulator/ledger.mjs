// The ledger: what each emulated provider actually did. Tests read it to prove that no payment
// was made twice and none was lost (every record carries `performed`, which must stay 1, and the
// refused repeats are counted in `duplicates`). Records that move through states keep a
// `history` of {status, at}. Everything in it is JSON-serialisable: it is also served as
// GET /__emulator/ledger. Secrets never enter it.
import { dict } from './util.mjs';

export function createLedger() {
  return {
    agws: {
      payments: dict(), // by external_id
      duplicateAttempts: 0, // cash-ins answered 1042
      callbacks: [], // every callback POST attempt
      confirmations: [], // confirm/invoice calls that were accepted
      rejectedConfirmations: 0, // confirm/invoice calls answered is_success:false (wrong code)
      paymentLinks: dict(), // by link id
      balance: 0,
    },
    acquiring: {
      transactions: dict(), // by transaction_id
      byReference: dict(), // project_reference_id -> transaction_id
      duplicateAttempts: 0, // creations answered 5000
      webhooks: [], // every webhook POST attempt
      confirmRequests: [], // every confirm_url GET
      refunds: [],
      charges: [],
      cards: dict(), // project_client_id -> [{card_token, masked_pan}]
    },
    assist: {
      receipts: dict(), // by fiscalreceipt_ID
      byPaymentId: dict(), // Payment_ID -> [fiscalreceipt_ID, ...]
      byBillnumber: dict(), // billnumber -> [fiscalreceipt_ID, ...]
      duplicateAttempts: 0, // fiscalize refused as a repeat
    },
    fiscalbox: {
      orders: [], // every fiscal receipt issued (kind 'sale' | 'refund'), with its Soliq qr_url
      uuidCounts: dict(), // order uuid -> sale receipts issued with it (a value above 1 = a sale made twice)
      payments: dict(), // "<provider>:<payment_id | anor transaction_id>" -> QR-wallet payment
      usedQrCodes: dict(), // "<provider>:<customer qr_code>" -> payments key
      anorSeq: 658,
      duplicateAttempts: 0, // QR codes presented twice, scan2pay/UzQR repeats
      confirmations: [], // *_confirm calls that were accepted
      shift: null, // the open shift, or null
      shifts: [], // closed shifts (Z-reports), oldest first
      xReports: 0,
      reprints: 0,
      pinpad: [], // Humo/UzCard pin-pad operations
      scan2pay: dict(), // by order_id
      uzqr: { invoices: dict(), byExternalId: dict(), byPayId: dict(), refunds: dict(), receipts: [] },
      soldMarkingCodes: [],
      banners: [],
      drawerOpenings: 0,
    },
    fiscalboxBilling: {
      logins: 0,
      failedLogins: 0,
      queries: 0,
    },
  };
}

// Types for 'kassa/emulator' — a local emulator of Tarlan AGWS, Tarlan acquiring, Assist and
// FiscalBox (device + billing) on one HTTP server.

export type ProviderName = 'agws' | 'acquiring' | 'assist' | 'fiscalbox' | 'fiscalboxBilling';

export type AgwsOperation =
  | 'check' | 'cashIn' | 'status' | 'balance' | 'confirmInvoice' | 'paymentLink' | 'upperCommission'
  | 'fiscalReceipt' | 'serviceInfo' | 'userInfo';
export type AcquiringOperation =
  | 'payIn' | 'payOut' | 'cardLink' | 'applePay' | 'googlePay' | 'oneClickPayIn' | 'payOutDirect' | 'payOutByPhone'
  | 'charge' | 'status' | 'cards' | 'deleteCard' | 'refund' | 'upperFee';
export type AssistOperation = 'fiscalReceipt' | 'fiscalize';
export type FiscalboxOperation =
  | 'orderCreate' | 'orderRefuse' | 'orderPrint' | 'orderLast'
  | 'shiftOpen' | 'shiftClose' | 'shiftClosePrinted' | 'xReport' | 'shiftInfo' | 'deviceInfo'
  | 'printBanner' | 'openCashDrawer'
  | 'click' | 'clickConfirm' | 'payme' | 'paymeConfirm' | 'uzum' | 'uzumConfirm' | 'anor' | 'anorConfirm'
  | 'humo' | 'humoClose' | 'humoShortReport' | 'humoPrintLast' | 'humoClosePrintLast'
  | 'uzcard' | 'uzcardClose' | 'uzcardShortReport' | 'uzcardPrintLast' | 'uzcardClosePrintLast'
  | 'scan2pay' | 'scan2payStatus'
  | 'uzqrCreate' | 'uzqrStatus' | 'uzqrReceipt' | 'uzqrCancel' | 'uzqrRefund' | 'uzqrRefundStatus'
  | 'markingValidate';
export type FiscalboxBillingOperation = 'login' | 'ordersCount';

export interface OperationsByProvider {
  agws: AgwsOperation;
  acquiring: AcquiringOperation;
  assist: AssistOperation;
  fiscalbox: FiscalboxOperation;
  fiscalboxBilling: FiscalboxBillingOperation;
}

/**
 * - `delay`: wait `ms`, then answer normally.
 * - `status500`: the provider's own HTTP 500 answer; the operation is NOT performed.
 * - `status502html`: an nginx-style HTML 502 page; the operation is NOT performed.
 * - `malformed`: the operation IS performed; HTTP 200 with the JSON cut in half.
 * - `dropBefore`: the socket is destroyed before the operation runs (nothing recorded).
 * - `dropAfter`: the operation IS performed (recorded), then the socket is destroyed without a response.
 * - `slowBody`: the operation IS performed; headers go out at once, the body trickles over `ms`.
 */
export type FaultType = 'delay' | 'status500' | 'status502html' | 'malformed' | 'dropBefore' | 'dropAfter' | 'slowBody';

export type FaultSpec = {
  [P in ProviderName]: {
    provider: P;
    /** An operation name, or '*' for every operation of the provider. */
    operation: OperationsByProvider[P] | '*';
    fault: FaultType | { type: FaultType; ms?: number; times?: number };
    /** For delay / slowBody (defaults: timing.faultDelayMs / timing.slowBodyMs). */
    ms?: number;
    /** How many matching requests get the fault (default 1). */
    times?: number;
  };
}[ProviderName];

export interface PendingFault {
  provider: ProviderName;
  operation: string;
  fault: { type: FaultType; ms?: number; times: number };
  remaining: number;
}

export interface EmulatorCredentials {
  agws: { secret: string; agent: string; project: string };
  acquiring: { merchantId: number; projectId: number; secret: string };
  assist: { merchantId: string; login: string; password: string };
  /**
   * The FiscalBox device API has no authentication (spec §0.2). `walletAmountUnit` is the unit the
   * emulated device takes for click/payme/uzum/anor `amount` (default 'tiyin'); pass it to the client.
   */
  fiscalbox: { walletAmountUnit: 'tiyin' | 'sum' };
  fiscalboxBilling: { username: string; password: string; inn: string; companyName: string };
}

export interface EmulatorTiming {
  /** AGWS: status calls that still answer "7" (in progress) before the final status. Default 1. */
  pendingPolls: number;
  /** AGWS: finalize this many ms after cash-in even without polling (sends the callback). Default null (polls only). */
  pendingMs: number | null;
  /** Assist: fiscalreceipt lookups answering status "New" before "Success". Default 1. */
  assistNewLookups: number;
  /** FiscalBox Scan2pay: status calls answering 105 before success. Default 1. */
  scan2payPendingPolls: number;
  /** FiscalBox UzQR: status / refund-status calls answering 1 before 2. Default 1. */
  uzqrPendingPolls: number;
  /** FiscalBox: allowed |request time - device time| in ms (error 104 beyond). Default 300000; null = no check. */
  fiscalboxClockToleranceMs: number | null;
  /** Callback / webhook attempts until HTTP 200. Default 5. */
  callbackAttempts: number;
  /** First retry delay, doubled each attempt. Default 100. */
  callbackBackoffMs: number;
  /** Per-attempt timeout. Default 5000. */
  callbackTimeoutMs: number;
  /** Default `ms` of a delay fault. Default 1000. */
  faultDelayMs: number;
  /** Default `ms` of a slowBody fault. Default 3000. */
  slowBodyMs: number;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

export interface EmulatorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  credentials?: DeepPartial<EmulatorCredentials>;
  timing?: Partial<EmulatorTiming>;
  /** Receives one line per request (method, path, status) and internal failures; never bodies, headers or secrets. */
  log?: ((line: string) => void) | null;
}

export interface StatusChange<S = string> {
  status: S;
  at: string;
}

export interface DeliveryAttempt {
  url: string;
  /** The exact JSON text POSTed. */
  body: string;
  /** X-Signature (AGWS) or the Bearer token (acquiring) that was sent. */
  signature: string;
  attempt: number;
  at: string;
  status: number | null;
  responseBody: string | null;
  error: string | null;
}

export interface AgwsPayment {
  external_id: string;
  username: string;
  amount: number;
  amountMinor: number;
  service_code: string;
  project: string;
  agent: string;
  datetime: string;
  callback_url: string | null;
  /** AGWS status code: '7' in progress, then '2' success or '4' failed. */
  status: string;
  history: StatusChange[];
  fail_reason: { code: number; message: string } | null;
  createdAt: string;
  finishedAt: string | null;
  statusPolls: number;
  /** Always 1: a payment is performed once. */
  performed: 1;
  /** Repeats answered 1042. */
  duplicates: number;
  confirmations: number;
  fiscal_number: string | null;
}

export interface AcquiringTransaction {
  transaction_id: number;
  type: string;
  project_reference_id: string;
  amount: number;
  description: string;
  callback_url: string | null;
  confirm_url: string | null;
  success_redirect_url: string | null;
  failure_redirect_url: string | null;
  project_client_id: string;
  additional_data: Record<string, unknown> | null;
  /** new -> processed -> success | failed | authorized (two-stage) -> refund */
  status: string;
  history: StatusChange[];
  hash: string;
  created_at: string;
  finished_at: string | null;
  card_token: string;
  masked_pan: string;
  bank_code: string;
  bank_message: string;
  bank_reference_id: string;
  refunds: Array<{ amount: number; date: string }>;
  refundedMinor: number;
  charged_amount: number | null;
  two_stage?: boolean;
  performed: 1;
  /** Creations refused with 5000. */
  duplicates: number;
}

export interface AssistReceipt {
  fiscalreceipt_ID: number;
  billnumber: string | null;
  payment_id: string | null;
  type: 'sell' | 'sell_refund';
  receipttype: string;
  /** New -> Success | CreateError */
  status: string;
  items: unknown[];
  chequeItems: string;
  total: string;
  email: string | null;
  phone: string | null;
  taxationsystem: string;
  created_at: string;
  lookups: number;
  fiscal: Record<string, string> | null;
  errortext: string;
  performed: 1;
  duplicates: number;
}

export interface FiscalboxOrder {
  kind: 'sale' | 'refund';
  receipt_type: string;
  receipt_count: number;
  terminal_id: string;
  date_time: string;
  fiscal_sign: string;
  /** https://ofd.soliq.uz/check?t=<terminal_id>&r=<receipt_count>&c=<date_time>&s=<fiscal_sign> */
  qr_url: string;
  shift_number: number;
  number: number | null;
  uuid: string | null;
  time: string;
  cashier: string;
  /** Tiyin: Σ(price − discount − other). */
  total: number;
  received_cash: number;
  received_card: number;
  change: number;
  vat: number;
  /** For a refund: the qr_url of the sale it refunds. */
  refund_of: string | null;
  /** For a sale: tiyin refunded so far. */
  refunded: number;
  qr_payment: { provider: 'click' | 'payme' | 'uzum' | 'anor' | null; provider_code: number | null; payment_id: string } | null;
  products: unknown[];
  extra_info: Record<string, unknown> | null;
  created_at: string;
  performed: 1;
}

export interface FiscalboxShift {
  number: number;
  open_time: string;
  close_time: string;
  first_receipt_seq: number;
  last_receipt_seq: number;
  totals: {
    total_refund_vat: number; total_refund_card: number; total_refund_cash: number; total_refund_count: number;
    total_sale_vat: number; total_sale_card: number; total_sale_cash: number; total_sale_count: number;
  };
  history: StatusChange<'open' | 'closed'>[];
}

export interface FiscalboxWalletPayment {
  provider: 'click' | 'payme' | 'uzum' | 'anor';
  provider_code: number;
  /** payment_id (click/payme/uzum) or transaction_id (anor): the id *_confirm takes. */
  key: string;
  payment_id: string | number;
  transaction_id: string | null;
  /** As sent, in the device's `walletAmountUnit`. */
  amount: number;
  /** The amount in tiyin, read in the device's unit: what the customer was charged. */
  amount_tiyin: number;
  qr_code: string;
  phone: string;
  /** success -> confirmed */
  status: 'success' | 'confirmed';
  history: StatusChange[];
  /** Sale receipts (qr_url) whose extra_info named this payment. */
  receipts: string[];
  refundReceipts: string[];
  confirmations: Array<{ qr_code: string; at: string }>;
  created_at: string;
  performed: 1;
  /** The same customer QR presented again (answered 106). */
  duplicates: number;
}

export interface RequestRecord {
  provider: ProviderName;
  operation: string;
  method: string;
  path: string;
  fault: FaultType | null;
  /** HTTP status answered, or 'dropped'. */
  status: number | 'dropped' | null;
  /** dropAfter: the status the operation produced before the socket was destroyed. */
  performedStatus?: number;
  at: string;
}

export interface Ledger {
  agws: {
    payments: Record<string, AgwsPayment>;
    duplicateAttempts: number;
    callbacks: Array<DeliveryAttempt & { external_id: string }>;
    confirmations: Array<{ external_id: string; confirm_code: string | null; at: string }>;
    /** confirmInvoice calls with the wrong code ('000000'), answered is_success:false / otp_status:false with reason 402. */
    rejectedConfirmations: number;
    paymentLinks: Record<string, Record<string, unknown>>;
    balance: number;
  };
  acquiring: {
    transactions: Record<string, AcquiringTransaction>;
    byReference: Record<string, number>;
    duplicateAttempts: number;
    webhooks: Array<DeliveryAttempt & { transaction_id: number }>;
    confirmRequests: Array<Record<string, unknown>>;
    refunds: Array<{ transaction_id: number; amount: number; at: string; performed: 1 }>;
    charges: Array<{ transaction_id: number; amount: number; at: string; performed: 1 }>;
    cards: Record<string, Array<{ card_token: string; masked_pan: string }>>;
  };
  assist: {
    receipts: Record<string, AssistReceipt>;
    byPaymentId: Record<string, number[]>;
    byBillnumber: Record<string, number[]>;
    duplicateAttempts: number;
  };
  fiscalbox: {
    orders: FiscalboxOrder[];
    uuidCounts: Record<string, number>;
    payments: Record<string, FiscalboxWalletPayment>;
    usedQrCodes: Record<string, string>;
    anorSeq: number;
    duplicateAttempts: number;
    confirmations: Array<{ provider: string; id: string; qr_code: string; linked: boolean; at: string }>;
    shift: FiscalboxShift | null;
    shifts: FiscalboxShift[];
    xReports: number;
    reprints: number;
    pinpad: Array<Record<string, unknown>>;
    scan2pay: Record<string, Record<string, unknown>>;
    uzqr: {
      invoices: Record<string, Record<string, unknown>>;
      byExternalId: Record<string, string>;
      byPayId: Record<string, string>;
      refunds: Record<string, Record<string, unknown>>;
      receipts: Array<{ pay_id: string; fiscal_receipt_url: string; known_receipt: boolean; at: string }>;
    };
    soldMarkingCodes: string[];
    banners: Array<Record<string, unknown>>;
    drawerOpenings: number;
  };
  fiscalboxBilling: { logins: number; failedLogins: number; queries: number };
  /** Every API request routed to a provider operation, in arrival order. */
  requests: RequestRecord[];
}

export interface BaseUrls {
  agws: string;
  acquiring: string;
  assist: string;
  fiscalbox: string;
  fiscalboxBilling: string;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  /** Pass these as each client's `baseUrl`. */
  baseUrls: BaseUrls;
  credentials: EmulatorCredentials;
  timing: EmulatorTiming;
  operations: { [P in ProviderName]: OperationsByProvider[P][] };
  /** The live ledger (also GET /__emulator/ledger). */
  readonly ledger: Ledger;
  inject(spec: FaultSpec): { provider: ProviderName; operation: string; fault: { type: FaultType; ms?: number; times: number } };
  faults: {
    inject: Emulator['inject'];
    clear(): void;
    pending(): PendingFault[];
  };
  /** Empties the ledger, clears faults and timers, restores seeded data. */
  reset(): void;
  /** Presses Pay (or Decline) on an acquiring hosted page; resolves after the webhook was delivered. */
  pay(transactionId: number | string, options?: { decline?: boolean; cardNumber?: string }): Promise<AcquiringTransaction>;
  /** Moves an AGWS payment to its final status now. */
  settleAgws(externalId: string, options?: { fail?: boolean }): AgwsPayment;
  /** Waits until every callback/webhook in flight has been delivered or given up. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_CREDENTIALS: Readonly<EmulatorCredentials>;
export const DEFAULT_TIMING: Readonly<EmulatorTiming>;
export const OPERATIONS: Readonly<{ [P in ProviderName]: readonly OperationsByProvider[P][] }>;
export const FAULT_TYPES: readonly FaultType[];

export function startEmulator(options?: EmulatorOptions): Promise<Emulator>;

/** Go-canonical JSON (the emulator's own implementation). */
export function canonicalJson(value: unknown): string;
/** hex(sha256(base64(canonical(body minus "" fields and additional_data)) + secret)). */
export function tarlanSignature(body: Record<string, unknown>, secret: string): string;
export function tarlanSignatureMatches(body: Record<string, unknown>, secret: string, signature: string | undefined): boolean;

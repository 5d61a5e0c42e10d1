// Fault injection: per provider+operation queues of faults, consumed in order.
// The operation names are the SDK's operation names, so a test can say
// "the next cashIn gets its connection dropped after the payment was made".
// Operation "*" matches every operation of the provider (a specific queue is used first).

export const OPERATIONS = Object.freeze({
  agws: ['check', 'cashIn', 'status', 'balance', 'confirmInvoice', 'paymentLink', 'upperCommission', 'fiscalReceipt', 'serviceInfo', 'userInfo'],
  acquiring: ['payIn', 'payOut', 'cardLink', 'applePay', 'googlePay', 'oneClickPayIn', 'payOutDirect', 'payOutByPhone', 'charge', 'status', 'cards', 'deleteCard', 'refund', 'upperFee'],
  assist: ['fiscalReceipt', 'fiscalize'],
  fiscalbox: [
    'orderCreate', 'orderRefuse', 'orderPrint', 'orderLast',
    'shiftOpen', 'shiftClose', 'shiftClosePrinted', 'xReport', 'shiftInfo', 'deviceInfo',
    'printBanner', 'openCashDrawer',
    'click', 'clickConfirm', 'payme', 'paymeConfirm', 'uzum', 'uzumConfirm', 'anor', 'anorConfirm',
    'humo', 'humoClose', 'humoShortReport', 'humoPrintLast', 'humoClosePrintLast',
    'uzcard', 'uzcardClose', 'uzcardShortReport', 'uzcardPrintLast', 'uzcardClosePrintLast',
    'scan2pay', 'scan2payStatus',
    'uzqrCreate', 'uzqrStatus', 'uzqrReceipt', 'uzqrCancel', 'uzqrRefund', 'uzqrRefundStatus',
    'markingValidate',
  ],
  fiscalboxBilling: ['login', 'ordersCount'],
});

export const FAULT_TYPES = Object.freeze(['delay', 'status500', 'status502html', 'malformed', 'dropBefore', 'dropAfter', 'slowBody']);

/** Throws a TypeError naming what is wrong, so a typo in a test fails loudly instead of never firing. */
export function validateFault(provider, operation, fault) {
  if (!Object.hasOwn(OPERATIONS, provider)) {
    throw new TypeError(`unknown provider "${provider}" (expected one of ${Object.keys(OPERATIONS).join(', ')})`);
  }
  if (operation !== '*' && !OPERATIONS[provider].includes(operation)) {
    throw new TypeError(`unknown ${provider} operation "${operation}" (expected one of ${OPERATIONS[provider].join(', ')})`);
  }
  if (fault === null || typeof fault !== 'object' || !FAULT_TYPES.includes(fault.type)) {
    throw new TypeError(`fault.type must be one of ${FAULT_TYPES.join(', ')}`);
  }
  if ((fault.type === 'delay' || fault.type === 'slowBody') && !(Number.isFinite(fault.ms) && fault.ms >= 0)) {
    throw new TypeError(`fault "${fault.type}" needs a non-negative number "ms"`);
  }
  const times = fault.times ?? 1;
  if (!Number.isInteger(times) || times < 1) throw new TypeError('fault.times must be a positive integer');
}

export class FaultBook {
  #queues = new Map();

  inject(provider, operation, fault) {
    validateFault(provider, operation, fault);
    const key = `${provider}:${operation}`;
    const queue = this.#queues.get(key) ?? [];
    queue.push({ fault: { ...fault }, remaining: fault.times ?? 1 });
    this.#queues.set(key, queue);
  }

  /** The fault to apply to this request (consuming one use), or null. */
  take(provider, operation) {
    const specific = this.#queues.get(`${provider}:${operation}`);
    const key = specific?.length ? `${provider}:${operation}` : `${provider}:*`;
    const queue = this.#queues.get(key);
    if (!queue || queue.length === 0) return null;
    const entry = queue[0];
    entry.remaining -= 1;
    if (entry.remaining === 0) queue.shift();
    return entry.fault;
  }

  clear() {
    this.#queues.clear();
  }

  pending() {
    const out = [];
    for (const [key, queue] of this.#queues) {
      const [provider, operation] = key.split(':');
      for (const entry of queue) out.push({ provider, operation, fault: entry.fault, remaining: entry.remaining });
    }
    return out;
  }
}

// FiscalBox (fbox.uz) device API and its billing service — spec/fiscalbox.md.
// Envelope {data, error: {code, message, data} | null, is_success}, always HTTP 200 (even on
// errors); a few answers are wrapped in {"result": {...}}. No auth on the device (spec §0.2);
// billing uses `Authorization: Token <token>` after POST /api/v1/login/.
import { randomBytes } from 'node:crypto';
import { jsonResponse, matchRoute, queryObject } from './http.mjs';
import { decimalFromString, toMinorUnits, minorToNumber } from './money.mjs';
import { decodeObjectBody } from './tarlan.mjs';
import { compactTashkent, formatTashkent, isPlainObject, parseTashkent, randomDigits, randomDigitsNoLeadingZero, randomHex, startsWithCi, uuid } from './util.mjs';

const ROUTES = [
  ['POST', '/order/create/', 'orderCreate'],
  ['POST', '/order/refuse/', 'orderRefuse'],
  ['GET', '/order/print/', 'orderPrint'],
  ['GET', '/order/last/', 'orderLast'],
  ['GET', '/zreport/open/', 'shiftOpen'],
  ['GET', '/zreport/close/', 'shiftClose'],
  ['POST', '/zreport/close/', 'shiftClosePrinted'], // close_zreport:false turns it into xReport
  ['GET', '/zreport/info/', 'shiftInfo'],
  ['GET', '/info/', 'deviceInfo'],
  ['POST', '/print/banner', 'printBanner'],
  ['GET', '/print/open_cash_drawer', 'openCashDrawer'],
  ['POST', '/payment/click', 'click'],
  ['POST', '/payment/click_confirm', 'clickConfirm'],
  ['POST', '/payment/payme', 'payme'],
  ['POST', '/payment/payme_confirm', 'paymeConfirm'],
  ['POST', '/payment/uzum', 'uzum'],
  ['POST', '/payment/uzum_confirm', 'uzumConfirm'],
  ['POST', '/payment/anor', 'anor'],
  ['POST', '/payment/anor_confirm', 'anorConfirm'],
  ['POST', '/payment/xumo', 'humo'],
  ['GET', '/payment/xumo_close', 'humoClose'],
  ['GET', '/payment/xumo_shortreport/', 'humoShortReport'],
  ['GET', '/payment/xumo/print_last', 'humoPrintLast'],
  ['GET', '/payment/xumo_close/print_last', 'humoClosePrintLast'],
  ['POST', '/payment/uzcard', 'uzcard'],
  ['GET', '/payment/uzcard_close', 'uzcardClose'],
  ['GET', '/payment/uzcard_shortreport/', 'uzcardShortReport'],
  ['GET', '/payment/uzcard/print_last', 'uzcardPrintLast'],
  ['GET', '/payment/uzcard_close/print_last', 'uzcardClosePrintLast'],
  ['POST', '/payment/qr_pay', 'scan2pay'],
  ['POST', '/payment/qr_pay/status', 'scan2payStatus'],
  ['POST', '/payment/one_qr/create', 'uzqrCreate'],
  ['GET', '/payment/one_qr/status', 'uzqrStatus'],
  ['POST', '/payment/one_qr/receipt', 'uzqrReceipt'],
  ['POST', '/payment/one_qr/cancel', 'uzqrCancel'],
  ['POST', '/payment/one_qr/refund', 'uzqrRefund'],
  ['GET', '/payment/one_qr/refund/status', 'uzqrRefundStatus'],
  ['POST', '/okm/validation', 'markingValidate'],
];

const BILLING_ROUTES = [
  ['POST', '/api/v1/login/', 'login'],
  ['GET', '/api/v1/orders/count/', 'ordersCount'],
];

export const TERMINAL_ID = 'EM240101000001';
const APPLET_VERSION = '0323';
const CASH_BOX_NUMBER = '1';
const VERSION_CODE = '1.12.1';
const SOLIQ = 'https://ofd.soliq.uz/check';
/** Provider codes of extra_info.qr_payment_provider (spec §2). */
const PROVIDER_CODES = { payme: 141, click: 64, uzum: 161, anor: 187 };
const QR_WALLETS = ['click', 'payme', 'uzum', 'anor'];
const RECEIPT_TYPES = new Set(['order', 'prepaid', 'credit']);

// ---- envelopes -------------------------------------------------------------------------

function ok(data, { wrap = false } = {}) {
  const body = { data, error: null, is_success: true };
  return jsonResponse(200, wrap ? { result: body } : body);
}

function fail(code, message, data = null) {
  return jsonResponse(200, { data: null, error: { code, message, data }, is_success: false });
}

/** Code 7: DRF-style field errors, JSON-encoded into error.message (spec §0.3). */
function invalid(fields) {
  return fail(7, JSON.stringify(fields));
}

const REQUIRED = ['This field is required.'];
const BLANK = ['This field may not be blank.'];
const NOT_INT = ['A valid integer is required.'];

function isInt(value) {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Checks fields: `{ name: 'string' | 'int' | 'bool' | 'array' | 'object', ... }`, "?" = optional. */
function fieldErrors(body, spec) {
  const errors = {};
  for (const [name, typeSpec] of Object.entries(spec)) {
    const optional = typeSpec.endsWith('?');
    const type = optional ? typeSpec.slice(0, -1) : typeSpec;
    const value = body[name];
    if (value === undefined || value === null) {
      if (!optional) errors[name] = value === null ? ['This field may not be null.'] : REQUIRED;
      continue;
    }
    if (type === 'string' && typeof value !== 'string') errors[name] = ['Not a valid string.'];
    else if (type === 'string' && !optional && value.trim() === '') errors[name] = BLANK;
    else if (type === 'int' && !isInt(value)) errors[name] = NOT_INT;
    else if (type === 'bool' && typeof value !== 'boolean') errors[name] = ['Must be a valid boolean.'];
    else if (type === 'array' && !Array.isArray(value)) errors[name] = ['Expected a list of items.'];
    else if (type === 'object' && !isPlainObject(value)) errors[name] = ['Expected a dictionary of items.'];
  }
  return Object.keys(errors).length ? errors : null;
}

export function soliqUrl(terminalId, receiptSeq, dateTime, fiscalSign) {
  return `${SOLIQ}?t=${terminalId}&r=${receiptSeq}&c=${dateTime}&s=${fiscalSign}`;
}

function emptyTotals() {
  return {
    total_refund_vat: 0, total_refund_card: 0, total_refund_cash: 0, total_refund_count: 0,
    total_sale_vat: 0, total_sale_card: 0, total_sale_cash: 0, total_sale_count: 0,
  };
}

export function createFiscalbox(ctx) {
  const ledger = () => ctx.ledger.fiscalbox;
  let receiptSeq = 0;
  let zreportCount = 0;
  let lastReceiptMs = null;
  let lastOperationMs = null;
  let lastSlip = { humo: null, uzcard: null };
  let lastReconciliation = { humo: null, uzcard: null };
  const accumulators = { cash: { Sale: 0, Refund: 0 }, card: { Sale: 0, Refund: 0 }, vat: { Sale: 0, Refund: 0 } };

  function reset() {
    receiptSeq = 0;
    zreportCount = 0;
    lastReceiptMs = null;
    lastOperationMs = null;
    lastSlip = { humo: null, uzcard: null };
    lastReconciliation = { humo: null, uzcard: null };
    for (const acc of Object.values(accumulators)) {
      acc.Sale = 0;
      acc.Refund = 0;
    }
  }

  function decodeBody(request) {
    if (request.method === 'GET') return queryObject(request.query);
    return decodeObjectBody(request.bodyText);
  }

  function handle(operation, request) {
    const body = decodeBody(request);
    if (!body) return fail(65532, 'illegal argument', 'request body is not a JSON object');
    const op = operation === 'shiftClosePrinted' && body.close_zreport === false ? 'xReport' : operation;
    return HANDLERS[op](body, request);
  }

  /** The operation a request performs (POST /zreport/close/ with close_zreport:false is an X-report). */
  function refine(operation, request) {
    if (operation !== 'shiftClosePrinted') return operation;
    const body = decodeObjectBody(request.bodyText);
    return body?.close_zreport === false ? 'xReport' : operation;
  }

  // ---- device clock ------------------------------------------------------------------------

  /** null, or the error response for a `time` that is malformed or too far from the device clock. */
  function checkTime(time, malformedCode = 104) {
    const ms = parseTashkent(time);
    if (ms === null) {
      return malformedCode === 104 ? fail(104, 'Invalid time format, expected yyyy-MM-dd HH:mm:ss') : fail(malformedCode, 'ERROR_ZREPORT_OPEN_TIME_FORMAT_INVALID');
    }
    const tolerance = ctx.timing.fiscalboxClockToleranceMs;
    if (tolerance !== null && tolerance !== undefined && Math.abs(ms - ctx.now()) > tolerance) {
      return fail(104, `Invalid time. Device time is ${formatTashkent(ctx.now())}; the difference must not exceed ±5 minutes`);
    }
    return null;
  }

  function operationTime(time) {
    return parseTashkent(time) ?? ctx.now();
  }

  // ---- shifts ------------------------------------------------------------------------------

  function shiftData(shift, { closed = false } = {}) {
    return {
      applet_version: APPLET_VERSION,
      terminal_id: TERMINAL_ID,
      number: shift.number,
      count: zreportCount,
      last_receipt_seq: shift.last_receipt_seq,
      first_receipt_seq: shift.first_receipt_seq,
      open_time: shift.open_time,
      close_time: closed ? shift.close_time : '',
      ...shift.totals,
      shift_opened: !closed,
      cash_desc_serial: null,
    };
  }

  function shiftOpen(body) {
    const timeError = checkTime(body.time, 36910);
    if (timeError) return timeError;
    if (ledger().shift) return fail(9327, 'ZREPORT_ALREADY_OPEN');
    zreportCount += 1;
    const shift = { number: zreportCount, open_time: body.time, close_time: '', first_receipt_seq: 0, last_receipt_seq: 0, totals: emptyTotals(), history: [{ status: 'open', at: new Date(ctx.now()).toISOString() }] };
    ledger().shift = shift;
    lastOperationMs = operationTime(body.time);
    return ok({ time: body.time, applet_version: APPLET_VERSION });
  }

  function closeShift(time, extra = {}) {
    const shift = ledger().shift;
    if (!shift) return fail(9326, 'ZREPORT_ALREADY_CLOSE');
    const timeError = checkTime(time);
    if (timeError) return timeError;
    shift.close_time = time;
    shift.history.push({ status: 'closed', at: new Date(ctx.now()).toISOString() });
    Object.assign(shift, extra);
    ledger().shifts.push(shift);
    ledger().shift = null;
    lastOperationMs = operationTime(time);
    return ok(shiftData(shift, { closed: true }), { wrap: true });
  }

  function shiftClose(body) {
    return closeShift(body.time);
  }

  function shiftClosePrinted(body, request) {
    const errors = fieldErrors(body, { close_zreport: 'bool', name: 'string?', prices: 'array?', banners: 'array?' });
    if (errors) return invalid(errors);
    const time = request.query.get('time') ?? formatTashkent(ctx.now());
    return closeShift(time, { printed: { name: body.name ?? null, prices: body.prices ?? [] } });
  }

  function xReport(body) {
    const errors = fieldErrors(body, { close_zreport: 'bool', name: 'string?', prices: 'array?', banners: 'array?' });
    if (errors) return invalid(errors);
    const shift = ledger().shift;
    if (!shift) return fail(36909, 'ERROR_ZREPORT_IS_NOT_OPEN');
    ledger().xReports += 1;
    return ok(shiftData(shift), { wrap: true });
  }

  function shiftInfo(body) {
    if (body.number !== undefined) {
      const n = Number(body.number);
      const closed = ledger().shifts;
      if (!Number.isInteger(n) || n < 1 || n > closed.length) return fail(36902, 'ERROR_ZREPORT_INDEX_OUT_OF_BOUNDS');
      return ok(shiftData(closed[closed.length - n], { closed: true }), { wrap: true });
    }
    const shift = ledger().shift;
    if (shift) return ok(shiftData(shift), { wrap: true });
    const last = ledger().shifts.at(-1);
    const data = last ? shiftData(last, { closed: true }) : { ...shiftData({ number: 0, open_time: '', first_receipt_seq: 0, last_receipt_seq: 0, totals: emptyTotals() }), shift_opened: false };
    return ok(data, { wrap: true });
  }

  function deviceInfo() {
    return ok({
      terminal_id: TERMINAL_ID,
      applet_version: APPLET_VERSION,
      current_receipt_seq: String(receiptSeq),
      current_time: formatTashkent(ctx.now()),
      last_operation_time: formatTashkent(lastOperationMs ?? ctx.now()),
      receipt_count: 0,
      receipt_max_count: 858,
      zreport_count: zreportCount,
      zreport_max_count: 832,
      available_persistent_memory: 6100,
      available_reset_memory: 1440,
      available_deselect_memory: 1440,
      cashbox_number: CASH_BOX_NUMBER,
      version_code: VERSION_CODE,
      is_updated: false,
      cash_accomulator: { ...accumulators.cash },
      card_accomulator: { ...accumulators.card },
      vat_accomulator: { ...accumulators.vat },
    });
  }

  // ---- receipts ----------------------------------------------------------------------------

  const PRODUCT_FIELDS = {
    name: 'string', barcode: 'string?', amount: 'int', unit_name: 'string?', price: 'int', product_price: 'int',
    vat: 'int?', vat_percent: 'int?', discount: 'int?', other: 'int?', labels: 'array?', class_code: 'string',
    package_code: 'string', comission_info: 'object?',
  };

  /** Validates an order/refund body; returns {errorResponse} or {totals}. */
  function checkOrder(body, { refund }) {
    const spec = {
      products: 'array', time: 'string', cashier: 'string', received_cash: 'int', change: 'int', received_card: 'int',
      number: refund ? 'int' : 'int?', receipt_type: refund ? 'string?' : 'string', uuid: 'string?', card_type: 'int?',
      ppt_id: 'string?', scan2pay_paid: 'bool?', extra_info: 'object?', banners: 'array?', prices: 'array?',
      ...(refund ? { qr_code: 'string?' } : {}),
    };
    const errors = fieldErrors(body, spec) ?? {};
    if (!refund && typeof body.receipt_type === 'string' && !RECEIPT_TYPES.has(body.receipt_type)) {
      errors.receipt_type = [`"${body.receipt_type}" is not a valid choice.`];
    }
    if (Array.isArray(body.products)) {
      if (body.products.length === 0) errors.products = ['This list may not be empty.'];
      body.products.forEach((product, index) => {
        const productErrors = isPlainObject(product) ? fieldErrors(product, PRODUCT_FIELDS) : { non_field_errors: ['Invalid data. Expected a dictionary.'] };
        const ownerType = product?.owner_type;
        const ownerOk = isInt(ownerType) || (typeof ownerType === 'string' && /^[0-2]$/.test(ownerType));
        const merged = { ...(productErrors ?? {}), ...(ownerOk ? {} : { owner_type: ownerType === undefined ? REQUIRED : NOT_INT }) };
        if (Object.keys(merged).length) (errors.products ??= [])[index] = merged;
      });
    }
    for (const name of ['received_cash', 'change', 'received_card']) {
      if (isInt(body[name]) && body[name] < 0) errors[name] = ['Ensure this value is greater than or equal to 0.'];
    }
    if (Object.keys(errors).length) {
      // A missing or malformed IKPU has its own device error (spec §10, code 401).
      const productErrors = Array.isArray(errors.products) ? errors.products.filter(Boolean) : [];
      if (Object.keys(errors).length === 1 && productErrors.length && productErrors.every((e) => Object.keys(e).length === 1 && e.class_code)) {
        return { errorResponse: fail(401, 'Dobavьte IKPU(MXIK) kod dlya tovara') };
      }
      return { errorResponse: invalid(errors) };
    }
    for (const product of body.products) {
      if (!/^\d{17}$/.test(product.class_code)) return { errorResponse: fail(401, `Dobavьte IKPU(MXIK) kod dlya tovara ${product.name}`) };
      if (product.amount <= 0 || product.price < 0 || product.product_price < 0) {
        return { errorResponse: fail(65531, 'cannot encode receipt', `product ${product.name}: amount must be > 0 and prices >= 0\n`) };
      }
      if (Array.isArray(product.labels) && product.labels.length > 0 && product.amount !== 1000 * product.labels.length) {
        return { errorResponse: fail(402, `Добавьте код маркировки для товара ${product.name}`) };
      }
    }
    const total = body.products.reduce((sum, p) => sum + p.price - (p.discount ?? 0) - (p.other ?? 0), 0);
    const vat = body.products.reduce((sum, p) => sum + (p.vat ?? 0), 0);
    const paid = body.received_cash + body.received_card - body.change;
    if (total !== paid) {
      return { errorResponse: fail(65531, 'cannot encode receipt', `failed to make total block\n difference ${Math.abs(total - paid)} between ${total} and ${paid}\n math error\n`) };
    }
    return { totals: { total, vat, cash: body.received_cash - body.change, card: body.received_card } };
  }

  function issueReceipt(body, totals, { refundOf = null } = {}) {
    const shift = ledger().shift;
    receiptSeq += 1;
    const timeMs = operationTime(body.time);
    lastReceiptMs = timeMs;
    lastOperationMs = timeMs;
    const dateTime = compactTashkent(timeMs);
    const fiscalSign = randomDigits(12); // may start with 0, like the real ones
    const qrUrl = soliqUrl(TERMINAL_ID, receiptSeq, dateTime, fiscalSign);
    const kind = refundOf ? 'refund' : 'sale';
    const order = {
      kind,
      receipt_type: refundOf ? 'refund' : body.receipt_type,
      receipt_count: receiptSeq,
      terminal_id: TERMINAL_ID,
      date_time: dateTime,
      fiscal_sign: fiscalSign,
      qr_url: qrUrl,
      shift_number: shift.number,
      number: body.number ?? null,
      uuid: body.uuid ?? null,
      time: body.time,
      cashier: body.cashier,
      total: totals.total,
      received_cash: body.received_cash,
      received_card: body.received_card,
      change: body.change,
      vat: totals.vat,
      refund_of: refundOf,
      refunded: 0,
      qr_payment: null,
      products: body.products,
      extra_info: body.extra_info ?? null,
      created_at: new Date(ctx.now()).toISOString(),
      performed: 1,
    };
    const extra = body.extra_info;
    if (isPlainObject(extra) && extra.qr_payment_id !== undefined && extra.qr_payment_id !== null && extra.qr_payment_id !== '') {
      const providerCode = Number(extra.qr_payment_provider);
      const provider = Object.keys(PROVIDER_CODES).find((name) => PROVIDER_CODES[name] === providerCode) ?? null;
      order.qr_payment = { provider, provider_code: Number.isFinite(providerCode) ? providerCode : null, payment_id: String(extra.qr_payment_id) };
      const payment = provider ? ledger().payments[`${provider}:${extra.qr_payment_id}`] : null;
      if (payment) (refundOf ? payment.refundReceipts : payment.receipts).push(qrUrl);
    }
    ledger().orders.push(order);
    if (order.uuid !== null && !refundOf) ledger().uuidCounts[order.uuid] = (ledger().uuidCounts[order.uuid] ?? 0) + 1;
    if (shift.first_receipt_seq === 0) shift.first_receipt_seq = receiptSeq;
    shift.last_receipt_seq = receiptSeq;
    const side = refundOf ? 'refund' : 'sale';
    shift.totals[`total_${side}_cash`] += totals.cash;
    shift.totals[`total_${side}_card`] += totals.card;
    shift.totals[`total_${side}_vat`] += totals.vat;
    shift.totals[`total_${side}_count`] += 1;
    const accKey = refundOf ? 'Refund' : 'Sale';
    accumulators.cash[accKey] += totals.cash;
    accumulators.card[accKey] += totals.card;
    accumulators.vat[accKey] += totals.vat;
    for (const product of body.products) {
      for (const label of Array.isArray(product.labels) ? product.labels : []) {
        if (refundOf) ledger().soldMarkingCodes = ledger().soldMarkingCodes.filter((km) => km !== label);
        else ledger().soldMarkingCodes.push(label);
      }
    }
    if (body.open_cashbox === true) ledger().drawerOpenings += 1;
    if (Array.isArray(body.banners) && body.banners.length) ledger().banners.push({ source: 'order', receipt_count: receiptSeq, banners: body.banners });
    return order;
  }

  function receiptAnswer(order) {
    return ok({
      terminal_id: order.terminal_id,
      receipt_count: order.receipt_count,
      date_time: order.date_time,
      fiscal_sign: order.fiscal_sign,
      applet_version: APPLET_VERSION,
      qr_url: order.qr_url,
      cash_box_number: CASH_BOX_NUMBER,
    });
  }

  /** Shared front of create/refuse: shape, clock, shift, arithmetic. */
  function admitOrder(body, refund) {
    const checked = checkOrder(body, { refund });
    if (checked.errorResponse) return checked;
    const timeError = checkTime(body.time);
    if (timeError) return { errorResponse: timeError };
    if (!ledger().shift) return { errorResponse: fail(36909, 'ERROR_ZREPORT_IS_NOT_OPEN') };
    if (lastReceiptMs !== null && parseTashkent(body.time) < lastReceiptMs) {
      return { errorResponse: fail(36888, 'ERROR_RECEIPT_TIME_PAST') };
    }
    return checked;
  }

  function orderCreate(body) {
    const admitted = admitOrder(body, false);
    if (admitted.errorResponse) return admitted.errorResponse;
    return receiptAnswer(issueReceipt(body, admitted.totals));
  }

  function orderRefuse(body) {
    if (body.qr_code === undefined || body.qr_code === null || body.qr_code === '') return fail(65277, 'no refund info passed', 'qr_code is required for a refund receipt');
    const admitted = admitOrder(body, true);
    if (admitted.errorResponse) return admitted.errorResponse;
    const original = ledger().orders.find((order) => order.kind === 'sale' && sameReceipt(order.qr_url, body.qr_code));
    if (!original) return fail(65275, 'not valid refund info', 'refund info is not valid');
    const remaining = original.total - original.refunded;
    if (admitted.totals.total > remaining) {
      const code = admitted.totals.cash > 0 ? [36913, 'ERROR_NOT_ENOUGH_CASH_FOR_REFUND'] : [36914, 'ERROR_NOT_ENOUGH_CARD_FOR_REFUND'];
      return fail(code[0], code[1], `${code[1]}\n refundable ${remaining}, requested ${admitted.totals.total}\n`);
    }
    original.refunded += admitted.totals.total;
    return receiptAnswer(issueReceipt(body, admitted.totals, { refundOf: original.qr_url }));
  }

  function orderPrint() {
    if (!ledger().orders.length) return fail(36871, 'ERROR_RECEIPT_INDEX_OUT_OF_BOUNDS');
    ledger().reprints += 1;
    return ok(null);
  }

  function orderLast() {
    const order = ledger().orders.at(-1);
    if (!order) return fail(36871, 'ERROR_RECEIPT_INDEX_OUT_OF_BOUNDS');
    const extra = isPlainObject(order.extra_info) ? order.extra_info : {};
    return ok({
      order: {
        id: 0,
        number: order.number,
        cashier: order.cashier,
        products: order.products.map((p) => ({
          ...p,
          comission_info: { TIN: p.comission_info?.inn ?? '', PINFL: p.comission_info?.pinfl ?? '' },
        })),
        time: order.time,
        received_cash: order.received_cash,
        received_card: order.received_card,
        received_ecash: null,
        change: order.change,
        isSynced: false,
        type: order.kind === 'refund' ? 'refund' : 'order',
        result_url: order.qr_url,
        receipt_type: order.receipt_type,
        extra_info: {
          PhoneNumber: extra.phone_number ?? '',
          CardNumber: extra.card_number ?? '',
          QrPaymentID: extra.qr_payment_id === undefined ? '' : String(extra.qr_payment_id),
          QrPaymentProvider: extra.qr_payment_provider ?? null,
          scan2pay_id: extra.scan2pay_id ?? '',
        },
        qr_code: order.refund_of ?? '',
        uuid: order.uuid ?? '',
      },
      fiscalOrder: null,
      result: {
        TerminalID: order.terminal_id,
        ReceiptSeq: order.receipt_count,
        DateTime: order.date_time,
        FiscalSign: order.fiscal_sign,
        AppletVersion: APPLET_VERSION,
        QRCodeURL: order.qr_url,
        cash_box_number: CASH_BOX_NUMBER,
      },
      isRefund: order.kind === 'refund',
    }, { wrap: true });
  }

  /** Two Soliq links name the same receipt when t, r, c and s agree (host/path may differ, spec §11). */
  function sameReceipt(a, b) {
    const pa = soliqParams(a);
    const pb = soliqParams(b);
    return Boolean(pa && pb && pa.t === pb.t && pa.r === pb.r && pa.c === pb.c && pa.s === pb.s);
  }

  function soliqParams(text) {
    let url;
    try {
      url = new URL(String(text));
    } catch {
      return null;
    }
    const [t, r, c, s] = ['t', 'r', 'c', 's'].map((key) => url.searchParams.get(key));
    return t && r && c && s ? { t, r, c, s } : null;
  }

  function findReceiptByUrl(text) {
    return ledger().orders.find((order) => sameReceipt(order.qr_url, text)) ?? null;
  }

  // ---- printing ------------------------------------------------------------------------------

  function printBanner(body) {
    const errors = fieldErrors(body, { banners: 'array' });
    if (errors) return invalid(errors);
    for (const banner of body.banners) {
      if (!isPlainObject(banner) || !['text', 'barcode', 'qr_code', 'qr_code_frame'].includes(banner.type) || typeof banner.data !== 'string') {
        return invalid({ banners: ['Each banner needs type (text, barcode, qr_code, qr_code_frame) and data (string).'] });
      }
      if (banner.type === 'barcode' && !/^\d+$/.test(banner.data)) return invalid({ banners: ['A barcode banner takes digits only.'] });
    }
    ledger().banners.push({ source: 'print', banners: body.banners, at: new Date(ctx.now()).toISOString() });
    return ok(null);
  }

  function openCashDrawer() {
    ledger().drawerOpenings += 1;
    return ok(null);
  }

  // ---- QR wallets: click / payme / uzum / anor -------------------------------------------------

  function walletPay(provider, body) {
    const errors = fieldErrors(body, { amount: 'int', qr_code: 'string' });
    if (errors) return invalid(errors);
    if (body.amount <= 0) return invalid({ amount: ['Ensure this value is greater than or equal to 1.'] });
    const usedBy = ledger().usedQrCodes[`${provider}:${body.qr_code}`];
    if (usedBy) {
      ledger().payments[usedBy].duplicates += 1;
      ledger().duplicateAttempts += 1;
      return fail(106, 'PAYMENT_ERROR', 'qr_code has already been used for a payment');
    }
    if (startsWithCi(body.qr_code, 'decline') || startsWithCi(body.qr_code, 'fail')) {
      return fail(106, 'PAYMENT_ERROR', 'payment declined by the wallet');
    }
    const phone = `998${randomDigits(9)}`;
    const ids = {
      click: () => ({ payment_id: randomDigitsNoLeadingZero(10), transaction_id: uuid() }),
      payme: () => ({ payment_id: randomHex(24), transaction_id: uuid() }),
      uzum: () => ({ payment_id: uuid(), transaction_id: null }),
      anor: () => ({ payment_id: ledger().anorSeq++, transaction_id: uuid() }),
    }[provider]();
    const key = provider === 'anor' ? ids.transaction_id : String(ids.payment_id);
    const now = new Date(ctx.now()).toISOString();
    // The device reads `amount` in its own unit: a client that sends the other one charges 100x off.
    const amountTiyin = ctx.credentials.fiscalbox.walletAmountUnit === 'sum' ? body.amount * 100 : body.amount;
    const payment = {
      provider, provider_code: PROVIDER_CODES[provider], key, ...ids, amount: body.amount, amount_tiyin: amountTiyin, qr_code: body.qr_code,
      phone, status: 'success', history: [{ status: 'success', at: now }], receipts: [], refundReceipts: [], confirmations: [],
      created_at: now, performed: 1, duplicates: 0,
    };
    ledger().payments[`${provider}:${key}`] = payment;
    ledger().usedQrCodes[`${provider}:${body.qr_code}`] = `${provider}:${key}`;
    switch (provider) {
      case 'click':
        return ok({ status_code: 0, status: 'successfully', message: '', amount: body.amount, payment_id: ids.payment_id, transaction_id: ids.transaction_id, qr_code: body.qr_code, client_phone_number: phone });
      case 'payme':
        return ok({ amount: body.amount, transaction_id: ids.transaction_id, payment_id: ids.payment_id, inn: '123456789', qr_code: body.qr_code, kkm_id: '00000011', device_id: '00000011', status: 'successfully', message: 'successfully payment', client_phone_number: phone });
      case 'uzum':
        return ok({ payment_id: ids.payment_id, payment_status: 'SUCCESS', error_code: '0', error_message: null, client_phone_number: phone });
      default:
        return ok({ transaction_id: ids.transaction_id, status: 'successfully', message: 'Payment completed successfully', error_code: null, payment_id: ids.payment_id, error_note: null, payment_status: 2, phone_number: phone, card_number: `860012******${randomDigits(4)}` });
    }
  }

  function walletConfirm(provider, body) {
    const idField = provider === 'anor' ? 'transaction_id' : 'payment_id';
    const errors = fieldErrors(body, { [idField]: 'string', qr_code: 'string' });
    if (errors) return invalid(errors);
    const payment = ledger().payments[`${provider}:${body[idField]}`];
    if (!payment) return fail(106, 'PAYMENT_ERROR', `${provider} payment ${body[idField]} not found`);
    const receipt = findReceiptByUrl(body.qr_code);
    if (!receipt) return fail(106, 'PAYMENT_ERROR', 'qr_code is not the link of a receipt issued by this device');
    if (provider === 'payme') {
      const params = soliqParams(body.qr_code);
      if (body.receipt_id !== undefined && String(body.receipt_id) !== params.r) return invalid({ receipt_id: ['Does not match the receipt in qr_code.'] });
      if (body.fiscal_sign !== undefined && String(body.fiscal_sign) !== params.s) return invalid({ fiscal_sign: ['Does not match the receipt in qr_code.'] });
    }
    const at = new Date(ctx.now()).toISOString();
    const linked = receipt.qr_payment?.payment_id === String(payment.payment_id) || receipt.qr_payment?.payment_id === payment.transaction_id;
    payment.confirmations.push({ qr_code: body.qr_code, at });
    if (payment.status !== 'confirmed') {
      payment.status = 'confirmed';
      payment.history.push({ status: 'confirmed', at });
    }
    ledger().confirmations.push({ provider, id: body[idField], qr_code: body.qr_code, linked, at });
    switch (provider) {
      case 'click':
        return ok({ inn: '123456789', payment_id: body.payment_id, qr_code: body.qr_code, status: 'successfully', error: null });
      case 'payme':
        return ok({ id: payment.confirmations.length, result: { receipt: { _id: payment.payment_id, create_time: Date.parse(payment.created_at), pay_time: Date.parse(payment.created_at) + 250 } }, error: null });
      case 'uzum':
        return ok({ payment_id: payment.payment_id, payment_status: 'SUCCESS', error_code: '0', error_message: null, client_phone_number: null });
      default:
        return ok({ message: 'Fiscalization completed successfully', error_code: 0, payment_id: payment.payment_id, transaction_id: payment.transaction_id });
    }
  }

  // ---- bank pin-pads (Humo via Ingenico = "xumo", UzCard via PAX) -----------------------------

  function pinpadPay(kind, body) {
    const errors = fieldErrors(body, { amount: 'int', is_return: 'bool?' });
    if (errors) return invalid(errors);
    const errorCode = kind === 'humo' ? [108, 'XUMO_ERROR'] : [109, 'UZKARD_ERROR'];
    if (body.amount <= 0) return fail(...errorCode, 'amount must be positive');
    const at = new Date(ctx.now()).toISOString();
    if (body.is_return === true) {
      const rrn = body.request_id === undefined || body.request_id === null ? '' : String(body.request_id);
      const original = ledger().pinpad.find((op) => op.kind === kind && op.operation === 'payment' && op.ppt_id === rrn);
      if (!original) return fail(...errorCode, `no ${kind} transaction with RRN ${rrn} in this pin-pad shift`);
      if (original.returned + body.amount > original.amount) return fail(...errorCode, 'return amount exceeds the payment');
      original.returned += body.amount;
    }
    const rrn = randomDigitsNoLeadingZero(12);
    const operation = body.is_return === true ? 'return' : 'payment';
    const slip = `${kind === 'humo' ? 'HUMO' : 'UZCARD'} (kassa emulator)\nОперация: ${operation === 'return' ? 'Отмена' : 'Оплата'}\nОДОБРЕНО\nСУММА(AMOUNT): ${(body.amount / 100).toFixed(2)} UZS\nКарта: ${kind === 'humo' ? '986009' : '860012'}******${randomDigits(4)}\nКод ответа: 000\nRRN:${rrn}\nДата: ${formatTashkent(ctx.now())}\n`;
    ledger().pinpad.push({ kind, operation, amount: body.amount, ppt_id: rrn, request_id: body.request_id ?? null, returned: 0, at, performed: 1 });
    lastSlip[kind] = slip;
    return ok({ message: slip, ppt_id: rrn });
  }

  function pinpadReport(kind, what) {
    const ops = ledger().pinpad.filter((op) => op.kind === kind && !op.reconciled);
    const sum = ops.reduce((total, op) => total + (op.operation === 'payment' ? op.amount : -op.amount), 0);
    const text = `====================================\n${what === 'close' ? 'Отчет закрытия смены\nСверка итогов' : 'Краткий отчет'}\nТерминал: ${kind === 'humo' ? '09110004' : '00000166'}\nДата: ${formatTashkent(ctx.now())}\nОпераций: ${ops.length}\nИтого: ${(sum / 100).toFixed(2)} UZS\nИтоги совпали\n====================================\n`;
    if (what === 'close') {
      for (const op of ops) op.reconciled = true;
      lastReconciliation[kind] = text;
    }
    return ok({ message: text, ppt_id: null });
  }

  function pinpadPrintLast(kind, source) {
    const text = source[kind];
    if (!text) return fail(kind === 'humo' ? 108 : 109, kind === 'humo' ? 'XUMO_ERROR' : 'UZKARD_ERROR', 'nothing to reprint');
    return ok({ message: text, ppt_id: null });
  }

  // ---- Scan2pay ------------------------------------------------------------------------------

  function scan2pay(body) {
    const errors = fieldErrors(body, { amount: 'int', print: 'bool?', tip_card: 'string?', tip_card_expire: 'string?', sms_phone_number: 'string?', banners: 'array?' });
    if (errors) return invalid(errors);
    if (body.order_id === undefined || body.order_id === null || body.order_id === '') return invalid({ order_id: REQUIRED });
    if (body.amount <= 0) return invalid({ amount: ['Ensure this value is greater than or equal to 1.'] });
    const orderId = String(body.order_id);
    const existing = ledger().scan2pay[orderId];
    if (existing) {
      existing.duplicates += 1;
      ledger().duplicateAttempts += 1;
      return ok({ status: 'successfully', message: existing.url });
    }
    const id = uuid();
    const now = new Date(ctx.now()).toISOString();
    ledger().scan2pay[orderId] = {
      order_id: orderId, amount: body.amount, uuid: id, url: `http://scan2pay.uz/${id}`, status: 'pending',
      history: [{ status: 'pending', at: now }], polls: 0, performed: 1, duplicates: 0,
    };
    return ok({ status: 'successfully', message: `http://scan2pay.uz/${id}` });
  }

  function scan2payStatus(body) {
    if (body.order_id === undefined || body.order_id === null || body.order_id === '') return invalid({ order_id: REQUIRED });
    const payment = ledger().scan2pay[String(body.order_id)];
    const notFound = () => fail(105, '{"status":"error","message":"Transaction not found"}HTTP Exception 404 Not Found');
    if (!payment) return notFound();
    payment.polls += 1;
    if (payment.status === 'pending' && payment.polls > ctx.timing.scan2payPendingPolls) {
      payment.status = 'success';
      payment.history.push({ status: 'success', at: new Date(ctx.now()).toISOString() });
    }
    if (payment.status !== 'success') return notFound();
    return ok({ status: 'successfully', data: { uuid: payment.uuid, order_id: payment.order_id, device: '00000001', status: 'success' }, message: null });
  }

  // ---- UzQR (one_qr) -------------------------------------------------------------------------

  function uzqrCreate(body) {
    const errors = fieldErrors(body, { external_id: 'string', amount: 'string', print: 'bool?', banners: 'array?' });
    if (errors) return fail(2001, 'Invalid request params', JSON.stringify(errors));
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(body.external_id)) return fail(2003, 'Invalid external_id format');
    const amount = /^\d+(\.\d{1,2})?$/.test(body.amount) ? decimalFromString(body.amount) : null;
    if (!amount || amount.units <= 0n) return fail(2002, 'Invalid amount format');
    const uzqr = ledger().uzqr;
    const existingId = uzqr.byExternalId[body.external_id];
    if (existingId) {
      const invoice = uzqr.invoices[existingId];
      invoice.duplicates += 1;
      ledger().duplicateAttempts += 1;
      if (invoice.status === 2) return fail(3002, 'Invoice already paid');
      return ok({ invoice_id: invoice.invoice_id, qr_text: invoice.qr_text });
    }
    const invoiceId = `INVC${randomHex(21, true)}`;
    const qrText = `00020101021240350012qr-online.uz0109${randomDigits(10)}5204599953038605406${body.amount}6304${randomHex(4, true)}`;
    const now = new Date(ctx.now()).toISOString();
    uzqr.invoices[invoiceId] = {
      invoice_id: invoiceId, external_id: body.external_id, amount: body.amount, amountMinor: toMinorUnits(body.amount), qr_text: qrText,
      status: 1, history: [{ status: 1, at: now }], polls: 0, pay_id: null, payer_phone: null, card_type: null, card_no: null,
      refundedMinor: 0, receipts: [], created_at: now, performed: 1, duplicates: 0,
    };
    uzqr.byExternalId[body.external_id] = invoiceId;
    return ok({ invoice_id: invoiceId, qr_text: qrText });
  }

  function uzqrStatus(body) {
    const invoice = ledger().uzqr.invoices[body.invoice_id ?? ''];
    if (!invoice) return fail(3001, 'Операция не найдена.');
    invoice.polls += 1;
    if (invoice.status === 1 && invoice.polls > ctx.timing.uzqrPendingPolls) {
      const declined = startsWithCi(invoice.external_id, 'decline');
      invoice.status = declined ? 3 : 2;
      invoice.history.push({ status: invoice.status, at: new Date(ctx.now()).toISOString() });
      if (!declined) {
        invoice.pay_id = `PAY${randomDigits(17)}`;
        invoice.payer_phone = `+998${randomDigits(9)}`;
        invoice.card_type = '2';
        invoice.card_no = `8600********${randomDigits(4)}`;
        ledger().uzqr.byPayId[invoice.pay_id] = invoice.invoice_id;
      }
    }
    const data = {
      invoice_id: invoice.invoice_id, status: invoice.status, pay_id: invoice.pay_id, payer_phone: invoice.payer_phone,
      card_type: invoice.card_type, card_no: invoice.card_no, fiscal_module: TERMINAL_ID,
    };
    return jsonResponse(200, { data, error: null, is_success: invoice.status !== 3 });
  }

  function uzqrByPayId(payId) {
    const id = ledger().uzqr.byPayId[payId ?? ''];
    return id ? ledger().uzqr.invoices[id] : null;
  }

  function uzqrReceipt(body) {
    if (typeof body.fiscal_receipt_url !== 'string' || body.fiscal_receipt_url === '') return fail(105, 'fiscal_receipt_url is required');
    const invoice = uzqrByPayId(body.pay_id);
    if (!invoice) return fail(4001, 'Платеж не найден.');
    const at = new Date(ctx.now()).toISOString();
    invoice.receipts.push(body.fiscal_receipt_url);
    ledger().uzqr.receipts.push({ pay_id: body.pay_id, fiscal_receipt_url: body.fiscal_receipt_url, known_receipt: Boolean(findReceiptByUrl(body.fiscal_receipt_url)), at });
    return ok({});
  }

  function uzqrCancel(body) {
    const invoice = ledger().uzqr.invoices[body.invoice_id ?? ''];
    if (!invoice) return fail(3001, 'Операция не найдена.');
    if (invoice.status === 2) return fail(3002, 'Invoice already paid');
    if (invoice.status === 1) {
      invoice.status = 3;
      invoice.history.push({ status: 3, at: new Date(ctx.now()).toISOString(), cancelled: true });
    }
    return ok({});
  }

  function uzqrRefund(body) {
    const invoice = uzqrByPayId(body.pay_id);
    if (!invoice) return fail(4001, 'Платеж не найден.');
    const amountText = typeof body.amount === 'string' ? body.amount : '';
    const minor = /^\d+(\.\d{1,2})?$/.test(amountText) ? toMinorUnits(amountText) : null;
    if (minor === null || minor <= 0) return fail(2002, 'Invalid amount format');
    if (invoice.refundedMinor + minor > invoice.amountMinor) return fail(2002, 'Invalid amount format', 'refund exceeds the amount paid');
    invoice.refundedMinor += minor;
    const refundId = `REF${randomHex(17, true)}`;
    const now = new Date(ctx.now()).toISOString();
    ledger().uzqr.refunds[refundId] = { refund_id: refundId, pay_id: body.pay_id, amount: amountText, status: 1, history: [{ status: 1, at: now }], polls: 0, performed: 1 };
    return ok({ refund_id: refundId, status: 1 });
  }

  function uzqrRefundStatus(body) {
    const refund = ledger().uzqr.refunds[body.refund_id ?? ''];
    if (!refund) return fail(3001, 'Операция не найдена.');
    refund.polls += 1;
    if (refund.status === 1 && refund.polls > ctx.timing.uzqrPendingPolls) {
      refund.status = 2;
      refund.history.push({ status: 2, at: new Date(ctx.now()).toISOString() });
    }
    return ok({ refund_id: refund.refund_id, status: refund.status });
  }

  // ---- marking codes (OKM) -----------------------------------------------------------------

  function markingValidate(body) {
    const answer = (success, code, message, data = {}) => jsonResponse(200, { success, message, messageRu: message, messageLat: message, code, data });
    if (!Array.isArray(body.products) || body.products.length === 0) return answer(false, '2001', 'products are required', null);
    const seen = new Set();
    for (const product of body.products) {
      const kms = Array.isArray(product?.kmIds) ? product.kmIds : [];
      if (!/^\d{17}$/.test(String(product?.productCode ?? ''))) return answer(false, '1004', 'KM does not match the IKPU', null);
      if (kms.length !== Number(product.amount)) return answer(false, '1003', 'KM count differs from the quantity', null);
      for (const km of kms) {
        if (typeof km !== 'string' || km.length < 4) return answer(false, '1001', `KM ${km} is invalid`, null);
        if (seen.has(km)) return answer(false, '1008', `KM ${km} is duplicated`, null);
        seen.add(km);
        if (Number(body.refund ?? 0) === 0 && ledger().soldMarkingCodes.includes(km)) return answer(false, '1016', `KM ${km} is already sold`, null);
      }
    }
    return answer(true, '0', 'OK', {});
  }

  const HANDLERS = {
    orderCreate, orderRefuse, orderPrint, orderLast,
    shiftOpen, shiftClose, shiftClosePrinted, xReport, shiftInfo, deviceInfo,
    printBanner, openCashDrawer,
    click: (b) => walletPay('click', b), clickConfirm: (b) => walletConfirm('click', b),
    payme: (b) => walletPay('payme', b), paymeConfirm: (b) => walletConfirm('payme', b),
    uzum: (b) => walletPay('uzum', b), uzumConfirm: (b) => walletConfirm('uzum', b),
    anor: (b) => walletPay('anor', b), anorConfirm: (b) => walletConfirm('anor', b),
    humo: (b) => pinpadPay('humo', b), uzcard: (b) => pinpadPay('uzcard', b),
    humoClose: () => pinpadReport('humo', 'close'), uzcardClose: () => pinpadReport('uzcard', 'close'),
    humoShortReport: () => pinpadReport('humo', 'short'), uzcardShortReport: () => pinpadReport('uzcard', 'short'),
    humoPrintLast: () => pinpadPrintLast('humo', lastSlip), uzcardPrintLast: () => pinpadPrintLast('uzcard', lastSlip),
    humoClosePrintLast: () => pinpadPrintLast('humo', lastReconciliation), uzcardClosePrintLast: () => pinpadPrintLast('uzcard', lastReconciliation),
    scan2pay, scan2payStatus,
    uzqrCreate, uzqrStatus, uzqrReceipt, uzqrCancel, uzqrRefund, uzqrRefundStatus,
    markingValidate,
  };

  return {
    name: 'fiscalbox',
    prefix: '/fiscalbox',
    route: (method, subpath) => matchRoute(ROUTES, method, subpath, { trailingSlashOptional: true }),
    refine,
    handle,
    notFound: () => jsonResponse(404, { detail: 'Not found.' }),
    internalError: () => jsonResponse(500, { data: null, error: { code: 103, message: 'INTERNAL_ERROR', data: null }, is_success: false }),
    reset,
  };
}

// ---- billing (api.fbox.uz) -------------------------------------------------------------------

export function createFiscalboxBilling(ctx) {
  const tokens = new Set();
  const ledger = () => ctx.ledger.fiscalboxBilling;
  const creds = () => ctx.credentials.fiscalboxBilling;

  function reset() {
    tokens.clear();
  }

  function handle(operation, request) {
    return operation === 'login' ? login(request) : ordersCount(request);
  }

  function login(request) {
    const body = decodeObjectBody(request.bodyText) ?? Object.fromEntries(new URLSearchParams(request.bodyText ?? ''));
    const errors = {};
    for (const field of ['username', 'password']) {
      if (typeof body[field] !== 'string' || body[field] === '') errors[field] = body[field] === '' ? BLANK : REQUIRED;
    }
    if (Object.keys(errors).length) return jsonResponse(400, errors);
    if (body.username !== creds().username || body.password !== creds().password) {
      ledger().failedLogins += 1;
      return jsonResponse(400, { non_field_errors: ['Unable to log in with provided credentials.'] });
    }
    ledger().logins += 1;
    const token = randomBytes(20).toString('hex');
    tokens.add(token);
    return jsonResponse(200, { token });
  }

  function ordersCount(request) {
    const match = /^Token\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) return jsonResponse(401, { detail: 'Authentication credentials were not provided.' });
    if (!tokens.has(match[1])) return jsonResponse(401, { detail: 'Invalid token.' });
    const query = queryObject(request.query);
    const errors = {};
    for (const field of ['start_date', 'end_date']) {
      if (!query[field]) errors[field] = REQUIRED;
      else if (parseTashkent(query[field]) === null) errors[field] = ['Enter a valid date/time (YYYY-MM-DDTHH:MM:SS).'];
    }
    if (Object.keys(errors).length) return jsonResponse(400, errors);
    const from = parseTashkent(query.start_date);
    const to = parseTashkent(query.end_date);
    const inn = query.inn ?? creds().inn;
    const sales = inn === creds().inn
      ? ctx.ledger.fiscalbox.orders.filter((order) => {
        const at = parseTashkent(order.time);
        return order.kind === 'sale' && at !== null && at >= from && at <= to;
      })
      : [];
    const totalMinor = sales.reduce((sum, order) => sum + order.total, 0);
    ledger().queries += 1;
    return jsonResponse(200, {
      status: 'successfully',
      filters: { start_date: query.start_date, end_date: query.end_date, inn },
      data: { company_name: inn === creds().inn ? creds().companyName : null, total_orders: sales.length, total_amount: minorToNumber(totalMinor) },
    });
  }

  return {
    name: 'fiscalboxBilling',
    prefix: '/fiscalbox-billing',
    route: (method, subpath) => matchRoute(BILLING_ROUTES, method, subpath, { trailingSlashOptional: true }),
    handle,
    notFound: () => jsonResponse(404, { detail: 'Not found.' }),
    internalError: () => textResponseHtml500(),
    reset,
  };
}

function textResponseHtml500() {
  return { status: 500, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<h1>Server Error (500)</h1>' };
}

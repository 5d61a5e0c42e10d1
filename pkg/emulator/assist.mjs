// Assist fiscal web services — spec/assist.md: fiscalreceipt.cfm (read a receipt) and
// fiscalize.cfm (fiscalize an external operation). Requests come as form posts (parameter names
// case-insensitive), JSON, or SOAP; answers follow the request: JSON for JSON, Format=5 or no
// Format, SOAP for SOAP or Format=4, XML for Format=3, CSV for Format=1 (Assist's documented default).
import { htmlResponse, jsonResponse, matchRoute, textResponse, xmlResponse } from './http.mjs';
import { addDecimals, compareDecimals, decimalFromNumber, decimalFromString, decimalToString, multiplyDecimals, scaleAndRound } from './money.mjs';
import { dict, escapeHtml, escapeXml, formatTashkent, isPlainObject, randomDigitsNoLeadingZero, startsWithCi } from './util.mjs';

const ROUTES = [
  ['POST', '/fiscal/fiscalreceipt.cfm', 'fiscalReceipt'],
  ['POST', '/fiscal/fiscalize.cfm', 'fiscalize'],
  ['GET', /^\/receipt\/(\d+)$/, 'receiptPage'],
];

const SERVICE = { fiscalReceipt: 'fiscalreceipt', fiscalize: 'fiscalize' };
const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const ASSIST_NS = 'http://www.paysecure.ru/ws/';

/** firstcode/secondcode pairs — the real tables are not published; these are the emulator's. */
const ERRORS = {
  auth: [5, 100, 'Wrong Merchant_ID, Login or Password'],
  noIdentifier: [2, 101, 'One of Billnumber, Payment_ID or Fiscalreceipt_ID is required'],
  manyIdentifiers: [2, 102, 'Only one of Billnumber, Payment_ID or Fiscalreceipt_ID may be given'],
  badValue: [2, 103, 'Invalid parameter value'],
  badItems: [2, 104, 'ChequeItems are missing or inconsistent'],
  noContact: [2, 105, 'Email or Phone is required'],
  notFound: [3, 106, 'Fiscal receipt not found'],
  repeat: [3, 107, 'This operation has already been fiscalized'],
  badRequest: [2, 108, 'The request could not be parsed'],
};

const FIRST_RECEIPT_ID = 400001;
const SEEDED_BILLNUMBER = '5791234567890123';
const SEEDED_ITEMS = [
  { id: 1, product: '123460176', name: 'Первый товар', price: 201.45, quantity: 42.345, amount: 8530.4, tax: 'vat10', fpmode: 1 },
  { id: 2, product: '123460189', name: 'Второй товар', price: 15301.01, quantity: 0.128, amount: 1958.53, tax: 'vat18', fpmode: 1 },
];
const FN_NUMBER = '9960440300012345';
const ECR_REGISTRATION_NUMBER = '0000000001012345';
// A data error of seed 002's errortext table (19511): on CreateError the merchant corrects the
// cheque and fiscalizes again.
const CREATE_ERROR_TEXT = 'Ошибка в описании позиций чека.';

// ---- request decoding ----------------------------------------------------------------------

/** {params (lower-case keys), format, soap} or null when the body cannot be understood. */
function decodeRequest(request, service) {
  const text = request.bodyText ?? '';
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('xml') || text.trimStart().startsWith('<')) {
    const params = parseSoap(text, service);
    return params ? { params, format: 'soap' } : null;
  }
  if (type.includes('json') || /^\s*\{/.test(text)) {
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
    if (isPlainObject(value) && Object.keys(value).length === 1 && isPlainObject(value[service])) value = value[service];
    return isPlainObject(value) ? { params: lowerKeys(value), format: 'json' } : null;
  }
  const params = lowerKeys(Object.fromEntries(new URLSearchParams(text)));
  // No Format: JSON (the emulator's default; Assist documents CSV, ask with Format=1). 4 or SOAPAction: SOAP.
  const formatText = String(params.format ?? '').trim();
  if (formatText === '' && request.headers.soapaction) return { params, format: 'soap' };
  return { params, format: { 1: 'csv', 3: 'xml', 4: 'soap', 5: 'json', '': 'json' }[formatText] ?? 'json' };
}

function lowerKeys(object) {
  const out = dict();
  for (const [key, value] of Object.entries(object)) out[key.toLowerCase()] = value;
  return out;
}

/** The lower-cased children of the <service> element in a SOAP body. */
function parseSoap(text, service) {
  const body = /<(?:[\w.-]+:)?Body\b[^>]*>([\s\S]*)<\/(?:[\w.-]+:)?Body\s*>/i.exec(text);
  if (!body) return null;
  const element = new RegExp(`<(?:[\\w.-]+:)?${service}\\b[^>]*?(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${service}\\s*>)`, 'i').exec(body[1]);
  if (!element) return null;
  const params = dict();
  for (const [name, content] of xmlChildren(element[1] ?? '')) {
    const key = name.toLowerCase();
    params[key] = key === 'chequeitems' && /<(?:[\w.-]+:)?chequeitem\b/i.test(content) ? { items: xmlChequeItems(content) } : xmlText(content);
  }
  return params;
}

function xmlChildren(content) {
  const out = [];
  const pattern = /<(?:[\w.-]+:)?([\w.-]+)\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?\1\s*>)/g;
  for (const match of content.matchAll(pattern)) out.push([match[1], match[2] ?? '']);
  return out;
}

function xmlChequeItems(content) {
  return xmlChildren(content).map(([, itemContent]) => {
    const item = {};
    for (const [name, value] of xmlChildren(itemContent)) {
      const text = xmlText(value);
      item[name.toLowerCase()] = ['id', 'price', 'quantity', 'amount', 'fpmode'].includes(name.toLowerCase()) && text !== '' ? Number(text) : text;
    }
    return item;
  });
}

function xmlText(content) {
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(content);
  if (cdata) return cdata[1];
  return content
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
    .replace(/&amp;/g, '&')
    .trim();
}

// ---- answers ---------------------------------------------------------------------------------

function answer(format, service, fields) {
  switch (format) {
    case 'json':
      return jsonResponse(200, { [service]: fields });
    case 'soap':
      return xmlResponse(200, soapEnvelope(`<ASS-NS:result><${service}>${xmlFields(fields)}</${service}></ASS-NS:result>`));
    case 'xml':
      return xmlResponse(200, `<?xml version="1.0" encoding="UTF-8"?><result firstcode="0" secondcode="0"><${service}>${xmlFields(fields)}</${service}></result>`);
    default:
      return textResponse(200, csvRows(fields), 'text/plain; charset=utf-8');
  }
}

function failure(format, [firstcode, secondcode, message], detail) {
  const text = detail ? `${message}: ${detail}` : message;
  switch (format) {
    case 'json':
      return jsonResponse(200, { firstcode, secondcode, message: text });
    case 'soap':
      return xmlResponse(200, soapEnvelope(`<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>${escapeXml(text)}</faultstring><detail><firstcode>${firstcode}</firstcode><secondcode>${secondcode}</secondcode></detail></SOAP-ENV:Fault>`));
    case 'xml':
      return xmlResponse(200, `<?xml version="1.0" encoding="UTF-8"?><result firstcode="${firstcode}" secondcode="${secondcode}"><message>${escapeXml(text)}</message></result>`);
    default:
      return textResponse(200, `firstcode;secondcode;message\r\n${firstcode};${secondcode};${text.replace(/;/g, ',')}`, 'text/plain; charset=utf-8');
  }
}

function soapEnvelope(inner) {
  return `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENV}" xmlns:ASS-NS="${ASSIST_NS}"><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

function fieldText(value) {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function xmlFields(fields) {
  return Object.entries(fields).map(([key, value]) => `<${key}>${escapeXml(fieldText(value))}</${key}>`).join('');
}

function csvRows(fields) {
  const cell = (value) => fieldText(value).replace(/[;\r\n]/g, ' ');
  return `${Object.keys(fields).join(';')}\r\n${Object.values(fields).map(cell).join(';')}`;
}

// ---- cheque items ----------------------------------------------------------------------------

/** {items, total (decimal)} or {problem}. Σ and per-line price × quantity are checked exactly. */
function checkChequeItems(raw, { requireTax }) {
  let parsed = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { problem: 'ChequeItems is not valid JSON' };
    }
  }
  const items = parsed?.items;
  if (!Array.isArray(items) || items.length === 0) return { problem: 'ChequeItems must be {"items":[...]} with at least one item' };
  const ids = new Set();
  let total = { units: 0n, scale: 0 };
  for (const item of items) {
    const problem = checkItem(item, ids, requireTax);
    if (problem) return { problem };
    total = addDecimals(total, decimalFromNumber(Number(item.amount)));
  }
  return { items, total };
}

function checkItem(item, ids, requireTax) {
  if (!isPlainObject(item)) return 'every item must be an object';
  if (!Number.isInteger(Number(item.id)) || ids.has(Number(item.id))) return 'item id must be a unique integer';
  ids.add(Number(item.id));
  if (!nonEmpty(item.product) && !nonEmpty(item.name)) return `item ${item.id}: product or name is required`;
  const price = decimalFromNumber(Number(item.price));
  const quantity = decimalFromNumber(Number(item.quantity));
  const amount = decimalFromNumber(Number(item.amount));
  if (!price || !quantity || !amount || price.units < 0n || quantity.units <= 0n || amount.units < 0n) {
    return `item ${item.id}: price, quantity and amount must be numbers (quantity > 0)`;
  }
  const expected = scaleAndRound(multiplyDecimals(price, quantity), 1, 1, 2);
  const tolerance = { units: 1n, scale: 2 };
  const diff = addDecimals(expected, { units: -amount.units, scale: amount.scale });
  const absDiff = { units: diff.units < 0n ? -diff.units : diff.units, scale: diff.scale };
  if (compareDecimals(absDiff, tolerance) > 0) return `item ${item.id}: amount ${decimalToString(amount)} is not price × quantity (${decimalToString(expected)})`;
  if (requireTax && !nonEmpty(item.tax)) return `item ${item.id}: tax is required`;
  return null;
}

function nonEmpty(value) {
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}

function fixed2(decimal) {
  const text = decimalToString(scaleAndRound(decimal, 1, 1, 2));
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

// ---- the service -----------------------------------------------------------------------------

export function createAssist(ctx) {
  let nextReceiptId = FIRST_RECEIPT_ID;
  let fiscalDocumentNumber = 0;
  const ledger = () => ctx.ledger.assist;
  const creds = () => ctx.credentials.assist;

  function reset() {
    nextReceiptId = FIRST_RECEIPT_ID;
    fiscalDocumentNumber = 0;
    seedRealOperation();
  }

  /** A receipt Assist made for one of its own payments, so a lookup by Billnumber works at once. */
  function seedRealOperation() {
    const receipt = recordReceipt({
      billnumber: SEEDED_BILLNUMBER,
      type: 'sell',
      receipttype: 'normal',
      items: SEEDED_ITEMS,
      total: decimalFromString('10488.93'),
      email: 'buyer@example.com',
      phone: null,
      taxationsystem: '0',
    });
    becomeFinal(receipt, 'Success');
  }

  function handle(operation, request, params) {
    if (operation === 'receiptPage') return receiptPage(params[0]);
    const service = SERVICE[operation];
    const decoded = decodeRequest(request, service);
    if (!decoded) return failure(/xml|</i.test(request.headers['content-type'] ?? request.bodyText.slice(0, 1)) ? 'soap' : 'json', ERRORS.badRequest);
    const { params: p, format } = decoded;
    if (String(p.merchant_id ?? '') !== String(creds().merchantId) || String(p.login ?? '') !== creds().login || String(p.password ?? '') !== creds().password) {
      return failure(format, ERRORS.auth);
    }
    return operation === 'fiscalize' ? fiscalize(p, format) : fiscalReceipt(p, format);
  }

  function fiscalize(p, format) {
    const billnumber = text(p.billnumber);
    const paymentId = text(p.payment_id);
    if (!billnumber && !paymentId) return failure(format, ERRORS.noIdentifier, 'Billnumber or Payment_ID');
    if (billnumber && paymentId) return failure(format, ERRORS.manyIdentifiers, 'Billnumber and Payment_ID');
    if (billnumber && !/^\d{15,16}$/.test(billnumber)) return failure(format, ERRORS.badValue, 'Billnumber');
    if (paymentId.length > 255) return failure(format, ERRORS.badValue, 'Payment_ID');
    const type = text(p.type).toLowerCase();
    if (type !== 'sell' && type !== 'sell_refund') return failure(format, ERRORS.badValue, 'Type');
    const email = text(p.email);
    const phone = text(p.phone);
    if (!email && !phone) return failure(format, ERRORS.noContact);
    if (email && (email.length > 128 || !/^[^@\s]+@[^@\s]+$/.test(email))) return failure(format, ERRORS.badValue, 'Email');
    if (phone && !/^\d{11,15}$/.test(phone)) return failure(format, ERRORS.badValue, 'Phone');
    const cheque = checkChequeItems(p.chequeitems, { requireTax: type === 'sell' && !text(p.tax) });
    if (cheque.problem) return failure(format, ERRORS.badItems, cheque.problem);
    const declared = text(p.amount) || text(p.orderamount);
    if (declared && (!decimalFromString(declared) || compareDecimals(decimalFromString(declared), cheque.total) !== 0)) {
      return failure(format, ERRORS.badItems, `sum of item amounts ${fixed2(cheque.total)} differs from ${declared}`);
    }
    const repeat = findRepeat(billnumber, paymentId, type);
    if (repeat) {
      repeat.duplicates += 1;
      ledger().duplicateAttempts += 1;
      return failure(format, ERRORS.repeat, `fiscalreceipt_ID ${repeat.fiscalreceipt_ID}`);
    }
    const receipt = recordReceipt({
      billnumber: billnumber || null,
      payment_id: paymentId || null,
      type,
      receipttype: text(p.receipttype).toLowerCase() || 'normal',
      items: cheque.items,
      total: cheque.total,
      email: email || null,
      phone: phone || null,
      taxationsystem: text(p.taxationsystem) || '0',
    });
    const reference = paymentId ? { payment_id: paymentId } : { billnumber };
    return answer(format, 'fiscalize', { fiscalreceipt_id: receipt.fiscalreceipt_ID, ...reference });
  }

  function findRepeat(billnumber, paymentId, type) {
    const ids = paymentId ? ledger().byPaymentId[paymentId] : ledger().byBillnumber[billnumber];
    const existing = (ids ?? []).map((id) => ledger().receipts[id]).find((r) => r.type === type);
    return existing ?? null;
  }

  function recordReceipt({ billnumber = null, payment_id = null, type, receipttype, items, total, email, phone, taxationsystem }) {
    const id = nextReceiptId++;
    const receipt = {
      fiscalreceipt_ID: id,
      billnumber,
      payment_id,
      type,
      receipttype,
      status: 'New',
      items,
      chequeItems: JSON.stringify({ items }),
      total: fixed2(total),
      email,
      phone,
      taxationsystem,
      created_at: new Date(ctx.now()).toISOString(),
      lookups: 0,
      fiscal: null,
      errortext: '',
      performed: 1,
      duplicates: 0,
    };
    ledger().receipts[id] = receipt;
    if (payment_id) (ledger().byPaymentId[payment_id] ??= []).push(id);
    if (billnumber) (ledger().byBillnumber[billnumber] ??= []).push(id);
    return receipt;
  }

  function becomeFinal(receipt, status) {
    receipt.status = status;
    if (status === 'CreateError') {
      receipt.errortext = CREATE_ERROR_TEXT;
      return;
    }
    fiscalDocumentNumber += 1;
    receipt.fiscal = {
      fiscal_receipt_number: String(fiscalDocumentNumber),
      shift_number: '1',
      receipt_datetime: formatTashkent(ctx.now()),
      fn_number: FN_NUMBER,
      ecr_registration_number: ECR_REGISTRATION_NUMBER,
      fiscal_document_number: String(fiscalDocumentNumber),
      fiscal_document_attribute: randomDigitsNoLeadingZero(10),
    };
  }

  function fiscalReceipt(p, format) {
    const given = ['billnumber', 'payment_id', 'fiscalreceipt_id'].filter((key) => text(p[key]) !== '');
    if (given.length === 0) return failure(format, ERRORS.noIdentifier);
    if (given.length > 1) return failure(format, ERRORS.manyIdentifiers, given.join(', '));
    const receipt = findReceipt(given[0], text(p[given[0]]));
    if (!receipt) return failure(format, ERRORS.notFound);
    receipt.lookups += 1;
    // A fresh receipt is still being fiscalized for the first `assistNewLookups` lookups.
    if (receipt.status === 'New' && receipt.lookups > ctx.timing.assistNewLookups) {
      becomeFinal(receipt, startsWithCi(receipt.payment_id, 'err') ? 'CreateError' : 'Success');
    }
    return answer(format, 'fiscalreceipt', receiptFields(receipt, text(p.full_receipt) === '1'));
  }

  function findReceipt(key, value) {
    if (key === 'fiscalreceipt_id') return ledger().receipts[Number(value)] ?? null;
    const ids = key === 'payment_id' ? ledger().byPaymentId[value] : ledger().byBillnumber[value];
    return ids?.length ? ledger().receipts[ids[ids.length - 1]] : null;
  }

  /** §1.3 fields; New and CreateError carry only the items and status, the fiscal data stays empty. */
  function receiptFields(receipt, full) {
    const fiscal = receipt.status === 'Success' ? receipt.fiscal : null;
    const reference = receipt.payment_id ? { Payment_ID: receipt.payment_id } : { billnumber: receipt.billnumber };
    const fields = {
      ...reference,
      fiscalreceipt_ID: receipt.fiscalreceipt_ID,
      receipttype: receipt.receipttype,
      status: receipt.status,
      chequeItems: receipt.chequeItems,
      fiscal_receipt_number: fiscal?.fiscal_receipt_number ?? '',
      shift_number: fiscal?.shift_number ?? '',
      receipt_datetime: fiscal?.receipt_datetime ?? '',
      total: fiscal ? receipt.total : '',
      fn_number: fiscal?.fn_number ?? '',
      ecr_registration_number: fiscal?.ecr_registration_number ?? '',
      fiscal_document_number: fiscal?.fiscal_document_number ?? '',
      fiscal_document_attribute: fiscal?.fiscal_document_attribute ?? '',
      errortext: receipt.errortext,
      taxationsystem: receipt.taxationsystem,
      url: fiscal ? `${ctx.url}/assist/receipt/${receipt.fiscalreceipt_ID}` : '',
    };
    return full && fiscal ? { ...fields, ...fullRequisites(receipt) } : fields;
  }

  function fullRequisites(receipt) {
    return {
      merchant_name: 'ТОО «Касса Эмулятор»',
      merchant_INN: '123456789012',
      calc_type: receipt.type === 'sell' ? 'Приход' : 'Возврат прихода',
      payment_types: [{ type: 'card', amount: receipt.total }],
      tax_items: { taxes: [{ tax: 'vat12', amount: '0.00' }] },
      cashier: 'Assist',
      calc_adr: 'https://shop.example.kz',
      calc_dsc: 'Интернет-магазин',
      fris_site: 'https://kgd.gov.kz',
      sale_email: 'receipts@example.kz',
    };
  }

  function receiptPage(id) {
    const receipt = ledger().receipts[Number(id)];
    if (!receipt || receipt.status !== 'Success') return htmlResponse(404, '<!doctype html><title>Not found</title><h1>Receipt not found</h1>');
    const rows = receipt.items.map((item) => `<tr><td>${escapeHtml(item.name ?? item.product)}</td><td>${escapeHtml(item.quantity)}</td><td>${escapeHtml(item.amount)}</td></tr>`).join('');
    return htmlResponse(200, `<!doctype html><meta charset="utf-8"><title>kassa emulator — Assist receipt</title>
<h1>Fiscal receipt ${receipt.fiscalreceipt_ID}</h1><table>${rows}</table><p>Total: ${escapeHtml(receipt.total)}</p>
<p>FN ${escapeHtml(receipt.fiscal.fn_number)}, FD ${escapeHtml(receipt.fiscal.fiscal_document_number)}, FP ${escapeHtml(receipt.fiscal.fiscal_document_attribute)}</p>`);
  }

  reset();

  return {
    name: 'assist',
    prefix: '/assist',
    route: (method, subpath) => matchRoute(ROUTES, method, subpath),
    handle,
    notFound: () => textResponse(404, 'Not Found'),
    internalError: () => textResponse(500, 'Internal Server Error'),
    reset,
  };
}

function text(value) {
  return value === undefined || value === null ? '' : String(value).trim();
}

// Tarlan acquiring gateway (prapi) — spec/tarlan-acquiring.md. Requests are signed with
// `Authorization: Bearer <hex>`; the hosted payment page, confirm_url check and the signed
// status webhook are emulated so a whole pay-in can run end to end without a browser.
import { tarlanSignature, tarlanSignatureMatches } from './canonical.mjs';
import { deliverWithRetry, getOnce } from './deliver.mjs';
import { htmlResponse, jsonResponse, matchRoute, queryObject, redirectResponse } from './http.mjs';
import { decimalFromNumber, decimalToNumber, scaleAndRound, toMinorUnits } from './money.mjs';
import { bearerToken, checkFields, decodeObjectBody } from './tarlan.mjs';
import { bcryptLikeHash, escapeHtml, isPlainObject, randomDigitsNoLeadingZero, randomHex } from './util.mjs';

const TX = '/transaction/api/v1';

const ROUTES = [
  ['POST', `${TX}/transaction/primal/pay-in`, 'payIn'],
  ['POST', `${TX}/transaction/primal/pay-out`, 'payOut'],
  ['POST', `${TX}/transaction/primal/card-link`, 'cardLink'],
  ['POST', `${TX}/transaction/primal/apple-pay`, 'applePay'],
  ['POST', `${TX}/transaction/primal/google-pay`, 'googlePay'],
  ['POST', `${TX}/system/one-click/pay-in`, 'oneClickPayIn'],
  ['POST', `${TX}/system/pay-out`, 'payOutDirect'],
  ['POST', `${TX}/primal/payout/phone`, 'payOutByPhone'],
  ['POST', `${TX}/system/two-stage/charge`, 'charge'],
  ['GET', `${TX}/system/transaction/status`, 'status'],
  ['GET', `${TX}/system/client/cards`, 'cards'],
  ['DELETE', '/card/api/v1/system/client/card/pay-in', 'deleteCard'],
  ['DELETE', '/card/api/v1/system/client/card', 'deleteCard'], // the Russian heading's path
  ['POST', '/refund/api/v1/system/refund/partial', 'refund'],
  ['POST', `${TX}/system/refund/partial`, 'refund'], // the sandbox path the WooCommerce plugin uses
  ['GET', '/commission/api/v1/system/project/upper/commission', 'upperFee'],
  ['GET', '/comission/api/v1/system/project/upper/commission', 'upperFee'], // the curl example's spelling
  ['GET', '/pay', 'payPage'],
  ['POST', '/pay', 'payPageSubmit'],
];

const FORM_FIELDS = {
  amount: 'number', merchant_id: 'int', project_id: 'int', project_reference_id: 'string',
  success_redirect_url: 'string', failure_redirect_url: 'string?', description: 'string',
  callback_url: 'string?', confirm_url: 'string?', project_client_id: 'string?', shipment: 'string?',
  additional_data: 'object?', project_order_id: 'string?',
};

const FIELDS = {
  payIn: FORM_FIELDS,
  payOut: FORM_FIELDS,
  applePay: FORM_FIELDS,
  googlePay: FORM_FIELDS,
  cardLink: {
    merchant_id: 'int', project_id: 'int', project_client_id: 'string', success_redirect_url: 'string',
    failure_redirect_url: 'string?', description: 'string', callback_url: 'string?', additional_data: 'object?',
    project_reference_id: 'string?', confirm_url: 'string?',
  },
  oneClickPayIn: {
    amount: 'number', card_token: 'string', description: 'string', merchant_id: 'int', project_id: 'int',
    project_client_id: 'string', project_reference_id: 'string', callback_url: 'string?', additional_data: 'object?',
  },
  // The pay-out tables are truncated (spec §4.2, §4.3): the visible rows as documented; of the
  // presumed rest, the emulated gateway needs a destination card and an amount, the ids are optional.
  payOutDirect: {
    amount: 'number', description: 'string', merchant_id: 'int', project_id: 'int?', project_reference_id: 'string?',
    card_token: 'string', callback_url: 'string?', project_client_id: 'string?', project_order_id: 'string?', additional_data: 'object?',
  },
  payOutByPhone: {
    phone_number: 'string', amount: 'number', description: 'string', merchant_id: 'int', project_id: 'int?',
    project_reference_id: 'string?', callback_url: 'string?', project_client_id: 'string?', additional_data: 'object?',
  },
  charge: { transaction_id: 'any', amount: 'any', merchant_id: 'any?', project_id: 'any?', description: 'string?' },
  status: { merchant_id: 'int', project_id: 'int', project_reference_id: 'string', type: 'string' },
  cards: { merchant_id: 'int', project_id: 'int', project_client_id: 'string' },
  deleteCard: { merchant_id: 'int', project_id: 'int', card_token: 'string?', encrypted_card_id: 'string?' },
  refund: { transaction_id: 'any', amount: 'number' },
  upperFee: { merchant_id: 'int', project_id: 'int', transaction_type_code: 'string', transaction_amount: 'number' },
};

const TYPE_CODES = { payIn: 'in', payOut: 'out', cardLink: 'card_link', applePay: 'apple_pay', googlePay: 'google_pay' };
const KNOWN_TYPES = new Set(['in', 'out', 'one_click_pay_in', 'one_click_pay_out', 'refund', 'google_pay', 'apple_pay', 'card_link', 'two_stage_pay_in']);
const REFUNDABLE_TYPES = new Set(['in', 'one_click_pay_in', 'apple_pay', 'google_pay', 'two_stage_pay_in']);

// transaction_status.name / transaction_type.name are Russian in the API; only "success" and
// "out" are printed in the docs, the rest are the emulator's own wording.
const STATUS_NAMES = {
  new: 'Транзакция создана', processed: 'Транзакция в обработке', success: 'Транзакция прошла успешно',
  failed: 'Транзакция не прошла', refund: 'Транзакция возвращена', authorized: 'Транзакция авторизована',
  canceled: 'Транзакция отменена',
};
const TYPE_NAMES = {
  in: 'Ввод', out: 'Вывод', one_click_pay_in: 'Ввод по сохранённой карте', one_click_pay_out: 'Вывод на сохранённую карту',
  card_link: 'Привязка карты', apple_pay: 'Apple Pay', google_pay: 'Google Pay', two_stage_pay_in: 'Двухстадийный ввод', refund: 'Возврат',
};

const FIRST_TRANSACTION_ID = 100474; // the id in every documented result URL
const CARD_LINK_AMOUNT = 10; // "the gateway creates a KZT 10 payment"
export const TEST_CARD = '4111111111111111';
const UPPER_FEE = { numerator: 2, denominator: 100 }; // 2 %
const DEMO_CARD = { project_client_id: 'demo-client', card_token: '7d3f0c1e9b2a4c6d8e0f1a2b3c4d5e6f', masked_pan: '4111-11XXXXXX-1111', pan: TEST_CARD };

// ---- envelopes -------------------------------------------------------------------------

function success(result) {
  return jsonResponse(200, { status: true, message: 'Success', result });
}

function failure(httpStatus, code, message) {
  return jsonResponse(httpStatus, { status: false, status_code: code, message, result: {} });
}

const ERRORS = {
  validation: () => failure(400, 1021, 'request validation error'),
  secret: () => failure(400, 5406, 'invalid project secret'),
  project: () => failure(404, 8008, "project doesn't exist"),
  duplicate: () => failure(400, 5000, 'transaction already exists'),
  notFound: () => failure(404, 5103, 'transaction not found'),
  card: () => failure(500, 3108, "card doesn't exist"),
  inoperable: () => failure(400, 3010, 'inoperable transaction status for this method'),
  limit: () => failure(400, 5006, 'transaction amount limit is over'),
  type: () => failure(404, 5102, 'undefined transaction type'),
};

/** GET query → the object that is signed: ids and transaction_amount as JSON numbers, the rest strings. */
function typedQuery(query) {
  const body = queryObject(query);
  for (const key of ['merchant_id', 'project_id', 'transaction_amount']) {
    if (!Object.hasOwn(body, key)) continue;
    const text = body[key].trim();
    const number = text === '' ? NaN : Number(text);
    if (!Number.isFinite(number)) return null;
    body[key] = number;
  }
  return body;
}

/**
 * What a signed GET may have signed: the documented reading (integer ids and the amount as JSON
 * numbers), ids as numbers with the amount kept as its query text, everything as strings, or `{}`.
 */
function getSignatureReadings(query, typed) {
  const strings = queryObject(query);
  const idsOnly = { ...strings };
  for (const key of ['merchant_id', 'project_id']) if (Object.hasOwn(typed, key)) idsOnly[key] = typed[key];
  return [typed, idsOnly, strings, {}];
}

function maskPan(pan) {
  return `${pan.slice(0, 4)}-${pan.slice(4, 6)}XXXXXX-${pan.slice(-4)}`;
}

export function createAcquiring(ctx) {
  let nextTransactionId = FIRST_TRANSACTION_ID;
  const ledger = () => ctx.ledger.acquiring;
  const creds = () => ctx.credentials.acquiring;
  const cardNumbers = new Map(); // card_token -> PAN, kept out of the ledger

  function reset() {
    nextTransactionId = FIRST_TRANSACTION_ID;
    cardNumbers.clear();
    saveCard(DEMO_CARD.project_client_id, DEMO_CARD.card_token, DEMO_CARD.masked_pan, DEMO_CARD.pan);
  }
  reset();

  // ---- request pipeline ----------------------------------------------------------------

  function admit(operation, request) {
    const body = request.method === 'GET' ? typedQuery(request.query) : decodeObjectBody(request.bodyText);
    if (!body) return { response: ERRORS.validation() };
    // The gateway looks the project up before it can know which secret to check against.
    if (Object.hasOwn(body, 'merchant_id') && Number(body.merchant_id) !== creds().merchantId) return { response: ERRORS.project() };
    if (Object.hasOwn(body, 'project_id') && Number(body.project_id) !== creds().projectId) return { response: ERRORS.project() };
    if (!signatureAccepted(request, body)) return { response: ERRORS.secret() };
    if (checkFields(body, FIELDS[operation])) return { response: ERRORS.validation() };
    return { body };
  }

  function signatureAccepted(request, body) {
    const presented = bearerToken(request.headers);
    const readings = request.method === 'GET' ? getSignatureReadings(request.query, body) : [body];
    return readings.some((reading) => tarlanSignatureMatches(reading, creds().secret, presented));
  }

  async function handle(operation, request) {
    if (operation === 'payPage') return payPage(request);
    if (operation === 'payPageSubmit') return payPageSubmit(request);
    const admitted = admit(operation, request);
    if (admitted.response) return admitted.response;
    return HANDLERS[operation](admitted.body, operation);
  }

  // ---- transactions ----------------------------------------------------------------------

  function isDuplicate(reference) {
    if (!reference || ledger().byReference[reference] === undefined) return false;
    ledger().transactions[ledger().byReference[reference]].duplicates += 1;
    ledger().duplicateAttempts += 1;
    return true;
  }

  function createTransaction(type, body, amount, extra = {}) {
    const id = nextTransactionId++;
    const tx = {
      transaction_id: id,
      type,
      project_reference_id: body.project_reference_id ?? '',
      amount,
      description: body.description,
      callback_url: body.callback_url || null,
      confirm_url: body.confirm_url || null,
      success_redirect_url: body.success_redirect_url || null,
      failure_redirect_url: body.failure_redirect_url || null,
      project_client_id: body.project_client_id ?? '',
      additional_data: isPlainObject(body.additional_data) ? body.additional_data : null,
      status: 'new',
      history: [{ status: 'new', at: new Date(ctx.now()).toISOString() }],
      hash: bcryptLikeHash(),
      created_at: new Date(ctx.now()).toISOString(),
      finished_at: null,
      card_token: '',
      masked_pan: '',
      bank_code: '',
      bank_message: '',
      bank_reference_id: '',
      refunds: [],
      refundedMinor: 0,
      charged_amount: null,
      performed: 1,
      duplicates: 0,
      ...extra,
    };
    ledger().transactions[id] = tx;
    if (tx.project_reference_id) defineKey(ledger().byReference, tx.project_reference_id, id);
    return tx;
  }

  function hostedPageUrl(tx) {
    // The hash keeps its "$" characters unencoded, exactly like the documented result URLs.
    return `${ctx.url}/acquiring/pay?hash=${tx.hash}&transaction_id=${tx.transaction_id}`;
  }

  function formTransaction(body, operation) {
    const type = TYPE_CODES[operation];
    const amount = operation === 'cardLink' ? CARD_LINK_AMOUNT : body.amount;
    const minor = toMinorUnits(amount);
    if (minor === null || minor <= 0) return ERRORS.validation();
    if (isDuplicate(body.project_reference_id)) return ERRORS.duplicate();
    const twoStage = operation === 'payIn' && body.additional_data?.two_stage === true;
    const tx = createTransaction(type, body, amount, { two_stage: twoStage });
    return success(hostedPageUrl(tx));
  }

  /** Server-to-server payments (one-click, pay-out by card or phone): final at once. */
  function immediateTransaction(body, type, card) {
    const minor = toMinorUnits(body.amount);
    if (minor === null || minor <= 0) return ERRORS.validation();
    if (isDuplicate(body.project_reference_id)) return ERRORS.duplicate();
    const tx = createTransaction(type, body, body.amount);
    settle(tx, { status: 'success', card });
    if (tx.callback_url) ctx.track(sendWebhook(tx));
    return success({ transaction_id: tx.transaction_id, transaction_status_code: tx.status, bank_code: tx.bank_code, bank_message: tx.bank_message });
  }

  function oneClickPayIn(body) {
    const card = findCard(body.card_token, body.project_client_id);
    if (!card) return ERRORS.card();
    return immediateTransaction(body, 'one_click_pay_in', card);
  }

  function payOutDirect(body) {
    const card = findCard(body.card_token, body.project_client_id || null);
    if (!card) return ERRORS.card();
    return immediateTransaction(body, 'out', card);
  }

  function payOutByPhone(body) {
    if (!/^\+?\d{10,15}$/.test(body.phone_number)) return ERRORS.validation();
    return immediateTransaction(body, 'out', null);
  }

  /** Moves a transaction to its final (or authorized) state with the bank's answer. */
  function settle(tx, { status, card, bankCode = '0', bankMessage = '' }) {
    setStatus(tx, status);
    tx.bank_code = bankCode;
    tx.bank_message = bankMessage;
    tx.finished_at = new Date(ctx.now()).toISOString();
    if (status === 'success' || status === 'authorized') tx.bank_reference_id = randomDigitsNoLeadingZero(6);
    if (card) {
      tx.card_token = card.card_token;
      tx.masked_pan = card.masked_pan;
    }
  }

  // ---- hosted page completion --------------------------------------------------------------

  /**
   * What happens when the customer presses Pay (or Decline) on the hosted page:
   * confirm_url check, bank answer, card saving, webhook. Resolves after the webhook delivery.
   */
  async function completePayment(transactionId, { decline = false, cardNumber = TEST_CARD } = {}) {
    const tx = ledger().transactions[transactionId];
    if (!tx) throw new Error(`unknown transaction ${transactionId}`);
    if (tx.status !== 'new') return tx;
    setStatus(tx, 'processed'); // a second click while the confirm_url call runs must not pay twice
    const refusal = tx.confirm_url ? await askMerchantConfirmation(tx) : null;
    const pan = String(cardNumber).replace(/\D/g, '') || TEST_CARD;
    if (refusal) {
      settle(tx, { status: 'failed', bankCode: refusal.code, bankMessage: refusal.message });
    } else if (decline || pan.endsWith('0002')) {
      settle(tx, { status: 'failed', bankCode: '05', bankMessage: 'Do not honor', card: { card_token: '', masked_pan: maskPan(pan) } });
    } else {
      const card = tx.project_client_id ? rememberCard(tx.project_client_id, pan) : { card_token: '', masked_pan: maskPan(pan) };
      settle(tx, { status: tx.two_stage ? 'authorized' : 'success', card });
    }
    if (tx.callback_url) await ctx.track(sendWebhook(tx));
    return tx;
  }

  /** §5.2: GET confirm_url?type=..&project_reference_id=.. signed; anything but 200 + is_payble:true refuses. */
  async function askMerchantConfirmation(tx) {
    const query = { type: tx.type, project_reference_id: tx.project_reference_id };
    const signature = tarlanSignature(query, creds().secret);
    const url = new URL(tx.confirm_url);
    url.searchParams.set('type', query.type);
    url.searchParams.set('project_reference_id', query.project_reference_id);
    const answer = await getOnce(url.toString(), { authorization: `Bearer ${signature}`, accept: 'application/json' }, ctx.timing.callbackTimeoutMs, ctx.signal);
    const refusal = judgeConfirmation(answer);
    ledger().confirmRequests.push({ transaction_id: tx.transaction_id, url: url.toString(), signature, status: answer.status, body: answer.body, error: answer.error, allowed: !refusal });
    return refusal;
  }

  function judgeConfirmation(answer) {
    if (answer.status === null) return { code: '5205', message: 'unavailable project server' };
    if (answer.status !== 200) return { code: '5202', message: 'request failed' };
    let parsed;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      return { code: '1022', message: "couldn't parse response body" };
    }
    if (parsed?.is_payble !== true) return { code: '5202', message: 'payment is not allowed by the project (is_payble is not true)' };
    return null;
  }

  /** §5.1 webhook, signed like a request (without additional_data and "" fields). */
  async function sendWebhook(tx) {
    const body = {
      created_at: tx.created_at,
      transaction_id: tx.transaction_id,
      acquirer_code: 'emulator',
      project_reference_id: tx.project_reference_id,
      project_client_id: tx.project_client_id,
      status_code: tx.status,
      type_code: tx.type,
      amount: tx.charged_amount ?? tx.amount,
      description: tx.description,
      finished_at: tx.finished_at,
      project_id: creds().projectId,
      merchant_id: creds().merchantId,
      additional_data: tx.additional_data ?? {},
      card_token: tx.card_token,
      masked_pan: tx.masked_pan,
      bank_code: tx.bank_code,
      bank_message: tx.bank_message,
    };
    const signature = tarlanSignature(body, creds().secret);
    const text = JSON.stringify(body);
    return deliverWithRetry({
      url: tx.callback_url,
      body: text,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${signature}` },
      timing: ctx.timing,
      signal: ctx.signal,
      record: (attempt) => ledger().webhooks.push({ transaction_id: tx.transaction_id, url: tx.callback_url, body: text, signature, ...attempt }),
    });
  }

  // ---- saved cards ---------------------------------------------------------------------------

  function saveCard(clientId, token, maskedPan, pan) {
    const list = ledger().cards[clientId] ?? [];
    list.push({ card_token: token, masked_pan: maskedPan });
    defineKey(ledger().cards, clientId, list);
    cardNumbers.set(token, pan);
    return { card_token: token, masked_pan: maskedPan };
  }

  function rememberCard(clientId, pan) {
    const existing = (ledger().cards[clientId] ?? []).find((card) => cardNumbers.get(card.card_token) === pan);
    return existing ?? saveCard(clientId, randomHex(32), maskPan(pan), pan);
  }

  function findCard(token, clientId) {
    const owners = clientId === null ? Object.keys(ledger().cards) : [clientId];
    for (const owner of owners) {
      const card = (ledger().cards[owner] ?? []).find((c) => c.card_token === token);
      if (card) return card;
    }
    return null;
  }

  function cards(body) {
    return success((ledger().cards[body.project_client_id] ?? []).map((card) => ({ ...card })));
  }

  function deleteCard(body) {
    const token = body.card_token ?? body.encrypted_card_id;
    if (typeof token !== 'string' || token === '') return ERRORS.validation();
    for (const owner of Object.keys(ledger().cards)) {
      const list = ledger().cards[owner];
      const index = list.findIndex((card) => card.card_token === token);
      if (index >= 0) {
        list.splice(index, 1);
        cardNumbers.delete(token);
        return success('success');
      }
    }
    return ERRORS.card();
  }

  // ---- follow-up operations ------------------------------------------------------------------

  function transactionById(value) {
    const id = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
    return Number.isInteger(id) ? { id, tx: ledger().transactions[id] ?? null } : null;
  }

  function refund(body) {
    const found = transactionById(body.transaction_id);
    if (!found) return ERRORS.validation();
    const minor = toMinorUnits(body.amount);
    if (minor === null || minor <= 0) return ERRORS.validation();
    const { tx } = found;
    if (!tx) return ERRORS.notFound();
    if (tx.status !== 'success' || !REFUNDABLE_TYPES.has(tx.type)) return ERRORS.inoperable();
    const paidMinor = toMinorUnits(tx.charged_amount ?? tx.amount);
    if (tx.refundedMinor + minor > paidMinor) return ERRORS.inoperable();
    tx.refundedMinor += minor;
    const at = new Date(ctx.now()).toISOString();
    tx.refunds.push({ amount: body.amount, date: at });
    if (tx.refundedMinor === paidMinor) setStatus(tx, 'refund');
    ledger().refunds.push({ transaction_id: tx.transaction_id, amount: body.amount, at, performed: 1 });
    return success({ transaction_id: tx.transaction_id, transaction_status_code: 'refund' });
  }

  function charge(body) {
    const found = transactionById(body.transaction_id);
    const amount = typeof body.amount === 'string' ? Number(body.amount) : body.amount;
    const minor = typeof amount === 'number' ? toMinorUnits(amount) : null;
    if (!found || minor === null || minor <= 0) return ERRORS.validation();
    const { tx } = found;
    if (!tx) return ERRORS.notFound();
    if (tx.status !== 'authorized') return ERRORS.inoperable();
    if (minor > toMinorUnits(tx.amount)) return ERRORS.limit();
    tx.charged_amount = amount;
    setStatus(tx, 'success');
    tx.finished_at = new Date(ctx.now()).toISOString();
    ledger().charges.push({ transaction_id: tx.transaction_id, amount, at: tx.finished_at, performed: 1 });
    if (tx.callback_url) ctx.track(sendWebhook(tx));
    return success({ transaction_id: tx.transaction_id, transaction_status_code: 'success' });
  }

  function status(body) {
    const id = ledger().byReference[body.project_reference_id];
    const tx = id === undefined ? null : ledger().transactions[id];
    if (!tx || tx.type !== body.type) return ERRORS.notFound();
    return success({
      id: tx.transaction_id,
      amount: tx.amount,
      description: tx.description,
      user_phone: '',
      user_email: '',
      card_token: tx.card_token,
      masked_pan: tx.masked_pan,
      bank_code: tx.bank_code,
      bank_message: tx.bank_message,
      additional_data: tx.additional_data ?? {},
      transaction_status: { code: tx.status, name: STATUS_NAMES[tx.status] ?? tx.status },
      bank_reference_id: tx.bank_reference_id,
      created_at: tx.created_at,
      transaction_type: { code: tx.type, name: TYPE_NAMES[tx.type] ?? tx.type },
      refunds: tx.refunds.map((r) => ({ ...r })),
    });
  }

  function upperFee(body) {
    if (!KNOWN_TYPES.has(body.transaction_type_code)) return ERRORS.type();
    const amount = decimalFromNumber(body.transaction_amount);
    if (!amount || amount.units <= 0n) return ERRORS.validation();
    return success({ total_commission_amount: decimalToNumber(scaleAndRound(amount, UPPER_FEE.numerator, UPPER_FEE.denominator, 2)) });
  }

  const HANDLERS = {
    payIn: formTransaction, payOut: formTransaction, cardLink: formTransaction, applePay: formTransaction, googlePay: formTransaction,
    oneClickPayIn, payOutDirect, payOutByPhone, charge, status, cards, deleteCard, refund, upperFee,
  };

  // ---- the hosted payment page ---------------------------------------------------------------

  function pageTransaction(params) {
    const tx = ledger().transactions[Number(params.transaction_id)];
    return tx && tx.hash === params.hash ? tx : null;
  }

  function payPage(request) {
    const tx = pageTransaction({ transaction_id: request.query.get('transaction_id'), hash: request.query.get('hash') });
    if (!tx) return htmlResponse(404, page('Transaction not found', '<p>The link is invalid or expired.</p>'));
    if (tx.status !== 'new') return htmlResponse(200, resultPage(tx));
    return htmlResponse(200, page('Payment', `
<p class="amount">${escapeHtml(tx.amount)} KZT</p>
<p class="description">${escapeHtml(tx.description)}</p>
<form method="POST" action="/acquiring/pay">
  <input type="hidden" name="transaction_id" value="${tx.transaction_id}">
  <input type="hidden" name="hash" value="${escapeHtml(tx.hash)}">
  <label>Card number <input name="card_number" value="${TEST_CARD}" inputmode="numeric" autocomplete="cc-number"></label>
  <p class="hint">Cards ending in 0002 are declined.</p>
  <button type="submit" name="action" value="pay">Pay</button>
  <button type="submit" name="action" value="decline">Decline</button>
</form>`));
  }

  async function payPageSubmit(request) {
    const form = request.headers['content-type']?.includes('application/json')
      ? (decodeObjectBody(request.bodyText) ?? {})
      : Object.fromEntries(new URLSearchParams(request.bodyText));
    const tx = pageTransaction({ transaction_id: form.transaction_id, hash: form.hash });
    if (!tx) return htmlResponse(404, page('Transaction not found', '<p>The link is invalid or expired.</p>'));
    await completePayment(tx.transaction_id, { decline: form.action === 'decline', cardNumber: form.card_number ?? TEST_CARD });
    const ok = tx.status === 'success' || tx.status === 'authorized';
    const target = ok ? tx.success_redirect_url : tx.failure_redirect_url ?? tx.success_redirect_url;
    return target ? redirectResponse(target) : htmlResponse(200, resultPage(tx));
  }

  return {
    name: 'acquiring',
    prefix: '/acquiring',
    route: (method, subpath) => matchRoute(ROUTES, method, subpath),
    handle,
    notFound: () => failure(404, 404, 'Not Found'),
    internalError: () => failure(500, 8301, 'unexpected db error'),
    reset,
    api: { completePayment },
  };
}

function setStatus(tx, status) {
  tx.status = status;
  tx.history.push({ status, at: new Date().toISOString() });
}

function defineKey(object, key, value) {
  Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>kassa emulator — ${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto}label{display:block;margin:1rem 0}input{font-size:1.1rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function resultPage(tx) {
  const ok = tx.status === 'success' || tx.status === 'authorized';
  return page(ok ? 'Payment successful' : 'Payment failed', `<p class="status">Status: ${escapeHtml(tx.status)}</p>
<p>Transaction ${tx.transaction_id}, ${escapeHtml(tx.amount)} KZT</p>${tx.bank_message ? `<p>${escapeHtml(tx.bank_message)}</p>` : ''}`);
}


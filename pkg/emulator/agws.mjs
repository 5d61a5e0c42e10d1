// Tarlan AGWS ("showcase gateway") and the AGWS-host fiscal receipt — spec/tarlan-agws.md.
// Envelope {status, status_code, message, result}; business ("expected") errors are HTTP 200
// with result.error_code, transport/auth ("unexpected") errors are HTTP 4xx/5xx, status:false.
import { tarlanSignature, tarlanSignatureMatches } from './canonical.mjs';
import { deliverWithRetry } from './deliver.mjs';
import { htmlResponse, jsonResponse, matchRoute, queryObject } from './http.mjs';
import { decimalFromNumber, decimalToNumber, addDecimals, scaleAndRound, minorToNumber, toMinorUnits } from './money.mjs';
import { checkFields, decodeObjectBody } from './tarlan.mjs';
import { escapeHtml, isoSeconds, randomDigitsNoLeadingZero, startsWithCi, uuid } from './util.mjs';

const GW = '/showcase-gateway/api/v1';

const ROUTES = [
  ['POST', `${GW}/user/check`, 'check'],
  ['POST', `${GW}/test/check`, 'check'], // legacy doc naming, same behaviour
  ['POST', `${GW}/action/cash-in`, 'cashIn'],
  ['POST', `${GW}/test/cash-in`, 'cashIn'],
  ['POST', `${GW}/action/status`, 'status'],
  ['POST', `${GW}/test/status`, 'status'],
  ['POST', `${GW}/showcase/balance`, 'balance'],
  ['POST', `${GW}/action/confirm/invoice`, 'confirmInvoice'],
  ['POST', `${GW}/action/link`, 'paymentLink'],
  ['POST', `${GW}/calculate/upper/commission`, 'upperCommission'],
  ['POST', `${GW}/calculate/upper/commssion`, 'upperCommission'], // the Kazakh page's spelling
  ['GET', '/fiscalization/api/v1/payment/fiscalization/order', 'fiscalReceipt'],
  ['GET', /^\/showcase-gateway\/api\/v1\/info\/service\/([^/]+)$/, 'serviceInfo'],
  ['GET', /^\/showcase-gateway\/api\/v1\/info\/user\/([^/]+)$/, 'userInfo'],
  ['GET', /^\/pay-link\/([^/]+)$/, 'payLinkPage'],
  ['GET', /^\/receipt\/([^/]+)$/, 'receiptPage'],
];

/** Required/optional body fields per operation (Go struct + validate:"required" semantics). */
const FIELDS = {
  check: { username: 'string', agent: 'string', project: 'string', service_code: 'string' },
  cashIn: {
    username: 'string', amount: 'number', agent: 'string', project: 'string', service_code: 'string',
    external_id: 'string', datetime: 'string', callback_url: 'string?', additional_data: 'object?',
  },
  status: { agent: 'string', project: 'string', service_code: 'string', external_id: 'string' },
  balance: { agent: 'string' },
  confirmInvoice: { agent: 'string', external_id: 'string', confirm_code: 'string?' },
  paymentLink: { agent: 'string', amount: 'number', service: 'string', refer_host: 'string', return_url: 'string?', username: 'string?', user_id: 'string?' },
  upperCommission: { agent: 'string', amount: 'number', project: 'string?', service_code: 'string?' },
  fiscalReceipt: { provider_order_id: 'string', provider_code: 'string', provider_service_code: 'string' },
  serviceInfo: { service_code: 'string', project: 'string', agent: 'string' },
  userInfo: { service_code: 'string', project: 'string', agent: 'string' },
};

const STATUS_MESSAGES = {
  1: 'Transaction created',
  2: 'Transaction successfully processed',
  3: 'Transaction was canceled by user',
  4: 'Transaction was failed',
  5: 'Transaction holded by service provider',
  6: 'Transaction finished with error',
  7: 'Transaction is in progress',
};
const FINAL_STATUSES = new Set(['2', '3', '4']);
/** Test data: the confirmation code confirmInvoice rejects (402 "Incorrect confirmation code"). */
const WRONG_CONFIRM_CODE = '000000';
const INITIAL_BALANCE_MINOR = 1_000_000 * 100;
const UPPER_COMMISSION = { numerator: 15, denominator: 1000 }; // 1.5 %

// ---- envelopes -------------------------------------------------------------------------

function success(result) {
  return jsonResponse(200, { status: true, status_code: 0, message: 'Success', result });
}

function expectedError(code, message, data = {}) {
  return success({ error_code: code, message, data, additional_data: {} });
}

function unexpectedError(httpStatus, code, message) {
  return jsonResponse(httpStatus, { status: false, status_code: code, message, result: {} });
}

const invalidSignature = () => unexpectedError(400, 1014, 'Invalid signature');
const validationError = () => unexpectedError(400, 1021, 'request validation error');

export function createAgws(ctx) {
  let balanceMinor = INITIAL_BALANCE_MINOR;
  const ledger = () => ctx.ledger.agws;
  const creds = () => ctx.credentials.agws;

  function reset() {
    balanceMinor = INITIAL_BALANCE_MINOR;
    ledger().balance = minorToNumber(balanceMinor);
  }
  reset();

  // ---- request pipeline ----------------------------------------------------------------

  /** Decodes, verifies the X-Signature, validates, checks agent/project; returns {body} or {response}. */
  function admit(operation, request) {
    const body = request.method === 'GET' ? queryObject(request.query) : decodeObjectBody(request.bodyText);
    if (!body) return { response: validationError() };
    const presented = request.headers['x-signature'];
    // GET signs the JSON of its query parameters (all strings here); `{}` is accepted too (spec §2.8 reading B).
    const signed = tarlanSignatureMatches(body, creds().secret, presented) || (request.method === 'GET' && tarlanSignatureMatches({}, creds().secret, presented));
    if (!signed) {
      return { response: invalidSignature() };
    }
    if (checkFields(body, FIELDS[operation])) return { response: validationError() };
    if (typeof body.agent === 'string' && body.agent !== creds().agent) {
      return { response: expectedError(9427, 'showcase not found') };
    }
    if (typeof body.project === 'string' && body.project !== creds().project) {
      return { response: expectedError(8008, "project doesn't exist") };
    }
    return { body };
  }

  async function handle(operation, request, params) {
    if (operation === 'payLinkPage') return payLinkPage(params[0]);
    if (operation === 'receiptPage') return receiptPage(params[0]);
    const admitted = admit(operation, request);
    if (admitted.response) return admitted.response;
    return HANDLERS[operation](admitted.body, params);
  }

  // ---- operations ------------------------------------------------------------------------

  function check(body) {
    if (startsWithCi(body.username, 'unknown')) return expectedError(8015, "account doesn't exist");
    if (startsWithCi(body.username, 'inactive')) {
      return success({
        error_code: 0,
        message: 'This account is inactive',
        account_status: 0,
        additional_data: {},
        fail_reason: { code: 100, message: 'Unknown reason, clarification required' },
      });
    }
    return success({ error_code: 0, message: 'This account is active', account_status: 1, additional_data: {} });
  }

  function cashIn(body) {
    const existing = ledger().payments[body.external_id];
    if (existing) {
      existing.duplicates += 1;
      ledger().duplicateAttempts += 1;
      return success({ error_code: 1042, message: 'duplicate external id', data: null, additional_data: {} });
    }
    const amountMinor = toMinorUnits(body.amount);
    // More than 2 decimals is float drift on the caller's side (KZT has tiyn), never a real amount.
    if (amountMinor === null || amountMinor <= 0) return validationError();
    if (startsWithCi(body.username, 'unknown')) return expectedError(8015, "account doesn't exist");
    if (amountMinor > balanceMinor) return expectedError(1410, 'not enough balance');
    const payment = recordPayment(body, amountMinor);
    if (startsWithCi(body.username, 'instant')) finalize(payment);
    else if (Number.isFinite(ctx.timing.pendingMs)) {
      ctx.schedule(() => {
        if (!FINAL_STATUSES.has(payment.status) && payment.status !== '1' && ledger().payments[payment.external_id] === payment) finalize(payment);
      }, ctx.timing.pendingMs);
    }
    return paymentAnswer(payment);
  }

  function recordPayment(body, amountMinor) {
    const payment = {
      external_id: body.external_id,
      username: body.username,
      amount: body.amount,
      amountMinor,
      service_code: body.service_code,
      project: body.project,
      agent: body.agent,
      datetime: body.datetime,
      callback_url: body.callback_url ?? null,
      // `otp…` usernames model the confirmation flow (§2.5): the payment waits in "1" (created)
      // until confirm/invoice moves it on; everything else starts in progress.
      status: startsWithCi(body.username, 'otp') ? '1' : '7',
      history: [{ status: startsWithCi(body.username, 'otp') ? '1' : '7', at: new Date(ctx.now()).toISOString() }],
      fail_reason: null,
      createdAt: new Date(ctx.now()).toISOString(),
      finishedAt: null,
      statusPolls: 0,
      performed: 1,
      duplicates: 0,
      confirmations: 0,
      fiscal_number: null,
    };
    Object.defineProperty(ledger().payments, body.external_id, { value: payment, enumerable: true, configurable: true, writable: true });
    return payment;
  }

  function status(body) {
    const payment = ledger().payments[body.external_id];
    if (!payment) return expectedError(1041, 'Order not found');
    payment.statusPolls += 1;
    // The first `pendingPolls` status calls still see the payment in progress.
    const elapsed = ctx.now() - Date.parse(payment.createdAt);
    const due = payment.statusPolls > ctx.timing.pendingPolls || (Number.isFinite(ctx.timing.pendingMs) && elapsed >= ctx.timing.pendingMs);
    if (!FINAL_STATUSES.has(payment.status) && payment.status !== '1' && due) finalize(payment);
    return paymentAnswer(payment);
  }

  function finalize(payment, { fail = false, failReason = { code: 200, message: 'Insufficient balance' } } = {}) {
    if (fail || startsWithCi(payment.username, 'fail')) {
      payment.status = '4';
      payment.fail_reason = failReason;
    } else {
      payment.status = '2';
      balanceMinor -= payment.amountMinor;
      ledger().balance = minorToNumber(balanceMinor);
    }
    payment.finishedAt = new Date(ctx.now()).toISOString();
    payment.history.push({ status: payment.status, at: payment.finishedAt });
    if (payment.callback_url) ctx.track(sendCallback(payment));
  }

  function paymentData(payment) {
    const data = {
      status_code: payment.status,
      status_message: STATUS_MESSAGES[payment.status],
      username: payment.username,
      amount: payment.amount,
      datetime: payment.datetime,
      project: payment.project,
      service_code: payment.service_code,
      external_id: payment.external_id,
    };
    if (payment.fail_reason) data.fail_reason = payment.fail_reason;
    return data;
  }

  function paymentAnswer(payment) {
    return success({ error_code: 0, message: '', data: paymentData(payment), additional_data: {} });
  }

  /** The §2.10 callback: one flat object, X-Signature computed like a request signature. */
  async function sendCallback(payment) {
    const { status_code, status_message, username, amount, datetime, project, service_code, external_id, fail_reason } = paymentData(payment);
    const body = { project, service_code, external_id, status_code, status_message, username, amount, datetime };
    if (fail_reason) body.fail_reason = fail_reason;
    body.agent = payment.agent;
    const signature = tarlanSignature(body, creds().secret);
    const text = JSON.stringify(body);
    await deliverWithRetry({
      url: payment.callback_url,
      body: text,
      headers: { 'content-type': 'application/json', 'x-signature': signature },
      timing: ctx.timing,
      signal: ctx.signal,
      record: (attempt) => ledger().callbacks.push({ external_id: payment.external_id, url: payment.callback_url, body: text, signature, ...attempt }),
    });
  }

  function balance(body) {
    return success({ showcase_code: body.agent, balance: minorToNumber(balanceMinor) });
  }

  function confirmInvoice(body) {
    const payment = ledger().payments[body.external_id];
    if (!payment) return expectedError(5103, 'transaction not found');
    if (FINAL_STATUSES.has(payment.status)) return expectedError(5413, 'transaction already finished');
    if (body.confirm_code === WRONG_CONFIRM_CODE) {
      // A rejected confirmation (§2.5 newest table, §5.4 reason 402): no money moves, the
      // transaction fails and carries the reason.
      const reason = { code: 402, message: 'Incorrect confirmation code' };
      finalize(payment, { fail: true, failReason: reason });
      ledger().rejectedConfirmations += 1;
      return success({ is_success: false, transaction_status_id: '4', external_id: body.external_id, otp_status: false, message: reason.message, fail_reason: reason });
    }
    payment.confirmations += 1;
    if (payment.status === '1') {
      payment.status = '7';
      payment.statusPolls = 0;
      payment.history.push({ status: '7', at: new Date(ctx.now()).toISOString() });
    }
    ledger().confirmations.push({ external_id: body.external_id, confirm_code: body.confirm_code ?? null, at: new Date(ctx.now()).toISOString() });
    return success({ is_success: true, transaction_status_id: '1', external_id: body.external_id, message: '' });
  }

  function paymentLink(body) {
    const username = body.username ?? body.user_id;
    if (typeof username !== 'string' || username === '') return validationError();
    const id = uuid();
    ledger().paymentLinks[id] = {
      id, username, amount: body.amount, service: body.service, return_url: body.return_url ?? null,
      refer_host: body.refer_host, performed: 1, createdAt: new Date(ctx.now()).toISOString(),
    };
    return success({ code: 0, redirect_url: `${ctx.url}/agws/pay-link/${id}`, message: 'Успешно обработано', qr_code_image: '' });
  }

  function upperCommission(body) {
    const amount = decimalFromNumber(body.amount);
    if (!amount || amount.units <= 0n) return validationError();
    const commission = scaleAndRound(amount, UPPER_COMMISSION.numerator, UPPER_COMMISSION.denominator, 2);
    return success({
      amount: body.amount,
      amount_with_commission: decimalToNumber(addDecimals(amount, commission)),
      commission: decimalToNumber(commission),
    });
  }

  function fiscalReceipt(body) {
    const payment = ledger().payments[body.provider_order_id];
    if (!payment || payment.status !== '2') return expectedError(1041, 'Order not found');
    payment.fiscal_number ??= randomDigitsNoLeadingZero(12);
    return success({ fiscal_number: payment.fiscal_number, fiscal_check_url: `${ctx.url}/agws/receipt/${encodeURIComponent(payment.external_id)}` });
  }

  function serviceInfo(body, [group]) {
    return success({
      error_code: 0,
      message: 'success',
      data: [{
        location: [{ lat: 43.238949, lon: 76.889709 }, { lat: 43.239512, lon: 76.890871 }],
        center: { lat: 43.23923, lon: 76.89029 },
        description: `Emulated ${group} service ${body.service_code}`,
        type: group,
        amount: 200,
        name: `${group} zone 1`,
        id: '1',
        date: isoSeconds(ctx.now()),
        active: true,
      }],
    });
  }

  function userInfo(body) {
    return success({
      // The documented example really carries 5202 next to message "success".
      error_code: 5202,
      message: 'success',
      data: [{ id: '123', username: 'user@example.com', amount: 10, date: isoSeconds(ctx.now()) }],
    });
  }

  const HANDLERS = { check, cashIn, status, balance, confirmInvoice, paymentLink, upperCommission, fiscalReceipt, serviceInfo, userInfo };

  // ---- pages behind the URLs the API hands out -------------------------------------------

  function payLinkPage(id) {
    const link = ledger().paymentLinks[id];
    if (!link) return htmlResponse(404, '<!doctype html><title>Not found</title><h1>Payment link not found</h1>');
    return htmlResponse(200, `<!doctype html><meta charset="utf-8"><title>kassa emulator — payment link</title>
<h1>Payment link (emulated Kaspi quick pay)</h1>
<p>Service: ${escapeHtml(link.service)}</p><p>User: ${escapeHtml(link.username)}</p><p>Amount: ${escapeHtml(link.amount)} KZT</p>`);
  }

  function receiptPage(externalId) {
    const payment = ledger().payments[externalId];
    if (!payment || !payment.fiscal_number) return htmlResponse(404, '<!doctype html><title>Not found</title><h1>Receipt not found</h1>');
    return htmlResponse(200, `<!doctype html><meta charset="utf-8"><title>kassa emulator — fiscal receipt</title>
<h1>Fiscal receipt</h1><p>Payment: ${escapeHtml(payment.external_id)}</p>
<p>Amount: ${escapeHtml(payment.amount)} KZT</p><p>Fiscal number: ${escapeHtml(payment.fiscal_number)}</p>`);
  }

  return {
    name: 'agws',
    prefix: '/agws',
    route: (method, subpath) => matchRoute(ROUTES, method, subpath),
    handle,
    notFound: () => unexpectedError(404, 404, 'Not Found'),
    internalError: () => unexpectedError(500, 500, 'Internal Server Error'),
    reset,
    api: {
      settle(externalId, { fail = false } = {}) {
        const payment = ledger().payments[externalId];
        if (!payment) throw new Error(`unknown AGWS payment ${externalId}`);
        if (!FINAL_STATUSES.has(payment.status)) finalize(payment, { fail });
        return payment;
      },
    },
  };
}

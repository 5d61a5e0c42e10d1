// The kassa playground: plain ES modules, no framework. Everything runs in the page through
// the package's browser build (copied to ./pkg by serve.mjs); the page makes no request after
// it has loaded, so secrets typed here never leave it.
import * as kassa from './pkg/src/entry-browser.js';

const $ = (id) => document.getElementById(id);

// --- examples -------------------------------------------------------------------------

/** The bodies printed in Tarlan's AGWS docs (spec §3, §4.4); secret 12345. */
const SIGNATURE_EXAMPLES = [
  {
    id: 'check', title: 'AGWS test/check (documented)', host: 'agws', path: '/showcase-gateway/api/v1/user/check',
    body: '{\n    "username": "989898",\n    "agent": "tarlan",\n    "project": "mobile",\n    "service_code": "201106"\n}',
  },
  {
    id: 'cash-in', title: 'AGWS test/cash-in (documented)', host: 'agws', path: '/showcase-gateway/api/v1/action/cash-in',
    body: '{\n    "username": "989898",\n    "amount": 100,\n    "agent": "tarlan",\n    "project": "mobile",\n    "service_code": "201106",\n    "external_id": "200001",\n    "datetime": "2022-12-01T15:45:00Z"\n}',
  },
  {
    id: 'status', title: 'AGWS test/status (documented)', host: 'agws', path: '/showcase-gateway/api/v1/action/status',
    body: '{\n    "agent": "tarlan",\n    "project": "mobile",\n    "service_code": "201106",\n    "external_id": "200001"\n}',
  },
  {
    id: 'cash-in-100.0', title: 'AGWS cash-in as printed on the Kazakh page (100.0)', host: 'agws', path: '/showcase-gateway/api/v1/action/cash-in',
    body: '{"username": "989898", "amount": 100.0, "agent": "tarlan", "project": "mobile", "service_code": "201106", "external_id": "200001", "datetime": "2022-12-01T15:45:00Z"}',
  },
  {
    id: 'ampersand', title: 'callback_url with & (escaped as \\u0026)', host: 'agws', path: '/showcase-gateway/api/v1/action/cash-in',
    body: '{"username":"989898","amount":100.5,"agent":"tarlan","project":"mobile","service_code":"201106","external_id":"200001","datetime":"2022-12-01T15:45:00Z","callback_url":"https://example.kz/cb?a=1&b=2"}',
  },
  {
    id: 'pay-out', title: 'Acquiring pay-out with "" fields and additional_data', host: 'acquiring', path: '/api/v1/pay-out',
    body: '{"amount":10,"callback_url":"https://test.site/callback_url","confirm_url":"","description":"999","failure_redirect_url":"https://www.test.com","merchant_id":9999,"project_client_id":"999","project_id":9999,"project_reference_id":"999","shipment":"","success_redirect_url":"https://www.test.com","additional_data":{"test1":"value1","test2":2}}',
  },
];

const HOSTS = {
  agws: 'https://agwsapi.tarlanpayments.kz',
  acquiring: 'https://prapi.tarlanpayments.kz',
};

/** Every client class of the package, with options that let it be created here. */
const PROVIDERS = [
  { id: 'agws', cls: 'TarlanAgws', title: 'Tarlan AGWS', options: { secret: '12345', agent: 'tarlan', project: 'mobile' } },
  { id: 'acquiring', cls: 'TarlanAcquiring', title: 'Tarlan acquiring', options: { secret: '12345', merchantId: 1, projectId: 1 } },
  { id: 'assist', cls: 'AssistFiscal', title: 'Assist fiscal receipts', options: { server: 'ruTest', merchantId: '123456', login: 'demo', password: 'demo-pass' } },
  { id: 'fiscalbox', cls: 'FiscalBox', title: 'FiscalBox', options: { walletAmountUnit: 'tiyin' } },
  { id: 'fiscalboxBilling', cls: 'FiscalBoxBilling', title: 'FiscalBox billing', options: {} },
].filter((p) => typeof kassa[p.cls] === 'function');

/** Parameters of the documented examples, where a provider printed one. */
const PARAM_EXAMPLES = {
  'agws.check': { username: '989898', service_code: '201106' },
  'agws.cashIn': { username: '989898', amount: 100, service_code: '201106', external_id: '200001', datetime: '2022-12-01T15:45:00Z' },
  'agws.status': { service_code: '201106', external_id: '200001' },
  'assist.fiscalReceipt': { Billnumber: '5791234567890123' },
  'assist.fiscalize': {
    Payment_ID: 'order-42', Type: 'sell', Email: 'buyer@example.kz',
    ChequeItems: [{ id: 1, name: 'Tea', price: '1500.50', quantity: 2, tax: 'vat12' }],
  },
};

const RESPONSE_EXAMPLE = {
  provider: 'agws', operation: 'check', status: 200,
  body: '{\n    "status": true,\n    "status_code": 0,\n    "message": "Success",\n    "result":{\n        "error_code" : 0,\n        "message": "This account is active",\n        "account_status": 1,\n        "additional_data": {}\n    }\n}',
};

// --- small helpers ----------------------------------------------------------------------

function pretty(value) {
  return JSON.stringify(value, null, 2);
}

function errorText(error) {
  if (error instanceof kassa.KassaError) {
    return `${error.kind} error${error.field ? ` (${error.field})` : ''}: ${error.message}`;
  }
  return String(error?.message ?? error);
}

function showError(el, error) {
  if (error == null) {
    el.hidden = true;
    el.textContent = '';
  } else {
    el.hidden = false;
    el.textContent = typeof error === 'string' ? error : errorText(error);
  }
}

function shellQuote(text) {
  return `'${String(text).replaceAll("'", "'\\''")}'`;
}

/** Text with `code` spans (the core's messages quote names and values in backticks). */
function rich(text) {
  const out = document.createDocumentFragment();
  String(text).split('`').forEach((part, i) => out.append(i % 2 ? el('code', {}, part) : part));
  return out;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

/** Writes `text` into `pre`, wrapping each fragment's first unused occurrence in <mark>. */
function highlight(pre, text, marks) {
  const spans = [];
  for (const { fragment, title } of marks) {
    if (!fragment) continue;
    let from = 0;
    for (;;) {
      const at = text.indexOf(fragment, from);
      if (at < 0) break;
      const end = at + fragment.length;
      if (!spans.some((s) => at < s.end && end > s.start)) {
        spans.push({ start: at, end, title });
        break;
      }
      from = at + 1;
    }
  }
  spans.sort((a, b) => a.start - b.start);
  pre.replaceChildren();
  let pos = 0;
  for (const s of spans) {
    pre.append(text.slice(pos, s.start), el('mark', { title: s.title }, text.slice(s.start, s.end)));
    pos = s.end;
  }
  pre.append(text.slice(pos));
}

for (const button of document.querySelectorAll('button.copy')) {
  button.addEventListener('click', async () => {
    const text = $(button.dataset.copy).textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      const range = document.createRange();
      range.selectNodeContents($(button.dataset.copy));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = 'Selected';
    }
    setTimeout(() => { button.textContent = 'Copy'; }, 1500);
  });
}

// --- signature lab ----------------------------------------------------------------------

const lab = {
  example: $('lab-example'), body: $('lab-body'), secret: $('lab-secret'), host: $('lab-host'), url: $('lab-url'),
  error: $('lab-error'), canonical: $('lab-canonical'), changes: $('lab-changes'), base64: $('lab-base64'),
  input: $('lab-input'), signature: $('lab-signature'), headerAgws: $('lab-header-agws'),
  headerAcquiring: $('lab-header-acquiring'), curl: $('lab-curl'), received: $('lab-received'),
  diagnosis: $('lab-diagnosis'),
};

for (const ex of SIGNATURE_EXAMPLES) lab.example.append(new Option(ex.title, ex.id));
lab.example.append(new Option('(your own body)', 'custom'));

function loadExample(id) {
  const ex = SIGNATURE_EXAMPLES.find((e) => e.id === id);
  if (!ex) return;
  lab.example.value = id;
  lab.body.value = ex.body;
  if (!lab.secret.value) lab.secret.value = '12345';
  lab.host.value = ex.host;
  lab.url.value = HOSTS[ex.host] + ex.path;
  lab.diagnosis.replaceChildren();
  updateLab();
}

function clearLab() {
  for (const node of [lab.canonical, lab.base64, lab.input, lab.signature, lab.headerAgws, lab.headerAcquiring, lab.curl, lab.changes]) {
    node.replaceChildren();
  }
}

function updateLab() {
  let explanation;
  try {
    explanation = kassa.explainSignature(lab.body.value, lab.secret.value);
  } catch (error) {
    clearLab();
    showError(lab.error, error);
    return null;
  }
  showError(lab.error, null);
  highlight(lab.canonical, explanation.canonical, explanation.changes.map((c) => ({ fragment: c.fragment, title: c.message })));
  lab.changes.replaceChildren(...explanation.changes.map((c) => el('li', {}, el('span', { class: 'kind' }, `${c.kind}: `), rich(c.message))));
  if (explanation.changes.length === 0) lab.changes.append(el('li', {}, 'Nothing: the body is already in canonical form.'));
  lab.base64.textContent = explanation.base64;
  lab.input.replaceChildren(explanation.base64, el('span', { class: 'secret-part', title: 'your secret (not shown)' }, `+ secret (${[...lab.secret.value].length} characters)`));
  lab.signature.textContent = explanation.signature;
  lab.headerAgws.textContent = explanation.headers.agws;
  lab.headerAcquiring.textContent = explanation.headers.acquiring;
  const header = lab.host.value === 'acquiring' ? explanation.headers.acquiring : explanation.headers.agws;
  let sent;
  try {
    sent = kassa.canonicalJson(lab.body.value);
  } catch {
    sent = explanation.canonical;
  }
  lab.curl.textContent = [
    `curl -X POST ${shellQuote(lab.url.value || HOSTS[lab.host.value])}`,
    `  -H 'Content-Type: application/json'`,
    `  -H ${shellQuote(header)}`,
    `  --data-raw ${shellQuote(sent)}`,
  ].join(' \\\n');
  return explanation;
}

function renderDiagnosis(d) {
  const box = el('div', { class: `verdict ${d.verdict}`, 'data-verdict': d.verdict });
  const titles = {
    match: 'The signature matches.',
    mistake: 'The signature does not match — here is why.',
    unknown: 'The signature does not match, and no common mistake explains it.',
    malformed: 'This is not a Tarlan signature.',
  };
  box.append(el('h4', {}, titles[d.verdict] ?? d.verdict));
  if (d.mistakes.length) {
    const list = el('ol', { class: 'mistakes' });
    for (const m of d.mistakes) {
      list.append(el('li', { 'data-mistake': m.id }, el('strong', {}, rich(m.title)), el('br'), rich(m.explanation), el('br'), el('em', { class: 'fix' }, rich(m.fix))));
    }
    box.append(list);
  }
  if (d.verdict === 'unknown' || d.verdict === 'malformed') box.append(el('p', {}, rich(d.message)));
  if (d.reproduced) {
    box.append(el('p', {}, 'What was signed instead:'), el('pre', { class: 'value' }, d.reproduced.text), el('p', { class: 'hint' }, `hashed as ${d.reproduced.hashed}`));
  }
  box.append(el('p', { class: 'hint' }, `Expected ${d.expected}`));
  lab.diagnosis.replaceChildren(box);
}

function checkSignature(event) {
  event?.preventDefault();
  try {
    renderDiagnosis(kassa.diagnoseSignature(lab.body.value, lab.secret.value, lab.received.value));
  } catch (error) {
    lab.diagnosis.replaceChildren(el('p', { class: 'error', role: 'alert' }, errorText(error)));
  }
}

lab.example.addEventListener('change', () => loadExample(lab.example.value));
lab.body.addEventListener('input', () => { lab.example.value = 'custom'; updateLab(); });
lab.secret.addEventListener('input', updateLab);
lab.host.addEventListener('change', () => {
  const ex = SIGNATURE_EXAMPLES.find((e) => e.id === lab.example.value);
  lab.url.value = HOSTS[lab.host.value] + (ex && ex.host === lab.host.value ? ex.path : '/');
  updateLab();
});
lab.url.addEventListener('input', updateLab);
$('lab-verify').addEventListener('submit', checkSignature);
$('lab-form').addEventListener('submit', (event) => event.preventDefault());
$('lab-secret-toggle').addEventListener('click', (event) => {
  const shown = lab.secret.type === 'text';
  lab.secret.type = shown ? 'password' : 'text';
  event.currentTarget.textContent = shown ? 'Show' : 'Hide';
  event.currentTarget.setAttribute('aria-pressed', String(!shown));
});

// --- clients (shared by the builder and the decoder) ------------------------------------

function makeClient(provider, optionsText) {
  const options = optionsText === undefined ? provider.options : JSON.parse(optionsText);
  return new kassa[provider.cls](options);
}

/** The operations of a provider, from the package's own description. */
function describeProvider(provider) {
  try {
    return makeClient(provider).describe();
  } catch {
    return [];
  }
}

function fillProviders(select) {
  for (const p of PROVIDERS) {
    const count = describeProvider(p).length;
    const option = new Option(`${p.title} (${p.cls}) — ${count} operation${count === 1 ? '' : 's'}`, p.id);
    option.disabled = count === 0;
    select.append(option);
  }
}

function fillOperations(select, provider) {
  select.replaceChildren();
  for (const op of describeProvider(provider)) select.append(new Option(`${op.name} — ${op.method} ${op.path}`, op.name));
}

/** A value that satisfies a parameter's declared type, for a first build. */
function sampleValue(param) {
  const type = param.type;
  const name = param.name.toLowerCase();
  const literal = /^'([^']*)'/.exec(type);
  if (literal) return literal[1];
  if (type.startsWith('Array<')) return [];
  if (type === 'boolean') return false;
  if (type === 'number') return name.includes('amount') || name.includes('price') ? 100 : 1;
  if (type.startsWith('number')) return 100;
  if (type.startsWith('Record<') || /^[A-Z]/.test(type)) return {};
  if (name.includes('url')) return 'https://shop.example/callback';
  if (name.includes('datetime') || name.endsWith('date') || name.endsWith('_at')) return new Date(0).toISOString().replace('.000', '');
  if (name.includes('email')) return 'buyer@example.com';
  if (name.includes('phone')) return '77001234567';
  if (type.includes('number')) return '1';
  return '1001';
}

function sampleParams(providerId, op, options) {
  const known = PARAM_EXAMPLES[`${providerId}.${op.name}`];
  if (known) return known;
  const params = {};
  for (const p of op.params) {
    const fromOptions = p.fromOptions && options && options[p.option] !== undefined;
    if (p.required && !fromOptions) params[p.name] = sampleValue(p);
  }
  return params;
}

// --- request builder --------------------------------------------------------------------

const rb = {
  provider: $('rb-provider'), options: $('rb-options'), operation: $('rb-operation'), summary: $('rb-summary'),
  params: $('rb-params'), table: $('rb-param-table'), error: $('rb-error'), request: $('rb-request'), curl: $('rb-curl'),
};

const providerById = (id) => PROVIDERS.find((p) => p.id === id);

function rbProviderChanged() {
  const provider = providerById(rb.provider.value);
  rb.options.value = pretty(provider.options);
  fillOperations(rb.operation, provider);
  rbOperationChanged();
}

function currentOperation(provider, name) {
  return describeProvider(provider).find((op) => op.name === name);
}

function rbOperationChanged() {
  const provider = providerById(rb.provider.value);
  const op = currentOperation(provider, rb.operation.value);
  rb.request.textContent = '';
  rb.curl.textContent = '';
  showError(rb.error, null);
  if (!op) {
    rb.summary.textContent = 'This client has no operations in this build.';
    rb.params.value = '{}';
    rb.table.replaceChildren();
    return;
  }
  rb.summary.replaceChildren(rich(`${op.summary} (${op.class})`));
  let options;
  try {
    options = JSON.parse(rb.options.value);
  } catch {
    options = provider.options;
  }
  rb.params.value = pretty(sampleParams(provider.id, op, options));
  rb.table.replaceChildren(
    el('tr', {}, el('th', {}, 'name'), el('th', {}, 'type'), el('th', {}, 'required'), el('th', {}, 'notes')),
    ...op.params.map((p) => el('tr', {}, el('td', {}, el('code', {}, p.name)), el('td', {}, el('code', {}, p.type)),
      el('td', {}, p.required ? 'yes' : 'no'), el('td', {}, [p.fromOptions ? `from client option ${p.option}` : '', p.doc].filter(Boolean).join('; ')))),
  );
  buildRequest();
}

function formatRequest(request) {
  const lines = [`${request.method} ${request.url}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  if (request.body != null) lines.push('', request.body);
  return lines.join('\n');
}

function buildRequest(event) {
  event?.preventDefault();
  const provider = providerById(rb.provider.value);
  rb.request.textContent = '';
  rb.curl.textContent = '';
  try {
    const client = makeClient(provider, rb.options.value);
    const params = JSON.parse(rb.params.value || '{}');
    const request = client.build(rb.operation.value, params);
    rb.request.textContent = formatRequest(request);
    rb.curl.textContent = client.curl(rb.operation.value, params);
    showError(rb.error, null);
  } catch (error) {
    showError(rb.error, error);
  }
}

fillProviders(rb.provider);
rb.provider.addEventListener('change', rbProviderChanged);
rb.operation.addEventListener('change', rbOperationChanged);
$('rb-form').addEventListener('submit', buildRequest);
// Live: the request follows the parameters and options as they are typed.
let rbTimer;
for (const input of [rb.params, rb.options]) {
  input.addEventListener('input', () => {
    clearTimeout(rbTimer);
    rbTimer = setTimeout(buildRequest, 250);
  });
}

// --- response decoder -------------------------------------------------------------------

const rd = {
  provider: $('rd-provider'), operation: $('rd-operation'), status: $('rd-status'), body: $('rd-body'),
  error: $('rd-error'), result: $('rd-result'),
};

function showDecodeError(error) {
  rd.error.hidden = false;
  const facts = [];
  if (error instanceof kassa.KassaError) {
    const fields = [['kind', error.kind], ['code', error.code], ['HTTP status', error.httpStatus], ['retryable', String(error.retryable)],
      ['field', error.field], ['reference', error.reference && JSON.stringify(error.reference)],
      ['details', Object.keys(error.details ?? {}).length ? JSON.stringify(error.details) : null]];
    for (const [name, value] of fields) if (value != null) facts.push(el('dt', {}, name), el('dd', {}, String(value)));
  }
  rd.error.replaceChildren(el('h3', {}, error instanceof kassa.KassaError ? `KassaError (${error.kind})` : 'Error'),
    el('p', { class: 'message' }, error?.message ?? String(error)), el('dl', {}, ...facts));
}

function decodeResponse(event) {
  event?.preventDefault();
  const provider = providerById(rd.provider.value);
  rd.result.textContent = '';
  rd.error.hidden = true;
  rd.error.replaceChildren();
  try {
    const client = makeClient(provider);
    const result = client.parse(rd.operation.value, {
      status: Number(rd.status.value),
      headers: { 'content-type': 'application/json' },
      body: rd.body.value,
    });
    rd.result.textContent = pretty(result);
  } catch (error) {
    showDecodeError(error);
  }
}

fillProviders(rd.provider);
rd.provider.addEventListener('change', () => fillOperations(rd.operation, providerById(rd.provider.value)));
$('rd-form').addEventListener('submit', decodeResponse);

// --- Soliq receipt links ----------------------------------------------------------------

const sq = { url: $('sq-url'), error: $('sq-error'), result: $('sq-result') };


$('sq-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sq.result.textContent = '';
  try {
    sq.result.textContent = pretty(kassa.parseSoliqQr(sq.url.value));
    showError(sq.error, null);
  } catch (error) {
    showError(sq.error, error);
  }
});

// --- start --------------------------------------------------------------------------------

loadExample('cash-in');
rb.provider.value = 'agws';
rbProviderChanged();
rd.provider.value = RESPONSE_EXAMPLE.provider;
fillOperations(rd.operation, providerById(RESPONSE_EXAMPLE.provider));
rd.operation.value = RESPONSE_EXAMPLE.operation;
rd.status.value = String(RESPONSE_EXAMPLE.status);
rd.body.value = RESPONSE_EXAMPLE.body;
decodeResponse();
$('status').textContent = 'Ready — running offline in this page.';
document.documentElement.dataset.ready = 'true';

//! Assist fiscal web services (spec/assist.md): `fiscalReceipt` (read the receipt Assist made
//! for an operation) and `fiscalize` (have Assist fiscalize an operation made elsewhere).
//!
//! Requests are form posts with `Format=5` (JSON answers) by default, or SOAP envelopes with
//! the client option `format: 'soap'`. Credentials (`Merchant_ID`/`Login`/`Password`) travel in
//! the body as documented and are kept as secrets everywhere else. Answers are read tolerantly:
//! JSON with or without a root named after the service, SOAP with any prefixes (matched by
//! namespace and local name), field names case-insensitive, `chequeItems` decoded a second time.

pub mod cheque;
pub mod codes;
pub mod flow;
pub mod receipt;
pub mod xml;

use crate::codes::{CodeTable, Outcome};
use crate::config::{Choice, Config, ProviderSettings, Secret, TRANSPORT_OPTIONS};
use crate::error::{ErrorCode, ErrorKind, KassaError, Result};
use crate::helper::{arg, str_arg, Helper, HelperFn};
use crate::http::{
    self, encode_pairs, join_url, parse_response_json, HttpRequest, HttpResponse, Method,
};
use crate::journal;
use crate::json::{Json, Map};
use crate::operation::{BuildCtx, OpClass, Operation, Probe, Resolve, Settle};
use crate::provider::ProviderDef;
use crate::schema::{native_only, Check, Extra, Field, Ty};
use codes::Advice;
use xml::Element;

pub const PROVIDER_ID: &str = "assist";
const TITLE: &str = "Assist";

pub const SOAP_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const SOAP12_ENV_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
pub const ASSIST_WS_NS: &str = "http://www.paysecure.ru/ws/";

/// Known Assist servers (spec §0.1). No Kazakhstan host is documented: Assist issues the
/// server name per merchant, so `baseUrl` (or one of these presets as `server`) is required.
pub const SERVERS: [(&str, &str, &str); 5] = [
    (
        "ru",
        "https://payments.paysecure.ru",
        "Assist Russia production",
    ),
    (
        "ruDemo",
        "https://payments.demo.paysecure.ru",
        "Assist Russia test (demo)",
    ),
    (
        "ruTest",
        "https://test.paysecure.ru",
        "Assist Russia test (older)",
    ),
    (
        "by",
        "https://payments.paysec.by",
        "Assist Belarus production",
    ),
    ("byTest", "https://test.paysec.by", "Assist Belarus test"),
];

pub fn server_url(name: &str) -> Option<&'static str> {
    SERVERS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, url, _)| *url)
}

// ---------------------------------------------------------------------------------------
// Field rules

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

static DIGITS: Check = Check {
    rule: "must be a number (digits only)",
    test: |v| v.as_text().is_some_and(all_digits),
};

static LOGIN_RULE: Check = Check {
    rule: "must be at most 20 characters (the Assist service user's login)",
    test: |v| v.as_str().is_some_and(|s| s.chars().count() <= 20),
};

static PASSWORD_RULE: Check = Check {
    rule: "must be at most 30 characters (the Assist service user's password)",
    test: |v| v.as_str().is_some_and(|s| s.chars().count() <= 30),
};

static BILLNUMBER_RULE: Check = Check {
    rule:
        "must be Assist's operation number in extended format: 15 or 16 digits, passed as a string",
    test: |v| {
        v.as_str()
            .is_some_and(|s| all_digits(s) && (15..=16).contains(&s.len()))
    },
};

static PAYMENT_ID_RULE: Check = Check {
    rule: "must be at most 255 characters",
    test: |v| v.as_str().is_some_and(|s| s.chars().count() <= 255),
};

static FULL_RECEIPT_RULE: Check = Check {
    rule: "must be true/false or 1/0",
    test: |v| matches!(v, Json::Bool(_)) || matches!(v.as_i64(), Some(0 | 1)),
};

static EMAIL_RULE: Check = Check {
    rule: "must be an e-mail address of at most 128 characters",
    test: |v| {
        v.as_str().is_some_and(|s| {
            let parts: Vec<&str> = s.split('@').collect();
            s.len() <= 128
                && parts.len() == 2
                && parts.iter().all(|p| !p.is_empty())
                && !s.contains(char::is_whitespace)
        })
    },
};

static PHONE_RULE: Check = Check {
    rule: "must be the phone number as digits only with the country code and no `+`, at least 11 digits (e.g. 77011234567)",
    test: |v| v.as_text().is_some_and(|s| all_digits(s) && (11..=15).contains(&s.len())),
};

// ---------------------------------------------------------------------------------------
// Shared fields

const MERCHANT_ID: Field = Field::req(
    "Merchant_ID",
    Ty::OneOf(&[Ty::Int, Ty::Str]),
    "Merchant id in Assist (client option `merchantId`).",
)
.check(&DIGITS);
const LOGIN: Field = Field::req(
    "Login",
    Ty::Str,
    "Service user login, ≤ 20 chars (client option `login`).",
)
.check(&LOGIN_RULE);
const PASSWORD: Field = Field::req(
    "Password",
    Ty::Str,
    "Service user password, ≤ 30 chars (client option `password`; never logged).",
)
.check(&PASSWORD_RULE);
const CREDENTIALS: [&str; 3] = ["Merchant_ID", "Login", "Password"];

const BILLNUMBER: Field = Field::opt(
    "Billnumber",
    Ty::Str,
    "Assist operation number (extended format, 15 or 16 digits, as a string).",
)
.check(&BILLNUMBER_RULE);
const PAYMENT_ID: Field = Field::opt(
    "Payment_ID",
    Ty::Str,
    "Merchant-side id of an external operation fiscalized with `fiscalize` (≤ 255 chars).",
)
.check(&PAYMENT_ID_RULE);

const OUTCOME_TY: Ty = Ty::Enum(&["success", "pending", "failed"]);
/// The statuses a result reports (`codes::canonical_status` of every `receiptStatuses` entry;
/// a test keeps the two in step).
pub const STATUS_VALUES: &[&str] = &[
    "New",
    "Success",
    "CreateError",
    "IN_PROGRESS",
    "REQUESTED",
    "ERRORRE",
    "ERROR",
];

const RECEIPT_ERROR: Ty = Ty::Named(
    "AssistReceiptError",
    &[
        Field::req("code", Ty::Nullable(&Ty::Int), "The errortext ID (seed 002's table) when Assist sent one or the text is documented, else null."),
        Field::req("text", Ty::Str, "The `errortext` exactly as Assist sent it."),
        Field::req("documented", Ty::Bool, "True when the ID or the text is among the 13 examples of seed 002."),
        Field::req("message", Ty::Str, "Assist's documented text for the ID (seed 002), empty when not documented."),
        Field::req("meaning", Ty::Str, "What it means (the documented text in English), or that it is not among the documented examples."),
        Field::req("advice", Ty::Nullable(&Ty::Enum(&["correct_and_fiscalize_again", "look_up_later", "contact_assist"])), "What to do, as a class: data errors → correct the cheque and fiscalize again; 8006, 868, 19521 → look the receipt up again later; 456, 155 → terminal set-up, contact Assist. Null when not documented."),
        Field::req("action", Ty::Str, "What to do, in words."),
        Field::req("retryable", Ty::Bool, "True when looking the receipt up again later can help (the transient class)."),
    ],
);

const RECEIPT_FIELDS: [Field; 38] = [
    Field::opt("billnumber", Ty::Str, "Assist operation number the receipt belongs to (when it identified the receipt)."),
    Field::opt("Payment_ID", Ty::Str, "External operation id (when it identified the receipt)."),
    Field::opt("fiscalreceipt_ID", Ty::Str, "Receipt id (kept as a string: exact)."),
    Field::opt("receipttype", Ty::Str, "Receipt type (normal / usage / correction; values not published)."),
    Field::req("status", Ty::Enum(STATUS_VALUES), "Receipt status: New, Success or CreateError (seed 002); a legacy spelling is reported as the current status it stands for (NEW → New, SUCCESS → Success, CREAREERROR → CreateError) or as itself (IN_PROGRESS, REQUESTED, ERRORRE, ERROR); unknown values kept as sent."),
    Field::opt("chequeItems", Ty::Str, "The items as the JSON text Assist sent (decoded into `items`)."),
    Field::opt("fiscal_receipt_number", Ty::Str, "Receipt number within the shift."),
    Field::opt("shift_number", Ty::Str, "Shift number."),
    Field::opt("receipt_datetime", Ty::Str, "Date-time of the document from the fiscal drive, verbatim (format not documented)."),
    Field::opt("total", Ty::Decimal, "Document total, exact decimal string."),
    Field::opt("fn_number", Ty::Str, "Fiscal drive (ФН) number."),
    Field::opt("ecr_registration_number", Ty::Str, "Cash register (ККТ) registration number."),
    Field::opt("fiscal_document_number", Ty::Str, "Fiscal document number."),
    Field::opt("fiscal_document_attribute", Ty::Str, "Fiscal sign of the document (ФП/ФПД)."),
    Field::opt("errortext", Ty::Str, "Error text of the receipt (explained in `receipt_error`)."),
    Field::opt("taxationsystem", Ty::Str, "Taxation system code (values not published)."),
    Field::opt("merchant_name", Ty::Str, "Merchant name (full receipt)."),
    Field::opt("merchant_INN", Ty::Str, "Merchant INN/BIN (full receipt)."),
    Field::opt("calc_type", Ty::Any, "Calculation sign (full receipt; type not documented)."),
    Field::opt("payment_types", Ty::Any, "Payment form(s) (full receipt; type not documented)."),
    Field::opt("tax_items", Ty::Any, "Tax amounts per rate (full receipt; type not documented)."),
    Field::opt("cashier", Ty::Str, "Cashier (full receipt)."),
    Field::opt("calc_adr", Ty::Str, "Place-of-settlement address (full receipt)."),
    Field::opt("calc_dsc", Ty::Str, "Place of settlement (full receipt)."),
    Field::opt("fris_site", Ty::Str, "Tax-service site address (full receipt)."),
    Field::opt("sale_email", Ty::Str, "Receipt sender e-mail (full receipt)."),
    Field::opt("url", Ty::Str, "Address of the receipt in external storage."),
    Field::computed("status_raw", Ty::Nullable(&Ty::Str), "The status as sent when its spelling differed from the reported one (\"SUCCESS\", \"CREAREERROR\", \"success\"), else null."),
    Field::computed("status_known", Ty::Bool, "False when the status is not in `receiptStatuses` (then `outcome` is 'pending')."),
    Field::computed("status_legacy", Ty::Bool, "True when Assist sent a spelling of the older page revision (spec/assist.md §1.3: NEW, IN_PROGRESS, REQUESTED, ERRORRE, SUCCESS, CREAREERROR, ERROR)."),
    Field::computed("outcome", OUTCOME_TY, "'success' (Success), 'failed' (CreateError), 'pending' (New, the legacy statuses without a current equivalent, and unknown values)."),
    Field::computed("is_final", Ty::Bool, "True when the status will not change any more."),
    Field::computed("items", Ty::Nullable(&cheque::ITEMS), "`chequeItems` decoded into typed items (null when absent or not decodable)."),
    Field::computed("items_error", Ty::Nullable(&Ty::Str), "Why `chequeItems` could not be decoded, else null."),
    Field::computed("receipt_error", Ty::Nullable(&RECEIPT_ERROR), "`errortext` explained (null when there is none)."),
    Field::computed("other_receipts", Ty::Array(&Ty::AnyObject), "Further receipts when Assist returned several for the identifier (each shaped like this one); usually empty."),
    Field::computed("format", Ty::Enum(&["json", "soap", "xml"]), "The answer's format."),
    Field::computed("service", Ty::Str, "The service that answered (`fiscalreceipt`)."),
];

const RECEIPT: Ty = Ty::Named("AssistFiscalReceipt", &RECEIPT_FIELDS);

const FISCALIZE_RESULT: Ty = Ty::Named(
    "AssistFiscalizeResult",
    &[
        Field::req(
            "fiscalreceipt_ID",
            Ty::Str,
            "Id of the receipt Assist generated (kept as a string); read it with `fiscalReceipt`.",
        ),
        Field::opt(
            "Payment_ID",
            Ty::Str,
            "The external operation id, when echoed.",
        ),
        Field::opt(
            "billnumber",
            Ty::Str,
            "The Assist operation number, when echoed.",
        ),
        Field::computed(
            "format",
            Ty::Enum(&["json", "soap", "xml"]),
            "The answer's format.",
        ),
        Field::computed(
            "service",
            Ty::Str,
            "The service that answered (`fiscalize`).",
        ),
    ],
);

/// Response fields whose documented spelling is restored when Assist varies the case.
const CANONICAL_KEYS: [&str; 27] = [
    "billnumber",
    "Payment_ID",
    "fiscalreceipt_ID",
    "receipttype",
    "status",
    "chequeItems",
    "fiscal_receipt_number",
    "shift_number",
    "receipt_datetime",
    "total",
    "fn_number",
    "ecr_registration_number",
    "fiscal_document_number",
    "fiscal_document_attribute",
    "errortext",
    "taxationsystem",
    "merchant_name",
    "merchant_INN",
    "calc_type",
    "payment_types",
    "tax_items",
    "cashier",
    "calc_adr",
    "calc_dsc",
    "fris_site",
    "sale_email",
    "url",
];

/// Response fields that are strings even when Assist prints them as numbers (ids, numbers of
/// documents): kept as exact text.
const TEXT_KEYS: [&str; 15] = [
    "billnumber",
    "Payment_ID",
    "fiscalreceipt_ID",
    "receipttype",
    "status",
    "fiscal_receipt_number",
    "shift_number",
    "receipt_datetime",
    "fn_number",
    "ecr_registration_number",
    "fiscal_document_number",
    "fiscal_document_attribute",
    "errortext",
    "taxationsystem",
    "merchant_INN",
];

// ---------------------------------------------------------------------------------------
// Operation table

pub static OPERATIONS: [Operation; 2] = [
    Operation::new("fiscalReceipt", Method::Post, "/fiscal/fiscalreceipt.cfm")
        .summary("Get the fiscal receipt of an operation: by Billnumber, Payment_ID or Fiscalreceipt_ID (exactly one)")
        .reference(&["Billnumber", "Payment_ID", "Fiscalreceipt_ID"])
        .params(&[
            MERCHANT_ID,
            LOGIN,
            PASSWORD,
            BILLNUMBER,
            PAYMENT_ID,
            Field::opt("Fiscalreceipt_ID", Ty::OneOf(&[Ty::Int, Ty::Str]), "Receipt id (as returned by `fiscalize`).").check(&DIGITS),
            Field::opt("Full_receipt", Ty::OneOf(&[Ty::Bool, Ty::Int]), "Ask for the full receipt requisites (merchant_name, tax_items, ...): true or 1. Semantics truncated in the docs.").check(&FULL_RECEIPT_RULE),
        ])
        .from_options(&CREDENTIALS)
        .prefill(prefill)
        .check(check_fiscal_receipt)
        .result(RECEIPT)
        .finish(finish_receipt),
    Operation::new("fiscalize", Method::Post, "/fiscal/fiscalize.cfm")
        .summary("Fiscalize an operation made outside Assist; returns the receipt id (read the receipt with fiscalReceipt)")
        .class(OpClass::Write)
        .reference(&["Payment_ID", "Billnumber"])
        .resolve(Resolve {
            operation: "fiscalReceipt",
            copy: &[("Payment_ID", "Payment_ID"), ("Billnumber", "Billnumber")],
            fixed: &[],
            duplicate_codes: &[],
        })
        .settle(Settle {
            key: &["Payment_ID", "Billnumber"],
            answered: Outcome::Pending,
            probe: Probe::Resolve,
            // No "not found" code is published: a receipt that cannot be found stays unknown.
            judge: |evidence| match evidence.answer {
                Ok(receipt) => journal::reported(receipt),
                Err(e) => journal::inconclusive(e),
            },
        })
        .params(&[
            MERCHANT_ID,
            LOGIN,
            PASSWORD,
            Field::opt("Billnumber", Ty::Str, "Extended number of an earlier Assist payment or cancellation to fiscalize (15 or 16 digits); exactly one of Billnumber / Payment_ID.").check(&BILLNUMBER_RULE),
            Field::opt("Payment_ID", Ty::Str, "Unique id of the operation/receipt in your system (≤ 255 chars); exactly one of Billnumber / Payment_ID. Look the receipt up by it.").check(&PAYMENT_ID_RULE),
            Field::req("Type", Ty::Enum(&["sell", "sell_refund"]), "'sell' (sale; with Billnumber: a payment) or 'sell_refund' (refund; with Billnumber: a cancellation)."),
            Field::opt("Email", Ty::Str, "E-mail to send the receipt to (≤ 128 chars); Email or Phone is required.").check(&EMAIL_RULE),
            Field::opt("Phone", Ty::OneOf(&[Ty::Str, Ty::Int]), "Phone to send the receipt to: digits with country code, no `+` (≥ 11 digits); Email or Phone is required.").check(&PHONE_RULE),
            Field::opt("PaymentType", Ty::Int, "Payment kind (values not published)."),
            Field::opt("ReceiptType", Ty::Str, "Receipt type, e.g. 'normal' (others inferred: 'usage', 'correction')."),
            Field::opt("TaxationSystem", Ty::OneOf(&[Ty::Int, Ty::Str]), "Taxation system code (values not published)."),
            Field::opt("Tax", Ty::Str, "Request-level tax rate for items without `tax`."),
            Field::opt("FPMode", Ty::Int, "Request-level settlement method for items without `fpmode`."),
            Field::req("ChequeItems", cheque::ITEMS, "The receipt positions (an array, `{items: [...]}` or its JSON text); validated and sent as Assist's `{\"items\":[...]}` JSON."),
        ])
        .extra(Extra::PassThrough)
        .from_options(&CREDENTIALS)
        .prefill(prefill)
        .check(check_fiscalize)
        .result(FISCALIZE_RESULT),
];

pub static TABLES: [&CodeTable; 3] = [
    &codes::RECEIPT_STATUSES,
    &codes::RECEIPT_ERRORS,
    &codes::ERRORS,
];

pub static OPTIONS: [Field; 10] = [
    Field::opt("merchantId", Ty::OneOf(&[Ty::Int, Ty::Str]), "Merchant_ID issued by Assist, merged into every request."),
    Field::opt("login", Ty::Str, "Login of the Assist service user (≤ 20 chars); sent in the body, never logged."),
    Field::opt("password", Ty::Str, "Password of the Assist service user (≤ 30 chars); sent in the body, never logged."),
    Field::opt("baseUrl", Ty::Str, "Assist server issued to you, e.g. https://payments.paysecure.ru. Required unless `server` is given: no Kazakhstan host is documented."),
    Field::opt("server", Ty::Enum(&["ru", "ruDemo", "ruTest", "by", "byTest"]), "A known Assist server instead of baseUrl (see AssistFiscal.servers())."),
    Field::opt("format", Ty::Enum(RequestFormat::NAMES), "'json' (form post with Format=5, default) or 'soap' (SOAP envelope, Format=4)."),
    Field::opt("merchantTaxDefaults", Ty::Bool, "true when the tax/fpmode defaults set in your Assist personal account apply: items may then omit `tax` (default false: each item or a request-level Tax must give it)."),
    Field::opt("soapItems", Ty::Enum(SoapItems::NAMES), "How ChequeItems travel in SOAP: 'xml' (<chequeitem> elements, the documented XML form; default) or 'json' (the JSON text)."),
    TRANSPORT_OPTIONS[0],
    TRANSPORT_OPTIONS[1],
];

pub static PROVIDER: ProviderDef = ProviderDef {
    id: PROVIDER_ID,
    title: TITLE,
    class_name: "AssistFiscal",
    options: &OPTIONS,
    ops: &OPERATIONS,
    configure,
    encode,
    envelope,
    tables: &TABLES,
    helpers: &HELPERS,
    flows: &flow::FLOWS,
    receipt: Some(receipt::to_receipt),
    notification: None,
};

// ---------------------------------------------------------------------------------------
// Configuration

fn configure(options: &Map) -> Result<Config> {
    let server = options.get("server").and_then(Json::as_str);
    let has_base = options.get("baseUrl").is_some_and(|v| !v.is_null());
    let preset = match (server, has_base) {
        (Some(_), true) => {
            return Err(KassaError::config(
                "server",
                "and `baseUrl` were both given: pass only one of them",
            ))
        }
        (Some(name), false) => Some(
            server_url(name)
                .ok_or_else(|| KassaError::config("server", "is not a known Assist server"))?,
        ),
        (None, _) => None,
    };
    if !has_base && preset.is_none() {
        return Err(KassaError::config(
            "baseUrl",
            format!(
                "is required: Assist issues the server name to each merchant and no Kazakhstan host is documented. Pass baseUrl (the server from your Assist contract), or a known server as `server`: {}",
                SERVERS
                    .iter()
                    .map(|(n, u, _)| format!("'{n}' ({u})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let mut config = Config::from_options(PROVIDER_ID, options, preset)?;
    if let Some(id) = options.get("merchantId") {
        if !id.as_text().is_some_and(all_digits) {
            return Err(KassaError::config(
                "merchantId",
                "must be the numeric Merchant_ID issued by Assist",
            ));
        }
        config.defaults.insert("Merchant_ID", id.clone());
    }
    for (option, wire, max) in [("login", "Login", 20), ("password", "Password", 30)] {
        if let Some(value) = options.get(option).and_then(Json::as_str) {
            if value.is_empty() || value.chars().count() > max {
                return Err(KassaError::config(
                    option,
                    format!("must be 1 to {max} characters"),
                ));
            }
            config.credentials.push((wire, Secret::new(value)));
        }
    }
    Ok(config.with_settings(Settings {
        format: RequestFormat::read(options, "format"),
        soap_items: SoapItems::read(options, "soapItems"),
        merchant_tax_defaults: options
            .get("merchantTaxDefaults")
            .and_then(Json::as_bool)
            .unwrap_or(false),
    }))
}

crate::choice! {
    /// How requests travel: a form post answered in JSON (`Format=5`) or a SOAP envelope.
    pub enum RequestFormat {
        Json = "json",
        Soap = "soap",
    }
}

crate::choice! {
    /// How `ChequeItems` travel in SOAP: `<chequeitem>` elements (documented) or the JSON text.
    pub enum SoapItems {
        Xml = "xml",
        Json = "json",
    }
}

/// What the Assist options chose beyond the shared ones.
#[derive(Debug)]
struct Settings {
    format: RequestFormat,
    soap_items: SoapItems,
    /// The merchant's account at Assist carries tax defaults, so items may omit `tax`.
    merchant_tax_defaults: bool,
}

static DEFAULT_SETTINGS: Settings = Settings {
    format: RequestFormat::DEFAULT,
    soap_items: SoapItems::DEFAULT,
    merchant_tax_defaults: false,
};

impl ProviderSettings for Settings {
    fn describe(&self) -> Map {
        let mut m = Map::new();
        m.insert("format", Json::str(self.format.name()));
        m.insert("soapItems", Json::str(self.soap_items.name()));
        m.insert(
            "merchantTaxDefaults",
            Json::Bool(self.merchant_tax_defaults),
        );
        m
    }
}

fn settings_of(config: &Config) -> &Settings {
    config.settings().unwrap_or(&DEFAULT_SETTINGS)
}

// ---------------------------------------------------------------------------------------
// Hooks

/// Parameter names are case-insensitive at Assist (`BillNumber`, `billnumber`): restore the
/// documented spelling so validation, the identifier rules and the wire see one name. Also
/// accepts ChequeItems as `{items: [...]}` or JSON text.
fn prefill(params: &mut Map, _ctx: &BuildCtx) {
    let known: Vec<&'static str> = OPERATIONS
        .iter()
        .flat_map(|op| op.params.iter().map(|f| f.name))
        .collect();
    let renames: Vec<(String, &'static str)> = params
        .keys()
        .filter_map(|k| {
            let canonical = known
                .iter()
                .find(|n| n.eq_ignore_ascii_case(k) && **n != k)?;
            Some((k.to_string(), *canonical))
        })
        .collect();
    for (from, to) in renames {
        if let Some(value) = params.remove(&from) {
            params.insert(to, value);
        }
    }
    if let Some(items) = params.get("ChequeItems") {
        if !matches!(items, Json::Array(_)) {
            if let Ok(array) = cheque::unwrap_items(items, "ChequeItems") {
                params.insert("ChequeItems", array);
            }
        }
    }
}

fn given(params: &Map, names: &[&'static str]) -> Vec<&'static str> {
    names
        .iter()
        .copied()
        .filter(|n| params.get(n).is_some_and(|v| !v.is_null()))
        .collect()
}

fn exactly_one(params: &Map, names: &[&'static str]) -> Result<()> {
    let present = given(params, names);
    let list = names.join(", ");
    match present.as_slice() {
        [_] => Ok(()),
        [] => Err(KassaError::validation(
            names.join("/"),
            format!("is missing: give exactly one of {list}"),
        )),
        [first, rest @ ..] => Err(KassaError::validation(
            *first,
            format!(
                "conflicts with {}: give exactly one of {list}, not several",
                rest.iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        )),
    }
}

fn check_fiscal_receipt(params: &Map, _config: &Config) -> Result<()> {
    exactly_one(params, &["Billnumber", "Payment_ID", "Fiscalreceipt_ID"])
}

fn cheque_rules(params: &Map, config: &Config) -> cheque::Rules {
    let tax_defaults = settings_of(config).merchant_tax_defaults;
    cheque::Rules {
        require_tax: !tax_defaults && params.get("Tax").is_none(),
        forbid_tax: false,
    }
}

fn fiscalize_cheque(params: &Map, config: &Config) -> Result<cheque::Cheque> {
    let items = params.get("ChequeItems").cloned().unwrap_or(Json::Null);
    cheque::from_input(&items, cheque_rules(params, config), "ChequeItems")
}

fn check_fiscalize(params: &Map, config: &Config) -> Result<()> {
    exactly_one(params, &["Billnumber", "Payment_ID"])?;
    if given(params, &["Email", "Phone"]).is_empty() {
        return Err(KassaError::validation(
            "Email/Phone",
            "is missing: give Email or Phone (where Assist sends the receipt)",
        ));
    }
    if let Some(key) = params.keys().find(|k| k.eq_ignore_ascii_case("format")) {
        return Err(KassaError::validation(
            key,
            "is set by the client (option `format`: 'json' or 'soap'); remove it from params",
        ));
    }
    // Pass-through names become form keys and SOAP element names: plain names only.
    let plain = |k: &str| {
        k.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    if let Some(key) = params.keys().find(|k| !plain(k)) {
        return Err(KassaError::validation(
            key,
            "is not a valid Assist parameter name (letters, digits, `_`, `-`, `.`; starting with a letter)",
        ));
    }
    fiscalize_cheque(params, config).map(|_| ())
}

// ---------------------------------------------------------------------------------------
// Requests

/// `fiscalreceipt` for `/fiscal/fiscalreceipt.cfm`.
fn service_of(op: &Operation) -> &'static str {
    let file = op.path.rsplit('/').next().unwrap_or(op.path);
    file.strip_suffix(".cfm").unwrap_or(file)
}

fn wire_text(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.literal().to_string(),
        Json::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        Json::Null => String::new(),
        other => other.to_compact(),
    }
}

/// Params in wire order: credentials, the table's order, then pass-through extras.
fn ordered(op: &Operation, mut params: Map) -> Vec<(String, Json)> {
    let mut out = Vec::new();
    for field in op.params {
        if let Some(v) = params.remove(field.name) {
            out.push((field.name.to_string(), v));
        }
    }
    out.extend(params.iter().map(|(k, v)| (k.clone(), v.clone())));
    out
}

fn encode(config: &Config, op: &Operation, params: Map, _ctx: &BuildCtx) -> Result<HttpRequest> {
    let service = service_of(op);
    let cheque = if params.contains_key("ChequeItems") {
        Some(fiscalize_cheque(&params, config)?)
    } else {
        None
    };
    let url = join_url(&config.base_url, op.path);
    let fields = ordered(op, params);
    let settings = settings_of(config);
    match settings.format {
        RequestFormat::Soap => {
            let mut inner = String::new();
            for (key, value) in &fields {
                let tag = key.to_ascii_lowercase();
                inner.push('<');
                inner.push_str(&tag);
                inner.push('>');
                match (&cheque, key.as_str(), settings.soap_items) {
                    (Some(c), "ChequeItems", SoapItems::Json) => {
                        xml::escape(key, &c.wire_text(), &mut inner)?
                    }
                    (Some(c), "ChequeItems", _) => c.to_xml(key, &mut inner)?,
                    _ => xml::escape(key, &wire_text(value), &mut inner)?,
                }
                inner.push_str("</");
                inner.push_str(&tag);
                inner.push('>');
            }
            inner.push_str("<format>4</format>");
            let body = format!(
                "<soapenv:Envelope xmlns:soapenv=\"{SOAP_ENV_NS}\" xmlns:ws=\"{ASSIST_WS_NS}\"><soapenv:Header/><soapenv:Body><ws:{service}>{inner}</ws:{service}></soapenv:Body></soapenv:Envelope>"
            );
            Ok(HttpRequest {
                method: Method::Post,
                url,
                headers: vec![
                    ("Content-Type".into(), "text/xml; charset=utf-8".into()),
                    ("SOAPAction".into(), format!("{ASSIST_WS_NS}{service}")),
                ],
                body: Some(body),
            })
        }
        _ => {
            let mut pairs: Vec<(String, String)> = fields
                .iter()
                .map(|(k, v)| {
                    let text = match (&cheque, k.as_str()) {
                        (Some(c), "ChequeItems") => c.wire_text(),
                        _ => wire_text(v),
                    };
                    (k.clone(), text)
                })
                .collect();
            pairs.push(("Format".into(), "5".into()));
            Ok(HttpRequest {
                method: Method::Post,
                url,
                headers: vec![
                    (
                        "Content-Type".into(),
                        "application/x-www-form-urlencoded".into(),
                    ),
                    ("Accept".into(), "application/json".into()),
                ],
                body: Some(encode_pairs(
                    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                )),
            })
        }
    }
}

// ---------------------------------------------------------------------------------------
// Responses

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Json,
    Soap,
    Xml,
}

impl Format {
    fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Soap => "soap",
            Format::Xml => "xml",
        }
    }
}

fn envelope(_config: &Config, op: &Operation, response: &HttpResponse) -> Result<Json> {
    let service = service_of(op);
    let body = response.body.trim_start_matches('\u{FEFF}').trim();
    let status = response.status;
    let parsed = if body.starts_with('<') {
        parse_xml_answer(body, service)
    } else if body.starts_with('{') || body.starts_with('[') {
        parse_json_answer(body, service)
    } else {
        Err(unreadable(
            response,
            "it is neither JSON nor XML (CSV or an HTML page?)",
        ))
    };
    let (records, format) = match parsed {
        Ok(v) => v,
        // A provider error found in the body wins over the HTTP status.
        Err(e) if e.kind() == ErrorKind::Provider => return Err(e.with_http_status(status)),
        Err(e) if !(200..300).contains(&status) => return Err(http_error(response, Some(&e))),
        Err(e) => return Err(e.with_http_status(status)),
    };
    if !(200..300).contains(&status) {
        return Err(http_error(response, None));
    }
    let mut records = records.into_iter();
    let Some(mut first) = records.next() else {
        return Err(KassaError::decode(format!(
            "{TITLE} answered {service} without any record; the request may have been performed — check before repeating it"
        ))
        .with_http_status(status));
    };
    first.insert("format", Json::str(format.as_str()));
    first.insert("service", Json::str(service));
    let others: Vec<Json> = records.map(Json::Object).collect();
    if op.name == "fiscalReceipt" {
        first.insert("other_receipts", Json::Array(others));
    }
    Ok(Json::Object(first))
}

fn unreadable(response: &HttpResponse, problem: &str) -> KassaError {
    KassaError::decode(format!(
        "{TITLE} answered HTTP {} but the body cannot be read: {problem}; the request may have been performed — check before repeating it",
        response.status
    ))
    .with_http_status(response.status)
}

fn http_error(response: &HttpResponse, cause: Option<&KassaError>) -> KassaError {
    let status = response.status;
    let (message, retryable) = match status {
        429 => ("is rate limiting requests; retry later".to_string(), true),
        500..=599 => (
            "had a server error (or a gateway page); the service may be overloaded or down — retry later".to_string(),
            true,
        ),
        401 | 403 => (
            "refused the credentials or this client's address; check merchantId, login and password (a service user of the Assist personal account) and the baseUrl".to_string(),
            false,
        ),
        _ => ("answered with an error; check the baseUrl and the path".to_string(), false),
    };
    let mut error = KassaError::new(
        ErrorKind::Transport,
        format!("{TITLE} answered HTTP {status}: it {message}"),
    )
    .with_http_status(status)
    .with_retryable(retryable);
    if let Some(cause) = cause {
        error = error.with_detail("cause", Json::str(cause.message()));
    }
    error
}

fn code_of(value: Option<&Json>) -> Option<i64> {
    match value? {
        Json::Number(n) => n.as_i64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-zero firstcode/secondcode pair in `map` → the provider error.
fn check_codes(map: &Map, service: &str) -> Result<()> {
    let first = code_of(map.get_ci("firstcode"));
    let second = code_of(map.get_ci("secondcode"));
    if first.unwrap_or(0) == 0 && second.unwrap_or(0) == 0 {
        return Ok(());
    }
    let message = [
        "message",
        "errortext",
        "errormessage",
        "error",
        "description",
    ]
    .iter()
    .find_map(|k| map.get_ci(k).and_then(Json::as_str))
    .unwrap_or("");
    Err(provider_error(
        service,
        first.unwrap_or(0),
        second.unwrap_or(0),
        message,
    ))
}

fn provider_error(service: &str, first: i64, second: i64, message: &str) -> KassaError {
    let text = if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    };
    KassaError::new(
        ErrorKind::Provider,
        format!(
            "{TITLE} refused the {service} request (firstcode {first}, secondcode {second}){text}. Check the identifiers and parameters; for credential or access errors check merchantId/login/password — Assist has not published its code tables, so quote both codes to Assist support if unsure."
        ),
    )
    .with_code(ErrorCode::Int(first))
    .with_detail("firstcode", Json::int(first))
    .with_detail("secondcode", Json::int(second))
    .with_detail("providerMessage", Json::str(message))
}

/// Restores documented spellings, drops empty strings (Assist leaves fields empty until the
/// receipt exists) and keeps ids and document numbers as exact text.
fn normalize_record(map: Map) -> Map {
    let mut out = Map::new();
    for (key, value) in map.iter() {
        let key = CANONICAL_KEYS
            .iter()
            .find(|c| c.eq_ignore_ascii_case(key))
            .map(|c| c.to_string())
            .unwrap_or_else(|| key.clone());
        if matches!(value, Json::String(s) if s.trim().is_empty()) || value.is_null() {
            continue;
        }
        let value = match value {
            Json::Number(n) if TEXT_KEYS.contains(&key.as_str()) => Json::str(n.literal()),
            Json::String(s) if TEXT_KEYS.contains(&key.as_str()) => Json::str(s.trim()),
            // `<chequeitem>` elements (XML form): kept as the documented JSON text.
            Json::Object(_) | Json::Array(_) if key == "chequeItems" => {
                Json::str(value.to_compact())
            }
            other => other.clone(),
        };
        if !out.contains_key(&key) {
            out.insert(key, value);
        }
    }
    out
}

/// Unwraps `{"<service>": {...}}` (or `result` / `<service>Response`) and lists the records.
fn parse_json_answer(body: &str, service: &str) -> Result<(Vec<Map>, Format)> {
    let value = parse_response_json(body)
        .map_err(|e| KassaError::decode(format!("{TITLE} answered with invalid JSON ({e}); the request may have been performed — check before repeating it")))?;
    if let Json::Object(top) = &value {
        check_codes(top, service)?;
    }
    let response_key = format!("{service}response");
    let is_root = |k: &str| {
        k.eq_ignore_ascii_case(service)
            || k.eq_ignore_ascii_case("result")
            || k.eq_ignore_ascii_case(&response_key)
    };
    // `{"fiscalreceipt": {...}}`, possibly next to firstcode/secondcode; else the bare record.
    let inner = match &value {
        Json::Object(top) => top
            .iter()
            .find(|(k, v)| is_root(k) && matches!(v, Json::Object(_) | Json::Array(_)))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| value.clone()),
        _ => value.clone(),
    };
    let records = match inner {
        Json::Object(m) => {
            check_codes(&m, service)?;
            vec![m]
        }
        Json::Array(items) => {
            let mut records = Vec::new();
            for item in items {
                match item {
                    Json::Object(m) => {
                        check_codes(&m, service)?;
                        records.push(m);
                    }
                    other => {
                        return Err(KassaError::decode(format!(
                            "{TITLE} answered {service} with a list holding {} instead of objects",
                            other.type_name()
                        )))
                    }
                }
            }
            records
        }
        other => {
            return Err(KassaError::decode(format!(
                "{TITLE} answered {service} with JSON {} instead of an object",
                other.type_name()
            )))
        }
    };
    Ok((
        records.into_iter().map(normalize_record).collect(),
        Format::Json,
    ))
}

fn is_envelope(e: &Element) -> bool {
    e.is(Some(SOAP_ENV_NS), "Envelope") || e.is(Some(SOAP12_ENV_NS), "Envelope")
}

fn parse_xml_answer(body: &str, service: &str) -> Result<(Vec<Map>, Format)> {
    let limits = xml::Limits {
        max_bytes: http::MAX_RESPONSE_BYTES,
        ..xml::Limits::default()
    };
    let root = xml::parse(body, limits).map_err(|e| {
        KassaError::decode(format!("{TITLE} answered with malformed XML ({e}); the request may have been performed — check before repeating it"))
    })?;
    if is_envelope(&root) {
        let ns = root.ns.clone();
        let body = root
            .children
            .iter()
            .find(|c| c.ns == ns && c.name == "Body")
            .ok_or_else(|| {
                KassaError::decode(format!(
                    "{TITLE} answered with a SOAP envelope without a Body"
                ))
            })?;
        if let Some(fault) = body
            .children
            .iter()
            .find(|c| c.ns == ns && c.name == "Fault")
        {
            return Err(soap_fault(fault, service));
        }
        let result = body.children.first().ok_or_else(|| {
            KassaError::decode(format!("{TITLE} answered with an empty SOAP Body"))
        })?;
        return records_of(result, service).map(|r| (r, Format::Soap));
    }
    records_of(&root, service).map(|r| (r, Format::Xml))
}

fn soap_fault(fault: &Element, service: &str) -> KassaError {
    // SOAP 1.1: faultcode/faultstring; SOAP 1.2: Code/Value and Reason/Text.
    let text_of_path = |names: &[&str]| -> String {
        let mut current = Some(fault);
        for name in names {
            current = current.and_then(|e| e.child(name));
        }
        current
            .map(|e| e.text.trim().to_string())
            .unwrap_or_default()
    };
    let mut code = text_of_path(&["faultcode"]);
    if code.is_empty() {
        code = text_of_path(&["Code", "Value"]);
    }
    let mut message = text_of_path(&["faultstring"]);
    if message.is_empty() {
        message = text_of_path(&["Reason", "Text"]);
    }
    let detail = fault.child("detail").or_else(|| fault.child("Detail"));
    let codes = detail.map(|d| {
        let find =
            |name: &str| find_descendant(d, name).and_then(|e| e.text.trim().parse::<i64>().ok());
        (find("firstcode"), find("secondcode"))
    });
    let mut error = match codes {
        Some((Some(first), second)) => provider_error(service, first, second.unwrap_or(0), &message),
        _ => KassaError::new(
            ErrorKind::Provider,
            format!("{TITLE} answered the {service} request with a SOAP fault ({code}): {message}. Check the parameters and credentials."),
        )
        .with_code(ErrorCode::Text(code.clone())),
    };
    error = error
        .with_detail("faultcode", Json::str(code))
        .with_detail("faultstring", Json::str(message));
    error
}

fn find_descendant<'a>(e: &'a Element, name: &str) -> Option<&'a Element> {
    let mut stack = vec![e];
    while let Some(current) = stack.pop() {
        if let Some(found) = current.children.iter().find(|c| c.is(None, name)) {
            return Some(found);
        }
        stack.extend(current.children.iter());
    }
    None
}

/// The records inside a result element: its `<service>` children, or the element itself.
fn records_of(result: &Element, service: &str) -> Result<Vec<Map>> {
    check_xml_codes(result, service)?;
    let named: Vec<&Element> = result
        .children
        .iter()
        .filter(|c| c.is(None, service))
        .collect();
    let records: Vec<&Element> = if !named.is_empty() {
        named
    } else if let [only] = result.children.as_slice() {
        // `<fiscalreceiptResponse><return>fields</return></fiscalreceiptResponse>` and the like.
        let markers = [
            "status",
            "fiscalreceipt_id",
            "billnumber",
            "payment_id",
            "firstcode",
        ];
        let is_record = only
            .children
            .iter()
            .any(|c| c.children.is_empty() && markers.iter().any(|m| c.is(None, m)));
        vec![if is_record { only } else { result }]
    } else {
        vec![result]
    };
    let mut out = Vec::new();
    for record in records {
        check_xml_codes(record, service)?;
        out.push(normalize_record(element_map(record)));
    }
    Ok(out)
}

fn check_xml_codes(e: &Element, service: &str) -> Result<()> {
    let mut map = Map::new();
    for key in ["firstcode", "secondcode", "message"] {
        if let Some(v) = e.attribute(key) {
            map.insert(key, Json::str(v));
        } else if let Some(c) = e.child(key).filter(|c| c.children.is_empty()) {
            map.insert(key, Json::str(c.text.trim()));
        }
    }
    check_codes(&map, service)
}

/// An element's children as JSON: leaves become text, `<chequeitem>` lists become
/// `{"items":[...]}`, other nested elements objects (repeated names become arrays).
fn element_map(e: &Element) -> Map {
    let mut map = Map::new();
    for child in &e.children {
        let value = if child.children.is_empty() {
            Json::str(child.text.clone())
        } else if child.children.iter().any(|c| c.is(None, "chequeitem")) {
            cheque::items_from_xml(child)
        } else {
            Json::Object(element_map(child))
        };
        match map.get_mut(&child.name) {
            Some(Json::Array(list)) => list.push(value),
            Some(existing) => {
                let previous = std::mem::replace(existing, Json::Null);
                *existing = Json::Array(vec![previous, value]);
            }
            None => map.insert(child.name.clone(), value),
        }
    }
    map
}

// ---------------------------------------------------------------------------------------
// Result finishing

fn finish_receipt(result: &mut Json, _config: &Config) -> Result<()> {
    let Some(root) = result.as_object_mut() else {
        return Ok(());
    };
    finish_record(root);
    if let Some(Json::Array(others)) = root.get_mut("other_receipts") {
        for other in others.iter_mut() {
            if let Some(m) = other.as_object_mut() {
                finish_record(m);
            }
        }
    }
    Ok(())
}

/// Adds status, outcome, decoded items and the explained errortext to one receipt.
pub fn finish_record(record: &mut Map) {
    let raw = record
        .get("status")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_string();
    let entry = codes::status(&raw);
    let (status, outcome, known) = match entry {
        Some(e) => (
            codes::canonical_status(e).to_string(),
            e.outcome.unwrap_or(Outcome::Pending),
            true,
        ),
        None => (raw.clone(), Outcome::Pending, false),
    };
    let legacy = entry.is_some_and(|e| e.legacy);
    let is_final = known && outcome != Outcome::Pending;
    if !raw.is_empty() {
        record.insert("status", Json::str(status.clone()));
    }
    record.insert(
        "status_raw",
        if status != raw {
            Json::str(raw)
        } else {
            Json::Null
        },
    );
    record.insert("status_known", Json::Bool(known));
    record.insert("status_legacy", Json::Bool(legacy));
    record.insert("outcome", Json::str(outcome.as_str()));
    record.insert("is_final", Json::Bool(is_final));
    let (items, items_error) = match record.get("chequeItems") {
        None => (Json::Null, Json::Null),
        Some(value) => match cheque::decode_response(value) {
            Ok(items) => (items, Json::Null),
            Err(e) => (Json::Null, Json::str(e.message())),
        },
    };
    // The XML form arrives decoded already: keep `chequeItems` a string, as documented.
    if let Some(v) = record.get("chequeItems") {
        if !matches!(v, Json::String(_)) {
            let text = v.to_compact();
            record.insert("chequeItems", Json::str(text));
        }
    }
    record.insert("items", items);
    record.insert("items_error", items_error);
    let receipt_error = record
        .get("errortext")
        .and_then(Json::as_str)
        .map(|text| explain_receipt_errortext(text, known.then_some(outcome)))
        .unwrap_or(Json::Null);
    record.insert("receipt_error", receipt_error);
}

/// `{code, text, documented, message, meaning, advice, action, retryable}` for an errortext
/// on its own: the advice of its ID's class (issue 11's reading of seed 002).
pub fn explain_errortext_json(text: &str) -> Json {
    explain_receipt_errortext(text, None)
}

/// The same for the errortext of a receipt whose status gave `outcome`. Seed 002 ties what to
/// do to the status: on `CreateError` the receipt will not change, so check the data and send
/// the request for fiscalization again, whatever the cause; while `New`, wait (a second
/// request could make a second receipt) and contact support if it stays New for hours.
fn explain_receipt_errortext(text: &str, outcome: Option<Outcome>) -> Json {
    let (code, entry) = codes::explain_errortext(text);
    let class = entry.and_then(Advice::of);
    let in_light_of_status = match (outcome, class) {
        (Some(Outcome::Failed), Some(Advice::LookUpLater)) => Some((
            Advice::CorrectAndFiscalizeAgain,
            "The cause Assist names looks transient, but the receipt ended in CreateError and will not change: check the data sent, then send the request for fiscalization again (seed 002, on CreateError).",
            false,
        )),
        (Some(Outcome::Pending), Some(Advice::CorrectAndFiscalizeAgain)) => Some((
            Advice::LookUpLater,
            "Assist's text points at the data sent, but the receipt is still New: do not fiscalize again yet (a second request could make a second receipt). Look it up again later with `fiscalReceipt`: if it ends in CreateError, correct the cheque and fiscalize again; if it stays New for several hours, contact support@assist.kz (seed 002).",
            true,
        )),
        _ => None,
    };
    let mut m = Map::new();
    m.insert("code", code.map(Json::int).unwrap_or(Json::Null));
    m.insert("text", Json::str(text));
    m.insert("documented", Json::Bool(entry.is_some()));
    match entry {
        Some(entry) => {
            m.insert("message", Json::str(entry.message));
            m.insert("meaning", Json::str(entry.meaning));
            let (advice, action, retryable) = match in_light_of_status {
                Some((advice, action, retryable)) => (Some(advice), action, retryable),
                None => (class, entry.action, entry.retryable),
            };
            m.insert(
                "advice",
                advice.map_or(Json::Null, |a| Json::str(a.as_str())),
            );
            m.insert("action", Json::str(action));
            m.insert("retryable", Json::Bool(retryable));
        }
        None => {
            m.insert("message", Json::str(""));
            m.insert(
                "meaning",
                Json::str("Not among the errortext examples Assist documents (seed 002): the text is kept as Assist sent it."),
            );
            m.insert("advice", Json::Null);
            m.insert("action", Json::str("Read the text itself. Seed 002's general rule: on CreateError check the data sent and send the corrected request for fiscalization again; if the receipt stays New for several hours, contact support@assist.kz."));
            m.insert("retryable", Json::Bool(false));
        }
    }
    Json::Object(m)
}

// ---------------------------------------------------------------------------------------
// Helpers exported to JavaScript

fn cheque_items_helper(args: &[Json]) -> Result<Json> {
    let items = arg(args, 0, "items")?;
    let options = args.get(1).and_then(Json::as_object);
    let flag = |k: &str| {
        options
            .and_then(|o| o.get(k))
            .and_then(Json::as_bool)
            .unwrap_or(false)
    };
    let has_tax = options
        .and_then(|o| o.get("tax"))
        .and_then(Json::as_str)
        .is_some_and(|s| !s.is_empty());
    let rules = cheque::Rules {
        require_tax: !flag("merchantTaxDefaults") && !has_tax,
        forbid_tax: flag("forCancellation"),
    };
    let cheque = cheque::from_input(items, rules, "items")?;
    let mut m = Map::new();
    let json = cheque.to_json();
    m.insert(
        "items",
        json.get("items")
            .cloned()
            .unwrap_or(Json::Array(Vec::new())),
    );
    m.insert("total", Json::str(cheque.total_text()));
    m.insert("ChequeItems", Json::str(json.to_compact()));
    Ok(Json::Object(m))
}

fn servers_helper(_: &[Json]) -> Result<Json> {
    let mut m = Map::new();
    for (name, url, _) in SERVERS {
        m.insert(name, Json::str(url));
    }
    Ok(Json::Object(m))
}

pub static HELPERS: [Helper; 4] = [
    Helper {
        name: "chequeItems",
        run: HelperFn::Static(cheque_items_helper),
        ts: native_only("  /**\n   * Validates and builds Assist cheque items: unique ids, product or name, amount = price × quantity\n   * to the cent (computed when omitted), tax per item unless `tax` (request-level) or\n   * `merchantTaxDefaults` is given; `forCancellation` forbids tax/fpmode. Returns the items as sent,\n   * the exact total and the `ChequeItems` JSON text. Throws KassaError kind 'validation'.\n   */\n  static chequeItems(items: AssistChequeItemInput[] | { items: AssistChequeItemInput[] } | string, options?: { tax?: string; merchantTaxDefaults?: boolean; forCancellation?: boolean }): { items: Array<Record<string, unknown>>; total: string; ChequeItems: string };"),
    },
    Helper {
        name: "parseChequeItems",
        run: HelperFn::Static(|args| cheque::decode_response(arg(args, 0, "chequeItems")?)),
        ts: native_only("  /** Decodes a `chequeItems` value (the JSON text a receipt carries, or an object) into typed items; decimals as exact strings. */\n  static parseChequeItems(chequeItems: string | object): AssistChequeItem[];"),
    },
    Helper {
        name: "explainErrortext",
        run: HelperFn::Static(|args| Ok(explain_errortext_json(str_arg(args, 0, "errortext")?))),
        ts: native_only("  /** Explains a receipt `errortext`: its code, Assist's text, and what to do. */\n  static explainErrortext(errortext: string): AssistReceiptError;"),
    },
    Helper {
        name: "servers",
        run: HelperFn::Static(servers_helper),
        ts: native_only("  /** The known Assist servers by preset name (for `server`); no Kazakhstan host is documented. */\n  static servers(): Record<'ru' | 'ruDemo' | 'ruTest' | 'by' | 'byTest', string>;"),
    },
];

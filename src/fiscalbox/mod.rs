//! FiscalBox (fbox.uz, Uzbekistan) — the fiscal box HTTP API (spec/fiscalbox.md). One table
//! declares every device endpoint of spec §1 (orders, shifts, device info, printing, the
//! QR-wallet payments and their `*_confirm` calls, pin-pads, Scan2pay, UzQR, marking codes);
//! the billing service is the separate small client in `billing`.
//!
//! Device endpoints take no credentials (spec §0.2: "Auth required: NO"); the envelope is
//! `{data, error, is_success}` with HTTP 200 even on errors (see `envelope`).

pub mod billing;
pub mod codes;
pub mod envelope;
pub mod qr_flow;
pub mod receipt;
pub mod soliq;
pub mod types;

use crate::codes::Outcome;
use crate::config::{Choice, Config, ProviderSettings, TRANSPORT_OPTIONS};
use crate::error::{KassaError, Result};
use crate::http::{parse_query, HttpRequest, Method};
use crate::journal;
use crate::json::{Json, Map};
use crate::operation::split_url;
use crate::operation::{BuildCtx, Evidence, OpClass, Operation, Probe, Resolve, Settle, Verdict};
use crate::provider::ProviderDef;
use crate::schema::{Field, Ty};
use crate::time::{self, DateTime};
use types::*;

pub const PROVIDER_ID: &str = "fiscalbox";
pub const DEFAULT_BASE_URL: &str = "https://api.fiscalbox.uz";
/// Tashkent time (UTC+5): the zone kassa stamps `time` in unless told otherwise.
pub const DEFAULT_TZ_OFFSET_MINUTES: i64 = 300;
/// The device rejects a `time` more than this many minutes off its clock (error 104).
pub const DEFAULT_MAX_TIME_SKEW_MINUTES: i64 = 5;

// ---------------------------------------------------------------------------------------
// Operation table

/// After a lost answer of a receipt call, the last receipt tells whether it was registered.
const LAST_RECEIPT_RESOLVE: Resolve = Resolve {
    operation: "orderLast",
    copy: &[],
    fixed: &[],
    duplicate_codes: &[],
};

/// A receipt is settled through the device's last receipt, read before sending and after:
/// ours (`uuid`) is there → registered; the same last receipt as before → never registered;
/// another one → the device issued other receipts in between, which is not guessed.
const RECEIPT_SETTLE: Settle = Settle {
    key: &["uuid"],
    answered: Outcome::Success,
    probe: Probe::Read {
        operation: "orderLast",
        copy: &[],
        needs: &[],
        fixed: &[],
        before: Some(last_receipt),
    },
    judge: judge_last_receipt,
};

/// `{uuid}` of the device's last receipt (`uuid: null` on a device that has issued none:
/// `orderLast` then answers 36871 ERROR_RECEIPT_INDEX_OUT_OF_BOUNDS).
fn last_receipt(answer: std::result::Result<&Json, &KassaError>) -> Option<Json> {
    let uuid = match answer {
        Ok(last) => last
            .pointer(&["order", "uuid"])
            .cloned()
            .unwrap_or(Json::Null),
        Err(e) if journal::code_of(e) == Some(codes::RECEIPT_INDEX_OUT_OF_BOUNDS) => Json::Null,
        Err(_) => return None,
    };
    Some(crate::json::obj([("uuid", uuid)]))
}

fn judge_last_receipt(evidence: &Evidence) -> Verdict {
    let Some(now) = last_receipt(evidence.answer) else {
        return match evidence.answer {
            Err(e) => journal::inconclusive(e),
            Ok(_) => Verdict::Unsettled("orderLast did not answer".into()),
        };
    };
    let ours = evidence.params.get("uuid");
    let last = now.get("uuid").filter(|u| !u.is_null());
    let before = evidence.baseline.and_then(|b| b.get("uuid"));
    match (last, evidence.answer) {
        (Some(uuid), Ok(answer)) if Some(uuid) == ours => Verdict::Performed {
            outcome: Outcome::Success,
            result: Some(answer.clone()),
        },
        _ if now.get("uuid") == before => Verdict::Absent,
        _ => Verdict::Unsettled(
            "the device's last receipt is neither this one nor the one before it: other receipts were issued in between".into(),
        ),
    }
}

/// QR wallets have no status call, and no source says the customer's code is single use (a
/// wallet accepting it twice would charge twice), so presenting it again is no probe: a lost
/// answer leaves the payment `unknown`, to be checked in the wallet's merchant cabinet.
const WALLET_SETTLE: Settle = Settle {
    key: &["qr_code"],
    answered: Outcome::Success,
    probe: Probe::Unavailable,
    judge: |_| Verdict::Unsettled(WALLET_UNOBSERVABLE.into()),
};

/// Why a wallet payment whose answer was lost stays unknown.
const WALLET_UNOBSERVABLE: &str = "FiscalBox has no status call for wallet payments and no source says the customer's QR code is single use, so kassa neither asks nor presents it again; check the payment in the wallet's merchant cabinet";

/// Creating a UzQR invoice moves no money: when the answer of a create was lost, nobody was
/// shown that invoice's QR, so creating again gives the customer one invoice to pay (the
/// same one, should UzQR deduplicate on `external_id`, which no source says).
const UZQR_SETTLE: Settle = Settle {
    key: &["external_id"],
    answered: Outcome::Success,
    probe: Probe::Repeat,
    judge: |evidence| match evidence.answer {
        Ok(result) => performed(result),
        Err(e) => journal::inconclusive(e),
    },
};

fn performed(result: &Json) -> Verdict {
    Verdict::Performed {
        outcome: Outcome::Success,
        result: Some(result.clone()),
    }
}

/// A pin-pad payment is settled by the pin-pad's short report, read before sending and after:
/// its operation count grew by one → performed, not at all → never performed.
const fn pinpad_settle(report: &'static str) -> Settle {
    Settle {
        key: &[],
        answered: Outcome::Success,
        probe: Probe::Read {
            operation: report,
            copy: &[],
            needs: &[],
            fixed: &[],
            before: Some(pinpad_count),
        },
        judge: |evidence| journal::by_count(evidence, pinpad_count(evidence.answer)),
    }
}

/// The operation count of a short report: its `Операций: N` line (the printed layout is not
/// published; this is the line the report carries).
fn pinpad_count(answer: std::result::Result<&Json, &KassaError>) -> Option<Json> {
    let text = answer.ok()?.get("message")?.as_str()?;
    text.lines().find_map(|line| {
        let count = line.trim().strip_prefix("Операций:")?.trim();
        count.parse::<i64>().ok().map(Json::int)
    })
}

const fn pinpad_report(name: &'static str, path: &'static str, summary: &'static str) -> Operation {
    Operation::new(name, Method::Get, path)
        .summary(summary)
        .class(OpClass::Write)
        .result(Ty::Nullable(&SLIP))
}

/// A QR-wallet charge: money-moving, never re-sent; `qr_code` and `amount` name it.
const fn wallet_payment(
    name: &'static str,
    path: &'static str,
    summary: &'static str,
    result: Ty,
) -> Operation {
    Operation::new(name, Method::Post, path)
        .summary(summary)
        .class(OpClass::MoneyMoving)
        .reference(&["qr_code", "amount"])
        .params(&WALLET_PARAMS)
        .encode(encode_wallet)
        .result(result)
        .finish(finish_outcome)
        .settle(WALLET_SETTLE)
}

/// A wallet confirmation by `payment_id`: sends the Soliq receipt link of a sale to the wallet.
const fn wallet_confirm(
    name: &'static str,
    path: &'static str,
    summary: &'static str,
    result: Ty,
) -> Operation {
    Operation::new(name, Method::Post, path)
        .summary(summary)
        .class(OpClass::Write)
        .reference(&["payment_id"])
        .params(&CONFIRM_PARAMS)
        .encode(encode_confirm)
        .result(result)
        .finish(finish_outcome)
}

/// A pin-pad card payment (or, with `request_id` + `is_return`, its return): money-moving.
const fn pinpad_payment(
    name: &'static str,
    path: &'static str,
    summary: &'static str,
    report: &'static str,
) -> Operation {
    Operation::new(name, Method::Post, path)
        .summary(summary)
        .class(OpClass::MoneyMoving)
        .reference(&["amount", "request_id"])
        .settle(pinpad_settle(report))
        .params(&PINPAD_PARAMS)
        .check(check_pinpad)
        .result(SLIP)
}

pub static OPERATIONS: [Operation; 39] = [
    // Orders (§2–§5)
    Operation::new("orderCreate", Method::Post, "/order/create/")
        .summary("Register a fiscal receipt: sale (`order`), advance (`prepaid`) or credit; the result's `qr_url` is the Soliq receipt link")
        .class(OpClass::Write)
        .reference(&["uuid", "number"])
        .resolve(LAST_RECEIPT_RESOLVE)
        .settle(RECEIPT_SETTLE)
        .params(&ORDER_CREATE_PARAMS)
        .check(check_order)
        .result(RECEIPT),
    Operation::new("orderRefuse", Method::Post, "/order/refuse/")
        .summary("Register a refund receipt for a sale (qr_code = the sale's qr_url)")
        .class(OpClass::Write)
        .reference(&["uuid", "number", "qr_code"])
        .resolve(LAST_RECEIPT_RESOLVE)
        .settle(RECEIPT_SETTLE)
        .params(&ORDER_REFUSE_PARAMS)
        .check(check_order)
        .result(RECEIPT),
    Operation::new("orderPrint", Method::Get, "/order/print/")
        .summary("Print a copy of the last receipt")
        .class(OpClass::Write)
        .result(EMPTY),
    Operation::new("orderLast", Method::Get, "/order/last/")
        .summary("The last successful receipt: the stored order, the fiscal module's answer and its Soliq link (`qr_url`)")
        .result(LAST_RECEIPT)
        .finish(finish_order_last),
    // Shifts (§6)
    Operation::new("shiftOpen", Method::Get, "/zreport/open/")
        .summary("Open the shift (Z-report)")
        .class(OpClass::Write)
        .params(&TIME_PARAMS)
        .result(SHIFT_OPEN),
    Operation::new("shiftClose", Method::Get, "/zreport/close/")
        .summary("Close the shift (Z-report)")
        .class(OpClass::Write)
        .params(&TIME_PARAMS)
        .result(Z_REPORT),
    Operation::new("shiftClosePrinted", Method::Post, "/zreport/close/")
        .summary("Close the shift and print the Z-report with your title, payment lines and banners (sends close_zreport: true)")
        .class(OpClass::Write)
        .params(&SHIFT_REPORT_PARAMS)
        .query(&["time"])
        .encode(encode_close_printed)
        .result(Z_REPORT),
    Operation::new("xReport", Method::Post, "/zreport/close/")
        .summary("Print an X-report: the shift's totals without closing it (sends close_zreport: false)")
        .class(OpClass::Write)
        .params(&SHIFT_REPORT_PARAMS)
        .query(&["time"])
        .encode(encode_x_report)
        .result(Z_REPORT),
    Operation::new("shiftInfo", Method::Get, "/zreport/info/")
        .summary("Current shift totals; with number + print: true, print an already closed Z-report")
        .params(&SHIFT_INFO_PARAMS)
        .result(Ty::Nullable(&Z_REPORT)),
    // Device (§7) and printing (§8)
    Operation::new("deviceInfo", Method::Get, "/info/")
        .summary("Device and fiscal-module info: memory, counters, clock (`current_time`)")
        .result(DEVICE_INFO),
    Operation::new("printBanner", Method::Post, "/print/banner")
        .summary("Print non-fiscal text, barcodes and QR codes")
        .class(OpClass::Write)
        .params(&BANNER_PARAMS)
        .result(EMPTY),
    Operation::new("openCashDrawer", Method::Get, "/print/open_cash_drawer")
        .summary("Open the cash drawer")
        .class(OpClass::Write)
        .result(EMPTY),
    // QR wallets (§9.1–§9.8)
    wallet_payment("click", "/payment/click", "Charge the customer's Click Pass QR code", CLICK_PAYMENT),
    wallet_confirm("clickConfirm", "/payment/click_confirm", "Send the fiscal receipt link of a Click payment to Click", CLICK_CONFIRM),
    wallet_payment("payme", "/payment/payme", "Charge the customer's Payme Go QR code", PAYME_PAYMENT),
    Operation::new("paymeConfirm", Method::Post, "/payment/payme_confirm")
        .summary("Send the fiscal receipt link of a Payme payment to Payme")
        .class(OpClass::Write)
        .reference(&["payment_id"])
        .params(&PAYME_CONFIRM_PARAMS)
        .encode(encode_payme_confirm)
        .result(PAYME_CONFIRM)
        .finish(finish_payme_confirm),
    wallet_payment("uzum", "/payment/uzum", "Charge the customer's Uzum FastPay QR code", UZUM_PAYMENT),
    wallet_confirm("uzumConfirm", "/payment/uzum_confirm", "Send the fiscal receipt link of an Uzum payment to Uzum", UZUM_PAYMENT),
    wallet_payment("anor", "/payment/anor", "Charge the customer's Anorbank (AnorCheck) QR code", ANOR_PAYMENT),
    Operation::new("anorConfirm", Method::Post, "/payment/anor_confirm")
        .summary("Send the fiscal receipt link of an Anorbank payment to Anorbank (by transaction_id)")
        .class(OpClass::Write)
        .reference(&["transaction_id"])
        .params(&ANOR_CONFIRM_PARAMS)
        .result(ANOR_CONFIRM)
        .finish(finish_anor_confirm),
    // Pin-pads (§9.9–§9.11, §6.5, Additional commands)
    pinpad_payment("humo", "/payment/xumo", "Humo pin-pad (Ingenico) card payment; with request_id + is_return: true, cancel one", "humoShortReport"),
    pinpad_report("humoClose", "/payment/xumo_close", "Humo pin-pad reconciliation (closes the pin-pad shift)"),
    pinpad_report("humoShortReport", "/payment/xumo_shortreport/", "Print the Humo pin-pad's intermediate short report"),
    pinpad_report("humoPrintLast", "/payment/xumo/print_last", "Reprint the last Humo transaction slip"),
    pinpad_report("humoClosePrintLast", "/payment/xumo_close/print_last", "Reprint the last Humo reconciliation"),
    pinpad_payment("uzcard", "/payment/uzcard", "UzCard pin-pad (PAX A35) card payment; with request_id + is_return: true, return one", "uzcardShortReport"),
    pinpad_report("uzcardClose", "/payment/uzcard_close", "UzCard pin-pad reconciliation (closes the pin-pad shift)"),
    pinpad_report("uzcardShortReport", "/payment/uzcard_shortreport/", "Print the UzCard pin-pad's intermediate short report"),
    pinpad_report("uzcardPrintLast", "/payment/uzcard/print_last", "Reprint the last UzCard transaction slip"),
    pinpad_report("uzcardClosePrintLast", "/payment/uzcard_close/print_last", "Reprint the last UzCard reconciliation"),
    // Scan2pay (§9.12)
    Operation::new("scan2pay", Method::Post, "/payment/qr_pay")
        .summary("Create a Scan2pay payment link (http://scan2pay.uz/<uuid>) for an order")
        .class(OpClass::Write)
        .reference(&["order_id"])
        .params(&SCAN2PAY_PARAMS)
        .result(SCAN2PAY),
    Operation::new("scan2payStatus", Method::Post, "/payment/qr_pay/status")
        .summary("Whether the Scan2pay link of an order was paid (error 105 while it is not)")
        .params(&SCAN2PAY_STATUS_PARAMS)
        .result(SCAN2PAY_STATUS)
        .finish(finish_scan2pay_status),
    // UzQR (§9.13)
    Operation::new("uzqrCreate", Method::Post, "/payment/one_qr/create")
        .summary("Create a UzQR dynamic QR invoice (amount in sums, e.g. \"100.00\")")
        .class(OpClass::MoneyMoving)
        .reference(&["external_id"])
        .settle(UZQR_SETTLE)
        .params(&UZQR_CREATE_PARAMS)
        .result(UZQR_INVOICE),
    Operation::new("uzqrStatus", Method::Get, "/payment/one_qr/status")
        .summary("UzQR invoice status: 1 in progress, 2 paid, 3 declined (long-polls up to 2 minutes: use timeoutMs ≥ 150000)")
        .params(&UZQR_INVOICE_PARAMS)
        .envelope(envelope::state_envelope)
        .result(UZQR_STATUS)
        .finish(finish_uzqr_status),
    Operation::new("uzqrReceipt", Method::Post, "/payment/one_qr/receipt")
        .summary("Send the fiscal receipt link of a paid UzQR invoice")
        .class(OpClass::Write)
        .reference(&["pay_id"])
        .params(&UZQR_RECEIPT_PARAMS)
        .result(EMPTY),
    Operation::new("uzqrCancel", Method::Post, "/payment/one_qr/cancel")
        .summary("Cancel an unpaid UzQR invoice")
        .class(OpClass::Write)
        .reference(&["invoice_id"])
        .params(&UZQR_INVOICE_PARAMS)
        .result(EMPTY),
    Operation::new("uzqrRefund", Method::Post, "/payment/one_qr/refund")
        .summary("Refund a paid UzQR payment, fully or partly (asynchronous: poll uzqrRefundStatus)")
        .class(OpClass::MoneyMoving)
        .reference(&["pay_id", "amount"])
        .params(&UZQR_REFUND_PARAMS)
        .result(UZQR_REFUND)
        .finish(finish_uzqr_refund),
    Operation::new("uzqrRefundStatus", Method::Get, "/payment/one_qr/refund/status")
        .summary("UzQR refund status: 1 pending, 2 success, 3 failed")
        .params(&UZQR_REFUND_STATUS_PARAMS)
        .envelope(envelope::state_envelope)
        .result(UZQR_REFUND)
        .finish(finish_uzqr_refund),
    // Marking codes (§9b)
    Operation::new("markingValidate", Method::Post, "/okm/validation")
        .summary("Validate marking codes (KM) before selling marked goods")
        .params(&OKM_PARAMS)
        .envelope(envelope::okm_envelope)
        .result(OKM_RESULT),
];

pub static OPTIONS: [Field; 9] = [
    Field::opt("baseUrl", Ty::Str, "The device or relay address: default https://api.fiscalbox.uz; a device on the LAN is e.g. http://192.168.1.50:8080."),
    Field::opt("trailingSlash", Ty::Enum(TrailingSlash::NAMES), "Paths as documented ('documented', default: `/order/create/` with a slash, `/payment/click` without) or every path without a trailing slash ('none') for devices that answer 404 to the slash."),
    Field::opt("timeZoneOffsetMinutes", Ty::Int, "The device clock's UTC offset in minutes, used to stamp `time` when omitted (default 300 = Tashkent, UTC+5)."),
    Field::opt("maxTimeSkewMinutes", Ty::Int, "Reject a given `time` further than this from now before sending (default 5, the device's own limit; 0 turns the check off)."),
    Field::opt("walletAmountUnit", Ty::Enum(WalletAmountUnit::NAMES), "Unit the device expects for click/payme/uzum/anor `amount` — the docs conflict, so there is no default: ask FiscalBox. 'tiyin' sends the tiyin you give; 'sum' sends amount / 100 (amount must be whole sums). Until it is set, those payments and qrWalletSale refuse with kind 'config'."),
    Field::opt("providerCodeFormat", Ty::Enum(ProviderCodeFormat::NAMES), "How extra_info.qr_payment_provider is sent: 'integer' (141, default, current docs) or 'padded' (\"0141\", older docs)."),
    Field::opt("paymeConfirmFields", Ty::Enum(PaymeConfirmFields::NAMES), "'legacy' also sends receipt_id and fiscal_sign (taken from qr_code) with paymeConfirm, as an older revision of the docs required (default 'current')."),
    TRANSPORT_OPTIONS[0],
    TRANSPORT_OPTIONS[1],
];

pub static PROVIDER: ProviderDef = ProviderDef {
    id: PROVIDER_ID,
    title: envelope::TITLE,
    class_name: "FiscalBox",
    options: &OPTIONS,
    ops: &OPERATIONS,
    configure,
    encode,
    envelope: envelope::envelope,
    tables: &codes::TABLES,
    helpers: &[],
    flows: &qr_flow::FLOWS,
    receipt: Some(receipt::to_receipt),
    notification: None,
};

// ---------------------------------------------------------------------------------------
// Configuration

fn configure(options: &Map) -> Result<Config> {
    let config = Config::from_options(PROVIDER_ID, options, Some(DEFAULT_BASE_URL))?;
    let int_option =
        |name: &str, default: i64, range: std::ops::RangeInclusive<i64>, rule: &str| match options
            .get(name)
            .and_then(Json::as_i64)
        {
            Some(n) if range.contains(&n) => Ok(n),
            Some(_) => Err(KassaError::config(name, rule)),
            None => Ok(default),
        };
    let offset = int_option(
        "timeZoneOffsetMinutes",
        DEFAULT_TZ_OFFSET_MINUTES,
        -720..=840,
        "must be a UTC offset in minutes between -720 and 840 (Tashkent: 300)",
    )?;
    let skew = int_option(
        "maxTimeSkewMinutes",
        DEFAULT_MAX_TIME_SKEW_MINUTES,
        0..=1440,
        "must be between 0 (no check) and 1440 minutes",
    )?;
    Ok(config.with_settings(Settings {
        time_zone_offset_minutes: offset,
        max_time_skew_minutes: skew,
        trailing_slash: TrailingSlash::read(options, "trailingSlash"),
        // No default: the sources conflict on the unit (see `wallet_amount_unit`).
        wallet_amount_unit: WalletAmountUnit::given(options, "walletAmountUnit"),
        provider_code_format: ProviderCodeFormat::read(options, "providerCodeFormat"),
        payme_confirm_fields: PaymeConfirmFields::read(options, "paymeConfirmFields"),
    }))
}

crate::choice! {
    /// Paths as the docs spell them, or every path without its trailing slash.
    pub enum TrailingSlash {
        Documented = "documented",
        None = "none",
    }
}

crate::choice! {
    /// The unit of the QR-wallet `amount` the device expects. Its "default" is never used:
    /// `walletAmountUnit` has none (see `wallet_amount_unit`).
    pub enum WalletAmountUnit {
        Tiyin = "tiyin",
        Sum = "sum",
    }
}

crate::choice! {
    /// How `extra_info.qr_payment_provider` is sent: 141 or "0141".
    pub enum ProviderCodeFormat {
        Integer = "integer",
        Padded = "padded",
    }
}

crate::choice! {
    /// The `paymeConfirm` fields: the current docs', or the older revision's extra two.
    pub enum PaymeConfirmFields {
        Current = "current",
        Legacy = "legacy",
    }
}

/// What the FiscalBox options chose beyond the shared ones.
#[derive(Debug)]
struct Settings {
    time_zone_offset_minutes: i64,
    max_time_skew_minutes: i64,
    trailing_slash: TrailingSlash,
    wallet_amount_unit: Option<WalletAmountUnit>,
    provider_code_format: ProviderCodeFormat,
    payme_confirm_fields: PaymeConfirmFields,
}

static DEFAULT_SETTINGS: Settings = Settings {
    time_zone_offset_minutes: DEFAULT_TZ_OFFSET_MINUTES,
    max_time_skew_minutes: DEFAULT_MAX_TIME_SKEW_MINUTES,
    trailing_slash: TrailingSlash::DEFAULT,
    wallet_amount_unit: None,
    provider_code_format: ProviderCodeFormat::DEFAULT,
    payme_confirm_fields: PaymeConfirmFields::DEFAULT,
};

impl ProviderSettings for Settings {
    fn describe(&self) -> Map {
        let mut m = Map::new();
        m.insert(
            "timeZoneOffsetMinutes",
            Json::int(self.time_zone_offset_minutes),
        );
        m.insert("maxTimeSkewMinutes", Json::int(self.max_time_skew_minutes));
        m.insert("trailingSlash", Json::str(self.trailing_slash.name()));
        if let Some(unit) = self.wallet_amount_unit {
            m.insert("walletAmountUnit", Json::str(unit.name()));
        }
        m.insert(
            "providerCodeFormat",
            Json::str(self.provider_code_format.name()),
        );
        m.insert(
            "paymeConfirmFields",
            Json::str(self.payme_confirm_fields.name()),
        );
        m
    }
}

fn settings_of(config: &Config) -> &Settings {
    config.settings().unwrap_or(&DEFAULT_SETTINGS)
}

/// The unit of the QR-wallet `amount` the client was told, or a `config` error. The sources
/// conflict (spec §0.4: S2 says tiyin, S1 says sums) and a wrong guess charges 100 times too
/// much or too little, so kassa refuses to pick one.
pub fn wallet_amount_unit(config: &Config) -> Result<WalletAmountUnit> {
    settings_of(config).wallet_amount_unit.ok_or_else(|| {
        KassaError::config(
            "walletAmountUnit",
            "is not set, and the QR-wallet payments (click, payme, uzum, anor, qrWalletSale) need it: FiscalBox's sources conflict on the unit of their `amount` — tiyin (S2, the fiscal_document docs) or sums (S1, dev.fbox.uz) — and a wrong guess charges the customer 100 times too much or too little. Ask FiscalBox which unit the device expects, then create the client with walletAmountUnit: 'tiyin' or 'sum'. Nothing was sent.",
        )
    })
}

// ---------------------------------------------------------------------------------------
// Request encoding

/// The path as sent: documented spelling, or without the trailing slash (`trailingSlash: 'none'`).
pub fn wire_path(config: &Config, path: &'static str) -> String {
    match settings_of(config).trailing_slash {
        TrailingSlash::None if path.len() > 1 => path.trim_end_matches('/').to_string(),
        _ => path.to_string(),
    }
}

/// Plain JSON requests: GET params in the query, POST params as a JSON body (plus the
/// op's `query` params, e.g. `time` of the POST Z-report). No auth header (none documented).
fn encode(config: &Config, op: &Operation, mut params: Map, ctx: &BuildCtx) -> Result<HttpRequest> {
    if op.params.iter().any(|f| f.name == "time") {
        stamp_time(config, &mut params, ctx)?;
    }
    if let Some(Json::Object(extra)) = params.get_mut("extra_info") {
        format_provider_code(config, extra);
    }
    let path = wire_path(config, op.path);
    let parts = split_url(config, op, &path, params)?;
    let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
    let body = match op.method {
        Method::Get => None,
        Method::Post | Method::Delete => {
            // As seed 004's curl sends it.
            headers.push(("Content-Type".to_string(), "application/json".to_string()));
            Some(Json::Object(parts.body).to_compact())
        }
    };
    Ok(HttpRequest {
        method: op.method,
        url: parts.url,
        headers,
        body,
    })
}

/// Fills `time` with the current device-local time when absent; rejects a given one that is
/// further from now than the device accepts (±5 minutes, error 104 "Invalid time").
fn stamp_time(config: &Config, params: &mut Map, ctx: &BuildCtx) -> Result<()> {
    let offset = settings_of(config).time_zone_offset_minutes;
    let given = params
        .get("time")
        .and_then(Json::as_str)
        .map(str::to_string);
    let Some(given) = given else {
        let now = ctx.now_ms.ok_or_else(|| {
            KassaError::validation(
                "time",
                "is required here (no clock is available to stamp it): pass the device-local time as yyyy-MM-dd HH:mm:ss",
            )
        })?;
        let stamp = DateTime::from_unix_ms(now, offset).to_spaced();
        params.insert("time", Json::str(stamp));
        return Ok(());
    };
    let max_skew = settings_of(config).max_time_skew_minutes;
    let (Some(now), Some(parsed)) = (ctx.now_ms, time::parse_spaced(&given)) else {
        return Ok(());
    };
    if max_skew == 0 {
        return Ok(());
    }
    let given_utc = parsed.to_unix_seconds() - offset * 60;
    let skew_seconds = given_utc - now.div_euclid(1000);
    if skew_seconds.abs() > max_skew * 60 {
        let now_local = DateTime::from_unix_ms(now, offset).to_spaced();
        let sign = if offset < 0 { '-' } else { '+' };
        let direction = if skew_seconds > 0 {
            "ahead of"
        } else {
            "behind"
        };
        return Err(KassaError::validation(
            "time",
            format!(
                "is {} minutes {direction} the current time ({now_local}, UTC{sign}{:02}:{:02}); FiscalBox rejects a time more than ±{max_skew} minutes off its clock (error 104 \"Invalid time\"). Leave `time` out so kassa stamps it, fix this computer's or the device's clock, or set timeZoneOffsetMinutes to the device's zone (maxTimeSkewMinutes: 0 skips this check)",
                skew_seconds.abs() / 60,
                offset.abs() / 60,
                offset.abs() % 60
            ),
        ));
    }
    Ok(())
}

/// Sends `qr_payment_provider` as 141 (default) or "0141" (`providerCodeFormat: 'padded'`).
fn format_provider_code(config: &Config, extra: &mut Map) {
    let Some(code) = extra.get("qr_payment_provider").and_then(provider_code) else {
        return;
    };
    let value = match settings_of(config).provider_code_format {
        ProviderCodeFormat::Padded => Json::str(format!("{code:04}")),
        ProviderCodeFormat::Integer => Json::int(code),
    };
    extra.insert("qr_payment_provider", value);
}

fn encode_wallet(
    config: &Config,
    op: &Operation,
    mut params: Map,
    ctx: &BuildCtx,
) -> Result<HttpRequest> {
    if wallet_amount_unit(config)? == WalletAmountUnit::Sum {
        let tiyin = params.get("amount").and_then(Json::as_i64).unwrap_or(0);
        if tiyin % 100 != 0 {
            return Err(KassaError::validation(
                "amount",
                format!("must be whole sums (a multiple of 100 tiyin) with walletAmountUnit: 'sum', which sends the amount in sums (got {tiyin} tiyin)"),
            ));
        }
        params.insert("amount", Json::int(tiyin / 100));
    }
    encode(config, op, params, ctx)
}

fn id_as_text(params: &mut Map, key: &str) {
    if let Some(Json::Number(n)) = params.get(key) {
        let text = n.literal().to_string();
        params.insert(key, Json::str(text));
    }
}

fn encode_confirm(
    config: &Config,
    op: &Operation,
    mut params: Map,
    ctx: &BuildCtx,
) -> Result<HttpRequest> {
    id_as_text(&mut params, "payment_id");
    encode(config, op, params, ctx)
}

/// The `r` and `s` query parameters of a Soliq link.
fn receipt_parts(url: &str) -> (Option<String>, Option<String>) {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let pairs = parse_query(query.split('#').next().unwrap_or(""));
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    (get("r"), get("s"))
}

fn encode_payme_confirm(
    config: &Config,
    op: &Operation,
    mut params: Map,
    ctx: &BuildCtx,
) -> Result<HttpRequest> {
    if settings_of(config).payme_confirm_fields == PaymeConfirmFields::Legacy {
        let url = params
            .get("qr_code")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        let (r, s) = receipt_parts(&url);
        for (key, value) in [("receipt_id", r), ("fiscal_sign", s)] {
            if params.contains_key(key) {
                continue;
            }
            let value = value.ok_or_else(|| {
                KassaError::validation(
                    key,
                    "is required with paymeConfirmFields: 'legacy' and qr_code has no `r`/`s` parameter to take it from",
                )
            })?;
            params.insert(key, Json::str(value));
        }
    }
    encode_confirm(config, op, params, ctx)
}

fn encode_zreport(
    close: bool,
    config: &Config,
    op: &Operation,
    mut params: Map,
    ctx: &BuildCtx,
) -> Result<HttpRequest> {
    let mut body = Map::new();
    body.insert("close_zreport", Json::Bool(close));
    for (k, v) in params.iter() {
        body.insert(k.clone(), v.clone());
    }
    params = body;
    encode(config, op, params, ctx)
}

fn encode_close_printed(
    config: &Config,
    op: &Operation,
    params: Map,
    ctx: &BuildCtx,
) -> Result<HttpRequest> {
    encode_zreport(true, config, op, params, ctx)
}

fn encode_x_report(
    config: &Config,
    op: &Operation,
    params: Map,
    ctx: &BuildCtx,
) -> Result<HttpRequest> {
    encode_zreport(false, config, op, params, ctx)
}

// ---------------------------------------------------------------------------------------
// Cross-field rules

fn check_order(params: &Map, _config: &Config) -> Result<()> {
    let extra = params.get("extra_info").and_then(Json::as_object);
    if params.get("card_type").and_then(Json::as_i64) == Some(3)
        && extra.and_then(|e| e.get("card_number")).is_none()
    {
        return Err(KassaError::validation(
            "extra_info.card_number",
            "is required with card_type 3 (social card): the card's first 4 and last 4 digits, e.g. 1234********1234",
        ));
    }
    if let Some(extra) = extra {
        let has_provider = extra.contains_key("qr_payment_provider");
        let has_id = extra.contains_key("qr_payment_id");
        if has_provider != has_id {
            let missing = if has_provider {
                "qr_payment_id"
            } else {
                "qr_payment_provider"
            };
            return Err(KassaError::validation(
                format!("extra_info.{missing}"),
                "is required together with the other QR-wallet field: a wallet payment needs both qr_payment_id (the payment's payment_id) and qr_payment_provider (141 Payme, 64 Click, 161 Uzum, 187 Anor)",
            ));
        }
    }
    let cash = params
        .get("received_cash")
        .and_then(Json::as_i64)
        .unwrap_or(0);
    let change = params.get("change").and_then(Json::as_i64).unwrap_or(0);
    if change > cash {
        return Err(KassaError::validation(
            "change",
            format!("must not exceed received_cash ({change} > {cash} tiyin): change is given back from the cash received"),
        ));
    }
    Ok(())
}

fn check_pinpad(params: &Map, _config: &Config) -> Result<()> {
    let is_return = params.get("is_return").and_then(Json::as_bool) == Some(true);
    match (is_return, params.contains_key("request_id")) {
        (true, false) => Err(KassaError::validation(
            "request_id",
            "is required with is_return: true: the RRN (`ppt_id`) of the transaction to cancel",
        )),
        (false, true) => Err(KassaError::validation(
            "is_return",
            "must be true when request_id is given (request_id names the transaction to cancel/return; leave it out to pay)",
        )),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// Result hooks

fn outcome_json(outcome: Option<Outcome>) -> Json {
    outcome.map(|o| Json::str(o.as_str())).unwrap_or(Json::Null)
}

/// Reads a provider status word: `successfully`/`SUCCESS`/`success` → success; failed,
/// error, cancelled, declined, rejected → failed; anything else → pending.
pub fn status_word_outcome(status: &str) -> Outcome {
    let s = status.trim().to_ascii_lowercase();
    if matches!(
        s.as_str(),
        "successfully" | "success" | "paid" | "confirmed" | "completed" | "ok"
    ) {
        Outcome::Success
    } else if ["fail", "error", "cancel", "declin", "reject", "expired"]
        .iter()
        .any(|w| s.contains(w))
    {
        Outcome::Failed
    } else {
        Outcome::Pending
    }
}

/// The outcome of a wallet payment or confirmation: `payment_status` (Uzum) when it is text,
/// else `status`, else `status_code` (0 = success); null when none is given.
pub fn wallet_outcome(data: &Map) -> Option<Outcome> {
    if let Some(status) = data.get("payment_status").and_then(Json::as_str) {
        return Some(status_word_outcome(status));
    }
    if let Some(status) = data.get("status").and_then(Json::as_str) {
        return Some(status_word_outcome(status));
    }
    match data.get("status_code").and_then(Json::as_i64) {
        Some(0) => Some(Outcome::Success),
        Some(_) => Some(Outcome::Failed),
        None => None,
    }
}

fn finish_outcome(result: &mut Json, _config: &Config) -> Result<()> {
    if let Some(map) = result.as_object_mut() {
        let outcome = wallet_outcome(map);
        map.insert("outcome", outcome_json(outcome));
    }
    Ok(())
}

fn is_zero_or_null(value: Option<&Json>) -> bool {
    match value {
        None | Some(Json::Null) => true,
        Some(Json::Number(n)) => n.as_i64() == Some(0),
        Some(Json::String(s)) => s.trim().is_empty() || s.trim() == "0",
        Some(_) => false,
    }
}

/// A confirmation succeeded when its error field (`error` for Payme, `error_code` for Anor) is
/// absent, null, 0 or empty.
fn confirm_outcome(result: &mut Json, error_field: &str) {
    if let Some(map) = result.as_object_mut() {
        let outcome = if is_zero_or_null(map.get(error_field)) {
            Outcome::Success
        } else {
            Outcome::Failed
        };
        map.insert("outcome", Json::str(outcome.as_str()));
    }
}

fn finish_payme_confirm(result: &mut Json, _config: &Config) -> Result<()> {
    confirm_outcome(result, "error");
    Ok(())
}

fn finish_anor_confirm(result: &mut Json, _config: &Config) -> Result<()> {
    confirm_outcome(result, "error_code");
    Ok(())
}

fn finish_scan2pay_status(result: &mut Json, _config: &Config) -> Result<()> {
    if let Some(map) = result.as_object_mut() {
        let inner = map
            .get("data")
            .and_then(|d| d.get("status"))
            .and_then(Json::as_str)
            .map(status_word_outcome);
        let outer = map
            .get("status")
            .and_then(Json::as_str)
            .map(status_word_outcome);
        let outcome = match (inner, outer) {
            (Some(o), _) => Some(o),
            (None, Some(Outcome::Failed)) => Some(Outcome::Failed),
            (None, Some(_)) => Some(Outcome::Pending),
            (None, None) => None,
        };
        map.insert("outcome", outcome_json(outcome));
    }
    Ok(())
}

fn finish_status_table(result: &mut Json, table: &crate::codes::CodeTable) {
    if let Some(map) = result.as_object_mut() {
        let entry = map
            .get("status")
            .and_then(Json::as_i64)
            .and_then(|s| table.find_int(s));
        let outcome = entry.map(|e| e.outcome.unwrap_or(Outcome::Pending));
        map.insert("outcome", outcome_json(outcome.or(Some(Outcome::Pending))));
        let meaning = entry
            .map(|e| e.meaning)
            .unwrap_or("a status not in the published table (treated as pending)");
        map.insert("status_meaning", Json::str(meaning));
    }
}

fn finish_uzqr_status(result: &mut Json, _config: &Config) -> Result<()> {
    finish_status_table(result, &codes::UZQR_STATUSES);
    Ok(())
}

fn finish_uzqr_refund(result: &mut Json, _config: &Config) -> Result<()> {
    finish_status_table(result, &codes::UZQR_REFUND_STATUSES);
    Ok(())
}

fn finish_order_last(result: &mut Json, _config: &Config) -> Result<()> {
    let non_empty = |v: Option<&Json>| {
        v.and_then(Json::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
    };
    let link = non_empty(result.pointer(&["result", "QRCodeURL"]))
        .or_else(|| non_empty(result.pointer(&["order", "result_url"])));
    if let Some(map) = result.as_object_mut() {
        map.insert("qr_url", link.map(Json::String).unwrap_or(Json::Null));
    }
    Ok(())
}

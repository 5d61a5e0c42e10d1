//! One receipt model across providers. A merchant fiscalizing through several providers
//! (Tarlan AGWS in Kazakhstan, Assist, FiscalBox in Uzbekistan) handles receipts one way:
//! `toFiscalReceipt(provider, result)` turns each provider's receipt result into the same
//! `FiscalReceipt` shape. The provider's own result stays available under `raw`.
//!
//! What each provider gives (and what stays `null`):
//! - AGWS `fiscalReceipt` (spec/tarlan-agws.md §2.8): the fiscal attribute (`fiscal_number`)
//!   and the receipt link — no total, date or items.
//! - Assist `fiscalreceipt` (spec/assist.md §1): status, fiscal attribute, numbers, date, total,
//!   items (`chequeItems`, a JSON string) and the link; field names read case-insensitively.
//! - FiscalBox `orderCreate` / `orderRefuse` (spec/fiscalbox.md §2–3): terminal id, receipt
//!   number, date-time, fiscal sign, Soliq link; `orderLast` (§5) also the lines and totals;
//!   a `qrWalletSale` flow result also the lines of the order it sent.

use crate::assist::codes as assist_codes;
use crate::codes::Outcome;
use crate::error::{KassaError, Result};
use crate::fiscalbox::soliq;
use crate::helper::{arg, str_arg, Helper, HelperFn};
use crate::json::{self, Json, Map};
use crate::money::Decimal;
use crate::schema::native_only;
use crate::time::{self, DateTime};

/// Which provider produced a receipt result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptProvider {
    Agws,
    Assist,
    FiscalBox,
}

impl ReceiptProvider {
    pub fn id(self) -> &'static str {
        match self {
            ReceiptProvider::Agws => "agws",
            ReceiptProvider::Assist => "assist",
            ReceiptProvider::FiscalBox => "fiscalbox",
        }
    }

    /// The provider id, or the class name of its JavaScript client, any case.
    pub fn from_name(name: &str) -> Option<ReceiptProvider> {
        match name.trim().to_ascii_lowercase().as_str() {
            "agws" | "tarlan" | "tarlanagws" | "tarlan-agws" => Some(ReceiptProvider::Agws),
            "assist" | "assistfiscal" => Some(ReceiptProvider::Assist),
            "fiscalbox" | "fbox" => Some(ReceiptProvider::FiscalBox),
            _ => None,
        }
    }
}

const ISSUED: &str = "issued";
const PENDING: &str = "pending";
const FAILED: &str = "failed";

/// The common receipt, before it becomes JSON.
#[derive(Clone, Debug, Default)]
struct Receipt {
    status: &'static str,
    provider_status: Option<String>,
    fiscal_sign: Option<String>,
    receipt_number: Option<String>,
    document_number: Option<String>,
    terminal_id: Option<String>,
    receipt_url: Option<String>,
    total: Option<String>,
    currency: Option<&'static str>,
    date_time: Option<String>,
    is_refund: Option<bool>,
    items: Option<Vec<Json>>,
    error: Option<String>,
}

fn opt_str(v: Option<String>) -> Json {
    v.map(Json::String).unwrap_or(Json::Null)
}

impl Receipt {
    fn into_json(self, provider: ReceiptProvider, raw: Json) -> Json {
        let mut m = Map::new();
        m.insert("provider", Json::str(provider.id()));
        m.insert("status", Json::str(self.status));
        m.insert("provider_status", opt_str(self.provider_status));
        m.insert("fiscal_sign", opt_str(self.fiscal_sign));
        m.insert("receipt_number", opt_str(self.receipt_number));
        m.insert("document_number", opt_str(self.document_number));
        m.insert("terminal_id", opt_str(self.terminal_id));
        m.insert("receipt_url", opt_str(self.receipt_url));
        m.insert("total", opt_str(self.total));
        m.insert(
            "currency",
            self.currency.map(Json::str).unwrap_or(Json::Null),
        );
        m.insert("date_time", opt_str(self.date_time));
        m.insert(
            "is_refund",
            self.is_refund.map(Json::Bool).unwrap_or(Json::Null),
        );
        m.insert("items", self.items.map(Json::Array).unwrap_or(Json::Null));
        m.insert("error", opt_str(self.error));
        m.insert("raw", raw);
        Json::Object(m)
    }
}

// ---------------------------------------------------------------------------------------
// Small readers

fn decimal(v: Option<&Json>) -> Option<Decimal> {
    match v? {
        Json::Number(n) => Decimal::parse(n.literal()),
        Json::String(s) => Decimal::parse(s.trim().replace(',', ".").as_str()),
        _ => None,
    }
}

/// A money amount with at least two decimals: `8530.40`, `450000.00`.
fn money_text(d: Decimal) -> String {
    if d.decimals() <= 2 {
        if let Some(minor) = d.to_minor_units(2) {
            return minor_text(minor);
        }
    }
    d.to_string()
}

/// Minor units (tiyin, cents) as a decimal string with two decimals.
fn minor_text(minor: i128) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn iso(dt: &DateTime, zone: Option<i64>) -> String {
    match zone {
        Some(offset) => dt.to_iso8601(offset),
        None => soliq::local_iso(dt),
    }
}

/// `dd.MM.yyyy HH:mm[:ss]`, the Russian form Assist's platform prints elsewhere.
fn parse_dotted(s: &str) -> Option<DateTime> {
    let (date, clock) = s.split_once(' ')?;
    let mut d = date.split('.');
    let (day, month, year) = (d.next()?, d.next()?, d.next()?);
    if d.next().is_some() || day.len() != 2 || month.len() != 2 || year.len() != 4 {
        return None;
    }
    let mut c = clock.trim().split(':');
    let (hour, minute) = (c.next()?, c.next()?);
    let second = c.next().unwrap_or("00");
    if c.next().is_some() {
        return None;
    }
    let spaced = format!("{year}-{month}-{day} {hour:0>2}:{minute}:{second}");
    time::parse_spaced(&spaced)
}

/// Any date-time form the providers print, as `yyyy-MM-ddTHH:mm:ss[zone]`.
fn date_time(v: Option<&Json>) -> Option<String> {
    let s = v.and_then(Json::as_nonblank_text).map(String::from)?;
    if let Some(dt) = time::parse_compact(&s) {
        return Some(iso(&dt, None));
    }
    if let Some(dt) = time::parse_spaced(&s) {
        return Some(iso(&dt, None));
    }
    if let Some((dt, zone)) = time::parse_iso8601(&s) {
        return Some(iso(&dt, zone));
    }
    parse_dotted(&s).map(|dt| iso(&dt, None))
}

fn item(
    name: Option<String>,
    quantity: Option<String>,
    price: Option<String>,
    total: Option<String>,
    discount: Option<String>,
    vat_percent: Option<Json>,
) -> Json {
    let mut m = Map::new();
    m.insert("name", opt_str(name));
    m.insert("quantity", opt_str(quantity));
    m.insert("price", opt_str(price));
    m.insert("total", opt_str(total));
    m.insert("discount", opt_str(discount));
    m.insert("vat_percent", vat_percent.unwrap_or(Json::Null));
    Json::Object(m)
}

fn not_a(what: &str, rule: &str) -> KassaError {
    KassaError::validation("result", format!("is not {what}: {rule}"))
}

// ---------------------------------------------------------------------------------------
// Tarlan AGWS

fn from_agws(result: &Json) -> Result<Receipt> {
    let Json::Object(top) = result else {
        return Err(not_a("an AGWS fiscalReceipt result", "expected an object"));
    };
    // The parsed result `{fiscal_number, fiscal_check_url}`, or the whole response body.
    let body = match top.get("result") {
        Some(Json::Object(inner)) if !top.contains_key("fiscal_number") => {
            if top.get("status") == Some(&Json::Bool(false)) {
                return Err(not_a(
                    "a fiscal receipt",
                    "AGWS answered status false; parse the response with the client to get its error",
                ));
            }
            inner
        }
        _ => top,
    };
    if !body.contains_key("fiscal_number") && !body.contains_key("fiscal_check_url") {
        return Err(not_a(
            "an AGWS fiscalReceipt result",
            "it has neither fiscal_number nor fiscal_check_url",
        ));
    }
    let fiscal_sign = body
        .get("fiscal_number")
        .and_then(Json::as_nonblank_text)
        .map(String::from);
    let receipt_url = body
        .get("fiscal_check_url")
        .and_then(Json::as_nonblank_text)
        .map(String::from);
    Ok(Receipt {
        status: if fiscal_sign.is_some() || receipt_url.is_some() {
            ISSUED
        } else {
            PENDING
        },
        fiscal_sign,
        receipt_url,
        ..Receipt::default()
    })
}

// ---------------------------------------------------------------------------------------
// Assist

/// The receipt status: the Assist client's `outcome` when the result came through it, else
/// the status looked up in the same table (`AssistFiscal.codes.receiptStatuses`), so both
/// paths agree. Unknown statuses are not final: pending.
fn assist_status(m: &Map) -> &'static str {
    let outcome = match m.get("outcome").and_then(Json::as_str) {
        Some("success") => Some(Outcome::Success),
        Some("failed") => Some(Outcome::Failed),
        Some("pending") => Some(Outcome::Pending),
        _ => m
            .get_ci("status")
            .and_then(Json::as_nonblank_text)
            .map(String::from)
            .and_then(|s| assist_codes::status(&s))
            .map(|c| c.outcome.unwrap_or(Outcome::Pending)),
    };
    match outcome {
        Some(Outcome::Success) => ISSUED,
        Some(Outcome::Failed) => FAILED,
        _ => PENDING,
    }
}

/// `vat10` → 10, `vat0` → 0; other tax ids (e.g. `none`, `vat110`) → null.
fn assist_vat(tax: Option<&Json>) -> Json {
    let Some(t) = tax.and_then(Json::as_str) else {
        return Json::Null;
    };
    match t.trim().to_ascii_lowercase().strip_prefix("vat") {
        Some(digits @ ("0" | "5" | "7" | "10" | "12" | "16" | "18" | "20" | "22")) => {
            digits.parse::<i64>().map(Json::int).unwrap_or(Json::Null)
        }
        _ => Json::Null,
    }
}

fn assist_items(v: Option<&Json>) -> Result<Option<Vec<Json>>> {
    let parsed;
    let value = match v {
        None | Some(Json::Null) => return Ok(None),
        Some(Json::String(s)) if s.trim().is_empty() => return Ok(None),
        // The documented form: a JSON string that needs a second decode.
        Some(Json::String(s)) => {
            parsed = json::parse(s).map_err(|e| {
                KassaError::validation("result.chequeItems", format!("is not valid JSON: {e}"))
            })?;
            &parsed
        }
        Some(other) => other,
    };
    let list = match value {
        Json::Array(a) => a,
        Json::Object(m) => match m.get_ci("items") {
            Some(Json::Array(a)) => a,
            _ => {
                return Err(KassaError::validation(
                    "result.chequeItems",
                    "must be {\"items\": [...]} or an array of items",
                ))
            }
        },
        _ => {
            return Err(KassaError::validation(
                "result.chequeItems",
                "must be {\"items\": [...]} or an array of items",
            ))
        }
    };
    let mut items = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let Json::Object(m) = entry else {
            return Err(KassaError::validation(
                format!("result.chequeItems[{i}]"),
                "must be an object",
            ));
        };
        items.push(item(
            m.get_ci("name")
                .and_then(Json::as_nonblank_text)
                .map(String::from)
                .or_else(|| {
                    m.get_ci("product")
                        .and_then(Json::as_nonblank_text)
                        .map(String::from)
                }),
            decimal(m.get_ci("quantity")).map(|d| d.to_string()),
            decimal(m.get_ci("price")).map(money_text),
            decimal(m.get_ci("amount")).map(money_text),
            None,
            Some(assist_vat(m.get_ci("tax"))),
        ));
    }
    Ok(Some(items))
}

fn assist_refund(m: &Map) -> Option<bool> {
    let t = m
        .get_ci("calc_type")
        .and_then(Json::as_nonblank_text)
        .map(String::from)
        .or_else(|| {
            m.get_ci("type")
                .and_then(Json::as_nonblank_text)
                .map(String::from)
        })?;
    let t = t.to_lowercase();
    if t.contains("refund") || t.contains("возврат") {
        Some(true)
    } else if t.contains("sell") || t.contains("приход") {
        Some(false)
    } else {
        None
    }
}

fn from_assist_one(m: &Map) -> Result<Receipt> {
    let provider_status = m
        .get_ci("status")
        .and_then(Json::as_nonblank_text)
        .map(String::from);
    let known = [
        "status",
        "fiscalreceipt_id",
        "billnumber",
        "url",
        "fiscal_document_attribute",
    ];
    if !known.iter().any(|k| m.get_ci(k).is_some()) {
        return Err(not_a(
            "an Assist fiscalreceipt result",
            "it has none of status, fiscalreceipt_ID, billnumber, url, fiscal_document_attribute",
        ));
    }
    let status = assist_status(m);
    Ok(Receipt {
        status,
        fiscal_sign: m
            .get_ci("fiscal_document_attribute")
            .and_then(Json::as_nonblank_text)
            .map(String::from),
        receipt_number: m
            .get_ci("fiscal_receipt_number")
            .and_then(Json::as_nonblank_text)
            .map(String::from),
        document_number: m
            .get_ci("fiscal_document_number")
            .and_then(Json::as_nonblank_text)
            .map(String::from),
        terminal_id: m
            .get_ci("fn_number")
            .and_then(Json::as_nonblank_text)
            .map(String::from),
        receipt_url: m
            .get_ci("url")
            .and_then(Json::as_nonblank_text)
            .map(String::from),
        total: decimal(m.get_ci("total")).map(money_text),
        // The currency is the order's; the receipt does not name it.
        currency: None,
        date_time: date_time(m.get_ci("receipt_datetime")),
        is_refund: assist_refund(m),
        items: assist_items(m.get_ci("chequeItems"))?,
        error: m
            .get_ci("errortext")
            .and_then(Json::as_nonblank_text)
            .map(String::from),
        provider_status,
    })
}

// ---------------------------------------------------------------------------------------
// FiscalBox

/// Unwraps `{result: {data, is_success}}` / `{data, is_success}` response bodies.
fn fiscalbox_payload(result: &Json) -> Result<&Json> {
    let mut v = result;
    if let Some(inner @ Json::Object(_)) = v.get("result") {
        if inner.get("is_success").is_some() {
            v = inner;
        }
    }
    if let Some(success) = v.get("is_success") {
        if success != &Json::Bool(true) {
            return Err(not_a(
                "a fiscal receipt",
                "the FiscalBox response reports is_success false; parse it with the client to get its error",
            ));
        }
        return v
            .get("data")
            .filter(|d| matches!(d, Json::Object(_)))
            .ok_or_else(|| not_a("a FiscalBox receipt", "the response has no data"));
    }
    Ok(v)
}

fn tiyin(v: Option<&Json>) -> Option<i128> {
    v.and_then(Json::as_i64).map(i128::from)
}

/// Lines of an order (request `products` or `orderLast` order): quantity ×1000, tiyin.
fn fiscalbox_items(products: Option<&Json>) -> (Option<Vec<Json>>, Option<i128>) {
    let Some(Json::Array(list)) = products else {
        return (None, None);
    };
    let mut items = Vec::with_capacity(list.len());
    let mut total: Option<i128> = Some(0);
    for p in list {
        let line = tiyin(p.get("price"));
        let discount = tiyin(p.get("discount"));
        total = match (total, line) {
            (Some(t), Some(l)) => t.checked_add(l - discount.unwrap_or(0)),
            _ => None,
        };
        items.push(item(
            p.get("name")
                .and_then(Json::as_nonblank_text)
                .map(String::from),
            p.get("amount")
                .and_then(Json::as_i64)
                .map(|q| Decimal::from_units(i128::from(q), 3).to_string()),
            tiyin(p.get("product_price")).map(minor_text),
            line.map(minor_text),
            discount.map(minor_text),
            Some(p.get("vat_percent").cloned().unwrap_or(Json::Null)),
        ));
    }
    (Some(items), total)
}

fn fill_from_link(r: &mut Receipt) {
    let Some(link) = r.receipt_url.as_deref().and_then(|u| soliq::parse(u).ok()) else {
        return;
    };
    r.terminal_id.get_or_insert(link.terminal_id.clone());
    r.receipt_number
        .get_or_insert(link.receipt_number.to_string());
    r.fiscal_sign.get_or_insert(link.fiscal_sign.clone());
    r.date_time
        .get_or_insert_with(|| soliq::local_iso(&link.date_time));
}

fn from_fiscalbox(result: &Json, order: Option<&Json>) -> Result<Receipt> {
    let payload = fiscalbox_payload(result)?;
    let Json::Object(m) = payload else {
        return Err(not_a("a FiscalBox receipt", "expected an object"));
    };
    // A qrWalletSale flow result: `{receipt, order, ...}`.
    if let Some(receipt @ Json::Object(_)) = m.get("receipt") {
        let order = order.or(m.get("order"));
        return from_fiscalbox(receipt, order);
    }
    let mut r = Receipt {
        status: ISSUED,
        currency: Some("UZS"),
        ..Receipt::default()
    };
    let lines;
    if let Some(Json::Object(fm)) = m.get("result").filter(|_| m.contains_key("order")) {
        // orderLast: the fiscal module's answer in PascalCase, the stored order beside it.
        r.terminal_id = fm
            .get("TerminalID")
            .and_then(Json::as_nonblank_text)
            .map(String::from);
        r.receipt_number = fm
            .get("ReceiptSeq")
            .and_then(Json::as_nonblank_text)
            .map(String::from);
        r.date_time = date_time(fm.get("DateTime"));
        r.fiscal_sign = fm
            .get("FiscalSign")
            .and_then(Json::as_nonblank_text)
            .map(String::from);
        r.receipt_url = fm
            .get("QRCodeURL")
            .and_then(Json::as_nonblank_text)
            .map(String::from);
        let stored = m.get("order");
        r.receipt_url = r
            .receipt_url
            .or_else(|| {
                m.get("qr_url")
                    .and_then(Json::as_nonblank_text)
                    .map(String::from)
            })
            .or_else(|| {
                stored
                    .and_then(|o| o.get("result_url"))
                    .and_then(Json::as_nonblank_text)
                    .map(String::from)
            });
        r.date_time = r
            .date_time
            .or_else(|| date_time(stored.and_then(|o| o.get("time"))));
        r.is_refund = m.get("isRefund").and_then(Json::as_bool);
        lines = stored;
    } else if m.contains_key("order") && !m.contains_key("terminal_id") {
        // orderLast without a fiscal result (e.g. `result: null`).
        let stored = m.get("order");
        r.receipt_url = m
            .get("qr_url")
            .and_then(Json::as_nonblank_text)
            .map(String::from)
            .or_else(|| {
                stored
                    .and_then(|o| o.get("result_url"))
                    .and_then(Json::as_nonblank_text)
                    .map(String::from)
            });
        r.date_time = date_time(stored.and_then(|o| o.get("time")));
        r.is_refund = m.get("isRefund").and_then(Json::as_bool);
        lines = stored;
    } else {
        // orderCreate / orderRefuse.
        r.terminal_id = m
            .get("terminal_id")
            .and_then(Json::as_nonblank_text)
            .map(String::from);
        r.receipt_number = m
            .get("receipt_count")
            .and_then(Json::as_nonblank_text)
            .map(String::from);
        r.date_time = date_time(m.get("date_time"));
        r.fiscal_sign = m
            .get("fiscal_sign")
            .and_then(Json::as_nonblank_text)
            .map(String::from);
        r.receipt_url = m
            .get("qr_url")
            .and_then(Json::as_nonblank_text)
            .map(String::from);
        lines = order;
        if let Some(o) = order {
            // A refund request names the refunded receipt in `qr_code`.
            r.is_refund = Some(
                o.get("qr_code")
                    .and_then(Json::as_nonblank_text)
                    .map(String::from)
                    .is_some(),
            );
        }
    }
    fill_from_link(&mut r);
    if r.fiscal_sign.is_none() && r.receipt_url.is_none() && r.terminal_id.is_none() {
        return Err(not_a(
            "a FiscalBox receipt",
            "expected an orderCreate, orderRefuse or orderLast result (terminal_id, fiscal_sign, qr_url)",
        ));
    }
    if let Some(source) = lines {
        let (items, total) = fiscalbox_items(source.get("products"));
        r.items = items;
        r.total = total.map(minor_text);
    }
    Ok(r)
}

// ---------------------------------------------------------------------------------------
// Entry points

/// The common receipt of one provider result (`order`: the FiscalBox order params that
/// produced an `orderCreate` result, for its lines and total).
pub fn to_fiscal_receipt_with(
    provider: ReceiptProvider,
    result: &Json,
    order: Option<&Json>,
) -> Result<Json> {
    match provider {
        ReceiptProvider::Agws => Ok(from_agws(result)?.into_json(provider, result.clone())),
        ReceiptProvider::FiscalBox => {
            Ok(from_fiscalbox(result, order)?.into_json(provider, result.clone()))
        }
        ReceiptProvider::Assist => {
            // `{fiscalreceipt: {...}}` (the JSON root Assist uses for each service) or the
            // receipt itself; an array (several receipts for one bill) maps item by item.
            let inner = match result {
                Json::Object(m) => m.get_ci("fiscalreceipt").unwrap_or(result),
                other => other,
            };
            match inner {
                Json::Object(m) => Ok(from_assist_one(m)?.into_json(provider, inner.clone())),
                Json::Array(list) => list
                    .iter()
                    .map(|r| match r {
                        Json::Object(m) => Ok(from_assist_one(m)?.into_json(provider, r.clone())),
                        _ => Err(not_a("an Assist fiscalreceipt result", "expected objects")),
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(Json::Array),
                _ => Err(not_a(
                    "an Assist fiscalreceipt result",
                    "expected an object",
                )),
            }
        }
    }
}

/// `toFiscalReceipt(provider, result)`.
pub fn to_fiscal_receipt(provider: &str, result: &Json) -> Result<Json> {
    let p = ReceiptProvider::from_name(provider).ok_or_else(|| {
        KassaError::validation(
            "provider",
            format!("must be 'agws', 'assist' or 'fiscalbox' (got {provider:?})"),
        )
    })?;
    let result = match result {
        // A response body handed over as text.
        Json::String(s) => json::parse(s)
            .map_err(|e| KassaError::validation("result", format!("is not valid JSON: {e}")))?,
        other => other.clone(),
    };
    to_fiscal_receipt_with(p, &result, None)
}

fn helper(args: &[Json]) -> Result<Json> {
    let provider = str_arg(args, 0, "provider")?;
    let result = arg(args, 1, "result")?;
    to_fiscal_receipt(provider, result)
}

pub static HELPERS: [Helper; 1] = [Helper {
    name: "toFiscalReceipt",
    run: HelperFn::Static(helper),
    ts: native_only(
        "/** One line of a FiscalReceipt. Amounts are exact decimal strings in currency units. */
export interface FiscalReceiptItem {
  name: string | null;
  /** Quantity as a decimal string ('1', '0.25', '42.345'). */
  quantity: string | null;
  /** Unit price. */
  price: string | null;
  /** Line total (price × quantity, before the discount). */
  total: string | null;
  /** Discount on the line (FiscalBox), else null. */
  discount: string | null;
  /** VAT rate in percent (FiscalBox vat_percent, Assist 'vat10' → 10), null when unknown or none. */
  vat_percent: number | null;
}

/** One receipt model across providers: what toFiscalReceipt returns. Unknown parts are null. */
export interface FiscalReceipt {
  provider: 'agws' | 'assist' | 'fiscalbox';
  /** 'issued' (fiscalized), 'pending' (not yet: ask again later), 'failed' (the provider could not create it). */
  status: 'issued' | 'pending' | 'failed';
  /** The provider's own status text (Assist 'Success' / 'New' / 'CreateError'), else null. */
  provider_status: string | null;
  /** The fiscal sign / attribute: AGWS fiscal_number, Assist fiscal_document_attribute, FiscalBox fiscal_sign (12 digits, leading zeros kept). */
  fiscal_sign: string | null;
  /** Receipt number: FiscalBox receipt_count (Soliq link r), Assist fiscal_receipt_number. */
  receipt_number: string | null;
  /** Fiscal document number (Assist fiscal_document_number). */
  document_number: string | null;
  /** Fiscal module / drive: FiscalBox terminal_id, Assist fn_number. */
  terminal_id: string | null;
  /** Where the customer sees the receipt: AGWS fiscal_check_url, Assist url, FiscalBox Soliq link. */
  receipt_url: string | null;
  /** Receipt total, exact decimal string in currency units ('450000.00'); null when the result does not carry it. */
  total: string | null;
  /** 'UZS' for FiscalBox; null when the provider does not say. */
  currency: string | null;
  /** 'yyyy-MM-ddTHH:mm:ss' local time of the fiscal document (a zone only when the provider wrote one). */
  date_time: string | null;
  /** True for a refund receipt, false for a sale, null when unknown. */
  is_refund: boolean | null;
  /** The lines, where the provider returns them (Assist chequeItems, FiscalBox orderLast / the order sent), else null. */
  items: FiscalReceiptItem[] | null;
  /** The provider's error text for the receipt (Assist errortext), else null. */
  error: string | null;
  /** The provider's result as given. */
  raw: unknown;
}

/**
 * Turns a provider's receipt result into one FiscalReceipt: provider 'agws' (TarlanAgws
 * fiscalReceipt), 'assist' (AssistFiscal fiscalReceipt; an array gives an array) or 'fiscalbox'
 * (FiscalBox orderCreate / orderRefuse / orderLast result, a qrWalletSale result, or `{ receipt, order }`:
 * an orderCreate result with the params sent, for its lines and total). Parsed
 * results and raw response bodies (object or JSON text) are both accepted.
 */
export declare function toFiscalReceipt(provider: 'assist', result: object[]): FiscalReceipt[];
export declare function toFiscalReceipt(provider: 'agws' | 'assist' | 'fiscalbox' | (string & {}), result: object | string): FiscalReceipt;",
    ),
}];

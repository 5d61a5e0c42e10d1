//! One receipt model across providers. A merchant fiscalizing through several providers
//! (Tarlan AGWS in Kazakhstan, Assist, FiscalBox in Uzbekistan) handles receipts one way:
//! `toFiscalReceipt(provider, result)` turns each provider's receipt result into the same
//! `FiscalReceipt` shape. The provider's own result stays available under `raw`.
//!
//! This module is the model and the readers the conversions share; each provider's own
//! conversion lives in its folder (`receipt.rs`) and is declared on its `ProviderDef`.
//!
//! What each provider gives (and what stays `null`):
//! - AGWS `fiscalReceipt` (spec/tarlan-agws.md §2.8): the fiscal attribute (`fiscal_number`)
//!   and the receipt link — no total, date or items.
//! - Assist `fiscalreceipt` (spec/assist.md §1): status, fiscal attribute, numbers, date, total,
//!   items (`chequeItems`, a JSON string) and the link; field names read case-insensitively.
//! - FiscalBox `orderCreate` / `orderRefuse` (spec/fiscalbox.md §2–3): terminal id, receipt
//!   number, date-time, fiscal sign, Soliq link; `orderLast` (§5) also the lines and totals;
//!   a `qrWalletSale` flow result also the lines of the order it sent.

use crate::error::{KassaError, Result};
use crate::json::{Json, Map};
use crate::money::Decimal;
use crate::schema::native_only;
use crate::time::{self, DateTime};

/// A provider's conversion of one of its results into the common `FiscalReceipt` JSON.
pub type ReceiptFn = fn(&Json) -> Result<Json>;

pub const ISSUED: &str = "issued";
pub const PENDING: &str = "pending";
pub const FAILED: &str = "failed";

/// The common receipt, before it becomes JSON.
#[derive(Clone, Debug, Default)]
pub struct Receipt {
    pub status: &'static str,
    pub provider_status: Option<String>,
    pub fiscal_sign: Option<String>,
    pub receipt_number: Option<String>,
    pub document_number: Option<String>,
    pub terminal_id: Option<String>,
    pub receipt_url: Option<String>,
    pub total: Option<String>,
    pub currency: Option<&'static str>,
    pub date_time: Option<String>,
    pub is_refund: Option<bool>,
    pub items: Option<Vec<Json>>,
    pub error: Option<String>,
}

fn opt_str(v: Option<String>) -> Json {
    v.map(Json::String).unwrap_or(Json::Null)
}

impl Receipt {
    /// The `FiscalReceipt` JSON of this receipt, `raw` being the provider's own result.
    pub fn into_json(self, provider: &str, raw: Json) -> Json {
        let mut m = Map::new();
        m.insert("provider", Json::str(provider));
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

pub fn decimal(v: Option<&Json>) -> Option<Decimal> {
    match v? {
        Json::Number(n) => Decimal::parse(n.literal()),
        Json::String(s) => Decimal::parse(s.trim().replace(',', ".").as_str()),
        _ => None,
    }
}

/// A money amount with at least two decimals: `8530.40`, `450000.00`.
pub fn money_text(d: Decimal) -> String {
    if d.decimals() <= 2 {
        if let Some(minor) = d.to_minor_units(2) {
            return minor_text(minor);
        }
    }
    d.to_string()
}

/// Minor units (tiyin, cents) as a decimal string with two decimals.
pub fn minor_text(minor: i128) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

pub fn iso(dt: &DateTime, zone: Option<i64>) -> String {
    match zone {
        Some(offset) => dt.to_iso8601(offset),
        None => dt.to_local_iso(),
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
pub fn date_time(v: Option<&Json>) -> Option<String> {
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

pub fn item(
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

pub fn not_a(what: &str, rule: &str) -> KassaError {
    KassaError::validation("result", format!("is not {what}: {rule}"))
}

/// TypeScript of the receipt model and of `toFiscalReceipt`.
pub const TS: &str = native_only(
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
);

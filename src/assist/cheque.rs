//! Assist cheque items («Работа с чеком», spec/assist.md §3): one typed model used to build
//! and validate the `ChequeItems` of `fiscalize`, to decode the `chequeItems` string that
//! `fiscalreceipt` returns, and by the JavaScript helper `AssistFiscal.chequeItems`.
//!
//! Money is exact: `price`, `quantity` and `amount` are decimal text end to end; `amount` must
//! be `price × quantity` to the cent and the total is the exact sum of the amounts.

use super::xml::{self, Element};
use crate::error::{KassaError, Result};
use crate::json::{self, Json, Map, Number};
use crate::money::Decimal;
use crate::schema::{self, Extra, Field, Ty};

/// Item fields beyond the documented table, from Assist's PHP SDK (marking codes, subject type).
const MARKING_FIELDS: [&str; 5] = ["eancode", "uncode", "gs1code", "furcode", "egaiscode"];

/// Largest number of items accepted in one cheque (not documented; a sanity bound).
pub const MAX_ITEMS: usize = 1000;

const ITEM_FIELDS: [Field; 15] = [
    Field::req("id", Ty::Int, "Position number, unique within the receipt."),
    Field::opt("product", Ty::Str, "Product code in the shop catalogue (≤ 50 chars); `product` or `name` is required."),
    Field::opt("name", Ty::Str, "Product name (≤ 250 chars); `product` or `name` is required."),
    Field::req("price", Ty::Decimal, "Unit price, at most 2 decimals (exact decimal; a string in results)."),
    Field::req("quantity", Ty::Decimal, "Quantity, fractional allowed (exact decimal; a string in results)."),
    Field::opt("amount", Ty::Decimal, "Line cost = price × quantity rounded to the cent; computed by kassa when omitted, checked when given."),
    Field::opt("tax", Ty::Str, "Tax-rate identifier (≤ 10 chars), e.g. vat0, vat10, vat12, vat20; the full list is not published."),
    Field::opt("hscode", Ty::Str, "HS (ТН ВЭД) commodity code, up to 13 digits."),
    Field::opt("fpmode", Ty::Int, "Settlement method (способ расчёта); codes not published."),
    Field::opt("eancode", Ty::Str, "EAN marking code (Assist PHP SDK field)."),
    Field::opt("uncode", Ty::Str, "Marking code (Assist PHP SDK field)."),
    Field::opt("gs1code", Ty::Str, "GS1 marking code (Assist PHP SDK field)."),
    Field::opt("furcode", Ty::Str, "Fur marking code (Assist PHP SDK field)."),
    Field::opt("egaiscode", Ty::Str, "EGAIS marking code (Assist PHP SDK field)."),
    Field::opt("subjtype", Ty::Int, "Subject type of the item (Assist PHP SDK field)."),
];

/// The item type, shared by params (`AssistChequeItemInput`) and results (`AssistChequeItem`).
pub const ITEM: Ty = Ty::Named("AssistChequeItem", &ITEM_FIELDS);
pub const ITEMS: Ty = Ty::Array(&ITEM);

/// What the request around the items says about taxes (§3 rules).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rules {
    /// Every item needs `tax` unless the request gives a request-level `Tax` or the merchant
    /// relies on the defaults set in the Assist personal account.
    pub require_tax: bool,
    /// `tax`/`fpmode` must not be sent (Assist cancel/refund requests, §3 footnote **).
    pub forbid_tax: bool,
}

/// One cheque position, with decimals kept as their exact text.
#[derive(Clone, Debug, PartialEq)]
pub struct ChequeItem {
    pub id: i64,
    pub product: Option<String>,
    pub name: Option<String>,
    pub price: String,
    pub quantity: String,
    /// `None` until built: then `price × quantity` rounded to the cent.
    pub amount: Option<String>,
    pub tax: Option<String>,
    pub hscode: Option<String>,
    pub fpmode: Option<i64>,
    /// Marking-code fields and `subjtype`, by wire name.
    pub more: Map,
}

impl ChequeItem {
    /// A position with its number, unit price and quantity (decimal text such as "201.45").
    pub fn new(id: i64, price: impl Into<String>, quantity: impl Into<String>) -> ChequeItem {
        ChequeItem {
            id,
            product: None,
            name: None,
            price: price.into(),
            quantity: quantity.into(),
            amount: None,
            tax: None,
            hscode: None,
            fpmode: None,
            more: Map::new(),
        }
    }

    pub fn product(mut self, product: impl Into<String>) -> ChequeItem {
        self.product = Some(product.into());
        self
    }

    pub fn name(mut self, name: impl Into<String>) -> ChequeItem {
        self.name = Some(name.into());
        self
    }

    /// The line cost as printed on the receipt; checked against price × quantity.
    pub fn amount(mut self, amount: impl Into<String>) -> ChequeItem {
        self.amount = Some(amount.into());
        self
    }

    pub fn tax(mut self, tax: impl Into<String>) -> ChequeItem {
        self.tax = Some(tax.into());
        self
    }

    pub fn hscode(mut self, hscode: impl Into<String>) -> ChequeItem {
        self.hscode = Some(hscode.into());
        self
    }

    pub fn fpmode(mut self, fpmode: i64) -> ChequeItem {
        self.fpmode = Some(fpmode);
        self
    }

    /// Reads one item from validated params JSON (see `ITEM`).
    fn from_map(map: &Map) -> ChequeItem {
        let text = |k: &str| map.get(k).and_then(decimal_text);
        let string = |k: &str| map.get(k).and_then(Json::as_str).map(str::to_string);
        let mut more = Map::new();
        for key in MARKING_FIELDS.iter().chain(["subjtype"].iter()) {
            if let Some(v) = map.get(key) {
                more.insert(*key, v.clone());
            }
        }
        ChequeItem {
            id: map.get("id").and_then(Json::as_i64).unwrap_or_default(),
            product: string("product"),
            name: string("name"),
            price: text("price").unwrap_or_default(),
            quantity: text("quantity").unwrap_or_default(),
            amount: text("amount"),
            tax: string("tax"),
            hscode: string("hscode"),
            fpmode: map.get("fpmode").and_then(Json::as_i64),
            more,
        }
    }

    /// The wire object: documented field order, decimals as JSON numbers (price and amount
    /// with two decimals, as in Assist's examples).
    pub fn to_json(&self) -> Json {
        let mut m = Map::new();
        m.insert("id", Json::int(self.id));
        if let Some(p) = &self.product {
            m.insert("product", Json::str(p.clone()));
        }
        if let Some(n) = &self.name {
            m.insert("name", Json::str(n.clone()));
        }
        m.insert("price", number(&self.price, true));
        m.insert("quantity", number(&self.quantity, false));
        if let Some(a) = &self.amount {
            m.insert("amount", number(a, true));
        }
        if let Some(t) = &self.tax {
            m.insert("tax", Json::str(t.clone()));
        }
        if let Some(h) = &self.hscode {
            m.insert("hscode", Json::str(h.clone()));
        }
        if let Some(f) = self.fpmode {
            m.insert("fpmode", Json::int(f));
        }
        for (k, v) in self.more.iter() {
            m.insert(k.clone(), v.clone());
        }
        Json::Object(m)
    }
}

fn decimal_text(value: &Json) -> Option<String> {
    match value {
        Json::Number(n) => Some(n.literal().to_string()),
        Json::String(s) => Some(s.trim().to_string()),
        _ => None,
    }
}

/// Renders an already validated decimal as a JSON number literal (`8530.4` → `8530.40` when
/// `cents`).
fn number(text: &str, cents: bool) -> Json {
    let rendered = match Decimal::parse(text) {
        Some(d) if cents => fixed2(d),
        Some(d) => d.to_string(),
        None => text.to_string(),
    };
    Json::Number(Number::from_literal(rendered))
}

/// `8530.4` → `8530.40`, `100` → `100.00`.
pub fn fixed2(d: Decimal) -> String {
    let text = d.round(2).to_string();
    match text.split_once('.') {
        Some((int, frac)) => format!("{int}.{frac:0<2}"),
        None => format!("{text}.00"),
    }
}

/// A validated cheque: items with their amounts, and the exact total.
#[derive(Clone, Debug, PartialEq)]
pub struct Cheque {
    pub items: Vec<ChequeItem>,
    pub total: Decimal,
}

impl Cheque {
    /// `{"items":[...]}` — what `ChequeItems` carries on the wire.
    pub fn to_json(&self) -> Json {
        let items = self.items.iter().map(ChequeItem::to_json).collect();
        json::obj([("items", Json::Array(items))])
    }

    pub fn wire_text(&self) -> String {
        self.to_json().to_compact()
    }

    /// The documented XML form: a sequence of `<chequeitem>` elements. `path` names the param
    /// in errors (text XML cannot carry is refused).
    pub fn to_xml(&self, path: &str, out: &mut String) -> Result<()> {
        for (i, item) in self.items.iter().enumerate() {
            out.push_str("<chequeitem>");
            if let Json::Object(m) = item.to_json() {
                for (k, v) in m.iter() {
                    out.push('<');
                    out.push_str(k);
                    out.push('>');
                    let text = match v {
                        Json::String(s) => s.clone(),
                        Json::Number(n) => n.literal().to_string(),
                        other => other.to_compact(),
                    };
                    xml::escape(&format!("{path}[{i}].{k}"), &text, out)?;
                    out.push_str("</");
                    out.push_str(k);
                    out.push('>');
                }
            }
            out.push_str("</chequeitem>");
        }
        Ok(())
    }

    pub fn total_text(&self) -> String {
        fixed2(self.total)
    }
}

fn parse_decimal(field: &str, text: &str) -> Result<Decimal> {
    Decimal::parse(text).ok_or_else(|| {
        KassaError::validation(field, "must be a plain decimal number such as 201.45")
    })
}

fn item_error(path: &str, rule: impl std::fmt::Display) -> KassaError {
    KassaError::validation(path, rule)
}

/// Checks every §3 rule and fills missing amounts. `path` names the param (`ChequeItems`).
pub fn build(mut items: Vec<ChequeItem>, rules: Rules, path: &str) -> Result<Cheque> {
    if items.is_empty() {
        return Err(KassaError::validation(
            path,
            "must contain at least one item",
        ));
    }
    if items.len() > MAX_ITEMS {
        return Err(KassaError::validation(
            path,
            format!(
                "has {} items; at most {MAX_ITEMS} are accepted",
                items.len()
            ),
        ));
    }
    let mut total = Decimal::from_units(0, 0);
    let mut seen: Vec<i64> = Vec::with_capacity(items.len());
    for (i, item) in items.iter_mut().enumerate() {
        let at = format!("{path}[{i}]");
        if item.id < 0 {
            return Err(item_error(
                &format!("{at}.id"),
                "must be a non-negative integer",
            ));
        }
        if seen.contains(&item.id) {
            return Err(item_error(
                &format!("{at}.id"),
                format!(
                    "must be unique within the receipt: id {} is used by an earlier item",
                    item.id
                ),
            ));
        }
        seen.push(item.id);
        let filled = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
        if !filled(&item.product) && !filled(&item.name) {
            return Err(item_error(
                &at,
                "needs `product` or `name` (at least one of them)",
            ));
        }
        check_len(&format!("{at}.product"), item.product.as_deref(), 50)?;
        check_len(&format!("{at}.name"), item.name.as_deref(), 250)?;
        let price = parse_decimal(&format!("{at}.price"), &item.price)?;
        let quantity = parse_decimal(&format!("{at}.quantity"), &item.quantity)?;
        if price.is_negative() {
            return Err(item_error(&format!("{at}.price"), "must not be negative"));
        }
        if price.decimals() > 2 {
            return Err(item_error(
                &format!("{at}.price"),
                format!(
                    "has more than 2 decimal places ({}); round it to the cent",
                    item.price
                ),
            ));
        }
        if quantity.is_negative() || quantity.is_zero() {
            return Err(item_error(
                &format!("{at}.quantity"),
                "must be greater than 0",
            ));
        }
        let exact = price
            .checked_mul(quantity)
            .ok_or_else(|| item_error(&format!("{at}.price"), "price × quantity is too large"))?;
        let amount = match &item.amount {
            None => exact.round(2),
            Some(text) => {
                let amount = parse_decimal(&format!("{at}.amount"), text)?;
                if amount.decimals() > 2 {
                    return Err(item_error(
                        &format!("{at}.amount"),
                        format!("has more than 2 decimal places ({text})"),
                    ));
                }
                if !within_half_cent(amount, exact) {
                    return Err(item_error(
                        &format!("{at}.amount"),
                        format!(
                            "is {} but price × quantity = {} × {} = {exact}, which is {} to the cent; fix the amount or the price/quantity (Assist rejects a cheque whose lines do not add up)",
                            fixed2(amount),
                            item.price,
                            item.quantity,
                            fixed2(exact.round(2))
                        ),
                    ));
                }
                amount
            }
        };
        if amount
            .to_string()
            .chars()
            .filter(char::is_ascii_digit)
            .count()
            > 15
        {
            return Err(item_error(
                &format!("{at}.amount"),
                "is too large to be sent exactly",
            ));
        }
        item.amount = Some(fixed2(amount));
        total = total
            .checked_add(amount)
            .ok_or_else(|| KassaError::validation(path, "the total is too large"))?;
        check_tax(item, rules, &at)?;
        if let Some(h) = &item.hscode {
            if h.is_empty() || h.len() > 13 || !h.bytes().all(|b| b.is_ascii_digit()) {
                return Err(item_error(
                    &format!("{at}.hscode"),
                    "must be 1 to 13 digits",
                ));
            }
        }
    }
    Ok(Cheque { items, total })
}

fn check_len(path: &str, value: Option<&str>, max: usize) -> Result<()> {
    match value {
        Some(v) if v.chars().count() > max => Err(item_error(
            path,
            format!("must be at most {max} characters"),
        )),
        _ => Ok(()),
    }
}

fn check_tax(item: &ChequeItem, rules: Rules, at: &str) -> Result<()> {
    if rules.forbid_tax {
        if item.tax.is_some() || item.fpmode.is_some() {
            return Err(item_error(
                at,
                "must not carry `tax` or `fpmode` in this request (Assist's rule for cancellations and refunds)",
            ));
        }
        return Ok(());
    }
    match item.tax.as_deref() {
        Some(t) if t.is_empty() || t.len() > 10 || !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => {
            Err(item_error(
                &format!("{at}.tax"),
                "must be a tax-rate identifier of at most 10 letters/digits, e.g. vat12",
            ))
        }
        None if rules.require_tax => Err(item_error(
            &format!("{at}.tax"),
            "is required: give each item a `tax`, or a request-level `Tax` for all items, or set the client option `merchantTaxDefaults: true` if the defaults in your Assist personal account apply",
        )),
        _ => Ok(()),
    }
}

/// True when `amount` is `exact` rounded to the cent (either way on an exact half cent).
fn within_half_cent(amount: Decimal, exact: Decimal) -> bool {
    let (Some(low), Some(high)) = (
        Decimal::parse("-0.005").and_then(|d| exact.checked_add(d)),
        Decimal::parse("0.005").and_then(|d| exact.checked_add(d)),
    ) else {
        return false;
    };
    amount >= low && amount <= high
}

/// Accepts `[item, ...]`, `{"items":[...]}` or either as JSON text, validates the fields
/// and the §3 rules, and returns the cheque.
pub fn from_input(value: &Json, rules: Rules, path: &str) -> Result<Cheque> {
    let array = unwrap_items(value, path)?;
    let validated = schema::validate_params(
        &[Field::req("items", ITEMS, "")],
        json_map_of("items", array),
        Extra::Reject,
    )
    .map_err(|e| rename_path(e, "items", path))?;
    let items = match validated.get("items") {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(Json::as_object)
            .map(ChequeItem::from_map)
            .collect(),
        _ => Vec::new(),
    };
    build(items, rules, path)
}

fn json_map_of(key: &str, value: Json) -> Map {
    let mut m = Map::new();
    m.insert(key, value);
    m
}

fn rename_path(mut error: KassaError, from: &str, to: &str) -> KassaError {
    let info = error.info_mut();
    if let Some(field) = &info.field {
        if let Some(rest) = field.strip_prefix(from) {
            let renamed = format!("{to}{rest}");
            info.message = info
                .message
                .replacen(&format!("`{field}`"), &format!("`{renamed}`"), 1);
            info.field = Some(renamed);
        }
    }
    error
}

/// The item array inside any accepted shape.
pub fn unwrap_items(value: &Json, path: &str) -> Result<Json> {
    let parsed;
    let value = match value {
        Json::String(text) => {
            parsed = json::parse(text.trim()).map_err(|e| {
                KassaError::validation(path, format!("is a string but not valid JSON ({e})"))
            })?;
            &parsed
        }
        other => other,
    };
    match value {
        Json::Array(_) => Ok(value.clone()),
        Json::Object(m) => match m.iter().find(|(k, _)| k.eq_ignore_ascii_case("items")) {
            Some((_, items @ Json::Array(_))) if m.len() == 1 => Ok(items.clone()),
            _ => Err(KassaError::validation(
                path,
                "must be an array of items or an object {\"items\": [...]}",
            )),
        },
        other => Err(KassaError::validation(
            path,
            format!("must be an array of items (got {})", other.type_name()),
        )),
    }
}

// ---------------------------------------------------------------------------------------
// Responses

/// Decodes the items of a response, tolerantly: JSON text (the `chequeItems` string, decoded
/// a second time), an already decoded value, or — from XML — `<chequeitem>` elements. Item
/// field names are matched case-insensitively; decimals become exact strings.
pub fn decode_response(value: &Json) -> Result<Json> {
    let parsed;
    let value = match value {
        Json::String(text) => {
            parsed = json::parse(text.trim()).map_err(|e| {
                KassaError::decode(format!(
                    "`chequeItems` is not the documented JSON text ({e})"
                ))
            })?;
            &parsed
        }
        other => other,
    };
    let array = match value {
        Json::Array(items) => items.clone(),
        Json::Object(m) => match m
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("items") || k.eq_ignore_ascii_case("chequeitem"))
        {
            Some((_, Json::Array(items))) => items.clone(),
            Some((_, item @ Json::Object(_))) => vec![item.clone()],
            _ => return Err(KassaError::decode("`chequeItems` has no `items` array")),
        },
        other => {
            return Err(KassaError::decode(format!(
                "`chequeItems` should be an object with `items` but is {}",
                other.type_name()
            )))
        }
    };
    let items = array
        .into_iter()
        .map(|item| match item {
            Json::Object(m) => Ok(Json::Object(canonical_item_keys(m))),
            other => Err(KassaError::decode(format!(
                "a cheque item should be an object but is {}",
                other.type_name()
            ))),
        })
        .collect::<Result<Vec<_>>>()?;
    schema::decode(&ITEMS, Json::Array(items), "items")
}

fn canonical_item_keys(map: Map) -> Map {
    map.iter()
        .map(|(k, v)| {
            let key = ITEM_FIELDS
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(k))
                .map(|f| f.name.to_string())
                .unwrap_or_else(|| k.clone());
            (key, v.clone())
        })
        .collect()
}

/// `<chequeitem>` children of an element as the JSON the decoder takes.
pub fn items_from_xml(parent: &Element) -> Json {
    let items = parent
        .children
        .iter()
        .filter(|c| c.is(None, "chequeitem"))
        .map(|item| {
            let m: Map = item
                .children
                .iter()
                .map(|f| {
                    let trimmed = f.text.trim();
                    let value = match f.name.to_ascii_lowercase().as_str() {
                        "id" | "fpmode" | "subjtype" => trimmed
                            .parse::<i64>()
                            .map(Json::int)
                            .unwrap_or_else(|_| Json::str(trimmed)),
                        "price" | "quantity" | "amount" => Json::str(trimmed),
                        // Names and codes keep their text exactly, as in the JSON form.
                        _ => Json::str(f.text.clone()),
                    };
                    (f.name.clone(), value)
                })
                .collect();
            Json::Object(m)
        })
        .collect();
    json::obj([("items", Json::Array(items))])
}

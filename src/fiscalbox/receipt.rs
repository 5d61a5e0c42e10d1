//! FiscalBox receipts in the common receipt model: `orderCreate` / `orderRefuse`
//! (spec/fiscalbox.md §2–3) give the terminal id, receipt number, date-time, fiscal sign and
//! Soliq link; `orderLast` (§5) also the lines and totals; a `qrWalletSale` flow result also
//! the lines of the order it sent.

use super::soliq;
use crate::error::Result;
use crate::json::{Json, Map};
use crate::money::Decimal;
use crate::receipt::{date_time, item, minor_text, not_a, Receipt, ISSUED};

/// `toFiscalReceipt('fiscalbox', result)`.
pub fn to_receipt(result: &Json) -> Result<Json> {
    to_receipt_with_order(result, None)
}

/// The receipt of an `orderCreate` result, with the lines and total of the `order` params
/// that produced it.
pub fn to_receipt_with_order(result: &Json, order: Option<&Json>) -> Result<Json> {
    Ok(from_result(result, order)?.into_json("fiscalbox", result.clone()))
}

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
            p.text_of("name"),
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
        .get_or_insert_with(|| link.date_time.to_local_iso());
}
/// Where a receipt's fiscal fields stand: terminal id, receipt number, date-time, fiscal sign,
/// receipt link.
type FiscalFields = [&'static str; 5];

/// `orderCreate` / `orderRefuse` results (spec/fiscalbox.md §2–3).
const ORDER_CREATE_FIELDS: FiscalFields = [
    "terminal_id",
    "receipt_count",
    "date_time",
    "fiscal_sign",
    "qr_url",
];

/// The fiscal module's answer inside `orderLast` (§5), in PascalCase.
const ORDER_LAST_FIELDS: FiscalFields = [
    "TerminalID",
    "ReceiptSeq",
    "DateTime",
    "FiscalSign",
    "QRCodeURL",
];

fn read_fiscal_fields(
    r: &mut Receipt,
    m: &Map,
    [terminal, number, when, sign, link]: FiscalFields,
) {
    r.terminal_id = m.text_of(terminal);
    r.receipt_number = m.text_of(number);
    r.date_time = date_time(m.get(when));
    r.fiscal_sign = m.text_of(sign);
    r.receipt_url = m.text_of(link);
}

fn from_result(result: &Json, order: Option<&Json>) -> Result<Receipt> {
    let payload = fiscalbox_payload(result)?;
    let Json::Object(m) = payload else {
        return Err(not_a("a FiscalBox receipt", "expected an object"));
    };
    // A qrWalletSale flow result: `{receipt, order, ...}`.
    if let Some(receipt @ Json::Object(_)) = m.get("receipt") {
        let order = order.or(m.get("order"));
        return from_result(receipt, order);
    }
    let mut r = Receipt {
        status: ISSUED,
        currency: Some("UZS"),
        ..Receipt::default()
    };
    let lines;
    let fiscal = m.get("result").filter(|_| m.contains_key("order"));
    let with_fiscal_result = matches!(fiscal, Some(Json::Object(_)));
    if with_fiscal_result || (m.contains_key("order") && !m.contains_key("terminal_id")) {
        // orderLast: the fiscal module's answer (PascalCase; may be null), the stored order beside it.
        if let Some(Json::Object(fm)) = fiscal {
            read_fiscal_fields(&mut r, fm, ORDER_LAST_FIELDS);
        }
        let stored = m.get("order");
        r.receipt_url = r
            .receipt_url
            .or_else(|| m.text_of("qr_url"))
            .or_else(|| stored.and_then(|o| o.text_of("result_url")));
        r.date_time = r
            .date_time
            .or_else(|| date_time(stored.and_then(|o| o.get("time"))));
        r.is_refund = m.get("isRefund").and_then(Json::as_bool);
        lines = stored;
    } else {
        // orderCreate / orderRefuse.
        read_fiscal_fields(&mut r, m, ORDER_CREATE_FIELDS);
        lines = order;
        if let Some(o) = order {
            // A refund request names the refunded receipt in `qr_code`.
            r.is_refund = Some(o.text_of("qr_code").is_some());
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

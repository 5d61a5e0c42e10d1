//! Assist receipts (`fiscalreceipt`, spec/assist.md §1) in the common receipt model:
//! status, fiscal attribute, numbers, date, total, items (`chequeItems`, a JSON string) and
//! the link; field names read case-insensitively.

use super::codes as assist_codes;
use crate::codes::Outcome;
use crate::error::{KassaError, Result};
use crate::json::{self, Json, Map};
use crate::receipt::{
    date_time, decimal, item, money_text, not_a, Receipt, FAILED, ISSUED, PENDING,
};

/// `toFiscalReceipt('assist', result)`.
pub fn to_receipt(result: &Json) -> Result<Json> {
    // `{fiscalreceipt: {...}}` (the JSON root Assist uses for each service) or the
    // receipt itself; an array (several receipts for one bill) maps item by item.
    let inner = match result {
        Json::Object(m) => m.get_ci("fiscalreceipt").unwrap_or(result),
        other => other,
    };
    match inner {
        Json::Object(m) => Ok(from_record(m)?.into_json("assist", inner.clone())),
        Json::Array(list) => list
            .iter()
            .map(|r| match r {
                Json::Object(m) => Ok(from_record(m)?.into_json("assist", r.clone())),
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

fn from_record(m: &Map) -> Result<Receipt> {
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

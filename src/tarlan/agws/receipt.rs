//! AGWS fiscal receipts (spec/tarlan-agws.md §2.8) in the common receipt model: the fiscal
//! attribute (`fiscal_number`) and the receipt link — no total, date or items.

use crate::error::Result;
use crate::json::Json;
use crate::receipt::{not_a, Receipt, ISSUED, PENDING};

/// `toFiscalReceipt('agws', result)`.
pub fn to_receipt(result: &Json) -> Result<Json> {
    Ok(from_result(result)?.into_json("agws", result.clone()))
}

fn from_result(result: &Json) -> Result<Receipt> {
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
    let fiscal_sign = body.text_of("fiscal_number");
    let receipt_url = body.text_of("fiscal_check_url");
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

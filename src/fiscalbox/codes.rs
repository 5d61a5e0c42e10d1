//! FiscalBox code tables (spec/fiscalbox.md §10, §9.13, §9b) as data.
//!
//! FiscalBox reuses numbers with different meanings depending on the endpoint (104 is
//! "Invalid time" on orders and shifts, BILLING_ERROR on payment initiation, "UzQR endpoint not
//! configured" on UzQR; 105 is BILLING_ERROR, a Scan2pay "Transaction not found" or "UzQR
//! fiscal_receipt_url is required"; 1001 is a UzQR auth failure or an invalid marking code...).
//! So there is one table per context — `device` (orders, shifts, device; also the fallback for
//! codes common to every endpoint), `payment` (payment providers and pin-pads), `uzqr`, `okm` —
//! and `lookup` picks the table from the operation's path and, among entries that share a
//! number, the one whose documented message the device's message contains.

use crate::codes::{Code, CodeTable, Outcome};
use crate::error::ErrorKind::{Provider, Validation};

/// `orderLast` on a device that has issued no receipt yet.
pub const RECEIPT_INDEX_OUT_OF_BOUNDS: i64 = 36871;
/// A payment provider refused the payment (also a QR code presented twice).
pub const PAYMENT_ERROR: i64 = 106;

pub static DEVICE: CodeTable = CodeTable {
    id: "device",
    title: "FiscalBox device errors (orders, shifts, device info; also codes common to every endpoint)",
    entries: &[
        // Fiscal module errors (§10, verbatim codes and symbolic names).
        Code::new("36871", "ERROR_RECEIPT_INDEX_OUT_OF_BOUNDS", "Check number is incorrect")
            .kind(Provider)
            .action("Check the receipt number; for a refund pass the original receipt's qr_url as qr_code."),
        Code::new("36886", "ERROR_RECEIPT_MEMORY_FULL", "The check memory is full")
            .kind(Provider)
            .action("Connect the device to the internet so it sends its offline receipts to the OFD (see /order/sendreceipt), then repeat."),
        Code::new("36888", "ERROR_RECEIPT_TIME_PAST", "Correct the date and time on the cash register. Time must differ by at least 1 second from the last transaction.")
            .kind(Provider)
            .action("Fix the device clock and send the receipt with a later `time` (omit `time` so kassa stamps the current time)."),
        Code::new("36889", "ERROR_RECEIPT_STORE_DAYS_LIMIT_EXCEEDED", "Number of days to store receipts offline exceeded. Send via `/order/sendreceipt`.")
            .kind(Provider)
            .action("Let the device send its offline receipts to the OFD (connect it to the internet; /order/sendreceipt) before registering new ones."),
        Code::new("36897", "ERROR_CLOSE_ZREPORT_TIME_PAST", "Report closing time is old")
            .kind(Provider)
            .action("Fix the device clock and close the shift with the current time (omit `time`)."),
        Code::new("36898", "ERROR_ZREPORT_SPACE_IS_FULL", "Z-report memory is full. Physical replacement of the fiscal module is required")
            .kind(Provider)
            .action("The fiscal module must be replaced: contact your FiscalBox service center (CTO)."),
        Code::new("36902", "ERROR_ZREPORT_INDEX_OUT_OF_BOUNDS", "Z-report number is incorrect")
            .kind(Validation)
            .action("Use a number between 1 and the count of closed Z-reports (shiftInfo `number` counts backwards: 1 = the most recent)."),
        Code::new("65279", "Fiscal drive locked", "The fiscal module is blocked (possibly due to non-payment)")
            .kind(Provider)
            .action("Nothing can be registered until the fiscal module is unblocked: contact your service center (CTO)."),
        Code::new("36907", "ERROR_CURRENT_ZREPORT_IS_EMPTY", "Current Z-report is empty. Cannot close an empty report")
            .kind(Provider)
            .action("Register at least one receipt before closing the shift, or keep it open."),
        Code::new("36909", "ERROR_ZREPORT_IS_NOT_OPEN", "Z-report not opened. Need to open shift")
            .kind(Provider)
            .action("Open the shift with shiftOpen(), then repeat."),
        Code::new("36910", "ERROR_ZREPORT_OPEN_TIME_FORMAT_INVALID", "Z-report opening time format is incorrect")
            .kind(Validation)
            .action("Send `time` as yyyy-MM-dd HH:mm:ss, or omit it so kassa stamps the current time."),
        Code::new("36912", "ERROR_ZREPORT_IS_ALREADY_OPEN", "Shift is already open. You can continue punching checks")
            .kind(Provider)
            .action("Nothing to do: the shift is open, continue registering receipts."),
        Code::new("36913", "ERROR_NOT_ENOUGH_CASH_FOR_REFUND", "Not enough cash for refund")
            .kind(Provider)
            .action("The shift's cash sales do not cover this refund: refund less in cash (e.g. by card) or after more cash sales."),
        Code::new("36914", "ERROR_NOT_ENOUGH_CARD_FOR_REFUND", "Not enough card funds for refund")
            .kind(Provider)
            .action("The shift's card sales do not cover this refund: refund less by card."),
        Code::new("36915", "ERROR_NOT_ENOUGH_VAT_FOR_REFUND", "Not enough VAT funds for refund")
            .kind(Provider)
            .action("The shift's VAT total does not cover the refund's VAT: check the refunded lines' `vat`."),
        Code::new("36916", "ERROR_OPEN_ZREPORT_TIME_PAST", "Opening time of Z-report is old")
            .kind(Provider)
            .action("Fix the device clock and open the shift with the current time (omit `time`)."),
        Code::new("65274", "not valid refund info", "When registering a refund check, information about a revoked check (RefundInfo) with an invalid FP was transmitted")
            .kind(Provider)
            .action("Pass the exact qr_url of the original sale receipt as qr_code."),
        Code::new("65275", "not valid refund info", "Refund information is not valid (code seen in the refund example; the error table lists this text as 65274)")
            .kind(Provider)
            .action("Pass the exact qr_url of the original sale receipt as qr_code."),
        Code::new("65276", "bad refund info passed", "When registering a refund check, the refunded check information (RefundInfo) was transmitted with incorrect values")
            .kind(Provider)
            .action("Check that qr_code is the original sale receipt's qr_url and that the refunded lines match that receipt."),
        Code::new("65277", "no refund info passed", "When registering a refund check, information about the revoked check (qr_code) was not transmitted")
            .kind(Validation)
            .action("Pass qr_code: the qr_url of the original sale receipt."),
        Code::new("65531", "cannot encode receipt", "The submitted check contains erroneous parameters, the conditions of the equation, the amount of goods, and the amount of the check are not met")
            .kind(Validation)
            .action("Make the sums add up: price = product_price × amount / 1000 per line, consistent discount/vat, and received_cash + received_card − change equal to the receipt total (details.errorData names the difference)."),
        Code::new("65532", "illegal argument", "An invalid parameter was passed in JSON")
            .kind(Validation)
            .action("Check the request's field types and values."),
        Code::new("65534", "cannot connect card", "Failed to connect to FM, FM not connected")
            .kind(Provider)
            .action("Check that the fiscal module is inserted and the device restarted, then repeat."),
        // FiscalBox errors (§10).
        Code::new("104", "Invalid time...", "Time differs more than ±5 minutes from current")
            .kind(Validation)
            .action("Omit `time` so kassa stamps the current time, fix the clock of this computer or of the device, or set the client option timeZoneOffsetMinutes to the device's zone."),
        Code::new("401", "Dobavьte IKPU(MXIK)...", "No IKPU code or extra space in product")
            .kind(Validation)
            .action("Give every product its 17-digit class_code (IKPU/MXIK from tasnif.soliq.uz) without spaces."),
        Code::new("444", "You have invalid subscription...", "Access from another IP. No Multi User subscription")
            .kind(Provider)
            .action("Call the device from its registered IP address, or buy the Multi User subscription from FiscalBox."),
        Code::new("333", "Subscription up to date", "CTO subscription expired")
            .kind(Provider)
            .action("Renew the CTO (service center) subscription with FiscalBox."),
        Code::new("333", "U vas zadoljennost...", "CTO subscription expired")
            .kind(Provider)
            .action("Pay the outstanding debt / renew the CTO subscription with FiscalBox."),
        Code::new("402", "Неправильный код упаковки для товара...", "Invalid package code (units of measurement)")
            .kind(Validation)
            .action("Use a package_code listed for the product's class_code on tasnif.soliq.uz."),
        Code::new("402", "Добавьте код маркировки для товара...", "The mark code for the product has not been added")
            .kind(Validation)
            .action("Add the product's marking codes in `labels` (one code per unit, one unit per line)."),
        // Other error codes (§10).
        Code::new("101", "PRINTER_NOT_WORKING", "Printer not working")
            .kind(Provider)
            .action("Check the printer (paper, cover, power). For orderCreate/orderRefuse call orderLast to see whether the receipt was registered before sending it again."),
        Code::new("303", "SAVE_ORDER_ERROR", "Error saving the order")
            .kind(Provider)
            .action("For orderCreate/orderRefuse call orderLast to see whether the receipt was registered before sending it again."),
        Code::new("103", "INTERNAL_ERROR", "Internal error")
            .kind(Provider)
            .retryable()
            .action("Retry later. For orderCreate/orderRefuse call orderLast to see whether the receipt was registered before sending it again."),
        Code::new("104", "INVALID_ARGUMENT", "Invalid argument")
            .kind(Validation)
            .action("Check the request fields; on order and shift calls this code means `time` is more than ±5 minutes off the device clock (omit `time` to let kassa stamp it)."),
        Code::new("333", "SUBSCRIPTION_UP_TO_DATE", "CTO subscription expired")
            .kind(Provider)
            .action("Renew the CTO (service center) subscription with FiscalBox."),
        Code::new("444", "INVALID_SUBSCRIPTION_MULTI__USER", "No Multi User subscription")
            .kind(Provider)
            .action("Call the device from its registered IP address, or buy the Multi User subscription from FiscalBox."),
        Code::new("401", "INVALID_CLASS_CODE", "Invalid IKPU code")
            .kind(Validation)
            .action("Give every product its 17-digit class_code (IKPU/MXIK from tasnif.soliq.uz) without spaces."),
        Code::new("403", "SCAN2PAY_TRANSACTION_NOT_FOUND", "Scan2Pay transaction not found")
            .kind(Provider)
            .action("The customer has not paid yet: poll scan2payStatus again, or give up after your own deadline."),
        Code::new("105", "BILLING_ERROR", "Billing error")
            .kind(Provider)
            .action("Check the device's FiscalBox subscription and that the payment service is enabled in the device settings; contact FiscalBox support if it persists."),
        Code::new("108", "XUMO_ERROR", "Humo (XUMO) pin-pad error")
            .kind(Provider)
            .action("Check the Humo pin-pad (connection, power, its own shift); the payment was not approved."),
        Code::new("109", "UZKARD_ERROR", "Uzcard pin-pad error")
            .kind(Provider)
            .action("Check the UzCard pin-pad (connection, power, its own shift); the payment was not approved."),
        Code::new("106", "PAYMENT_ERROR", "Payment error")
            .kind(Provider)
            // The spec gives only the name (§10: "Ошибка оплаты"): nothing says whether money moved, and
            // on a confirmation the customer has paid already.
            .action("The payment provider refused or failed the request; the docs say no more. On a wallet payment, check it in the wallet's merchant cabinet or the customer's app before asking the customer to pay again, and register no receipt until it shows as paid. On a confirmation (clickConfirm, paymeConfirm, uzumConfirm, anorConfirm) the customer has already paid and the receipt is registered: never charge again."),
        // Codes seen only in examples (§10).
        Code::new("7", "validation error", "Request validation error: error.message is a JSON object of per-field errors (details.fieldErrors)")
            .kind(Validation)
            .action("Fix the fields listed in details.fieldErrors."),
        Code::new("9326", "ZREPORT_ALREADY_CLOSE", "The shift (Z-report) is already closed")
            .kind(Provider)
            .action("Nothing to close: open a new shift with shiftOpen() before selling."),
        Code::new("9327", "ZREPORT_ALREADY_OPEN", "The shift (Z-report) is already open")
            .kind(Provider)
            .action("Nothing to do: the shift is open, continue registering receipts."),
        Code::new("102", "FISCAL_MODULE_NOT_INITIALIZED", "The fiscal module is not initialized")
            .kind(Provider)
            .action("Check that the fiscal module is inserted and registered; have the service center (CTO) initialize it."),
    ],
};

pub static PAYMENT: CodeTable = CodeTable {
    id: "payment",
    title: "FiscalBox payment-provider codes that differ from the device table (Click, Payme, Uzum, Anor, pin-pads, Scan2pay)",
    entries: &[
        Code::new("104", "BILLING_ERROR", "Billing error (payment examples; the error table lists BILLING_ERROR as 105)")
            .kind(Provider)
            .action("Check the device's FiscalBox subscription and that this payment provider is connected in the device settings; contact FiscalBox support if it persists."),
        Code::new("105", "Transaction not found", "Scan2pay: no payment for this order_id yet")
            .kind(Provider)
            .action("The customer has not paid yet: poll scan2payStatus again, or give up after your own deadline."),
    ],
};

pub static UZQR: CodeTable = CodeTable {
    id: "uzqr",
    title: "UzQR (`/payment/one_qr/*`) error codes",
    entries: &[
        Code::new("1001", "Auth failed — wrong INN or API key", "Auth failed — wrong INN or API key")
            .kind(Provider)
            .action("Check the UzQR INN and API key in the FiscalBox device settings (they are not sent by kassa)."),
        Code::new("1002", "Access blocked", "Access blocked")
            .kind(Provider)
            .action("Contact UzQR / your bank to unblock access."),
        Code::new("2001", "Invalid request params", "Invalid request params")
            .kind(Validation)
            .action("Check the request fields."),
        Code::new("2002", "Invalid amount format", "Invalid amount format")
            .kind(Validation)
            .action("Send `amount` as a string in sums with a dot, e.g. \"100.00\"."),
        Code::new("2003", "Invalid external_id format", "Invalid external_id format")
            .kind(Validation)
            .action("Check external_id."),
        Code::new("2004", "Invalid fiscal_module", "Invalid fiscal_module")
            .kind(Provider)
            .action("fiscal_module comes from the device configuration: check the device's UzQR settings."),
        Code::new("3001", "Invoice not found — polling stops", "Invoice not found — polling stops")
            .kind(Provider)
            .action("Check invoice_id; stop polling this invoice."),
        Code::new("3002", "Invoice already paid", "Invoice already paid")
            .kind(Provider)
            .action("Do not create another invoice: read uzqrStatus and register the receipt."),
        Code::new("4001", "Платеж не найден.", "Payment not found (seen in the receipt and refund examples)")
            .kind(Provider)
            .action("Check pay_id (from uzqrStatus of a paid invoice)."),
        Code::new("6001", "Rate limit exceeded — retry later", "Rate limit exceeded — retry later")
            .kind(Provider)
            .retryable()
            .action("Retry later, less often."),
        Code::new("9001", "UzQR internal error — retry later", "UzQR internal error — retry later")
            .kind(Provider)
            .retryable()
            .action("Retry later."),
        Code::new("104", "UzQR endpoint not configured", "UzQR endpoint not configured on the device")
            .kind(Provider)
            .action("Configure UzQR in the FiscalBox device settings."),
        Code::new("105", "fiscal_receipt_url is required", "fiscal_receipt_url is required")
            .kind(Validation)
            .action("Pass fiscal_receipt_url: the qr_url of the registered receipt."),
    ],
};

pub static OKM: CodeTable = CodeTable {
    id: "okm",
    title: "Marking-code validation (`/okm/validation`) codes",
    entries: &[
        Code::new("1001", "KM invalid", "The marking code is invalid")
            .kind(Provider)
            .action("Rescan the DataMatrix code; do not sell the item with this code."),
        Code::new(
            "1002",
            "KM not yours",
            "The marking code does not belong to this seller",
        )
        .kind(Provider)
        .action("The goods are not registered to your INN: check the supply documents."),
        Code::new(
            "1003",
            "KM count ≠ quantity",
            "The number of marking codes differs from the quantity",
        )
        .kind(Provider)
        .action("Send one marking code per unit (kmIds length = amount)."),
        Code::new(
            "1004",
            "KM ≠ IKPU",
            "The marking code does not match the product's IKPU (MXIK)",
        )
        .kind(Provider)
        .action("Check productCode: it must be the IKPU the code was issued for."),
        Code::new(
            "1008",
            "duplicate KM",
            "The same marking code was sent twice",
        )
        .kind(Provider)
        .action("Remove the repeated marking code."),
        Code::new(
            "1012",
            "duplicate KM",
            "The same marking code was sent twice",
        )
        .kind(Provider)
        .action("Remove the repeated marking code."),
        Code::new(
            "1013",
            "wrong bulk (розлив) sale",
            "Wrong bulk (draught) sale",
        )
        .kind(Provider)
        .action("Check the packageCode and amount of the bulk sale."),
        Code::new(
            "1014",
            "drug not in e-prescription",
            "The drug is not in the electronic prescription",
        )
        .kind(Provider)
        .action("The drug can only be sold with a matching e-prescription."),
        Code::new("1015", "expired", "The goods are expired")
            .kind(Provider)
            .action("Do not sell expired goods."),
        Code::new(
            "1016",
            "KM already sold",
            "The marking code was already sold",
        )
        .kind(Provider)
        .action("This unit was already sold: check for a duplicate receipt or a counterfeit code."),
    ],
};

pub static UZQR_STATUSES: CodeTable = CodeTable {
    id: "uzqrStatuses",
    title: "UzQR invoice statuses (`uzqrStatus` data.status)",
    entries: &[
        Code::new("1", "in progress", "The customer has not paid yet").outcome(Outcome::Pending).action("Poll uzqrStatus again (each call long-polls up to 2 minutes)."),
        Code::new("2", "success", "The customer paid").outcome(Outcome::Success).action("Register the receipt (orderCreate), then send its qr_url with uzqrReceipt."),
        Code::new("3", "declined", "The payment was declined").outcome(Outcome::Failed).action("Do not register a receipt; create a new invoice if the customer wants to pay again."),
    ],
};

pub static UZQR_REFUND_STATUSES: CodeTable = CodeTable {
    id: "uzqrRefundStatuses",
    title: "UzQR refund statuses (`uzqrRefund` / `uzqrRefundStatus` data.status)",
    entries: &[
        Code::new("1", "pending", "The refund is being processed")
            .outcome(Outcome::Pending)
            .action("Poll uzqrRefundStatus later."),
        Code::new("2", "success", "The refund succeeded").outcome(Outcome::Success),
        Code::new("3", "failed", "The refund failed")
            .outcome(Outcome::Failed)
            .action("The money was not returned; check the amount (≤ the original) and try again."),
    ],
};

pub static QR_PAYMENT_PROVIDERS: CodeTable = CodeTable {
    id: "qrPaymentProviders",
    title: "`extra_info.qr_payment_provider` codes",
    entries: &[
        Code::new(
            "141",
            "Payme",
            "Paid with Payme (qr_payment_id = payment_id of payme())",
        ),
        Code::new(
            "64",
            "Click",
            "Paid with Click (qr_payment_id = payment_id of click())",
        ),
        Code::new(
            "161",
            "Uzum",
            "Paid with Uzum (qr_payment_id = payment_id of uzum())",
        ),
        Code::new(
            "187",
            "Anor",
            "Paid with Anorbank (qr_payment_id = payment_id of anor())",
        ),
    ],
};

pub static CARD_TYPES: CodeTable = CodeTable {
    id: "cardTypes",
    title: "`card_type` values",
    entries: &[
        Code::new("1", "corporate", "Corporate card"),
        Code::new("2", "personal", "Personal card"),
        Code::new(
            "3",
            "social",
            "Social card: extra_info.card_number (first 4 and last 4 digits) is required",
        ),
    ],
};

/// The tables searched for an error of the operation at `path`, context first. The device
/// table is the fallback for codes common to every endpoint (7, 102, 333, 444...); the OKM
/// context has no fallback (its codes overlap UzQR's and mean something else).
pub fn tables_for_path(path: &str) -> &'static [&'static CodeTable] {
    if path.starts_with("/payment/one_qr") {
        &UZQR_CHAIN
    } else if path.starts_with("/payment/") {
        &PAYMENT_CHAIN
    } else if path.starts_with("/okm/") {
        &OKM_CHAIN
    } else {
        &DEVICE_CHAIN
    }
}

static DEVICE_CHAIN: [&CodeTable; 1] = [&DEVICE];
static OKM_CHAIN: [&CodeTable; 1] = [&OKM];
static UZQR_CHAIN: [&CodeTable; 2] = [&UZQR, &DEVICE];
static PAYMENT_CHAIN: [&CodeTable; 2] = [&PAYMENT, &DEVICE];

/// True when the device's message contains the entry's documented message (without a
/// trailing "..."), ignoring ASCII case.
fn matches_message(entry: &Code, message: &str) -> bool {
    let key = entry.message.trim_end_matches(['.', '…']).trim();
    !key.is_empty()
        && message
            .to_ascii_lowercase()
            .contains(&key.to_ascii_lowercase())
}

/// The entry for `code` in the context of the operation at `path`: first an entry whose
/// documented message the device's `message` contains (context table, then the fallback),
/// else the first entry with that code (same order).
pub fn lookup(
    path: &str,
    code: &str,
    message: &str,
) -> Option<(&'static CodeTable, &'static Code)> {
    let tables = tables_for_path(path);
    let code = code.trim();
    let with_code = |t: &&'static CodeTable| t.entries.iter().filter(move |e| e.code == code);
    tables
        .iter()
        .find_map(|t| {
            with_code(t)
                .find(|e| matches_message(e, message))
                .map(|e| (*t, e))
        })
        .or_else(|| {
            tables
                .iter()
                .find_map(|t| with_code(t).next().map(|e| (*t, e)))
        })
}

pub static TABLES: [&CodeTable; 8] = [
    &DEVICE,
    &PAYMENT,
    &UZQR,
    &OKM,
    &UZQR_STATUSES,
    &UZQR_REFUND_STATUSES,
    &QR_PAYMENT_PROVIDERS,
    &CARD_TYPES,
];

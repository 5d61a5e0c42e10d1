//! FiscalBox params and results as `Field` tables (spec/fiscalbox.md §2–§9b). Money of
//! orders is in tiyin (integers, 1 sum = 100 tiyin), quantities ×1000; UzQR amounts are
//! strings in sums. Result types are lenient where the spec says types drift (`OneOf`).

use crate::http::HttpUrl;
use crate::json::Json;
use crate::money::Decimal;
use crate::schema::{Check, Field, Ty};
use crate::time;

// ---------------------------------------------------------------------------------------
// Rules

pub static TIYIN: Check = Check {
    rule: "must be a whole, non-negative number of tiyin (1 sum = 100 tiyin)",
    test: |v| v.as_i64().is_some_and(|n| n >= 0),
};

pub static POSITIVE_TIYIN: Check = Check {
    rule: "must be a positive whole number of tiyin (1 sum = 100 tiyin)",
    test: |v| v.as_i64().is_some_and(|n| n > 0),
};

pub static QUANTITY: Check = Check {
    rule: "must be the quantity × 1000, a positive integer (1 piece = 1000, 0.25 kg = 250)",
    test: |v| v.as_i64().is_some_and(|n| n > 0),
};

pub static CLASS_CODE: Check = Check {
    rule: "must be the 17-digit IKPU (MXIK) code from tasnif.soliq.uz: digits only, no spaces (the device answers 401 otherwise)",
    test: |v| v.as_str().is_some_and(|s| s.len() == 17 && s.bytes().all(|b| b.is_ascii_digit())),
};

pub static DEVICE_TIME: Check = Check {
    rule: "must be the device's local time as yyyy-MM-dd HH:mm:ss, e.g. 2021-04-07 12:52:02 (or leave it out: kassa stamps the current time)",
    test: |v| v.as_str().and_then(time::parse_spaced).is_some(),
};

pub static QR_PROVIDER: Check = Check {
    rule: "must be a QR-wallet provider code: 141 Payme, 64 Click, 161 Uzum, 187 Anor (an integer, or a digit string such as \"0141\")",
    test: |v| provider_code(v).is_some(),
};

pub static CARD_TYPE: Check = Check {
    rule:
        "must be 1 (corporate), 2 (personal) or 3 (social; then extra_info.card_number is required)",
    test: |v| matches!(v.as_i64(), Some(1..=3)),
};

pub static OWNER_TYPE: Check = Check {
    rule: "must be 0 (bought and resold), 1 (own production) or 2 (service provider)",
    test: |v| matches!(v.as_i64(), Some(0..=2)),
};

pub static OKM_REFUND: Check = Check {
    rule: "must be 0 (sale; other values are not documented)",
    test: |v| v.as_i64().is_some_and(|n| n >= 0),
};

pub static HTTP_URL: Check = Check {
    rule: "must be an absolute http(s) URL without spaces (the receipt's qr_url, https://ofd.soliq.uz/check?t=...&r=...&c=...&s=...)",
    test: |v| {
        v.as_str().and_then(HttpUrl::parse).is_some()
    },
};

pub static RECEIPT_URL: Check = Check {
    rule: "must be the receipt's Soliq link as an absolute http(s) URL without spaces or brackets: the qr_url of orderCreate, e.g. https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289",
    test: |v| {
        v.as_str().is_some_and(|s| {
            HttpUrl::parse(s).is_some() && !s.bytes().any(|b| matches!(b, b'[' | b']' | b'"' | b'<' | b'>'))
        })
    },
};

pub static NOT_BLANK: Check = Check {
    rule: "must not be blank",
    test: |v| match v {
        Json::String(s) => !s.trim().is_empty(),
        Json::Number(_) => true,
        _ => false,
    },
};

pub static INN: Check = Check {
    rule: "must be the taxpayer number: 9 digits (INN) or 14 digits (PINFL)",
    test: |v| {
        v.as_str().is_some_and(|s| {
            (s.len() == 9 || s.len() == 14) && s.bytes().all(|b| b.is_ascii_digit())
        })
    },
};

pub static SUMS: Check = Check {
    rule: "must be a positive amount in sums as a decimal string with at most 2 decimals, e.g. \"100.00\" (UzQR takes sums, not tiyin)",
    test: |v| {
        v.as_str()
            .and_then(Decimal::parse)
            .is_some_and(|d| d.decimals() <= 2 && !d.is_negative() && !d.is_zero())
    },
};

pub static CARD_EXPIRY: Check = Check {
    rule: "must be the card expiry as MMYY, e.g. \"0726\"",
    test: |v| {
        v.as_str().is_some_and(|s| {
            s.len() == 4
                && s.bytes().all(|b| b.is_ascii_digit())
                && matches!(s.get(0..2).and_then(|m| m.parse::<u8>().ok()), Some(1..=12))
        })
    },
};

pub static NOT_EMPTY: Check = Check {
    rule: "must contain at least one item",
    test: |v| v.as_array().is_some_and(|a| !a.is_empty()),
};

pub static REPORT_NUMBER: Check = Check {
    rule:
        "must be a positive integer: 1 = the most recently closed Z-report, 2 = the one before, ...",
    test: |v| v.as_i64().is_some_and(|n| n >= 1),
};

/// The documented QR-wallet provider codes, as integers.
pub const PROVIDER_CODES: [i64; 4] = [141, 64, 161, 187];

/// Reads a provider code given as 141, "141" or "0141"; `None` when it is not one of the four.
pub fn provider_code(value: &Json) -> Option<i64> {
    let n = match value {
        Json::Number(n) => n.as_i64()?,
        Json::String(s)
            if !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit()) =>
        {
            s.parse().ok()?
        }
        _ => return None,
    };
    PROVIDER_CODES.contains(&n).then_some(n)
}

// ---------------------------------------------------------------------------------------
// Shared param types

pub const TIME: Field = Field::opt(
    "time",
    Ty::Str,
    "Device-local time, yyyy-MM-dd HH:mm:ss. Leave it out: kassa stamps the current time in the device's zone (client option timeZoneOffsetMinutes, default UTC+5). The device rejects a time more than ±5 minutes off its clock (error 104 \"Invalid time\"), and so does kassa when it knows the current time.",
)
.check(&DEVICE_TIME);

pub const COMMISSION_INFO: Ty = Ty::Named(
    "FiscalBoxCommissionInfo",
    &[
        Field::opt("inn", Ty::Str, "INN of the principal (commission sale)."),
        Field::opt(
            "pinfl",
            Ty::Str,
            "PINFL of the principal (commission sale).",
        ),
    ],
);

pub const PRODUCT: Ty = Ty::Named(
    "FiscalBoxProduct",
    &[
        Field::req("name", Ty::Str, "Product or service name."),
        Field::opt("barcode", Ty::Str, "GTIN (EAN-8/EAN-13)."),
        Field::req("amount", Ty::Int, "Quantity × 1000 (1 piece = 1000, 0.25 kg = 250). Marked goods: one unit per line.").check(&QUANTITY),
        Field::req("unit_name", Ty::Str, "Unit name in Uzbek (latin) as on tasnif.soliq.uz, e.g. `dona`, `litr`."),
        Field::req("price", Ty::Int, "Line total in tiyin: product_price × amount / 1000 (before discount).").check(&TIYIN),
        Field::req("product_price", Ty::Int, "Unit price in tiyin.").check(&TIYIN),
        Field::opt("vat", Ty::Int, "VAT amount of the line in tiyin (12% VAT included in the price: price × 12 / 112).").check(&TIYIN),
        Field::opt("vat_percent", Ty::Int, "VAT rate: 12, 0, or leave out for goods without VAT."),
        Field::opt("discount", Ty::Int, "Discount of the line in tiyin.").check(&TIYIN),
        Field::opt("discount_percent", Ty::Num, "Discount percent (informational)."),
        Field::opt("other", Ty::Int, "Other payment (gift/loyalty card) of the line in tiyin.").check(&TIYIN),
        Field::opt("labels", Ty::Array(&Ty::Str), "Marking codes (DataMatrix), one per unit: send marked goods one unit per line (amount 1000)."),
        Field::req("class_code", Ty::Str, "IKPU (MXIK) code, 17 digits, from tasnif.soliq.uz.").check(&CLASS_CODE),
        Field::req("package_code", Ty::Str, "Package (unit) code for the class_code, from tasnif.soliq.uz."),
        Field::req("owner_type", Ty::Int, "0 bought and resold, 1 own production, 2 service provider.").check(&OWNER_TYPE),
        Field::opt("comission_info", COMMISSION_INFO, "Principal of a commission sale (spelled `comission` on the wire)."),
    ],
);

pub const EXTRA_INFO: Ty = Ty::Named(
    "FiscalBoxExtraInfo",
    &[
        Field::opt("phone_number", Ty::Str, "Customer phone from the Payme/Click/Uzum/Anor payment answer."),
        Field::opt("qr_payment_id", Ty::Str, "payment_id from the Payme/Click/Uzum/Anor payment answer."),
        Field::opt("qr_payment_provider", Ty::OneOf(&[Ty::Int, Ty::Str]), "QR-wallet provider: 141 Payme, 64 Click, 161 Uzum, 187 Anor. 141 or \"0141\" accepted; sent as the client option providerCodeFormat says (default: integer).").check(&QR_PROVIDER),
        Field::opt("scan2pay_id", Ty::Str, "`data.data.uuid` of scan2payStatus (with scan2pay_paid: true)."),
        Field::opt("card_number", Ty::Str, "Bank card: first 4 and last 4 digits, e.g. 1234********1234 (required with card_type 3)."),
    ],
);

pub const BANNER_STYLE: Ty = Ty::Named(
    "FiscalBoxBannerStyle",
    &[
        Field::opt("font_width", Ty::Int, "Font width."),
        Field::opt(
            "font_height",
            Ty::Int,
            "Font height (barcode height for barcodes).",
        ),
        Field::opt("is_bold", Ty::Bool, "Bold text."),
        Field::opt(
            "align",
            Ty::Enum(&["left", "right", "center"]),
            "Alignment.",
        ),
        Field::opt("barcode_type", Ty::Int, "Barcode type, e.g. 10."),
        Field::opt("qr_size", Ty::Int, "QR code size."),
    ],
);

pub const BANNER: Ty = Ty::Named(
    "FiscalBoxBanner",
    &[
        Field::req(
            "type",
            Ty::Enum(&["text", "barcode", "qr_code", "qr_code_frame"]),
            "What to print: text, barcode (digits only), qr_code or qr_code_frame.",
        ),
        Field::req("data", Ty::Str, "The text, barcode digits or QR content."),
        Field::opt("cut", Ty::Bool, "Cut the paper after this banner."),
        Field::opt("style", BANNER_STYLE, "Print style."),
    ],
);

pub const PRICE: Ty = Ty::Named(
    "FiscalBoxPrice",
    &[
        Field::req(
            "name",
            Ty::Str,
            "Line title, e.g. a payment method (`UZS`, `PayMe`, `HUMO`).",
        ),
        Field::opt("type", Ty::Str, "Line type, e.g. `cash`, `card`."),
        Field::req("price", Ty::Int, "Amount in tiyin.").check(&TIYIN),
        Field::opt("vat_type", Ty::Str, "VAT title, e.g. `QQS`."),
        Field::opt("vat_price", Ty::Int, "VAT amount in tiyin.").check(&TIYIN),
    ],
);

pub const BANNERS: Field = Field::opt(
    "banners",
    Ty::Array(&BANNER),
    "Non-fiscal blocks printed after the document.",
);
pub const PRICES: Field = Field::opt(
    "prices",
    Ty::Array(&PRICE),
    "Printed payment breakdown (informational lines).",
);

// ---------------------------------------------------------------------------------------
// Order params

const NUMBER: Field = Field::opt("number", Ty::Int, "Your order/receipt number.");
const PRODUCTS: Field =
    Field::req("products", Ty::Array(&PRODUCT), "Receipt lines.").check(&NOT_EMPTY);
const UUID: Field = Field::opt("uuid", Ty::Str, "Your own id of the receipt (use a unique one: it identifies the receipt when an answer is lost).");
const CASHIER: Field = Field::req("cashier", Ty::Str, "Cashier name.");
const RECEIVED_CASH: Field =
    Field::req("received_cash", Ty::Int, "Cash received, tiyin.").check(&TIYIN);
const CHANGE: Field = Field::req("change", Ty::Int, "Change given, tiyin.").check(&TIYIN);
const RECEIVED_CARD: Field =
    Field::req("received_card", Ty::Int, "Card / QR-wallet payment, tiyin.").check(&TIYIN);
const CARD_TYPE_F: Field = Field::opt(
    "card_type",
    Ty::Int,
    "1 corporate, 2 personal, 3 social card (then extra_info.card_number is required).",
)
.check(&CARD_TYPE);
const PPT_ID: Field = Field::opt(
    "ppt_id",
    Ty::Str,
    "RRN (`ppt_id`) of the pin-pad slip (humo/uzcard answer).",
);
const EXTRA_INFO_F: Field = Field::opt("extra_info", EXTRA_INFO, "QR-wallet / Scan2pay / social-card details; required when paid with Payme, Click, Uzum or Anor.");
const SEND_EMAIL: Field = Field::opt("send_email", Ty::Bool, "Send the receipt data to `email`.");
const EMAIL: Field = Field::opt("email", Ty::Str, "E-mail for the receipt data.");
const SMS_PHONE: Field = Field::opt(
    "sms_phone_number",
    Ty::Str,
    "Phone number for the receipt data.",
);

pub static ORDER_CREATE_PARAMS: [Field; 19] = [
    NUMBER,
    Field::req("receipt_type", Ty::Enum(&["order", "prepaid", "credit"]), "`order` (sale), `prepaid` (advance) or `credit`. QR and fiscal sign are not printed on prepaid/credit receipts."),
    PRODUCTS,
    UUID,
    TIME,
    CASHIER,
    RECEIVED_CASH,
    CHANGE,
    RECEIVED_CARD,
    CARD_TYPE_F,
    PPT_ID,
    Field::opt("scan2pay_paid", Ty::Bool, "Paid through Scan2pay (then extra_info.scan2pay_id)."),
    EXTRA_INFO_F,
    Field::opt("open_cashbox", Ty::Bool, "Open the cash drawer."),
    SEND_EMAIL,
    EMAIL,
    SMS_PHONE,
    BANNERS,
    PRICES,
];

pub static ORDER_REFUSE_PARAMS: [Field; 16] = [
    Field::req("number", Ty::Int, "Your order/receipt number."),
    PRODUCTS,
    UUID,
    Field::req("qr_code", Ty::Str, "qr_url of the original sale receipt.").check(&RECEIPT_URL),
    TIME,
    CASHIER,
    RECEIVED_CASH,
    CHANGE,
    RECEIVED_CARD,
    CARD_TYPE_F,
    PPT_ID,
    EXTRA_INFO_F,
    SEND_EMAIL,
    EMAIL,
    SMS_PHONE,
    PRICES,
];

// ---------------------------------------------------------------------------------------
// Results

pub const OUTCOME: Field = Field::computed(
    "outcome",
    Ty::Nullable(&Ty::Enum(&["success", "pending", "failed"])),
    "Where the payment stands, from the status the provider reports: 'success' (e.g. \"successfully\", SUCCESS), 'failed' (e.g. FAILED, \"failed\"), 'pending' for any other status; null when no status is given.",
);

const STR_OR_INT: Ty = Ty::OneOf(&[Ty::Str, Ty::Int]);
const NULL_STR: Ty = Ty::Nullable(&Ty::Str);
const NULL_INT: Ty = Ty::Nullable(&Ty::Int);
const NULL_STR_OR_INT: Ty = Ty::Nullable(&STR_OR_INT);

pub const RECEIPT: Ty = Ty::Named(
    "FiscalBoxReceipt",
    &[
        Field::req(
            "terminal_id",
            Ty::Str,
            "Fiscal module number, e.g. UZ170703100189 (Soliq link `t`).",
        ),
        Field::req(
            "receipt_count",
            Ty::Int,
            "Receipt number in the fiscal module (Soliq link `r`).",
        ),
        Field::req(
            "date_time",
            Ty::Str,
            "Fiscal date-time yyyyMMddHHmmss (Soliq link `c`).",
        ),
        Field::req(
            "fiscal_sign",
            Ty::Str,
            "Fiscal sign, 12 digits, may start with 0: keep it a string (Soliq link `s`).",
        ),
        Field::opt(
            "applet_version",
            Ty::Str,
            "Fiscal applet version, e.g. 0300.",
        ),
        Field::req(
            "qr_url",
            Ty::Str,
            "Soliq receipt link: pass it to the *Confirm calls, or as qr_code of a refund.",
        ),
        Field::opt("cash_box_number", STR_OR_INT, "Cash box number."),
    ],
);

pub const EMPTY: Ty = Ty::Nullable(&Ty::AnyObject);

const LAST_PRODUCT: Ty = Ty::Named(
    "FiscalBoxLastOrderProduct",
    &[
        Field::opt("name", Ty::Str, "Product name."),
        Field::opt("barcode", Ty::Str, "Barcode."),
        Field::opt("amount", Ty::Int, "Quantity × 1000."),
        Field::opt("product_price", Ty::Int, "Unit price, tiyin."),
        Field::opt("price", Ty::Int, "Line total, tiyin."),
        Field::opt("vat", Ty::Int, "VAT, tiyin."),
        Field::opt("vat_percent", NULL_INT, "VAT rate."),
        Field::opt("discount_percent", Ty::Num, "Discount percent."),
        Field::opt("discount", Ty::Int, "Discount, tiyin."),
        Field::opt("other", Ty::Int, "Other payment, tiyin."),
        Field::opt(
            "labels",
            Ty::Nullable(&Ty::Array(&Ty::Str)),
            "Marking codes.",
        ),
        Field::opt("class_code", Ty::Str, "IKPU (MXIK)."),
        Field::opt(
            "comission_info",
            Ty::Nullable(&Ty::AnyObject),
            "Principal, as stored: `{TIN, PINFL}`.",
        ),
        Field::opt("unit_name", Ty::Str, "Unit name."),
        Field::opt("package_code", NULL_STR, "Package code."),
        Field::opt(
            "owner_type",
            NULL_STR_OR_INT,
            "Owner type (integer; some sources print a string).",
        ),
    ],
);

const LAST_ORDER: Ty = Ty::Named(
    "FiscalBoxLastOrder",
    &[
        Field::opt("id", Ty::Int, "Internal id."),
        Field::opt("number", NULL_INT, "Order number."),
        Field::opt("cashier", NULL_STR, "Cashier."),
        Field::opt("products", Ty::Array(&LAST_PRODUCT), "Receipt lines."),
        Field::opt("time", NULL_STR, "Time yyyy-MM-dd HH:mm:ss."),
        Field::opt("received_cash", NULL_INT, "Cash, tiyin."),
        Field::opt("received_card", NULL_INT, "Card, tiyin."),
        Field::opt("received_ecash", NULL_INT, "E-cash, tiyin."),
        Field::opt("change", NULL_INT, "Change, tiyin."),
        Field::opt("open_cashbox", Ty::Bool, "Drawer opened."),
        Field::opt(
            "banners",
            Ty::Nullable(&Ty::Array(&BANNER)),
            "Printed banners.",
        ),
        Field::opt(
            "prices",
            Ty::Nullable(&Ty::Array(&PRICE)),
            "Printed payment lines.",
        ),
        Field::opt("isSynced", Ty::Bool, "Sent to the OFD."),
        Field::opt("type", NULL_STR, "order / refund type."),
        Field::opt("receipt_type", NULL_STR, "order, prepaid or credit."),
        Field::opt("result_url", NULL_STR, "Soliq receipt link."),
        Field::opt(
            "extra_info",
            Ty::Nullable(&Ty::AnyObject),
            "As stored, PascalCase keys (PhoneNumber, QrPaymentID, CardNumber, ...).",
        ),
        Field::opt("qr_code", NULL_STR, "Refunded receipt link (refunds)."),
        Field::opt("card_type", NULL_INT, "Card type."),
        Field::opt("ppt_id", NULL_STR, "Pin-pad RRN."),
        Field::opt("uuid", NULL_STR, "Your uuid."),
        Field::opt(
            "location",
            Ty::Nullable(&Ty::AnyObject),
            "`{Latitude, Longitude}`.",
        ),
    ],
);

const FISCAL_RESULT: Ty = Ty::Named(
    "FiscalBoxFiscalResult",
    &[
        Field::req(
            "TerminalID",
            Ty::Str,
            "Fiscal module number (Soliq link `t`).",
        ),
        Field::req("ReceiptSeq", Ty::Int, "Receipt number (Soliq link `r`)."),
        Field::req("DateTime", Ty::Str, "yyyyMMddHHmmss (Soliq link `c`)."),
        Field::req(
            "FiscalSign",
            Ty::Str,
            "Fiscal sign, 12 digits (Soliq link `s`).",
        ),
        Field::opt("AppletVersion", Ty::Str, "Applet version."),
        Field::opt("QRCodeURL", Ty::Str, "Soliq receipt link."),
        Field::opt("cash_box_number", STR_OR_INT, "Cash box number."),
    ],
);

pub const LAST_RECEIPT: Ty = Ty::Named(
    "FiscalBoxLastReceipt",
    &[
        Field::req("order", LAST_ORDER, "The order as stored by the device (snake_case with PascalCase sub-objects)."),
        Field::opt("fiscalOrder", Ty::Any, "Raw fiscal order (null in the example)."),
        Field::opt("result", Ty::Nullable(&FISCAL_RESULT), "The fiscal module's answer (PascalCase, raw FM/OFD naming)."),
        Field::opt("isRefund", Ty::Bool, "True when the last receipt was a refund."),
        Field::computed("qr_url", NULL_STR, "The Soliq receipt link: result.QRCodeURL, else order.result_url; null when neither is given."),
    ],
);

pub const SHIFT_OPEN: Ty = Ty::Named(
    "FiscalBoxShiftOpen",
    &[
        Field::req("time", Ty::Str, "Opening time yyyy-MM-dd HH:mm:ss."),
        Field::opt("applet_version", Ty::Str, "Applet version."),
    ],
);

pub const Z_REPORT: Ty = Ty::Named(
    "FiscalBoxZReport",
    &[
        Field::opt("applet_version", Ty::Str, "Applet version."),
        Field::req("terminal_id", Ty::Str, "Fiscal module number."),
        Field::req("number", Ty::Int, "Number of this Z-report."),
        Field::opt("count", Ty::Int, "Count of all Z-reports."),
        Field::opt(
            "last_receipt_seq",
            Ty::Int,
            "Last receipt number in this Z-report.",
        ),
        Field::opt(
            "first_receipt_seq",
            Ty::Int,
            "First receipt number in this Z-report.",
        ),
        Field::opt("open_time", Ty::Str, "Opening time yyyy-MM-dd HH:mm:ss."),
        Field::opt(
            "close_time",
            Ty::Str,
            "Closing time yyyy-MM-dd HH:mm:ss (empty while open).",
        ),
        Field::opt("total_refund_vat", Ty::Int, "Refund VAT, tiyin."),
        Field::opt("total_refund_card", Ty::Int, "Refunds by card, tiyin."),
        Field::opt("total_refund_cash", Ty::Int, "Refunds in cash, tiyin."),
        Field::opt("total_refund_count", Ty::Int, "Number of refunds."),
        Field::opt("total_sale_vat", Ty::Int, "Sale VAT, tiyin."),
        Field::opt("total_sale_card", Ty::Int, "Sales by card, tiyin."),
        Field::opt("total_sale_cash", Ty::Int, "Sales in cash, tiyin."),
        Field::opt("total_sale_count", Ty::Int, "Number of sales."),
        Field::opt("shift_opened", Ty::Bool, "Shift status (applet 4 only)."),
        Field::opt(
            "cash_desc_serial",
            NULL_STR,
            "Cash descriptor serial (applet 4 only).",
        ),
    ],
);

const ACCUMULATOR: Ty = Ty::Nullable(&Ty::Named(
    "FiscalBoxAccumulator",
    &[
        Field::opt("Sale", Ty::Int, "Sales, tiyin."),
        Field::opt("Refund", Ty::Int, "Refunds, tiyin."),
    ],
));

pub const DEVICE_INFO: Ty = Ty::Named(
    "FiscalBoxDeviceInfo",
    &[
        Field::req("terminal_id", Ty::Str, "Fiscal module number."),
        Field::opt("applet_version", Ty::Str, "Applet version."),
        Field::opt("current_receipt_seq", STR_OR_INT, "Current receipt number (a string in current firmware)."),
        Field::opt("current_time", Ty::Str, "Device time yyyy-MM-dd HH:mm:ss: compare with yours when error 104 \"Invalid time\" appears."),
        Field::opt("last_operation_time", Ty::Str, "Last operation time."),
        Field::opt("receipt_count", Ty::Int, "Receipts not yet sent to the OFD."),
        Field::opt("receipt_max_count", Ty::Int, "Maximum unsent receipts."),
        Field::opt("zreport_count", Ty::Int, "Z-reports."),
        Field::opt("zreport_max_count", Ty::Int, "Maximum Z-reports."),
        Field::opt("available_persistent_memory", Ty::Int, "Free persistent memory."),
        Field::opt("available_reset_memory", Ty::Int, "Free reset memory."),
        Field::opt("available_deselect_memory", Ty::Int, "Free deselect memory."),
        Field::opt("cashbox_number", STR_OR_INT, "Cash box number (string; older firmware: integer)."),
        Field::opt("version_code", Ty::Str, "Firmware version."),
        Field::opt("is_updated", Ty::Bool, "Auto-update flag."),
        Field::opt("cash_accomulator", ACCUMULATOR, "Cash totals (spelled `accomulator`)."),
        Field::opt("card_accomulator", ACCUMULATOR, "Card totals."),
        Field::opt("vat_accomulator", ACCUMULATOR, "VAT totals."),
        Field::opt("borrowed_receipt_files_count", NULL_INT, "Borrowed receipt files."),
        Field::opt("f_report_current_index", NULL_INT, "F-report index."),
        Field::opt("first_unacknowledged_receipt_time", NULL_STR_OR_INT, "Oldest receipt the OFD has not acknowledged."),
        Field::opt("receipt_current_index", NULL_INT, "Receipt index."),
        Field::opt("receipts_allocated", NULL_INT, "Receipts allocated."),
        Field::opt("receipts_capacity", NULL_INT, "Receipts capacity."),
        Field::opt("z_report_current_index", NULL_INT, "Z-report index."),
        Field::opt("z_reports_allocated", NULL_INT, "Z-reports allocated."),
        Field::opt("z_reports_capacity", NULL_INT, "Z-reports capacity."),
    ],
);

pub const SLIP: Ty = Ty::Named(
    "FiscalBoxSlip",
    &[
        Field::req(
            "message",
            Ty::Str,
            "Printed slip / report text (lines separated by \\n).",
        ),
        Field::opt(
            "ppt_id",
            NULL_STR,
            "RRN of the transaction: pass it to orderCreate as ppt_id (null for reports).",
        ),
    ],
);

pub const CLICK_PAYMENT: Ty = Ty::Named(
    "FiscalBoxClickPayment",
    &[
        Field::opt("status_code", Ty::Int, "0 = success."),
        Field::opt("status", Ty::Str, "`successfully`, ..."),
        Field::opt("message", NULL_STR, "Provider message."),
        Field::opt("amount", Ty::Int, "Amount as echoed by the provider."),
        Field::req(
            "payment_id",
            STR_OR_INT,
            "Click payment id: pass it to orderCreate (extra_info.qr_payment_id) and clickConfirm.",
        ),
        Field::opt("transaction_id", NULL_STR, "Transaction UUID."),
        Field::opt("qr_code", NULL_STR, "The scanned code."),
        Field::opt(
            "client_phone_number",
            NULL_STR,
            "Customer phone: extra_info.phone_number of the receipt.",
        ),
        OUTCOME,
    ],
);

pub const CLICK_CONFIRM: Ty = Ty::Named(
    "FiscalBoxClickConfirm",
    &[
        Field::opt("inn", NULL_STR, "Merchant INN."),
        Field::opt("payment_id", NULL_STR_OR_INT, "Click payment id."),
        Field::opt("qr_code", NULL_STR, "The receipt link sent."),
        Field::opt("status", NULL_STR, "`successfully`, `failed`, ..."),
        Field::opt("error", Ty::Any, "Provider error (null on success)."),
        OUTCOME,
    ],
);

pub const PAYME_PAYMENT: Ty = Ty::Named(
    "FiscalBoxPaymePayment",
    &[
        Field::opt("amount", Ty::Int, "Amount as echoed by the provider."),
        Field::opt("transaction_id", NULL_STR, "Transaction UUID."),
        Field::req("payment_id", STR_OR_INT, "Payme receipt id (24 hex): pass it to orderCreate (extra_info.qr_payment_id) and paymeConfirm."),
        Field::opt("inn", NULL_STR, "Merchant INN."),
        Field::opt("qr_code", NULL_STR, "The scanned code."),
        Field::opt("kkm_id", NULL_STR, "Cash register id."),
        Field::opt("device_id", NULL_STR, "Device id."),
        Field::opt("status", Ty::Str, "`successfully`, ..."),
        Field::opt("message", NULL_STR, "Provider message."),
        Field::opt("client_phone_number", NULL_STR, "Customer phone: extra_info.phone_number of the receipt."),
        OUTCOME,
    ],
);

pub const PAYME_CONFIRM: Ty = Ty::Named(
    "FiscalBoxPaymeConfirm",
    &[
        Field::opt("id", STR_OR_INT, "Internal fiscalization id."),
        Field::opt(
            "result",
            Ty::Nullable(&Ty::Named(
                "FiscalBoxPaymeConfirmAnswer",
                &[Field::opt(
                    "receipt",
                    Ty::Named(
                        "FiscalBoxPaymeReceipt",
                        &[
                            Field::opt("_id", Ty::Str, "Payme receipt id."),
                            Field::opt("create_time", Ty::Int, "Receipt creation time, Unix ms."),
                            Field::opt("pay_time", Ty::Int, "Payment time, Unix ms."),
                        ],
                    ),
                    "The Payme receipt.",
                )],
            )),
            "Payme's answer.",
        ),
        Field::opt("error", Ty::Any, "Provider error (null on success)."),
        OUTCOME,
    ],
);

pub const UZUM_PAYMENT: Ty = Ty::Named(
    "FiscalBoxUzumPayment",
    &[
        Field::req("payment_id", STR_OR_INT, "Uzum payment id (UUID): pass it to orderCreate (extra_info.qr_payment_id) and uzumConfirm."),
        Field::opt("payment_status", NULL_STR, "`SUCCESS`, `FAILED`, ..."),
        Field::opt("error_code", NULL_STR_OR_INT, "\"0\" on success (a string)."),
        Field::opt("error_message", NULL_STR, "Provider error text."),
        Field::opt("client_phone_number", NULL_STR, "Customer phone: extra_info.phone_number of the receipt."),
        OUTCOME,
    ],
);

pub const ANOR_PAYMENT: Ty = Ty::Named(
    "FiscalBoxAnorPayment",
    &[
        Field::req("transaction_id", Ty::Str, "Transaction UUID: pass it to anorConfirm."),
        Field::opt("status", NULL_STR, "`successfully`, ..."),
        Field::opt("message", NULL_STR, "Provider message."),
        Field::opt("error_code", NULL_STR_OR_INT, "Provider error code (string, integer or null)."),
        Field::opt("payment_id", NULL_STR_OR_INT, "Anor payment id (integer in S2, string in S1): extra_info.qr_payment_id of the receipt."),
        Field::opt("error_note", NULL_STR, "Provider error note."),
        Field::opt("payment_status", NULL_STR_OR_INT, "Provider payment status (integer in the examples: 1, 2; undocumented)."),
        Field::opt("phone_number", NULL_STR, "Customer phone: extra_info.phone_number of the receipt."),
        Field::opt("card_number", NULL_STR, "Masked card number."),
        OUTCOME,
    ],
);

pub const ANOR_CONFIRM: Ty = Ty::Named(
    "FiscalBoxAnorConfirm",
    &[
        Field::opt(
            "payment_id",
            NULL_STR_OR_INT,
            "Anor payment id (integer in S1, null in S2).",
        ),
        Field::opt("transaction_id", NULL_STR, "The transaction confirmed."),
        Field::opt("message", NULL_STR, "Provider message."),
        Field::opt("error_code", NULL_STR_OR_INT, "0 or null on success."),
        OUTCOME,
    ],
);

pub const SCAN2PAY: Ty = Ty::Named(
    "FiscalBoxScan2pay",
    &[
        Field::opt("status", Ty::Str, "`successfully`."),
        Field::req(
            "message",
            Ty::Str,
            "The payment link (http://scan2pay.uz/<uuid>) to show or send to the customer.",
        ),
    ],
);

pub const SCAN2PAY_STATUS: Ty = Ty::Named(
    "FiscalBoxScan2payStatus",
    &[
        Field::opt(
            "status",
            Ty::Str,
            "`successfully` when a payment was found.",
        ),
        Field::opt(
            "data",
            Ty::Nullable(&Ty::Named(
                "FiscalBoxScan2payPayment",
                &[
                    Field::opt(
                        "uuid",
                        Ty::Str,
                        "Payment uuid: pass it as extra_info.scan2pay_id with scan2pay_paid: true.",
                    ),
                    Field::opt("order_id", STR_OR_INT, "Your order id."),
                    Field::opt("device", Ty::Str, "Device id."),
                    Field::opt("status", Ty::Str, "`success` when paid."),
                ],
            )),
            "The payment.",
        ),
        Field::opt("message", NULL_STR, "Message."),
        OUTCOME,
    ],
);

pub const UZQR_INVOICE: Ty = Ty::Named(
    "FiscalBoxUzqrInvoice",
    &[
        Field::req(
            "invoice_id",
            Ty::Str,
            "Invoice id: poll uzqrStatus with it.",
        ),
        Field::req(
            "qr_text",
            Ty::Str,
            "The QR content to show to the customer.",
        ),
    ],
);

pub const UZQR_STATUS: Ty = Ty::Named(
    "FiscalBoxUzqrStatus",
    &[
        Field::opt("invoice_id", Ty::Str, "Invoice id."),
        Field::req(
            "status",
            Ty::Int,
            "1 in progress, 2 success, 3 declined (see `uzqrStatuses`).",
        ),
        Field::opt(
            "pay_id",
            NULL_STR,
            "Payment id (when paid): for uzqrReceipt and uzqrRefund.",
        ),
        Field::opt("payer_phone", NULL_STR, "Payer phone."),
        Field::opt(
            "card_type",
            NULL_STR_OR_INT,
            "1 corporate, 2 personal, 3 social (a string in the example).",
        ),
        Field::opt("card_no", NULL_STR, "Masked card number."),
        Field::opt(
            "fiscal_module",
            NULL_STR,
            "Fiscal module from the device config.",
        ),
        OUTCOME,
        Field::computed(
            "status_meaning",
            Ty::Str,
            "The documented meaning of `status`.",
        ),
    ],
);

pub const UZQR_REFUND: Ty = Ty::Named(
    "FiscalBoxUzqrRefund",
    &[
        Field::req(
            "refund_id",
            Ty::Str,
            "Refund id: poll uzqrRefundStatus with it.",
        ),
        Field::req(
            "status",
            Ty::Int,
            "1 pending, 2 success, 3 failed (see `uzqrRefundStatuses`).",
        ),
        OUTCOME,
        Field::computed(
            "status_meaning",
            Ty::Str,
            "The documented meaning of `status`.",
        ),
    ],
);

pub const OKM_RESULT: Ty = Ty::Named(
    "FiscalBoxOkmValidation",
    &[
        Field::req(
            "success",
            Ty::Bool,
            "True when every marking code is valid (errors are thrown).",
        ),
        Field::opt("message", NULL_STR, "Message."),
        Field::opt("messageRu", NULL_STR, "Message in Russian."),
        Field::opt("messageLat", NULL_STR, "Message in Uzbek (latin)."),
        Field::opt("code", NULL_STR_OR_INT, "Result code (a string)."),
        Field::opt("data", Ty::Any, "Details."),
    ],
);

pub const OKM_PRODUCT: Ty = Ty::Named(
    "FiscalBoxOkmProduct",
    &[
        Field::req("productCode", Ty::Str, "IKPU (MXIK) of the product."),
        Field::req("packageCode", Ty::Str, "Package code."),
        Field::req("amount", Ty::Int, "Number of units (not ×1000)."),
        Field::req("kmIds", Ty::Array(&Ty::Str), "Marking codes, one per unit."),
        Field::opt(
            "fullKmIds",
            Ty::Array(&Ty::Str),
            "Full marking codes (with crypto tail).",
        ),
    ],
);

// ---------------------------------------------------------------------------------------
// Shift, printing, payment, UzQR and marking-code params

pub static TIME_PARAMS: [Field; 1] = [TIME];

pub static SHIFT_REPORT_PARAMS: [Field; 4] = [
    TIME,
    Field::opt(
        "name",
        Ty::Str,
        "Report title printed on the slip, e.g. `Z Отчет`.",
    ),
    PRICES,
    BANNERS,
];

pub static SHIFT_INFO_PARAMS: [Field; 2] = [
    Field::opt("number", Ty::Int, "Print an already closed Z-report, counted backwards: 1 = the most recent (use with print: true).").check(&REPORT_NUMBER),
    Field::opt("print", Ty::Bool, "Print the Z-report given by `number`."),
];

pub static BANNER_PARAMS: [Field; 1] = [Field::req(
    "banners",
    Ty::Array(&BANNER),
    "Blocks to print: text, barcode, qr_code, qr_code_frame.",
)
.check(&NOT_EMPTY)];

pub static WALLET_PARAMS: [Field; 2] = [
    Field::req("amount", Ty::Int, "Amount in tiyin (1 sum = 100 tiyin), a positive integer. The published docs disagree on the unit (S2: tiyin, S1: sums); kassa takes tiyin and sends them as the client option walletAmountUnit says — tiyin ('tiyin') or whole sums ('sum'); it has no default.").check(&POSITIVE_TIYIN),
    Field::req("qr_code", Ty::Str, "The code scanned from the customer's app (Click Pass, Payme Go, Uzum FastPay, AnorCheck).").check(&NOT_BLANK),
];

const CONFIRM_QR: Field = Field::req(
    "qr_code",
    Ty::Str,
    "The Soliq receipt link: `qr_url` of the orderCreate result.",
)
.check(&RECEIPT_URL);

pub static CONFIRM_PARAMS: [Field; 2] = [
    Field::req(
        "payment_id",
        Ty::OneOf(&[Ty::Str, Ty::Int]),
        "`payment_id` of the payment call's result (a number is accepted and sent as text).",
    )
    .check(&NOT_BLANK),
    CONFIRM_QR,
];

pub static PAYME_CONFIRM_PARAMS: [Field; 4] = [
    Field::req("payment_id", Ty::Str, "`payment_id` of the payme() result (Payme receipt id, 24 hex digits).").check(&NOT_BLANK),
    CONFIRM_QR,
    Field::opt("receipt_id", Ty::Str, "Receipt number (`r` of the link). Required by an older revision of the docs; kassa fills it from qr_code with the client option paymeConfirmFields: 'legacy'."),
    Field::opt("fiscal_sign", Ty::Str, "Fiscal sign (`s` of the link). Required by an older revision of the docs; kassa fills it from qr_code with the client option paymeConfirmFields: 'legacy'."),
];

pub static ANOR_CONFIRM_PARAMS: [Field; 2] = [
    Field::req(
        "transaction_id",
        Ty::Str,
        "`transaction_id` of the anor() result.",
    )
    .check(&NOT_BLANK),
    CONFIRM_QR,
];

pub static PINPAD_PARAMS: [Field; 3] = [
    Field::req("amount", Ty::Int, "Amount in tiyin (1000 = 10.00 UZS on the slip).").check(&POSITIVE_TIYIN),
    Field::opt("request_id", Ty::OneOf(&[Ty::Str, Ty::Int]), "RRN (`ppt_id`) of the transaction to cancel/return; with is_return: true."),
    Field::opt("is_return", Ty::Bool, "true: cancel/return the transaction `request_id` (Humo: only within the same pin-pad shift)."),
];

pub static SCAN2PAY_PARAMS: [Field; 7] = [
    Field::req("amount", Ty::Int, "Amount in tiyin.").check(&POSITIVE_TIYIN),
    Field::req(
        "order_id",
        Ty::OneOf(&[Ty::Int, Ty::Str]),
        "Your order id (poll scan2payStatus with it).",
    ),
    Field::opt(
        "print",
        Ty::Bool,
        "Print the payment QR on the receipt printer.",
    ),
    Field::opt("tip_card", Ty::Str, "Card number that receives tips."),
    Field::opt("tip_card_expire", Ty::Str, "Tip card expiry, MMYY.").check(&CARD_EXPIRY),
    Field::opt(
        "sms_phone_number",
        Ty::Str,
        "Send the payment link by SMS to this phone.",
    ),
    BANNERS,
];

pub static SCAN2PAY_STATUS_PARAMS: [Field; 1] = [Field::req(
    "order_id",
    Ty::OneOf(&[Ty::Str, Ty::Int]),
    "The order_id given to scan2pay.",
)];

pub static UZQR_CREATE_PARAMS: [Field; 4] = [
    Field::req("external_id", Ty::Str, "Your id of the invoice.").check(&NOT_BLANK),
    Field::req(
        "amount",
        Ty::Str,
        "Amount in sums as a decimal string, e.g. \"100.00\" (UzQR takes sums, not tiyin).",
    )
    .check(&SUMS),
    Field::opt("print", Ty::Bool, "Print the QR on the receipt printer."),
    BANNERS,
];

pub static UZQR_INVOICE_PARAMS: [Field; 1] =
    [Field::req("invoice_id", Ty::Str, "`invoice_id` of uzqrCreate.").check(&NOT_BLANK)];

pub static UZQR_RECEIPT_PARAMS: [Field; 2] = [
    Field::req("pay_id", Ty::Str, "`pay_id` of the paid uzqrStatus.").check(&NOT_BLANK),
    Field::req(
        "fiscal_receipt_url",
        Ty::Str,
        "The Soliq receipt link: `qr_url` of orderCreate.",
    )
    .check(&RECEIPT_URL),
];

pub static UZQR_REFUND_PARAMS: [Field; 2] = [
    Field::req("pay_id", Ty::Str, "`pay_id` of the paid uzqrStatus.").check(&NOT_BLANK),
    Field::req(
        "amount",
        Ty::Str,
        "Amount to refund in sums as a decimal string (≤ the original; partial refunds allowed).",
    )
    .check(&SUMS),
];

pub static UZQR_REFUND_STATUS_PARAMS: [Field; 1] =
    [Field::req("refund_id", Ty::Str, "`refund_id` of uzqrRefund.").check(&NOT_BLANK)];

pub static OKM_PARAMS: [Field; 2] = [
    Field::opt("refund", Ty::Int, "0 = sale (the only documented value).").check(&OKM_REFUND),
    Field::req(
        "products",
        Ty::Array(&OKM_PRODUCT),
        "Products and their marking codes.",
    )
    .check(&NOT_EMPTY),
];

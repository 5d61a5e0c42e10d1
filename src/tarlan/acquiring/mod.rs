//! Tarlan acquiring — the payment gateway on prapi (spec/tarlan-acquiring.md). One table
//! declares every operation; signing (`Authorization: Bearer`), the envelope and the error
//! mapping are the shared Tarlan plumbing (`super::encode_signed_with`, `parse_envelope`).

pub mod codes;
pub mod webhook;

use super::sign::{self, Escaping};
use super::{encode_signed_with, parse_envelope, GetSigning, SignatureHeader};
use crate::codes::{CodeTable, Outcome};
use crate::config::{Config, ProviderSettings, Secret, TRANSPORT_OPTIONS};
use crate::error::{ErrorCode, ErrorKind, KassaError, Result};
use crate::http::{
    decode_component, validate_base_url, HttpRequest, HttpResponse, HttpUrl, Method,
};
use crate::journal;
use crate::json::{Json, Map};
use crate::money::Decimal;
use crate::operation::{
    BuildCtx, Evidence, MeasureFn, OpClass, Operation, Probe, Resolve, Settle, Verdict,
};
use crate::provider::{Notification, ProviderDef};
use crate::schema::{self, Check, Extra, Field, Ty, HTTP_URL};

pub const PROVIDER_ID: &str = "acquiring";
const TITLE: &str = "Tarlan acquiring";
pub const PRODUCTION_URL: &str = "https://prapi.tarlanpayments.kz";
pub const SANDBOX_URL: &str = "https://sandboxapi.tarlanpayments.kz";

// ---------------------------------------------------------------------------------------
// Shared field definitions

const AMOUNT_KZT: Ty = Ty::Money { scale: 2 };

/// Bank codes are strings in every example; a number is accepted too.
const TEXT_OR_NUMBER: Ty = Ty::OneOf(&[Ty::Str, Ty::Num]);

const STATUS_CODES: &[&str] = &[
    "new",
    "processed",
    "threeds_waiting",
    "threeds_received",
    "failed",
    "refund",
    "canceled",
    "retry",
    "success",
    "holded",
    "refund_waiting",
    "authorized",
    "error",
];

const TYPE_CODES: &[&str] = &[
    "in",
    "out",
    "one_click_pay_in",
    "one_click_pay_out",
    "refund",
    "google_pay",
    "apple_pay",
    "card_link",
    "two_stage_pay_in",
];

static MAX_50_CHARS: Check = Check {
    rule: "must be at most 50 characters (the documented limit)",
    test: |v| v.as_str().is_some_and(|s| s.chars().count() <= 50),
};

const MERCHANT_ID: Field = Field::req(
    "merchant_id",
    Ty::Int,
    "Merchant id assigned by Tarlan (client option `merchantId`).",
);
const PROJECT_ID: Field = Field::req(
    "project_id",
    Ty::Int,
    "Project id assigned by Tarlan (client option `projectId`).",
);
const AMOUNT: Field = Field::req(
    "amount",
    AMOUNT_KZT,
    "Amount in KZT: a number or decimal string with at most 2 decimals, sent as a JSON number.",
);
const PROJECT_REFERENCE_ID: Field = Field::req(
    "project_reference_id",
    Ty::Str,
    "Merchant order number, unique per transaction (a repeat is refused with 5000).",
);
const DESCRIPTION: Field = Field::req(
    "description",
    Ty::Str,
    "Payment description (at most 50 characters).",
)
.check(&MAX_50_CHARS);
const CALLBACK_URL: Field = Field::opt(
    "callback_url",
    Ty::Str,
    "Where the gateway POSTs the Payment Status webhook (see `verifyWebhook`).",
)
.check(&HTTP_URL);
const SUCCESS_REDIRECT_URL: Field = Field::req(
    "success_redirect_url",
    Ty::Str,
    "Page the customer returns to after a successful payment.",
)
.check(&HTTP_URL);
const FAILURE_REDIRECT_URL_FILLED: Field = Field::req(
    "failure_redirect_url",
    Ty::Str,
    "Page after an unsuccessful payment; marked required but documented to fall back to success_redirect_url, so kassa sends success_redirect_url when omitted.",
)
.check(&HTTP_URL)
.sdk_default();
const FAILURE_REDIRECT_URL_OPT: Field = Field::opt(
    "failure_redirect_url",
    Ty::Str,
    "Page after an unsuccessful pay-out (optional here).",
)
.check(&HTTP_URL);
const CONFIRM_URL: Field = Field::opt(
    "confirm_url",
    Ty::Str,
    "Merchant URL the gateway asks whether the order may still be paid (answer with `confirmReply`).",
)
.check(&HTTP_URL);
const SHIPMENT: Field = Field::opt("shipment", Ty::Str, "Shipping address.");
const ADDITIONAL_DATA: Field = Field::opt(
    "additional_data",
    Ty::AnyObject,
    "Free-form merchant data, echoed back in the webhook and status; sent but never signed.",
);
/// `project_id` / `project_reference_id` where only the cut-off part of a truncated table can
/// hold them (the pay-outs without a form): optional, and sent only when given.
const TRUNCATED_PROJECT_ID: Field = Field::opt(
    "project_id",
    Ty::Int,
    "Project id (presumed: not in the visible rows of the truncated table; sent only when passed here, not filled from `projectId`).",
);
const TRUNCATED_PROJECT_REFERENCE_ID: Field = Field::opt(
    "project_reference_id",
    Ty::Str,
    "Merchant order number (presumed: not in the visible rows of the truncated table). Give it: it is what finds the pay-out with `status` when its answer is lost.",
);
const PROJECT_ORDER_ID: Field = Field::opt(
    "project_order_id",
    Ty::Str,
    "Order id on the project side (documented on the Russian pay-out page only; sent by the WooCommerce plugin).",
);

const FORM_FIELDS: [Field; 13] = [
    AMOUNT,
    Field::opt("project_client_id", Ty::Str, "Merchant-side client id: lets the customer save the card; later payments with the same id offer it (without 3DS)."),
    CALLBACK_URL,
    SUCCESS_REDIRECT_URL,
    FAILURE_REDIRECT_URL_FILLED,
    MERCHANT_ID,
    PROJECT_ID,
    PROJECT_REFERENCE_ID,
    SHIPMENT,
    CONFIRM_URL,
    DESCRIPTION,
    ADDITIONAL_DATA,
    PROJECT_ORDER_ID,
];

const PAY_OUT_FORM_FIELDS: [Field; 13] = [
    AMOUNT,
    Field::opt(
        "project_client_id",
        Ty::Str,
        "Merchant-side client id: lets the customer save the destination card for later pay-outs.",
    ),
    CALLBACK_URL,
    FAILURE_REDIRECT_URL_OPT,
    MERCHANT_ID,
    PROJECT_ID,
    PROJECT_REFERENCE_ID,
    SUCCESS_REDIRECT_URL,
    SHIPMENT,
    CONFIRM_URL,
    DESCRIPTION,
    ADDITIONAL_DATA,
    PROJECT_ORDER_ID,
];

// ---------------------------------------------------------------------------------------
// Result types

const OUTCOME: Field = Field::computed(
    "outcome",
    Ty::Enum(&["success", "pending", "failed"]),
    "Where the payment stands: 'success' (success), 'failed' (failed, refund, canceled, error), 'pending' (every other status, including unknown ones).",
);

const OUTCOME_OR_NULL: Field = Field::computed(
    "outcome",
    Ty::Nullable(&Ty::Enum(&["success", "pending", "failed"])),
    "Outcome of `transaction_status_code` when the answer has one, else null.",
);

pub const PAYMENT_PAGE: Ty = Ty::Named(
    "AcquiringPaymentPage",
    &[
        Field::req("url", Ty::Str, "The hosted payment page (the `result` string, unchanged): redirect the customer to it."),
        Field::req("transaction_id", Ty::Nullable(&Ty::Int), "Gateway transaction id parsed from the URL (needed for refund and charge); null if the URL has none."),
        Field::req("hash", Ty::Nullable(&Ty::Str), "The page's `hash` query value (a bcrypt string; `$` kept intact)."),
    ],
);

const ONE_CLICK_RESULT: Ty = Ty::Named(
    "AcquiringOneClickResult",
    &[
        Field::req("transaction_id", Ty::Int, "Gateway transaction id."),
        Field::req(
            "transaction_status_code",
            Ty::Enum(STATUS_CODES),
            "Transaction status (see `transactionStatuses`).",
        ),
        Field::opt("bank_code", TEXT_OR_NUMBER, "Bank answer code."),
        Field::opt("bank_message", Ty::Str, "Bank answer text."),
        OUTCOME,
    ],
);

const TRANSACTION_RESULT: Ty = Ty::Named(
    "AcquiringTransactionResult",
    &[
        Field::opt(
            "result",
            Ty::Str,
            "The answer's `result` when it is a plain string.",
        ),
        Field::opt("transaction_id", Ty::Int, "Gateway transaction id."),
        Field::opt(
            "transaction_status_code",
            Ty::OneOf(&[Ty::Enum(STATUS_CODES), Ty::Int]),
            "Transaction status (see `transactionStatuses`).",
        ),
        Field::opt("bank_code", TEXT_OR_NUMBER, "Bank answer code."),
        Field::opt("bank_message", Ty::Str, "Bank answer text."),
        OUTCOME_OR_NULL,
    ],
);

const REFUND_RESULT: Ty = Ty::Named(
    "AcquiringRefund",
    &[
        Field::opt(
            "result",
            Ty::Str,
            "The current English docs' shape: `result` is the string \"success\".",
        ),
        Field::opt(
            "transaction_id",
            Ty::Int,
            "The older/Kazakh docs' shape: the transaction id.",
        ),
        Field::opt(
            "transaction_status_code",
            Ty::OneOf(&[Ty::Str, Ty::Int]),
            "The older/Kazakh docs' shape: a status (printed as the number 999).",
        ),
    ],
);

const CODE_NAME_STATUS: Ty = Ty::Named(
    "AcquiringTransactionStatus",
    &[
        Field::req(
            "code",
            Ty::Enum(STATUS_CODES),
            "Status code (see `transactionStatuses`).",
        ),
        Field::opt("name", Ty::Str, "Localized (Russian) status name."),
    ],
);

const CODE_NAME_TYPE: Ty = Ty::Named(
    "AcquiringTransactionType",
    &[
        Field::req(
            "code",
            Ty::Enum(TYPE_CODES),
            "Type code (see `transactionTypes`).",
        ),
        Field::opt("name", Ty::Str, "Localized (Russian) type name."),
    ],
);

const TRANSACTION: Ty = Ty::Named(
    "AcquiringTransaction",
    &[
        Field::req("id", Ty::Int, "Gateway transaction id."),
        Field::opt("amount", AMOUNT_KZT, "Amount, KZT."),
        Field::opt("description", Ty::Str, "Payment description."),
        Field::opt("user_phone", Ty::Str, "Customer phone."),
        Field::opt("user_email", Ty::Str, "Customer e-mail."),
        Field::opt(
            "card_token",
            Ty::Str,
            "Saved-card token (use it for `oneClickPayIn`).",
        ),
        Field::opt(
            "masked_pan",
            Ty::Str,
            "Masked card number, e.g. 0000-00XXXXXX-0000.",
        ),
        Field::opt("bank_code", TEXT_OR_NUMBER, "Bank answer code."),
        Field::opt("bank_message", Ty::Str, "Bank answer text."),
        Field::opt(
            "additional_data",
            Ty::Nullable(&Ty::AnyObject),
            "The additional_data sent at creation.",
        ),
        Field::req(
            "transaction_status",
            CODE_NAME_STATUS,
            "Transaction status.",
        ),
        Field::opt("bank_reference_id", Ty::Str, "Bank reference."),
        Field::opt(
            "created_at",
            Ty::Str,
            "Creation time, RFC 3339 with fractional seconds.",
        ),
        Field::opt("transaction_type", CODE_NAME_TYPE, "Transaction type."),
        Field::opt(
            "refunds",
            Ty::Nullable(&Ty::Array(&Ty::Named(
                "AcquiringRefundEntry",
                &[
                    Field::opt("amount", AMOUNT_KZT, "Refunded amount, KZT."),
                    Field::opt("date", Ty::Str, "Refund time."),
                ],
            ))),
            "Refunds of this transaction.",
        ),
        OUTCOME,
    ],
);

// ---------------------------------------------------------------------------------------
// Operation table

/// A repeated form/one-click create answers 5000 for an existing project_reference_id: the
/// state is then read with `status` of the matching transaction type.
const fn status_resolve(fixed: &'static [(&'static str, &'static str)]) -> Resolve {
    Resolve {
        operation: "status",
        copy: &[
            ("project_reference_id", "project_reference_id"),
            ("merchant_id", "merchant_id"),
            ("project_id", "project_id"),
        ],
        fixed,
        duplicate_codes: &[codes::DUPLICATE],
    }
}

/// A transaction created under the request's own `project_reference_id` is settled by its
/// `status`; 5103 "transaction not found" means it never arrived.
const STATUS_SETTLE: Settle = Settle {
    key: &["project_reference_id"],
    answered: Outcome::Pending,
    probe: Probe::Resolve,
    judge: |evidence| journal::by_status(evidence, &[codes::NOT_FOUND]),
};

/// The pay-outs without a form: their tables are truncated (spec §4.2, §4.3), so neither the
/// status `type` they are found under nor that `project_reference_id` names them is
/// documented. Their `status` is read, but "not found" proves nothing: it stays unknown.
const PAYOUT_SETTLE: Settle = Settle {
    judge: |evidence| journal::by_status(evidence, &[]),
    ..STATUS_SETTLE
};

/// Refunds and charges name the paid transaction by `transaction_id`, but `status` finds it
/// only by its `project_reference_id` and `type`: the caller gives them (`lookup`).
const fn base_status(before: Option<MeasureFn>) -> Probe {
    Probe::Read {
        operation: "status",
        copy: &[],
        needs: &["project_reference_id", "type"],
        fixed: &[],
        before,
    }
}

/// Two-stage charge: the base transaction is `success` once charged, still `authorized` if not.
const CHARGE_SETTLE: Settle = Settle {
    key: &["transaction_id"],
    answered: Outcome::Pending,
    probe: base_status(None),
    judge: judge_charge,
};

/// A partial refund has no reference of its own (several may follow one payment): the caller
/// names it, and the base transaction's refund count, read before and after, tells.
const REFUND_SETTLE: Settle = Settle {
    key: &[],
    answered: Outcome::Success,
    probe: base_status(Some(refund_count)),
    judge: judge_refund,
};

fn refund_count(answer: std::result::Result<&Json, &KassaError>) -> Option<Json> {
    let refunds = answer.ok()?.get("refunds");
    match refunds {
        None | Some(Json::Null) => Some(Json::int(0)),
        Some(list) => list.as_array().map(|l| Json::int(l.len() as i64)),
    }
}

fn judge_refund(evidence: &Evidence) -> Verdict {
    let verdict = journal::by_count(evidence, refund_count(evidence.answer));
    match (verdict, evidence.answer) {
        // The refund entry the status lists last is this one — if its amount is ours: another
        // refund of the same payment may have landed while this one never arrived.
        (Verdict::Performed { outcome, .. }, Ok(status)) => {
            let last = status
                .get("refunds")
                .and_then(Json::as_array)
                .and_then(|l| l.last());
            let ours = evidence.params.get("amount");
            let amount_of = |v: Option<&Json>| {
                v.and_then(|v| match v.as_str() {
                    Some(text) => Decimal::parse(text),
                    None => Decimal::parse(&v.to_compact()),
                })
            };
            match (ours, last) {
                (Some(ours), Some(entry))
                    if amount_of(Some(ours)) != amount_of(entry.get("amount")) =>
                {
                    Verdict::Unsettled(format!(
                        "the payment has one refund more, but of {} where this one is of {}: another refund may have landed instead of this one",
                        entry.get("amount").map(Json::to_compact).unwrap_or_default(),
                        ours.to_compact()
                    ))
                }
                _ => Verdict::Performed {
                    outcome,
                    result: last.cloned(),
                },
            }
        }
        (verdict, _) => verdict,
    }
}

fn judge_charge(evidence: &Evidence) -> Verdict {
    let Ok(status) = evidence.answer else {
        return journal::by_status(evidence, &[]);
    };
    match status.pointer(&["transaction_status", "code"]).and_then(Json::as_str) {
        Some("success") => journal::reported(status),
        Some("authorized") => Verdict::Absent,
        Some(code) => Verdict::Unsettled(format!(
            "the charged transaction is `{code}`, which tells neither that it was charged nor that it was not"
        )),
        None => journal::reported(status),
    }
}

const IDS: &[&str] = &["merchant_id", "project_id"];

const fn form_op(
    name: &'static str,
    path: &'static str,
    summary: &'static str,
    type_code: &'static [(&'static str, &'static str)],
    fields: &'static [Field],
) -> Operation {
    Operation::new(name, Method::Post, path)
        .summary(summary)
        .class(OpClass::IdempotentWrite)
        .reference(&["project_reference_id"])
        .resolve(status_resolve(type_code))
        .settle(STATUS_SETTLE)
        .params(fields)
        .from_options(IDS)
        .prefill(prefill_failure_redirect)
        .envelope(payment_page_envelope)
        .result(PAYMENT_PAGE)
}

pub static OPERATIONS: [Operation; 14] = [
    form_op(
        "payIn",
        "/transaction/api/v1/transaction/primal/pay-in",
        "Pay-in via the hosted form: returns the payment page URL to redirect the customer to",
        &[("type", "in")],
        &FORM_FIELDS,
    ),
    // failure_redirect_url is optional on pay-out: nothing is filled in.
    Operation {
        prefill: None,
        ..form_op(
            "payOut",
            "/transaction/api/v1/transaction/primal/pay-out",
            "Pay-out via the hosted form: the customer enters the destination card on the page",
            &[("type", "out")],
            &PAY_OUT_FORM_FIELDS,
        )
    },
    Operation::new("cardLink", Method::Post, "/transaction/api/v1/transaction/primal/card-link")
        .summary("Card link: a KZT 10 payment (refunded afterwards) that saves the customer's card")
        .class(OpClass::Write)
        .params(&[
            PROJECT_ID,
            MERCHANT_ID,
            Field::req("project_client_id", Ty::Str, "Merchant-side client id the card is bound to."),
            SUCCESS_REDIRECT_URL,
            FAILURE_REDIRECT_URL_FILLED,
            DESCRIPTION,
            ADDITIONAL_DATA,
            CALLBACK_URL,
        ])
        .from_options(IDS)
        .prefill(prefill_failure_redirect)
        .envelope(payment_page_envelope)
        .result(PAYMENT_PAGE),
    form_op(
        "applePay",
        "/transaction/api/v1/transaction/primal/apple-pay",
        "Pay-in with Apple Pay via the hosted form (iOS only)",
        &[("type", "apple_pay")],
        &FORM_FIELDS,
    ),
    form_op(
        "googlePay",
        "/transaction/api/v1/transaction/primal/google-pay",
        "Pay-in with Google Pay via the hosted form (Google Chrome only)",
        &[("type", "google_pay")],
        &FORM_FIELDS,
    ),
    Operation::new("oneClickPayIn", Method::Post, "/transaction/api/v1/system/one-click/pay-in")
        .summary("One-click pay-in: debit a saved card (card_token) without the form and without 3DS")
        .class(OpClass::MoneyMoving)
        .reference(&["project_reference_id"])
        .resolve(status_resolve(&[("type", "one_click_pay_in")]))
        .settle(STATUS_SETTLE)
        .params(&[
            AMOUNT,
            CALLBACK_URL,
            Field::req("card_token", Ty::Str, "Saved-card token from the webhook, `cards` or `status`."),
            DESCRIPTION,
            MERCHANT_ID,
            Field::req("project_client_id", Ty::Str, "Owner of the saved card."),
            PROJECT_ID,
            PROJECT_REFERENCE_ID,
            ADDITIONAL_DATA,
        ])
        .from_options(IDS)
        .result(ONE_CLICK_RESULT)
        .finish(finish_one_click),
    // The visible rows of the (truncated) table, spec §4.2: amount*, callback_url, description*,
    // project_order_id, merchant_id*. What the cut-off rows may hold is optional and sent only
    // when given — project_id too, so it is not filled from the client options.
    Operation::new("payOutDirect", Method::Post, "/transaction/api/v1/system/pay-out")
        .summary("Pay-out without the form (Russian docs only; table truncated: the visible fields, plus what you pass)")
        .class(OpClass::MoneyMoving)
        .reference(&["project_reference_id"])
        .resolve(status_resolve(&[("type", "out")]))
        .settle(PAYOUT_SETTLE)
        .params(&[
            AMOUNT,
            CALLBACK_URL,
            DESCRIPTION,
            PROJECT_ORDER_ID,
            MERCHANT_ID,
            TRUNCATED_PROJECT_ID,
            TRUNCATED_PROJECT_REFERENCE_ID,
            Field::opt("project_client_id", Ty::Str, "Owner of the saved card (presumed; not in the visible rows of the truncated table)."),
            Field::opt("card_token", Ty::Str, "Saved-card token of the destination card (presumed; not in the visible rows of the truncated table)."),
            ADDITIONAL_DATA,
        ])
        .extra(Extra::PassThrough)
        .prefill(drop_empty_strings)
        .from_options(&["merchant_id"])
        .envelope(object_envelope)
        .result(TRANSACTION_RESULT)
        .finish(finish_transaction_result),
    // The visible rows of the (truncated) table, spec §4.3: phone_number*, callback_url,
    // description*, merchant_id*, project_client_id. Even `amount` is in the cut-off part:
    // optional like the rest of it, and sent when given.
    Operation::new("payOutByPhone", Method::Post, "/transaction/api/v1/primal/payout/phone")
        .summary("Pay-out to a mobile number (Russian docs only; table truncated: the visible fields, plus what you pass)")
        .class(OpClass::MoneyMoving)
        .reference(&["project_reference_id"])
        .resolve(status_resolve(&[("type", "out")]))
        .settle(PAYOUT_SETTLE)
        .params(&[
            Field::req("phone_number", Ty::Str, "Mobile number to pay out to."),
            CALLBACK_URL,
            DESCRIPTION,
            MERCHANT_ID,
            Field::opt("project_client_id", Ty::Str, "Merchant-side client id."),
            Field::opt("amount", AMOUNT_KZT, "Amount in KZT (presumed: the visible rows of the truncated table do not show it; a number or decimal string with at most 2 decimals, sent as a JSON number)."),
            TRUNCATED_PROJECT_ID,
            TRUNCATED_PROJECT_REFERENCE_ID,
            ADDITIONAL_DATA,
        ])
        .extra(Extra::PassThrough)
        .prefill(drop_empty_strings)
        .from_options(&["merchant_id"])
        .envelope(object_envelope)
        .result(TRANSACTION_RESULT)
        .finish(finish_transaction_result),
    // The newest copy of the page (spec §4.9, copy A) lists transaction_id* Integer and
    // amount* Float only. The older copies B/C also list description, merchant_id and
    // project_id (all String): sent only when passed, never filled from the client options.
    Operation::new("charge", Method::Post, "/transaction/api/v1/system/two-stage/charge")
        .summary("Two-stage payment: debit (fully or partly) an authorized transaction (Russian docs only)")
        .class(OpClass::MoneyMoving)
        .reference(&["transaction_id"])
        .settle(CHARGE_SETTLE)
        .params(&[
            Field::req("transaction_id", Ty::Int, "The authorized transaction to debit."),
            AMOUNT,
            Field::opt("merchant_id", Ty::OneOf(&[Ty::Int, Ty::Str]), "Merchant id: only older copies of the page list it (as String); sent only when passed here."),
            Field::opt("project_id", Ty::OneOf(&[Ty::Int, Ty::Str]), "Project id: only older copies of the page list it (as String); sent only when passed here."),
            Field::opt("description", Ty::Str, "Description: only older copies of the page list it."),
        ])
        .envelope(object_envelope)
        .result(TRANSACTION_RESULT)
        .finish(finish_transaction_result),
    Operation::new("status", Method::Get, "/transaction/api/v1/system/transaction/status")
        .summary("Verification of transaction status by project_reference_id and type")
        .reference(&["project_reference_id"])
        .params(&[
            MERCHANT_ID,
            PROJECT_ID,
            Field::req("project_reference_id", Ty::Str, "Merchant order number."),
            Field::req("type", Ty::Str, "Transaction type code, e.g. `in`, `out` (see `transactionTypes`)."),
        ])
        .from_options(IDS)
        .result(TRANSACTION)
        .finish(finish_status),
    Operation::new("cards", Method::Get, "/transaction/api/v1/system/client/cards")
        .summary("Receiving the list of a client's saved cards")
        .params(&[
            MERCHANT_ID,
            PROJECT_ID,
            Field::req("project_client_id", Ty::Str, "Merchant-side client id."),
        ])
        .from_options(IDS)
        .result(Ty::Array(&Ty::Named(
            "AcquiringCard",
            &[
                Field::req("card_token", Ty::Str, "Saved-card token (use it for `oneClickPayIn` and `deleteCard`)."),
                Field::req("masked_pan", Ty::Str, "Masked card number."),
            ],
        ))),
    Operation::new("deleteCard", Method::Delete, "/card/api/v1/system/client/card/pay-in")
        .summary("Removal of a linked card (DELETE with a JSON body); give card_token, or encrypted_card_id as the curl example does")
        .class(OpClass::Write)
        .params(&[
            PROJECT_ID,
            Field::opt("card_token", Ty::Str, "Card token (the documented table's field; give this or encrypted_card_id)."),
            Field::opt("encrypted_card_id", Ty::Str, "The curl example's field name for the same token (give this or card_token)."),
            MERCHANT_ID,
        ])
        .from_options(IDS)
        .check(check_one_card_field)
        .result(Ty::OneOf(&[Ty::Str, Ty::AnyObject])),
    Operation::new("refund", Method::Post, "/refund/api/v1/system/refund/partial")
        .summary("Refund (partial or full) of a successful transaction")
        .class(OpClass::MoneyMoving)
        .reference(&["transaction_id"])
        .settle(REFUND_SETTLE)
        .params(&[
            Field::req("amount", AMOUNT_KZT, "Amount to refund, KZT (documented as Integer; fractions up to 2 decimals are sent as numbers)."),
            Field::req("transaction_id", Ty::Int, "Gateway transaction id (from the payment page URL, the webhook or `status` id)."),
        ])
        .envelope(object_envelope)
        .result(REFUND_RESULT),
    Operation::new("upperFee", Method::Get, "/commission/api/v1/system/project/upper/commission")
        .summary("Upper fee calculation: the customer-paid commission for an amount and transaction type")
        .params(&[
            MERCHANT_ID,
            PROJECT_ID,
            Field::req("transaction_amount", AMOUNT_KZT, "Amount, KZT (sent without trailing zeros: 1000.00 is sent and signed as 1000)."),
            Field::req("transaction_type_code", Ty::Str, "Transaction type code, e.g. `in` (see `transactionTypes`)."),
        ])
        .from_options(IDS)
        .result(Ty::Named(
            "AcquiringUpperFee",
            &[Field::req("total_commission_amount", AMOUNT_KZT, "The commission, KZT.")],
        )),
];

pub static TABLES: [&CodeTable; 3] = [
    &codes::ERRORS,
    &codes::TRANSACTION_TYPES,
    &codes::TRANSACTION_STATUSES,
];

pub static OPTIONS: [Field; 10] = [
    Field::req("secret", Ty::Str, "The project secret issued by Tarlan; used only to sign, never sent."),
    Field::opt("merchantId", Ty::Int, "Merchant id, merged into every request as `merchant_id`."),
    Field::opt("projectId", Ty::Int, "Project id, merged into every request as `project_id`."),
    Field::opt("environment", Ty::Enum(&["production", "sandbox"]), "'production' (default, https://prapi.tarlanpayments.kz) or 'sandbox' (https://sandboxapi.tarlanpayments.kz)."),
    Field::opt("baseUrl", Ty::Str, "Overrides the environment's host (e.g. the local emulator)."),
    Field::opt("paths", Ty::AnyObject, "Per-operation path overrides, e.g. { refund: '/transaction/api/v1/system/refund/partial' } for the sandbox refund path the WooCommerce plugin uses."),
    Field::opt("signatureEscaping", Ty::Enum(&["go", "raw", "php"]), "How strings are escaped in the signed (and sent) JSON: 'go' (default: Go json.Marshal, &<> as \\u0026...), 'raw' (JSON.stringify/Python style), 'php' (json_encode: non-ASCII as \\uXXXX)."),
    Field::opt("webhookSignedSets", Ty::Array(&Ty::Enum(&["request_rule", "with_additional_data", "everything"])), "Which field sets `verifyWebhook` accepts a signature over (default all three; see verifyWebhook)."),
    TRANSPORT_OPTIONS[0],
    TRANSPORT_OPTIONS[1],
];

pub static PROVIDER: ProviderDef = ProviderDef {
    id: PROVIDER_ID,
    title: TITLE,
    class_name: "TarlanAcquiring",
    options: &OPTIONS,
    ops: &OPERATIONS,
    configure,
    encode,
    envelope,
    tables: &TABLES,
    helpers: &webhook::HELPERS,
    flows: &[],
    receipt: None,
    notification: Some(Notification {
        signature_header: "authorization",
        verify: webhook::verify_webhook,
        ack: super::notification_ack,
    }),
};

fn configure(options: &Map) -> Result<Config> {
    let explicit_env = options.get("environment").and_then(Json::as_str);
    let environment = explicit_env.unwrap_or("production");
    let default_base = if environment == "sandbox" {
        SANDBOX_URL
    } else {
        PRODUCTION_URL
    };
    let mut reported_env = environment.to_string();
    if let Some(base) = options.get("baseUrl").and_then(Json::as_str) {
        let base = validate_base_url(base)?;
        let host = HttpUrl::parse(&base)
            .map(|url| url.host.to_ascii_lowercase())
            .unwrap_or_default();
        if host.ends_with("test-tarlanpayments.kz") {
            return Err(KassaError::config(
                "baseUrl",
                "points at Tarlan's stale internal test host (prapi.test-tarlanpayments.kz, a broken link in the Russian docs); use environment: 'sandbox' (https://sandboxapi.tarlanpayments.kz)",
            ));
        }
        let known = match host.as_str() {
            "prapi.tarlanpayments.kz" => Some("production"),
            "sandboxapi.tarlanpayments.kz" => Some("sandbox"),
            _ => None,
        };
        match (explicit_env, known) {
            (Some(env), Some(host_env)) if env != host_env => {
                return Err(KassaError::config(
                    "baseUrl",
                    format!("is the {host_env} host but `environment` is '{env}': remove one of the two options"),
                ))
            }
            (_, Some(host_env)) => reported_env = host_env.to_string(),
            (_, None) => reported_env = "custom".to_string(),
        }
    }
    let mut config = Config::from_options(PROVIDER_ID, options, Some(default_base))?;
    let secret = options
        .get("secret")
        .and_then(Json::as_str)
        .unwrap_or_default();
    sign::validate_secret(secret).map_err(|e| e.into_kind(ErrorKind::Config))?;
    config.secret = Some(Secret::new(secret));
    for (option, wire) in [("merchantId", "merchant_id"), ("projectId", "project_id")] {
        if let Some(value) = options.get(option) {
            config.defaults.insert(wire, value.clone());
        }
    }
    let mut paths = Vec::new();
    if let Some(Json::Object(given)) = options.get("paths") {
        for (name, path) in given.iter() {
            let op = OPERATIONS
                .iter()
                .find(|op| op.name == name)
                .ok_or_else(|| {
                    KassaError::config(
                        format!("paths.{name}"),
                        "is not an operation of TarlanAcquiring",
                    )
                })?;
            let path = path
                .as_str()
                .filter(|p| p.starts_with('/') && !p.contains(['?', '#', ' ']))
                .ok_or_else(|| {
                    KassaError::config(
                        format!("paths.{name}"),
                        "must be a path starting with '/' (no query or fragment)",
                    )
                })?;
            paths.push((op.name, path.to_string()));
        }
    }
    let webhook_signed_sets = match options.get("webhookSignedSets") {
        Some(names) => Some(
            webhook::signed_sets(names)
                .map_err(|_| KassaError::config("webhookSignedSets", webhook::SIGNED_SETS_RULE))?,
        ),
        None => None,
    };
    Ok(config.with_settings(Settings {
        environment: reported_env,
        paths,
        signature_escaping: options
            .get("signatureEscaping")
            .and_then(Json::as_str)
            .and_then(Escaping::from_name),
        webhook_signed_sets,
    }))
}

/// What the acquiring options chose beyond the shared ones.
#[derive(Debug)]
pub struct Settings {
    /// 'production', 'sandbox', or 'custom' for another `baseUrl`.
    environment: String,
    /// Path overrides by operation (`paths`).
    paths: Vec<(&'static str, String)>,
    /// `signatureEscaping`, when given (Go otherwise).
    signature_escaping: Option<Escaping>,
    /// `webhookSignedSets`, when given (all three otherwise).
    pub webhook_signed_sets: Option<Vec<webhook::SignedSet>>,
}

impl ProviderSettings for Settings {
    fn describe(&self) -> Map {
        let mut m = Map::new();
        m.insert("environment", Json::str(self.environment.clone()));
        if !self.paths.is_empty() {
            let paths = self
                .paths
                .iter()
                .map(|(op, path)| (op.to_string(), Json::str(path.clone())))
                .collect();
            m.insert("paths", Json::Object(paths));
        }
        if let Some(escaping) = self.signature_escaping {
            m.insert("signatureEscaping", Json::str(escaping.as_str()));
        }
        if let Some(sets) = &self.webhook_signed_sets {
            let names = sets.iter().map(|s| Json::str(s.as_str())).collect();
            m.insert("webhookSignedSets", Json::Array(names));
        }
        m
    }
}

/// The acquiring settings of a config this provider made.
pub fn settings_of(config: &Config) -> Option<&Settings> {
    config.settings()
}

/// The string escaping chosen by `signatureEscaping` (Go by default).
pub fn escaping_of(config: &Config) -> Escaping {
    settings_of(config)
        .and_then(|s| s.signature_escaping)
        .unwrap_or(Escaping::Go)
}

/// The path of `op`, after the `paths` option.
pub fn path_of<'a>(config: &'a Config, op: &'a Operation) -> &'a str {
    settings_of(config)
        .and_then(|s| s.paths.iter().find(|(name, _)| *name == op.name))
        .map_or(op.path, |(_, path)| path.as_str())
}

fn encode(config: &Config, op: &Operation, params: Map, _ctx: &BuildCtx) -> Result<HttpRequest> {
    encode_signed_with(
        config,
        op,
        path_of(config, op),
        params,
        SignatureHeader::Bearer,
        GetSigning::Query,
        escaping_of(config),
    )
}

fn envelope(_config: &Config, _op: &Operation, response: &HttpResponse) -> Result<Json> {
    parse_envelope(TITLE, &codes::ERRORS, response).map_err(|e| {
        if e.code().and_then(ErrorCode::as_i64) == Some(codes::DUPLICATE) {
            e.with_detail("duplicate", Json::Bool(true))
        } else {
            e
        }
    })
}

/// Form operations answer the payment page URL as a string; it becomes
/// `{url, transaction_id, hash}`.
fn payment_page_envelope(config: &Config, op: &Operation, response: &HttpResponse) -> Result<Json> {
    match envelope(config, op, response)? {
        Json::String(url) => Ok(payment_page(&url)),
        other => Err(KassaError::decode(format!(
            "{TITLE} answered success, but `result` is {} instead of the payment page URL; the transaction may have been created — check it with `status` before repeating",
            other.type_name()
        ))
        .with_http_status(response.status)),
    }
}

/// Reads `transaction_id` and `hash` from a payment page URL without re-encoding anything
/// (the bcrypt hash keeps its `$`; only `%XX` escapes, if present, are decoded).
pub fn payment_page(url: &str) -> Json {
    let query = url
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""))
        .unwrap_or("");
    let mut transaction_id = Json::Null;
    let mut hash = Json::Null;
    for pair in query.split('&') {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = if raw.contains('%') {
            decode_component(raw)
        } else {
            raw.to_string()
        };
        match key {
            "transaction_id" => {
                if let Ok(id) = value.trim().parse::<i64>() {
                    transaction_id = Json::int(id);
                }
            }
            "hash" => hash = Json::str(value),
            _ => {}
        }
    }
    let mut page = Map::new();
    page.insert("url", Json::str(url));
    page.insert("transaction_id", transaction_id);
    page.insert("hash", hash);
    Json::Object(page)
}

/// Answers whose `result` may be a plain string ("success") or an object become an object:
/// a string is kept under `result`.
fn object_envelope(config: &Config, op: &Operation, response: &HttpResponse) -> Result<Json> {
    Ok(match envelope(config, op, response)? {
        Json::String(text) => {
            let mut m = Map::new();
            m.insert("result", Json::String(text));
            Json::Object(m)
        }
        Json::Null => Json::Object(Map::new()),
        other => other,
    })
}

// ---------------------------------------------------------------------------------------
// Hooks

/// The docs say an omitted failure_redirect_url falls back to success_redirect_url, yet mark
/// it required: kassa sends the fallback explicitly, which satisfies both readings.
fn prefill_failure_redirect(params: &mut Map, _ctx: &BuildCtx) {
    let given = params
        .get("failure_redirect_url")
        .is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
    if given {
        return;
    }
    if let Some(success) = params.get("success_redirect_url").cloned() {
        params.insert("failure_redirect_url", success);
    }
}

/// Pass-through fields follow the same rule as declared ones: `""` is never sent.
fn drop_empty_strings(params: &mut Map, _ctx: &BuildCtx) {
    params.retain(|_, v| v.as_str() != Some(""));
}

fn check_one_card_field(params: &Map, _config: &Config) -> Result<()> {
    match (
        params.contains_key("card_token"),
        params.contains_key("encrypted_card_id"),
    ) {
        (true, false) | (false, true) => Ok(()),
        (false, false) => Err(KassaError::validation(
            "card_token",
            "is required (or give the same token as `encrypted_card_id`, the curl example's field name)",
        )),
        (true, true) => Err(KassaError::validation(
            "encrypted_card_id",
            "must not be given together with `card_token`: send one of them",
        )),
    }
}

fn insert_outcome(map: &mut Map, code: Option<&str>) {
    let outcome = code
        .map(codes::status_outcome)
        .unwrap_or(crate::codes::Outcome::Pending);
    map.insert("outcome", Json::str(outcome.as_str()));
}

fn finish_status(result: &mut Json, _config: &Config) -> Result<()> {
    if let Some(map) = result.as_object_mut() {
        let code = map
            .get("transaction_status")
            .and_then(|s| s.get("code"))
            .and_then(Json::as_str)
            .map(str::to_string);
        insert_outcome(map, code.as_deref());
    }
    Ok(())
}

fn finish_one_click(result: &mut Json, _config: &Config) -> Result<()> {
    if let Some(map) = result.as_object_mut() {
        let code = map
            .get("transaction_status_code")
            .and_then(Json::as_str)
            .map(str::to_string);
        insert_outcome(map, code.as_deref());
    }
    Ok(())
}

fn finish_transaction_result(result: &mut Json, _config: &Config) -> Result<()> {
    if let Some(map) = result.as_object_mut() {
        match map
            .get("transaction_status_code")
            .and_then(Json::as_str)
            .map(str::to_string)
        {
            Some(code) => insert_outcome(map, Some(&code)),
            None => map.insert("outcome", Json::Null),
        }
    }
    Ok(())
}

/// Decodes a value against one of this provider's result types (webhook helpers).
pub(crate) fn decode_as(ty: &Ty, value: Json, path: &str) -> Result<Json> {
    schema::decode(ty, value, path)
}

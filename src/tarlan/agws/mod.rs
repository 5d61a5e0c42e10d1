//! Tarlan AGWS — the showcase gateway (spec/tarlan-agws.md). One table declares every
//! operation; signing, envelope and errors are the shared Tarlan plumbing.

pub mod callback;
pub mod codes;
pub mod flow;
pub mod receipt;

use super::{encode_signed, parse_envelope, GetSigning, SignatureHeader};
use crate::codes::{CodeTable, Outcome};
use crate::config::{Choice, Config, ProviderSettings, Secret, TRANSPORT_OPTIONS};
use crate::error::{ErrorCode, ErrorKind, KassaError, Result};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::journal;
use crate::json::{Json, Map};
use crate::operation::{BuildCtx, OpClass, Operation, Probe, Resolve, Settle, Verdict};
use crate::provider::{Notification, ProviderDef};
use crate::schema::{Check, Field, Ty, HTTP_URL};
use crate::time;

pub const PROVIDER_ID: &str = "agws";
const TITLE: &str = "Tarlan AGWS";
pub const DEFAULT_BASE_URL: &str = "https://agwsapi.tarlanpayments.kz";

// ---------------------------------------------------------------------------------------
// Shared field definitions

const AGENT: Field = Field::req(
    "agent",
    Ty::Str,
    "Showcase code in the Tarlan system (client option `agent`).",
);
const PROJECT: Field = Field::req(
    "project",
    Ty::Str,
    "Project code assigned by Tarlan (client option `project`).",
);
const SERVICE_CODE: Field = Field::req("service_code", Ty::Str, "Service ID on the showcase side.");
const USERNAME: Field = Field::req(
    "username",
    Ty::Str,
    "User ID: the account identifier at the service provider.",
);
const EXTERNAL_ID: Field = Field::req(
    "external_id",
    Ty::Str,
    "Unique payment ID on the showcase side; AGWS deduplicates on it (a repeat answers 1042).",
);
const AMOUNT_KZT: Ty = Ty::Money { scale: 2 };

static ISO_DATETIME: Check = Check {
    rule: "must be an ISO 8601 date-time such as 2022-12-01T15:45:00Z",
    test: |v| v.as_str().and_then(time::parse_iso8601).is_some(),
};

pub(crate) const FAIL_REASON_TY: Ty = FAIL_REASON;

const FAIL_REASON: Ty = Ty::Named(
    "AgwsFailReason",
    &[
        Field::req(
            "code",
            Ty::Int,
            "Rejection reason code (see `failReasons`).",
        ),
        Field::opt("message", Ty::Str, "Rejection reason text.").aliases(&["massage"]),
        Field::computed(
            "meaning",
            Ty::Str,
            "The documented meaning of `code`, with what to do.",
        ),
    ],
);

const OUTCOME: Field = Field::computed(
    "outcome",
    Ty::Enum(&["success", "pending", "failed"]),
    "Where the payment stands: 'success' (2), 'pending' (1, 5, 7, and 6 which needs support), 'failed' (3, 4).",
);

const TRANSACTION: Ty = Ty::Named(
    "AgwsTransaction",
    &[
        Field::req("status_code", Ty::Enum(&["1", "2", "3", "4", "5", "6", "7"]), "Transaction status code, a string (see `transactionStatuses`); legacy \"success\"/\"holded\" are normalized to \"2\"/\"5\"."),
        Field::opt("status_message", Ty::Str, "Status text as sent by AGWS."),
        Field::opt("username", Ty::Str, "User ID."),
        Field::opt("amount", AMOUNT_KZT, "Amount credited, KZT."),
        Field::opt("processed_amount", AMOUNT_KZT, "Amount credited (legacy responses)."),
        Field::opt("commission", AMOUNT_KZT, "Fee amount (legacy responses)."),
        Field::opt("datetime", Ty::Str, "ISO 8601 payment initiation time.").aliases(&["date_time"]),
        Field::opt("agent", Ty::Str, "Showcase code."),
        Field::opt("project", Ty::Str, "Project code."),
        Field::opt("service_code", Ty::Str, "Service ID on the showcase side."),
        Field::opt("external_id", Ty::Str, "Payment ID on the showcase side."),
        Field::opt("fail_reason", FAIL_REASON, "Why the transaction failed (status 4)."),
        Field::computed("status_code_original", Ty::Str, "The legacy status spelling when AGWS sent one (\"success\", \"holded\")."),
    ],
);

const PAYMENT_RESULT: Ty = Ty::Named(
    "AgwsPayment",
    &[
        Field::opt("error_code", Ty::Int, "Business error code (0 here: errors are thrown)."),
        Field::opt("message", Ty::Str, "Business message."),
        Field::req("data", TRANSACTION, "The transaction."),
        Field::opt("additional_data", Ty::Nullable(&Ty::AnyObject), "Service-dependent data."),
        OUTCOME,
        Field::computed("requires_support", Ty::Bool, "True for status 6: only Tarlan support can tell the final state; never repeat the payment."),
    ],
);

// ---------------------------------------------------------------------------------------
// Operation table

const STATUS_RESOLVE: Resolve = Resolve {
    operation: "status",
    copy: &[
        ("agent", "agent"),
        ("project", "project"),
        ("service_code", "service_code"),
        ("external_id", "external_id"),
    ],
    fixed: &[],
    duplicate_codes: &[1042],
};

/// A cash-in is settled by `status`: 1041 "Order not found" means it never arrived (and,
/// AGWS deduplicating on external_id, the journal may send it again).
const CASH_IN_SETTLE: Settle = Settle {
    key: &["external_id"],
    answered: Outcome::Pending,
    probe: Probe::Resolve,
    judge: |evidence| journal::by_status(evidence, &[ORDER_NOT_FOUND]),
};

/// A confirmation is settled by the payment's `status`: still "1" (created, awaiting the
/// customer's code) means the confirmation was not performed. `status` needs the payment's
/// `service_code`, which the confirmation does not carry: the caller gives it.
/// Keyed by the code too: a code the customer mistyped is refused (`failed`), and the right one
/// is another request for the same payment, which one payment can only be confirmed once by.
const CONFIRM_SETTLE: Settle = Settle {
    key: &["external_id", "confirm_code"],
    answered: Outcome::Pending,
    probe: Probe::Read {
        operation: "status",
        copy: &[("external_id", "external_id")],
        needs: &["service_code"],
        fixed: &[],
        before: None,
    },
    judge: |evidence| match evidence.answer {
        Ok(status)
            if status
                .pointer(&["data", "status_code"])
                .and_then(Json::as_str)
                == Some(AWAITING_CONFIRMATION) =>
        {
            Verdict::Absent
        }
        _ => journal::by_status(evidence, &[ORDER_NOT_FOUND]),
    },
};

const ORDER_NOT_FOUND: i64 = 1041;
/// Transaction status "1", Transaction created: waiting for `confirmInvoice`.
const AWAITING_CONFIRMATION: &str = "1";

pub static OPERATIONS: [Operation; 10] = [
    Operation::new("check", Method::Post, "/showcase-gateway/api/v1/user/check")
        .summary("Check account status: can this account be topped up?")
        .params(&[USERNAME, AGENT, PROJECT, SERVICE_CODE])
        .from_options(&["agent", "project"])
        .result(Ty::Named(
            "AgwsCheckResult",
            &[
                Field::opt("error_code", Ty::Int, "Business error code."),
                Field::opt("message", Ty::Str, "E.g. \"This account is active\"."),
                Field::req("account_status", Ty::Int, "0 cannot be filled, 1 can be filled, 2 not verified (see `accountStatuses`)."),
                Field::opt("amount", AMOUNT_KZT, "Fixed payment amount, when the service has one."),
                Field::opt("upper_commission", AMOUNT_KZT, "Upper (payer-side) commission."),
                Field::opt("fail_reason", FAIL_REASON, "Why the account cannot be paid."),
                Field::opt("additional_data", Ty::Nullable(&Ty::AnyObject), "Service-dependent data."),
                Field::opt("info", Ty::AnyObject, "Category-specific data keyed by service type, e.g. `parking`."),
                Field::computed("account_status_meaning", Ty::Str, "The documented meaning of `account_status`."),
                Field::computed("can_pay", Ty::Bool, "True when `account_status` is 1 (the account can be filled)."),
            ],
        ))
        .finish(finish_check),
    Operation::new("cashIn", Method::Post, "/showcase-gateway/api/v1/action/cash-in")
        .summary("Make a payment (cash-in) into the account; poll `status` while the outcome is pending")
        .class(OpClass::IdempotentWrite)
        .reference(&["external_id"])
        .resolve(STATUS_RESOLVE)
        .settle(CASH_IN_SETTLE)
        .params(&[
            USERNAME,
            Field::req("amount", AMOUNT_KZT, "Amount in KZT: a number or decimal string with at most 2 decimals."),
            AGENT,
            PROJECT,
            SERVICE_CODE,
            EXTERNAL_ID,
            Field::opt("callback_url", Ty::Str, "Where AGWS POSTs the final status (see `verifyCallback`).").check(&HTTP_URL),
            Field::req("datetime", Ty::Str, "Payment initiation time, ISO 8601 (kassa fills the current UTC time when omitted).")
                .check(&ISO_DATETIME)
                .sdk_default(),
        ])
        .from_options(&["agent", "project"])
        .prefill(prefill_datetime)
        .result(PAYMENT_RESULT)
        .finish(finish_payment),
    Operation::new("status", Method::Post, "/showcase-gateway/api/v1/action/status")
        .summary("Checking the refill status of a payment by external_id")
        .reference(&["external_id"])
        .params(&[AGENT, PROJECT, SERVICE_CODE, EXTERNAL_ID])
        .from_options(&["agent", "project"])
        .result(PAYMENT_RESULT)
        .finish(finish_payment),
    Operation::new("balance", Method::Post, "/showcase-gateway/api/v1/showcase/balance")
        .summary("Checking the remaining prepaid balance of the showcase")
        .params(&[AGENT])
        .from_options(&["agent"])
        .result(Ty::Named(
            "AgwsBalance",
            &[
                Field::req("showcase_code", Ty::Str, "Showcase code."),
                Field::req("balance", AMOUNT_KZT, "Current balance, KZT."),
            ],
        )),
    Operation::new("confirmInvoice", Method::Post, "/showcase-gateway/api/v1/action/confirm/invoice")
        .summary("Confirmation of funds debit with the customer's code")
        .class(OpClass::MoneyMoving)
        .reference(&["external_id"])
        .resolve(Resolve { duplicate_codes: &[], ..STATUS_RESOLVE })
        .settle(CONFIRM_SETTLE)
        .params(&[
            AGENT,
            Field::opt("confirm_code", Ty::Str, "Payment confirmation code received by the customer."),
            EXTERNAL_ID,
        ])
        .from_options(&["agent"])
        .result(Ty::Named(
            "AgwsConfirmInvoice",
            &[
                Field::opt("is_success", Ty::Bool, "Payment success flag (documented as String, sent as boolean; both accepted)."),
                Field::opt("transaction_status_id", Ty::Str, "Transaction status (see `transactionStatuses`)."),
                Field::opt("external_id", Ty::Str, "Payment ID on the showcase side.").aliases(&["transaction_id"]),
                Field::opt("otp_status", Ty::Bool, "OTP check success flag."),
                Field::opt("message", Ty::Str, "The provider's message (why the confirmation was rejected, when it was)."),
                Field::opt("fail_reason", FAIL_REASON, "Why the confirmation was rejected (spec §5.4: e.g. 402 incorrect code, 407 too many attempts)."),
                Field::computed("outcome", Ty::Enum(&["success", "pending", "failed"]), "'failed' when the confirmation was rejected (`is_success: false` or `otp_status: false`); else from `transaction_status_id` ('pending' when absent: ask `status` for the final state)."),
            ],
        ))
        .finish(finish_confirm_invoice),
    Operation::new("paymentLink", Method::Post, "/showcase-gateway/api/v1/action/link")
        .summary("Creating a payment link (e.g. a Kaspi quick-pay URL)")
        .class(OpClass::Write)
        .params(&[
            AGENT,
            USERNAME,
            Field::req("amount", Ty::Money { scale: 0 }, "Amount in whole KZT (documented as Integer)."),
            Field::req("service", Ty::Str, "Service name."),
            Field::opt("return_url", Ty::Str, "Link to follow after payment.").check(&HTTP_URL),
            Field::req("refer_host", Ty::Str, "The domain from which the payment is made."),
        ])
        .from_options(&["agent"])
        .result(Ty::Named(
            "AgwsPaymentLink",
            &[
                Field::opt("code", Ty::Int, "0 ok, -1 error."),
                Field::req("redirect_url", Ty::Str, "The payment link."),
                Field::opt("message", Ty::Str, "Provider message."),
                Field::opt("qr_code_image", Ty::Str, "QR code image (may be empty)."),
            ],
        ))
        .finish(finish_payment_link),
    Operation::new("upperCommission", Method::Post, "/showcase-gateway/api/v1/calculate/upper/commission")
        .summary("Calculation of the upper commission, without debiting funds")
        .params(&[
            AGENT,
            PROJECT,
            Field::req("service_code", Ty::Str, "Service code in Tarlan."),
            Field::req("amount", AMOUNT_KZT, "Amount to calculate the commission for, KZT."),
        ])
        .from_options(&["agent", "project"])
        .result(Ty::Named(
            "AgwsUpperCommission",
            &[
                Field::req("amount", AMOUNT_KZT, "The base amount."),
                Field::req("amount_with_commission", AMOUNT_KZT, "amount + commission."),
                Field::req("commission", AMOUNT_KZT, "The commission."),
            ],
        )),
    Operation::new("fiscalReceipt", Method::Get, "/fiscalization/api/v1/payment/fiscalization/order")
        .summary("Receiving a fiscal receipt: fiscal number and receipt link by payment id")
        .params(&[
            Field::req("provider_order_id", Ty::Str, "Payment ID on the service provider's side."),
            Field::req("provider_code", Ty::Str, "Service provider's code."),
            Field::req("provider_service_code", Ty::Str, "Service provider's service code."),
        ])
        .result(Ty::Named(
            "AgwsFiscalReceipt",
            &[
                Field::req("fiscal_number", Ty::Str, "Fiscal attribute of the receipt."),
                Field::req("fiscal_check_url", Ty::Str, "Link that displays the receipt."),
            ],
        )),
    Operation::new("serviceInfo", Method::Get, "/showcase-gateway/api/v1/info/service/{service_group}")
        .summary("Service info for a service group, e.g. parking zones (Russian docs only)")
        .params(&[
            Field::req("service_group", Ty::Str, "Service group, e.g. `parking` (part of the path)."),
            Field::req("service_code", Ty::Str, "Service name."),
            PROJECT,
            AGENT,
        ])
        .from_options(&["agent", "project"])
        .result(Ty::Named(
            "AgwsServiceInfo",
            &[
                Field::opt("error_code", Ty::Int, "Business error code."),
                Field::opt("message", Ty::Str, "Message."),
                Field::req("data", Ty::Array(&Ty::Named("AgwsServiceInfoItem", &[
                    Field::opt("id", Ty::Str, "Item id."),
                    Field::opt("name", Ty::Str, "Name."),
                    Field::opt("type", Ty::Str, "Type."),
                    Field::opt("description", Ty::Str, "Description."),
                    Field::opt("amount", AMOUNT_KZT, "Amount, KZT."),
                    Field::opt("date", Ty::Str, "ISO 8601 date-time."),
                    Field::opt("active", Ty::Bool, "Whether it is active."),
                    Field::opt("center", Ty::AnyObject, "Center point {lat, lon}."),
                    Field::opt("location", Ty::Array(&Ty::AnyObject), "Polygon points [{lat, lon}]."),
                ])), "Service items."),
            ],
        )),
    Operation::new("userInfo", Method::Get, "/showcase-gateway/api/v1/info/user/{service_group}")
        .summary("User info for a service group (Russian docs only)")
        .params(&[
            Field::req("service_group", Ty::Str, "Service group, e.g. `parking` (part of the path)."),
            Field::req("service_code", Ty::Str, "Service name."),
            PROJECT,
            AGENT,
        ])
        .from_options(&["agent", "project"])
        .envelope(user_info_envelope)
        .result(Ty::Named(
            "AgwsUserInfo",
            &[
                Field::opt("error_code", Ty::Int, "Business error code (the documented example carries 5202 with message \"success\")."),
                Field::opt("message", Ty::Str, "Message."),
                Field::req("data", Ty::Array(&Ty::Named("AgwsUserInfoItem", &[
                    Field::opt("id", Ty::Str, "Item id."),
                    Field::opt("username", Ty::Str, "User name."),
                    Field::opt("amount", AMOUNT_KZT, "Amount, KZT."),
                    Field::opt("date", Ty::Str, "ISO 8601 date-time."),
                ])), "User items."),
            ],
        )),
];

pub static TABLES: [&CodeTable; 4] = [
    &codes::ERRORS,
    &codes::TRANSACTION_STATUSES,
    &codes::ACCOUNT_STATUSES,
    &codes::FAIL_REASONS,
];

pub static OPTIONS: [Field; 7] = [
    Field::req("secret", Ty::Str, "The AGWS secret_key issued by Tarlan; used only to sign, never sent."),
    Field::opt("agent", Ty::Str, "Showcase code, merged into every request that needs it."),
    Field::opt("project", Ty::Str, "Project code, merged into every request that needs it."),
    Field::opt("baseUrl", Ty::Str, "Defaults to https://agwsapi.tarlanpayments.kz (no sandbox host is documented)."),
    Field::opt("getSigning", Ty::Enum(GetSigning::NAMES), "What GET requests sign: 'query' (JSON of the query parameters, default) or 'empty' (`{}`)."),
    TRANSPORT_OPTIONS[0],
    TRANSPORT_OPTIONS[1],
];

pub static PROVIDER: ProviderDef = ProviderDef {
    id: PROVIDER_ID,
    title: TITLE,
    class_name: "TarlanAgws",
    options: &OPTIONS,
    ops: &OPERATIONS,
    configure,
    encode,
    envelope,
    tables: &TABLES,
    helpers: &callback::HELPERS,
    flows: &flow::FLOWS,
    receipt: Some(receipt::to_receipt),
    notification: Some(Notification {
        signature_header: "x-signature",
        verify: callback::verify_callback,
        ack: super::notification_ack,
    }),
};

fn configure(options: &Map) -> Result<Config> {
    let mut config = Config::from_options(PROVIDER_ID, options, Some(DEFAULT_BASE_URL))?;
    let secret = options
        .get("secret")
        .and_then(Json::as_str)
        .unwrap_or_default();
    super::sign::validate_secret(secret).map_err(|e| e.into_kind(ErrorKind::Config))?;
    config.secret = Some(Secret::new(secret));
    for key in ["agent", "project"] {
        if let Some(value) = options.get(key) {
            config.defaults.insert(key, value.clone());
        }
    }
    Ok(config.with_settings(Settings {
        get_signing: GetSigning::read(options, "getSigning"),
    }))
}

/// What the AGWS options chose beyond the shared ones.
#[derive(Debug)]
struct Settings {
    get_signing: GetSigning,
}

impl ProviderSettings for Settings {
    fn describe(&self) -> Map {
        let mut m = Map::new();
        m.insert("getSigning", Json::str(self.get_signing.name()));
        m
    }
}

fn encode(config: &Config, op: &Operation, params: Map, _ctx: &BuildCtx) -> Result<HttpRequest> {
    let get_signing = config
        .settings::<Settings>()
        .map_or(GetSigning::DEFAULT, |s| s.get_signing);
    let mut request = encode_signed(
        config,
        op,
        op.path,
        params,
        SignatureHeader::XSignature,
        get_signing,
    )?;
    if request.method == Method::Get {
        // The AGWS GET pages list `Content-Type: application/json` next to `X-Signature`
        // (seed 000 for the fiscal receipt; spec §2.9 for the info pages), body or not.
        request
            .headers
            .insert(0, ("Content-Type".into(), "application/json".into()));
    }
    Ok(request)
}

fn envelope(_config: &Config, _op: &Operation, response: &HttpResponse) -> Result<Json> {
    parse_envelope(TITLE, &codes::ERRORS, response)
}

/// The user-info example answers `error_code 5202` with message "success"; we read that
/// combination as success (documented decision) and every other non-zero code as an error.
fn user_info_envelope(config: &Config, op: &Operation, response: &HttpResponse) -> Result<Json> {
    match envelope(config, op, response) {
        Err(e)
            if e.code().and_then(ErrorCode::as_i64) == Some(5202)
                && e.info()
                    .details
                    .get("providerMessage")
                    .and_then(Json::as_str)
                    .is_some_and(|m| m.eq_ignore_ascii_case("success")) =>
        {
            let body = response.json_body(TITLE)?;
            Ok(body.get("result").cloned().unwrap_or(Json::Null))
        }
        other => other,
    }
}

// ---------------------------------------------------------------------------------------
// Hooks

fn prefill_datetime(params: &mut Map, ctx: &BuildCtx) {
    if params.get("datetime").is_some_and(|v| !v.is_null()) {
        return;
    }
    if let Some(now) = ctx.now_ms {
        let stamp = time::DateTime::from_unix_ms(now, 0).to_iso8601(0);
        params.insert("datetime", Json::str(stamp));
    }
}

/// Maps a status code (current or legacy spelling) to the documented code and outcome.
pub fn status_outcome(status_code: &str) -> Option<(&'static str, Outcome)> {
    let normalized = match status_code.trim() {
        s if s.eq_ignore_ascii_case("success") => "2",
        s if s.eq_ignore_ascii_case("holded") => "5",
        s => s,
    };
    let entry = codes::TRANSACTION_STATUSES.find(normalized)?;
    Some((entry.code, entry.outcome.unwrap_or(Outcome::Pending)))
}

fn explain_fail_reason(value: Option<&mut Json>) {
    let Some(Json::Object(reason)) = value else {
        return;
    };
    let meaning = reason
        .get("code")
        .and_then(Json::as_i64)
        .and_then(|c| codes::FAIL_REASONS.find_int(c))
        .map(|e| format!("{} — {}", e.message, e.action))
        .unwrap_or_else(|| "a rejection reason not in the published table".to_string());
    reason.insert("meaning", Json::str(meaning));
}

/// Normalizes a transaction object (legacy status spellings, `fail_reason` meaning) and
/// returns its status code and outcome.
fn normalize_transaction(data: &mut Map) -> (&'static str, Outcome) {
    let raw = data
        .get("status_code")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_string();
    let (code, outcome) = status_outcome(&raw).unwrap_or(("", Outcome::Pending));
    if !code.is_empty() && code != raw {
        data.insert("status_code", Json::str(code));
        data.insert("status_code_original", Json::str(raw));
    }
    explain_fail_reason(data.get_mut("fail_reason"));
    (code, outcome)
}

fn finish_payment(result: &mut Json, _config: &Config) -> Result<()> {
    let Some(root) = result.as_object_mut() else {
        return Ok(());
    };
    let Some(Json::Object(data)) = root.get_mut("data") else {
        return Err(KassaError::decode(
            "response field `result.data` should be an object",
        ));
    };
    let (code, outcome) = normalize_transaction(data);
    root.insert("outcome", Json::str(outcome.as_str()));
    root.insert("requires_support", Json::Bool(code == "6"));
    Ok(())
}

/// Adds `outcome` to an object that carries the transaction fields at its top level (the
/// callback body).
pub(crate) fn finish_payment_like(object: &mut Json) {
    if let Some(map) = object.as_object_mut() {
        let (_, outcome) = normalize_transaction(map);
        map.insert("outcome", Json::str(outcome.as_str()));
    }
}

fn finish_check(result: &mut Json, _config: &Config) -> Result<()> {
    let Some(root) = result.as_object_mut() else {
        return Ok(());
    };
    let status = root.get("account_status").and_then(Json::as_i64);
    let meaning = status
        .and_then(|s| codes::ACCOUNT_STATUSES.find_int(s))
        .map(|e| e.meaning)
        .unwrap_or("an account status not in the published table");
    root.insert("account_status_meaning", Json::str(meaning));
    root.insert("can_pay", Json::Bool(status == Some(1)));
    explain_fail_reason(root.get_mut("fail_reason"));
    Ok(())
}

/// A confirmation AGWS rejected (`is_success: false` or `otp_status: false`) failed, and is
/// reported like a failed cash-in: `outcome: 'failed'` with the provider's `message` and the
/// `fail_reason` (spec §2.5, §5.4). An accepted one takes the outcome of its
/// `transaction_status_id`, or `pending` when the newest table's answer has none. A rejection
/// next to a successful transaction status is contradictory: refused, never guessed.
fn finish_confirm_invoice(result: &mut Json, _config: &Config) -> Result<()> {
    let Some(root) = result.as_object_mut() else {
        return Ok(());
    };
    let rejected_by = ["is_success", "otp_status"]
        .into_iter()
        .find(|flag| root.get(flag).and_then(Json::as_bool) == Some(false));
    let status = root
        .get("transaction_status_id")
        .and_then(Json::as_str)
        .and_then(status_outcome);
    explain_fail_reason(root.get_mut("fail_reason"));
    let outcome = match (rejected_by, status) {
        (Some(flag), Some((code, Outcome::Success))) => {
            let external_id = root.get("external_id").cloned().unwrap_or(Json::Null);
            return Err(KassaError::new(
                ErrorKind::UnknownOutcome,
                format!("{TITLE} answered confirmInvoice with `{flag}: false` but transaction status \"{code}\" (success): the answer contradicts itself. Do not confirm again; ask `status` with this external_id for the transaction's state."),
            )
            .with_reference("external_id", external_id)
            .with_detail("answer", Json::Object(root.clone())));
        }
        (Some(_), _) => Outcome::Failed,
        (None, Some((_, outcome))) => outcome,
        (None, None) => Outcome::Pending,
    };
    root.insert("outcome", Json::str(outcome.as_str()));
    Ok(())
}

fn finish_payment_link(result: &mut Json, _config: &Config) -> Result<()> {
    let code = result.get("code").and_then(Json::as_i64).unwrap_or(0);
    if code != 0 {
        let message = result.get("message").and_then(Json::as_str).unwrap_or("");
        return Err(KassaError::new(
            ErrorKind::Provider,
            format!("{TITLE} could not create the payment link (code {code}): {message}"),
        )
        .with_code(ErrorCode::Int(code))
        .with_detail("providerMessage", Json::str(message)));
    }
    Ok(())
}

//! What the gateway sends to the merchant (spec §5): the Payment Status webhook POSTed to
//! `callback_url` (typed parsing, `Authorization: Bearer` check in constant time, the HTTP
//! 200 acknowledgement) and the "payment ready to be made" GET to `confirm_url` (signature
//! check and the `{id, status, message, is_payble}` reply, misspelling included).
//!
//! The docs do not say what the webhook signature covers (spec §10.2). The reading that
//! matches requests — `additional_data` and `""` fields dropped — is tried first; the
//! lenient variants (with `additional_data`; nothing dropped) are tried too, every one is
//! computed and compared in constant time, and the result says which matched. Treat a
//! webhook as a trigger and confirm with `status` before fulfilling an order.

use super::{escaping_of, payment_page, STATUS_CODES, TYPE_CODES};
use crate::config::Config;
use crate::error::{ErrorKind, KassaError, Result};
use crate::helper::{arg, Helper, HelperFn};
use crate::http::parse_query;
use crate::json::{self, obj, Json, Map, Value};
use crate::schema::{native_only, Field, Ty};
use crate::tarlan::sign::{self, Escaping};

pub const WEBHOOK: Ty = Ty::Named(
    "AcquiringWebhook",
    &[
        Field::opt("created_at", Ty::Str, "Transaction creation time."),
        Field::req("transaction_id", Ty::Int, "Gateway transaction id."),
        Field::opt("acquirer_code", Ty::Str, "Bank (acquirer) id."),
        Field::opt("project_reference_id", Ty::Nullable(&Ty::Str), "Merchant order id."),
        Field::opt("project_client_id", Ty::Nullable(&Ty::Str), "Merchant user id (the docs spell the key with a Cyrillic 'с'; both spellings are accepted and reported here).")
            .aliases(&["project_\u{441}lient_id"]),
        Field::req("status_code", Ty::Enum(STATUS_CODES), "Transaction status code (see `transactionStatuses`)."),
        Field::opt("type_code", Ty::Enum(TYPE_CODES), "Transaction type code (see `transactionTypes`; the docs mislabel it \"Concealed payment card\")."),
        Field::opt("amount", Ty::Money { scale: 2 }, "Transaction amount, KZT."),
        Field::opt("description", Ty::Str, "Payment description."),
        Field::opt("finished_at", Ty::Str, "Completion time."),
        Field::opt("project_id", Ty::Int, "Project id."),
        Field::opt("merchant_id", Ty::Int, "Merchant id."),
        Field::opt("additional_data", Ty::Nullable(&Ty::AnyObject), "The additional_data sent at creation."),
        Field::opt("card_token", Ty::Nullable(&Ty::Str), "Saved-card token (use it for `oneClickPayIn`)."),
        Field::opt("masked_pan", Ty::Nullable(&Ty::Str), "Masked card number."),
        Field::opt("bank_code", Ty::Nullable(&Ty::OneOf(&[Ty::Str, Ty::Num])), "On failure, the bank's (provider's) code."),
        Field::opt("bank_message", Ty::Nullable(&Ty::Str), "On failure, the bank's message."),
        Field::computed("outcome", Ty::Enum(&["success", "pending", "failed"]), "Where the payment stands (see `transactionStatuses`)."),
        Field::computed(
            "signed_set",
            Ty::Nullable(&Ty::Enum(&["request_rule", "with_additional_data", "everything"])),
            "Which field set the Bearer signature covered (null when not verified).",
        ),
    ],
);

/// Which fields a webhook signature is computed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignedSet {
    /// The request rule: `additional_data` and `""` fields dropped (default reading).
    RequestRule,
    /// Only `""` fields dropped.
    WithAdditionalData,
    /// The whole body.
    Everything,
}

impl SignedSet {
    pub const ALL: [SignedSet; 3] = [
        SignedSet::RequestRule,
        SignedSet::WithAdditionalData,
        SignedSet::Everything,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SignedSet::RequestRule => "request_rule",
            SignedSet::WithAdditionalData => "with_additional_data",
            SignedSet::Everything => "everything",
        }
    }

    fn from_name(s: &str) -> Option<SignedSet> {
        SignedSet::ALL.into_iter().find(|c| c.as_str() == s)
    }

    fn keeps(self, key: &str, value: &Value) -> bool {
        let empty = matches!(value, Value::String(s) if s.is_empty());
        match self {
            SignedSet::RequestRule => !empty && key != "additional_data",
            SignedSet::WithAdditionalData => !empty,
            SignedSet::Everything => true,
        }
    }
}

/// The expected signature of a webhook body for one candidate set.
pub fn candidate_signature(
    body: &str,
    secret: &str,
    set: SignedSet,
    escaping: Escaping,
) -> Result<String> {
    let mut value = sign::parse_body(body)?;
    value.canonicalize();
    let mut canonical = String::with_capacity(body.len());
    json::write_filtered(&value, &mut canonical, &|k, v| set.keeps(k, v));
    Ok(sign::sign_canonical(&escaping.apply(&canonical), secret))
}

fn to_value(body: &Json) -> Result<Json> {
    match body {
        Json::String(text) => json::parse(text)
            .map_err(|e| KassaError::validation("body", format!("is not valid JSON: {e}"))),
        other => Ok(other.clone()),
    }
}

fn body_text(body: &Json) -> String {
    match body {
        Json::String(text) => text.clone(),
        other => other.to_compact(),
    }
}

/// Parses a Payment Status webhook body (JSON text or object) into the typed webhook,
/// without verifying it.
pub fn parse_webhook(body: &Json) -> Result<Json> {
    let value = to_value(body)?;
    let mut webhook = super::decode_as(&WEBHOOK, value, "webhook")?;
    if let Some(map) = webhook.as_object_mut() {
        let code = map
            .get("status_code")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        map.insert(
            "outcome",
            Json::str(super::codes::status_outcome(&code).as_str()),
        );
        map.insert("signed_set", Json::Null);
    }
    Ok(webhook)
}

/// The rule of a list of signed-set names.
pub const SIGNED_SETS_RULE: &str =
    "may contain only 'request_rule', 'with_additional_data' and 'everything'";

/// Reads a list of signed-set names.
pub fn signed_sets(names: &Json) -> Result<Vec<SignedSet>> {
    let refuse = || KassaError::validation("options.signedSets", SIGNED_SETS_RULE);
    names
        .as_array()
        .ok_or_else(refuse)?
        .iter()
        .map(|n| n.as_str().and_then(SignedSet::from_name).ok_or_else(refuse))
        .collect()
}

/// The sets a verification accepts: the call's `signedSets`, else the client's
/// `webhookSignedSets`, else all three.
fn allowed_sets(config: &Config, options: Option<&Json>) -> Result<Vec<SignedSet>> {
    if let Some(names) = options.and_then(|o| o.get("signedSets")) {
        return signed_sets(names);
    }
    Ok(super::settings_of(config)
        .and_then(|s| s.webhook_signed_sets.clone())
        .unwrap_or_else(|| SignedSet::ALL.to_vec()))
}

fn signature_arg<'a>(args: &'a [Json], index: usize, what: &str) -> Result<&'a str> {
    args.get(index)
        .and_then(Json::as_str)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            KassaError::new(
                ErrorKind::Signature,
                format!("the {what} has no Authorization header: reject it with a non-200 status"),
            )
        })
}

/// `verifyWebhook(body, authorization, options?)`: checks the `Authorization: Bearer`
/// signature against every allowed candidate set (all computed, each compared in constant
/// time) and returns the typed webhook, or a `signature` error.
pub fn verify_webhook(config: &Config, args: &[Json]) -> Result<Json> {
    let body = arg(args, 0, "body")?;
    let signature = signature_arg(args, 1, "webhook")?;
    let allowed = allowed_sets(config, args.get(2))?;
    let secret = config.signing_secret()?;
    let escaping = escaping_of(config);
    let text = body_text(body);
    let matched = sign::matching_candidate(&SignedSet::ALL, &allowed, signature, |set| {
        candidate_signature(&text, secret, set, escaping)
    })?;
    let Some(set) = matched else {
        return Err(KassaError::new(
            ErrorKind::Signature,
            "the webhook's Authorization signature does not match its body: reject it with a non-200 status (it may be forged or altered); check that `secret` is this project's secret and that you passed the raw body text",
        ));
    };
    let mut webhook = parse_webhook(&Json::String(text))?;
    if let Some(m) = webhook.as_object_mut() {
        m.insert("signed_set", Json::str(set.as_str()));
    }
    Ok(webhook)
}

/// The query of a confirm_url request, from a URL, a query string or an object.
fn confirm_query(query: &Json) -> Result<Map> {
    let mut out = Map::new();
    match query {
        Json::String(text) => {
            let q = text.split_once('?').map(|(_, q)| q).unwrap_or(text);
            let q = q.split('#').next().unwrap_or("");
            for (k, v) in parse_query(q) {
                if k == "type" || k == "project_reference_id" {
                    out.insert(k, Json::String(v));
                }
            }
        }
        Json::Object(map) => {
            for key in ["type", "project_reference_id"] {
                if let Some(v) = map.get(key) {
                    let text = v
                        .as_str()
                        .ok_or_else(|| KassaError::validation(key, "must be a string"))?;
                    out.insert(key, Json::str(text));
                }
            }
        }
        other => {
            return Err(KassaError::validation(
                "query",
                format!(
                    "must be the request URL, its query string or an object (got {})",
                    other.type_name()
                ),
            ))
        }
    }
    for key in ["project_reference_id", "type"] {
        if !out.contains_key(key) {
            return Err(KassaError::validation(
                key,
                "is missing from the confirm_url request query",
            ));
        }
    }
    Ok(out)
}

/// `verifyConfirmRequest(query, authorization)`: the gateway's GET to confirm_url is signed
/// like any GET — the JSON of its query (`{"project_reference_id":…,"type":…}`). Returns the
/// two params, or a `signature` error.
pub fn verify_confirm_request(config: &Config, args: &[Json]) -> Result<Json> {
    let query = confirm_query(arg(args, 0, "query")?)?;
    let signature = signature_arg(args, 1, "confirm_url request")?;
    let secret = config.signing_secret()?;
    let canonical = escaping_of(config).apply(&Json::Object(query.clone()).to_canonical());
    let expected = sign::sign_canonical(&canonical, secret);
    if !sign::signatures_match(&expected, signature) {
        return Err(KassaError::new(
            ErrorKind::Signature,
            "the confirm_url request's Authorization signature does not match its query: answer it with is_payble false or a non-200 status",
        ));
    }
    Ok(Json::Object(query))
}

fn json_response(body: String) -> Json {
    obj([
        ("status", Json::int(200)),
        (
            "headers",
            obj([("Content-Type", Json::str("application/json"))]),
        ),
        ("body", Json::String(body)),
    ])
}

/// `confirmReply({id, is_payble, status?, message?})`: the HTTP 200 answer to a confirm_url
/// request. `is_payble` keeps the documented misspelling on the wire (`is_payable` and
/// `payable` are accepted as input); `status` defaults to "success"/"declined" and `message`
/// to a short text, because the gateway wants all four fields.
pub fn confirm_reply(args: &[Json]) -> Result<Json> {
    let reply = arg(args, 0, "reply")?;
    let Json::Object(input) = reply else {
        return Err(KassaError::validation(
            "reply",
            "must be an object { id, is_payble, status?, message? }",
        ));
    };
    let id = match input.get("id") {
        Some(Json::String(s)) if !s.is_empty() => s.clone(),
        Some(Json::Number(n)) => n.literal().to_string(),
        _ => {
            return Err(KassaError::validation(
                "id",
                "is required: the order (transaction) id on the project side, a string",
            ))
        }
    };
    let payable = ["is_payble", "is_payable", "payable"]
        .iter()
        .find_map(|k| input.get(k))
        .ok_or_else(|| {
            KassaError::validation(
                "is_payble",
                "is required: true lets the payment proceed, false declines it",
            )
        })?
        .as_bool()
        .ok_or_else(|| KassaError::validation("is_payble", "must be a boolean"))?;
    let text = |key: &str, default: &str| -> Result<String> {
        match input.get(key) {
            None | Some(Json::Null) => Ok(default.to_string()),
            Some(Json::String(s)) => Ok(s.clone()),
            Some(_) => Err(KassaError::validation(key, "must be a string")),
        }
    };
    let status = text("status", if payable { "success" } else { "declined" })?;
    let message = text(
        "message",
        if payable {
            "order can be paid"
        } else {
            "order cannot be paid"
        },
    )?;
    let mut body = Map::new();
    body.insert("id", Json::str(id));
    body.insert("status", Json::str(status));
    body.insert("message", Json::str(message));
    body.insert("is_payble", Json::Bool(payable));
    Ok(json_response(Json::Object(body).to_compact()))
}

pub static HELPERS: [Helper; 6] = [
    Helper {
        name: "parseWebhook",
        run: HelperFn::Static(|args| parse_webhook(arg(args, 0, "body")?)),
        ts: native_only("  /** Parses a Payment Status webhook body (JSON text or object) without verifying it. */\n  static parseWebhook(body: string | object): AcquiringWebhook;"),
    },
    Helper {
        name: "verifyWebhook",
        run: HelperFn::Method(verify_webhook),
        ts: native_only("  /**\n   * Verifies the webhook's `Authorization: Bearer` signature (constant time) over the raw body text and\n   * returns the typed webhook, or throws KassaError kind 'signature'. `signed_set` says which candidate\n   * field set matched. Treat it as a trigger: confirm with `status` before fulfilling.\n   */\n  verifyWebhook(body: string | object, authorization: string | null, options?: { signedSets?: Array<'request_rule' | 'with_additional_data' | 'everything'> }): AcquiringWebhook;"),
    },
    Helper {
        name: "webhookAck",
        run: HelperFn::Static(|_| Ok(crate::tarlan::notification_ack())),
        ts: native_only("  /** The acknowledgement to answer a webhook with: HTTP 200 and an empty body (the docs ask for 200 and document no body). `new Response(ack.body, ack)`. */\n  static webhookAck(): { status: 200; headers: Record<string, string>; body: '' };"),
    },
    Helper {
        name: "verifyConfirmRequest",
        run: HelperFn::Method(verify_confirm_request),
        ts: native_only("  /** Verifies the signature of the gateway's GET to confirm_url (the request URL, its query, or an object) and returns its params, or throws kind 'signature'. */\n  verifyConfirmRequest(query: string | { type: string; project_reference_id: string }, authorization: string | null): { type: string; project_reference_id: string };"),
    },
    Helper {
        name: "confirmReply",
        run: HelperFn::Static(confirm_reply),
        ts: native_only("  /** The HTTP 200 answer to a confirm_url request; the body is `{\"id\",\"status\",\"message\",\"is_payble\"}` (the documented misspelling). */\n  static confirmReply(reply: { id: string | number; is_payble?: boolean; is_payable?: boolean; payable?: boolean; status?: string; message?: string }): { status: 200; headers: Record<string, string>; body: string };"),
    },
    Helper {
        name: "parsePaymentUrl",
        run: HelperFn::Static(|args| {
            let url = arg(args, 0, "url")?
                .as_str()
                .ok_or_else(|| KassaError::validation("url", "must be a string"))?;
            Ok(payment_page(url))
        }),
        ts: native_only("  /** Reads `transaction_id` and `hash` from a payment page URL (the `hash` keeps its `$`). */\n  static parsePaymentUrl(url: string): AcquiringPaymentPage;"),
    },
];

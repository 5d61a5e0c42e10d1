//! The Payment System Callback AGWS POSTs to `callback_url` (spec §2.10): typed parsing, an
//! `X-Signature` check in constant time, and the HTTP 200 acknowledgement.
//!
//! The docs do not say which fields the callback signature covers (spec §4.6). We try the
//! three documented candidates, each with `""` fields dropped — the whole body, the body
//! without `additional_data` (the request rule), and the body without any nested object —
//! and report which one matched. Whatever matched, treat the callback as a trigger and
//! confirm the state with `status` before acting on it.

use super::{finish_payment_like, FAIL_REASON_TY};
use crate::config::Config;
use crate::error::{ErrorKind, KassaError, Result};
use crate::helper::{arg, str_arg, Helper, HelperFn};
use crate::json::{self, Json, Value};
use crate::schema::{self, native_only, Field, Ty};
use crate::tarlan::sign;

pub static CALLBACK: Ty = Ty::Named(
    "AgwsCallback",
    &[
        Field::opt(
            "agent",
            Ty::Str,
            "Showcase code (in the table, absent in the example).",
        ),
        Field::opt("project", Ty::Str, "Project code."),
        Field::opt("service_code", Ty::Str, "Service ID on the showcase side."),
        Field::req("external_id", Ty::Str, "Payment ID on the showcase side."),
        Field::req(
            "status_code",
            Ty::Str,
            "Transaction status code (see `transactionStatuses`).",
        ),
        Field::opt("status_message", Ty::Str, "Status description."),
        Field::opt("username", Ty::Str, "User ID."),
        Field::opt("amount", Ty::Money { scale: 2 }, "Amount credited, KZT."),
        Field::opt(
            "datetime",
            Ty::Str,
            "Payment initiation time (free text in the documented example).",
        ),
        Field::opt("fail_reason", FAIL_REASON_TY, "Why the payment failed."),
        Field::opt(
            "additional_data",
            Ty::Nullable(&Ty::AnyObject),
            "Service-dependent data.",
        ),
        Field::computed(
            "outcome",
            Ty::Enum(&["success", "pending", "failed"]),
            "Where the payment stands.",
        ),
        Field::computed(
            "signed_set",
            Ty::Nullable(&Ty::Enum(&[
                "full",
                "without_additional_data",
                "without_nested",
            ])),
            "Which candidate field set the X-Signature covered (null when not verified).",
        ),
    ],
);

/// Which fields a callback signature is computed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignedSet {
    Full,
    WithoutAdditionalData,
    WithoutNested,
}

impl SignedSet {
    pub const ALL: [SignedSet; 3] = [
        SignedSet::Full,
        SignedSet::WithoutAdditionalData,
        SignedSet::WithoutNested,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SignedSet::Full => "full",
            SignedSet::WithoutAdditionalData => "without_additional_data",
            SignedSet::WithoutNested => "without_nested",
        }
    }

    fn from_str(s: &str) -> Option<SignedSet> {
        SignedSet::ALL.into_iter().find(|c| c.as_str() == s)
    }

    fn keeps(self, key: &str, value: &Value) -> bool {
        if matches!(value, Value::String(s) if s.is_empty()) {
            return false;
        }
        match self {
            SignedSet::Full => true,
            SignedSet::WithoutAdditionalData => key != "additional_data",
            SignedSet::WithoutNested => !matches!(value, Value::Object(_) | Value::Array(_)),
        }
    }
}

/// The expected signature of a callback body for one candidate set.
pub fn candidate_signature(body: &str, secret: &str, set: SignedSet) -> Result<String> {
    let mut value = sign::parse_body(body)?;
    value.canonicalize();
    let mut canonical = String::with_capacity(body.len());
    json::write_filtered(&value, &mut canonical, &|k, v| set.keeps(k, v));
    Ok(sign::sign_canonical(&canonical, secret))
}

/// Parses a callback body (JSON text or object) into the typed callback.
pub fn parse_callback(body: &Json) -> Result<Json> {
    let value = match body {
        Json::String(text) => json::parse(text)
            .map_err(|e| KassaError::validation("body", format!("is not valid JSON: {e}")))?,
        other => other.clone(),
    };
    let mut callback = schema::decode(&CALLBACK, value, "callback")?;
    finish_payment_like(&mut callback);
    if let Some(m) = callback.as_object_mut() {
        m.insert("signed_set", Json::Null);
    }
    Ok(callback)
}

fn body_text(body: &Json) -> String {
    match body {
        Json::String(text) => text.clone(),
        other => other.to_compact(),
    }
}

/// Verifies the callback's `X-Signature` against each allowed candidate set — every one is
/// computed and compared in constant time, so the time does not tell which matched — and
/// returns the typed callback, or a `signature` error.
pub fn verify_callback(config: &Config, args: &[Json]) -> Result<Json> {
    let body = arg(args, 0, "body")?;
    let signature = str_arg(args, 1, "signature").map_err(|_| {
        KassaError::new(
            ErrorKind::Signature,
            "the callback has no X-Signature header: reject it",
        )
    })?;
    let allowed: Vec<SignedSet> = match args
        .get(2)
        .and_then(|o| o.get("candidates"))
        .and_then(Json::as_array)
    {
        Some(names) => names
            .iter()
            .map(|n| {
                n.as_str().and_then(SignedSet::from_str).ok_or_else(|| {
                    KassaError::validation(
                        "options.candidates",
                        "may contain only 'full', 'without_additional_data' and 'without_nested'",
                    )
                })
            })
            .collect::<Result<_>>()?,
        None => SignedSet::ALL.to_vec(),
    };
    let secret = config.signing_secret()?;
    let text = body_text(body);
    let matched = sign::matching_candidate(&SignedSet::ALL, &allowed, signature, |set| {
        candidate_signature(&text, secret, set)
    })?;
    let Some(set) = matched else {
        return Err(KassaError::new(
            ErrorKind::Signature,
            "the callback's X-Signature does not match its body: reject it with a non-200 status (it may be forged or altered), and check that `secret` is the AGWS secret_key",
        ));
    };
    let mut callback = parse_callback(&Json::String(text))?;
    if let Some(m) = callback.as_object_mut() {
        m.insert("signed_set", Json::str(set.as_str()));
    }
    Ok(callback)
}

pub static HELPERS: [Helper; 3] = [
    Helper {
        name: "parseCallback",
        run: HelperFn::Static(|args| parse_callback(arg(args, 0, "body")?)),
        ts: native_only("  /** Parses an AGWS Payment System Callback body (JSON text or object) without verifying it. */\n  static parseCallback(body: string | object): AgwsCallback;"),
    },
    Helper {
        name: "verifyCallback",
        run: HelperFn::Method(verify_callback),
        ts: native_only("  /**\n   * Verifies the callback's X-Signature (constant time) and returns the typed callback, or throws\n   * KassaError kind 'signature'. `signed_set` says which documented candidate matched.\n   * Treat it as a trigger: confirm with `status` before acting.\n   */\n  verifyCallback(body: string | object, signature: string | null, options?: { candidates?: Array<'full' | 'without_additional_data' | 'without_nested'> }): AgwsCallback;"),
    },
    Helper {
        name: "callbackAck",
        run: HelperFn::Static(|_| Ok(crate::tarlan::notification_ack())),
        ts: native_only("  /** The acknowledgement to answer a callback with: HTTP 200 and an empty body (the docs ask for 200 and document no body). `new Response(ack.body, ack)`. */\n  static callbackAck(): { status: 200; headers: Record<string, string>; body: '' };"),
    },
];

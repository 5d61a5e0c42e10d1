//! The fuzz targets of kassa, written once. The cargo-fuzz binaries (tests/fuzz/fuzz_targets/)
//! call these functions; tests/fuzz_replay.rs replays the committed corpora and crash files
//! through them under `cargo test`; the property tests reuse their oracles.
//!
//! A target returns when kassa handled the input correctly — a value, or a `KassaError` (every
//! error is one by construction: `Result<_, KassaError>`) — and panics naming the property it saw
//! broken. The properties go beyond "no panic": results cross to JavaScript as JSON that parses
//! back, errors name their provider and operation and never carry a secret, the canonical form
//! equals an independent Go-`encoding/json` model built on serde_json, signatures equal an
//! independent SHA-256/base64 computation and survive canonicalization, callbacks and webhooks
//! verify their own signatures and refuse altered ones, Soliq links round-trip, the diagnosis
//! never blames a correct signature, and a built cheque is the one the request carries.
//!
//! Inputs that need a choice (an operation, client options, an HTTP status, a rule) take it
//! from their first bytes; the rest is the text under test (bytes that are not UTF-8 are
//! replaced, as a `fetch` body decoder would).
#![allow(dead_code)]

use base64::Engine as _;
use kassa::assist::{cheque, xml};
use kassa::diagnose;
use kassa::fiscalbox::soliq;
use kassa::http::{parse_query, HttpResponse};
use kassa::json::{self, Json};
use kassa::tarlan::acquiring::webhook;
use kassa::tarlan::agws::callback;
use kassa::tarlan::sign::{self, Escaping};
use kassa::{Client, ErrorKind, KassaError, ProviderDef};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::path::Path;

pub struct Target {
    pub name: &'static str,
    pub run: fn(&[u8]),
    /// Seed inputs derived from the fixtures under `root` (the repository).
    pub seeds: fn(&Path) -> Vec<Vec<u8>>,
}

/// Every target. The fuzz crate has one binary per entry (tests/fuzz/Cargo.toml); the replay
/// test checks that the two lists agree.
pub static TARGETS: [Target; 12] = [
    Target {
        name: "json_parse",
        run: json_parse,
        seeds: all_fixture_files,
    },
    Target {
        name: "json_canonical",
        run: json_canonical,
        seeds: all_fixture_files,
    },
    Target {
        name: "agws_response",
        run: agws_response,
        seeds: |root| response_seeds(root, &AGWS),
    },
    Target {
        name: "acquiring_response",
        run: acquiring_response,
        seeds: |root| response_seeds(root, &ACQUIRING),
    },
    Target {
        name: "assist_response",
        run: assist_response,
        seeds: |root| response_seeds(root, &ASSIST),
    },
    Target {
        name: "fiscalbox_response",
        run: fiscalbox_response,
        seeds: |root| response_seeds(root, &FISCALBOX),
    },
    Target {
        name: "billing_response",
        run: billing_response,
        seeds: |root| response_seeds(root, &BILLING),
    },
    Target {
        name: "agws_callback",
        run: agws_callback,
        seeds: |root| signed_body_seeds(root, "agws"),
    },
    Target {
        name: "acquiring_webhook",
        run: acquiring_webhook,
        seeds: |root| signed_body_seeds(root, "acquiring"),
    },
    Target {
        name: "soliq_link",
        run: soliq_link,
        seeds: soliq_seeds,
    },
    Target {
        name: "signature_diagnosis",
        run: signature_diagnosis,
        seeds: diagnosis_seeds,
    },
    Target {
        name: "assist_cheque",
        run: assist_cheque,
        seeds: cheque_seeds,
    },
];

pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// The first byte (a choice) and the rest; `None` for an empty input.
fn choice(data: &[u8]) -> Option<(u8, &[u8])> {
    data.split_first().map(|(first, rest)| (*first, rest))
}

fn pick<T>(items: &[T], byte: u8) -> &T {
    &items[usize::from(byte) % items.len()]
}

// ---------------------------------------------------------------------------------------
// Shared properties

/// What crosses to JavaScript must be JSON that `JSON.parse` reads back to the same value.
fn assert_json_round_trip(what: &str, value: &Json) {
    let text = value.to_compact();
    match json::parse_with_limits(
        &text,
        json::Limits {
            max_depth: 1 << 12,
            max_bytes: usize::MAX,
        },
    ) {
        Ok(back) => assert_eq!(
            &back, value,
            "{what}: the JSON text {text} reads back differently"
        ),
        Err(e) => panic!("{what}: kassa produced JSON that does not parse ({e}): {text}"),
    }
}

/// An error leaving a client: decorated with its provider and operation, a message, JSON for
/// the JS `KassaError`, and none of the client's secrets anywhere.
fn assert_clean_error(
    error: &KassaError,
    provider: &str,
    operation: Option<&str>,
    secrets: &[&str],
) {
    let info = error.info();
    assert!(
        !error.message().is_empty(),
        "an error without a message: {error:?}"
    );
    assert_eq!(
        info.provider,
        Some(provider),
        "error without its provider: {error:?}"
    );
    if let Some(operation) = operation {
        assert_eq!(
            info.operation,
            Some(operation),
            "error without its operation: {error:?}"
        );
    }
    let shown = [
        error.to_json().to_compact(),
        error.to_string(),
        format!("{error:?}"),
    ];
    for secret in secrets {
        for text in &shown {
            assert!(!text.contains(secret), "a secret reached an error: {text}");
        }
    }
    assert_json_round_trip("error", &error.to_json());
}

// ---------------------------------------------------------------------------------------
// JSON: the parser against serde_json

/// kassa's value and serde_json's are the same JSON value (numbers by exact value, objects as
/// the same members; the last of duplicate keys wins in both).
pub fn same_value(ours: &Json, theirs: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (ours, theirs) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        // serde_json writes exponents its own way (`1E300` → `1e+300`).
        (Json::Number(a), Value::Number(b)) => {
            exact_number(a.literal()) == exact_number(&b.to_string())
        }
        (Json::String(a), Value::String(b)) => a == b,
        (Json::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_value(x, y))
        }
        (Json::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => false,
    }
}

/// A number literal as its exact value: sign, significant digits, and the power of ten of its
/// last digit (`-1.50e2` → (true, "15", 1)). Zero is (false, "", 0) whatever its sign.
pub fn exact_number(literal: &str) -> (bool, String, i128) {
    let (negative, unsigned) = match literal.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, literal),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        // Exponents past i128 (39+ digits) saturate: such values differ from every other.
        Some((m, e)) => {
            let e = e.trim_start_matches('+');
            let saturated = if e.starts_with('-') {
                -(1 << 100)
            } else {
                1 << 100
            };
            (m, e.parse::<i128>().unwrap_or(saturated))
        }
        None => (unsigned, 0),
    };
    let (int_part, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int_part}{fraction}");
    let trimmed = digits.trim_end_matches('0');
    let power = exponent - fraction.len() as i128 + (digits.len() - trimmed.len()) as i128;
    let significant = trimmed.trim_start_matches('0').to_string();
    if significant.is_empty() {
        return (false, significant, 0);
    }
    (negative, significant, power)
}

/// True when a number token of the text (outside strings) is beyond float64. Read from the
/// text, not from a value: a duplicate key may have replaced the number in the value.
pub fn has_number_beyond_float64(text: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    let mut token = String::new();
    let mut beyond = false;
    for c in text.chars().chain([' ']) {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if matches!(c, '-' | '+' | '.' | 'e' | 'E' | '0'..='9') {
            token.push(c);
        } else {
            beyond |= token.parse::<f64>().is_ok_and(f64::is_infinite);
            token.clear();
            in_string = c == '"';
        }
    }
    beyond
}

/// Levels of arrays and objects, the top-level container counting as 1.
pub fn nesting(value: &Json) -> usize {
    match value {
        Json::Array(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        Json::Object(map) => 1 + map.iter().map(|(_, v)| nesting(v)).max().unwrap_or(0),
        _ => 0,
    }
}

/// kassa's parser and serde_json (with `arbitrary_precision`) give the same verdict and value,
/// but for the documented differences: kassa refuses numbers beyond float64 (as Go does), and
/// allows 129 levels of nesting where serde_json stops at 127.
pub fn json_against_serde(text: &str) {
    let ours = json::parse(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            assert!(same_value(a, b), "{text:?}: kassa {a:?}, serde_json {b:?}");
            assert_json_round_trip("parsed value", a);
        }
        (Err(_), Err(_)) => {}
        (Err(e), Ok(b)) => assert!(
            e.reason == "number is out of the float64 range" && has_number_beyond_float64(text),
            "kassa refused {text:?} ({e}), serde_json read {b:?}"
        ),
        (Ok(a), Err(e)) => assert!(
            e.to_string().starts_with("recursion limit exceeded")
                && (128..=129).contains(&nesting(a)),
            "kassa read {text:?} as {a:?}, serde_json refused it: {e}"
        ),
    }
    // The borrowed tree (what signing uses) is the same value.
    if let Ok(a) = &ours {
        let borrowed =
            json::parse_value(text, json::Limits::default()).map(json::Value::into_owned);
        assert_eq!(
            borrowed.as_ref(),
            Ok(a),
            "parse_value disagrees with parse on {text:?}"
        );
    }
}

pub fn json_parse(data: &[u8]) {
    json_against_serde(&text(data));
}

// ---------------------------------------------------------------------------------------
// The canonical writer against a model of Go's encoding/json

/// Go's `strconv.FormatFloat(x, 'f' or 'e', -1, 64)` as `encoding/json` uses it: the shortest
/// digits that round-trip, the one with the even last digit when two are equally close (Ryu's
/// rule too; Rust's own float formatting does not always settle ties that way), exponent form
/// below 1e-6 and from 1e21, `e-7` (not `e-07`), `e+21`; -0 keeps its sign.
pub fn go_number(literal: &str) -> String {
    let x: f64 = literal.parse().expect("a JSON number literal");
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0");
    }
    let mut buffer = ryu::Buffer::new();
    let (_, digits, power) = exact_number(buffer.format_finite(x.abs()));
    // x = digits × 10^power; the exponent of its leading digit:
    let exponent = power + digits.len() as i128 - 1;
    if !(-6..21).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let written = if exponent < 0 {
            format!("e-{}", -exponent)
        } else {
            format!("e+{exponent:02}")
        };
        return format!("{sign}{first}{fraction}{written}");
    }
    let point = exponent + 1; // digits before the decimal point
    let body = if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (int_part, fraction) = digits.split_at(point as usize);
        format!("{int_part}.{fraction}")
    };
    format!("{sign}{body}")
}

/// Go's string encoding with HTML escaping (`json.Marshal`'s default), `\b` and `\f` written as
/// `\u0008` and `\u000c` as Go did before 1.22 (kassa's documented choice, see README).
pub fn go_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)))
            }
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What Go prints for a value decoded into `interface{}`: keys sorted byte-wise (serde_json's
/// map is a BTreeMap), no whitespace, numbers through float64.
pub fn go_canonical(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_number(&n.to_string()),
        Value::String(s) => go_string(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_canonical).collect::<Vec<_>>().join(",")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}:{}", go_string(k), go_canonical(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

/// Tarlan's signature computed independently: SHA-256 over the standard base64 of the text with
/// the secret appended, lowercase hex.
pub fn independent_signature(canonical: &str, secret: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(canonical);
    hex::encode(Sha256::digest(format!("{encoded}{secret}")))
}

/// The signable subset of a body in the model: top-level `""` values and `additional_data`
/// left out.
fn model_signable(value: &serde_json::Value) -> serde_json::Value {
    let mut value = value.clone();
    if let serde_json::Value::Object(map) = &mut value {
        map.retain(|k, v| k != "additional_data" && v.as_str() != Some(""));
    }
    value
}

const SIGNING_SECRET: &str = "12345";

pub fn json_canonical(data: &[u8]) {
    let text = text(data);
    let canonical = match kassa::canonical_json(&text) {
        Ok(canonical) => canonical,
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
            assert_eq!(e.info().field.as_deref(), Some("value"));
            assert!(
                json::parse(&text).is_err(),
                "canonical_json refused {text:?}, which parses"
            );
            return;
        }
    };
    // Canonicalizing canonical text changes nothing.
    assert_eq!(
        kassa::canonical_json(&canonical).as_deref(),
        Ok(canonical.as_str()),
        "not idempotent on {text:?}"
    );
    // Every escaping reads back as the same value: only the spelling of strings changes.
    let value = json::parse(&canonical).expect("canonical text parses");
    assert_eq!(Escaping::Go.apply(&canonical), canonical);
    for escaping in [Escaping::Raw, Escaping::Php] {
        let respelled = escaping.apply(&canonical);
        assert_eq!(
            json::parse(&respelled).as_ref(),
            Ok(&value),
            "{escaping:?} escaping of {canonical} changed the value: {respelled}"
        );
    }
    // The model of Go's encoding/json prints the same text (serde_json stops at 127 levels).
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(model) => {
            assert_eq!(
                canonical,
                go_canonical(&model),
                "canonical form of {text:?}"
            );
            if model.is_object() {
                // The signature is the independent computation over the model's signable text,
                // and the same for the body as written and for its canonical form.
                let signature = kassa::tarlan_sign(&text, SIGNING_SECRET).expect("an object signs");
                let expected =
                    independent_signature(&go_canonical(&model_signable(&model)), SIGNING_SECRET);
                assert_eq!(signature, expected, "signature of {text:?}");
                assert_eq!(
                    kassa::tarlan_sign(&canonical, SIGNING_SECRET).as_deref(),
                    Ok(signature.as_str())
                );
                assert_eq!(
                    kassa::tarlan_verify(&text, SIGNING_SECRET, &signature.to_uppercase()),
                    Ok(true)
                );
            }
        }
        Err(e) => assert!(
            e.to_string().starts_with("recursion limit exceeded"),
            "serde_json refused {text:?}: {e}"
        ),
    }
}

// ---------------------------------------------------------------------------------------
// Provider responses, through the real Client::parse of every operation

pub struct ProviderCase {
    pub provider: &'static ProviderDef,
    /// Client option sets (JSON); the second input byte picks one.
    pub options: &'static [&'static str],
    /// The secret values inside those options.
    pub secrets: &'static [&'static str],
    /// Fixture folders (under tests/fixtures) and the file-name prefix their seeds need.
    pub fixtures: &'static [(&'static str, &'static str)],
}

/// Statuses a provider answers with; the second input byte picks one.
const STATUSES: [u16; 10] = [200, 200, 200, 201, 400, 401, 404, 429, 500, 502];

pub static AGWS: ProviderCase = ProviderCase {
    provider: &kassa::tarlan::agws::PROVIDER,
    options: &[
        r#"{"secret":"agws-fuzz-secret-4f1c","agent":"tarlan","project":"mobile"}"#,
        r#"{"secret":"agws-fuzz-secret-4f1c","getSigning":"empty"}"#,
    ],
    secrets: &["agws-fuzz-secret-4f1c"],
    fixtures: &[("agws", "")],
};

pub static ACQUIRING: ProviderCase = ProviderCase {
    provider: &kassa::tarlan::acquiring::PROVIDER,
    options: &[
        r#"{"secret":"acq-fuzz-secret-9b2e","merchantId":1,"projectId":42}"#,
        r#"{"secret":"acq-fuzz-secret-9b2e","signatureEscaping":"php","environment":"sandbox"}"#,
    ],
    secrets: &["acq-fuzz-secret-9b2e"],
    fixtures: &[("acquiring", "")],
};

pub static ASSIST: ProviderCase = ProviderCase {
    provider: &kassa::assist::PROVIDER,
    options: &[
        r#"{"baseUrl":"https://assist.example","merchantId":"1","login":"assist-login-x1","password":"assist-password-7d"}"#,
        r#"{"server":"ruTest","merchantId":1,"login":"assist-login-x1","password":"assist-password-7d","format":"soap","merchantTaxDefaults":true}"#,
    ],
    secrets: &["assist-login-x1", "assist-password-7d"],
    fixtures: &[("assist", "")],
};

pub static FISCALBOX: ProviderCase = ProviderCase {
    provider: &kassa::fiscalbox::PROVIDER,
    options: &[
        r#"{"walletAmountUnit":"tiyin"}"#,
        r#"{"walletAmountUnit":"sum","providerCodeFormat":"padded","paymeConfirmFields":"legacy","trailingSlash":"none"}"#,
    ],
    secrets: &[],
    fixtures: &[("fiscalbox", "")],
};

pub static BILLING: ProviderCase = ProviderCase {
    provider: &kassa::fiscalbox::billing::PROVIDER,
    options: &[
        r#"{"username":"billing-user","password":"billing-pass-3a91","token":"billing-token-5c07","inn":"306429662"}"#,
        r#"{"baseUrl":"https://billing.example"}"#,
    ],
    secrets: &["billing-pass-3a91", "billing-token-5c07"],
    fixtures: &[("fiscalbox", "billing-")],
};

/// Every provider, as its response target sees it.
pub static PROVIDER_CASES: [&ProviderCase; 5] = [&AGWS, &ACQUIRING, &ASSIST, &FISCALBOX, &BILLING];

/// Input: operation byte, options-and-status byte, body.
pub fn provider_response(case: &ProviderCase, data: &[u8]) {
    let Some((op_byte, rest)) = choice(data) else {
        return;
    };
    let Some((variant, body)) = choice(rest) else {
        return;
    };
    let op = pick(case.provider.ops, op_byte);
    let options = pick(case.options, variant);
    let status = *pick(&STATUSES, variant / 2);
    let client = Client::new(
        case.provider,
        json::parse(options).expect("fixed options parse"),
    )
    .expect("fixed options are valid");
    let response = HttpResponse::new(status, text(body));
    match client.parse(op.name, &response) {
        Ok(result) => assert_json_round_trip(op.name, &result),
        Err(e) => {
            // The secrets of this client (the other option set may have none).
            let secrets: Vec<&str> = case
                .secrets
                .iter()
                .copied()
                .filter(|s| options.contains(s))
                .collect();
            assert_clean_error(&e, case.provider.id, Some(op.name), &secrets)
        }
    }
}

pub fn agws_response(data: &[u8]) {
    provider_response(&AGWS, data)
}

pub fn acquiring_response(data: &[u8]) {
    provider_response(&ACQUIRING, data)
}

pub fn assist_response(data: &[u8]) {
    provider_response(&ASSIST, data)
}

pub fn fiscalbox_response(data: &[u8]) {
    provider_response(&FISCALBOX, data)
}

pub fn billing_response(data: &[u8]) {
    provider_response(&BILLING, data)
}

// ---------------------------------------------------------------------------------------
// AGWS callbacks and acquiring webhooks: their own signatures verify, altered ones do not

/// Flips one hex digit, so the signature no longer matches.
fn altered(signature: &str) -> String {
    let mut chars: Vec<char> = signature.chars().collect();
    chars[0] = if chars[0] == '0' { '1' } else { '0' };
    chars.into_iter().collect()
}

/// How a received signature may be written and still match: as computed, upper case, with a
/// `Bearer ` prefix or surrounding spaces.
fn spelled(signature: &str, how: u8) -> String {
    match how % 4 {
        0 => signature.to_string(),
        1 => signature.to_uppercase(),
        2 => format!("Bearer {signature}"),
        _ => format!("  {signature} "),
    }
}

/// One kind of signed notification: its candidate field sets and how kassa signs, parses and
/// verifies it.
struct Notification<'a, S> {
    sets: &'a [S],
    name: fn(S) -> &'static str,
    /// The verify option that lists the sets to accept (`candidates`, `signedSets`).
    option: &'static str,
    signature_of: &'a dyn Fn(&str, S) -> kassa::error::Result<String>,
    parse: fn(&Json) -> kassa::error::Result<Json>,
    verify: &'a dyn Fn(&[Json]) -> kassa::error::Result<Json>,
}

/// Checks the verification of one notification body against every candidate set: the expected
/// match is the first allowed candidate whose signature equals the one sent; a body that is not
/// a JSON object is a validation error; a wrong signature a signature error. Bit i of
/// `allowed_bits` allows set i (no bit: all); `spelling` picks how the signature is written.
fn check_notification<S: Copy + PartialEq>(
    kind: &Notification<S>,
    body: &str,
    allowed_bits: u8,
    spelling: u8,
) {
    let allowed: Vec<S> = kind
        .sets
        .iter()
        .copied()
        .enumerate()
        .filter(|(i, _)| allowed_bits & (1 << i) != 0 || allowed_bits == 0)
        .map(|(_, s)| s)
        .collect();
    let options = json::obj([(
        kind.option,
        Json::Array(allowed.iter().map(|&s| Json::str((kind.name)(s))).collect()),
    )]);
    let verify =
        |signature: &str| (kind.verify)(&[Json::str(body), Json::str(signature), options.clone()]);
    if sign::parse_body(body).is_err() {
        let e =
            verify(&"0".repeat(64)).expect_err("a body that is not a JSON object cannot verify");
        assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
        return;
    }
    let candidates: Vec<(S, String)> = kind
        .sets
        .iter()
        .map(|&set| {
            (
                set,
                (kind.signature_of)(body, set).expect("an object signs"),
            )
        })
        .collect();
    let parsed = (kind.parse)(&Json::str(body));
    for (set, signature) in &candidates {
        let name = (kind.name)(*set);
        let expected = candidates
            .iter()
            .find(|(s, sig)| allowed.contains(s) && sig == signature)
            .map(|(s, _)| (kind.name)(*s));
        match (verify(&spelled(signature, spelling)), expected, &parsed) {
            (Ok(verified), Some(matched), Ok(parsed)) => {
                assert_eq!(
                    verified.get("signed_set").and_then(Json::as_str),
                    Some(matched)
                );
                let mut without = verified.clone();
                if let Some(m) = without.as_object_mut() {
                    m.insert("signed_set", Json::Null);
                }
                assert_eq!(&without, parsed, "verify and parse disagree on {body:?}");
                assert_json_round_trip("verified notification", &verified);
            }
            (Err(e), Some(_), Err(p)) => assert_eq!(e.kind(), p.kind(), "{e} / {p}"),
            (Err(e), None, _) => {
                assert_eq!(e.kind(), ErrorKind::Signature, "{name} not allowed: {e}")
            }
            (outcome, expected, parsed) => panic!(
                "{name} of {body:?}: verify {outcome:?}, expected match {expected:?}, parse {parsed:?}"
            ),
        }
        let forged = verify(&altered(signature)).expect_err("an altered signature verifies");
        assert_eq!(forged.kind(), ErrorKind::Signature, "{forged}");
    }
}

const AGWS_SECRET: &str = "agws-fuzz-secret-4f1c";
const ACQUIRING_SECRET: &str = "acq-fuzz-secret-9b2e";

/// Input: a byte choosing the allowed candidates (bits 0-2) and the signature's spelling, then
/// the body.
pub fn agws_callback(data: &[u8]) {
    let Some((flags, body)) = choice(data) else {
        return;
    };
    let body = text(body);
    let options = json::parse(AGWS.options[0]).expect("options");
    let client = Client::new(AGWS.provider, options).expect("client");
    let kind = Notification {
        sets: &callback::SignedSet::ALL,
        name: callback::SignedSet::as_str,
        option: "candidates",
        signature_of: &|body, set| callback::candidate_signature(body, AGWS_SECRET, set),
        parse: callback::parse_callback,
        verify: &|args| callback::verify_callback(&client.config, args),
    };
    check_notification(&kind, &body, flags & 7, flags >> 3);
    // Without additional_data (the request rule), the candidate is the plain Tarlan signature.
    let request_rule = callback::SignedSet::WithoutAdditionalData;
    if let Ok(signature) = callback::candidate_signature(&body, AGWS_SECRET, request_rule) {
        assert_eq!(kassa::tarlan_sign(&body, AGWS_SECRET), Ok(signature));
    }
}

/// Input: a byte choosing the escaping (bits 0-1), the allowed sets (bits 2-4) and the
/// signature's spelling, then the body.
pub fn acquiring_webhook(data: &[u8]) {
    let Some((flags, body)) = choice(data) else {
        return;
    };
    let body = text(body);
    let escaping = *pick(&["go", "raw", "php"], flags & 3);
    let options = format!(r#"{{"secret":"{ACQUIRING_SECRET}","signatureEscaping":"{escaping}"}}"#);
    let client =
        Client::new(ACQUIRING.provider, json::parse(&options).expect("options")).expect("client");
    let escaping = Escaping::from_name(escaping).expect("a known escaping");
    let kind = Notification {
        sets: &webhook::SignedSet::ALL,
        name: webhook::SignedSet::as_str,
        option: "signedSets",
        signature_of: &|body, set| {
            webhook::candidate_signature(body, ACQUIRING_SECRET, set, escaping)
        },
        parse: webhook::parse_webhook,
        verify: &|args| webhook::verify_webhook(&client.config, args),
    };
    check_notification(&kind, &body, (flags >> 2) & 7, flags >> 5);
    // The request rule is the plain Tarlan signature (in Go escaping).
    let request_rule = webhook::SignedSet::RequestRule;
    if let Ok(signature) =
        webhook::candidate_signature(&body, ACQUIRING_SECRET, request_rule, Escaping::Go)
    {
        assert_eq!(kassa::tarlan_sign(&body, ACQUIRING_SECRET), Ok(signature));
    }
}

// ---------------------------------------------------------------------------------------
// Soliq receipt links

/// Input: a flag byte (bit 0: any host; bit 1: the rest is the parts object for the builder),
/// then a link or the parts.
pub fn soliq_link(data: &[u8]) {
    let Some((flags, rest)) = choice(data) else {
        return;
    };
    let input = text(rest);
    let options = soliq::ParseOptions {
        any_host: flags & 1 != 0,
    };
    let anywhere = soliq::ParseOptions { any_host: true };
    if flags & 2 != 0 {
        // build → parse: a built link reads back to the parts it was built from.
        let Ok(parts) = json::parse(&input) else {
            return;
        };
        match soliq::build(&parts) {
            Ok(link) => {
                let qr = soliq::parse_with(&link, anywhere)
                    .unwrap_or_else(|e| panic!("built link {link} does not parse: {e}"));
                assert_eq!(qr.url(), link);
                assert_eq!(soliq::from_parts(&parts).as_ref(), Ok(&qr));
            }
            Err(e) => assert_eq!(e.kind(), ErrorKind::Validation, "{e}"),
        }
        return;
    }
    match soliq::parse_with(&input, options) {
        Ok(qr) => {
            // parse → url → parse.
            assert_eq!(
                soliq::parse_with(&qr.url(), options).as_ref(),
                Ok(&qr),
                "{input:?}"
            );
            // parse → build(parts) → parse: the builder accepts only the documented paths.
            let parts = qr.to_json();
            assert_json_round_trip("soliq parts", &parts);
            match soliq::build(&parts) {
                Ok(link) => {
                    assert_eq!(link, qr.url());
                    assert_eq!(soliq::parse_with(&link, options).as_ref(), Ok(&qr));
                }
                Err(e) => {
                    assert!(qr.path != "/check" && qr.path != "/epi", "{input:?}: {e}");
                    assert_eq!(e.info().field.as_deref(), Some("path"), "{e}");
                }
            }
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
            let field = e.info().field.clone().unwrap_or_default();
            assert!(
                ["url", "t", "r", "c", "s"].contains(&field.as_str()),
                "{input:?}: field {field}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Signature diagnosis

/// Secrets the diagnosis target signs with (the first input byte picks one).
const DIAGNOSIS_SECRETS: [&str; 3] = ["12345", "s3cr3t-KEY_long.value", "ключ"];

fn hmac_hex(secret: &str, message: &str) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn diagnosis(body: &str, secret: &str, signature: &str) -> Json {
    diagnose::diagnose(body, secret, signature)
        .unwrap_or_else(|e| panic!("diagnose failed on a body that signs: {e}"))
}

fn verdict(report: &Json) -> (&str, Vec<&str>) {
    let verdict = report
        .get("verdict")
        .and_then(Json::as_str)
        .expect("a verdict");
    let mistakes = report
        .get("mistakes")
        .and_then(Json::as_array)
        .expect("mistakes")
        .iter()
        .map(|m| m.get("id").and_then(Json::as_str).expect("a mistake id"))
        .collect();
    (verdict, mistakes)
}

/// Input: a byte choosing the secret (bits 0-1) and a known mistake (the rest), then the body;
/// the body's tail after a line `--sig--`, if any, is also tried as a received signature.
pub fn signature_diagnosis(data: &[u8]) {
    let Some((which, rest)) = choice(data) else {
        return;
    };
    let secret = *pick(&DIAGNOSIS_SECRETS, which & 3);
    let input = text(rest);
    let (body, received) = match input.split_once("\n--sig--\n") {
        Some((body, signature)) => (body, Some(signature)),
        None => (&*input, None),
    };
    let Ok(canonical) = sign::canonical_signable_text(body) else {
        let e = diagnose::diagnose(body, secret, &"0".repeat(64))
            .expect_err("a body that is not an object");
        assert_eq!(e.kind(), ErrorKind::Validation);
        return;
    };
    let expected = independent_signature(&canonical, secret);
    assert_eq!(
        kassa::tarlan_sign(body, secret).as_deref(),
        Ok(expected.as_str())
    );
    // explainSignature shows the steps of that signature.
    let explained = diagnose::explain(body, secret).expect("explain");
    assert_eq!(
        explained.get("canonical").and_then(Json::as_str),
        Some(canonical.as_str())
    );
    assert_eq!(
        explained.get("signature").and_then(Json::as_str),
        Some(expected.as_str())
    );
    let base64 = base64::engine::general_purpose::STANDARD.encode(&canonical);
    assert_eq!(
        explained.get("base64").and_then(Json::as_str),
        Some(base64.as_str())
    );
    // The secret is shown as a placeholder. (A digits-only secret such as 12345 can occur in the
    // hex and base64 texts by chance, so only the others are looked for everywhere.)
    let hashed = format!("{base64}{{secret}}");
    assert_eq!(
        explained.get("sha256Input").and_then(Json::as_str),
        Some(hashed.as_str())
    );
    if !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        assert!(
            !explained.to_compact().contains(secret) || body.contains(secret),
            "explain echoed the secret"
        );
    }
    // A correct signature is never blamed, however it is written.
    for correct in [
        expected.clone(),
        format!("Bearer {expected}"),
        format!("X-Signature: {expected}\n"),
    ] {
        let report = diagnosis(body, secret, &correct);
        assert_eq!(verdict(&report), ("match", vec![]), "{correct}");
        assert_eq!(report.get("match"), Some(&Json::Bool(true)));
    }
    // Signatures made with one known mistake are diagnosed as exactly that mistake.
    let digest = Sha256::digest(format!("{base64}{secret}"));
    let mistaken = [
        (expected.to_uppercase(), "uppercase_hex"),
        (
            base64::engine::general_purpose::STANDARD.encode(digest),
            "digest_base64",
        ),
        (hmac_hex(secret, &base64), "hmac"),
        (
            hex::encode(Sha256::digest(format!("{secret}{base64}"))),
            "secret_prepended",
        ),
        (hex::encode(Sha256::digest(&base64)), "no_secret"),
    ];
    // One per input (each is a search through the wrong ways of signing).
    let (signature, mistake) = pick(&mistaken, which >> 2);
    {
        let (signature, mistake) = (signature.clone(), *mistake);
        let report = diagnosis(body, secret, &signature);
        assert_eq!(
            verdict(&report),
            ("mistake", vec![mistake]),
            "{mistake} for {body:?}"
        );
        assert_eq!(
            report.get("expected").and_then(Json::as_str),
            Some(expected.as_str())
        );
    }
    if let Some(received) = received {
        let report = diagnosis(body, secret, received);
        let (verdict, _) = verdict(&report);
        let matches = kassa::tarlan_verify(body, secret, received).expect("verify");
        assert!(["match", "mistake", "unknown", "malformed"].contains(&verdict));
        if verdict == "match" {
            assert!(
                matches,
                "{received:?} diagnosed as a match but does not verify"
            );
        }
        assert_json_round_trip("diagnosis", &report);
    }
}

// ---------------------------------------------------------------------------------------
// Assist cheque building: params → request

fn rd(text: &str) -> Option<rust_decimal::Decimal> {
    rust_decimal::Decimal::from_str_exact(text).ok()
}

/// The items a request carries, read back from its body (form post or SOAP, XML or JSON items).
fn carried_items(body: &str, soap: bool) -> Json {
    let value = if soap {
        let envelope = xml::parse(body, xml::Limits::default()).expect("the SOAP request parses");
        let mut stack = vec![&envelope];
        let mut found = None;
        while let Some(e) = stack.pop() {
            if e.is(None, "chequeitems") {
                found = Some(e);
                break;
            }
            stack.extend(e.children.iter());
        }
        let element = found.expect("a <chequeitems> element");
        if element.children.is_empty() {
            Json::str(element.text.clone())
        } else {
            cheque::items_from_xml(element)
        }
    } else {
        let pairs = parse_query(body);
        let (_, items) = pairs
            .iter()
            .find(|(k, _)| k == "ChequeItems")
            .expect("a ChequeItems field");
        Json::str(items.clone())
    };
    cheque::decode_response(&value).expect("the request's items decode")
}

/// XML 1.0's `Char`: what an XML document (a SOAP request) can carry at all.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether a SOAP request can carry the cheque's items: as the JSON text, or as `<chequeitem>`
/// elements holding each value's text.
fn xml_can_carry_items(cheque: &cheque::Cheque, as_json: bool) -> bool {
    if as_json {
        return cheque.wire_text().chars().all(xml_char);
    }
    cheque.items.iter().all(|item| {
        item.to_json().as_object().is_some_and(|m| {
            m.iter()
                .all(|(_, v)| v.as_str().is_none_or(|s| s.chars().all(xml_char)))
        })
    })
}

/// Input: a flag byte (bit 0: merchantTaxDefaults; bit 1: SOAP; bit 2: SOAP items as JSON),
/// then the ChequeItems value (JSON, or any text, which is then passed as a string).
pub fn assist_cheque(data: &[u8]) {
    let Some((flags, rest)) = choice(data) else {
        return;
    };
    let input = text(rest);
    let items = json::parse(&input).unwrap_or_else(|_| Json::str(input.to_string()));
    let tax_defaults = flags & 1 != 0;
    let rules = cheque::Rules {
        require_tax: !tax_defaults,
        forbid_tax: false,
    };
    let built = cheque::from_input(&items, rules, "ChequeItems");
    // The same items through the fiscalize operation, as a user sends them.
    let soap = flags & 2 != 0;
    let options = json::obj([
        ("baseUrl", Json::str("https://assist.example")),
        ("merchantId", Json::str("1")),
        ("login", Json::str(ASSIST.secrets[0])),
        ("password", Json::str(ASSIST.secrets[1])),
        ("format", Json::str(if soap { "soap" } else { "json" })),
        (
            "soapItems",
            Json::str(if flags & 4 != 0 { "json" } else { "xml" }),
        ),
        ("merchantTaxDefaults", Json::Bool(tax_defaults)),
    ]);
    let client = Client::new(&kassa::assist::PROVIDER, options).expect("client");
    let params = json::obj([
        ("Payment_ID", Json::str("fuzz-1")),
        ("Type", Json::str("sell")),
        ("Email", Json::str("buyer@example.kz")),
        ("ChequeItems", items.clone()),
    ]);
    let request = client.build("fiscalize", params, &Default::default());
    let items_as_json = flags & 4 != 0;
    let cheque = match (built, request) {
        (Ok(cheque), Err(r)) if soap && !xml_can_carry_items(&cheque, items_as_json) => {
            // XML cannot carry some character of the items: refused, naming the item field.
            assert_eq!(r.kind(), ErrorKind::Validation, "{r}");
            let field = r.info().field.clone().unwrap_or_default();
            assert!(field.starts_with("ChequeItems"), "{r}");
            cheque
        }
        (Ok(cheque), Ok(request)) => {
            let carried = carried_items(request.body.as_deref().expect("a body"), soap);
            let expected = cheque::decode_response(&Json::str(cheque.wire_text()))
                .expect("the wire text decodes");
            assert_eq!(
                carried, expected,
                "the request carries other items than the cheque"
            );
            cheque
        }
        (Err(e), Err(r)) => {
            assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
            assert!(
                e.info()
                    .field
                    .as_deref()
                    .unwrap_or("")
                    .starts_with("ChequeItems"),
                "{e}"
            );
            assert_clean_error(&r, "assist", Some("fiscalize"), ASSIST.secrets);
            return;
        }
        (built, request) => panic!("the cheque and the request disagree: {built:?} / {request:?}"),
    };
    // Amounts: two decimals, price × quantity to the half cent, the total their exact sum.
    let mut total = rust_decimal::Decimal::ZERO;
    for item in &cheque.items {
        let amount = item.amount.as_deref().expect("built items have amounts");
        assert!(
            amount
                .split_once('.')
                .is_some_and(|(_, cents)| cents.len() == 2),
            "amount {amount}"
        );
        let amount = rd(amount).expect("15 digits fit");
        total += amount;
        if let (Some(price), Some(quantity)) = (rd(&item.price), rd(&item.quantity)) {
            if let Some(exact) = price.checked_mul(quantity).filter(|p| p.scale() < 28) {
                let half_cent = rust_decimal::Decimal::new(5, 3);
                assert!(
                    (amount - exact).abs() <= half_cent,
                    "{amount} for {price} × {quantity}"
                );
            }
        }
    }
    assert_eq!(
        rd(&cheque.total_text()),
        Some(total),
        "total {}",
        cheque.total_text()
    );
    // The documented XML form carries the same items as the JSON form, or refuses them.
    let mut xml_text = String::from("<r>");
    if let Err(e) = cheque.to_xml("ChequeItems", &mut xml_text) {
        assert!(!xml_can_carry_items(&cheque, false), "{e}");
        return;
    }
    xml_text.push_str("</r>");
    let root = xml::parse(&xml_text, xml::Limits::default()).expect("the XML items parse");
    assert_eq!(
        cheque::decode_response(&cheque::items_from_xml(&root)).ok(),
        cheque::decode_response(&Json::str(cheque.wire_text())).ok(),
        "XML and JSON items differ: {xml_text}"
    );
}

// ---------------------------------------------------------------------------------------
// Seeds from tests/fixtures

fn fixture_files(root: &Path, dir: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.join("tests/fixtures").join(dir)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e != "md") {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                files.push((name, std::fs::read(&path).expect("a readable fixture")));
            }
        }
    }
    files.sort();
    files
}

fn prefixed(prefix: &[u8], body: &[u8]) -> Vec<u8> {
    [prefix, body].concat()
}

fn all_fixture_files(root: &Path) -> Vec<Vec<u8>> {
    fixture_files(root, "")
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect()
}

/// Every fixture of the provider's folders, for every operation; Assist's SOAP 1.1 answers
/// also as SOAP 1.2.
fn response_seeds(root: &Path, case: &ProviderCase) -> Vec<Vec<u8>> {
    let mut bodies: Vec<Vec<u8>> = Vec::new();
    for (dir, prefix) in case.fixtures {
        for (name, bytes) in fixture_files(root, dir) {
            if !name.starts_with(prefix) {
                continue;
            }
            let as_text = String::from_utf8_lossy(&bytes);
            if as_text.contains(kassa::assist::SOAP_ENV_NS) {
                bodies.push(
                    as_text
                        .replace(kassa::assist::SOAP_ENV_NS, kassa::assist::SOAP12_ENV_NS)
                        .into_bytes(),
                );
            }
            bodies.push(bytes);
        }
    }
    let mut seeds = Vec::new();
    for op in 0..case.provider.ops.len() {
        for body in &bodies {
            seeds.push(prefixed(&[op as u8, 0], body));
        }
    }
    seeds
}

/// The provider's JSON fixtures as notification bodies.
fn signed_body_seeds(root: &Path, dir: &str) -> Vec<Vec<u8>> {
    fixture_files(root, dir)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".json"))
        .map(|(_, bytes)| prefixed(&[0], &bytes))
        .collect()
}

fn read_json(root: &Path, path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root.join("tests/fixtures").join(path)).expect("a fixture");
    serde_json::from_str(&text).expect("a JSON fixture")
}

/// The documented links, and their parts for the builder.
fn soliq_seeds(root: &Path) -> Vec<Vec<u8>> {
    let links = read_json(root, "soliq/links.json");
    let mut seeds = Vec::new();
    for link in links["links"].as_array().into_iter().flatten() {
        if let Some(url) = link["url"].as_str() {
            seeds.push(prefixed(&[0], url.as_bytes()));
        }
        seeds.push(prefixed(&[2], link.to_string().as_bytes()));
    }
    seeds
}

/// The bodies of the signature vectors, and the mistaken canonical texts as received
/// signatures' bodies.
fn diagnosis_seeds(root: &Path) -> Vec<Vec<u8>> {
    let vectors = read_json(root, "tarlan-signatures.json");
    let mut seeds = Vec::new();
    for vector in vectors["vectors"].as_array().into_iter().flatten() {
        if let (Some(body), Some(signature)) =
            (vector["body"].as_str(), vector["signature"].as_str())
        {
            seeds.push(prefixed(
                &[0],
                format!("{body}\n--sig--\n{signature}").as_bytes(),
            ));
        }
    }
    for wrong in vectors["wrong"].as_array().into_iter().flatten() {
        if let (Some(text), Some(signature)) =
            (wrong["canonical"].as_str(), wrong["signature"].as_str())
        {
            seeds.push(prefixed(
                &[0],
                format!("{text}\n--sig--\n{signature}").as_bytes(),
            ));
        }
    }
    seeds
}

/// The documented cheque items under every flag combination.
fn cheque_seeds(root: &Path) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for (name, bytes) in fixture_files(root, "assist") {
        if name.starts_with("cheque-items") {
            for flags in 0..8u8 {
                seeds.push(prefixed(&[flags], &bytes));
            }
        }
    }
    seeds
}

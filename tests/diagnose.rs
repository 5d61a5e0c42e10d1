//! Signature explanation and diagnosis (src/diagnose.rs).
//!
//! Expected values are the documented vectors of spec/tarlan-agws.md §4.4 and the fixtures
//! of tests/fixtures/tarlan-signatures.json. Every wrong signature is built here, from a
//! hand-written wrong text, with sha2 / hmac / base64 directly — never by the code under test.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use kassa::diagnose::{diagnose, explain};
use kassa::json::{self, Json};
use kassa::ErrorKind;
use sha2::{Digest, Sha256};

const SECRET: &str = "12345";

// The documented bodies of spec/tarlan-agws.md §3 (as printed, with their whitespace).
const CHECK: &str = "{\n    \"username\": \"989898\",\n    \"agent\": \"tarlan\",\n    \"project\": \"mobile\",\n    \"service_code\": \"201106\"\n}";
const CASH_IN: &str = "{\n    \"username\": \"989898\",\n    \"amount\": 100,\n    \"agent\": \"tarlan\",\n    \"project\": \"mobile\",\n    \"service_code\": \"201106\",\n    \"external_id\": \"200001\",\n    \"datetime\": \"2022-12-01T15:45:00Z\"\n}";
const CASH_IN_KAZAKH: &str = "{\"username\": \"989898\", \"amount\": 100.0, \"agent\": \"tarlan\", \"project\": \"mobile\", \"service_code\": \"201106\", \"external_id\": \"200001\", \"datetime\": \"2022-12-01T15:45:00Z\"}";
const STATUS: &str = "{\n    \"agent\": \"tarlan\",\n    \"project\": \"mobile\",\n    \"service_code\": \"201106\",\n    \"external_id\": \"200001\"\n}";

// §4.4 table.
const CHECK_CANONICAL: &str =
    r#"{"agent":"tarlan","project":"mobile","service_code":"201106","username":"989898"}"#;
const CHECK_BASE64: &str = "eyJhZ2VudCI6InRhcmxhbiIsInByb2plY3QiOiJtb2JpbGUiLCJzZXJ2aWNlX2NvZGUiOiIyMDExMDYiLCJ1c2VybmFtZSI6Ijk4OTg5OCJ9";
const CHECK_SIGNATURE: &str = "227e9c6513a43f71f4cb6acb3c73f26f3ea90f7e36305afc6d37f9923f12d8c8";
const CASH_IN_CANONICAL: &str = r#"{"agent":"tarlan","amount":100,"datetime":"2022-12-01T15:45:00Z","external_id":"200001","project":"mobile","service_code":"201106","username":"989898"}"#;
const CASH_IN_BASE64: &str = "eyJhZ2VudCI6InRhcmxhbiIsImFtb3VudCI6MTAwLCJkYXRldGltZSI6IjIwMjItMTItMDFUMTU6NDU6MDBaIiwiZXh0ZXJuYWxfaWQiOiIyMDAwMDEiLCJwcm9qZWN0IjoibW9iaWxlIiwic2VydmljZV9jb2RlIjoiMjAxMTA2IiwidXNlcm5hbWUiOiI5ODk4OTgifQ==";
const CASH_IN_SIGNATURE: &str = "9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2";
const STATUS_CANONICAL: &str =
    r#"{"agent":"tarlan","external_id":"200001","project":"mobile","service_code":"201106"}"#;
const STATUS_BASE64: &str = "eyJhZ2VudCI6InRhcmxhbiIsImV4dGVybmFsX2lkIjoiMjAwMDAxIiwicHJvamVjdCI6Im1vYmlsZSIsInNlcnZpY2VfY29kZSI6IjIwMTEwNiJ9";
const STATUS_SIGNATURE: &str = "0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91";
/// §4.4 negative check: the cash-in body signed with "amount":100.0 kept literally.
const CASH_IN_100_0_SIGNATURE: &str =
    "c836c839a89e2eaa6d1c384b4716918cd75080f18431c9d3b8341e390a742996";

fn fixture() -> Json {
    let text = std::fs::read_to_string("tests/fixtures/tarlan-signatures.json").unwrap();
    json::parse(&text).unwrap()
}

fn vector(name: &str) -> Json {
    fixture()
        .get("vectors")
        .and_then(Json::as_array)
        .unwrap()
        .iter()
        .find(|v| v.get("name").and_then(Json::as_str) == Some(name))
        .cloned()
        .unwrap_or_else(|| panic!("no vector {name}"))
}

fn wrong(name: &str) -> Json {
    fixture()
        .get("wrong")
        .and_then(Json::as_array)
        .unwrap()
        .iter()
        .find(|v| v.get("name").and_then(Json::as_str) == Some(name))
        .cloned()
        .unwrap_or_else(|| panic!("no wrong vector {name}"))
}

fn s<'a>(v: &'a Json, key: &str) -> &'a str {
    v.get(key)
        .and_then(Json::as_str)
        .unwrap_or_else(|| panic!("no string {key} in {}", v.to_compact()))
}

// --- independent signers --------------------------------------------------------------

fn hex_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The right recipe applied to an arbitrary (possibly wrong) text.
fn sign_text(text: &str) -> String {
    hex_sha256(format!("{}{SECRET}", STANDARD.encode(text)).as_bytes())
}

fn hmac_hex(message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

// --- helpers on the diagnosis ---------------------------------------------------------

fn mistake_ids(d: &Json) -> Vec<String> {
    let mut ids: Vec<String> = d
        .get("mistakes")
        .and_then(Json::as_array)
        .unwrap()
        .iter()
        .map(|m| s(m, "id").to_string())
        .collect();
    ids.sort();
    ids
}

/// Diagnoses and checks the verdict is `mistake` with exactly `expected` mistakes, each
/// carrying a title, an explanation and a fix.
fn assert_mistakes(body: &str, signature: &str, expected: &[&str]) -> Json {
    let d = diagnose(body, SECRET, signature).unwrap();
    assert_eq!(
        d.get("match"),
        Some(&Json::Bool(false)),
        "{}",
        d.to_compact()
    );
    assert_eq!(s(&d, "verdict"), "mistake", "{}", d.to_compact());
    let mut want: Vec<String> = expected.iter().map(|x| x.to_string()).collect();
    want.sort();
    assert_eq!(mistake_ids(&d), want, "{}", d.to_compact());
    for m in d.get("mistakes").and_then(Json::as_array).unwrap() {
        assert!(!s(m, "title").is_empty());
        assert!(!s(m, "explanation").is_empty());
        assert!(!s(m, "fix").is_empty());
    }
    assert!(s(&d, "message").contains("Fix:"), "{}", d.to_compact());
    assert_eq!(s(&d, "expected"), kassa::tarlan_sign(body, SECRET).unwrap());
    d
}

fn reproduced_text(d: &Json) -> &str {
    s(d.get("reproduced").unwrap(), "text")
}

// --- explainSignature -----------------------------------------------------------------

#[test]
fn explain_reproduces_the_documented_steps() {
    for (body, canonical, b64, signature) in [
        (CHECK, CHECK_CANONICAL, CHECK_BASE64, CHECK_SIGNATURE),
        (
            CASH_IN,
            CASH_IN_CANONICAL,
            CASH_IN_BASE64,
            CASH_IN_SIGNATURE,
        ),
        (STATUS, STATUS_CANONICAL, STATUS_BASE64, STATUS_SIGNATURE),
    ] {
        let e = explain(body, SECRET).unwrap();
        assert_eq!(s(&e, "canonical"), canonical);
        assert_eq!(s(&e, "base64"), b64);
        assert_eq!(s(&e, "signature"), signature);
        assert_eq!(s(&e, "sha256Input"), format!("{b64}{{secret}}"));
        assert_eq!(
            e.get("sha256InputBytes").and_then(Json::as_i64),
            Some((b64.len() + SECRET.len()) as i64)
        );
        let headers = e.get("headers").unwrap();
        assert_eq!(s(headers, "agws"), format!("X-Signature: {signature}"));
        assert_eq!(
            s(headers, "acquiring"),
            format!("Authorization: Bearer {signature}")
        );
        let steps = e.get("steps").and_then(Json::as_array).unwrap();
        let ids: Vec<&str> = steps.iter().map(|st| s(st, "id")).collect();
        assert_eq!(
            ids,
            [
                "canonical",
                "base64",
                "sha256Input",
                "signature",
                "agws",
                "acquiring"
            ]
        );
        // The secret itself is never echoed.
        assert!(!e.to_compact().contains(&format!("{b64}{SECRET}")));
    }
}

fn changes(e: &Json) -> Vec<(String, String)> {
    e.get("changes")
        .and_then(Json::as_array)
        .unwrap()
        .iter()
        .map(|c| (s(c, "kind").to_string(), s(c, "path").to_string()))
        .collect()
}

fn change<'a>(e: &'a Json, kind: &str, path: &str) -> &'a Json {
    e.get("changes")
        .and_then(Json::as_array)
        .unwrap()
        .iter()
        .find(|c| s(c, "kind") == kind && s(c, "path") == path)
        .unwrap_or_else(|| panic!("no {kind} change at {path} in {}", e.to_compact()))
}

#[test]
fn explain_lists_what_changed_from_the_input() {
    let e = explain(CASH_IN_KAZAKH, SECRET).unwrap();
    assert_eq!(s(&e, "canonical"), CASH_IN_CANONICAL);
    assert_eq!(s(&e, "signature"), CASH_IN_SIGNATURE);
    let got = changes(&e);
    assert!(got.contains(&("whitespace".into(), "".into())), "{got:?}");
    assert!(got.contains(&("order".into(), "".into())), "{got:?}");
    let number = change(&e, "number", "amount");
    assert_eq!(s(number, "input"), "100.0");
    assert_eq!(s(number, "fragment"), "\"amount\":100");
    assert!(CASH_IN_CANONICAL.contains(s(number, "fragment")));

    // Already canonical: nothing changed.
    let e = explain(CHECK_CANONICAL, SECRET).unwrap();
    assert!(changes(&e).is_empty(), "{}", e.to_compact());
}

#[test]
fn explain_shows_escapes_and_exclusions() {
    let amp = vector("agws-ampersand-go-escaping");
    let e = explain(s(&amp, "body"), SECRET).unwrap();
    assert_eq!(s(&e, "canonical"), s(&amp, "canonical"));
    assert_eq!(s(&e, "signature"), s(&amp, "signature"));
    let escape = change(&e, "escape", "callback_url");
    assert_eq!(
        s(escape, "fragment"),
        r#""callback_url":"https://example.kz/cb?a=1\u0026b=2""#
    );
    assert!(s(&e, "canonical").contains(s(escape, "fragment")));

    let pay_out = vector("acquiring-E-pay-out-empty-strings");
    let e = explain(s(&pay_out, "body"), SECRET).unwrap();
    assert_eq!(s(&e, "signature"), s(&pay_out, "signature"));
    let excluded: Vec<&str> = e
        .get("excluded")
        .and_then(Json::as_array)
        .unwrap()
        .iter()
        .filter_map(Json::as_str)
        .collect();
    assert_eq!(excluded, ["confirm_url", "shipment", "additional_data"]);
    for field in excluded {
        change(&e, "dropped", field);
    }

    // Input escapes that the canonical form writes raw.
    let e = explain(
        r#"{"description":"\u041e\u043f\u043b\u0430\u0442\u0430","url":"https:\/\/a.kz"}"#,
        SECRET,
    )
    .unwrap();
    assert_eq!(
        s(&e, "canonical"),
        r#"{"description":"Оплата","url":"https://a.kz"}"#
    );
    change(&e, "unescape", "description");
    change(&e, "unescape", "url");

    // Nested paths, duplicates.
    let e = explain(r#"{"b":{"y":1.50,"x":2},"a":[1e2],"a":[1]}"#, SECRET).unwrap();
    change(&e, "order", "b");
    assert_eq!(s(change(&e, "number", "b.y"), "fragment"), "\"y\":1.5");
    change(&e, "duplicate", "a");
    assert_eq!(s(&e, "canonical"), r#"{"a":[1],"b":{"x":2,"y":1.5}}"#);
}

#[test]
fn explain_refuses_bad_input() {
    let err = explain("{", SECRET).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    let err = explain(CHECK, "12345\n").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(!err.message().contains("12345"));
    let err = explain("[1]", SECRET).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
}

// --- diagnoseSignature: matches --------------------------------------------------------

#[test]
fn documented_and_derived_signatures_match() {
    let fx = fixture();
    for v in fx.get("vectors").and_then(Json::as_array).unwrap() {
        let d = diagnose(s(v, "body"), s(v, "secret"), s(v, "signature")).unwrap();
        assert_eq!(s(&d, "verdict"), "match", "{}", s(v, "name"));
        assert_eq!(d.get("match"), Some(&Json::Bool(true)));
        assert!(mistake_ids(&d).is_empty());
    }
    // Header forms are read too.
    for received in [
        format!("X-Signature: {CHECK_SIGNATURE}"),
        format!("Authorization: Bearer {CHECK_SIGNATURE}"),
        format!("Bearer {CHECK_SIGNATURE}"),
        format!("  {CHECK_SIGNATURE}\n"),
    ] {
        let d = diagnose(CHECK, SECRET, &received).unwrap();
        assert_eq!(s(&d, "verdict"), "match", "{received}");
        assert_eq!(s(&d, "received"), CHECK_SIGNATURE);
    }
}

// --- diagnoseSignature: each mistake ---------------------------------------------------

#[test]
fn keys_not_sorted() {
    // The check body signed in the order it is written.
    let text =
        r#"{"username":"989898","agent":"tarlan","project":"mobile","service_code":"201106"}"#;
    let d = assert_mistakes(CHECK, &sign_text(text), &["unsorted_keys"]);
    assert_eq!(reproduced_text(&d), text);
}

#[test]
fn python_default_separators() {
    // Fixture: acquiring vector C signed with json.dumps' default separators.
    let w = wrong("python-default-separators-is-wrong");
    let body = s(&vector("acquiring-C-php-additional-data"), "body").to_string();
    let d = assert_mistakes(&body, s(&w, "signature"), &["spaces_after_separators"]);
    assert_eq!(reproduced_text(&d), s(&w, "canonical"));
    // And the documented check body, hand-written.
    let text = r#"{"agent": "tarlan", "project": "mobile", "service_code": "201106", "username": "989898"}"#;
    assert_mistakes(CHECK, &sign_text(text), &["spaces_after_separators"]);
}

#[test]
fn number_100_0_for_100() {
    // §4.4's negative check: c836… is the cash-in body with "amount":100.0 kept.
    assert_eq!(
        sign_text(s(&wrong("python-100.0-is-wrong"), "canonical")),
        CASH_IN_100_0_SIGNATURE
    );
    // The Kazakh page writes 100.0 in the body: signed as written.
    let d = assert_mistakes(
        CASH_IN_KAZAKH,
        CASH_IN_100_0_SIGNATURE,
        &["number_as_written"],
    );
    assert!(reproduced_text(&d).contains("\"amount\":100.0"));
    // The body says 100 but the signer held a float and wrote 100.0.
    let d = assert_mistakes(CASH_IN, CASH_IN_100_0_SIGNATURE, &["whole_number_as_float"]);
    assert!(reproduced_text(&d).contains("\"amount\":100.0"));
    // 1.50 kept as written.
    let body = r#"{"agent":"agent","amount":1.50,"project":"project","service_code":"service"}"#;
    let text = body;
    assert_mistakes(body, &sign_text(text), &["number_as_written"]);
}

#[test]
fn php_escaped_slashes_and_unicode() {
    // Fixture: probe F_esc (Cyrillic as \uXXXX).
    let w = wrong("php-escaped-cyrillic-is-wrong");
    let body = s(&vector("acquiring-F-cyrillic-raw"), "body").to_string();
    let d = assert_mistakes(&body, s(&w, "signature"), &["escaped_unicode"]);
    assert_eq!(reproduced_text(&d), s(&w, "canonical"));

    // Escaped slashes only (json_encode with JSON_UNESCAPED_UNICODE).
    let body = r#"{"merchant_id":1,"project_id":1,"success_redirect_url":"https://shop.kz/ok"}"#;
    let text = r#"{"merchant_id":1,"project_id":1,"success_redirect_url":"https:\/\/shop.kz\/ok"}"#;
    assert_mistakes(body, &sign_text(text), &["escaped_slashes"]);

    // PHP json_encode defaults: both.
    let body =
        r#"{"description":"Оплата","merchant_id":1,"success_redirect_url":"https://shop.kz/ok"}"#;
    let text = r#"{"description":"\u041e\u043f\u043b\u0430\u0442\u0430","merchant_id":1,"success_redirect_url":"https:\/\/shop.kz\/ok"}"#;
    assert_mistakes(
        body,
        &sign_text(text),
        &["escaped_slashes", "escaped_unicode"],
    );
}

#[test]
fn literal_ampersand() {
    for (vector_name, wrong_name) in [
        ("agws-ampersand-go-escaping", "literal-ampersand-is-wrong"),
        (
            "acquiring-G-ampersand-go",
            "literal-ampersand-acquiring-is-wrong",
        ),
    ] {
        let w = wrong(wrong_name);
        let body = s(&vector(vector_name), "body").to_string();
        let d = assert_mistakes(&body, s(&w, "signature"), &["literal_html"]);
        assert_eq!(reproduced_text(&d), s(&w, "canonical"));
    }
}

#[test]
fn empty_fields_and_additional_data_left_in() {
    let w = wrong("empty-string-kept-is-wrong");
    let body = s(&vector("agws-empty-string-dropped"), "body").to_string();
    assert_mistakes(&body, s(&w, "signature"), &["empty_fields_kept"]);

    let body = s(&vector("acquiring-C-php-additional-data"), "body").to_string();
    let text = r#"{"additional_data":{"key":"This should be excluded"},"merchant_id":1,"project_client_id":"9999","project_id":1}"#;
    assert_mistakes(&body, &sign_text(text), &["additional_data_kept"]);
}

#[test]
fn base64_without_padding_or_url_safe() {
    // The cash-in base64 ends in "==".
    assert!(CASH_IN_BASE64.ends_with("=="));
    let unpadded = STANDARD_NO_PAD.encode(CASH_IN_CANONICAL);
    let sig = hex_sha256(format!("{unpadded}{SECRET}").as_bytes());
    assert_mistakes(CASH_IN, &sig, &["base64_no_padding"]);

    // A canonical text whose standard base64 has '+' or '/'.
    let body =
        r#"{"agent":"tarlan","project":"mobile","service_code":"201106","username":"Иван???"}"#;
    let canonical =
        r#"{"agent":"tarlan","project":"mobile","service_code":"201106","username":"Иван???"}"#;
    assert_eq!(kassa::canonical_json(body).unwrap(), canonical);
    let standard = STANDARD.encode(canonical);
    assert!(standard.contains(['+', '/']), "{standard}");
    let url = URL_SAFE.encode(canonical);
    assert_ne!(url, standard);
    let sig = hex_sha256(format!("{url}{SECRET}").as_bytes());
    assert_mistakes(body, &sig, &["base64_url_safe"]);
    let url_raw = URL_SAFE_NO_PAD.encode(canonical);
    let sig = hex_sha256(format!("{url_raw}{SECRET}").as_bytes());
    assert_mistakes(body, &sig, &["base64_url_safe", "base64_no_padding"]);
}

#[test]
fn hashing_mistakes() {
    // JSON hashed without base64.
    let sig = hex_sha256(format!("{CHECK_CANONICAL}{SECRET}").as_bytes());
    assert_mistakes(CHECK, &sig, &["no_base64"]);
    // Secret prepended.
    let sig = hex_sha256(format!("{SECRET}{CHECK_BASE64}").as_bytes());
    let d = assert_mistakes(CHECK, &sig, &["secret_prepended"]);
    assert_eq!(s(d.get("reproduced").unwrap(), "encoded"), CHECK_BASE64);
    // HMAC instead of SHA-256.
    assert_mistakes(CHECK, &hmac_hex(CHECK_BASE64), &["hmac"]);
    // Secret read with a newline.
    let sig = hex_sha256(format!("{CHECK_BASE64}{SECRET}\n").as_bytes());
    assert_mistakes(CHECK, &sig, &["secret_newline"]);
    // No secret.
    assert_mistakes(CHECK, &hex_sha256(CHECK_BASE64.as_bytes()), &["no_secret"]);
}

#[test]
fn uppercase_hex_and_base64_digest() {
    let d = assert_mistakes(STATUS, &STATUS_SIGNATURE.to_uppercase(), &["uppercase_hex"]);
    assert!(d.get("reproduced").unwrap().is_null());
    let digest = hex::decode(STATUS_SIGNATURE).unwrap();
    assert_mistakes(STATUS, &STANDARD.encode(&digest), &["digest_base64"]);
    // Combined with a text mistake: unsorted and uppercase.
    let text =
        r#"{"agent":"tarlan","project":"mobile","service_code":"201106","external_id":"200001"}"#;
    assert_mistakes(
        STATUS,
        &sign_text(text).to_uppercase(),
        &["unsorted_keys", "uppercase_hex"],
    );
}

#[test]
fn python_json_dumps_defaults_combine() {
    // json.dumps(body, sort_keys=True): spaces, \uXXXX and literal & at once, plus HMAC.
    let body = r#"{"username":"Иван","agent":"tarlan","callback_url":"https://e.kz/?a=1&b=2"}"#;
    let text = r#"{"agent": "tarlan", "callback_url": "https://e.kz/?a=1&b=2", "username": "\u0418\u0432\u0430\u043d"}"#;
    let b64 = STANDARD.encode(text);
    assert_mistakes(
        body,
        &hmac_hex(&b64),
        &[
            "spaces_after_separators",
            "escaped_unicode",
            "literal_html",
            "hmac",
        ],
    );
}

#[test]
fn unknown_and_malformed() {
    // Another secret: no mistake reproduces it.
    let other = hex_sha256(format!("{CHECK_BASE64}54321").as_bytes());
    let d = diagnose(CHECK, SECRET, &other).unwrap();
    assert_eq!(s(&d, "verdict"), "unknown");
    assert_eq!(d.get("match"), Some(&Json::Bool(false)));
    assert!(mistake_ids(&d).is_empty());
    assert!(d.get("tried").and_then(Json::as_i64).unwrap() >= 100);
    assert!(s(&d, "message").contains("secret"));

    for (received, hint) in [
        ("", "empty"),
        ("abc", "3 characters"),
        ("da39a3ee5e6b4b0d3255bfef95601890afd80709", "SHA-1"),
        (&"z".repeat(64), "not hex"),
    ] {
        let d = diagnose(CHECK, SECRET, received).unwrap();
        assert_eq!(s(&d, "verdict"), "malformed", "{received}");
        assert!(s(&d, "message").contains(hint), "{}", s(&d, "message"));
        assert_eq!(s(&d, "expected"), CHECK_SIGNATURE);
    }
}

#[test]
fn registered_as_module_helpers() {
    let explain_helper = kassa::module_helper("explainSignature").unwrap();
    let diagnose_helper = kassa::module_helper("diagnoseSignature").unwrap();
    let kassa::helper::HelperFn::Static(run) = explain_helper.run else {
        panic!("explainSignature must be static")
    };
    let out = run(&[Json::str(CHECK), Json::str(SECRET)]).unwrap();
    assert_eq!(s(&out, "signature"), CHECK_SIGNATURE);
    let kassa::helper::HelperFn::Static(run) = diagnose_helper.run else {
        panic!("diagnoseSignature must be static")
    };
    let out = run(&[
        Json::str(CHECK),
        Json::str(SECRET),
        Json::str(CHECK_SIGNATURE),
    ])
    .unwrap();
    assert_eq!(s(&out, "verdict"), "match");
    let err = run(&[Json::str(CHECK), Json::str(SECRET)]).unwrap_err();
    assert_eq!(err.info().field.as_deref(), Some("signature"));
    assert!(diagnose_helper
        .ts
        .contains("export declare function diagnoseSignature"));
    assert!(explain_helper
        .ts
        .contains("export declare function explainSignature"));
}

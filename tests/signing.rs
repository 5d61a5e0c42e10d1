//! Tarlan signature vectors (tests/fixtures/tarlan-signatures.json, copied from the spec)
//! and the canonical form in every detail Go's encoding/json has.

use kassa::json::{self, Json};
use kassa::{canonical_json, tarlan_sign, tarlan_verify, ErrorKind};

fn fixture() -> Json {
    let text = std::fs::read_to_string("tests/fixtures/tarlan-signatures.json").unwrap();
    json::parse(&text).unwrap()
}

fn field<'a>(v: &'a Json, k: &str) -> &'a str {
    v.get(k).and_then(Json::as_str).unwrap()
}

#[test]
fn documented_and_derived_vectors_sign_byte_for_byte() {
    let fx = fixture();
    let vectors = fx.get("vectors").and_then(Json::as_array).unwrap();
    assert!(vectors.len() >= 15);
    for v in vectors {
        let name = field(v, "name");
        let body = field(v, "body");
        let signature = tarlan_sign(body, field(v, "secret")).unwrap();
        assert_eq!(signature, field(v, "signature"), "vector {name}");
        // The signed text is the canonical form of the signable subset.
        let signable =
            kassa::tarlan::sign::signable(json::parse(body).unwrap().as_object().unwrap());
        assert_eq!(
            Json::Object(signable).to_canonical(),
            field(v, "canonical"),
            "vector {name}"
        );
    }
}

#[test]
fn the_three_printed_signatures() {
    let check = r#"{"username": "989898", "agent": "tarlan", "project": "mobile", "service_code": "201106"}"#;
    assert_eq!(
        tarlan_sign(check, "12345").unwrap(),
        "227e9c6513a43f71f4cb6acb3c73f26f3ea90f7e36305afc6d37f9923f12d8c8"
    );
    let cash_in = r#"{"username":"989898","amount":100,"agent":"tarlan","project":"mobile","service_code":"201106","external_id":"200001","datetime":"2022-12-01T15:45:00Z"}"#;
    assert_eq!(
        tarlan_sign(cash_in, "12345").unwrap(),
        "9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2"
    );
    let status =
        r#"{"agent":"tarlan","project":"mobile","service_code":"201106","external_id":"200001"}"#;
    assert_eq!(
        tarlan_sign(status, "12345").unwrap(),
        "0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91"
    );
}

#[test]
fn common_mistakes_give_different_signatures() {
    let fx = fixture();
    for wrong in fx.get("wrong").and_then(Json::as_array).unwrap() {
        // The documented wrong signature is what the mistaken text hashes to...
        assert_eq!(
            kassa::tarlan::sign::sign_canonical(field(wrong, "canonical"), "12345"),
            field(wrong, "signature")
        );
        // ...and kassa, given the same data, never produces it.
        let ours = tarlan_sign(field(wrong, "canonical"), "12345").unwrap();
        assert_ne!(ours, field(wrong, "signature"), "{}", field(wrong, "name"));
    }
}

#[test]
fn verify_is_case_insensitive_accepts_bearer_and_rejects_tampering() {
    let body =
        r#"{"agent":"tarlan","project":"mobile","service_code":"201106","external_id":"200001"}"#;
    let sig = "0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91";
    assert!(tarlan_verify(body, "12345", sig).unwrap());
    assert!(tarlan_verify(body, "12345", &sig.to_uppercase()).unwrap());
    assert!(tarlan_verify(body, "12345", &format!("Bearer {sig}")).unwrap());
    assert!(!tarlan_verify(body, "12346", sig).unwrap());
    assert!(!tarlan_verify(body, "12345", &sig[..63]).unwrap());
    let mut flipped = sig.to_string();
    flipped.replace_range(0..1, "1");
    assert!(!tarlan_verify(body, "12345", &flipped).unwrap());
    let tampered = body.replace("200001", "200002");
    assert!(!tarlan_verify(&tampered, "12345", sig).unwrap());
}

fn canon(text: &str) -> String {
    canonical_json(text).unwrap()
}

fn go_cases(group: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string("tests/fixtures/go-canonical.json").unwrap();
    let fx = json::parse(&text).unwrap();
    fx.get(group)
        .and_then(Json::as_array)
        .unwrap()
        .iter()
        .map(|pair| {
            let pair = pair.as_array().unwrap();
            (
                pair[0].as_str().unwrap().to_string(),
                pair[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The fixture's signatures come from the Go oracle (scripts/regen-go-canonical.sh); the first
/// two are the signatures printed in the AGWS docs.
#[test]
fn signatures_equal_the_go_oracle() {
    let text = std::fs::read_to_string("tests/fixtures/go-canonical.json").unwrap();
    let fx = json::parse(&text).unwrap();
    let cases = fx.get("signatures").and_then(Json::as_array).unwrap();
    assert!(cases.len() >= 4);
    for case in cases {
        let case = case.as_array().unwrap();
        let (body, secret, go) = (
            case[0].as_str().unwrap(),
            case[1].as_str().unwrap(),
            case[2].as_str().unwrap(),
        );
        assert_eq!(tarlan_sign(body, secret).unwrap(), go, "{body}");
    }
}

#[test]
fn numbers_follow_go_float64_formatting() {
    let cases = go_cases("numbers");
    assert!(cases.len() >= 25);
    for (input, go) in cases {
        assert_eq!(canon(&input), go, "literal {input}");
    }
}

#[test]
fn strings_follow_go_escaping() {
    for (input, go) in go_cases("strings") {
        assert_eq!(canon(&input), go, "string {input}");
    }
}

#[test]
fn keys_are_sorted_bytewise_at_every_level_and_duplicates_keep_the_last() {
    for (input, go) in go_cases("objects") {
        assert_eq!(canon(&input), go, "object {input}");
    }
}

#[test]
fn only_top_level_empty_strings_and_additional_data_are_excluded() {
    let body = r#"{"a":{"b":"","additional_data":1},"c":"","additional_data":{"x":1},"d":0,"e":false,"f":null}"#;
    let signable = kassa::tarlan::sign::signable(json::parse(body).unwrap().as_object().unwrap());
    assert_eq!(
        Json::Object(signable).to_canonical(),
        r#"{"a":{"additional_data":1,"b":""},"d":0,"e":false,"f":null}"#
    );
}

fn validation_field(result: kassa::error::Result<String>) -> String {
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
    e.info().field.clone().unwrap()
}

#[test]
fn bad_input_is_a_validation_error_never_a_panic() {
    assert_eq!(validation_field(tarlan_sign("[1,2]", "12345")), "body");
    assert_eq!(validation_field(tarlan_sign("42", "12345")), "body");
    assert_eq!(validation_field(tarlan_sign("not json", "12345")), "body");
    assert_eq!(
        validation_field(tarlan_sign(r#"{"a":NaN}"#, "12345")),
        "body"
    );
    assert_eq!(
        validation_field(tarlan_sign(r#"{"a":Infinity}"#, "12345")),
        "body"
    );
    assert_eq!(
        validation_field(tarlan_sign(r#"{"a":1e400}"#, "12345")),
        "body"
    );
    assert_eq!(
        validation_field(tarlan_sign(r#"{"a":"\ud800"}"#, "12345")),
        "body"
    );
    assert_eq!(
        validation_field(tarlan_sign(r#"{"a":"\udc00x"}"#, "12345")),
        "body"
    );
    assert_eq!(
        validation_field(tarlan_sign(r#"{"a":1,}"#, "12345")),
        "body"
    );
    assert_eq!(
        validation_field(tarlan_sign(r#"{"a":01}"#, "12345")),
        "body"
    );
    assert_eq!(
        validation_field(tarlan_sign("{\"a\":\"x\ny\"}", "12345")),
        "body"
    );
    let deep = "[".repeat(100_000);
    assert_eq!(validation_field(tarlan_sign(&deep, "12345")), "body");
    let huge = format!("{{\"a\":\"{}\"}}", "x".repeat(10 * 1024 * 1024));
    assert_eq!(validation_field(tarlan_sign(&huge, "12345")), "body");
    assert_eq!(validation_field(tarlan_sign("{}", " 12345")), "secret");
    assert_eq!(validation_field(tarlan_sign("{}", "123 45")), "secret");
    assert_eq!(validation_field(tarlan_sign("{}", "12345\n")), "secret");
    assert_eq!(validation_field(tarlan_sign("{}", "")), "secret");
    // And it keeps working afterwards.
    assert_eq!(tarlan_sign("{}", "12345").unwrap().len(), 64);
}

#[test]
fn parser_survives_arbitrary_bytes() {
    // A cheap deterministic fuzz: every prefix and single-byte mutation of a real body.
    let body = r#"{"username":"Иван","amount":100.5,"nested":{"a":[1,2.5e-3,true,null,"\u0026"]}}"#;
    let bytes = body.as_bytes();
    assert!(canonical_json(body).is_ok());
    for end in 0..=bytes.len() {
        if let Ok(prefix) = std::str::from_utf8(&bytes[..end]) {
            let _ = canonical_json(prefix);
            let _ = tarlan_sign(prefix, "12345");
        }
    }
    for i in 0..bytes.len() {
        for b in [
            b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', b'0', b'e', b'-', b'u', b' ',
        ] {
            let mut m = bytes.to_vec();
            m[i] = b;
            if let Ok(text) = std::str::from_utf8(&m) {
                // Whatever parses must come out canonical: canonicalizing again changes nothing.
                if let Ok(canonical) = canonical_json(text) {
                    assert_eq!(canonical_json(&canonical).unwrap(), canonical, "{text}");
                }
            }
        }
    }
}

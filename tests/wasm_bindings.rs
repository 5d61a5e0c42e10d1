//! The wasm binding layer, run inside wasm (wasm-bindgen-test under Node): the paths that only
//! exist on wasm32 — float digits from the JavaScript engine, errors crossing the boundary as
//! KassaError JSON, the client handle, the catalog.
#![cfg(target_arch = "wasm32")]

use kassa::json::{self, Json};
use kassa::wasm;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const GO_CASES: &str = include_str!("fixtures/go-canonical.json");

fn error_json(error: JsValue) -> Json {
    json::parse(&error.as_string().expect("errors cross as strings")).expect("error JSON")
}

#[wasm_bindgen_test]
fn canonical_numbers_use_the_engine_for_long_literals_and_match_go() {
    let cases = json::parse(GO_CASES).unwrap();
    for group in ["numbers", "strings", "objects"] {
        for pair in cases.get(group).and_then(Json::as_array).unwrap() {
            let pair = pair.as_array().unwrap();
            let input = pair[0].as_str().unwrap();
            let go = pair[1].as_str().unwrap();
            assert_eq!(wasm::canonical_json(input).unwrap(), go, "{input}");
        }
    }
}

#[wasm_bindgen_test]
fn errors_cross_the_boundary_as_kassa_error_json() {
    let e = error_json(wasm::tarlan_sign("[1]", "12345").unwrap_err());
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("validation"));
    assert_eq!(e.get("field").and_then(Json::as_str), Some("body"));
    let e = error_json(wasm::tarlan_sign("{}", "a b").unwrap_err());
    assert_eq!(e.get("field").and_then(Json::as_str), Some("secret"));
    // The instance keeps working after an error.
    assert_eq!(
        wasm::tarlan_sign(r#"{"agent":"tarlan","external_id":"200001","project":"mobile","service_code":"201106"}"#, "12345").unwrap(),
        "0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91"
    );
}

#[wasm_bindgen_test]
fn the_client_handle_builds_parses_and_never_shows_the_secret() {
    let client =
        wasm::WasmClient::new("agws", r#"{"secret":"12345"}"#, JsValue::UNDEFINED).unwrap();
    let request = json::parse(
        &client
            .build("fiscalReceipt", r#"{"provider_order_id":"pr10010","provider_code":"code","provider_service_code":"service_code"}"#)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        request
            .pointer(&["headers", "X-Signature"])
            .and_then(Json::as_str),
        Some("06db6a7291b1503767ecedfe73dae0699474f58fea091c602a4d7afd696fb528")
    );
    let secretive =
        wasm::WasmClient::new("agws", r#"{"secret":"wasm-secret-1"}"#, JsValue::UNDEFINED).unwrap();
    assert!(!secretive.describe().contains("wasm-secret-1"));
    let e = error_json(client.parse("fiscalReceipt", r#"{"status":400,"body":"{\"status\":false,\"status_code\":1014,\"message\":\"Invalid signature\",\"result\":{}}"}"#).unwrap_err());
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("signature"));
    assert_eq!(e.get("code").and_then(Json::as_i64), Some(1014));
    assert_eq!(e.get("httpStatus").and_then(Json::as_i64), Some(400));
    let e = error_json(client.invoke("noSuchHelper", "[]").unwrap_err());
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("validation"));
    let e = error_json(
        wasm::WasmClient::new("nope", "{}", JsValue::UNDEFINED)
            .err()
            .unwrap(),
    );
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("config"));
}

#[wasm_bindgen_test]
fn the_catalog_lists_every_provider_with_operations_and_tables() {
    let catalog = json::parse(&wasm::catalog()).unwrap();
    let providers = catalog.get("providers").and_then(Json::as_array).unwrap();
    let ids: Vec<&str> = providers
        .iter()
        .filter_map(|p| p.get("id").and_then(Json::as_str))
        .collect();
    assert_eq!(
        ids,
        [
            "agws",
            "acquiring",
            "assist",
            "fiscalbox",
            "fiscalboxBilling"
        ]
    );
    let agws = &providers[0];
    assert_eq!(
        agws.get("operations")
            .and_then(Json::as_array)
            .map(Vec::len),
        Some(10)
    );
    assert!(agws
        .pointer(&["tables", "errors"])
        .and_then(Json::as_array)
        .is_some());
    let index = json::parse(&wasm::class_index()).unwrap();
    for provider in [
        "agws",
        "acquiring",
        "assist",
        "fiscalbox",
        "fiscalboxBilling",
    ] {
        let operations = index
            .pointer(&[provider, "operations"])
            .and_then(Json::as_array)
            .map(Vec::len);
        assert!(operations.unwrap_or(0) > 0, "{provider} has operations");
    }
}

#[wasm_bindgen_test]
fn the_journal_step_crosses_as_json_and_refuses_bad_input_as_kassa_errors() {
    let client = wasm::WasmClient::new(
        "agws",
        r#"{"secret":"12345","agent":"tarlan","project":"mobile","timeoutMs":1000,"maxRetries":0}"#,
        JsValue::UNDEFINED,
    )
    .unwrap();
    let event = r#"{"type":"pay","now":1700000000000,"leaseMs":5000,"operation":"cashIn","params":{"username":"989898","amount":"10.00","service_code":"201106","external_id":"200001"}}"#;
    let step = json::parse(&client.journal_step("null", event).unwrap()).unwrap();
    assert_eq!(
        step.pointer(&["action", "type"]).and_then(Json::as_str),
        Some("insert")
    );
    assert_eq!(
        step.pointer(&["record", "key"]).and_then(Json::as_str),
        Some("agws:cashIn:200001")
    );
    assert_eq!(
        step.pointer(&["record", "leaseUntil"])
            .and_then(Json::as_i64),
        Some(1_700_000_005_000)
    );
    let e = error_json(
        client
            .journal_step("null", r#"{"type":"check","now":1,"leaseMs":10}"#)
            .unwrap_err(),
    );
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("config"));
    let e = error_json(
        client
            .journal_step(r#"{"key":"k","state":"paid"}"#, r#"{"type":"reconcile"}"#)
            .unwrap_err(),
    );
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("decode"));
    let e = error_json(client.journal_step("null", "{not json").unwrap_err());
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("validation"));
}

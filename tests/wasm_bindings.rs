//! The wasm binding layer, run inside wasm (wasm-bindgen-test under Node): the paths that only
//! exist on wasm32 — float digits from the JavaScript engine, errors crossing the boundary as
//! Error objects (constructed through the registered KassaError class), the client handle, the
//! code tables.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Reflect, Uint8Array};
use kassa::json::{self, Json};
use kassa::wasm;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const GO_CASES: &str = include_str!("fixtures/go-canonical.json");

/// The fields of an error that crossed the boundary, read off the JS object (no JSON string).
fn error_json(error: JsValue) -> Json {
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "errors cross as Error objects"
    );
    let fields = js_sys::JSON::stringify(&error)
        .expect("stringify")
        .as_string()
        .unwrap();
    let mut fields = json::parse(&fields).expect("error fields");
    let message = Reflect::get(&error, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    let name = Reflect::get(&error, &"name".into())
        .unwrap()
        .as_string()
        .unwrap();
    if let Json::Object(m) = &mut fields {
        m.insert("message", Json::str(message));
        m.insert("name", Json::str(name));
    }
    fields
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

/// The bytes of wasm memory, viewed afresh (a view goes stale when the memory grows).
fn memory_bytes() -> Uint8Array {
    let memory: js_sys::WebAssembly::Memory = wasm::wasm_memory().unchecked_into();
    Uint8Array::new(&memory.buffer())
}

/// Writes texts one after another into the text buffer, as the Binding of pkg/src/client.js does; returns
/// the buffer's address.
fn buffer_texts(texts: &[&str]) -> u32 {
    let joined = texts.concat();
    let address = wasm::text_buffer(64 + joined.len()) as u32;
    memory_bytes().set(&Uint8Array::from(joined.as_bytes()), address);
    address
}

/// `tarlanSign` through the text buffer: the signature comes back at the buffer's start.
fn sign_buffered(body: &str, secret: &str) -> Result<String, JsValue> {
    let address = buffer_texts(&[body, secret]);
    let error = wasm::tarlan_sign_buffered(body.len(), secret.len());
    if !error.is_undefined() {
        return Err(error);
    }
    let mut signature = [0u8; 64];
    memory_bytes()
        .subarray(address, address + 64)
        .copy_to(&mut signature);
    Ok(String::from_utf8(signature.to_vec()).unwrap())
}

#[wasm_bindgen_test]
fn signatures_cross_the_boundary_through_the_text_buffer() {
    let body =
        r#"{"agent":"tarlan","external_id":"200001","project":"mobile","service_code":"201106"}"#;
    let documented = "0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91";
    assert_eq!(sign_buffered(body, "12345").unwrap(), documented);
    // Non-ASCII text and a larger body than before (the buffer grows), then the first again.
    let wide = format!(r#"{{"name":"{}"}}"#, "Иван 😀".repeat(5_000));
    assert_eq!(
        sign_buffered(&wide, "sëcret").unwrap(),
        kassa::tarlan_sign(&wide, "sëcret").unwrap()
    );
    assert_eq!(sign_buffered(body, "12345").unwrap(), documented);
    for (signature, expected) in [(documented, true), (&documented[1..], false)] {
        buffer_texts(&[body, "12345", signature]);
        let verified = wasm::tarlan_verify_buffered(body.len(), 5, signature.len());
        assert_eq!(verified.unwrap(), expected);
    }
}

#[wasm_bindgen_test]
fn errors_cross_the_boundary_as_kassa_error_json() {
    let e = error_json(sign_buffered("[1]", "12345").unwrap_err());
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("validation"));
    assert_eq!(e.get("field").and_then(Json::as_str), Some("body"));
    let e = error_json(sign_buffered("{}", "a b").unwrap_err());
    assert_eq!(e.get("field").and_then(Json::as_str), Some("secret"));
    let e = error_json(wasm::canonical_json("{").unwrap_err());
    assert_eq!(e.get("field").and_then(Json::as_str), Some("value"));
    // The instance keeps working after an error.
    assert_eq!(
        sign_buffered(r#"{"agent":"tarlan","external_id":"200001","project":"mobile","service_code":"201106"}"#, "12345").unwrap(),
        "0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91"
    );
}

#[wasm_bindgen_test]
fn the_client_handle_builds_parses_and_never_shows_the_secret() {
    let client = wasm::WasmClient::new("agws", r#"{"secret":"12345"}"#).unwrap();
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
    let secretive = wasm::WasmClient::new("agws", r#"{"secret":"wasm-secret-1"}"#).unwrap();
    assert!(!secretive.describe().contains("wasm-secret-1"));
    let e = error_json(client.parse("fiscalReceipt", r#"{"status":400,"body":"{\"status\":false,\"status_code\":1014,\"message\":\"Invalid signature\",\"result\":{}}"}"#).unwrap_err());
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("signature"));
    assert_eq!(e.get("code").and_then(Json::as_i64), Some(1014));
    assert_eq!(e.get("httpStatus").and_then(Json::as_i64), Some(400));
    let e = error_json(client.invoke("noSuchHelper", "[]").unwrap_err());
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("validation"));
    let e = error_json(wasm::WasmClient::new("nope", "{}").err().unwrap());
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("config"));
}

#[wasm_bindgen_test]
fn errors_are_plain_errors_until_a_class_is_registered_then_instances_of_it() {
    // One test, so the order is certain: the class is registered for the whole instance.
    let e = error_json(sign_buffered("[1]", "12345").unwrap_err());
    assert_eq!(e.get("name").and_then(Json::as_str), Some("KassaError"));
    assert_eq!(e.get("retryable").and_then(Json::as_bool), Some(false));
    // A stand-in for pkg/src/error.js: takes the fields of the info it is constructed with.
    let class = js_sys::eval(
        "(class TestError extends Error { constructor(info) { super(info.message); Object.assign(this, info); this.name = 'TestError'; } })",
    )
    .unwrap();
    assert!(class.is_instance_of::<Function>());
    wasm::use_error_class(class);
    let error = sign_buffered("{}", "a b").unwrap_err();
    assert!(error.is_instance_of::<js_sys::Error>());
    let e = error_json(error);
    assert_eq!(e.get("name").and_then(Json::as_str), Some("TestError"));
    assert_eq!(e.get("field").and_then(Json::as_str), Some("secret"));
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("validation"));
}

#[wasm_bindgen_test]
fn every_provider_of_the_registry_has_a_client_and_code_tables() {
    let ids: Vec<&str> = kassa::registry::providers().map(|p| p.id).collect();
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
    for id in ids {
        let tables = json::parse(&wasm::code_tables(id).unwrap()).unwrap();
        assert!(matches!(tables, Json::Object(_)), "{id}: its tables by id");
    }
    let errors = json::parse(&wasm::code_tables("agws").unwrap()).unwrap();
    assert!(errors
        .pointer(&["errors"])
        .and_then(Json::as_array)
        .is_some());
    let e = error_json(wasm::code_tables("nope").unwrap_err());
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("config"));
}

#[wasm_bindgen_test]
fn the_journal_step_crosses_as_json_and_refuses_bad_input_as_kassa_errors() {
    let client = wasm::WasmClient::new(
        "agws",
        r#"{"secret":"12345","agent":"tarlan","project":"mobile","timeoutMs":1000,"maxRetries":0}"#,
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

#[wasm_bindgen_test]
fn a_call_task_steps_through_json_events_and_ends_with_its_result_or_a_kassa_error() {
    let client = wasm::WasmClient::new(
        "agws",
        r#"{"secret":"12345","agent":"tarlan","project":"mobile"}"#,
    )
    .unwrap();
    let mut task = client.call_task("balance", "{}", "{}", 1.7e12).unwrap();
    let send = json::parse(
        &task
            .step(r#"{"type":"start"}"#, String::new(), 1.7e12, 0.5)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(send.get("type").and_then(Json::as_str), Some("send"));
    assert!(send
        .pointer(&["request", "headers", "X-Signature"])
        .is_some());
    // A 503 page: a read is retried after a backoff sleep, then the same bytes are sent again.
    let sleep = json::parse(
        &task
            .step(
                r#"{"type":"response","status":503,"headers":[["retry-after","1"]]}"#,
                "<html>down</html>".into(),
                1.7e12,
                0.5,
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(sleep.get("type").and_then(Json::as_str), Some("sleep"));
    assert_eq!(sleep.get("ms").and_then(Json::as_i64), Some(1000));
    let again = json::parse(
        &task
            .step(
                r#"{"type":"woke","aborted":false}"#,
                String::new(),
                1.7e12,
                0.5,
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(again.get("request"), send.get("request"));
    let body = include_str!("fixtures/agws/balance-success.json");
    let done = json::parse(
        &task
            .step(
                r#"{"type":"response","status":200,"headers":[]}"#,
                body.into(),
                1.7e12,
                0.5,
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(done.get("type").and_then(Json::as_str), Some("done"));
    assert!(done
        .pointer(&["result"])
        .and_then(Json::as_object)
        .is_some());

    // Refused before sending: the task throws a KassaError naming the provider and operation.
    let mut task = client.call_task("balance", "{}", "{}", 1.7e12).unwrap();
    task.step(r#"{"type":"start"}"#, String::new(), 1.7e12, 0.5)
        .unwrap();
    let e = error_json(
        task.step(
            r#"{"type":"abortedBeforeSending"}"#,
            String::new(),
            1.7e12,
            0.5,
        )
        .unwrap_err(),
    );
    assert_eq!(e.get("kind").and_then(Json::as_str), Some("transport"));
    assert_eq!(e.get("operation").and_then(Json::as_str), Some("balance"));
    let e = error_json(
        task.step("{\"type\":\"later\"}", String::new(), 1.7e12, 0.5)
            .unwrap_err(),
    );
    assert_eq!(e.get("field").and_then(Json::as_str), Some("event.type"));
    let e = error_json(
        client
            .call_task("balance", "{}", r#"{"timeoutMs":0}"#, 1.7e12)
            .err()
            .unwrap(),
    );
    assert_eq!(
        e.get("field").and_then(Json::as_str),
        Some("options.timeoutMs")
    );
}

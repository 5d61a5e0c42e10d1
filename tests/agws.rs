//! Tarlan AGWS: every documented request and response of spec/tarlan-agws.md as fixtures.

mod common;
use common::{num, s};
use kassa::codes::Outcome;
use kassa::json::{self, Json};
use kassa::operation::BuildCtx;
use kassa::tarlan::agws;
use kassa::{Client, ErrorKind, HttpResponse, KassaError};

fn fixture(name: &str) -> String {
    common::fixture("agws", name)
}

fn client_with(options: &str) -> Client {
    Client::new(&agws::PROVIDER, json::parse(options).unwrap()).unwrap()
}

fn client() -> Client {
    client_with(r#"{"secret":"12345","agent":"tarlan","project":"mobile"}"#)
}

fn parse(op: &str, status: u16, body: &str) -> Result<Json, KassaError> {
    client().parse(op, &HttpResponse::new(status, body))
}

fn ok(op: &str, name: &str) -> Json {
    parse(op, 200, &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn err(op: &str, status: u16, name: &str) -> KassaError {
    parse(op, status, &fixture(name)).unwrap_err()
}

fn int_code(e: &KassaError) -> i64 {
    e.code().and_then(|c| c.as_i64()).unwrap()
}

const CTX: BuildCtx = BuildCtx {
    now_ms: Some(1_669_909_500_000),
};

// ---------------------------------------------------------------------------------------
// Requests: documented bodies and printed signatures

fn body_of(req: &kassa::HttpRequest) -> Json {
    json::parse(req.body.as_deref().unwrap()).unwrap()
}

#[test]
fn check_request_signs_to_the_printed_signature() {
    let req = client()
        .build(
            "check",
            json::parse(r#"{"username":"989898","service_code":"201106"}"#).unwrap(),
            &CTX,
        )
        .unwrap();
    assert_eq!(req.method, kassa::Method::Post);
    assert_eq!(
        req.url,
        "https://agwsapi.tarlanpayments.kz/showcase-gateway/api/v1/user/check"
    );
    assert_eq!(
        body_of(&req).to_canonical(),
        json::parse(&fixture("request-test-check.json"))
            .unwrap()
            .to_canonical()
    );
    assert_eq!(
        req.header("X-Signature"),
        Some("227e9c6513a43f71f4cb6acb3c73f26f3ea90f7e36305afc6d37f9923f12d8c8")
    );
    assert_eq!(req.header("Content-Type"), Some("application/json"));
    // The bytes sent are the canonical bytes that were signed.
    assert_eq!(
        req.body.as_deref(),
        Some(
            r#"{"agent":"tarlan","project":"mobile","service_code":"201106","username":"989898"}"#
        )
    );
}

#[test]
fn cash_in_request_signs_to_the_printed_signature_even_from_100_0() {
    let params = json::parse(
        r#"{"username":"989898","amount":100.0,"service_code":"201106","external_id":"200001","datetime":"2022-12-01T15:45:00Z"}"#,
    )
    .unwrap();
    let req = client().build("cashIn", params, &CTX).unwrap();
    assert!(req.url.ends_with("/showcase-gateway/api/v1/action/cash-in"));
    assert_eq!(
        req.header("X-Signature"),
        Some("9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2")
    );
    assert_eq!(
        body_of(&req).to_canonical(),
        json::parse(&fixture("request-test-cash-in.json"))
            .unwrap()
            .to_canonical()
    );
    assert!(req.body.as_deref().unwrap().contains(r#""amount":100,"#));
}

#[test]
fn amount_as_decimal_string_is_sent_as_the_same_number() {
    let params = json::parse(
        r#"{"username":"989898","amount":"100.00","service_code":"201106","external_id":"200001","datetime":"2022-12-01T15:45:00Z"}"#,
    )
    .unwrap();
    let req = client().build("cashIn", params, &CTX).unwrap();
    assert_eq!(
        req.header("X-Signature"),
        Some("9ab70986d5b875e66fc92368029f845275a1208633eb9dda821bbabf99cac4b2")
    );
}

#[test]
fn status_request_signs_to_the_printed_signature() {
    let req = client()
        .build(
            "status",
            json::parse(r#"{"service_code":"201106","external_id":"200001"}"#).unwrap(),
            &CTX,
        )
        .unwrap();
    assert!(req.url.ends_with("/showcase-gateway/api/v1/action/status"));
    assert_eq!(
        req.header("X-Signature"),
        Some("0e7ed3b74f0c17871631e7e4b663aa74032867ced99365f7ebef2d3839f09e91")
    );
    assert_eq!(
        body_of(&req).to_canonical(),
        json::parse(&fixture("request-test-status.json"))
            .unwrap()
            .to_canonical()
    );
}

#[test]
fn upper_commission_request_signs_to_vector_i() {
    let c = client_with(r#"{"secret":"12345"}"#);
    let req = c
        .build(
            "upperCommission",
            json::parse(&fixture("request-upper-commission.json")).unwrap(),
            &CTX,
        )
        .unwrap();
    assert!(req
        .url
        .ends_with("/showcase-gateway/api/v1/calculate/upper/commission"));
    assert_eq!(
        req.body.as_deref(),
        Some(r#"{"agent":"agent","amount":10.42,"project":"project","service_code":"service"}"#)
    );
    assert_eq!(
        req.header("X-Signature"),
        Some("4ea9f4a9f47af6517f188781047f25b85d8bd0caab51454807c030e497228150")
    );
}

#[test]
fn confirm_invoice_and_payment_link_bodies_match_the_documented_curls() {
    let c = client_with(r#"{"secret":"12345"}"#);
    for (op, file, path) in [
        (
            "confirmInvoice",
            "request-confirm-invoice.json",
            "/showcase-gateway/api/v1/action/confirm/invoice",
        ),
        (
            "paymentLink",
            "request-payment-link.json",
            "/showcase-gateway/api/v1/action/link",
        ),
    ] {
        let documented = json::parse(&fixture(file)).unwrap();
        let req = c.build(op, documented.clone(), &CTX).unwrap();
        assert!(req.url.ends_with(path));
        assert_eq!(body_of(&req).to_canonical(), documented.to_canonical());
        let expected = kassa::tarlan::sign::sign_map(documented.as_object().unwrap(), "12345");
        assert_eq!(req.header("X-Signature"), Some(expected.as_str()));
    }
}

#[test]
fn fiscal_receipt_get_signs_the_query_as_json_or_an_empty_object() {
    let params = json::parse(r#"{"provider_order_id":"pr10010","provider_code":"code","provider_service_code":"service_code"}"#).unwrap();
    let req = client()
        .build("fiscalReceipt", params.clone(), &CTX)
        .unwrap();
    assert_eq!(req.method, kassa::Method::Get);
    assert_eq!(
        req.url,
        "https://agwsapi.tarlanpayments.kz/fiscalization/api/v1/payment/fiscalization/order?provider_order_id=pr10010&provider_code=code&provider_service_code=service_code"
    );
    assert_eq!(req.body, None);
    // sha256(base64('{"provider_code":"code","provider_order_id":"pr10010","provider_service_code":"service_code"}') + "12345"),
    // computed independently with Python's hashlib (spec §2.8 reading).
    assert_eq!(
        req.header("X-Signature"),
        Some("06db6a7291b1503767ecedfe73dae0699474f58fea091c602a4d7afd696fb528")
    );
    let empty = client_with(r#"{"secret":"12345","getSigning":"empty"}"#);
    let req = empty.build("fiscalReceipt", params, &CTX).unwrap();
    // sha256(base64("{}") + "12345"), computed independently.
    assert_eq!(
        req.header("X-Signature"),
        Some("52133d739e87751f0e3be86711459dd984ccbbf1cb16a0484178be9b1c5f193a")
    );
}

/// Seed 000 (the fiscal receipt GET page) lists two headers: `Content-Type: application/json`
/// and `X-Signature`. Spec §2.9 lists the same for the info GETs.
#[test]
fn agws_gets_send_the_headers_of_seed_000() {
    let seed_000_url = "https://agwsapi.tarlanpayments.kz/fiscalization/api/v1/payment/fiscalization/order?provider_order_id=pr10010&provider_code=code&provider_service_code=service_code";
    let params = json::parse(r#"{"provider_order_id":"pr10010","provider_code":"code","provider_service_code":"service_code"}"#).unwrap();
    let req = client().build("fiscalReceipt", params, &CTX).unwrap();
    assert_eq!(req.url, seed_000_url);
    assert_eq!(req.header("Content-Type"), Some("application/json"));
    let signature = req.header("X-Signature").unwrap();
    assert!(signature.len() == 64 && signature.bytes().all(|b| b.is_ascii_hexdigit()));
    let info = client()
        .build(
            "serviceInfo",
            json::parse(r#"{"service_group":"parking","service_code":"parking"}"#).unwrap(),
            &CTX,
        )
        .unwrap();
    assert_eq!(info.header("Content-Type"), Some("application/json"));
    assert!(info.header("X-Signature").is_some());
}

#[test]
fn info_gets_put_the_group_in_the_path_and_the_rest_in_the_query() {
    let req = client()
        .build(
            "serviceInfo",
            json::parse(r#"{"service_group":"parking","service_code":"park1"}"#).unwrap(),
            &CTX,
        )
        .unwrap();
    assert_eq!(
        req.url,
        "https://agwsapi.tarlanpayments.kz/showcase-gateway/api/v1/info/service/parking?service_code=park1&project=mobile&agent=tarlan"
    );
    let signed = r#"{"agent":"tarlan","project":"mobile","service_code":"park1"}"#;
    let expected = kassa::tarlan::sign::sign_canonical(signed, "12345");
    assert_eq!(req.header("X-Signature"), Some(expected.as_str()));
}

#[test]
fn cash_in_fills_datetime_when_omitted_and_keeps_a_given_one() {
    let params =
        json::parse(r#"{"username":"1","amount":5,"service_code":"s","external_id":"e"}"#).unwrap();
    let req = client().build("cashIn", params, &CTX).unwrap();
    // 1669909500000 ms = 2022-12-01T15:45:00Z
    assert_eq!(
        body_of(&req).get("datetime").and_then(Json::as_str),
        Some("2022-12-01T15:45:00Z")
    );
}

// ---------------------------------------------------------------------------------------
// Validation

fn validation(op: &str, params: &str) -> KassaError {
    let e = client()
        .build(op, json::parse(params).unwrap(), &CTX)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
    e
}

#[test]
fn missing_empty_and_mistyped_params_name_the_field() {
    let base =
        r#""amount":10,"service_code":"s","external_id":"e","datetime":"2022-12-01T15:45:00Z""#;
    let e = validation("cashIn", &format!("{{{base}}}"));
    assert_eq!(e.info().field.as_deref(), Some("username"));
    assert!(e.message().contains("is required"));
    let e = validation("cashIn", &format!("{{\"username\":\"\",{base}}}"));
    assert!(e.message().contains("must not be empty"));
    let e = validation("cashIn", &format!("{{\"username\":989898,{base}}}"));
    assert!(e.message().contains("must be a string"), "{e}");
    let e = validation(
        "cashIn",
        r#"{"username":"1","amount":10.123,"service_code":"s","external_id":"e"}"#,
    );
    assert_eq!(e.info().field.as_deref(), Some("amount"));
    assert!(e.message().contains("more than 2 decimal places"));
    let e = validation(
        "cashIn",
        r#"{"username":"1","amount":0,"service_code":"s","external_id":"e"}"#,
    );
    assert!(e.message().contains("greater than 0"));
    let e = validation(
        "cashIn",
        r#"{"username":"1","amount":1,"service_code":"s","external_id":"e","datetime":"01.12.2022"}"#,
    );
    assert_eq!(e.info().field.as_deref(), Some("datetime"));
    let e = validation(
        "cashIn",
        r#"{"username":"1","amount":1,"service_code":"s","externalId":"e"}"#,
    );
    assert_eq!(e.info().field.as_deref(), Some("externalId"));
    assert!(e.message().contains("did you mean `external_id`"), "{e}");
    let e = validation(
        "fiscalReceipt",
        r#"{"provider_order_id":"pr10010","provider_code":"code"}"#,
    );
    assert_eq!(e.info().field.as_deref(), Some("provider_service_code"));
    let e = validation(
        "fiscalReceipt",
        r#"{"provider_order_id":"","provider_code":"code","provider_service_code":"x"}"#,
    );
    assert_eq!(e.info().field.as_deref(), Some("provider_order_id"));
    let e = validation(
        "paymentLink",
        r#"{"agent":"a","username":"u","amount":100.5,"service":"s","refer_host":"h"}"#,
    );
    assert_eq!(e.info().field.as_deref(), Some("amount"));
}

#[test]
fn a_missing_option_field_says_where_to_set_it() {
    let c = client_with(r#"{"secret":"12345"}"#);
    let e = c
        .build(
            "status",
            json::parse(r#"{"service_code":"s","external_id":"e"}"#).unwrap(),
            &CTX,
        )
        .unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("agent"));
    assert!(e.message().contains("client options (`agent`)"), "{e}");
    assert_eq!(e.info().provider, Some("agws"));
    assert_eq!(e.info().operation, Some("status"));
}

#[test]
fn options_are_validated_as_config_errors() {
    for (options, field) in [
        (r#"{}"#, "secret"),
        (r#"{"secret":" 12345"}"#, "secret"),
        (
            r#"{"secret":"12345","baseUrl":"agwsapi.tarlanpayments.kz"}"#,
            "baseUrl",
        ),
        (r#"{"secret":"12345","getSigning":"body"}"#, "getSigning"),
        (r#"{"secret":"12345","timeoutMs":0}"#, "timeoutMs"),
        (r#"{"secret":"12345","agnet":"x"}"#, "agnet"),
    ] {
        let e = Client::new(&agws::PROVIDER, json::parse(options).unwrap()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{options}: {e}");
        assert_eq!(e.info().field.as_deref(), Some(field), "{options}");
        assert!(!e.message().contains("12345"), "secret leaked: {e}");
    }
}

#[test]
fn the_secret_never_appears_in_debug_or_describe() {
    let c = client_with(r#"{"secret":"s3cr3t-value","agent":"tarlan"}"#);
    assert!(!format!("{c:?}").contains("s3cr3t-value"));
    assert!(!c.describe().to_compact().contains("s3cr3t-value"));
    assert_eq!(
        c.describe().get("secret").and_then(Json::as_str),
        Some("[redacted]")
    );
}

// ---------------------------------------------------------------------------------------
// Responses

#[test]
fn check_responses_parse_in_every_format() {
    for name in [
        "check-success.json",
        "check-success-legacy.json",
        "legacy-check-200.json",
    ] {
        let r = ok("check", name);
        assert_eq!(
            r.get("account_status").and_then(Json::as_i64),
            Some(1),
            "{name}"
        );
        assert_eq!(r.get("can_pay"), Some(&Json::Bool(true)));
        assert_eq!(
            s(&r, &["account_status_meaning"]),
            "The account exists and can be topped up"
        );
    }
    let r = ok("check", "check-inactive-fail-reason.repaired.json");
    assert_eq!(r.get("account_status").and_then(Json::as_i64), Some(0));
    assert_eq!(r.get("can_pay"), Some(&Json::Bool(false)));
    assert_eq!(
        r.pointer(&["fail_reason", "code"]).and_then(Json::as_i64),
        Some(100)
    );
    assert!(
        s(&r, &["fail_reason", "meaning"]).starts_with("Unknown reason, clarification required")
    );
    assert_eq!(s(&r, &["info", "parking", "zone"]), "1223-123");
    assert_eq!(
        num(&r, &["info", "parking", "coordinates", "longitude"]),
        "123.0212"
    );
}

#[test]
fn cash_in_and_status_results_carry_status_code_and_outcome() {
    let r = ok("cashIn", "cash-in-success.json");
    assert_eq!(s(&r, &["data", "status_code"]), "2");
    assert_eq!(s(&r, &["outcome"]), "success");
    assert_eq!(num(&r, &["data", "amount"]), "1000");
    assert_eq!(s(&r, &["data", "datetime"]), "2024-01-01T00:00:00");
    let r = ok("status", "status-success.fixture-ready.json");
    assert_eq!(s(&r, &["data", "external_id"]), "200001");
    assert_eq!(s(&r, &["data", "datetime"]), "2022-12-01T15:45:00Z");
    assert_eq!(s(&r, &["outcome"]), "success");
    let r = ok("status", "status-failed.fixture-ready.json");
    assert_eq!(s(&r, &["outcome"]), "failed");
    assert_eq!(
        r.pointer(&["data", "fail_reason", "code"])
            .and_then(Json::as_i64),
        Some(100)
    );
    let r = ok("cashIn", "legacy-cash-in-a-intermediate.repaired.json");
    assert_eq!(s(&r, &["outcome"]), "pending");
    assert_eq!(s(&r, &["data", "status_code"]), "5");
}

#[test]
fn legacy_status_spellings_are_normalized() {
    let r = ok("cashIn", "legacy-cash-in-b-success.repaired.json");
    assert_eq!(s(&r, &["data", "status_code"]), "2");
    assert_eq!(s(&r, &["data", "status_code_original"]), "success");
    assert_eq!(s(&r, &["data", "datetime"]), "2022-12-01T15:45:00Z");
    assert_eq!(num(&r, &["data", "processed_amount"]), "90");
    assert_eq!(num(&r, &["data", "commission"]), "10");
    assert_eq!(s(&r, &["outcome"]), "success");
    let r = ok("cashIn", "legacy-cash-in-b-intermediate.repaired.json");
    assert_eq!(s(&r, &["data", "status_code"]), "5");
    assert_eq!(s(&r, &["outcome"]), "pending");
    let r = ok("status", "legacy-status-success.repaired.json");
    assert_eq!(num(&r, &["data", "amount"]), "100");
    assert_eq!(s(&r, &["outcome"]), "success");
}

#[test]
fn other_results_parse_to_the_documented_values() {
    let r = ok("balance", "balance-success.json");
    assert_eq!(s(&r, &["showcase_code"]), "daw");
    assert_eq!(num(&r, &["balance"]), "0");
    let r = ok("confirmInvoice", "confirm-invoice.json");
    assert_eq!(r.get("is_success"), Some(&Json::Bool(true)));
    assert_eq!(s(&r, &["external_id"]), "200001");
    assert_eq!(s(&r, &["outcome"]), "pending");
    let r = ok("confirmInvoice", "confirm-invoice-old.json");
    assert_eq!(s(&r, &["external_id"]), "externa312");
    assert_eq!(s(&r, &["outcome"]), "success");
    let r = ok("paymentLink", "payment-link.json");
    assert_eq!(
        s(&r, &["redirect_url"]),
        "https://kaspi.kz/pay/quickpayment?quick_pay_id=Betssonkzad1e50a5-6afd-481e-8e14-37487734ed292517:52:00"
    );
    assert_eq!(s(&r, &["message"]), "Успешно обработано");
    let r = ok("upperCommission", "upper-commission.json");
    assert_eq!(num(&r, &["amount"]), "10.4");
    assert_eq!(num(&r, &["amount_with_commission"]), "11.84");
    assert_eq!(num(&r, &["commission"]), "1.44");
    let r = ok("fiscalReceipt", "fiscal-receipt-200.json");
    assert_eq!(s(&r, &["fiscal_number"]), "123456789123");
    assert_eq!(s(&r, &["fiscal_check_url"]), "https://link.kz");
    let r = ok("serviceInfo", "service-info.repaired.json");
    assert_eq!(
        r.pointer(&["data"]).and_then(Json::as_array).map(Vec::len),
        Some(1)
    );
    assert_eq!(
        s(&r.get("data").unwrap().as_array().unwrap()[0], &["date"]),
        "2024-10-21T08:43:33Z"
    );
    let r = ok("userInfo", "user-info.repaired.json");
    assert_eq!(
        s(&r.get("data").unwrap().as_array().unwrap()[0], &["id"]),
        "123"
    );
}

#[test]
fn error_examples_give_the_right_kind_and_code() {
    let cases: [(&str, u16, &str, ErrorKind, i64); 12] = [
        (
            "fiscalReceipt",
            400,
            "fiscal-receipt-400.json",
            ErrorKind::Signature,
            1014,
        ),
        (
            "check",
            200,
            "check-error-before.json",
            ErrorKind::Provider,
            1407,
        ),
        (
            "check",
            200,
            "check-error-after.repaired.json",
            ErrorKind::Provider,
            1407,
        ),
        (
            "balance",
            200,
            "balance-error-before.json",
            ErrorKind::Provider,
            8015,
        ),
        (
            "balance",
            200,
            "balance-error-after.json",
            ErrorKind::Provider,
            8015,
        ),
        (
            "paymentLink",
            200,
            "payment-link-error-before.json",
            ErrorKind::Provider,
            9718,
        ),
        (
            "paymentLink",
            200,
            "payment-link-error-after.json",
            ErrorKind::Provider,
            1881,
        ),
        (
            "cashIn",
            200,
            "expected-error-1042.json",
            ErrorKind::Provider,
            1042,
        ),
        (
            "cashIn",
            200,
            "expected-error-1042.repaired.json",
            ErrorKind::Provider,
            1042,
        ),
        (
            "cashIn",
            200,
            "legacy-cash-in-duplicate.repaired.json",
            ErrorKind::Provider,
            1042,
        ),
        (
            "status",
            200,
            "legacy-status-1041.json",
            ErrorKind::Provider,
            1041,
        ),
        (
            "check",
            200,
            "legacy-check-5010.json",
            ErrorKind::Provider,
            5010,
        ),
    ];
    for (op, status, file, kind, code) in cases {
        let e = err(op, status, file);
        assert_eq!(e.kind(), kind, "{file}: {e}");
        assert_eq!(int_code(&e), code, "{file}");
        assert_eq!(e.info().http_status, Some(status));
        assert_eq!(e.info().provider, Some("agws"));
        assert_eq!(e.info().operation, Some(op));
    }
    let e = err("fiscalReceipt", 400, "fiscal-receipt-400.json");
    assert!(e.message().contains("Invalid signature"));
    assert!(!e.info().retryable);
}

#[test]
fn user_info_treats_its_documented_5202_success_as_success_only() {
    let body = fixture("user-info.repaired.json").replace("\"success\"", "\"not found\"");
    let e = parse("userInfo", 200, &body).unwrap_err();
    assert_eq!(int_code(&e), 5202);
}

#[test]
fn missing_required_response_fields_are_decode_errors() {
    let e = parse(
        "fiscalReceipt",
        200,
        r#"{"status":true,"message":"Success","result":{"fiscal_number":"1"}}"#,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.info().field.as_deref(), Some("result.fiscal_check_url"));
    let e = parse(
        "status",
        200,
        r#"{"status":true,"result":{"error_code":0,"data":{"status_message":"x"}}}"#,
    )
    .unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("result.data.status_code"));
    // Unknown extra fields are kept.
    let r = parse(
        "fiscalReceipt",
        200,
        r#"{"status":true,"result":{"fiscal_number":"1","fiscal_check_url":"u","new_field":7}}"#,
    )
    .unwrap();
    assert_eq!(r.get("new_field").and_then(Json::as_i64), Some(7));
}

#[test]
fn gateway_pages_and_garbage_are_transport_or_decode_errors() {
    let e = parse(
        "status",
        502,
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.info().retryable);
    assert_eq!(e.info().http_status, Some(502));
    let e = parse(
        "cashIn",
        200,
        r#"{"status":true,"result":{"error_code":0,"da"#,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.message().contains("may have been performed"));
    let e = parse(
        "status",
        500,
        r#"{"status":false,"status_code":500,"message":"Internal Server Error","result":{}}"#,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert!(e.info().retryable);
}

// ---------------------------------------------------------------------------------------
// Tables

#[test]
fn every_transaction_status_has_its_outcome() {
    let expected = [
        ("1", Outcome::Pending),
        ("2", Outcome::Success),
        ("3", Outcome::Failed),
        ("4", Outcome::Failed),
        ("5", Outcome::Pending),
        ("6", Outcome::Pending),
        ("7", Outcome::Pending),
        ("success", Outcome::Success),
        ("holded", Outcome::Pending),
    ];
    for (code, outcome) in expected {
        assert_eq!(
            agws::status_outcome(code).map(|(_, o)| o),
            Some(outcome),
            "status {code}"
        );
        let body = format!(
            r#"{{"status":true,"status_code":0,"message":"Success","result":{{"error_code":0,"message":"","data":{{"status_code":"{code}"}}}}}}"#
        );
        let r = parse("status", 200, &body).unwrap();
        assert_eq!(s(&r, &["outcome"]), outcome.as_str(), "status {code}");
        assert_eq!(r.get("requires_support"), Some(&Json::Bool(code == "6")));
    }
    assert_eq!(agws::codes::TRANSACTION_STATUSES.entries.len(), 7);
    assert_eq!(agws::status_outcome("8"), None);
}

#[test]
fn every_error_code_maps_to_a_kind_in_both_formats() {
    // (code, kind, http) from spec §5.3; the "unexpected" ones come as status:false.
    let expected: [(i64, ErrorKind, u16); 19] = [
        (8301, ErrorKind::Provider, 200),
        (1407, ErrorKind::Provider, 200),
        (1041, ErrorKind::Provider, 200),
        (1042, ErrorKind::Provider, 200),
        (9718, ErrorKind::Provider, 200),
        (8015, ErrorKind::Provider, 200),
        (9427, ErrorKind::Provider, 200),
        (9724, ErrorKind::Provider, 200),
        (9721, ErrorKind::Provider, 200),
        (5103, ErrorKind::Provider, 200),
        (5413, ErrorKind::Provider, 200),
        (8008, ErrorKind::Provider, 200),
        (1410, ErrorKind::Provider, 200),
        (500, ErrorKind::Provider, 500),
        (1014, ErrorKind::Signature, 400),
        (1021, ErrorKind::Validation, 400),
        (1404, ErrorKind::Validation, 400),
        (999999, ErrorKind::Provider, 500),
        (1881, ErrorKind::Provider, 200),
    ];
    for (code, kind, http) in expected {
        let entry = agws::codes::ERRORS
            .find_int(code)
            .unwrap_or_else(|| panic!("{code} missing"));
        assert!(
            !entry.message.is_empty() && !entry.action.is_empty(),
            "{code}"
        );
        let current = format!(
            r#"{{"status":true,"status_code":0,"message":"Success","result":{{"error_code":{code},"message":"m","data":{{}}}}}}"#
        );
        let unexpected =
            format!(r#"{{"status":false,"status_code":{code},"message":"m","result":{{}}}}"#);
        for (status, body) in [(200, current), (http, unexpected)] {
            let e = parse("status", status, &body).unwrap_err();
            assert_eq!(e.kind(), kind, "{code}");
            assert_eq!(int_code(&e), code);
            assert!(e.message().contains(entry.meaning), "{e}");
        }
    }
    assert_eq!(agws::codes::ERRORS.entries.len(), expected.len() + 2); // + 0 Success, 5010
}

#[test]
fn account_statuses_and_rejection_reasons_are_complete() {
    for (status, meaning_start) in [
        (0, "Top-up is not possible"),
        (1, "The account exists"),
        (2, "The provider could not verify"),
    ] {
        let body = format!(r#"{{"result":{{"error_code":0,"account_status":{status}}}}}"#);
        let r = parse("check", 200, &body).unwrap();
        assert!(s(&r, &["account_status_meaning"]).starts_with(meaning_start));
    }
    let reasons = [
        100, 101, 102, 103, 104, 105, 106, 107, 200, 201, 202, 203, 204, 205, 206, 207, 300, 301,
        302, 303, 304, 400, 401, 402, 403, 404, 405, 406, 407,
    ];
    assert_eq!(agws::codes::FAIL_REASONS.entries.len(), reasons.len());
    for code in reasons {
        let body = format!(
            r#"{{"result":{{"error_code":0,"data":{{"status_code":"4","fail_reason":{{"code":{code},"message":"x"}}}}}}}}"#
        );
        let r = parse("status", 200, &body).unwrap();
        let entry = agws::codes::FAIL_REASONS.find_int(code).unwrap();
        assert!(
            s(&r, &["data", "fail_reason", "meaning"]).starts_with(entry.message),
            "{code}"
        );
    }
}

/// Spec §2.5 (confirmInvoice's newest table: `is_success`, `external_id`, `otp_status`) and §5.4
/// (`fail_reason` "is passed when the status is Transaction was failed"; 402 "Incorrect
/// confirmation code"): a rejected confirmation is reported like a failed cash-in — never a
/// null or successful outcome — with the provider's message and the rejection reason.
#[test]
fn a_rejected_confirmation_is_failed_with_its_message_and_reason() {
    let r = ok(
        "confirmInvoice",
        "confirm-invoice-rejected.constructed.json",
    );
    assert_eq!(s(&r, &["outcome"]), "failed");
    assert_eq!(r.get("is_success"), Some(&Json::Bool(false)));
    assert_eq!(s(&r, &["message"]), "Incorrect confirmation code");
    assert_eq!(
        r.get("fail_reason")
            .and_then(|f| f.get("code"))
            .and_then(Json::as_i64),
        Some(402)
    );
    assert!(s(&r, &["fail_reason", "meaning"]).contains("Incorrect confirmation code"));
    // Either flag alone rejects; strings as the table types them are read too.
    for (answer, outcome) in [
        (
            r#"{"is_success":true,"external_id":"200001","otp_status":false}"#,
            "failed",
        ),
        (r#"{"is_success":false,"external_id":"200001"}"#, "failed"),
        (
            r#"{"is_success":"false","external_id":"200001","otp_status":true}"#,
            "failed",
        ),
        (
            r#"{"is_success":false,"transaction_status_id":"1","external_id":"200001"}"#,
            "failed",
        ),
        (
            r#"{"is_success":true,"external_id":"200001","otp_status":true}"#,
            "pending",
        ),
        (
            r#"{"is_success":true,"transaction_status_id":"4","external_id":"200001"}"#,
            "failed",
        ),
    ] {
        let body =
            format!(r#"{{"status":true,"status_code":0,"message":"Success","result":{answer}}}"#);
        let r = parse("confirmInvoice", 200, &body).unwrap_or_else(|e| panic!("{answer}: {e}"));
        assert_eq!(s(&r, &["outcome"]), outcome, "{answer}");
    }
    // A rejection next to a successful transaction status is not guessed at.
    let contradictory = r#"{"status":true,"status_code":0,"message":"Success","result":{"is_success":false,"transaction_status_id":"2","external_id":"200001"}}"#;
    let e = parse("confirmInvoice", 200, contradictory).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownOutcome);
    assert_eq!(
        e.info().reference.get("external_id").and_then(Json::as_str),
        Some("200001")
    );
}

#[test]
fn the_operation_table_lists_every_documented_endpoint() {
    let names: Vec<&str> = agws::OPERATIONS.iter().map(|o| o.name).collect();
    assert_eq!(
        names,
        [
            "check",
            "cashIn",
            "status",
            "balance",
            "confirmInvoice",
            "paymentLink",
            "upperCommission",
            "fiscalReceipt",
            "serviceInfo",
            "userInfo"
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Callbacks (spec §2.10, §4.6)

fn independent_signature(canonical: &str, secret: &str) -> String {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let b64 = base64::engine::general_purpose::STANDARD.encode(canonical);
    hex::encode(Sha256::digest(format!("{b64}{secret}").as_bytes()))
}

const CALLBACK_FULL: &str = r#"{"amount":100.82,"datetime":"fugiat sed","external_id":"proident","fail_reason":{"code":100,"message":"Unknown reason, clarification required"},"project":"Testing","service_code":"70958","status_code":"4","status_message":"Transaction was failed","username":"enim culpa eiusmod laborum"}"#;
const CALLBACK_FLAT: &str = r#"{"amount":100.82,"datetime":"fugiat sed","external_id":"proident","project":"Testing","service_code":"70958","status_code":"4","status_message":"Transaction was failed","username":"enim culpa eiusmod laborum"}"#;

fn verify(body: &str, signature: &str, options: Option<&str>) -> Result<Json, KassaError> {
    let client = client();
    let helper = client.provider.helper("verifyCallback").unwrap();
    let kassa::helper::HelperFn::Method(run) = helper.run else {
        panic!("method")
    };
    let mut args = vec![Json::str(body), Json::str(signature)];
    if let Some(o) = options {
        args.push(json::parse(o).unwrap());
    }
    run(&client.config, &args)
}

#[test]
fn callbacks_parse_to_the_documented_values() {
    let parsed = agws::callback::parse_callback(&Json::str(fixture("callback.json"))).unwrap();
    assert_eq!(s(&parsed, &["external_id"]), "proident");
    assert_eq!(s(&parsed, &["status_code"]), "4");
    assert_eq!(s(&parsed, &["outcome"]), "failed");
    assert_eq!(num(&parsed, &["amount"]), "100.82");
    assert_eq!(
        parsed
            .pointer(&["fail_reason", "code"])
            .and_then(Json::as_i64),
        Some(100)
    );
    assert_eq!(parsed.get("signed_set"), Some(&Json::Null));
    let e = agws::callback::parse_callback(&Json::str(r#"{"status_code":"2"}"#)).unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("callback.external_id"));
}

#[test]
fn callback_signatures_are_verified_against_each_documented_candidate() {
    let body = fixture("callback.json");
    let full = independent_signature(CALLBACK_FULL, "12345");
    let flat = independent_signature(CALLBACK_FLAT, "12345");
    let r = verify(&body, &full, None).unwrap();
    assert_eq!(s(&r, &["signed_set"]), "full");
    assert_eq!(s(&r, &["outcome"]), "failed");
    let r = verify(&body, &flat.to_uppercase(), None).unwrap();
    assert_eq!(s(&r, &["signed_set"]), "without_nested");
    // With additional_data present, the request rule (signature without it) is recognised.
    let with_extra = body.replacen('{', r#"{"additional_data":{"k":"v"},"agent":"","#, 1);
    let r = verify(&with_extra, &full, None).unwrap();
    assert_eq!(s(&r, &["signed_set"]), "without_additional_data");
    // Restricting the candidates rejects the others.
    let e = verify(&body, &flat, Some(r#"{"candidates":["full"]}"#)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
}

#[test]
fn tampered_or_unsigned_callbacks_are_signature_errors() {
    let body = fixture("callback.json");
    let full = independent_signature(CALLBACK_FULL, "12345");
    let tampered = body.replace(r#""status_code": "4""#, r#""status_code": "2""#);
    assert_ne!(tampered, body);
    let e = verify(&tampered, &full, None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    assert!(
        !e.message().contains(&full),
        "never reveals the expected signature"
    );
    let e = verify(&body, &independent_signature(CALLBACK_FULL, "54321"), None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    let client = client();
    let kassa::helper::HelperFn::Method(run) =
        client.provider.helper("verifyCallback").unwrap().run
    else {
        panic!()
    };
    let e = run(&client.config, &[Json::str(body), Json::Null]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
}

/// Spec §2.10: "only HTTP 200 is specified; no response body is documented" — so none is sent.
#[test]
fn the_callback_acknowledgement_is_http_200_with_an_empty_body() {
    let client = client();
    let helper = client.provider.helper("callbackAck").unwrap();
    let kassa::helper::HelperFn::Static(run) = helper.run else {
        panic!("callbackAck is static")
    };
    let ack = run(&[]).unwrap();
    assert_eq!(ack.get("status").and_then(Json::as_i64), Some(200));
    assert_eq!(ack.get("body"), Some(&Json::str("")));
    assert_eq!(
        ack.get("headers")
            .and_then(Json::as_object)
            .map(|h| h.len()),
        Some(0)
    );
}

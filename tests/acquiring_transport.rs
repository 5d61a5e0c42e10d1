//! The transport's money rules applied to acquiring operations, driven with scripted
//! attempts: form creation is retried and a 5000 on the retry is resolved through `status`;
//! one-click and refund are never re-sent.

mod common;
use kassa::json::{self, Json};
use kassa::operation::BuildCtx;
use kassa::tarlan::acquiring;
use kassa::transport::{self, Call, CallOptions, Observed};
use kassa::{Client, ErrorKind, HttpRequest, HttpResponse, KassaError, Method};
use std::collections::VecDeque;

const CTX: BuildCtx = BuildCtx { now_ms: None };

fn fixture(name: &str) -> String {
    common::fixture("acquiring", name)
}

fn answer(status: u16, name: &str) -> Observed {
    Observed::Response(HttpResponse::new(status, fixture(name)))
}

fn run(
    op: &str,
    params: &str,
    answers: Vec<Observed>,
) -> (Result<Json, KassaError>, Vec<HttpRequest>) {
    let client = Client::new(
        &acquiring::PROVIDER,
        json::parse(r#"{"secret":"12345","merchantId":1,"projectId":42}"#).unwrap(),
    )
    .unwrap();
    let mut answers: VecDeque<Observed> = answers.into();
    let mut sent = Vec::new();
    let call = Call::new(
        &client,
        op,
        json::parse(params).unwrap(),
        CallOptions::default(),
        &CTX,
    )
    .unwrap();
    let result = transport::run_blocking(
        call,
        &CTX,
        |request, _| {
            sent.push(request.clone());
            answers.pop_front().expect("no scripted answer left")
        },
        |_| {},
    );
    (result, sent)
}

const PAY_IN: &str = r#"{"amount":10,"description":"d","project_reference_id":"sanch92116","success_redirect_url":"https://a.kz"}"#;

#[test]
fn a_form_pay_in_is_retried_with_the_same_bytes_after_a_timeout() {
    let (result, sent) = run(
        "payIn",
        PAY_IN,
        vec![Observed::TimedOut, answer(200, "payment-page.json")],
    );
    let page = result.unwrap();
    assert_eq!(
        page.get("transaction_id").and_then(Json::as_i64),
        Some(100474)
    );
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body);
    assert_eq!(sent[0].headers, sent[1].headers);
}

#[test]
fn a_5000_on_the_retry_is_resolved_through_status_never_a_new_payment() {
    let (result, sent) = run(
        "payIn",
        PAY_IN,
        vec![
            Observed::TimedOut,
            answer(400, "error-5000.json"),
            answer(200, "status-success.repaired.json"),
        ],
    );
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[2].method, Method::Get);
    assert_eq!(
        sent[2].url,
        "https://prapi.tarlanpayments.kz/transaction/api/v1/system/transaction/status?merchant_id=1&project_id=42&project_reference_id=sanch92116&type=in"
    );
    // The page URL of the first attempt is lost; its state is reported with the duplicate.
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert_eq!(e.code().and_then(|c| c.as_i64()), Some(5000));
    assert_eq!(e.info().details.get("duplicate"), Some(&Json::Bool(true)));
    let resolved = e.info().details.get("resolved").unwrap();
    assert_eq!(resolved.get("id").and_then(Json::as_i64), Some(99999));
    assert_eq!(
        resolved.get("outcome").and_then(Json::as_str),
        Some("success")
    );
}

#[test]
fn a_5000_on_the_first_attempt_is_just_a_reused_order_id() {
    let (result, sent) = run("payIn", PAY_IN, vec![answer(400, "error-5000.json")]);
    assert_eq!(sent.len(), 1);
    let e = result.unwrap_err();
    assert_eq!(e.code().and_then(|c| c.as_i64()), Some(5000));
    assert!(e.info().details.get("resolved").is_none());
}

#[test]
fn one_click_and_refund_are_never_sent_twice() {
    let one_click = r#"{"amount":10,"card_token":"t","description":"d","project_client_id":"c","project_reference_id":"r-1"}"#;
    for (op, params, reference) in [
        ("oneClickPayIn", one_click, "project_reference_id"),
        (
            "refund",
            r#"{"amount":10,"transaction_id":100474}"#,
            "transaction_id",
        ),
        (
            "charge",
            r#"{"amount":10,"transaction_id":100474}"#,
            "transaction_id",
        ),
    ] {
        for observed in [
            Observed::TimedOut,
            Observed::Response(HttpResponse::new(502, "<html>Bad Gateway</html>")),
        ] {
            let (result, sent) = run(op, params, vec![observed]);
            assert_eq!(sent.len(), 1, "{op}");
            let e = result.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::UnknownOutcome, "{op}: {e}");
            assert!(e.info().reference.get(reference).is_some(), "{op}");
        }
    }
    let (result, _) = run("oneClickPayIn", one_click, vec![Observed::TimedOut]);
    assert!(result.unwrap_err().message().contains("`status`"));
}

#[test]
fn reads_are_retried() {
    let (result, sent) = run(
        "status",
        r#"{"project_reference_id":"sanch92116","type":"in"}"#,
        vec![
            Observed::Response(HttpResponse::new(503, "<html>down</html>")),
            answer(200, "status-success.repaired.json"),
        ],
    );
    assert_eq!(sent.len(), 2);
    assert_eq!(
        result.unwrap().get("outcome").and_then(Json::as_str),
        Some("success")
    );
}

//! fiscalizeAndWait: fiscalize once, poll fiscalReceipt until final (scripted driver).

use kassa::flow::run_blocking;
use kassa::json::{self, Json};
use kassa::{Client, ErrorKind, HttpResponse, KassaError};
use std::cell::RefCell;

fn client() -> Client {
    let options = r#"{"merchantId":123456,"login":"svc","password":"pw-secret","server":"ruDemo"}"#;
    Client::new(&kassa::assist::PROVIDER, json::parse(options).unwrap()).unwrap()
}

const PARAMS: &str = r#"{"Payment_ID":"order-42","Type":"sell","Email":"a@b.kz","ChequeItems":[{"id":1,"name":"Tea","price":"1500.50","quantity":2,"tax":"vat12"}]}"#;

fn receipt(status: &str) -> String {
    format!(
        r#"{{"fiscalreceipt":{{"Payment_ID":"order-42","fiscalreceipt_ID":"400001","status":"{status}"}}}}"#
    )
}

enum Answer {
    Body(String),
    Lost,
}

/// Runs the flow; each call is built (so validation runs) and answered from `script`.
fn run(script: Vec<(&'static str, Answer)>) -> (Result<Json, KassaError>, Vec<(String, Json)>) {
    let c = client();
    let def = c.provider.flow("fiscalizeAndWait").unwrap();
    let mut flow = (def.create)(&c, json::parse(PARAMS).unwrap(), Json::Null).unwrap();
    let calls = RefCell::new(Vec::new());
    let script = RefCell::new(script.into_iter());
    let clock = RefCell::new(0i64);
    let result = run_blocking(
        flow.as_mut(),
        0,
        |op, params| {
            calls.borrow_mut().push((op.to_string(), params.clone()));
            c.build(op, params, &Default::default())?;
            let (expected, answer) = script.borrow_mut().next().expect("script too short");
            assert_eq!(op, expected);
            match answer {
                Answer::Body(body) => c.parse(op, &HttpResponse::new(200, body)),
                Answer::Lost => Err(KassaError::new(
                    ErrorKind::UnknownOutcome,
                    "connection lost",
                )),
            }
        },
        |ms| {
            *clock.borrow_mut() += ms as i64;
            *clock.borrow()
        },
    );
    (result, calls.into_inner())
}

#[test]
fn polls_by_receipt_id_until_final() {
    let (result, calls) = run(vec![
        (
            "fiscalize",
            Answer::Body(r#"{"fiscalize":{"fiscalreceipt_ID":"400001"}}"#.into()),
        ),
        ("fiscalReceipt", Answer::Body(receipt("New"))),
        ("fiscalReceipt", Answer::Body(receipt("ErrorRe"))),
        ("fiscalReceipt", Answer::Body(receipt("Success"))),
    ]);
    let r = result.unwrap();
    assert_eq!(r.get("outcome").and_then(Json::as_str), Some("success"));
    assert_eq!(calls.iter().filter(|(op, _)| op == "fiscalize").count(), 1);
    assert_eq!(
        calls[1].1.get("Fiscalreceipt_ID").and_then(Json::as_str),
        Some("400001")
    );
}

#[test]
fn create_error_is_final() {
    let (result, _) = run(vec![
        (
            "fiscalize",
            Answer::Body(r#"{"fiscalize":{"fiscalreceipt_ID":"400001"}}"#.into()),
        ),
        ("fiscalReceipt", Answer::Body(receipt("CreateError"))),
    ]);
    assert_eq!(
        result.unwrap().get("outcome").and_then(Json::as_str),
        Some("failed")
    );
}

#[test]
fn a_lost_answer_is_resolved_by_payment_id_never_resent() {
    let (result, calls) = run(vec![
        ("fiscalize", Answer::Lost),
        (
            "fiscalReceipt",
            Answer::Body(r#"{"firstcode":3,"secondcode":106}"#.into()),
        ),
        ("fiscalReceipt", Answer::Body(receipt("Success"))),
    ]);
    assert!(result.is_ok());
    assert_eq!(calls.iter().filter(|(op, _)| op == "fiscalize").count(), 1);
    assert_eq!(
        calls[1].1.get("Payment_ID").and_then(Json::as_str),
        Some("order-42")
    );
}

#[test]
fn the_deadline_gives_unknown_outcome_with_the_reference() {
    let script = std::iter::once((
        "fiscalize",
        Answer::Body(r#"{"fiscalize":{"fiscalreceipt_ID":"400001"}}"#.into()),
    ))
    .chain((0..50).map(|_| ("fiscalReceipt", Answer::Body(receipt("New")))))
    .collect();
    let (result, calls) = run(script);
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownOutcome);
    assert_eq!(
        e.info().reference.get("Payment_ID").and_then(Json::as_str),
        Some("order-42")
    );
    assert_eq!(
        e.info()
            .reference
            .get("Fiscalreceipt_ID")
            .and_then(Json::as_str),
        Some("400001")
    );
    assert!(calls.len() < 20, "{}", calls.len());
}

#[test]
fn a_refusal_stops_the_flow() {
    let (result, calls) = run(vec![(
        "fiscalize",
        Answer::Body(r#"{"firstcode":2,"secondcode":104,"message":"bad items"}"#.into()),
    )]);
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Provider);
    assert_eq!(calls.len(), 1);
}

//! Pay until final against scripted outcomes (sans-IO): immediate success, pending→pending→
//! success, pending→failed, pending past the deadline, duplicate 1042 then status success, a
//! lost cash-in. No second cash-in is ever sent for the same external_id except the
//! documented repeat after 1041 "Order not found".

mod common;
use kassa::flow::run_blocking;
use kassa::json::{self, Json};
use kassa::tarlan::agws;
use kassa::{Client, ErrorKind, HttpResponse, KassaError};
use std::cell::RefCell;
use std::collections::VecDeque;

fn client() -> Client {
    Client::new(
        &agws::PROVIDER,
        json::parse(r#"{"secret":"12345","agent":"tarlan","project":"mobile"}"#).unwrap(),
    )
    .unwrap()
}

fn fixture(name: &str) -> String {
    common::fixture("agws", name)
}

/// A scripted answer: the operation we expect to be called, and the body it answers with
/// (parsed by the real client, so outcomes are what a real response would give).
enum Answer {
    Body(&'static str, String),
    Error(&'static str, KassaError),
}

fn pending(code: &str) -> String {
    fixture("status-success.fixture-ready.json").replace(
        r#""status_code":"2","status_message":"Transaction successfully processed""#,
        &format!(r#""status_code":"{code}","status_message":"x""#),
    )
}

fn success() -> String {
    fixture("status-success.fixture-ready.json")
}

fn failed() -> String {
    fixture("status-failed.fixture-ready.json")
}

fn lost() -> KassaError {
    KassaError::new(ErrorKind::UnknownOutcome, "lost")
        .with_reference("external_id", Json::str("200001"))
}

const PARAMS: &str = r#"{"username":"989898","amount":100,"service_code":"201106","external_id":"200001","datetime":"2022-12-01T15:45:00Z"}"#;

fn run(answers: Vec<Answer>, options: &str) -> (Result<Json, KassaError>, Vec<String>, Vec<u64>) {
    let (result, calls, sleeps, unused) = run_allowing_leftovers(answers, options);
    assert_eq!(unused, 0, "unused answers");
    (result, calls, sleeps)
}

fn run_allowing_leftovers(
    answers: Vec<Answer>,
    options: &str,
) -> (Result<Json, KassaError>, Vec<String>, Vec<u64>, usize) {
    let client = client();
    let flow_def = client.provider.flow("payUntilFinal").unwrap();
    let mut flow = (flow_def.create)(
        &client,
        json::parse(PARAMS).unwrap(),
        json::parse(options).unwrap(),
    )
    .unwrap();
    let answers = RefCell::new(VecDeque::from(answers));
    let calls = RefCell::new(Vec::new());
    let mut sleeps = Vec::new();
    let mut now = 1_000_000i64;
    let result = run_blocking(
        flow.as_mut(),
        now,
        |operation, params| {
            calls.borrow_mut().push(operation.to_string());
            assert_eq!(
                params.get("external_id").and_then(Json::as_str),
                Some("200001")
            );
            match answers.borrow_mut().pop_front().expect("unexpected call") {
                Answer::Body(expected, body) => {
                    assert_eq!(operation, expected);
                    client.parse(operation, &HttpResponse::new(200, body))
                }
                Answer::Error(expected, error) => {
                    assert_eq!(operation, expected);
                    Err(error)
                }
            }
        },
        |ms| {
            sleeps.push(ms);
            now += ms as i64;
            now
        },
    );
    let unused = answers.borrow().len();
    (result, calls.into_inner(), sleeps, unused)
}

fn outcome(result: &Result<Json, KassaError>) -> &str {
    result
        .as_ref()
        .unwrap()
        .get("outcome")
        .and_then(Json::as_str)
        .unwrap()
}

fn cash_ins(calls: &[String]) -> usize {
    calls.iter().filter(|c| *c == "cashIn").count()
}

#[test]
fn immediate_success() {
    let (result, calls, sleeps) = run(
        vec![Answer::Body("cashIn", fixture("cash-in-success.json"))],
        "{}",
    );
    assert_eq!(outcome(&result), "success");
    assert_eq!(calls, ["cashIn"]);
    assert!(sleeps.is_empty());
}

#[test]
fn pending_pending_success_polls_status_with_growing_intervals() {
    let (result, calls, sleeps) = run(
        vec![
            Answer::Body("cashIn", pending("7")),
            Answer::Body("status", pending("5")),
            Answer::Body("status", success()),
        ],
        "{}",
    );
    assert_eq!(outcome(&result), "success");
    assert_eq!(calls, ["cashIn", "status", "status"]);
    assert_eq!(sleeps.len(), 2);
    assert!(sleeps[1] > sleeps[0]);
}

#[test]
fn pending_then_failed() {
    let (result, calls, _) = run(
        vec![
            Answer::Body("cashIn", pending("1")),
            Answer::Body("status", failed()),
        ],
        "{}",
    );
    assert_eq!(outcome(&result), "failed");
    assert_eq!(
        result
            .unwrap()
            .pointer(&["data", "fail_reason", "code"])
            .and_then(Json::as_i64),
        Some(100)
    );
    assert_eq!(cash_ins(&calls), 1);
}

#[test]
fn pending_past_the_deadline_is_an_unknown_outcome_carrying_the_external_id() {
    let mut answers = vec![Answer::Body("cashIn", pending("7"))];
    for _ in 0..20 {
        answers.push(Answer::Body("status", pending("5")));
    }
    let (result, calls, sleeps, unused) =
        run_allowing_leftovers(answers, r#"{"deadlineMs":10000}"#);
    assert!(unused > 0, "stopped polling at the deadline");
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownOutcome);
    assert_eq!(
        e.info().reference.get("external_id").and_then(Json::as_str),
        Some("200001")
    );
    assert!(e.message().contains("200001"));
    assert_eq!(cash_ins(&calls), 1);
    assert!(sleeps.iter().sum::<u64>() <= 10_000);
    assert!(calls.len() >= 4);
}

#[test]
fn duplicate_1042_is_resolved_through_status_not_paid_again() {
    let (result, calls, _) = run(
        vec![
            Answer::Body("cashIn", fixture("expected-error-1042.json")),
            Answer::Body("status", success()),
        ],
        "{}",
    );
    assert_eq!(outcome(&result), "success");
    assert_eq!(calls, ["cashIn", "status"]);
}

#[test]
fn a_lost_cash_in_is_asked_about_never_guessed() {
    let (result, calls, _) = run(
        vec![
            Answer::Error("cashIn", lost()),
            Answer::Body("status", success()),
        ],
        "{}",
    );
    assert_eq!(outcome(&result), "success");
    assert_eq!(calls, ["cashIn", "status"]);
}

#[test]
fn order_not_found_after_a_lost_cash_in_allows_the_one_documented_repeat() {
    let (result, calls, _) = run(
        vec![
            Answer::Error("cashIn", lost()),
            Answer::Body("status", fixture("legacy-status-1041.json")),
            Answer::Body("cashIn", fixture("cash-in-success.json")),
        ],
        "{}",
    );
    assert_eq!(outcome(&result), "success");
    assert_eq!(calls, ["cashIn", "status", "cashIn"]);
}

#[test]
fn status_6_needs_support_and_stops_without_repeating() {
    let (result, calls, _) = run(vec![Answer::Body("cashIn", pending("6"))], "{}");
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownOutcome);
    assert!(e.message().contains("support@tarlanpayments.kz"));
    assert_eq!(calls, ["cashIn"]);
}

#[test]
fn a_refused_cash_in_ends_the_flow_without_polling() {
    let refusal = fixture("balance-error-after.json");
    let (result, calls, _) = run(vec![Answer::Body("cashIn", refusal)], "{}");
    assert_eq!(
        result.unwrap_err().code().and_then(|c| c.as_i64()),
        Some(8015)
    );
    assert_eq!(calls, ["cashIn"]);
}

#[test]
fn the_flow_requires_an_external_id() {
    let client = client();
    let flow_def = client.provider.flow("payUntilFinal").unwrap();
    let e = (flow_def.create)(
        &client,
        json::parse(r#"{"username":"1","amount":1}"#).unwrap(),
        Json::Null,
    )
    .err()
    .unwrap();
    assert_eq!(e.info().field.as_deref(), Some("external_id"));
}

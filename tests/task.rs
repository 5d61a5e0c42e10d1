//! The task a driver runs for `call()` and for a flow (src/task.rs), driven with scripted
//! events (no network): a flow's calls go through the transport rules, the caller's
//! AbortSignal ends a call before it is sent and a flow while it waits, a runtime without
//! `fetch` ends the whole task, and the protocol the JavaScript driver speaks reads every event.

mod common;
use kassa::json::{self, Json};
use kassa::task::{protocol, Env, Event, Task};
use kassa::transport::{CallOptions, CallStep, Observed};
use kassa::{Client, ErrorKind, HttpResponse, KassaError};

const NOW: i64 = 1_669_909_500_000;
const ENV: Env = Env {
    now_ms: NOW,
    random: 0.5,
};
const CASH_IN: &str = r#"{"username":"989898","amount":100,"service_code":"201106","external_id":"200001","datetime":"2022-12-01T15:45:00Z"}"#;

fn answer(name: &str) -> Event {
    Event::Sent(Observed::Response(HttpResponse::new(
        200,
        common::fixture("agws", name),
    )))
}

/// A cash-in or status answering "pending" (status_code 7) instead of the fixture's success
/// (as tests/agws_flow.rs scripts it).
fn pending() -> Event {
    let body = common::fixture("agws", "status-success.fixture-ready.json").replace(
        r#""status_code":"2","status_message":"Transaction successfully processed""#,
        r#""status_code":"7","status_message":"x""#,
    );
    Event::Sent(Observed::Response(HttpResponse::new(200, body)))
}

fn sent_path(step: &CallStep) -> String {
    match step {
        CallStep::Send { request, .. } => request.url.clone(),
        other => panic!("expected a send, got {other:?}"),
    }
}

fn error(step: CallStep) -> KassaError {
    match step {
        CallStep::Done(Err(e)) => e,
        other => panic!("expected an error, got {other:?}"),
    }
}

fn pay_until_final(client: &Client) -> Task<&Client> {
    Task::flow(
        client,
        "payUntilFinal",
        json::parse(CASH_IN).unwrap(),
        json::parse(r#"{"pollIntervalMs":1000}"#).unwrap(),
    )
    .unwrap()
}

#[test]
fn a_flow_sends_its_calls_sleeps_between_polls_and_ends_with_the_final_state() {
    let client = common::agws_client();
    let mut task = pay_until_final(&client);
    let cash_in = task.step(Event::Start, ENV);
    assert!(sent_path(&cash_in).ends_with("/cash-in"), "{cash_in:?}");
    match task.step(pending(), ENV) {
        CallStep::Sleep { ms } => assert_eq!(ms, 1000),
        other => panic!("a pending cash-in waits before the first poll, got {other:?}"),
    }
    let poll = task.step(Event::Woke { aborted: false }, ENV);
    assert!(sent_path(&poll).ends_with("/status"), "{poll:?}");
    match task.step(pending(), ENV) {
        CallStep::Sleep { .. } => {}
        other => panic!("a pending status waits, got {other:?}"),
    }
    let again = task.step(Event::Woke { aborted: false }, ENV);
    assert!(sent_path(&again).ends_with("/status"));
    match task.step(answer("status-success.fixture-ready.json"), ENV) {
        CallStep::Done(Ok(result)) => {
            assert_eq!(
                result.pointer(&["outcome"]).and_then(Json::as_str),
                Some("success"),
                "{}",
                result.to_compact()
            );
        }
        other => panic!("expected the final state, got {other:?}"),
    }
}

#[test]
fn an_abort_ends_a_call_before_it_is_sent_and_a_flow_while_it_waits() {
    let client = common::agws_client();
    let mut call = Task::call(
        &client,
        "balance",
        json::parse("{}").unwrap(),
        CallOptions::default(),
        NOW,
    )
    .unwrap();
    call.step(Event::Start, ENV);
    let e = error(call.step(Event::AbortedBeforeSending, ENV));
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(
        e.message().contains("before it was sent"),
        "{}",
        e.message()
    );
    assert_eq!(e.info().operation, Some("balance"));
    assert_eq!(e.info().provider, Some("agws"));

    let mut flow = pay_until_final(&client);
    flow.step(Event::Start, ENV);
    let mut step = flow.step(pending(), ENV);
    while let CallStep::Send { .. } = step {
        step = flow.step(pending(), ENV);
    }
    assert!(matches!(step, CallStep::Sleep { .. }), "{step:?}");
    let e = error(flow.step(Event::Woke { aborted: true }, ENV));
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(
        e.message()
            .starts_with("payUntilFinal was aborted by its AbortSignal while waiting"),
        "{}",
        e.message()
    );
    assert_eq!(e.info().provider, Some("agws"));
    assert_eq!(e.info().operation, None);
}

#[test]
fn without_fetch_the_whole_flow_ends_with_a_config_error() {
    let client = common::agws_client();
    let mut flow = pay_until_final(&client);
    flow.step(Event::Start, ENV);
    let e = error(flow.step(Event::NoFetch, ENV));
    assert_eq!(e.kind(), ErrorKind::Config);
    assert_eq!(e.info().field.as_deref(), Some("fetch"));
}

#[test]
fn a_call_of_a_flow_refused_before_sending_is_the_flows_to_handle() {
    // The task hands the refused cash-in to the flow as that call's error; the flow decides
    // (pay-until-final asks `status` whether the payment exists before it says anything).
    let client = common::agws_client();
    let mut flow = pay_until_final(&client);
    flow.step(Event::Start, ENV);
    let next = flow.step(Event::AbortedBeforeSending, ENV);
    assert!(sent_path(&next).ends_with("/status"), "{next:?}");
}

#[test]
fn building_a_task_validates_before_anything_is_sent() {
    let client = common::agws_client();
    let e = Task::call(
        &client,
        "cashIn",
        json::parse("{}").unwrap(),
        CallOptions::default(),
        NOW,
    )
    .err()
    .unwrap();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.info().operation, Some("cashIn"));
    let e = Task::flow(&client, "payLater", Json::Null, Json::Null)
        .err()
        .unwrap();
    assert_eq!(e.info().field.as_deref(), Some("flow"));
    let e = Task::flow(
        &client,
        "payUntilFinal",
        json::parse(CASH_IN).unwrap(),
        json::parse(r#"{"maxRetries":11}"#).unwrap(),
    )
    .err()
    .unwrap();
    assert_eq!(e.info().field.as_deref(), Some("options.maxRetries"));
}

#[test]
fn the_driver_protocol_reads_every_event_and_writes_every_step() {
    let read = |text: &str| protocol::event_from_json(text, "body".into()).unwrap();
    match read(r#"{"type":"response","status":503,"headers":[["Retry-After","2"],["x",1]]}"#) {
        Event::Sent(Observed::Response(r)) => {
            assert_eq!(r.status, 503);
            assert_eq!(r.headers, [("retry-after".to_string(), "2".to_string())]);
            assert_eq!(r.body, "body");
        }
        other => panic!("{other:?}"),
    }
    match read(
        r#"{"type":"networkError","message":"fetch failed: ECONNREFUSED","maybeSent":false}"#,
    ) {
        Event::Sent(Observed::NetworkError {
            message,
            maybe_sent,
        }) => {
            assert_eq!(message, "fetch failed: ECONNREFUSED");
            assert!(!maybe_sent);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        read(r#"{"type":"timedOut"}"#),
        Event::Sent(Observed::TimedOut)
    ));
    assert!(matches!(
        read(r#"{"type":"aborted"}"#),
        Event::Sent(Observed::Aborted)
    ));
    assert!(matches!(
        read(r#"{"type":"abortedBeforeSending"}"#),
        Event::AbortedBeforeSending
    ));
    assert!(matches!(read(r#"{"type":"noFetch"}"#), Event::NoFetch));
    assert!(matches!(
        read(r#"{"type":"woke","aborted":true}"#),
        Event::Woke { aborted: true }
    ));
    assert!(matches!(read(r#"{"type":"start"}"#), Event::Start));
    let e = protocol::event_from_json(r#"{"type":"later"}"#, String::new()).unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("event.type"));
    assert_eq!(
        protocol::step_to_json(CallStep::Sleep { ms: 250 }).unwrap(),
        r#"{"type":"sleep","ms":250}"#
    );
    assert_eq!(
        protocol::step_to_json(CallStep::Done(Ok(Json::Bool(true)))).unwrap(),
        r#"{"type":"done","result":true}"#
    );
    let refused = KassaError::validation("x", "is wrong");
    assert_eq!(
        protocol::step_to_json(CallStep::Done(Err(refused.clone()))).unwrap_err(),
        refused
    );
}

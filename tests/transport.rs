//! The transport's money rules, driven with scripted attempts (no network): what is retried,
//! what becomes `unknown_outcome`, how a duplicate is resolved through `status`.

use kassa::json::{self, Json};
use kassa::operation::BuildCtx;
use kassa::tarlan::agws;
use kassa::transport::{self, Call, CallOptions, Observed};
use kassa::{Client, ErrorKind, HttpRequest, HttpResponse, KassaError};
use std::collections::VecDeque;

const CTX: BuildCtx = BuildCtx {
    now_ms: Some(1_669_909_500_000),
};

fn client() -> Client {
    Client::new(
        &agws::PROVIDER,
        json::parse(r#"{"secret":"12345","agent":"tarlan","project":"mobile"}"#).unwrap(),
    )
    .unwrap()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/agws/{name}")).unwrap()
}

fn ok(name: &str) -> Observed {
    Observed::Response(HttpResponse::new(200, fixture(name)))
}

fn html502() -> Observed {
    Observed::Response(HttpResponse::new(
        502,
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
    ))
}

struct Script {
    answers: VecDeque<Observed>,
    sent: Vec<HttpRequest>,
    slept: Vec<u64>,
}

fn run(
    op: &str,
    params: &str,
    options: CallOptions,
    answers: Vec<Observed>,
) -> (Result<Json, KassaError>, Script) {
    let client = client();
    let mut script = Script {
        answers: answers.into(),
        sent: Vec::new(),
        slept: Vec::new(),
    };
    let result = match Call::new(&client, op, json::parse(params).unwrap(), options, &CTX) {
        Ok(call) => transport::run_blocking(
            call,
            &CTX,
            |request, _timeout| {
                script.sent.push(request.clone());
                script
                    .answers
                    .pop_front()
                    .expect("the script ran out of answers: an unexpected send")
            },
            |ms| script.slept.push(ms),
        ),
        Err(e) => Err(e),
    };
    assert!(
        script.answers.is_empty(),
        "unused scripted answers: {:?}",
        script.answers
    );
    (result, script)
}

const STATUS: &str = r#"{"service_code":"201106","external_id":"200001"}"#;
const CASH_IN: &str = r#"{"username":"989898","amount":100,"service_code":"201106","external_id":"200001","datetime":"2022-12-01T15:45:00Z"}"#;
const CONFIRM: &str = r#"{"confirm_code":"104000","external_id":"200001"}"#;

fn paths(script: &Script) -> Vec<&str> {
    script
        .sent
        .iter()
        .map(|r| r.url.rsplit('/').next().unwrap())
        .collect()
}

#[test]
fn reads_retry_gateway_errors_timeouts_and_network_errors_with_growing_backoff() {
    let net = Observed::NetworkError {
        message: "fetch failed".into(),
        maybe_sent: true,
    };
    let (result, script) = run(
        "status",
        STATUS,
        CallOptions::default(),
        vec![
            html502(),
            Observed::TimedOut,
            ok("status-success.fixture-ready.json"),
        ],
    );
    assert_eq!(
        result.unwrap().get("outcome").and_then(Json::as_str),
        Some("success")
    );
    assert_eq!(script.sent.len(), 3);
    assert_eq!(
        script.sent[0], script.sent[2],
        "a retry sends the same bytes"
    );
    assert_eq!(script.slept.len(), 2);
    assert!(
        script.slept[1] > script.slept[0],
        "backoff grows: {:?}",
        script.slept
    );
    let (result, script) = run(
        "status",
        STATUS,
        CallOptions::default(),
        vec![net.clone(), net.clone(), net],
    );
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.info().retryable);
    assert_eq!(script.sent.len(), 3, "default maxRetries is 2");
}

#[test]
fn timeouts_of_a_read_end_as_timeout_errors_and_max_retries_is_honoured() {
    let (result, script) = run(
        "status",
        STATUS,
        CallOptions {
            max_retries: Some(0),
            timeout_ms: Some(1500),
        },
        vec![Observed::TimedOut],
    );
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.message().contains("1500 ms"));
    assert_eq!(script.sent.len(), 1);
}

#[test]
fn retry_after_is_honoured_on_429() {
    let mut limited = HttpResponse::new(
        429,
        r#"{"status":false,"status_code":429,"message":"Too Many Requests","result":{}}"#,
    );
    limited.headers.push(("retry-after".into(), "3".into()));
    let (result, script) = run(
        "status",
        STATUS,
        CallOptions::default(),
        vec![
            Observed::Response(limited),
            ok("status-success.fixture-ready.json"),
        ],
    );
    assert!(result.is_ok());
    assert_eq!(script.slept, [3000]);
}

#[test]
fn money_moving_requests_are_never_resent_once_they_may_have_landed() {
    let cases: Vec<(Observed, &str)> = vec![
        (Observed::TimedOut, "no complete answer"),
        (
            Observed::NetworkError {
                message: "socket hang up".into(),
                maybe_sent: true,
            },
            "connection failed",
        ),
        (html502(), "HTTP 502"),
        (
            Observed::Response(HttpResponse::new(
                500,
                r#"{"status":false,"status_code":500,"message":"Internal Server Error","result":{}}"#,
            )),
            "HTTP 500",
        ),
        (
            Observed::Response(HttpResponse::new(
                200,
                r#"{"status":true,"result":{"is_succ"#,
            )),
            "could not be read",
        ),
        (Observed::Aborted, "aborted"),
    ];
    for (answer, text) in cases {
        let (result, script) = run(
            "confirmInvoice",
            CONFIRM,
            CallOptions::default(),
            vec![answer],
        );
        let e = result.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownOutcome, "{text}: {e}");
        assert!(e.message().contains(text), "{e}");
        assert_eq!(
            e.info().reference.get("external_id").and_then(Json::as_str),
            Some("200001")
        );
        assert!(e.message().contains("`status`"), "says how to resolve: {e}");
        assert_eq!(script.sent.len(), 1, "never re-sent");
        assert_eq!(e.info().operation, Some("confirmInvoice"));
    }
}

#[test]
fn a_request_that_provably_never_left_may_be_retried_even_when_it_moves_money() {
    let refused = Observed::NetworkError {
        message: "connect ECONNREFUSED".into(),
        maybe_sent: false,
    };
    let (result, script) = run(
        "confirmInvoice",
        CONFIRM,
        CallOptions::default(),
        vec![refused, ok("confirm-invoice.json")],
    );
    assert!(result.is_ok());
    assert_eq!(script.sent.len(), 2);
}

#[test]
fn a_lost_cash_in_is_repeated_with_the_same_external_id_and_a_duplicate_is_resolved_through_status()
{
    let (result, script) = run(
        "cashIn",
        CASH_IN,
        CallOptions::default(),
        vec![
            Observed::TimedOut,
            ok("expected-error-1042.json"),
            ok("status-success.fixture-ready.json"),
        ],
    );
    let result = result.unwrap();
    assert_eq!(
        result.get("outcome").and_then(Json::as_str),
        Some("success")
    );
    assert_eq!(paths(&script), ["cash-in", "cash-in", "status"]);
    assert_eq!(
        script.sent[0].body, script.sent[1].body,
        "the repeat is byte-identical (same external_id and datetime)"
    );
    assert_eq!(
        json::parse(script.sent[2].body.as_deref().unwrap())
            .unwrap()
            .get("external_id")
            .and_then(Json::as_str),
        Some("200001")
    );
}

#[test]
fn a_duplicate_on_the_first_attempt_is_reported_not_resolved() {
    let (result, script) = run(
        "cashIn",
        CASH_IN,
        CallOptions::default(),
        vec![ok("expected-error-1042.json")],
    );
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert_eq!(e.code().and_then(|c| c.as_i64()), Some(1042));
    assert!(e.message().contains("ask `status`"));
    assert_eq!(script.sent.len(), 1);
}

#[test]
fn validation_errors_happen_before_anything_is_sent() {
    let client = client();
    let e = Call::new(
        &client,
        "cashIn",
        json::parse(r#"{"username":"1"}"#).unwrap(),
        CallOptions::default(),
        &CTX,
    )
    .err()
    .unwrap();
    assert_eq!(e.kind(), ErrorKind::Validation);
    let e = CallOptions::from_json(&json::parse(r#"{"timeoutMs":-1}"#).unwrap()).unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("options.timeoutMs"));
}

#[test]
fn backoff_is_capped_and_jittered() {
    let policy = kassa::retry::Policy::default();
    assert_eq!(policy.backoff_ms(0, 0.0), 125);
    assert_eq!(policy.backoff_ms(0, 1.0), 250);
    assert_eq!(policy.backoff_ms(3, 1.0), 2000);
    assert_eq!(policy.backoff_ms(30, 1.0), 10_000);
    assert!(policy.backoff_ms(30, 0.0) >= 5_000);
}

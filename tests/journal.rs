//! The payment journal's lifecycle, driven natively with scripted answers (no network, no
//! database): a toy store with the same conditional writes as the SQL stores, and provider
//! answers parsed from the spec fixtures. Like tests/transport.rs for the transport.

mod common;

use common::fixture;
use kassa::journal::{self, Action, Clock, Event, Record, Stage, State};
use kassa::json::{self, Json, Map};
use kassa::operation::BuildCtx;
use kassa::transport::{self, Call, CallOptions, Observed};
use kassa::{Client, ErrorKind, HttpResponse, KassaError};
use std::collections::{BTreeMap, VecDeque};

const LEASE: i64 = 60_000;
const T0: i64 = 1_700_000_000_000;

fn client(provider: &str, options: &str) -> Client {
    Client::new(
        kassa::provider(provider).unwrap(),
        json::parse(options).unwrap(),
    )
    .unwrap()
}

fn agws() -> Client {
    client(
        "agws",
        r#"{"secret":"12345","agent":"tarlan","project":"mobile"}"#,
    )
}

fn acquiring() -> Client {
    client(
        "acquiring",
        r#"{"secret":"acq-secret","merchantId":1,"projectId":42}"#,
    )
}

fn fiscalbox() -> Client {
    client(
        "fiscalbox",
        r#"{"baseUrl":"http://192.168.1.50:8080","walletAmountUnit":"tiyin","maxTimeSkewMinutes":0}"#,
    )
}

/// A provider answer: the operation it must answer, and what the client parsed.
type Answer = (&'static str, Result<Json, KassaError>);

fn answer(client: &Client, op: &'static str, status: u16, body: &str) -> Answer {
    (
        op,
        client.parse(op, &HttpResponse::new(status, body.to_string())),
    )
}

/// The toy store and the provider's scripted answers.
struct World<'c> {
    client: &'c Client,
    store: BTreeMap<String, Record>,
    answers: VecDeque<Answer>,
    /// Every operation called, in order.
    calls: Vec<(String, Json)>,
    now: i64,
    /// Stop (as a crash would) right after the action of this stage.
    crash_after: Option<Stage>,
}

impl<'c> World<'c> {
    fn new(client: &'c Client) -> World<'c> {
        World {
            client,
            store: BTreeMap::new(),
            answers: VecDeque::new(),
            calls: Vec::new(),
            now: T0,
            crash_after: None,
        }
    }

    fn script(&mut self, answers: Vec<Answer>) {
        self.answers.extend(answers);
    }

    /// Runs one record's steps to the end, performing each action; returns the final record
    /// and value, or the error a step raised.
    fn drive(
        &mut self,
        record: Option<Record>,
        event: Event,
    ) -> Result<(Option<Record>, Json), KassaError> {
        let mut record = record;
        let mut event = event;
        for _ in 0..64 {
            let clock = Clock {
                now_ms: self.now,
                lease_ms: LEASE,
            };
            let step = journal::step(self.client, record.clone(), event, clock)?;
            let proposed = step.record.clone();
            event = match step.action {
                Action::Insert => {
                    let proposed = proposed.unwrap();
                    match self.store.get(&proposed.key) {
                        Some(existing) => {
                            record = Some(proposed);
                            Event::Exists {
                                existing: existing.clone(),
                            }
                        }
                        None => {
                            self.store.insert(proposed.key.clone(), proposed.clone());
                            record = Some(proposed);
                            Event::Inserted
                        }
                    }
                }
                Action::Write {
                    stage,
                    expect_version,
                    expect_state,
                    takeover,
                } => {
                    let next = proposed.unwrap();
                    let stored = self.store.get(&next.key).cloned().unwrap();
                    let allowed = stored.version == expect_version
                        && stored.state == expect_state
                        && (!takeover || !stored.leased(self.now));
                    if allowed {
                        self.store.insert(next.key.clone(), next.clone());
                        record = Some(next);
                        if self.crash_after == Some(stage) {
                            return Ok((record, Json::str("crashed")));
                        }
                        Event::Written { stage }
                    } else {
                        record = Some(next);
                        Event::Conflict {
                            stage,
                            current: Some(stored),
                        }
                    }
                }
                Action::Call {
                    stage,
                    operation,
                    params,
                    options,
                } => {
                    // Every call is made with the options that keep it within the lease.
                    assert_eq!(
                        Ok(options),
                        journal::check_lease(self.client, LEASE),
                        "{operation}"
                    );
                    self.calls.push((operation.to_string(), params));
                    record = proposed;
                    if self.crash_after == Some(stage) {
                        // Sent; the process died before the answer arrived.
                        return Ok((record, Json::str("crashed")));
                    }
                    let (expected, result) = self
                        .answers
                        .pop_front()
                        .unwrap_or_else(|| panic!("an unexpected call of {operation}"));
                    assert_eq!(
                        operation, expected,
                        "the journal called another operation than scripted"
                    );
                    match result {
                        Ok(result) => Event::Answered { stage, result },
                        Err(error) => Event::Failed {
                            stage,
                            error: error.to_json(),
                        },
                    }
                }
                Action::Find { .. } => panic!("no callback here"),
                Action::Done { value } => return Ok((proposed, value)),
            };
        }
        panic!("the journal did not finish within 64 steps")
    }

    /// Pays as a process that dies right after the action of `stage`.
    fn pay_and_die(&mut self, stage: Stage, op: &str, params: &str) -> Record {
        self.crash_after = Some(stage);
        let record = self.pay(op, params).unwrap();
        self.crash_after = None;
        record
    }

    fn pay(&mut self, op: &str, params: &str) -> Result<Record, KassaError> {
        self.pay_with(op, params, None, Map::new())
    }

    fn pay_with(
        &mut self,
        op: &str,
        params: &str,
        key: Option<&str>,
        lookup: Map,
    ) -> Result<Record, KassaError> {
        let event = Event::Pay {
            operation: op.into(),
            params: json::parse(params).unwrap(),
            key: key.map(str::to_string),
            lookup,
        };
        self.drive(None, event).map(|(r, _)| r.unwrap())
    }

    fn reconcile(&mut self, key: &str) -> Record {
        let record = self.store.get(key).cloned().unwrap();
        self.drive(Some(record), Event::Reconcile)
            .unwrap()
            .0
            .unwrap()
    }

    fn sends_of(&self, op: &str) -> usize {
        self.calls.iter().filter(|(o, _)| o == op).count()
    }

    fn done(&self) {
        assert!(
            self.answers.is_empty(),
            "unused scripted answers: {:?}",
            self.answers
        );
    }
}

fn lookup(pairs: &[(&str, &str)]) -> Map {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Json::str(*v)))
        .collect()
}

fn agws_status(client: &Client, code: &str) -> Answer {
    agws_status_as(client, "status", code)
}

/// The documented payment answer (spec/tarlan-agws.md, cash-in-success.json) of `op`, with its
/// transaction status set.
fn agws_status_as(client: &Client, op: &'static str, code: &str) -> Answer {
    let body = fixture("agws", "cash-in-success.json").replace(
        "\"status_code\": \"2\"",
        &format!("\"status_code\": \"{code}\""),
    );
    answer(client, op, 200, &body)
}

/// The documented cash-in answer (spec/tarlan-agws.md §2.3).
fn cash_in_success(client: &Client) -> Answer {
    answer(
        client,
        "cashIn",
        200,
        &fixture("agws", "cash-in-success.json"),
    )
}

const CASH_IN: &str =
    r#"{"username":"989898","amount":"1500.50","service_code":"201106","external_id":"200001"}"#;
const CASH_IN_KEY: &str = "agws:cashIn:200001";

/// A one-click payment (spec/tarlan-acquiring.md §3.4): money-moving, never re-sent.
const ONE_CLICK: &str = r#"{"amount":990,"card_token":"tok","project_client_id":"user-7","project_reference_id":"order-1","description":"One click"}"#;
const ONE_CLICK_KEY: &str = "acquiring:oneClickPayIn:order-1";

/// Acquiring's "transaction not found" (error-5103.json) answering `status`.
fn not_found(client: &Client) -> Answer {
    answer(
        client,
        "status",
        400,
        &fixture("acquiring", "error-5103.json"),
    )
}

/// A one-click payment claimed but never sent (the process died), then settled a lease later
/// through a status that does not know it: failed, never performed.
fn one_click_never_sent(world: &mut World, client: &Client) -> Record {
    world.pay_and_die(Stage::Sending, "oneClickPayIn", ONE_CLICK);
    world.now += LEASE;
    world.script(vec![not_found(client)]);
    world.reconcile(ONE_CLICK_KEY)
}

#[test]
fn a_payment_is_recorded_claimed_sent_and_its_answer_recorded() {
    let client = agws();
    let mut world = World::new(&client);
    world.script(vec![cash_in_success(&client)]);
    let record = world.pay("cashIn", CASH_IN).unwrap();
    assert_eq!(record.key, CASH_IN_KEY);
    assert_eq!(record.state, State::Success);
    assert_eq!(record.attempts, 1);
    assert_eq!(record.lease_until, None, "a settled record holds no lease");
    assert_eq!(
        record.version, 3,
        "inserted, claimed for sending, answer recorded"
    );
    assert_eq!(
        record
            .result
            .pointer(&["data", "status_code"])
            .and_then(Json::as_str),
        Some("2")
    );
    assert_eq!(world.store[CASH_IN_KEY], record);
    world.done();
}

#[test]
fn the_same_key_again_sends_nothing_new_and_a_different_amount_is_refused() {
    let client = agws();
    let mut world = World::new(&client);
    world.script(vec![cash_in_success(&client)]);
    world.pay("cashIn", CASH_IN).unwrap();
    world.now += 1_000;
    let again = world.pay("cashIn", CASH_IN).unwrap();
    assert_eq!(again.state, State::Success);
    assert_eq!(world.sends_of("cashIn"), 1);
    let error = world
        .pay("cashIn", &CASH_IN.replace("1500.50", "99.00"))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
    assert_eq!(error.info().field.as_deref(), Some("amount"));
    assert!(error.message().contains(CASH_IN_KEY), "{}", error.message());
    world.done();
}

#[test]
fn a_record_someone_holds_is_returned_as_it_is_and_taken_over_once_its_lease_expired() {
    let client = agws();
    let mut world = World::new(&client);
    // A process recorded it and died before claiming it.
    let record = world.pay_and_die(Stage::Sending, "cashIn", CASH_IN);
    assert_eq!(record.state, State::Sending);
    assert_eq!(world.sends_of("cashIn"), 0);
    // Within the lease another process gets the record back untouched.
    world.now += LEASE - 1;
    assert_eq!(world.pay("cashIn", CASH_IN).unwrap().state, State::Sending);
    assert_eq!(world.calls.len(), 0);
    // After it, the status path shows whether it arrived: 1041, never; AGWS deduplicates on
    // external_id, so it is sent (once).
    world.now += 2;
    world.script(vec![
        answer(
            &client,
            "status",
            200,
            &fixture("agws", "legacy-status-1041.json"),
        ),
        cash_in_success(&client),
    ]);
    let settled = world.reconcile(CASH_IN_KEY);
    assert_eq!(settled.state, State::Success);
    assert_eq!(settled.attempts, 2);
    assert_eq!(world.sends_of("cashIn"), 1);
    world.done();
}

#[test]
fn an_unknown_outcome_waits_a_lease_then_settles_through_status_without_a_resend() {
    let client = agws();
    let mut world = World::new(&client);
    let timeout = KassaError::new(ErrorKind::UnknownOutcome, "no answer within 10000 ms");
    world.script(vec![("cashIn", Err(timeout))]);
    let record = world.pay("cashIn", CASH_IN).unwrap();
    assert_eq!(record.state, State::Unknown);
    assert_eq!(
        record.lease_until,
        Some(T0 + LEASE),
        "not settled while AGWS may still be working on it"
    );
    assert_eq!(world.reconcile(CASH_IN_KEY).state, State::Unknown);
    world.now += LEASE;
    world.script(vec![agws_status(&client, "2")]);
    let settled = world.reconcile(CASH_IN_KEY);
    assert_eq!(settled.state, State::Success);
    assert_eq!(settled.outcome.map(|o| o.as_str()), Some("success"));
    assert_eq!(world.sends_of("cashIn"), 1, "performed: never sent again");
    world.done();
}

#[test]
fn a_pending_payment_is_followed_to_its_end() {
    let client = agws();
    let mut world = World::new(&client);
    world.script(vec![agws_status_as(&client, "cashIn", "7")]);
    assert_eq!(world.pay("cashIn", CASH_IN).unwrap().state, State::Pending);
    world.script(vec![agws_status(&client, "7")]);
    assert_eq!(world.reconcile(CASH_IN_KEY).state, State::Pending);
    world.script(vec![agws_status(&client, "4")]);
    let failed = world.reconcile(CASH_IN_KEY);
    assert_eq!(failed.state, State::Failed);
    assert_eq!(
        world.reconcile(CASH_IN_KEY),
        failed,
        "a final record is left alone"
    );
    world.done();
}

#[test]
fn a_money_moving_request_the_provider_never_saw_is_failed_not_resent() {
    let client = acquiring();
    let mut world = World::new(&client);
    let settled = one_click_never_sent(&mut world, &client);
    assert_eq!(settled.state, State::Failed);
    assert_eq!(
        settled.error.pointer(&["details", "neverPerformed"]),
        Some(&Json::Bool(true))
    );
    assert_eq!(
        world.sends_of("oneClickPayIn"),
        0,
        "it does not deduplicate: never re-sent"
    );
    assert_eq!(
        world.calls[0].1.get("type").and_then(Json::as_str),
        Some("one_click_pay_in")
    );
    world.done();
}

#[test]
fn a_wallet_payment_whose_answer_was_lost_stays_unknown_and_is_never_presented_again() {
    // FiscalBox has no status call for wallet payments (spec/fiscalbox.md §1), and no source
    // says the customer's QR code is single use: presenting it again could charge twice.
    let client = fiscalbox();
    let mut world = World::new(&client);
    let params = r#"{"amount":5000000,"qr_code":"880101698207133392"}"#;
    let key = "fiscalbox:click:880101698207133392";
    world.script(vec![(
        "click",
        Err(KassaError::new(
            ErrorKind::UnknownOutcome,
            "the connection failed",
        )),
    )]);
    assert_eq!(world.pay("click", params).unwrap().state, State::Unknown);
    for _ in 0..2 {
        world.now += LEASE;
        let settled = world.reconcile(key);
        assert_eq!(settled.state, State::Unknown);
        assert_eq!(settled.attempts, 1);
        let message = settled.error.to_compact();
        assert!(message.contains("merchant cabinet"), "{message}");
    }
    assert_eq!(world.sends_of("click"), 1);
    world.done();
}

/// The short report's layout is not published (the spec's example reads "<printed report
/// text>"); this is the emulator's (pkg/emulator/fiscalbox.mjs), whose `Операций: N` line
/// kassa reads.
fn short_report(client: &Client, count: u32) -> Answer {
    let text = format!("Краткий отчет\\nТерминал: 09110004\\nОпераций: {count}\\nИтого: 0.00 UZS");
    let body = fixture("fiscalbox", "pinpad-shortreport-success.json")
        .replace("<printed report text>", &text);
    answer(client, "humoShortReport", 200, &body)
}

#[test]
fn a_pin_pad_payment_compares_the_short_report_count_before_and_after() {
    let client = fiscalbox();
    let key = "fiscalbox:humo:sale-1";
    for (after, expected) in [(4, State::Success), (3, State::Failed), (6, State::Unknown)] {
        let mut world = World::new(&client);
        world.script(vec![short_report(&client, 3)]);
        world.crash_after = Some(Stage::Send);
        let record = world
            .pay_with("humo", r#"{"amount":100000}"#, Some("sale-1"), Map::new())
            .unwrap();
        assert_eq!(
            record.baseline.as_i64(),
            Some(3),
            "the count was recorded before sending"
        );
        assert_eq!(record.state, State::Sending);
        world.crash_after = None;
        world.now += LEASE;
        world.script(vec![short_report(&client, after)]);
        assert_eq!(world.reconcile(key).state, expected, "count 3 → {after}");
        assert_eq!(world.sends_of("humo"), 1);
        world.done();
    }
    // The spec's own report carries no count: nothing is sent, since a lost answer could not be settled.
    let mut world = World::new(&client);
    world.script(vec![answer(
        &client,
        "humoShortReport",
        200,
        &fixture("fiscalbox", "pinpad-shortreport-success.json"),
    )]);
    let refused = world
        .pay_with("humo", r#"{"amount":100000}"#, Some("sale-2"), Map::new())
        .unwrap();
    assert_eq!(refused.state, State::Failed);
    assert_eq!(world.sends_of("humo"), 0);
    // And a pin-pad payment needs the caller's key.
    let error = world.pay("humo", r#"{"amount":100000}"#).unwrap_err();
    assert_eq!(error.info().field.as_deref(), Some("options.key"));
}

#[test]
fn a_receipt_is_settled_through_the_device_last_receipt() {
    let client = fiscalbox();
    let order = fixture("fiscalbox", "order-create-request.json");
    let last = |uuid: &str| {
        let body = fixture("fiscalbox", "order-last-success.json")
            .replace("\"uuid\": \"\"", &format!("\"uuid\": \"{uuid}\""));
        answer(&client, "orderLast", 200, &body)
    };
    for (after, expected) in [
        ("123", State::Success),
        ("previous", State::Failed),
        ("someone-else", State::Unknown),
    ] {
        let mut world = World::new(&client);
        world.script(vec![last("previous")]);
        world.pay_and_die(Stage::Send, "orderCreate", &order);
        world.now += LEASE;
        world.script(vec![last(after)]);
        let settled = world.reconcile("fiscalbox:orderCreate:123");
        assert_eq!(settled.state, expected, "last receipt {after}");
        if expected == State::Success {
            assert!(
                settled.result.get("qr_url").is_some(),
                "the receipt found is the result"
            );
        }
        world.done();
    }
}

#[test]
fn a_refund_needs_its_payment_reference_and_counts_the_payment_refunds() {
    let client = acquiring();
    let mut world = World::new(&client);
    let refund = r#"{"transaction_id":99999,"amount":5}"#;
    let error = world
        .pay_with("refund", refund, Some("refund-1"), Map::new())
        .unwrap_err();
    assert_eq!(
        error.info().field.as_deref(),
        Some("options.lookup.project_reference_id")
    );
    let status = |refunds: &str| {
        let body = fixture("acquiring", "status-success.repaired.json")
            .replace("\"refunds\":[]", &format!("\"refunds\":{refunds}"));
        answer(&client, "status", 200, &body)
    };
    world.script(vec![status("[]")]);
    world.crash_after = Some(Stage::Send);
    let by = lookup(&[("project_reference_id", "order-9"), ("type", "in")]);
    let record = world
        .pay_with("refund", refund, Some("refund-1"), by)
        .unwrap();
    assert_eq!(record.baseline.as_i64(), Some(0));
    world.crash_after = None;
    world.now += LEASE;
    world.script(vec![status(
        r#"[{"amount":5,"date":"2023-10-04T10:05:02Z"}]"#,
    )]);
    let settled = world.reconcile("acquiring:refund:refund-1");
    assert_eq!(settled.state, State::Success);
    assert_eq!(settled.result.get("amount").and_then(Json::as_i64), Some(5));
    world.done();
}

#[test]
fn the_lease_cuts_each_call_to_one_attempt_within_it() {
    // A client with default options (timeoutMs 30000, maxRetries 2) under the default lease.
    let default = agws();
    assert_eq!(
        journal::check_lease(&default, 60_000),
        Ok(CallOptions {
            timeout_ms: Some(30_000),
            max_retries: Some(0),
        })
    );
    // The client's deadline is kept when it is shorter; a short lease cuts it to half.
    let quick = client(
        "agws",
        r#"{"secret":"12345","agent":"tarlan","project":"mobile","timeoutMs":5000}"#,
    );
    assert_eq!(
        journal::check_lease(&quick, 60_000).map(|o| o.timeout_ms),
        Ok(Some(5_000))
    );
    assert_eq!(
        journal::check_lease(&default, 1_200).map(|o| o.timeout_ms),
        Ok(Some(600))
    );
    assert_eq!(
        journal::check_lease(&default, 1_000).map(|o| o.timeout_ms),
        Ok(Some(journal::MIN_CALL_TIMEOUT_MS))
    );
    // Too short to give a call its shortest deadline: refused, naming the option.
    for lease_ms in [999, 0, -5] {
        let clock = Clock {
            now_ms: T0,
            lease_ms,
        };
        let error = journal::step(&default, None, Event::Check, clock).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{lease_ms}");
        assert_eq!(error.info().field.as_deref(), Some("leaseMs"));
        assert!(error.message().contains("1000 ms"), "{}", error.message());
    }
    let clock = Clock {
        now_ms: T0,
        lease_ms: 60_000,
    };
    let ok = journal::step(&default, None, Event::Check, clock).unwrap();
    assert!(matches!(ok.action, Action::Done { .. }));
}

/// What a call may meet that makes the transport wait and send again when it may: the longest
/// `Retry-After`, a server error, a refused and a reset connection, a deadline passed.
fn retried_observations() -> Vec<Observed> {
    let mut limited = HttpResponse::new(
        429,
        r#"{"status":false,"status_code":429,"message":"Too Many Requests","result":{}}"#,
    );
    limited.headers.push(("retry-after".into(), "60".into()));
    vec![
        Observed::Response(limited),
        Observed::Response(HttpResponse::new(503, "<html>Service Unavailable</html>")),
        Observed::NetworkError {
            message: "connection refused".into(),
            maybe_sent: false,
        },
        Observed::NetworkError {
            message: "connection reset".into(),
            maybe_sent: true,
        },
        Observed::TimedOut,
    ]
}

/// How long the call takes at most, run through the real transport: the deadlines of its
/// sends plus its waits, when every send meets `observed`.
fn longest_run(
    client: &Client,
    op: &str,
    params: &str,
    options: CallOptions,
    observed: &Observed,
) -> u64 {
    let ctx = BuildCtx { now_ms: Some(T0) };
    let call = Call::new(client, op, json::parse(params).unwrap(), options, &ctx).unwrap();
    let mut sent = Vec::new();
    let mut slept = Vec::new();
    let _ = transport::run_blocking(
        call,
        &ctx,
        |_, timeout_ms| {
            sent.push(timeout_ms);
            observed.clone()
        },
        |ms| slept.push(ms),
    );
    assert!(!sent.is_empty());
    sent.iter().chain(&slept).sum()
}

#[test]
fn each_call_the_journal_makes_ends_strictly_before_the_lease_with_a_default_client() {
    let client = agws();
    let options = journal::check_lease(&client, LEASE).unwrap();
    let calls = [
        ("cashIn", CASH_IN), // idempotent write
        (
            "confirmInvoice",
            r#"{"external_id":"200001","confirm_code":"1234"}"#,
        ), // money-moving
        (
            "status",
            r#"{"service_code":"201106","external_id":"200001"}"#,
        ), // probe
    ];
    for (op, params) in calls {
        for observed in retried_observations() {
            let longest = longest_run(&client, op, params, options, &observed);
            assert_eq!(
                longest, 30_000,
                "{op} meeting {observed:?}: one attempt, no wait"
            );
            assert!(longest < LEASE as u64);
        }
    }
    // Not vacuous: with the client's own options the same call outlasts the lease.
    let limited = &retried_observations()[0];
    assert!(
        longest_run(&client, "cashIn", CASH_IN, CallOptions::default(), limited) >= LEASE as u64
    );
}

#[test]
fn no_credential_is_recorded() {
    let client = client(
        "assist",
        r#"{"baseUrl":"https://payments.demo.paysecure.ru","merchantId":"123456","login":"kassa_demo","password":"demo-pass"}"#,
    );
    let mut world = World::new(&client);
    world.crash_after = Some(Stage::Sending);
    let params = r#"{"Payment_ID":"ext-1","Type":"sell","Email":"buyer@example.kz","ChequeItems":[{"id":1,"name":"Coffee","price":"750.00","quantity":2,"tax":"vat12"}]}"#;
    let record = world.pay("fiscalize", params).unwrap();
    assert_eq!(record.key, "assist:fiscalize:Payment_ID=ext-1");
    let text = record.to_json().to_compact();
    assert!(
        !text.contains("demo-pass") && !text.contains("kassa_demo"),
        "{text}"
    );
    assert!(
        record.params.get("Merchant_ID").is_some(),
        "non-secret options stay"
    );
    // Assist publishes no "not found" code: a receipt that cannot be found stays unknown.
    world.crash_after = None;
    world.now += LEASE;
    world.script(vec![(
        "fiscalReceipt",
        Err(KassaError::new(
            ErrorKind::Provider,
            "Fiscal receipt not found",
        )),
    )]);
    assert_eq!(
        world.reconcile("assist:fiscalize:Payment_ID=ext-1").state,
        State::Unknown
    );
    world.done();
}

#[test]
fn a_billnumber_and_a_payment_id_of_the_same_digits_are_two_requests() {
    let client = client(
        "assist",
        r#"{"baseUrl":"https://payments.demo.paysecure.ru","merchantId":"123456","login":"kassa_demo","password":"demo-pass"}"#,
    );
    let mut world = World::new(&client);
    world.crash_after = Some(Stage::Sending);
    let by_payment = r#"{"Payment_ID":"1234567890123456","Type":"sell","Email":"buyer@example.kz","ChequeItems":[{"id":1,"name":"Coffee","price":"750.00","quantity":2,"tax":"vat12"}]}"#;
    let by_bill = by_payment.replace("Payment_ID", "Billnumber");
    let first = world.pay("fiscalize", by_payment).unwrap();
    let second = world.pay("fiscalize", &by_bill).unwrap();
    assert_ne!(first.key, second.key);
    assert_eq!(second.key, "assist:fiscalize:Billnumber=1234567890123456");
    assert_eq!(world.store.len(), 2);
    world.done();
}

#[test]
fn a_corrupted_record_is_a_decode_error_naming_its_key() {
    let client = agws();
    let mut value = json::parse(r#"{"key":"agws:cashIn:7","provider":"agws","operation":"cashIn","state":"paid","attempts":1,"version":2,"createdAt":1,"updatedAt":1}"#).unwrap();
    let error = Record::from_json(&value).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(
        error.message().contains("agws:cashIn:7"),
        "{}",
        error.message()
    );
    if let Some(m) = value.as_object_mut() {
        m.insert("state", Json::str("sending"));
    }
    let record = Record::from_json(&value).unwrap();
    let step = journal::step(
        &client,
        Some(record),
        Event::Inspect,
        Clock {
            now_ms: T0,
            lease_ms: LEASE,
        },
    )
    .unwrap();
    assert!(matches!(step.action, Action::Done { .. }));
}

#[test]
fn a_verified_agws_callback_settles_its_record_once() {
    let client = agws();
    let mut world = World::new(&client);
    world.script(vec![agws_status_as(&client, "cashIn", "7")]);
    world.pay("cashIn", CASH_IN).unwrap();
    let body =
        r#"{"service_code":"201106","external_id":"200001","status_code":"2","amount":1500.5}"#;
    let signature = kassa::tarlan_sign(body, "12345").unwrap();
    let headers: Map = [("X-Signature".to_string(), Json::str(signature))]
        .into_iter()
        .collect();
    let clock = Clock {
        now_ms: T0,
        lease_ms: LEASE,
    };
    let found = journal::step(
        &client,
        None,
        Event::Callback {
            body: Json::str(body),
            headers: headers.clone(),
        },
        clock,
    )
    .unwrap();
    let Action::Find {
        keys,
        callback,
        reply,
    } = found.action
    else {
        panic!("{:?}", found.action)
    };
    assert_eq!(keys.first().map(String::as_str), Some(CASH_IN_KEY));
    assert_eq!(reply.get("status").and_then(Json::as_i64), Some(200));
    let record = world.store[CASH_IN_KEY].clone();
    let (applied, _) = world
        .drive(
            Some(record),
            Event::Found {
                callback: callback.clone(),
            },
        )
        .unwrap();
    let applied = applied.unwrap();
    assert_eq!(applied.state, State::Success);
    let (replayed, _) = world
        .drive(Some(applied.clone()), Event::Found { callback })
        .unwrap();
    assert_eq!(replayed.unwrap(), applied, "a replay changes nothing");
    let forged = journal::step(
        &client,
        None,
        Event::Callback {
            body: Json::str(body.replace("1500.5", "150000")),
            headers,
        },
        clock,
    )
    .unwrap_err();
    assert_eq!(forged.kind(), ErrorKind::Signature);
    world.done();
}

#[test]
fn a_verified_notification_overrules_a_failed_inferred_from_not_found() {
    // "Not found" a lease after the send made it `failed` (never performed); the provider's
    // signed notification then reports it paid: the notification stands.
    let client = acquiring();
    let mut world = World::new(&client);
    let failed = one_click_never_sent(&mut world, &client);
    assert_eq!(failed.state, State::Failed);
    let callback = json::parse(r#"{"outcome":"success","status_code":"success"}"#).unwrap();
    let (applied, _) = world
        .drive(
            Some(failed),
            Event::Found {
                callback: callback.clone(),
            },
        )
        .unwrap();
    let applied = applied.unwrap();
    assert_eq!(applied.state, State::Success);
    // A failed answer the provider gave itself is not overruled.
    let mut other = World::new(&client);
    other.script(vec![answer(
        &client,
        "oneClickPayIn",
        200,
        &fixture("acquiring", "one-click-success.json").replace(
            "\"transaction_status_code\": \"success\"",
            "\"transaction_status_code\": \"failed\"",
        ),
    )]);
    let refused = other.pay("oneClickPayIn", ONE_CLICK).unwrap();
    assert_eq!(refused.state, State::Failed);
    let (kept, _) = other
        .drive(Some(refused.clone()), Event::Found { callback })
        .unwrap();
    assert_eq!(kept.unwrap(), refused);
    world.done();
    other.done();
}

#[test]
fn only_money_moving_operations_with_a_settle_rule_are_taken() {
    let client = agws();
    let mut world = World::new(&client);
    let error = world
        .pay("status", r#"{"service_code":"201106","external_id":"1"}"#)
        .unwrap_err();
    assert_eq!(error.info().field.as_deref(), Some("operation"));
    assert!(
        error.message().contains("cashIn, confirmInvoice"),
        "{}",
        error.message()
    );
    let error = world
        .pay_with("cashIn", CASH_IN, Some("mine"), Map::new())
        .unwrap_err();
    assert_eq!(error.info().field.as_deref(), Some("options.key"));
}

#[test]
fn every_operation_the_journal_takes_rebuilds_the_same_request_from_its_recorded_params() {
    // The journal sends what it recorded: validation of recorded params must be idempotent.
    let cases: [(Client, &str, &str); 4] = [
        (agws(), "cashIn", CASH_IN),
        (fiscalbox(), "orderCreate", "order-create-request.json"),
        (fiscalbox(), "payme", "payme-request.json"),
        (acquiring(), "payIn", "request-pay-in.json"),
    ];
    let ctx = kassa::operation::BuildCtx { now_ms: Some(T0) };
    for (client, op, params) in cases {
        let text = if params.ends_with(".json") {
            let dir = if client.provider.id == "acquiring" {
                "acquiring"
            } else {
                "fiscalbox"
            };
            fixture(dir, params)
        } else {
            params.to_string()
        };
        let first = client
            .prepare(op, json::parse(&text).unwrap(), &ctx)
            .unwrap();
        let again = client
            .prepare(op, Json::Object(first.params.clone()), &ctx)
            .unwrap();
        assert_eq!(first.request, again.request, "{op}");
    }
}

// ---------------------------------------------------------------------------------------
// From the review of the journal: answers that do not prove a request was refused or never
// arrived are not read as if they did.

#[test]
fn a_server_error_answering_a_send_leaves_it_open_and_status_settles_it() {
    // The journal's calls make one attempt, so a 5xx reaches it as it is. The provider may have
    // performed the cash-in before failing: not `failed`, but unknown until status shows it.
    let client = agws();
    let mut world = World::new(&client);
    // The documented error envelope (expected-error-1042.json) with 8301 "Unexpected db error"
    // (spec §5.1), on HTTP 500.
    let db_error = fixture("agws", "expected-error-1042.json")
        .replace("1042", "8301")
        .replace("duplicate external id", "Unexpected db error");
    world.script(vec![answer(&client, "cashIn", 500, &db_error)]);
    let record = world.pay("cashIn", CASH_IN).unwrap();
    assert_eq!(record.state, State::Unknown, "{:?}", record.error);
    world.now += LEASE;
    world.script(vec![agws_status(&client, "2")]);
    let settled = world.reconcile(CASH_IN_KEY);
    assert_eq!(settled.state, State::Success);
    assert_eq!(world.sends_of("cashIn"), 1);
    world.done();
}

#[test]
fn a_resend_answered_duplicate_is_left_open_until_status_shows_the_first() {
    let client = agws();
    let mut world = World::new(&client);
    world.pay_and_die(Stage::Sending, "cashIn", CASH_IN);
    world.now += LEASE;
    // Not found yet, so it is sent again — and the first had landed meanwhile (1042).
    world.script(vec![
        answer(
            &client,
            "status",
            200,
            &fixture("agws", "legacy-status-1041.json"),
        ),
        answer(
            &client,
            "cashIn",
            200,
            &fixture("agws", "expected-error-1042.json"),
        ),
    ]);
    let record = world.reconcile(CASH_IN_KEY);
    assert_eq!(record.state, State::Unknown, "{:?}", record.error);
    world.now += LEASE;
    world.script(vec![agws_status(&client, "2")]);
    assert_eq!(world.reconcile(CASH_IN_KEY).state, State::Success);
    world.done();
}

#[test]
fn an_adopted_request_is_not_read_as_absent_before_a_lease_has_passed() {
    let client = acquiring();
    let mut world = World::new(&client);
    world.script(vec![not_found(&client)]);
    let adopt = Event::Adopt {
        operation: "oneClickPayIn".into(),
        params: json::parse(ONE_CLICK).unwrap(),
        key: None,
        lookup: Map::new(),
        baseline: Json::Null,
        error: Json::Null,
    };
    let record = world.drive(None, adopt).unwrap().0.unwrap();
    assert_eq!(record.state, State::Unknown, "{:?}", record.error);
    // Within the lease nobody takes it; after it, "not found" means never performed.
    world.now += LEASE - 1;
    assert_eq!(world.reconcile(ONE_CLICK_KEY).state, State::Unknown);
    world.now += 2;
    world.script(vec![not_found(&client)]);
    let settled = world.reconcile(ONE_CLICK_KEY);
    assert_eq!(settled.state, State::Failed);
    assert_eq!(
        settled.error.pointer(&["details", "neverPerformed"]),
        Some(&Json::Bool(true))
    );
    assert_eq!(world.sends_of("oneClickPayIn"), 0);
    world.done();
}

#[test]
fn a_payment_the_provider_answered_is_never_failed_by_a_later_not_found() {
    let client = acquiring();
    let mut world = World::new(&client);
    let processed = fixture("acquiring", "one-click-success.json").replace(
        "\"transaction_status_code\": \"success\"",
        "\"transaction_status_code\": \"processed\"",
    );
    assert!(processed.contains("processed"));
    world.script(vec![answer(&client, "oneClickPayIn", 200, &processed)]);
    let record = world.pay("oneClickPayIn", ONE_CLICK).unwrap();
    assert_eq!(record.state, State::Pending, "{:?}", record.error);
    // A lagging status answers 5103: the answer the provider gave stands.
    world.script(vec![not_found(&client)]);
    assert_eq!(world.reconcile(ONE_CLICK_KEY).state, State::Pending);
    world.done();
}

#[test]
fn another_refunds_entry_is_not_taken_for_this_one() {
    let client = acquiring();
    let mut world = World::new(&client);
    let status = |refunds: &str| {
        let body = fixture("acquiring", "status-success.repaired.json")
            .replace("\"refunds\":[]", &format!("\"refunds\":{refunds}"));
        answer(&client, "status", 200, &body)
    };
    world.script(vec![status("[]")]);
    world.crash_after = Some(Stage::Send);
    let by = lookup(&[("project_reference_id", "order-9"), ("type", "in")]);
    world
        .pay_with(
            "refund",
            r#"{"transaction_id":99999,"amount":5}"#,
            Some("refund-b"),
            by,
        )
        .unwrap();
    world.crash_after = None;
    world.now += LEASE;
    // One refund more — of 7, not of this one's 5.
    world.script(vec![status(
        r#"[{"amount":7,"date":"2023-10-04T10:05:02Z"}]"#,
    )]);
    let settled = world.reconcile("acquiring:refund:refund-b");
    assert_eq!(settled.state, State::Unknown, "{:?}", settled.result);
    world.done();
}

#[test]
fn a_pay_out_without_a_form_is_not_failed_on_a_presumed_status_lookup() {
    // spec §4.2: the table is truncated; which status `type` finds the pay-out is not
    // documented, so "not found" proves nothing.
    let client = acquiring();
    let mut world = World::new(&client);
    let params =
        r#"{"amount":1000,"description":"Payout","merchant_id":1,"project_reference_id":"po-1"}"#;
    world.pay_and_die(Stage::Send, "payOutDirect", params);
    world.now += LEASE;
    world.script(vec![not_found(&client)]);
    let settled = world.reconcile("acquiring:payOutDirect:po-1");
    assert_eq!(settled.state, State::Unknown, "{:?}", settled.error);
    assert_eq!(world.sends_of("payOutDirect"), 1);
    world.done();
}

#[test]
fn a_send_whose_claim_took_too_long_is_cut_to_the_lease_left_or_not_made() {
    let client = agws();
    let mut world = World::new(&client);
    let claimed = world.pay_and_die(Stage::Sending, "cashIn", CASH_IN);
    assert_eq!(claimed.state, State::Sending);
    let at = |now_ms: i64| {
        journal::step(
            &client,
            Some(claimed.clone()),
            Event::Written {
                stage: Stage::Sending,
            },
            Clock {
                now_ms,
                lease_ms: LEASE,
            },
        )
        .unwrap()
        .action
    };
    // Half the lease gone before the claim's write returned: the call gets half of what is left.
    let Action::Call { options, .. } = at(T0 + LEASE / 2) else {
        panic!("expected the send")
    };
    assert_eq!(options.timeout_ms, Some((LEASE / 4) as u64));
    // Too little left for a useful call: nothing is sent, the record stays `sending`.
    let Action::Done { .. } = at(T0 + LEASE - 2 * journal::MIN_SEND_TIMEOUT_MS as i64 + 2) else {
        panic!("a send that could outlast the lease")
    };
}

#[test]
fn a_mistyped_confirmation_code_does_not_block_the_right_one() {
    let client = agws();
    let mut world = World::new(&client);
    let by = lookup(&[("service_code", "201106")]);
    let confirm = |code: &str| format!(r#"{{"external_id":"200001","confirm_code":"{code}"}}"#);
    // spec §2.5, §5.4: the rejection of a wrong code (confirm-invoice-rejected.constructed.json).
    world.script(vec![answer(
        &client,
        "confirmInvoice",
        200,
        &fixture("agws", "confirm-invoice-rejected.constructed.json"),
    )]);
    let refused = world
        .pay_with("confirmInvoice", &confirm("1111"), None, by.clone())
        .unwrap();
    assert_eq!(refused.state, State::Failed);
    world.script(vec![answer(
        &client,
        "confirmInvoice",
        200,
        &fixture("agws", "confirm-invoice.json"),
    )]);
    let confirmed = world
        .pay_with("confirmInvoice", &confirm("1234"), None, by)
        .unwrap();
    assert_ne!(confirmed.key, refused.key);
    assert_ne!(confirmed.state, State::Failed);
    assert_eq!(world.sends_of("confirmInvoice"), 2);
    world.done();
}

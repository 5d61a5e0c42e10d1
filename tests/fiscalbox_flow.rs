//! The FiscalBox QR-wallet sale (`qrWalletSale`) against scripted answers (sans-IO): every
//! answer is a spec fixture parsed by the real FiscalBox client. The wallet payment is sent at
//! most once in every scenario; failures say which step failed, what completed, what is safe
//! to run again, and resuming never charges again.

use kassa::fiscalbox;
use kassa::flow::run_blocking;
use kassa::json::{self, Json};
use kassa::{Client, ErrorKind, HttpResponse, KassaError};
use std::cell::RefCell;
use std::collections::VecDeque;

fn client() -> Client {
    let options = json::parse(r#"{"walletAmountUnit":"tiyin"}"#).unwrap();
    Client::new(&fiscalbox::PROVIDER, options).unwrap()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/fiscalbox/{name}")).unwrap()
}

enum Answer {
    Body(&'static str, String),
    Error(&'static str, KassaError),
}

use Answer::{Body, Error};

/// The order of the S2 example without its payment fields and time (the flow fills those).
fn order() -> Json {
    let mut order = json::parse(&fixture("order-create-request.json")).unwrap();
    let m = order.as_object_mut().unwrap();
    for key in [
        "received_card",
        "received_cash",
        "change",
        "extra_info",
        "scan2pay_paid",
        "card_type",
        "ppt_id",
        "time",
        "uuid",
    ] {
        m.remove(key);
    }
    order
}

/// The product of the S2 order costs 50000 tiyin.
const AMOUNT: i64 = 50000;

fn params(provider: &str) -> Json {
    let mut p = json::parse(&format!(
        r#"{{"provider":"{provider}","amount":{AMOUNT},"qr_code":"50502044301381396427"}}"#
    ))
    .unwrap();
    p.as_object_mut().unwrap().insert("order", order());
    p
}

struct Run {
    result: Result<Json, KassaError>,
    calls: Vec<(String, Json)>,
}

impl Run {
    fn ops(&self) -> Vec<&str> {
        self.calls.iter().map(|(op, _)| op.as_str()).collect()
    }

    fn params_of(&self, op: &str) -> &Json {
        &self.calls.iter().find(|(o, _)| o == op).unwrap().1
    }

    fn err(&self) -> &KassaError {
        self.result.as_ref().unwrap_err()
    }

    fn ok(&self) -> &Json {
        self.result.as_ref().unwrap_or_else(|e| panic!("{e:?}"))
    }
}

fn run(params: Json, options: &str, answers: Vec<Answer>) -> Run {
    let client = client();
    let def = client
        .provider
        .flow("qrWalletSale")
        .expect("qrWalletSale is a flow");
    let mut flow = (def.create)(&client, params, json::parse(options).unwrap()).unwrap();
    let answers = RefCell::new(VecDeque::from(answers));
    let calls = RefCell::new(Vec::new());
    let result = run_blocking(
        flow.as_mut(),
        1_700_000_000_000,
        |operation, params| {
            calls
                .borrow_mut()
                .push((operation.to_string(), params.clone()));
            // Every call the flow asks for must build: the driver builds it for real.
            client
                .build(
                    operation,
                    params,
                    &kassa::operation::BuildCtx {
                        now_ms: Some(1_700_000_000_000),
                    },
                )
                .unwrap_or_else(|e| panic!("{operation} does not build: {e}"));
            match answers.borrow_mut().pop_front().expect("unexpected call") {
                Body(expected, body) => {
                    assert_eq!(operation, expected);
                    client.parse(operation, &HttpResponse::new(200, body))
                }
                Error(expected, error) => {
                    assert_eq!(operation, expected);
                    Err(error)
                }
            }
        },
        |_| panic!("the QR-wallet sale never sleeps"),
    );
    assert!(answers.borrow().is_empty(), "unused answers");
    let run = Run {
        result,
        calls: calls.into_inner(),
    };
    // The money rule, checked in every scenario.
    let payments = run
        .ops()
        .iter()
        .filter(|op| ["anor", "click", "payme", "uzum"].contains(op))
        .count();
    assert!(
        payments <= 1,
        "a wallet payment was sent twice: {:?}",
        run.ops()
    );
    run
}

fn lost(op: &str) -> KassaError {
    KassaError::new(
        ErrorKind::UnknownOutcome,
        format!("{op}: the answer was lost"),
    )
}

fn details<'a>(e: &'a KassaError, key: &str) -> &'a Json {
    e.info()
        .details
        .get(key)
        .unwrap_or_else(|| panic!("no details.{key}: {e:?}"))
}

fn names(v: &Json) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

fn reference<'a>(e: &'a KassaError, key: &str) -> Option<&'a str> {
    e.info().reference.get(key).and_then(Json::as_str)
}

const RECEIPT_URL: &str =
    "https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289";

// ---------------------------------------------------------------------------------------
// Complete sales

#[test]
fn payme_sale_pays_registers_the_receipt_and_confirms_it() {
    let r = run(
        params("payme"),
        "{}",
        vec![
            Body("payme", fixture("payme-success.json")),
            Body("orderCreate", fixture("order-create-success.json")),
            Body("paymeConfirm", fixture("payme-confirm-success.s1.json")),
        ],
    );
    assert_eq!(r.ops(), ["payme", "orderCreate", "paymeConfirm"]);
    let payment = r.params_of("payme");
    assert_eq!(payment.get("amount").and_then(Json::as_i64), Some(AMOUNT));
    assert_eq!(
        payment.get("qr_code").and_then(Json::as_str),
        Some("50502044301381396427")
    );
    let order = r.params_of("orderCreate");
    assert_eq!(
        order.get("received_card").and_then(Json::as_i64),
        Some(AMOUNT)
    );
    assert_eq!(order.get("received_cash").and_then(Json::as_i64), Some(0));
    assert_eq!(order.get("change").and_then(Json::as_i64), Some(0));
    assert_eq!(
        order
            .pointer(&["extra_info", "qr_payment_id"])
            .and_then(Json::as_str),
        Some("696e0246c9a128176d5934d8")
    );
    assert_eq!(
        order
            .pointer(&["extra_info", "qr_payment_provider"])
            .and_then(Json::as_i64),
        Some(141)
    );
    assert_eq!(
        order
            .pointer(&["extra_info", "phone_number"])
            .and_then(Json::as_str),
        Some("998712565009")
    );
    assert_eq!(order.get("cashier").and_then(Json::as_str), Some("Admin"));
    let confirm = r.params_of("paymeConfirm");
    assert_eq!(
        confirm.get("payment_id").and_then(Json::as_str),
        Some("696e0246c9a128176d5934d8")
    );
    assert_eq!(
        confirm.get("qr_code").and_then(Json::as_str),
        Some(RECEIPT_URL)
    );

    let done = r.ok();
    assert_eq!(done.get("outcome").and_then(Json::as_str), Some("success"));
    assert_eq!(done.get("provider").and_then(Json::as_str), Some("payme"));
    assert_eq!(
        done.get("receipt_url").and_then(Json::as_str),
        Some(RECEIPT_URL)
    );
    assert_eq!(
        done.get("receipt_source").and_then(Json::as_str),
        Some("orderCreate")
    );
    assert_eq!(
        done.pointer(&["receipt", "fiscal_sign"])
            .and_then(Json::as_str),
        Some("248429044289")
    );
    assert_eq!(
        done.pointer(&["confirmation", "outcome"])
            .and_then(Json::as_str),
        Some("success")
    );
    // The common receipt model, with the order's line and total.
    assert_eq!(
        done.pointer(&["fiscal_receipt", "total"])
            .and_then(Json::as_str),
        Some("500.00")
    );
    assert_eq!(
        done.pointer(&["fiscal_receipt", "receipt_url"])
            .and_then(Json::as_str),
        Some(RECEIPT_URL)
    );
}

#[test]
fn click_and_uzum_confirm_with_payment_id() {
    for (provider, payment, confirm, confirm_fixture, id, code) in [
        (
            "click",
            "click-success.s1.json",
            "clickConfirm",
            "click-confirm-success.s2.json",
            "4710103925",
            64,
        ),
        (
            "uzum",
            "uzum-success.json",
            "uzumConfirm",
            "uzum-confirm-success.json",
            "bb75f609-6d97-4b45-9ed3-80e5fcd19ef1",
            161,
        ),
    ] {
        let r = run(
            params(provider),
            "{}",
            vec![
                Body(provider, fixture(payment)),
                Body("orderCreate", fixture("order-create-success.json")),
                Body(confirm, fixture(confirm_fixture)),
            ],
        );
        assert_eq!(r.ops(), [provider, "orderCreate", confirm]);
        let order = r.params_of("orderCreate");
        assert_eq!(
            order
                .pointer(&["extra_info", "qr_payment_id"])
                .and_then(Json::as_str),
            Some(id)
        );
        assert_eq!(
            order
                .pointer(&["extra_info", "qr_payment_provider"])
                .and_then(Json::as_i64),
            Some(code)
        );
        assert_eq!(
            r.params_of(confirm)
                .get("payment_id")
                .and_then(Json::as_str),
            Some(id)
        );
        assert_eq!(
            r.params_of(confirm).get("qr_code").and_then(Json::as_str),
            Some(RECEIPT_URL)
        );
        assert_eq!(
            r.ok().get("outcome").and_then(Json::as_str),
            Some("success")
        );
    }
}

#[test]
fn anor_confirms_by_transaction_id_and_records_its_payment_id() {
    let r = run(
        params("anor"),
        "{}",
        vec![
            Body("anor", fixture("anor-success.s2.json")),
            Body("orderCreate", fixture("order-create-success.json")),
            Body("anorConfirm", fixture("anor-confirm-success.s2.json")),
        ],
    );
    assert_eq!(r.ops(), ["anor", "orderCreate", "anorConfirm"]);
    let order = r.params_of("orderCreate");
    // S2: Anor's payment_id is the integer 658.
    assert_eq!(
        order
            .pointer(&["extra_info", "qr_payment_id"])
            .and_then(Json::as_str),
        Some("658")
    );
    assert_eq!(
        order
            .pointer(&["extra_info", "qr_payment_provider"])
            .and_then(Json::as_i64),
        Some(187)
    );
    assert_eq!(
        order
            .pointer(&["extra_info", "phone_number"])
            .and_then(Json::as_str),
        Some("998946532140")
    );
    let confirm = r.params_of("anorConfirm");
    assert_eq!(
        confirm.get("transaction_id").and_then(Json::as_str),
        Some("05a447d7-ad64-4b95-931e-951b624b6534")
    );
    assert!(confirm.get("payment_id").is_none());
    assert_eq!(
        r.ok().get("receipt_url").and_then(Json::as_str),
        Some(RECEIPT_URL)
    );
}

// ---------------------------------------------------------------------------------------
// The payment step

#[test]
fn a_lost_payment_is_unknown_outcome_with_its_reference_and_is_never_resent() {
    for error in [
        lost("payme"),
        KassaError::new(ErrorKind::Timeout, "deadline passed"),
        KassaError::new(ErrorKind::Transport, "connection reset"),
        KassaError::decode("garbled answer"),
    ] {
        let r = run(params("payme"), "{}", vec![Error("payme", error)]);
        assert_eq!(r.ops(), ["payme"]);
        let e = r.err();
        assert_eq!(e.kind(), ErrorKind::UnknownOutcome);
        assert!(!e.info().retryable);
        assert_eq!(reference(e, "qr_code"), Some("50502044301381396427"));
        assert_eq!(
            e.info().reference.get("amount").and_then(Json::as_i64),
            Some(AMOUNT)
        );
        assert_eq!(details(e, "step").as_str(), Some("payme"));
        assert!(names(details(e, "completedSteps")).is_empty());
        assert!(
            names(details(e, "safeToRetry")).is_empty(),
            "never re-send a payment of unknown outcome"
        );
        assert!(e.info().details.get("resume").is_none());
        assert!(e.message().contains("NOT sent again"), "{}", e.message());
    }
}

#[test]
fn a_pending_payment_is_unknown_outcome_too() {
    let pending = fixture("uzum-success.json").replace("\"SUCCESS\"", "\"PROCESSING\"");
    let r = run(params("uzum"), "{}", vec![Body("uzum", pending)]);
    assert_eq!(r.ops(), ["uzum"]);
    let e = r.err();
    assert_eq!(e.kind(), ErrorKind::UnknownOutcome);
    assert_eq!(
        reference(e, "payment_id"),
        Some("bb75f609-6d97-4b45-9ed3-80e5fcd19ef1")
    );
    assert!(names(details(e, "safeToRetry")).is_empty());
}

#[test]
fn a_declined_payment_stops_before_the_receipt() {
    let declined = fixture("uzum-success.json").replace("\"SUCCESS\"", "\"FAILED\"");
    let r = run(params("uzum"), "{}", vec![Body("uzum", declined)]);
    assert_eq!(r.ops(), ["uzum"]);
    let e = r.err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert_eq!(details(e, "step").as_str(), Some("uzum"));
    assert_eq!(names(details(e, "safeToRetry")), ["uzum"]);
    assert!(e.message().contains("no money moved"), "{}", e.message());
}

#[test]
fn a_refused_payment_keeps_the_providers_code() {
    let r = run(
        params("click"),
        "{}",
        vec![Body("click", fixture("click-error-104.json"))],
    );
    assert_eq!(r.ops(), ["click"]);
    let e = r.err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert_eq!(e.code().and_then(|c| c.as_i64()), Some(104));
    assert_eq!(details(e, "step").as_str(), Some("click"));
    assert!(names(details(e, "completedSteps")).is_empty());
}

// ---------------------------------------------------------------------------------------
// The receipt step

#[test]
fn a_refused_receipt_reports_the_paid_payment_and_resumes_without_paying_again() {
    let r = run(
        params("payme"),
        "{}",
        vec![
            Body("payme", fixture("payme-success.json")),
            Body("orderCreate", fixture("order-create-error-101.json")),
        ],
    );
    assert_eq!(r.ops(), ["payme", "orderCreate"]);
    let e = r.err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert_eq!(e.code().and_then(|c| c.as_i64()), Some(101));
    assert_eq!(details(e, "step").as_str(), Some("orderCreate"));
    assert_eq!(names(details(e, "completedSteps")), ["payme"]);
    assert_eq!(names(details(e, "safeToRetry")), ["orderCreate"]);
    assert_eq!(reference(e, "payment_id"), Some("696e0246c9a128176d5934d8"));
    assert!(e.message().contains("HAS paid"), "{}", e.message());

    // Resume: the receipt and the confirmation, no second payment.
    let mut again = params("payme");
    again
        .as_object_mut()
        .unwrap()
        .insert("resume", details(e, "resume").clone());
    let r = run(
        again,
        "{}",
        vec![
            Body("orderCreate", fixture("order-create-success.json")),
            Body("paymeConfirm", fixture("payme-confirm-success.s1.json")),
        ],
    );
    assert_eq!(r.ops(), ["orderCreate", "paymeConfirm"]);
    assert_eq!(
        r.params_of("orderCreate")
            .pointer(&["extra_info", "qr_payment_id"])
            .and_then(Json::as_str),
        Some("696e0246c9a128176d5934d8")
    );
    assert_eq!(
        r.ok().get("outcome").and_then(Json::as_str),
        Some("success")
    );
}

fn last_receipt_with(replace: &str, with: &str) -> String {
    let body = fixture("order-last-success.json");
    assert!(body.contains(replace));
    body.replace(replace, with)
}

#[test]
fn a_lost_receipt_answer_is_found_through_order_last_by_payment_id() {
    let ours = last_receipt_with(
        r#""QrPaymentID": """#,
        r#""QrPaymentID": "696e0246c9a128176d5934d8""#,
    );
    let r = run(
        params("payme"),
        "{}",
        vec![
            Body("payme", fixture("payme-success.json")),
            Error("orderCreate", lost("orderCreate")),
            Body("orderLast", ours),
            Body("paymeConfirm", fixture("payme-confirm-success.s1.json")),
        ],
    );
    assert_eq!(
        r.ops(),
        ["payme", "orderCreate", "orderLast", "paymeConfirm"]
    );
    let link = "https://ofd.soliq.uz/check?t=LG230110007813&r=2478&c=20260415104006&s=322032313241";
    assert_eq!(
        r.params_of("paymeConfirm")
            .get("qr_code")
            .and_then(Json::as_str),
        Some(link)
    );
    let done = r.ok();
    assert_eq!(
        done.get("receipt_source").and_then(Json::as_str),
        Some("orderLast")
    );
    assert_eq!(done.get("receipt_url").and_then(Json::as_str), Some(link));
    assert_eq!(
        done.pointer(&["receipt", "fiscal_sign"])
            .and_then(Json::as_str),
        Some("322032313241")
    );
    assert_eq!(
        done.pointer(&["receipt", "receipt_count"])
            .and_then(Json::as_i64),
        Some(2478)
    );
}

#[test]
fn a_lost_receipt_answer_is_found_through_order_last_by_uuid() {
    let mut p = params("click");
    p.as_object_mut()
        .unwrap()
        .get_mut("order")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .insert("uuid", Json::str("sale-42"));
    let ours = last_receipt_with(r#""uuid": """#, r#""uuid": "sale-42""#);
    let r = run(
        p,
        "{}",
        vec![
            Body("click", fixture("click-success.s1.json")),
            Error(
                "orderCreate",
                KassaError::new(ErrorKind::Timeout, "deadline"),
            ),
            Body("orderLast", ours),
            Body("clickConfirm", fixture("click-confirm-success.s2.json")),
        ],
    );
    assert_eq!(
        r.ops(),
        ["click", "orderCreate", "orderLast", "clickConfirm"]
    );
    assert_eq!(
        r.ok().get("receipt_source").and_then(Json::as_str),
        Some("orderLast")
    );
}

#[test]
fn a_lost_receipt_answer_with_another_last_receipt_is_not_resent_by_default() {
    let r = run(
        params("payme"),
        "{}",
        vec![
            Body("payme", fixture("payme-success.json")),
            Error("orderCreate", lost("orderCreate")),
            Body("orderLast", fixture("order-last-success.json")),
        ],
    );
    assert_eq!(r.ops(), ["payme", "orderCreate", "orderLast"]);
    let e = r.err();
    assert_eq!(e.kind(), ErrorKind::UnknownOutcome);
    assert_eq!(details(e, "step").as_str(), Some("orderCreate"));
    assert_eq!(names(details(e, "completedSteps")), ["payme"]);
    assert_eq!(names(details(e, "safeToRetry")), ["orderLast"]);
    assert_eq!(reference(e, "payment_id"), Some("696e0246c9a128176d5934d8"));
    assert!(e.info().details.get("lastReceipt").is_some());
    assert!(details(e, "resume").get("payment").is_some());
    assert!(details(e, "resume").get("receipt").is_none());
}

#[test]
fn resend_receipt_if_absent_sends_it_once_more() {
    let r = run(
        params("payme"),
        r#"{"resendReceiptIfAbsent":true}"#,
        vec![
            Body("payme", fixture("payme-success.json")),
            Error("orderCreate", lost("orderCreate")),
            Body("orderLast", fixture("order-last-success.json")),
            Body("orderCreate", fixture("order-create-success.json")),
            Body("paymeConfirm", fixture("payme-confirm-success.s1.json")),
        ],
    );
    assert_eq!(
        r.ops(),
        [
            "payme",
            "orderCreate",
            "orderLast",
            "orderCreate",
            "paymeConfirm"
        ]
    );
    assert_eq!(
        r.ok().get("receipt_url").and_then(Json::as_str),
        Some(RECEIPT_URL)
    );
}

#[test]
fn a_lost_receipt_answer_and_a_failing_order_last_is_unknown_outcome() {
    let r = run(
        params("payme"),
        "{}",
        vec![
            Body("payme", fixture("payme-success.json")),
            Error("orderCreate", lost("orderCreate")),
            Error(
                "orderLast",
                KassaError::new(ErrorKind::Transport, "device unreachable"),
            ),
        ],
    );
    let e = r.err();
    assert_eq!(e.kind(), ErrorKind::UnknownOutcome);
    assert_eq!(details(e, "step").as_str(), Some("orderCreate"));
    assert!(
        e.message().contains("device unreachable"),
        "{}",
        e.message()
    );
}

// ---------------------------------------------------------------------------------------
// The confirmation step

#[test]
fn a_failed_confirmation_says_the_sale_is_complete_and_only_confirmation_is_left() {
    let r = run(
        params("click"),
        "{}",
        vec![
            Body("click", fixture("click-success.s1.json")),
            Body("orderCreate", fixture("order-create-success.json")),
            Body("clickConfirm", fixture("click-confirm-error-7.json")),
        ],
    );
    let e = r.err();
    assert_eq!(e.code().and_then(|c| c.as_i64()), Some(7));
    assert_eq!(details(e, "step").as_str(), Some("clickConfirm"));
    assert_eq!(
        names(details(e, "completedSteps")),
        ["click", "orderCreate"]
    );
    assert_eq!(names(details(e, "safeToRetry")), ["clickConfirm"]);
    assert_eq!(reference(e, "qr_url"), Some(RECEIPT_URL));
    assert_eq!(reference(e, "payment_id"), Some("4710103925"));

    // Resume confirms only (the order is not needed any more).
    let mut again = with(params("click"), &["order"], None);
    again
        .as_object_mut()
        .unwrap()
        .insert("resume", details(e, "resume").clone());
    let r = run(
        again,
        "{}",
        vec![Body(
            "clickConfirm",
            fixture("click-confirm-success.s2.json"),
        )],
    );
    assert_eq!(r.ops(), ["clickConfirm"]);
    assert_eq!(
        r.params_of("clickConfirm")
            .get("qr_code")
            .and_then(Json::as_str),
        Some(RECEIPT_URL)
    );
    let done = r.ok();
    assert_eq!(
        done.get("receipt_source").and_then(Json::as_str),
        Some("resume")
    );
    assert_eq!(
        done.get("receipt_url").and_then(Json::as_str),
        Some(RECEIPT_URL)
    );
}

#[test]
fn a_declined_confirmation_is_a_provider_error_at_the_confirm_step() {
    let declined =
        fixture("click-confirm-success.s2.json").replace("\"successfully\"", "\"failed\"");
    let r = run(
        params("click"),
        "{}",
        vec![
            Body("click", fixture("click-success.s1.json")),
            Body("orderCreate", fixture("order-create-success.json")),
            Body("clickConfirm", declined),
        ],
    );
    let e = r.err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert_eq!(details(e, "step").as_str(), Some("clickConfirm"));
    assert!(e.message().contains("fiscalized"), "{}", e.message());
}

// ---------------------------------------------------------------------------------------
// Validation before any money moves

fn create_error(params: Json, options: &str) -> KassaError {
    let client = client();
    let def = client.provider.flow("qrWalletSale").unwrap();
    (def.create)(&client, params, json::parse(options).unwrap())
        .err()
        .expect("must be refused before any call")
}

fn with(mut p: Json, path: &[&str], value: Option<Json>) -> Json {
    let (last, parents) = path.split_last().unwrap();
    let mut target = &mut p;
    for key in parents {
        target = target.as_object_mut().unwrap().get_mut(key).unwrap();
    }
    let m = target.as_object_mut().unwrap();
    match value {
        Some(v) => m.insert(*last, v),
        None => {
            m.remove(last);
        }
    }
    p
}

#[test]
fn bad_sales_are_refused_before_the_customer_is_charged() {
    let cases: Vec<(Json, &str)> = vec![
        (
            with(params("payme"), &["provider"], Some(Json::str("paynet"))),
            "provider",
        ),
        (
            with(params("payme"), &["amount"], Some(Json::int(0))),
            "amount",
        ),
        (with(params("payme"), &["qr_code"], None), "qr_code"),
        (with(params("payme"), &["order"], None), "order"),
        (
            with(params("payme"), &["order", "cashier"], None),
            "order.cashier",
        ),
        (
            with(params("payme"), &["order", "products"], None),
            "order.products",
        ),
        (
            with(
                params("payme"),
                &["order", "received_card"],
                Some(Json::int(1)),
            ),
            "order.received_card",
        ),
        (
            with(
                params("payme"),
                &["order", "extra_info"],
                Some(json::parse(r#"{"qr_payment_id":"x"}"#).unwrap()),
            ),
            "order.extra_info.qr_payment_id",
        ),
        (
            with(params("payme"), &["resume"], Some(Json::str("x"))),
            "resume",
        ),
        (
            with(
                params("payme"),
                &["resume"],
                Some(json::parse(r#"{"payment":{"payment_id":"a","outcome":"pending"}}"#).unwrap()),
            ),
            "resume.payment.outcome",
        ),
        (
            with(
                params("anor"),
                &["resume"],
                Some(json::parse(r#"{"payment":{"payment_id":"a"}}"#).unwrap()),
            ),
            "resume.payment",
        ),
    ];
    for (p, field) in cases {
        let e = create_error(p, "{}");
        assert_eq!(e.kind(), ErrorKind::Validation, "{field}: {e:?}");
        assert_eq!(e.info().field.as_deref(), Some(field), "{}", e.message());
    }
    let e = create_error(params("payme"), r#"{"resendReceiptIfAbsent":"yes"}"#);
    assert_eq!(
        e.info().field.as_deref(),
        Some("options.resendReceiptIfAbsent")
    );
}

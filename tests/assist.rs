//! Assist fiscal services (spec/assist.md): requests, tolerant response parsing in JSON and
//! SOAP, statuses, errortext codes, validation and secrets.

mod common;
use kassa::assist::{self, cheque, codes, xml};
use kassa::json::{self, Json};
use kassa::operation::{BuildCtx, OpClass};
use kassa::{Client, ErrorKind, HttpResponse, KassaError};

fn fixture(name: &str) -> String {
    common::fixture("assist", name)
}

const OPTIONS: &str = r#"{"merchantId":123456,"login":"svc_user","password":"s3cr3t-Pa55","baseUrl":"https://payments.demo.paysecure.ru/"}"#;

fn client_with(options: &str) -> Client {
    Client::new(&assist::PROVIDER, json::parse(options).unwrap()).unwrap()
}

fn client() -> Client {
    client_with(OPTIONS)
}

fn soap_client() -> Client {
    client_with(&OPTIONS.replace('}', r#","format":"soap"}"#))
}

fn build(c: &Client, op: &str, params: &str) -> Result<kassa::HttpRequest, KassaError> {
    c.build(op, json::parse(params).unwrap(), &BuildCtx::default())
}

fn parse(op: &str, status: u16, body: &str) -> Result<Json, KassaError> {
    client().parse(op, &HttpResponse::new(status, body))
}

fn ok(op: &str, body: &str) -> Json {
    parse(op, 200, body).unwrap_or_else(|e| panic!("{e}"))
}

fn s<'a>(v: &'a Json, key: &str) -> &'a str {
    v.get(key)
        .and_then(Json::as_str)
        .unwrap_or_else(|| panic!("{key} in {}", v.to_compact()))
}

fn form(req: &kassa::HttpRequest) -> Vec<(String, String)> {
    kassa::http::parse_query(req.body.as_deref().unwrap())
}

fn form_get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn validation_field(e: &KassaError) -> String {
    assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
    e.info().field.clone().unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Client, options and operations

#[test]
fn operations_are_fiscal_receipt_and_fiscalize_with_their_classes() {
    let names: Vec<&str> = assist::PROVIDER.ops.iter().map(|o| o.name).collect();
    assert_eq!(names, ["fiscalReceipt", "fiscalize"]);
    assert_eq!(assist::PROVIDER.class_name, "AssistFiscal");
    assert_eq!(
        assist::PROVIDER.op("fiscalReceipt").unwrap().class,
        OpClass::Read
    );
    let fiscalize = assist::PROVIDER.op("fiscalize").unwrap();
    assert_eq!(fiscalize.class, OpClass::Write);
    assert_eq!(fiscalize.resolve.unwrap().operation, "fiscalReceipt");
    assert!(kassa::provider("assist").is_some());
}

#[test]
fn base_url_is_required_and_presets_are_offered() {
    let e = Client::new(
        &assist::PROVIDER,
        json::parse(r#"{"merchantId":1,"login":"a","password":"b"}"#).unwrap(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert_eq!(e.info().field.as_deref(), Some("baseUrl"));
    assert!(e.message().contains("no Kazakhstan host"), "{e}");
    assert!(e.message().contains("https://payments.paysecure.ru"), "{e}");

    let c = client_with(r#"{"server":"ruDemo","login":"a","password":"b","merchantId":"1"}"#);
    assert_eq!(c.config.base_url, "https://payments.demo.paysecure.ru");
    let both = Client::new(
        &assist::PROVIDER,
        json::parse(r#"{"server":"ru","baseUrl":"https://x.example"}"#).unwrap(),
    )
    .unwrap_err();
    assert_eq!(both.kind(), ErrorKind::Config);
    let bad = Client::new(
        &assist::PROVIDER,
        json::parse(r#"{"server":"kz"}"#).unwrap(),
    )
    .unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::Config);
    let long_login = Client::new(
        &assist::PROVIDER,
        json::parse(r#"{"server":"ru","login":"abcdefghijklmnopqrstu"}"#).unwrap(),
    )
    .unwrap_err();
    assert_eq!(long_login.info().field.as_deref(), Some("login"));
}

#[test]
fn credentials_never_show_in_debug_describe_or_errors() {
    let c = client();
    let debug = format!("{c:?}");
    assert!(!debug.contains("s3cr3t-Pa55"), "{debug}");
    assert!(!debug.contains("svc_user"), "{debug}");
    let described = c.describe().to_compact();
    assert!(!described.contains("s3cr3t-Pa55"), "{described}");
    assert!(
        described.contains(r#""password":"[redacted]""#),
        "{described}"
    );
    // A provider echoing the password back in an error text is redacted.
    let e = parse(
        "fiscalReceipt",
        200,
        r#"{"firstcode":5,"secondcode":100,"message":"bad password s3cr3t-Pa55"}"#,
    )
    .unwrap_err();
    let shown = format!("{e:?} {} {}", e.message(), e.to_json().to_compact());
    assert!(!shown.contains("s3cr3t-Pa55"), "{shown}");
    // Validation errors name the field, never the value.
    let e = build(
        &c,
        "fiscalReceipt",
        r#"{"Password":"0123456789012345678901234567890123","Billnumber":"5791234567890123"}"#,
    )
    .unwrap_err();
    assert_eq!(validation_field(&e), "Password");
    assert!(!e.message().contains("0123456789012345678901234567890123"));
}

// ---------------------------------------------------------------------------------------
// Requests

#[test]
fn fiscal_receipt_form_post_matches_the_documented_example() {
    let published = fixture("request-fiscalreceipt.form.constructed.txt");
    let (head, body) = published.split_once("\n\n").unwrap();
    let c = client_with(
        r#"{"merchantId":123456,"login":"svc_user","password":"secret","baseUrl":"https://payments.paysecure.ru"}"#,
    );
    let req = build(&c, "fiscalReceipt", r#"{"Billnumber":"5791234567890123"}"#).unwrap();
    assert_eq!(req.method, kassa::Method::Post);
    assert_eq!(
        req.url,
        "https://payments.paysecure.ru/fiscal/fiscalreceipt.cfm"
    );
    assert!(head.starts_with("POST /fiscal/fiscalreceipt.cfm"));
    assert_eq!(
        req.header("Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(head.contains("Content-Type: application/x-www-form-urlencoded"));
    assert_eq!(req.body.as_deref(), Some(body.trim()));
}

#[test]
fn parameter_names_are_case_insensitive_in_params() {
    let req = build(
        &client(),
        "fiscalReceipt",
        r#"{"billnumber":"5791234567890123","full_receipt":true}"#,
    )
    .unwrap();
    let pairs = form(&req);
    assert_eq!(form_get(&pairs, "Billnumber"), Some("5791234567890123"));
    assert_eq!(form_get(&pairs, "Full_receipt"), Some("1"));
    assert_eq!(form_get(&pairs, "Format"), Some("5"));
    let req = build(&client(), "fiscalReceipt", r#"{"FISCALRECEIPT_ID":400001}"#).unwrap();
    assert_eq!(form_get(&form(&req), "Fiscalreceipt_ID"), Some("400001"));
}

#[test]
fn soap_request_has_the_documented_elements() {
    let published = xml::parse(
        &fixture("request-fiscalreceipt.soap.xml"),
        xml::Limits::default(),
    )
    .unwrap();
    let req = build(
        &soap_client(),
        "fiscalReceipt",
        r#"{"Billnumber":"5791234567890123"}"#,
    )
    .unwrap();
    assert_eq!(
        req.header("SOAPAction"),
        Some("http://www.paysecure.ru/ws/fiscalreceipt")
    );
    assert!(req.header("Content-Type").unwrap().starts_with("text/xml"));
    let ours = xml::parse(req.body.as_deref().unwrap(), xml::Limits::default()).unwrap();
    let call = |e: &xml::Element| -> Vec<String> {
        let body = e.child("Body").unwrap();
        let call = body.children.first().unwrap();
        assert_eq!(call.ns.as_deref(), Some(assist::ASSIST_WS_NS));
        assert_eq!(call.name, "fiscalreceipt");
        let mut names: Vec<String> = call.children.iter().map(|c| c.name.clone()).collect();
        names.sort();
        names
    };
    assert_eq!(call(&ours), call(&published));
    let fields = &ours.child("Body").unwrap().children[0];
    assert_eq!(fields.child("format").unwrap().text, "4");
    assert_eq!(fields.child("merchant_id").unwrap().text, "123456");
    assert_eq!(fields.child("billnumber").unwrap().text, "5791234567890123");
}

const ITEMS_RU: &str = r#"[{"id":1,"product":"123460176","name":"Первый товар","price":201.45,"quantity":42.345,"amount":8530.40,"tax":"vat10","fpmode":1},{"id":2,"product":"123460189","name":"Второй товар","price":"15301.01","quantity":"0.128","tax":"vat18","fpmode":1}]"#;

fn fiscalize_params(extra: &str) -> String {
    format!(
        r#"{{"Payment_ID":"order-42","Type":"sell","Email":"buyer@example.kz","ChequeItems":{ITEMS_RU}{extra}}}"#
    )
}

#[test]
fn fiscalize_sends_validated_items_as_json_text() {
    let req = build(
        &client(),
        "fiscalize",
        &fiscalize_params(r#","CustomerNote":"x""#),
    )
    .unwrap();
    assert_eq!(
        req.url,
        "https://payments.demo.paysecure.ru/fiscal/fiscalize.cfm"
    );
    let pairs = form(&req);
    let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "Merchant_ID",
            "Login",
            "Password",
            "Payment_ID",
            "Type",
            "Email",
            "ChequeItems",
            "CustomerNote",
            "Format"
        ]
    );
    assert_eq!(
        form_get(&pairs, "ChequeItems"),
        Some(
            r#"{"items":[{"id":1,"product":"123460176","name":"Первый товар","price":201.45,"quantity":42.345,"amount":8530.40,"tax":"vat10","fpmode":1},{"id":2,"product":"123460189","name":"Второй товар","price":15301.01,"quantity":0.128,"amount":1958.53,"tax":"vat18","fpmode":1}]}"#
        )
    );
    // The same items given as {"items": [...]} text are accepted.
    let wrapped = format!(
        r#"{{"Billnumber":"5791234567890123","Type":"sell_refund","Phone":"77011234567","ChequeItems":{}}}"#,
        Json::str(format!(r#"{{"items":{ITEMS_RU}}}"#)).to_compact()
    );
    let req = build(&client(), "fiscalize", &wrapped).unwrap();
    assert!(form_get(&form(&req), "ChequeItems")
        .unwrap()
        .contains("1958.53"));
}

#[test]
fn fiscalize_soap_carries_chequeitem_elements() {
    let req = build(&soap_client(), "fiscalize", &fiscalize_params("")).unwrap();
    let body = req.body.unwrap();
    let doc = xml::parse(&body, xml::Limits::default()).unwrap();
    let call = &doc.child("Body").unwrap().children[0];
    assert_eq!(call.name, "fiscalize");
    let items = call.child("chequeitems").unwrap();
    assert_eq!(items.children.len(), 2);
    assert_eq!(items.children[1].child("amount").unwrap().text, "1958.53");
    assert_eq!(call.child("type").unwrap().text, "sell");
}

// ---------------------------------------------------------------------------------------
// Validation

#[test]
fn fiscal_receipt_needs_exactly_one_identifier() {
    let c = client();
    let none = build(&c, "fiscalReceipt", "{}").unwrap_err();
    assert_eq!(
        validation_field(&none),
        "Billnumber/Payment_ID/Fiscalreceipt_ID"
    );
    assert!(none.message().contains("exactly one"), "{none}");
    let two = build(
        &c,
        "fiscalReceipt",
        r#"{"Billnumber":"5791234567890123","Payment_ID":"order-1"}"#,
    )
    .unwrap_err();
    assert_eq!(validation_field(&two), "Billnumber");
    assert!(two.message().contains("`Payment_ID`"), "{two}");
    let three = build(
        &c,
        "fiscalReceipt",
        r#"{"Billnumber":"5791234567890123","Payment_ID":"o","Fiscalreceipt_ID":"1"}"#,
    )
    .unwrap_err();
    assert!(
        three
            .message()
            .contains("`Payment_ID` and `Fiscalreceipt_ID`"),
        "{three}"
    );
}

#[test]
fn billnumber_must_have_15_or_16_digits() {
    let c = client();
    for (billnumber, good) in [
        ("57912345678901", false),
        ("579123456789012", true),
        ("5791234567890123", true),
        ("57912345678901234", false),
        ("579123456789012a", false),
    ] {
        let r = build(
            &c,
            "fiscalReceipt",
            &format!(r#"{{"Billnumber":"{billnumber}"}}"#),
        );
        match (r, good) {
            (Ok(_), true) => {}
            (Err(e), false) => {
                assert_eq!(validation_field(&e), "Billnumber");
                assert!(e.message().contains("15 or 16 digits"), "{e}");
            }
            (r, _) => panic!("{billnumber}: {r:?}"),
        }
    }
    let number = build(&c, "fiscalReceipt", r#"{"Billnumber":5791234567890123}"#).unwrap_err();
    assert_eq!(validation_field(&number), "Billnumber");
}

#[test]
fn missing_login_is_a_validation_error_naming_the_option() {
    let c = client_with(r#"{"merchantId":123456,"password":"p","server":"ru"}"#);
    let e = build(&c, "fiscalReceipt", r#"{"Billnumber":"5791234567890123"}"#).unwrap_err();
    assert_eq!(validation_field(&e), "Login");
    assert!(e.message().contains("`login`"), "{e}");
    // Given per call, it works.
    assert!(build(
        &c,
        "fiscalReceipt",
        r#"{"Login":"svc","Billnumber":"5791234567890123"}"#
    )
    .is_ok());
}

#[test]
fn fiscalize_rules() {
    let c = client();
    let cases: [(&str, &str); 7] = [
        (
            r#"{"Type":"sell","Email":"a@b.kz","ChequeItems":[{"id":1,"name":"x","price":1,"quantity":1,"tax":"vat12"}]}"#,
            "Billnumber/Payment_ID",
        ),
        (
            r#"{"Payment_ID":"p","Billnumber":"5791234567890123","Type":"sell","Email":"a@b.kz","ChequeItems":[{"id":1,"name":"x","price":1,"quantity":1,"tax":"vat12"}]}"#,
            "Billnumber",
        ),
        (
            r#"{"Payment_ID":"p","Type":"sell","ChequeItems":[{"id":1,"name":"x","price":1,"quantity":1,"tax":"vat12"}]}"#,
            "Email/Phone",
        ),
        (
            r#"{"Payment_ID":"p","Type":"sale","Email":"a@b.kz","ChequeItems":[{"id":1,"name":"x","price":1,"quantity":1,"tax":"vat12"}]}"#,
            "Type",
        ),
        (
            r#"{"Payment_ID":"p","Type":"sell","Phone":"+77011234567","ChequeItems":[{"id":1,"name":"x","price":1,"quantity":1,"tax":"vat12"}]}"#,
            "Phone",
        ),
        (
            r#"{"Payment_ID":"p","Type":"sell","Email":"a@b.kz","ChequeItems":[]}"#,
            "ChequeItems",
        ),
        (
            r#"{"Payment_ID":"p","Type":"sell","Email":"a@b.kz","Format":"1","ChequeItems":[{"id":1,"name":"x","price":1,"quantity":1,"tax":"vat12"}]}"#,
            "Format",
        ),
    ];
    for (params, field) in cases {
        let e = build(&c, "fiscalize", params).unwrap_err();
        assert_eq!(validation_field(&e), field, "{params}: {e}");
    }
}

/// No source names an `Amount` parameter of `fiscalize` (spec/assist.md §2.1 captured only the
/// first rows), so kassa neither declares nor checks one: like any uncaptured parameter it
/// passes through exactly as given.
#[test]
fn fiscalize_declares_no_amount() {
    let fiscalize = assist::OPERATIONS
        .iter()
        .find(|op| op.name == "fiscalize")
        .unwrap();
    assert!(fiscalize
        .params
        .iter()
        .all(|f| !f.name.eq_ignore_ascii_case("amount")));
    let req = build(
        &client(),
        "fiscalize",
        r#"{"Payment_ID":"p","Type":"sell","Email":"a@b.kz","Amount":"2.00","ChequeItems":[{"id":1,"name":"x","price":1,"quantity":1,"tax":"vat12"}]}"#,
    )
    .unwrap();
    assert_eq!(form_get(&form(&req), "Amount"), Some("2.00"));
}

fn item_error(items: &str, rules: cheque::Rules) -> KassaError {
    cheque::from_input(&json::parse(items).unwrap(), rules, "ChequeItems").unwrap_err()
}

const TAXED: cheque::Rules = cheque::Rules {
    require_tax: true,
    forbid_tax: false,
};

#[test]
fn cheque_item_rules() {
    let cases: [(&str, &str, &str); 9] = [
        (
            r#"[{"id":1,"name":"x","price":"201.45","quantity":"42.345","amount":"8530.41","tax":"vat10"}]"#,
            "ChequeItems[0].amount",
            "8530.40",
        ),
        (
            r#"[{"id":1,"name":"x","price":1,"quantity":1,"tax":"v"},{"id":1,"name":"y","price":1,"quantity":1,"tax":"v"}]"#,
            "ChequeItems[1].id",
            "unique",
        ),
        (
            r#"[{"id":1,"price":1,"quantity":1,"tax":"v"}]"#,
            "ChequeItems[0]",
            "`product` or `name`",
        ),
        (
            r#"[{"id":1,"name":"x","price":1.001,"quantity":1,"tax":"v"}]"#,
            "ChequeItems[0].price",
            "2 decimal",
        ),
        (
            r#"[{"id":1,"name":"x","price":1,"quantity":0,"tax":"v"}]"#,
            "ChequeItems[0].quantity",
            "greater than 0",
        ),
        (
            r#"[{"id":1,"name":"x","price":1,"quantity":1}]"#,
            "ChequeItems[0].tax",
            "merchantTaxDefaults",
        ),
        (
            r#"[{"id":1,"name":"x","price":1,"quantity":1,"tax":"vat12","hscode":"85287220011234"}]"#,
            "ChequeItems[0].hscode",
            "13 digits",
        ),
        (
            r#"[{"id":1,"name":"x","price":1,"quantity":1,"tax":"vat12","colour":"red"}]"#,
            "ChequeItems[0].colour",
            "not a known parameter",
        ),
        (
            r#"[{"id":1,"name":"x","price":"abc","quantity":1,"tax":"vat12"}]"#,
            "ChequeItems[0].price",
            "decimal",
        ),
    ];
    for (items, field, words) in cases {
        let e = item_error(items, TAXED);
        assert_eq!(validation_field(&e), field, "{items}: {e}");
        assert!(e.message().contains(words), "{items}: {e}");
    }
    // Tax rules are relaxed by a request-level Tax / merchant defaults, and refunds forbid it.
    let untaxed = json::parse(r#"[{"id":1,"name":"x","price":1,"quantity":1}]"#).unwrap();
    assert!(cheque::from_input(&untaxed, cheque::Rules::default(), "ChequeItems").is_ok());
    let e = item_error(
        r#"[{"id":1,"name":"x","price":1,"quantity":1,"fpmode":1}]"#,
        cheque::Rules {
            require_tax: false,
            forbid_tax: true,
        },
    );
    assert!(e.message().contains("must not carry"), "{e}");
    // Through the client: the amount rule and duplicate ids.
    let c = client();
    let bad_amount = build(
        &c,
        "fiscalize",
        &fiscalize_params("").replace("8530.40", "8530.39"),
    )
    .unwrap_err();
    assert_eq!(validation_field(&bad_amount), "ChequeItems[0].amount");
    let dup = build(
        &c,
        "fiscalize",
        &fiscalize_params("").replace(r#""id":2"#, r#""id":1"#),
    )
    .unwrap_err();
    assert_eq!(validation_field(&dup), "ChequeItems[1].id");
    let untaxed_ok = client_with(&OPTIONS.replace('}', r#","merchantTaxDefaults":true}"#));
    assert!(build(
        &untaxed_ok,
        "fiscalize",
        &fiscalize_params("").replace(r#","tax":"vat10""#, "")
    )
    .is_ok());
}

#[test]
fn amounts_are_checked_exactly_to_the_cent() {
    // (price, quantity, amount, accepted)
    let cases = [
        ("201.45", "42.345", "8530.40", true),  // 8530.40025
        ("15301.01", "0.128", "1958.53", true), // 1958.52928
        ("0.10", "3", "0.30", true),            // float arithmetic gives 0.30000000000000004
        ("0.05", "0.5", "0.03", true),          // exact half cent: 0.025 → either way
        ("0.05", "0.5", "0.02", true),
        ("0.05", "0.5", "0.04", false),
        ("201.45", "21.12", "8530.40", false), // the published XML example's first item
        ("15301.01", "0.064", "979.26", true), // its second item
    ];
    for (price, quantity, amount, accepted) in cases {
        let items = format!(
            r#"[{{"id":1,"name":"x","price":"{price}","quantity":"{quantity}","amount":"{amount}","tax":"vat12"}}]"#
        );
        let r = cheque::from_input(&json::parse(&items).unwrap(), TAXED, "ChequeItems");
        assert_eq!(
            r.is_ok(),
            accepted,
            "{price} × {quantity} = {amount}: {r:?}"
        );
    }
    // Computed when omitted; the total is the exact sum.
    let built = cheque::from_input(&json::parse(ITEMS_RU).unwrap(), TAXED, "ChequeItems").unwrap();
    assert_eq!(built.items[1].amount.as_deref(), Some("1958.53"));
    assert_eq!(built.total_text(), "10488.93");
}

#[test]
fn builder_api_in_rust() {
    let items = vec![
        cheque::ChequeItem::new(1, "201.45", "42.345")
            .product("123460176")
            .name("First item")
            .tax("vat10")
            .hscode("8528722001")
            .fpmode(1),
        cheque::ChequeItem::new(2, "15301.01", "0.128")
            .product("123460189")
            .name("Second item")
            .amount("1958.53")
            .tax("vat20")
            .fpmode(1),
    ];
    let built = cheque::build(items, TAXED, "items").unwrap();
    let repaired = json::parse(&fixture("cheque-items-en.repaired.json")).unwrap();
    assert_eq!(built.to_json().to_canonical(), repaired.to_canonical());
}

// ---------------------------------------------------------------------------------------
// Spec fixtures: cheque items

#[test]
fn published_cheque_item_examples() {
    let ru = json::parse(&fixture("cheque-items-ru.json")).unwrap();
    let built = cheque::from_input(&ru, TAXED, "ChequeItems").unwrap();
    assert_eq!(built.to_json().to_canonical(), ru.to_canonical());
    assert_eq!(built.wire_text().matches("8530.40").count(), 1);
    assert_eq!(built.total_text(), "10488.93");

    assert!(json::parse(&fixture("cheque-items-en.published.txt")).is_err());
    let en = json::parse(&fixture("cheque-items-en.repaired.json")).unwrap();
    let built = cheque::from_input(&en, TAXED, "ChequeItems").unwrap();
    assert_eq!(built.items[0].hscode.as_deref(), Some("8528722001"));
    assert_eq!(built.items[1].tax.as_deref(), Some("vat20"));

    // Decoded as a response: typed, decimals exact.
    let items =
        cheque::decode_response(&Json::str(fixture("cheque-items-en.repaired.json"))).unwrap();
    assert_eq!(items.pointer(&["0", "price"]), None); // arrays are not addressed by pointer
    let first = &items.as_array().unwrap()[0];
    assert_eq!(s(first, "price"), "201.45");
    assert_eq!(s(first, "amount"), "8530.40");
    assert_eq!(first.get("id").and_then(Json::as_i64), Some(1));

    // The XML form (a bare sequence: wrapped to be a document). Its first item is
    // inconsistent as published (201.45 × 21.12 ≠ 8530.40): decoded, but rejected when built.
    let doc = format!(
        "<chequeitems>{}</chequeitems>",
        fixture("cheque-items.published.xml")
    );
    let root = xml::parse(&doc, xml::Limits::default()).unwrap();
    let decoded = cheque::decode_response(&cheque::items_from_xml(&root)).unwrap();
    let list = decoded.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(s(&list[0], "quantity"), "21.12");
    assert_eq!(s(&list[1], "amount"), "979.26");
    let e = cheque::from_input(
        &json::obj([("items", decoded.clone())]),
        TAXED,
        "ChequeItems",
    )
    .unwrap_err();
    assert_eq!(validation_field(&e), "ChequeItems[0].amount");
}

// ---------------------------------------------------------------------------------------
// Responses

#[test]
fn spec_constructed_soap_answer_parses() {
    let r = ok(
        "fiscalReceipt",
        &fixture("response-fiscalreceipt.soap.constructed.xml"),
    );
    assert_eq!(s(&r, "status"), "Success");
    assert_eq!(s(&r, "url"), "https://...");
    assert_eq!(s(&r, "billnumber"), "...");
    assert_eq!(s(&r, "outcome"), "success");
    assert_eq!(s(&r, "format"), "soap");
}

#[test]
fn json_answer_with_service_root() {
    let r = ok(
        "fiscalReceipt",
        &fixture("response-fiscalreceipt-success.constructed.json"),
    );
    assert_eq!(s(&r, "billnumber"), "5791234567890123");
    assert_eq!(s(&r, "fiscalreceipt_ID"), "400001");
    assert_eq!(s(&r, "total"), "10488.93");
    assert_eq!(s(&r, "receipt_datetime"), "2024-05-01 12:30:00");
    assert_eq!(s(&r, "outcome"), "success");
    assert_eq!(r.get("is_final"), Some(&Json::Bool(true)));
    assert!(r.get("errortext").is_none(), "empty errortext dropped");
    assert_eq!(r.get("receipt_error"), Some(&Json::Null));
    let items = r.get("items").and_then(Json::as_array).unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(s(&items[0], "name"), "Первый товар");
    assert_eq!(s(&items[1], "quantity"), "0.128");
    assert!(s(&r, "chequeItems").starts_with("{\"items\""));
    assert_eq!(r.get("other_receipts"), Some(&Json::Array(vec![])));
}

#[test]
fn bare_json_with_odd_case_and_empty_fields() {
    let r = ok(
        "fiscalReceipt",
        &fixture("response-fiscalreceipt-new-bare.constructed.json"),
    );
    assert_eq!(s(&r, "Payment_ID"), "order-42");
    assert_eq!(s(&r, "fiscalreceipt_ID"), "400002");
    assert_eq!(s(&r, "status"), "New");
    assert_eq!(s(&r, "status_raw"), "NEW");
    assert_eq!(s(&r, "outcome"), "pending");
    assert_eq!(r.get("is_final"), Some(&Json::Bool(false)));
    assert!(r.get("total").is_none());
    assert_eq!(
        r.get("items").and_then(Json::as_array).map(Vec::len),
        Some(2)
    );
}

#[test]
fn create_error_is_a_failed_receipt_with_the_errortext_explained() {
    let r = ok(
        "fiscalReceipt",
        &fixture("response-fiscalreceipt-createerror.constructed.json"),
    );
    assert_eq!(s(&r, "outcome"), "failed");
    let error = r.get("receipt_error").unwrap();
    assert_eq!(error.get("code").and_then(Json::as_i64), Some(19521));
    assert_eq!(s(error, "message"), "Не получен статус фискального чека.");
    // 19521's cause is transient, but a CreateError receipt will not change: seed 002 says to
    // check the data and send the request for fiscalization again, not to look it up later.
    assert_eq!(s(error, "advice"), "correct_and_fiscalize_again");
    assert_eq!(error.get("retryable"), Some(&Json::Bool(false)));
    assert!(s(error, "action").contains("CreateError and will not change"));
}

#[test]
fn soap_answers_with_any_prefix_and_item_elements() {
    let r = ok(
        "fiscalReceipt",
        &fixture("response-fiscalreceipt-success.constructed.xml"),
    );
    assert_eq!(s(&r, "status"), "Success");
    assert_eq!(s(&r, "status_raw"), "SUCCESS");
    assert_eq!(s(&r, "url"), "https://receipts.example.kz/r/400001?a=1&b=2");
    assert_eq!(s(&r, "total"), "10488.93");
    assert_eq!(
        r.get("items").and_then(Json::as_array).map(Vec::len),
        Some(2)
    );

    let r = ok(
        "fiscalReceipt",
        &fixture("response-fiscalreceipt-items-xml.constructed.xml"),
    );
    assert_eq!(s(&r, "fiscalreceipt_ID"), "400002");
    assert_eq!(s(&r, "status"), "CreateError");
    assert_eq!(s(&r, "outcome"), "failed");
    let items = r.get("items").and_then(Json::as_array).unwrap();
    assert_eq!(s(&items[0], "amount"), "8530.40");
    assert!(s(&r, "chequeItems").contains("8530.40"));
    // The text without its ID (and with one space where seed 002 has two) is 19508's.
    let error = r.get("receipt_error").unwrap();
    assert_eq!(s(error, "advice"), "correct_and_fiscalize_again");
    assert_eq!(error.get("code").and_then(Json::as_i64), Some(19508));
}

#[test]
fn provider_errors_keep_both_codes() {
    let e = parse(
        "fiscalReceipt",
        200,
        &fixture("response-error.constructed.json"),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert_eq!(e.code().and_then(|c| c.as_i64()), Some(5));
    assert_eq!(
        e.info().details.get("firstcode").and_then(Json::as_i64),
        Some(5)
    );
    assert_eq!(
        e.info().details.get("secondcode").and_then(Json::as_i64),
        Some(100)
    );
    assert!(e.message().contains("Wrong Merchant_ID"), "{e}");
    assert_eq!(e.info().provider, Some("assist"));

    // Inside the service root, as strings, and with only a secondcode.
    let e = parse(
        "fiscalize",
        200,
        r#"{"fiscalize":{"firstcode":"0","secondcode":"7"}}"#,
    )
    .unwrap_err();
    assert_eq!(
        e.info().details.get("secondcode").and_then(Json::as_i64),
        Some(7)
    );
    // Zero codes are not errors.
    let r = ok(
        "fiscalize",
        r#"{"fiscalize":{"firstcode":0,"secondcode":0,"fiscalreceipt_ID":"9"}}"#,
    );
    assert_eq!(s(&r, "fiscalreceipt_ID"), "9");

    let e = parse(
        "fiscalReceipt",
        200,
        &fixture("response-fault.constructed.xml"),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert_eq!(e.code().and_then(|c| c.as_i64()), Some(5));
    assert_eq!(
        e.info().details.get("faultcode").and_then(Json::as_str),
        Some("soapenv:Client")
    );
    assert_eq!(
        e.info().details.get("secondcode").and_then(Json::as_i64),
        Some(100)
    );

    // A fault without codes keeps the faultcode as the code.
    let fault = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault><faultcode>e:Server</faultcode><faultstring>boom</faultstring></e:Fault></e:Body></e:Envelope>"#;
    let e = parse("fiscalReceipt", 500, fault).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert_eq!(
        e.code().map(ToString::to_string).as_deref(),
        Some("e:Server")
    );
    assert_eq!(e.info().http_status, Some(500));

    // Plain XML (Format=3) with codes as attributes.
    let e = parse("fiscalReceipt", 200, r#"<?xml version="1.0"?><result firstcode="2" secondcode="101"><message>no id</message></result>"#).unwrap_err();
    assert_eq!(
        e.info().details.get("secondcode").and_then(Json::as_i64),
        Some(101)
    );
}

#[test]
fn fiscalize_answers_in_json_and_soap() {
    let r = ok("fiscalize", &fixture("response-fiscalize.constructed.json"));
    assert_eq!(s(&r, "fiscalreceipt_ID"), "400004");
    assert_eq!(s(&r, "Payment_ID"), "order-44");
    let r = ok("fiscalize", &fixture("response-fiscalize.constructed.xml"));
    assert_eq!(s(&r, "fiscalreceipt_ID"), "400004");
    assert_eq!(s(&r, "billnumber"), "5791234567890123");
    let e = parse("fiscalize", 200, r#"{"fiscalize":{"status":"ok"}}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
}

#[test]
fn several_receipts_are_all_kept() {
    let body = r#"{"fiscalreceipt":[{"billnumber":"5791234567890123","fiscalreceipt_ID":1,"status":"Success"},{"billnumber":"5791234567890123","fiscalreceipt_ID":2,"status":"New"}]}"#;
    let r = ok("fiscalReceipt", body);
    assert_eq!(s(&r, "fiscalreceipt_ID"), "1");
    let others = r.get("other_receipts").and_then(Json::as_array).unwrap();
    assert_eq!(others.len(), 1);
    assert_eq!(s(&others[0], "outcome"), "pending");
}

#[test]
fn unreadable_answers() {
    let e = parse("fiscalReceipt", 502, "<html><body>Bad Gateway</html>").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.info().retryable);
    let e = parse("fiscalReceipt", 200, "firstcode;secondcode\r\n0;0").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    let e = parse("fiscalReceipt", 401, "").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.message().contains("login"), "{e}");
    let deep = "<a>".repeat(500) + &"</a>".repeat(500);
    assert_eq!(
        parse("fiscalReceipt", 200, &deep).unwrap_err().kind(),
        ErrorKind::Decode
    );
    let doctype = r#"<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>"#;
    assert_eq!(
        parse("fiscalReceipt", 200, doctype).unwrap_err().kind(),
        ErrorKind::Decode
    );
    let missing_status = r#"{"fiscalreceipt":{"billnumber":"5791234567890123"}}"#;
    assert_eq!(
        parse("fiscalReceipt", 200, missing_status)
            .unwrap_err()
            .kind(),
        ErrorKind::Decode
    );
    // A cheque that cannot be decoded does not lose the receipt.
    let r = ok(
        "fiscalReceipt",
        r#"{"status":"Success","chequeItems":"{not json"}"#,
    );
    assert_eq!(r.get("items"), Some(&Json::Null));
    assert!(s(&r, "items_error").contains("chequeItems"));
}

// ---------------------------------------------------------------------------------------
// Table-driven: every status value, every errortext code

fn receipt_bodies(status: &str, errortext: &str) -> [String; 2] {
    let errortext_json = Json::str(errortext).to_compact();
    let mut errortext_xml = String::new();
    xml::escape("errortext", errortext, &mut errortext_xml).unwrap();
    [
        format!(
            r#"{{"fiscalreceipt":{{"fiscalreceipt_ID":"1","status":"{status}","errortext":{errortext_json}}}}}"#
        ),
        format!(
            r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ws:result xmlns:ws="http://www.paysecure.ru/ws/"><fiscalreceipt><fiscalreceipt_ID>1</fiscalreceipt_ID><status>{status}</status><errortext>{errortext_xml}</errortext></fiscalreceipt></ws:result></soap:Body></soap:Envelope>"#
        ),
    ]
}

/// Seed 002: `New`, `Success`, `CreateError` are the current set. spec/assist.md §1.3: an
/// older revision used NEW, IN_PROGRESS, REQUESTED, ERRORRE, SUCCESS, CREAREERROR, ERROR —
/// mapped, and marked legacy. Nothing else (no `NotNeeded`: no source has it).
#[test]
fn every_status_value_in_json_and_soap() {
    // (as sent, reported, outcome, final, legacy)
    let cases = [
        ("New", "New", "pending", false, false),
        ("Success", "Success", "success", true, false),
        ("CreateError", "CreateError", "failed", true, false),
        ("success", "Success", "success", true, false),
        ("createerror", "CreateError", "failed", true, false),
        ("NEW", "New", "pending", false, true),
        ("SUCCESS", "Success", "success", true, true),
        ("CREAREERROR", "CreateError", "failed", true, true),
        ("IN_PROGRESS", "IN_PROGRESS", "pending", false, true),
        ("in progress", "IN_PROGRESS", "pending", false, true),
        ("REQUESTED", "REQUESTED", "pending", false, true),
        ("ERRORRE", "ERRORRE", "pending", false, true),
        ("ErrorRe", "ERRORRE", "pending", false, true),
        ("ERROR", "ERROR", "pending", false, true),
        ("Archived", "Archived", "pending", false, false),
        ("NotNeeded", "NotNeeded", "pending", false, false),
    ];
    for (sent, reported, outcome, is_final, legacy) in cases {
        for body in receipt_bodies(sent, "") {
            let r = ok("fiscalReceipt", &body);
            assert_eq!(s(&r, "status"), reported, "{sent}");
            assert_eq!(s(&r, "outcome"), outcome, "{sent}");
            assert_eq!(r.get("is_final"), Some(&Json::Bool(is_final)), "{sent}");
            assert_eq!(r.get("status_legacy"), Some(&Json::Bool(legacy)), "{sent}");
            let known = !matches!(sent, "Archived" | "NotNeeded");
            assert_eq!(r.get("status_known"), Some(&Json::Bool(known)), "{sent}");
            let raw = if sent == reported {
                Json::Null
            } else {
                Json::str(sent)
            };
            assert_eq!(r.get("status_raw"), Some(&raw), "{sent}");
        }
    }
    // The table: the three current statuses, then the seven legacy spellings, marked.
    let entries = codes::RECEIPT_STATUSES.entries;
    let current: Vec<&str> = entries
        .iter()
        .filter(|c| !c.legacy)
        .map(|c| c.code)
        .collect();
    assert_eq!(current, ["New", "Success", "CreateError"]);
    let legacy: Vec<(&str, Option<&str>)> = entries
        .iter()
        .filter(|c| c.legacy)
        .map(|c| (c.code, c.current))
        .collect();
    assert_eq!(
        legacy,
        [
            ("NEW", Some("New")),
            ("IN_PROGRESS", None),
            ("REQUESTED", None),
            ("ERRORRE", None),
            ("SUCCESS", Some("Success")),
            ("CREAREERROR", Some("CreateError")),
            ("ERROR", None),
        ]
    );
    let exported = codes::RECEIPT_STATUSES.to_json();
    let creareerror = exported.as_array().unwrap()[8].clone();
    assert_eq!(s(&creareerror, "code"), "CREAREERROR");
    assert_eq!(creareerror.get("legacy"), Some(&Json::Bool(true)));
    assert_eq!(s(&creareerror, "current"), "CreateError");
    // The result type's status enum is exactly what the table reports.
    let mut reported: Vec<&str> = entries.iter().map(codes::canonical_status).collect();
    reported.dedup();
    let mut declared = assist::STATUS_VALUES.to_vec();
    reported.sort_unstable();
    reported.dedup();
    declared.sort_unstable();
    assert_eq!(reported, declared);
}

/// No source makes a claim such as "Assist retries by itself": none is in the tables.
#[test]
fn no_claims_without_a_source() {
    for table in assist::TABLES {
        for entry in table.entries {
            for text in [entry.meaning, entry.action] {
                assert!(!text.contains("by itself"), "{}: {text}", entry.code);
                assert!(
                    !text.contains("resends on its side"),
                    "{}: {text}",
                    entry.code
                );
            }
        }
    }
}

/// The 13 errortexts of seed 002 (tests/fixtures/assist/errortexts.seed-002.json, copied from
/// the seed), each given as its text, its ID and both, yield the ID and the documented text;
/// the advice classes are those of issue 11's reading of the seed.
#[test]
fn every_errortext_of_seed_002_as_text_id_and_both() {
    let seed = json::parse(&fixture("errortexts.seed-002.json")).unwrap();
    let rows = seed.get("errortexts").and_then(Json::as_array).unwrap();
    assert_eq!(rows.len(), 13);
    assert_eq!(codes::RECEIPT_ERRORS.entries.len(), 13);
    let advice_of = |id: i64| match id {
        8006 | 868 | 19521 => "look_up_later",
        456 | 155 => "contact_assist",
        _ => "correct_and_fiscalize_again",
    };
    for row in rows {
        let id = row.get("id").and_then(Json::as_i64).unwrap();
        let text = s(row, "errortext");
        let loud = text.to_uppercase();
        let squashed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let forms = [
            text.to_string(),
            format!("  {}  ", text.trim_end_matches('.')),
            loud.clone(),
            format!("{}.", squashed.trim_end_matches('.').replace(' ', "  ")),
            format!("{id}"),
            format!(" {id} "),
            format!("{id} {text}"),
            format!("{id}: {squashed}"),
            format!("[{id}] {loud}"),
            format!("{text} ({id})"),
            format!("{} {id}", squashed.trim_end_matches('.')),
        ];
        for form in forms {
            let explained = assist::explain_errortext_json(&form);
            assert_eq!(
                explained.get("code").and_then(Json::as_i64),
                Some(id),
                "{form:?}"
            );
            assert_eq!(s(&explained, "message"), text, "{form:?}");
            assert_eq!(s(&explained, "text"), form, "{form:?}");
            assert_eq!(s(&explained, "advice"), advice_of(id), "{form:?}");
            assert_eq!(
                explained.get("documented"),
                Some(&Json::Bool(true)),
                "{form:?}"
            );
            assert_eq!(
                explained.get("retryable"),
                Some(&Json::Bool(advice_of(id) == "look_up_later")),
                "{form:?}"
            );
            assert!(!s(&explained, "action").is_empty());
        }
        // The same through a receipt, in JSON and in SOAP. Seed 002 ties what to do to the
        // status: on CreateError (final) check the data and send again, whatever the cause;
        // while New, wait — a second request could make a second receipt. A terminal that is
        // not set up needs Assist either way.
        let in_receipt = |status: &str| match (advice_of(id), status) {
            ("contact_assist", _) => "contact_assist",
            (_, "CreateError") => "correct_and_fiscalize_again",
            _ => "look_up_later",
        };
        for status in ["CreateError", "New"] {
            for form in [text.to_string(), format!("{id}")] {
                for body in receipt_bodies(status, &form) {
                    let r = ok("fiscalReceipt", &body);
                    let e = r.get("receipt_error").unwrap();
                    assert_eq!(e.get("code").and_then(Json::as_i64), Some(id), "{form}");
                    assert_eq!(s(e, "message"), text, "{form}");
                    assert_eq!(s(e, "advice"), in_receipt(status), "{status} {form}");
                    assert_eq!(
                        e.get("retryable"),
                        Some(&Json::Bool(in_receipt(status) == "look_up_later")),
                        "{status} {form}"
                    );
                }
            }
        }
    }
}

/// An errortext that is not among seed 002's examples keeps its raw text, says so, and gets
/// no invented advice.
#[test]
fn an_undocumented_errortext_is_kept_and_said_to_be_undocumented() {
    for (text, code) in [
        ("Что-то новое", None),
        ("12345", Some(12345)),
        ("Ошибка в описании позиций", None),
        ("Ошибка в описании позиций чека: позиция «Чай»", None),
        ("777 Сбой в системе", Some(868)),
        // A number at the end of an undocumented sentence is Assist's (an item number), not
        // an errortext ID, even when it happens to be a documented one.
        ("Ошибка в позиции 151", None),
        ("Ошибка в сумме позиции 3", None),
    ] {
        let explained = assist::explain_errortext_json(text);
        assert_eq!(s(&explained, "text"), text);
        assert_eq!(explained.get("code").and_then(Json::as_i64), code, "{text}");
        if code == Some(868) {
            // An unknown ID with a documented text: the text decides.
            assert_eq!(s(&explained, "advice"), "look_up_later");
            continue;
        }
        assert_eq!(
            explained.get("documented"),
            Some(&Json::Bool(false)),
            "{text}"
        );
        assert_eq!(explained.get("advice"), Some(&Json::Null), "{text}");
        assert_eq!(s(&explained, "message"), "");
        assert!(s(&explained, "meaning").contains("Not among the errortext examples"));
        assert_eq!(explained.get("retryable"), Some(&Json::Bool(false)));
    }
    // A documented ID decides over a different documented text.
    let explained = assist::explain_errortext_json("19511 Сбой в системе.");
    assert_eq!(explained.get("code").and_then(Json::as_i64), Some(19511));
}

// ---------------------------------------------------------------------------------------
// Helpers exported to JS

#[test]
fn helpers() {
    let helper = |name: &str| assist::PROVIDER.helper(name).unwrap();
    let run = |name: &str, args: &[Json]| match helper(name).run {
        kassa::helper::HelperFn::Static(f) => f(args),
        kassa::helper::HelperFn::Method(_) => unreachable!(),
    };
    let built = run("chequeItems", &[json::parse(ITEMS_RU).unwrap()]).unwrap();
    assert_eq!(s(&built, "total"), "10488.93");
    assert!(s(&built, "ChequeItems").contains(r#""amount":1958.53"#));
    let e = run(
        "chequeItems",
        &[json::parse(r#"[{"id":1,"name":"x","price":1,"quantity":1}]"#).unwrap()],
    )
    .unwrap_err();
    assert_eq!(validation_field(&e), "items[0].tax");
    assert!(run(
        "chequeItems",
        &[
            json::parse(r#"[{"id":1,"name":"x","price":1,"quantity":1}]"#).unwrap(),
            json::parse(r#"{"tax":"vat12"}"#).unwrap()
        ]
    )
    .is_ok());
    let parsed = run(
        "parseChequeItems",
        &[Json::str(fixture("cheque-items-ru.json"))],
    )
    .unwrap();
    assert_eq!(parsed.as_array().map(Vec::len), Some(2));
    let servers = run("servers", &[]).unwrap();
    assert_eq!(s(&servers, "ru"), "https://payments.paysecure.ru");
    let explained = run("explainErrortext", &[Json::str("19521")]).unwrap();
    assert_eq!(s(&explained, "advice"), "look_up_later");
}

#[test]
fn typescript_declares_both_operations() {
    let ts = kassa::typescript::module("assist").expect("the assist module");
    for needle in [
        "export declare class AssistFiscal",
        "fiscalReceipt(params?: AssistFiscalFiscalReceiptParams",
        "fiscalize(params: AssistFiscalFiscalizeParams",
        "ChequeItems: Array<AssistChequeItemInput>;",
        "items: Array<AssistChequeItem> | null;",
        "status: 'New' | 'Success' | 'CreateError'",
        "server?: 'ru' | 'ruDemo' | 'ruTest' | 'by' | 'byTest';",
        "static chequeItems(",
        "receiptErrors: CodeEntry[];",
    ] {
        assert!(ts.contains(needle), "missing {needle}");
    }
}

#[test]
fn other_wrappers_are_tolerated() {
    let r = ok(
        "fiscalReceipt",
        r#"{"firstcode":0,"secondcode":0,"fiscalreceipt":{"fiscalreceipt_ID":"7","status":"Success"}}"#,
    );
    assert_eq!(s(&r, "fiscalreceipt_ID"), "7");
    let soap = r#"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Header/><S:Body><w:fiscalizeResponse xmlns:w="http://www.paysecure.ru/ws/"><return><fiscalreceipt_ID>8</fiscalreceipt_ID></return></w:fiscalizeResponse></S:Body></S:Envelope>"#;
    assert_eq!(s(&ok("fiscalize", soap), "fiscalreceipt_ID"), "8");
    let soap12 = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value></env:Code><env:Reason><env:Text xml:lang="en">bad</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>"#;
    let e = parse("fiscalReceipt", 200, soap12).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert_eq!(
        e.info().details.get("faultstring").and_then(Json::as_str),
        Some("bad")
    );
}

#[test]
fn pass_through_names_must_be_plain() {
    let e = build(
        &soap_client(),
        "fiscalize",
        &fiscalize_params(r#","a><b":"1""#),
    )
    .unwrap_err();
    assert_eq!(validation_field(&e), "a><b");
    let req = build(
        &soap_client(),
        "fiscalize",
        &fiscalize_params(r#","CustomerNote":"<&>""#),
    )
    .unwrap();
    assert!(req
        .body
        .unwrap()
        .contains("<customernote>&lt;&amp;&gt;</customernote>"));
}

#[test]
fn mutated_answers_never_panic() {
    let seeds = [
        fixture("response-fiscalreceipt-success.constructed.xml"),
        fixture("response-fiscalreceipt-items-xml.constructed.xml"),
        fixture("response-fault.constructed.xml"),
        fixture("response-fiscalreceipt-success.constructed.json"),
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let c = client();
    let alphabet = b"<>/&;:=\"' x]![-?{}\\0";
    for seed in &seeds {
        for _ in 0..400 {
            let mut bytes = seed.as_bytes().to_vec();
            for _ in 0..(1 + next() % 4) {
                if bytes.is_empty() {
                    break;
                }
                let at = (next() as usize) % bytes.len();
                match next() % 3 {
                    0 => bytes[at] = alphabet[(next() as usize) % alphabet.len()],
                    1 => {
                        bytes.remove(at);
                    }
                    _ => bytes.truncate(at),
                }
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            for op in ["fiscalReceipt", "fiscalize"] {
                let _ = c.parse(op, &HttpResponse::new(200, text.clone()));
            }
        }
    }
}

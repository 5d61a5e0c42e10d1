//! Tarlan acquiring: every documented request and response of spec/tarlan-acquiring.md §3-§7
//! as fixtures, signed against the spec's vectors (and signatures computed independently).

mod common;
use common::{num, s};
use kassa::codes::Outcome;
use kassa::json::{self, Json};
use kassa::operation::{BuildCtx, OpClass};
use kassa::tarlan::acquiring::{self, codes};
use kassa::{Client, ErrorKind, HttpRequest, HttpResponse, KassaError, Method};

fn fixture(name: &str) -> String {
    common::fixture("acquiring", name)
}

fn vector(name: &str) -> String {
    let all = json::parse(&fixture("signatures.json")).unwrap();
    all.get(name).and_then(Json::as_str).unwrap().to_string()
}

fn client_with(options: &str) -> Client {
    Client::new(&acquiring::PROVIDER, json::parse(options).unwrap()).unwrap()
}

/// The merchant of the documented pay-in/pay-out examples.
fn client() -> Client {
    client_with(r#"{"secret":"12345","merchantId":9999,"projectId":9999}"#)
}

/// A client without ids: the documented bodies carry their own.
fn bare() -> Client {
    client_with(r#"{"secret":"12345"}"#)
}

const CTX: BuildCtx = BuildCtx { now_ms: None };

fn build(c: &Client, op: &str, params: &str) -> HttpRequest {
    c.build(op, json::parse(params).unwrap(), &CTX)
        .unwrap_or_else(|e| panic!("{op}: {e}"))
}

fn body_of(req: &HttpRequest) -> Json {
    json::parse(req.body.as_deref().unwrap()).unwrap()
}

/// The documented body minus its `""` fields (kassa never sends them).
fn without_empty(doc: &Json) -> Json {
    let mut map = doc.as_object().unwrap().clone();
    map.retain(|_, v| v.as_str() != Some(""));
    Json::Object(map)
}

fn bearer(req: &HttpRequest) -> &str {
    req.header("Authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or_else(|| panic!("no Bearer header in {:?}", req.headers))
}

fn parse(op: &str, status: u16, body: &str) -> Result<Json, KassaError> {
    client().parse(op, &HttpResponse::new(status, body))
}

fn ok(op: &str, name: &str) -> Json {
    parse(op, 200, &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn int_code(e: &KassaError) -> i64 {
    e.code().and_then(|c| c.as_i64()).unwrap()
}

// ---------------------------------------------------------------------------------------
// Requests: documented bodies, derived vectors

#[test]
fn pay_out_doc_body_is_sent_without_empty_fields_and_signs_to_vector_e() {
    let doc = json::parse(&fixture("request-pay-out.json")).unwrap();
    let req = bare()
        .build("payOut", doc.clone(), &CTX)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url,
        "https://prapi.tarlanpayments.kz/transaction/api/v1/transaction/primal/pay-out"
    );
    assert_eq!(req.header("Content-Type"), Some("application/json"));
    assert_eq!(bearer(&req), vector("E_pay_out_doc_body"));
    let sent = body_of(&req);
    assert_eq!(sent.to_canonical(), without_empty(&doc).to_canonical());
    assert!(sent.get("confirm_url").is_none() && sent.get("shipment").is_none());
    // additional_data is sent (but not signed).
    assert_eq!(s(&sent, &["additional_data", "test1"]), "value1");
}

#[test]
fn form_bodies_equal_the_documented_ones_and_sign_independently_computed_values() {
    let pay_in = json::parse(&fixture("request-pay-in.json")).unwrap();
    for (op, path) in [
        ("payIn", "/transaction/api/v1/transaction/primal/pay-in"),
        (
            "applePay",
            "/transaction/api/v1/transaction/primal/apple-pay",
        ),
        (
            "googlePay",
            "/transaction/api/v1/transaction/primal/google-pay",
        ),
    ] {
        let req = bare().build(op, pay_in.clone(), &CTX).unwrap();
        assert_eq!(req.url, format!("https://prapi.tarlanpayments.kz{path}"));
        assert_eq!(body_of(&req).to_canonical(), pay_in.to_canonical(), "{op}");
        assert_eq!(bearer(&req), vector("pay_in_doc_body"), "{op}");
    }
    let link = json::parse(&fixture("request-card-link.json")).unwrap();
    let req = bare().build("cardLink", link.clone(), &CTX).unwrap();
    assert!(req
        .url
        .ends_with("/transaction/api/v1/transaction/primal/card-link"));
    assert_eq!(body_of(&req).to_canonical(), link.to_canonical());
    assert_eq!(bearer(&req), vector("card_link_doc_body"));
}

#[test]
fn one_click_doc_body_drops_its_empty_callback_url() {
    let doc = json::parse(&fixture("request-one-click.json")).unwrap();
    let req = bare().build("oneClickPayIn", doc.clone(), &CTX).unwrap();
    assert!(req
        .url
        .ends_with("/transaction/api/v1/system/one-click/pay-in"));
    assert_eq!(
        body_of(&req).to_canonical(),
        without_empty(&doc).to_canonical()
    );
    assert!(!req.body.as_deref().unwrap().contains("callback_url"));
    assert_eq!(bearer(&req), vector("one_click_doc_body"));
}

#[test]
fn delete_card_sends_a_signed_json_body_on_delete_with_either_field_name() {
    let doc = json::parse(&fixture("request-delete-card.json")).unwrap();
    let req = bare().build("deleteCard", doc.clone(), &CTX).unwrap();
    assert_eq!(req.method, Method::Delete);
    assert_eq!(
        req.url,
        "https://prapi.tarlanpayments.kz/card/api/v1/system/client/card/pay-in"
    );
    assert_eq!(body_of(&req).to_canonical(), doc.to_canonical());
    assert_eq!(bearer(&req), vector("delete_card_doc_body"));
    // The table's field name.
    let req = build(
        &client_with(r#"{"secret":"12345","merchantId":1,"projectId":3}"#),
        "deleteCard",
        r#"{"card_token":"Qwerty12345"}"#,
    );
    assert_eq!(
        req.body.as_deref(),
        Some(r#"{"card_token":"Qwerty12345","merchant_id":1,"project_id":3}"#)
    );
    // Neither / both.
    let e = client()
        .build("deleteCard", json::parse("{}").unwrap(), &CTX)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.info().field.as_deref(), Some("card_token"));
    let e = client()
        .build(
            "deleteCard",
            json::parse(r#"{"card_token":"a","encrypted_card_id":"a"}"#).unwrap(),
            &CTX,
        )
        .unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("encrypted_card_id"));
}

#[test]
fn refund_sends_an_integer_transaction_id_and_rejects_the_published_string() {
    let req = bare().build(
        "refund",
        json::parse(&fixture("request-refund.repaired.json")).unwrap(),
        &CTX,
    );
    let req = req.unwrap();
    assert_eq!(
        req.url,
        "https://prapi.tarlanpayments.kz/refund/api/v1/system/refund/partial"
    );
    assert_eq!(
        req.body.as_deref(),
        Some(r#"{"amount":10,"transaction_id":100474}"#)
    );
    assert_eq!(bearer(&req), vector("refund_repaired_body"));
    let e = bare()
        .build(
            "refund",
            json::parse(&fixture("request-refund.published.txt")).unwrap(),
            &CTX,
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.info().field.as_deref(), Some("transaction_id"));
    // Fractional refunds are sent as numbers, exactly.
    let req = build(
        &bare(),
        "refund",
        r#"{"amount":"10.50","transaction_id":1}"#,
    );
    assert_eq!(
        req.body.as_deref(),
        Some(r#"{"amount":10.5,"transaction_id":1}"#)
    );
}

#[test]
fn status_get_signs_its_query_with_integers_as_numbers_vector_h() {
    let c = client_with(r#"{"secret":"12345","merchantId":1,"projectId":42}"#);
    let req = build(
        &c,
        "status",
        r#"{"project_reference_id":"sanch92116","type":"in"}"#,
    );
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.body, None);
    assert_eq!(
        req.url,
        "https://prapi.tarlanpayments.kz/transaction/api/v1/system/transaction/status?merchant_id=1&project_id=42&project_reference_id=sanch92116&type=in"
    );
    assert_eq!(req.header("Accept"), Some("application/json"));
    assert_eq!(bearer(&req), vector("H_status_doc_curl"));
}

#[test]
fn cards_get_signs_vector_d_and_the_documented_curl() {
    let c = client_with(r#"{"secret":"12345","merchantId":123,"projectId":124}"#);
    let req = build(&c, "cards", r#"{"project_client_id":"999"}"#);
    assert_eq!(
        req.url,
        "https://prapi.tarlanpayments.kz/transaction/api/v1/system/client/cards?merchant_id=123&project_id=124&project_client_id=999"
    );
    assert_eq!(bearer(&req), vector("D_cards_signature_page"));
    let req = build(
        &bare(),
        "cards",
        r#"{"merchant_id":999,"project_id":999,"project_client_id":"999"}"#,
    );
    assert_eq!(
        req.url,
        "https://prapi.tarlanpayments.kz/transaction/api/v1/system/client/cards?merchant_id=999&project_id=999&project_client_id=999"
    );
    assert_eq!(bearer(&req), vector("cards_doc_curl"));
}

#[test]
fn upper_fee_sends_and_signs_the_amount_without_trailing_zeros() {
    let req = build(
        &bare(),
        "upperFee",
        r#"{"merchant_id":999,"project_id":999,"transaction_amount":"1000.00","transaction_type_code":"in"}"#,
    );
    assert_eq!(
        req.url,
        "https://prapi.tarlanpayments.kz/commission/api/v1/system/project/upper/commission?merchant_id=999&project_id=999&transaction_amount=1000&transaction_type_code=in"
    );
    assert_eq!(bearer(&req), vector("upper_fee_doc_curl"));
    // The curl's "comission" spelling is one option away.
    let c = client_with(
        r#"{"secret":"12345","paths":{"upperFee":"/comission/api/v1/system/project/upper/commission"}}"#,
    );
    let req = build(
        &c,
        "upperFee",
        r#"{"merchant_id":999,"project_id":999,"transaction_amount":1000,"transaction_type_code":"in"}"#,
    );
    assert!(req
        .url
        .starts_with("https://prapi.tarlanpayments.kz/comission/api/v1/"));
    assert_eq!(bearer(&req), vector("upper_fee_doc_curl"));
}

/// Spec §4.9: the newest copy of the charge page (copy A) lists `transaction_id`* Integer and
/// `amount`* Float; only the older copies B/C list `merchant_id`, `project_id`, `description`.
#[test]
fn charge_sends_the_newest_table_and_ids_only_when_passed() {
    let req = build(
        &client(),
        "charge",
        r#"{"transaction_id":100474,"amount":5}"#,
    );
    assert!(req
        .url
        .ends_with("/transaction/api/v1/system/two-stage/charge"));
    assert_eq!(
        req.body.as_deref(),
        Some(r#"{"amount":5,"transaction_id":100474}"#),
        "the client's merchantId/projectId are not merged: copy A does not list them"
    );
    // Following copies B/C is the caller's choice, field by field.
    let req = build(
        &client(),
        "charge",
        r#"{"transaction_id":100474,"amount":5,"merchant_id":"9999","project_id":9999,"description":"d"}"#,
    );
    assert_eq!(
        req.body.as_deref(),
        Some(
            r#"{"amount":5,"description":"d","merchant_id":"9999","project_id":9999,"transaction_id":100474}"#
        )
    );
}

/// Spec §4.2 and §4.3: the pay-out tables are truncated. Their visible rows are sent (the
/// required ones required); what only the cut-off rows can hold is optional and sent only
/// when passed — `project_id` is not filled from the client options, and payOutByPhone's
/// `amount` is not required.
#[test]
fn pay_outs_without_form_send_the_visible_rows_and_what_is_passed() {
    // payOutDirect: amount*, callback_url, description*, project_order_id, merchant_id*.
    let req = build(
        &client(),
        "payOutDirect",
        r#"{"amount":100,"description":"d"}"#,
    );
    assert!(req.url.ends_with("/transaction/api/v1/system/pay-out"));
    assert_eq!(
        req.body.as_deref(),
        Some(r#"{"amount":100,"description":"d","merchant_id":9999}"#)
    );
    for missing in ["amount", "description"] {
        let mut params = json::parse(r#"{"amount":100,"description":"d"}"#).unwrap();
        params.as_object_mut().unwrap().remove(missing);
        let e = client().build("payOutDirect", params, &CTX).unwrap_err();
        assert_eq!(e.info().field.as_deref(), Some(missing));
    }
    let req = build(
        &client(),
        "payOutDirect",
        r#"{"amount":100,"description":"d","project_id":9999,"project_reference_id":"o-1","card_token":"tok","undocumented_field":"x","empty_extra":""}"#,
    );
    let body = body_of(&req);
    assert_eq!(s(&body, &["project_reference_id"]), "o-1");
    assert_eq!(body.get("project_id").and_then(Json::as_i64), Some(9999));
    assert_eq!(
        s(&body, &["undocumented_field"]),
        "x",
        "incomplete tables pass extra fields through"
    );
    assert!(body.get("empty_extra").is_none(), "\"\" is never sent");
    // payOutByPhone: phone_number*, callback_url, description*, merchant_id*, project_client_id.
    let req = build(
        &client(),
        "payOutByPhone",
        r#"{"phone_number":"+77001234567","description":"d"}"#,
    );
    assert_eq!(
        req.url,
        "https://prapi.tarlanpayments.kz/transaction/api/v1/primal/payout/phone"
    );
    assert_eq!(
        req.body.as_deref(),
        Some(r#"{"description":"d","merchant_id":9999,"phone_number":"+77001234567"}"#)
    );
    let req = build(
        &client(),
        "payOutByPhone",
        r#"{"phone_number":"+77001234567","amount":"100.50","description":"d","project_reference_id":"o-2"}"#,
    );
    assert_eq!(
        req.body.as_deref(),
        Some(
            r#"{"amount":100.5,"description":"d","merchant_id":9999,"phone_number":"+77001234567","project_reference_id":"o-2"}"#
        )
    );
    let e = client()
        .build(
            "payOutByPhone",
            json::parse(r#"{"phone_number":"+77001234567","description":"d","amount":"1.005"}"#)
                .unwrap(),
            &CTX,
        )
        .unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("amount"));
}

#[test]
fn the_php_example_signs_to_vector_c_and_additional_data_is_never_signed() {
    let doc = fixture("request-signature-php-example.json");
    assert_eq!(
        kassa::tarlan_sign(&doc, "12345").unwrap(),
        vector("C_php_example")
    );
    // Changing additional_data changes the body but not the signature.
    let base = r#"{"amount":10,"callback_url":"https://test.site/callback_url","description":"999","failure_redirect_url":"https://www.test.com","project_client_id":"999","project_reference_id":"999","success_redirect_url":"https://www.test.com""#;
    let a = build(
        &client(),
        "payIn",
        &format!("{base},\"additional_data\":{{\"x\":1}}}}"),
    );
    let b = build(
        &client(),
        "payIn",
        &format!("{base},\"additional_data\":{{\"x\":2}}}}"),
    );
    assert_ne!(a.body, b.body);
    assert_eq!(bearer(&a), bearer(&b));
    assert_eq!(bearer(&a), vector("E_pay_out_doc_body"));
}

#[test]
fn signature_escaping_probes_f_and_g_per_option() {
    let f = r#"{"amount":10,"description":"Оплата заказа","project_reference_id":"A-1","callback_url":"https://x.kz/cb","success_redirect_url":"https://x.kz/ok"}"#;
    // F is a bare body: check the escaping through the public signer and the sender.
    let f_body = r#"{"amount":10,"description":"Оплата заказа","merchant_id":1,"project_id":1,"project_reference_id":"A-1"}"#;
    assert_eq!(
        kassa::tarlan_sign(f_body, "12345").unwrap(),
        vector("F_raw")
    );
    let g_body =
        r#"{"merchant_id":1,"project_id":1,"success_redirect_url":"https://shop.kz/ok?a=1&b=2"}"#;
    assert_eq!(kassa::tarlan_sign(g_body, "12345").unwrap(), vector("G_go"));
    use kassa::tarlan::sign::{sign_canonical, Escaping};
    let f_go = kassa::canonical_json(f_body).unwrap();
    assert_eq!(
        sign_canonical(&Escaping::Php.apply(&f_go), "12345"),
        vector("F_esc")
    );
    assert_eq!(
        sign_canonical(&Escaping::Raw.apply(&f_go), "12345"),
        vector("F_raw")
    );
    let g_go = kassa::canonical_json(g_body).unwrap();
    assert_eq!(
        sign_canonical(&Escaping::Raw.apply(&g_go), "12345"),
        vector("G_raw")
    );
    assert_eq!(
        sign_canonical(&Escaping::Php.apply(&g_go), "12345"),
        vector("G_raw")
    );
    // Through a client: the body sent is written in the same escaping as the text signed.
    let g_params = r#"{"success_redirect_url":"https://shop.kz/ok?a=1&b=2","amount":1,"description":"d","project_reference_id":"r"}"#;
    for (escaping, needle) in [("go", r"\u0026"), ("raw", "&b=2"), ("php", "&b=2")] {
        let c = client_with(&format!(
            r#"{{"secret":"12345","merchantId":1,"projectId":1,"signatureEscaping":"{escaping}"}}"#
        ));
        let req = build(&c, "payIn", g_params);
        assert!(req.body.as_deref().unwrap().contains(needle), "{escaping}");
        let expected = kassa::tarlan::sign::sign_canonical(
            &kassa::tarlan::sign::signable_text(
                body_of(&req).as_object().unwrap(),
                Escaping::from_name(escaping).unwrap(),
            ),
            "12345",
        );
        assert_eq!(bearer(&req), expected);
        let php = client_with(
            r#"{"secret":"12345","merchantId":1,"projectId":1,"signatureEscaping":"php"}"#,
        );
        let req = build(&php, "payIn", f);
        assert!(req.body.as_deref().unwrap().contains(r"\u041e\u043f"));
        assert_eq!(
            body_of(&req).get("description").and_then(Json::as_str),
            Some("Оплата заказа")
        );
    }
    // A literal backslash-u sequence in a value is not mistaken for an escape.
    assert_eq!(
        Escaping::Raw.apply(r#"{"a":"\\u0026"}"#),
        r#"{"a":"\\u0026"}"#
    );
    assert_eq!(
        Escaping::Php.apply("{\"a\":\"\\u0008😀\"}"),
        r#"{"a":"\b\ud83d\ude00"}"#
    );
}

// ---------------------------------------------------------------------------------------
// Options, environments, validation

#[test]
fn environments_select_the_host_and_production_is_never_replaced_silently() {
    let host = |options: &str| {
        let c = client_with(options);
        build(&c, "refund", r#"{"amount":1,"transaction_id":1}"#).url
    };
    assert!(host(r#"{"secret":"1"}"#).starts_with("https://prapi.tarlanpayments.kz/"));
    assert!(host(r#"{"secret":"1","environment":"production"}"#)
        .starts_with("https://prapi.tarlanpayments.kz/"));
    assert!(host(r#"{"secret":"1","environment":"sandbox"}"#)
        .starts_with("https://sandboxapi.tarlanpayments.kz/"));
    assert!(host(r#"{"secret":"1","baseUrl":"http://127.0.0.1:8787/"}"#)
        .starts_with("http://127.0.0.1:8787/refund/"));
    assert!(host(
        r#"{"secret":"1","environment":"sandbox","paths":{"refund":"/transaction/api/v1/system/refund/partial"}}"#
    )
    .starts_with("https://sandboxapi.tarlanpayments.kz/transaction/api/v1/system/refund/partial"));
    let c = client_with(r#"{"secret":"1","environment":"sandbox"}"#);
    assert_eq!(
        c.describe().get("environment").and_then(Json::as_str),
        Some("sandbox")
    );
    for (options, field) in [
        (
            r#"{"secret":"1","environment":"production","baseUrl":"https://sandboxapi.tarlanpayments.kz"}"#,
            "baseUrl",
        ),
        (
            r#"{"secret":"1","environment":"sandbox","baseUrl":"https://prapi.tarlanpayments.kz"}"#,
            "baseUrl",
        ),
        (
            r#"{"secret":"1","baseUrl":"https://prapi.test-tarlanpayments.kz"}"#,
            "baseUrl",
        ),
        (r#"{"secret":"1","environment":"test"}"#, "environment"),
        (r#"{"secret":"1","merchantId":"abc"}"#, "merchantId"),
        (r#"{"secret":"1","paths":{"refnd":"/x"}}"#, "paths.refnd"),
        (r#"{"secret":"1","paths":{"refund":"x"}}"#, "paths.refund"),
        (
            r#"{"secret":"1","signatureEscaping":"json"}"#,
            "signatureEscaping",
        ),
        (r#"{}"#, "secret"),
        (r#"{"secret":"12345 "}"#, "secret"),
        (r#"{"secret":"1","merchant_id":1}"#, "merchant_id"),
    ] {
        let e = Client::new(&acquiring::PROVIDER, json::parse(options).unwrap()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{options}: {e}");
        assert_eq!(e.info().field.as_deref(), Some(field), "{options}: {e}");
        assert!(!e.message().contains("12345"));
    }
}

#[test]
fn params_are_validated_with_the_field_named() {
    let valid = r#""amount":10,"description":"d","project_reference_id":"r","success_redirect_url":"https://a.kz""#;
    let check = |params: String, field: &str, words: &str| {
        let e = client()
            .build("payIn", json::parse(&params).unwrap(), &CTX)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{params}: {e}");
        assert_eq!(e.info().field.as_deref(), Some(field), "{params}: {e}");
        assert!(e.message().contains(words), "{e}");
    };
    check(
        format!("{{{valid},\"amount\":10.123}}"),
        "amount",
        "2 decimal",
    );
    check(
        format!("{{{valid},\"amount\":0}}"),
        "amount",
        "greater than 0",
    );
    check(
        format!("{{{valid},\"description\":\"{}\"}}", "я".repeat(51)),
        "description",
        "50 characters",
    );
    check(
        format!("{{{valid},\"callback_url\":\"test.site\"}}"),
        "callback_url",
        "http",
    );
    check(
        format!("{{{valid},\"merchant_id\":\"9999\"}}"),
        "merchant_id",
        "integer",
    );
    check(
        format!("{{{valid},\"projectReferenceId\":\"r\"}}"),
        "projectReferenceId",
        "project_reference_id",
    );
    check(
        r#"{"amount":10,"description":"d","project_reference_id":"r"}"#.into(),
        "success_redirect_url",
        "required",
    );
    check(
        format!("{{{valid},\"project_reference_id\":\"\"}}"),
        "project_reference_id",
        "must not be empty",
    );
    // 50 Cyrillic characters are fine; failure_redirect_url falls back to success_redirect_url.
    let req = build(
        &client(),
        "payIn",
        &format!("{{{valid},\"description\":\"{}\"}}", "я".repeat(50)),
    );
    assert_eq!(s(&body_of(&req), &["failure_redirect_url"]), "https://a.kz");
    // Pay-out keeps it optional and does not fill it.
    let req = build(&client(), "payOut", &format!("{{{valid}}}"));
    assert!(body_of(&req).get("failure_redirect_url").is_none());
    // A missing id says where to set it once.
    let e = bare()
        .build(
            "status",
            json::parse(r#"{"project_reference_id":"r","type":"in"}"#).unwrap(),
            &CTX,
        )
        .unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("merchant_id"));
    assert!(e.message().contains("`merchantId`"), "{e}");
}

#[test]
fn the_secret_never_leaks_and_ops_are_classed_for_the_transport() {
    let c = client_with(r#"{"secret":"s3cr3t-value","merchantId":1,"projectId":2}"#);
    assert!(!format!("{c:?}").contains("s3cr3t-value"));
    assert!(!c.describe().to_compact().contains("s3cr3t-value"));
    let names: Vec<&str> = acquiring::OPERATIONS.iter().map(|o| o.name).collect();
    assert_eq!(
        names,
        [
            "payIn",
            "payOut",
            "cardLink",
            "applePay",
            "googlePay",
            "oneClickPayIn",
            "payOutDirect",
            "payOutByPhone",
            "charge",
            "status",
            "cards",
            "deleteCard",
            "refund",
            "upperFee"
        ]
    );
    let class = |name: &str| acquiring::PROVIDER.op(name).unwrap().class;
    for name in ["payIn", "payOut", "applePay", "googlePay"] {
        assert_eq!(class(name), OpClass::IdempotentWrite, "{name}");
        let resolve = acquiring::PROVIDER.op(name).unwrap().resolve.unwrap();
        assert_eq!(resolve.operation, "status");
        assert_eq!(resolve.duplicate_codes, &[5000]);
    }
    for name in [
        "oneClickPayIn",
        "payOutDirect",
        "payOutByPhone",
        "charge",
        "refund",
    ] {
        assert_eq!(class(name), OpClass::MoneyMoving, "{name}");
    }
    for name in ["status", "cards", "upperFee"] {
        assert_eq!(class(name), OpClass::Read, "{name}");
    }
    assert_eq!(class("cardLink"), OpClass::Write);
    assert_eq!(class("deleteCard"), OpClass::Write);
    // Every resolve names a real operation and every status resolve a documented type.
    for op in &acquiring::OPERATIONS {
        if let Some(r) = op.resolve {
            assert!(acquiring::PROVIDER.op(r.operation).is_some());
            for (_, ty) in r.fixed {
                assert!(codes::TRANSACTION_TYPES.find(ty).is_some(), "{ty}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Responses

#[test]
fn form_results_give_the_page_url_and_its_transaction_id_with_the_hash_intact() {
    for op in ["payIn", "payOut", "cardLink", "applePay", "googlePay"] {
        for (file, host) in [
            ("payment-page.json", "https://process.tarlanpayments.kz"),
            (
                "payment-page-dev.json",
                "https://process-dev.tarlanpayments.kz",
            ),
        ] {
            let r = ok(op, file);
            assert_eq!(
                s(&r, &["url"]),
                format!("{host}?hash=$2a$10$nhrUYWm9sDVYqCL4LKxn9ugrdC4Pszz5wGaUsDYYIqCGc8ZA4Vu0y&transaction_id=100474")
            );
            assert_eq!(r.get("transaction_id").and_then(Json::as_i64), Some(100474));
            assert_eq!(
                s(&r, &["hash"]),
                "$2a$10$nhrUYWm9sDVYqCL4LKxn9ugrdC4Pszz5wGaUsDYYIqCGc8ZA4Vu0y"
            );
        }
    }
    // Percent-encoded hashes decode to the same text; a URL without an id gives null.
    let page = acquiring::payment_page(
        "https://process.tarlanpayments.kz?transaction_id=7&hash=%242a%2410%24abc",
    );
    assert_eq!(s(&page, &["hash"]), "$2a$10$abc");
    assert_eq!(page.get("transaction_id").and_then(Json::as_i64), Some(7));
    let page = acquiring::payment_page("https://process.tarlanpayments.kz");
    assert_eq!(page.get("transaction_id"), Some(&Json::Null));
    // A success whose result is not a URL is a decode error that says to check first.
    let e = parse(
        "payIn",
        200,
        r#"{"status":true,"message":"Success","result":{}}"#,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.message().contains("status"));
}

#[test]
fn one_click_status_cards_refund_upper_fee_and_delete_parse_to_documented_values() {
    let r = ok("oneClickPayIn", "one-click-success.json");
    assert_eq!(
        r.get("transaction_id").and_then(Json::as_i64),
        Some(140001455)
    );
    assert_eq!(s(&r, &["transaction_status_code"]), "success");
    assert_eq!(s(&r, &["bank_code"]), "101");
    assert_eq!(s(&r, &["bank_message"]), "3DS authentication failed");
    assert_eq!(s(&r, &["outcome"]), "success");

    let r = ok("status", "status-success.repaired.json");
    assert_eq!(r.get("id").and_then(Json::as_i64), Some(99999));
    assert_eq!(num(&r, &["amount"]), "10");
    assert_eq!(s(&r, &["user_email"]), "test@inbox.ru");
    assert_eq!(s(&r, &["card_token"]), "sdfasdf23");
    assert_eq!(s(&r, &["masked_pan"]), "0000-00XXXXXX-0000");
    assert_eq!(s(&r, &["bank_code"]), "0");
    assert_eq!(s(&r, &["additional_data", "lkk"]), "123");
    assert_eq!(s(&r, &["transaction_status", "code"]), "success");
    assert_eq!(
        s(&r, &["transaction_status", "name"]),
        "Транзакция прошла успешно"
    );
    assert_eq!(s(&r, &["transaction_type", "code"]), "out");
    assert_eq!(s(&r, &["created_at"]), "2023-10-04T10:05:02.93843Z");
    assert_eq!(s(&r, &["bank_reference_id"]), "100885");
    assert_eq!(
        r.get("refunds").and_then(Json::as_array).map(Vec::len),
        Some(0)
    );
    assert_eq!(s(&r, &["outcome"]), "success");
    // The published (invalid JSON) example is a decode error, not a panic or a success.
    let e = parse("status", 200, &fixture("status-success.published.txt")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);

    let r = ok("cards", "cards-success.json");
    let cards = r.as_array().unwrap();
    assert_eq!(cards.len(), 3);
    for card in cards {
        assert_eq!(s(card, &["card_token"]), "");
        assert_eq!(s(card, &["masked_pan"]), "0000-00XXXXXX-0000");
    }

    let r = ok("refund", "refund-success-string.json");
    assert_eq!(s(&r, &["result"]), "success");
    let r = ok("refund", "refund-success-object.json");
    assert_eq!(r.get("transaction_id").and_then(Json::as_i64), Some(999));
    assert_eq!(
        r.get("transaction_status_code").and_then(Json::as_i64),
        Some(999)
    );

    let r = ok("upperFee", "upper-fee-success.json");
    assert_eq!(num(&r, &["total_commission_amount"]), "999.00");

    let r = ok("deleteCard", "delete-card-success.json");
    assert_eq!(r.as_str(), Some("success"));

    // charge: only the start of its 200 example survived; both shapes are accepted.
    let r = parse(
        "charge",
        200,
        r#"{"status":true,"message":"Success","result":"success"}"#,
    )
    .unwrap();
    assert_eq!(s(&r, &["result"]), "success");
    assert_eq!(r.get("outcome"), Some(&Json::Null));
    let r = parse(
        "charge",
        200,
        r#"{"status":true,"message":"Success","result":{"transaction_id":1,"transaction_status_code":"success"}}"#,
    )
    .unwrap();
    assert_eq!(s(&r, &["outcome"]), "success");
}

#[test]
fn error_examples_give_the_right_kind_and_code() {
    let cases: [(&str, u16, &str, ErrorKind, i64); 8] = [
        (
            "cardLink",
            400,
            "error-5000.json",
            ErrorKind::Provider,
            5000,
        ),
        (
            "deleteCard",
            500,
            "error-5406.json",
            ErrorKind::Signature,
            5406,
        ),
        ("status", 500, "error-5103.json", ErrorKind::Provider, 5103),
        ("refund", 500, "error-5103.json", ErrorKind::Provider, 5103),
        ("cards", 500, "error-1021.json", ErrorKind::Validation, 1021),
        (
            "upperFee",
            500,
            "error-5102-commission.json",
            ErrorKind::Validation,
            5102,
        ),
        ("payIn", 400, "error-5000.json", ErrorKind::Provider, 5000),
        ("payIn", 200, "error-5406.json", ErrorKind::Signature, 5406),
    ];
    for (op, status, file, kind, code) in cases {
        let e = parse(op, status, &fixture(file)).unwrap_err();
        assert_eq!(e.kind(), kind, "{file}: {e}");
        assert_eq!(int_code(&e), code, "{file}");
        assert_eq!(e.info().http_status, Some(status));
        assert_eq!(e.info().provider, Some("acquiring"));
        assert_eq!(e.info().operation, Some(op));
    }
    let e = parse("payIn", 400, &fixture("error-5000.json")).unwrap_err();
    assert_eq!(e.info().details.get("duplicate"), Some(&Json::Bool(true)));
    assert!(e.message().contains("transaction already exists"));
    let e = parse("upperFee", 500, &fixture("error-5102-commission.json")).unwrap_err();
    assert!(e.message().contains("commission not found"), "{e}");
    let e = parse("status", 502, "<html>502 Bad Gateway</html>").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.info().retryable);
}

#[test]
fn missing_required_response_fields_are_decode_errors_and_extras_are_kept() {
    let e = parse(
        "status",
        200,
        r#"{"status":true,"result":{"id":1,"transaction_status":{"name":"x"}}}"#,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(
        e.info().field.as_deref(),
        Some("result.transaction_status.code")
    );
    let r = parse(
        "status",
        200,
        r#"{"status":true,"result":{"id":1,"transaction_status":{"code":"brand_new"},"x":7}}"#,
    )
    .unwrap();
    assert_eq!(r.get("x").and_then(Json::as_i64), Some(7));
    assert_eq!(
        s(&r, &["outcome"]),
        "pending",
        "unknown statuses are never success"
    );
}

// ---------------------------------------------------------------------------------------
// Tables, driven by the spec

#[test]
fn every_error_code_of_the_spec_maps_to_its_kind() {
    // (code, exact message, kind, HTTP status from the table) — spec §6.2 plus the codes the
    // examples use (5103, 1014).
    let expected: [(i64, &str, ErrorKind, u16, bool); 18] = [
        (
            1021,
            "request validation error",
            ErrorKind::Validation,
            400,
            false,
        ),
        (
            5102,
            "undefined transaction type",
            ErrorKind::Validation,
            404,
            false,
        ),
        (8301, "unexpected db error", ErrorKind::Provider, 500, true),
        (
            5400,
            "couldn't receive project data",
            ErrorKind::Provider,
            500,
            true,
        ),
        (
            5406,
            "invalid project secret",
            ErrorKind::Signature,
            400,
            false,
        ),
        (
            8008,
            "project doesn't exist",
            ErrorKind::Provider,
            404,
            false,
        ),
        (
            5000,
            "transaction already exists",
            ErrorKind::Provider,
            400,
            false,
        ),
        (
            5101,
            "undefined transaction status",
            ErrorKind::Provider,
            404,
            false,
        ),
        (
            5107,
            "transaction limit doesn't exist",
            ErrorKind::Provider,
            404,
            false,
        ),
        (
            5006,
            "transaction amount limit is over",
            ErrorKind::Provider,
            400,
            false,
        ),
        (
            5003,
            "an error occurred while creating transaction",
            ErrorKind::Provider,
            500,
            true,
        ),
        (5202, "request failed", ErrorKind::Provider, 500, false),
        (
            1022,
            "couldn't parse response body",
            ErrorKind::Provider,
            500,
            false,
        ),
        (
            5205,
            "unavailable project server",
            ErrorKind::Provider,
            500,
            false,
        ),
        (3108, "card doesn't exist", ErrorKind::Provider, 500, false),
        (
            3010,
            "inoperable transaction status for this method",
            ErrorKind::Provider,
            400,
            false,
        ),
        (
            5103,
            "transaction not found",
            ErrorKind::Provider,
            500,
            false,
        ),
        (1014, "Invalid signature", ErrorKind::Signature, 400, false),
    ];
    for (code, message, kind, http, retryable) in expected {
        let entry = codes::ERRORS
            .find_int(code)
            .unwrap_or_else(|| panic!("{code}"));
        assert_eq!(entry.message, message);
        assert!(!entry.action.is_empty(), "{code} says what to do");
        let body = format!(
            r#"{{"status":false,"status_code":{code},"message":"{message} ","result":{{}}}}"#
        );
        let e = parse("status", http, &body).unwrap_err();
        assert_eq!(e.kind(), kind, "{code}");
        assert_eq!(int_code(&e), code);
        assert_eq!(e.info().retryable, retryable, "{code}");
        assert_eq!(e.info().http_status, Some(http));
        assert_eq!(
            e.info().details.get("duplicate").is_some(),
            code == 5000,
            "{code}"
        );
    }
    // 16 published codes + 5103 + 1014 + success 0.
    assert_eq!(codes::ERRORS.entries.len(), 19);
    // A code not in the table is still a provider error carrying its code.
    let e = parse(
        "status",
        400,
        r#"{"status":false,"status_code":4242,"message":"new","result":{}}"#,
    )
    .unwrap_err();
    assert_eq!((e.kind(), int_code(&e)), (ErrorKind::Provider, 4242));
}

#[test]
fn every_transaction_status_and_type_of_the_spec_is_in_the_tables() {
    let statuses = [
        ("new", Outcome::Pending),
        ("processed", Outcome::Pending),
        ("threeds_waiting", Outcome::Pending),
        ("threeds_received", Outcome::Pending),
        ("failed", Outcome::Failed),
        ("refund", Outcome::Failed),
        ("canceled", Outcome::Failed),
        ("retry", Outcome::Pending),
        ("success", Outcome::Success),
        ("holded", Outcome::Pending),
        ("refund_waiting", Outcome::Pending),
        ("authorized", Outcome::Pending),
        // Finality undocumented ("yes (unclear)", §7.2; the WooCommerce plugin keeps it
        // pending): never read as failed, which would invite a second charge.
        ("error", Outcome::Pending),
    ];
    assert_eq!(codes::TRANSACTION_STATUSES.entries.len(), statuses.len());
    for (code, outcome) in statuses {
        assert_eq!(codes::status_outcome(code), outcome, "{code}");
        assert!(codes::TRANSACTION_STATUSES.find(code).is_some());
        // The status result, the one-click result and the webhook all agree.
        let status_body = format!(
            r#"{{"status":true,"message":"Success","result":{{"id":1,"transaction_status":{{"code":"{code}","name":"x"}}}}}}"#
        );
        assert_eq!(
            s(&parse("status", 200, &status_body).unwrap(), &["outcome"]),
            outcome.as_str()
        );
        let one_click = format!(
            r#"{{"status":true,"result":{{"transaction_id":1,"transaction_status_code":"{code}"}}}}"#
        );
        assert_eq!(
            s(
                &parse("oneClickPayIn", 200, &one_click).unwrap(),
                &["outcome"]
            ),
            outcome.as_str()
        );
        let webhook = format!(r#"{{"transaction_id":1,"status_code":"{code}"}}"#);
        let parsed = acquiring::webhook::parse_webhook(&Json::str(webhook)).unwrap();
        assert_eq!(s(&parsed, &["outcome"]), outcome.as_str());
    }
    let types = [
        "in",
        "out",
        "one_click_pay_in",
        "one_click_pay_out",
        "refund",
        "google_pay",
        "apple_pay",
        "card_link",
        "two_stage_pay_in",
    ];
    assert_eq!(codes::TRANSACTION_TYPES.entries.len(), types.len());
    for ty in types {
        assert!(codes::TRANSACTION_TYPES.find(ty).is_some(), "{ty}");
    }
    let ids: Vec<&str> = acquiring::PROVIDER.tables.iter().map(|t| t.id).collect();
    assert_eq!(ids, ["errors", "transactionTypes", "transactionStatuses"]);
}

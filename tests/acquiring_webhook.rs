//! Tarlan acquiring webhooks (spec §5): the Payment Status webhook (typed parse, Bearer
//! verification over the candidate field sets) and the confirm_url check and reply.

mod common;
use common::s;
use kassa::helper::HelperFn;
use kassa::json::{self, Json};
use kassa::tarlan::acquiring;
use kassa::{Client, ErrorKind, KassaError};

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

fn client() -> Client {
    client_with(r#"{"secret":"12345","merchantId":9999,"projectId":9999}"#)
}

/// Calls a helper the way the JS binding does (by name, JSON arguments).
fn helper(c: &Client, name: &str, args: &[Json]) -> Result<Json, KassaError> {
    let h = acquiring::PROVIDER.helper(name).unwrap();
    match h.run {
        HelperFn::Static(f) => f(args),
        HelperFn::Method(f) => f(&c.config, args),
    }
}

fn verify(c: &Client, body: &str, auth: &str) -> Result<Json, KassaError> {
    helper(c, "verifyWebhook", &[Json::str(body), Json::str(auth)])
}

#[test]
fn webhook_parses_with_the_cyrillic_client_id_spelling_and_an_outcome() {
    let body = fixture("webhook-constructed.json");
    assert!(body.contains("project_\u{441}lient_id"));
    let w = helper(&client(), "parseWebhook", &[Json::str(body.clone())]).unwrap();
    assert_eq!(s(&w, &["project_client_id"]), "999");
    assert!(w.get("project_\u{441}lient_id").is_none());
    assert_eq!(w.get("transaction_id").and_then(Json::as_i64), Some(100474));
    assert_eq!(s(&w, &["status_code"]), "success");
    assert_eq!(s(&w, &["type_code"]), "in");
    assert_eq!(s(&w, &["description"]), "Оплата заказа");
    assert_eq!(
        w.get("amount")
            .and_then(Json::as_number)
            .map(|n| n.literal().to_string()),
        Some("10.5".into())
    );
    assert_eq!(s(&w, &["card_token"]), "sdfasdf23");
    assert_eq!(s(&w, &["outcome"]), "success");
    assert_eq!(w.get("signed_set"), Some(&Json::Null));
    // The ASCII spelling works the same; an object is accepted too.
    let ascii = body.replace("project_\u{441}lient_id", "project_client_id");
    let w = helper(&client(), "parseWebhook", &[json::parse(&ascii).unwrap()]).unwrap();
    assert_eq!(s(&w, &["project_client_id"]), "999");
    // Tolerant: a transaction id sent as a string, nulls for absent card data.
    let w = acquiring::webhook::parse_webhook(&Json::str(
        r#"{"transaction_id":"42","status_code":"failed","bank_code":51,"card_token":null,"project_client_id":null}"#,
    ))
    .unwrap();
    assert_eq!(w.get("transaction_id").and_then(Json::as_i64), Some(42));
    assert_eq!(s(&w, &["outcome"]), "failed");
    // Missing the essentials is a decode error naming the field.
    let e =
        acquiring::webhook::parse_webhook(&Json::str(r#"{"status_code":"success"}"#)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.info().field.as_deref(), Some("webhook.transaction_id"));
    let e = acquiring::webhook::parse_webhook(&Json::str("not json")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
}

#[test]
fn webhook_signature_is_verified_over_each_candidate_set() {
    let body = fixture("webhook-constructed.json");
    for (name, set) in [
        ("webhook_request_rule", "request_rule"),
        ("webhook_with_additional_data", "with_additional_data"),
        ("webhook_everything", "everything"),
    ] {
        let sig = vector(name);
        let w = verify(&client(), &body, &format!("Bearer {sig}")).unwrap();
        assert_eq!(s(&w, &["signed_set"]), set);
        assert_eq!(s(&w, &["project_client_id"]), "999");
        // Bare hex and upper case are accepted as well.
        let w = verify(&client(), &body, &sig.to_uppercase()).unwrap();
        assert_eq!(s(&w, &["signed_set"]), set);
    }
    // Restricting the sets (per call or per client) refuses the others.
    let strict = [
        Json::str(body.clone()),
        Json::str(format!("Bearer {}", vector("webhook_everything"))),
        json::parse(r#"{"signedSets":["request_rule"]}"#).unwrap(),
    ];
    let e = helper(&client(), "verifyWebhook", &strict).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    let c = client_with(r#"{"secret":"12345","webhookSignedSets":["request_rule"]}"#);
    assert!(verify(&c, &body, &vector("webhook_request_rule")).is_ok());
    assert!(verify(&c, &body, &vector("webhook_everything")).is_err());
    // PHP-style escaping of the Cyrillic description, selected by the client option.
    let php = client_with(r#"{"secret":"12345","signatureEscaping":"php"}"#);
    let w = verify(&php, &body, &vector("webhook_request_rule_php")).unwrap();
    assert_eq!(s(&w, &["signed_set"]), "request_rule");
    assert!(verify(&client(), &body, &vector("webhook_request_rule_php")).is_err());
}

#[test]
fn forged_altered_or_unsigned_webhooks_are_signature_errors() {
    let body = fixture("webhook-constructed.json");
    let sig = format!("Bearer {}", vector("webhook_request_rule"));
    let altered = body.replace("\"success\"", "\"failed\"");
    let e = verify(&client(), &altered, &sig).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    assert!(e.message().contains("reject"));
    let other = client_with(r#"{"secret":"54321"}"#);
    assert_eq!(
        verify(&other, &body, &sig).unwrap_err().kind(),
        ErrorKind::Signature
    );
    for missing in [Json::Null, Json::str(""), Json::str("   ")] {
        let e = helper(
            &client(),
            "verifyWebhook",
            &[Json::str(body.clone()), missing],
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature);
        assert!(e.message().contains("no Authorization"));
    }
    // Truncated signatures never match; the secret never shows up in an error.
    let e = verify(&client(), &body, &sig[..40]).unwrap_err();
    assert!(!e.message().contains("12345"));
}

/// Spec §5.1: the merchant must answer HTTP 200; no response body is documented — so none is sent.
#[test]
fn webhook_ack_is_a_200_with_an_empty_body() {
    let ack = helper(&client(), "webhookAck", &[]).unwrap();
    assert_eq!(ack.get("status").and_then(Json::as_i64), Some(200));
    assert_eq!(s(&ack, &["body"]), "");
    assert_eq!(
        ack.get("headers")
            .and_then(Json::as_object)
            .map(|h| h.len()),
        Some(0)
    );
}

#[test]
fn confirm_reply_reproduces_the_documented_body_with_its_misspelling() {
    let documented = json::parse(&fixture("confirm-reply.repaired.json")).unwrap();
    let reply = helper(
        &client(),
        "confirmReply",
        &[json::parse(
            r#"{"id":"121abc","status":"success","message":"order desciption","is_payble":true}"#,
        )
        .unwrap()],
    )
    .unwrap();
    assert_eq!(reply.get("status").and_then(Json::as_i64), Some(200));
    assert_eq!(s(&reply, &["headers", "Content-Type"]), "application/json");
    let body = s(&reply, &["body"]);
    assert_eq!(
        body,
        r#"{"id":"121abc","status":"success","message":"order desciption","is_payble":true}"#
    );
    assert_eq!(json::parse(body).unwrap(), documented);
    // The published example (with // comments) is not JSON; the repaired one is.
    assert!(json::parse(&fixture("confirm-reply.published.txt")).is_err());
    // Defaults and the correctly spelled inputs.
    let reply = helper(
        &client(),
        "confirmReply",
        &[json::parse(r#"{"id":17,"is_payable":false}"#).unwrap()],
    )
    .unwrap();
    assert_eq!(
        s(&reply, &["body"]),
        r#"{"id":"17","status":"declined","message":"order cannot be paid","is_payble":false}"#
    );
    for (input, field) in [
        (r#"{"is_payble":true}"#, "id"),
        (r#"{"id":"1"}"#, "is_payble"),
        (r#"{"id":"1","is_payble":"yes"}"#, "is_payble"),
        (r#"{"id":"1","is_payble":true,"status":5}"#, "status"),
    ] {
        let e = helper(&client(), "confirmReply", &[json::parse(input).unwrap()]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{input}");
        assert_eq!(e.info().field.as_deref(), Some(field), "{input}");
    }
}

#[test]
fn confirm_requests_are_verified_from_a_url_a_query_or_an_object() {
    let sig = format!("Bearer {}", vector("confirm_in_999"));
    for query in [
        Json::str("https://shop.kz/confirm?type=in&project_reference_id=999"),
        Json::str("project_reference_id=999&type=in"),
        json::parse(r#"{"type":"in","project_reference_id":"999"}"#).unwrap(),
    ] {
        let r = helper(
            &client(),
            "verifyConfirmRequest",
            &[query.clone(), Json::str(sig.clone())],
        )
        .unwrap();
        assert_eq!(s(&r, &["type"]), "in");
        assert_eq!(s(&r, &["project_reference_id"]), "999");
    }
    let e = helper(
        &client(),
        "verifyConfirmRequest",
        &[
            Json::str("?type=in&project_reference_id=1000"),
            Json::str(sig.clone()),
        ],
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    let e = helper(
        &client(),
        "verifyConfirmRequest",
        &[Json::str("?type=in"), Json::str(sig)],
    )
    .unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("project_reference_id"));
}

#[test]
fn payment_urls_parse_through_the_static_helper() {
    let r = helper(
        &client(),
        "parsePaymentUrl",
        &[Json::str("https://process.tarlanpayments.kz?hash=$2a$10$nhrUYWm9sDVYqCL4LKxn9ugrdC4Pszz5wGaUsDYYIqCGc8ZA4Vu0y&transaction_id=100474")],
    )
    .unwrap();
    assert_eq!(r.get("transaction_id").and_then(Json::as_i64), Some(100474));
    assert_eq!(
        s(&r, &["hash"]),
        "$2a$10$nhrUYWm9sDVYqCL4LKxn9ugrdC4Pszz5wGaUsDYYIqCGc8ZA4Vu0y"
    );
}

#[test]
fn typescript_declares_every_operation_and_helper_type() {
    let dts = kassa::typescript::package();
    for op in &acquiring::OPERATIONS {
        let pascal = format!("{}{}", op.name[..1].to_uppercase(), &op.name[1..]);
        assert!(
            dts.contains(&format!("export interface TarlanAcquiring{pascal}Params")),
            "{}",
            op.name
        );
        assert!(
            dts.contains(&format!("TarlanAcquiring{pascal}Result =")),
            "{}",
            op.name
        );
        assert!(
            dts.contains(&format!("  {}(params", op.name)),
            "{}",
            op.name
        );
    }
    for ty in [
        "interface AcquiringWebhook ",
        "interface AcquiringPaymentPage ",
        "interface AcquiringTransaction ",
        "interface AcquiringOneClickResult ",
        "interface AcquiringCard ",
        "interface AcquiringRefund ",
        "interface TarlanAcquiringOptions ",
        "verifyWebhook(",
        "static confirmReply(",
        "verifyConfirmRequest(",
        "static webhookAck(",
        "static parseWebhook(",
        "static parsePaymentUrl(",
    ] {
        assert!(dts.contains(ty), "{ty}");
    }
}

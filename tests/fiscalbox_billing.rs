//! FiscalBox billing (spec/fiscalbox.md §9c): token login, orders count, secrets kept out of
//! everything printable.

use kassa::fiscalbox::billing;
use kassa::json::{self, Json};
use kassa::operation::BuildCtx;
use kassa::{Client, ErrorKind, HttpResponse, Method};

const CTX: BuildCtx = BuildCtx { now_ms: None };
const PASSWORD: &str = "pa55-w0rd-secret";
const TOKEN: &str = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b";

fn client(options: &str) -> Client {
    Client::new(&billing::PROVIDER, json::parse(options).unwrap()).unwrap()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/fiscalbox/{name}")).unwrap()
}

#[test]
fn login_posts_the_credentials_from_the_options() {
    let c = client(&format!(r#"{{"username":"shop","password":"{PASSWORD}"}}"#));
    let req = c.build("login", Json::Null, &CTX).unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, "https://api.fbox.uz/api/v1/login/");
    assert_eq!(
        req.body.as_deref(),
        Some(format!(r#"{{"username":"shop","password":"{PASSWORD}"}}"#).as_str())
    );
    assert!(req.header("Authorization").is_none());
    let token = c
        .parse(
            "login",
            &HttpResponse::new(200, format!(r#"{{"token":"{TOKEN}"}}"#)),
        )
        .unwrap();
    assert_eq!(token.get("token").and_then(Json::as_str), Some(TOKEN));
    // Without credentials anywhere: a validation error saying where to set them.
    let e = client("{}").build("login", Json::Null, &CTX).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.info().field.as_deref(), Some("username"));
    assert!(e.message().contains("client options"), "{}", e.message());
}

#[test]
fn orders_count_sends_the_token_and_the_period() {
    let c = client(&format!(r#"{{"token":"{TOKEN}","inn":"306429662"}}"#));
    let req = c
        .build(
            "ordersCount",
            json::parse(r#"{"start_date":"2025-05-05T00:00:00","end_date":"2025-05-05T23:59:59"}"#)
                .unwrap(),
            &CTX,
        )
        .unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.url,
        "https://api.fbox.uz/api/v1/orders/count/?start_date=2025-05-05T00%3A00%3A00&end_date=2025-05-05T23%3A59%3A59&inn=306429662"
    );
    assert_eq!(
        req.header("Authorization"),
        Some(format!("Token {TOKEN}").as_str())
    );
    let r = c
        .parse(
            "ordersCount",
            &HttpResponse::new(200, fixture("billing-orders-count-success.json")),
        )
        .unwrap();
    assert_eq!(
        r.pointer(&["data", "total_orders"]).and_then(Json::as_i64),
        Some(2)
    );
    assert_eq!(
        r.pointer(&["data", "total_amount"])
            .and_then(Json::as_number)
            .unwrap()
            .literal(),
        "700.0"
    );
    assert_eq!(
        r.pointer(&["data", "company_name"]).and_then(Json::as_str),
        Some("BAR CODE TECHNOLOGIES")
    );
    assert_eq!(
        r.pointer(&["filters", "inn"]).and_then(Json::as_str),
        Some("306429662")
    );
}

#[test]
fn orders_count_validates_its_params_and_needs_a_token() {
    let c = client(&format!(r#"{{"token":"{TOKEN}"}}"#));
    for (params, field) in [
        (
            r#"{"start_date":"2025-05-05","end_date":"2025-05-05T23:59:59","inn":"306429662"}"#,
            "start_date",
        ),
        (
            r#"{"start_date":"2025-05-05T00:00:00Z","end_date":"2025-05-05T23:59:59","inn":"306429662"}"#,
            "start_date",
        ),
        (
            r#"{"start_date":"2025-05-06T00:00:00","end_date":"2025-05-05T23:59:59","inn":"306429662"}"#,
            "end_date",
        ),
        (
            r#"{"start_date":"2025-05-05T00:00:00","end_date":"2025-05-05T23:59:59","inn":"30642966"}"#,
            "inn",
        ),
        (
            r#"{"start_date":"2025-05-05T00:00:00","end_date":"2025-05-05T23:59:59"}"#,
            "inn",
        ),
    ] {
        let e = c
            .build("ordersCount", json::parse(params).unwrap(), &CTX)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{params}");
        assert_eq!(e.info().field.as_deref(), Some(field), "{params}");
    }
    let e = client("{}")
        .build(
            "ordersCount",
            json::parse(r#"{"start_date":"2025-05-05T00:00:00","end_date":"2025-05-05T23:59:59","inn":"306429662"}"#).unwrap(),
            &CTX,
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.message().contains("login()"), "{}", e.message());
}

#[test]
fn billing_errors_have_the_right_kind() {
    let c = client(&format!(r#"{{"token":"{TOKEN}"}}"#));
    let e = c
        .parse(
            "ordersCount",
            &HttpResponse::new(401, r#"{"detail":"Invalid token."}"#),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert_eq!(e.info().http_status, Some(401));
    assert!(e.message().contains("login() again"), "{}", e.message());
    let e = c
        .parse(
            "login",
            &HttpResponse::new(
                400,
                r#"{"non_field_errors":["Unable to log in with provided credentials."]}"#,
            ),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(e.message().contains("Unable to log in"), "{}", e.message());
    let e = c
        .parse("ordersCount", &HttpResponse::new(503, "<html>down</html>"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.info().retryable);
    let e = c
        .parse(
            "ordersCount",
            &HttpResponse::new(200, r#"{"status":"error","message":"inn not found"}"#),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert!(e.message().contains("inn not found"), "{}", e.message());
}

#[test]
fn secrets_never_show() {
    let c = client(&format!(
        r#"{{"username":"shop","password":"{PASSWORD}","token":"{TOKEN}"}}"#
    ));
    let printed = format!("{c:?} {}", c.describe().to_compact());
    assert!(!printed.contains(PASSWORD), "{printed}");
    assert!(!printed.contains(TOKEN), "{printed}");
    assert!(printed.contains("[redacted]"));
    // An error that echoes the token is redacted on the way out.
    let e = c
        .parse(
            "ordersCount",
            &HttpResponse::new(403, format!(r#"{{"detail":"token {TOKEN} expired"}}"#)),
        )
        .unwrap_err();
    assert!(!e.message().contains(TOKEN), "{}", e.message());
    assert!(!format!("{e:?}").contains(TOKEN));
    let e = Client::new(
        &billing::PROVIDER,
        json::parse(r#"{"token":"has space"}"#).unwrap(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(!e.message().contains("has space"));
}

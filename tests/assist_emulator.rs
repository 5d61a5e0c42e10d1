//! Round trip against the local emulator (pkg/emulator/assist.mjs). Opt-in, because it needs
//! the emulator running:
//!   node pkg/bin/kassa-emulator.mjs --port 8787 --quiet &
//!   ASSIST_EMULATOR_URL=http://127.0.0.1:8787/assist cargo test --test assist_emulator -- --ignored
//! Plain HTTP/1.1 over a TcpStream: the core is sans-IO, the test is the transport.

use kassa::json::{self, Json};
use kassa::operation::BuildCtx;
use kassa::{Client, ErrorKind, HttpRequest, HttpResponse};
use std::io::{Read, Write};
use std::net::TcpStream;

fn send(request: &HttpRequest) -> HttpResponse {
    let rest = request.url.strip_prefix("http://").expect("http URL");
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = TcpStream::connect(authority).unwrap();
    let body = request.body.clone().unwrap_or_default();
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Length: {}\r\n",
        request.method.as_str(),
        body.len()
    );
    for (k, v) in &request.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    HttpResponse::new(status, body)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, rest) = s.split_once("\r\n").unwrap();
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
}

fn call(c: &Client, op: &str, params: &str) -> Result<Json, kassa::KassaError> {
    let req = c.build(op, json::parse(params).unwrap(), &BuildCtx::default())?;
    c.parse(op, &send(&req))
}

fn clients() -> Vec<Client> {
    let base = std::env::var("ASSIST_EMULATOR_URL").expect("set ASSIST_EMULATOR_URL");
    ["json", "soap"]
        .iter()
        .map(|format| {
            let options = format!(
                r#"{{"merchantId":"123456","login":"kassa_demo","password":"demo-pass","baseUrl":"{base}","format":"{format}"}}"#
            );
            Client::new(&kassa::assist::PROVIDER, json::parse(&options).unwrap()).unwrap()
        })
        .collect()
}

#[test]
#[ignore = "needs the emulator: see the file header"]
fn round_trip_with_the_emulator() {
    for (n, c) in clients().iter().enumerate() {
        let format = c.config.setting("format").unwrap().to_string();
        // The seeded receipt of a real Assist operation.
        let r = call(c, "fiscalReceipt", r#"{"Billnumber":"5791234567890123"}"#).unwrap();
        assert_eq!(
            r.get("status").and_then(Json::as_str),
            Some("Success"),
            "{format}"
        );
        assert_eq!(
            r.get("total").and_then(Json::as_str),
            Some("10488.93"),
            "{format}"
        );
        assert_eq!(
            r.get("items").and_then(Json::as_array).map(Vec::len),
            Some(2)
        );
        assert_eq!(
            r.get("format").and_then(Json::as_str),
            Some(format.as_str())
        );

        let payment_id = format!("rt-{n}-{}", std::process::id());
        let params = format!(
            r#"{{"Payment_ID":"{payment_id}","Type":"sell","Email":"buyer@example.kz","ChequeItems":[{{"id":1,"name":"Tea","price":"1500.50","quantity":2,"tax":"vat12"}}]}}"#
        );
        let created = call(c, "fiscalize", &params).unwrap();
        let id = created
            .get("fiscalreceipt_ID")
            .and_then(Json::as_str)
            .unwrap()
            .to_string();
        let first = call(
            c,
            "fiscalReceipt",
            &format!(r#"{{"Payment_ID":"{payment_id}"}}"#),
        )
        .unwrap();
        assert_eq!(
            first.get("outcome").and_then(Json::as_str),
            Some("pending"),
            "{format}: {}",
            first.to_compact()
        );
        let second = call(
            c,
            "fiscalReceipt",
            &format!(r#"{{"Fiscalreceipt_ID":"{id}"}}"#),
        )
        .unwrap();
        assert_eq!(
            second.get("outcome").and_then(Json::as_str),
            Some("success"),
            "{format}: {}",
            second.to_compact()
        );
        assert_eq!(second.get("total").and_then(Json::as_str), Some("3001.00"));

        // A repeat is refused by the emulator (firstcode/secondcode kept).
        let e = call(c, "fiscalize", &params).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Provider, "{format}: {e}");
        assert!(e.info().details.get("secondcode").is_some());

        // CreateError path ("err" ids fail in the emulator).
        let failing = params.replace(&payment_id, &format!("err-{payment_id}"));
        call(c, "fiscalize", &failing).unwrap();
        let lookup = format!(r#"{{"Payment_ID":"err-{payment_id}"}}"#);
        call(c, "fiscalReceipt", &lookup).unwrap();
        let failed = call(c, "fiscalReceipt", &lookup).unwrap();
        assert_eq!(
            failed.get("status").and_then(Json::as_str),
            Some("CreateError")
        );
        let advice = failed
            .pointer(&["receipt_error", "advice"])
            .and_then(Json::as_str);
        assert_eq!(advice, Some("retry_later"), "{}", failed.to_compact());

        // Bad credentials.
        let e = call(
            c,
            "fiscalReceipt",
            r#"{"Billnumber":"5791234567890123","Password":"wrong"}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Provider, "{format}: {e}");
    }
}

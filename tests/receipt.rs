//! One receipt model: `toFiscalReceipt` over one spec fixture of each provider — Tarlan AGWS
//! `fiscalReceipt` (parsed by the AGWS client), FiscalBox `orderCreate` / `orderRefuse` /
//! `orderLast` (parsed by the FiscalBox client), Assist `fiscalreceipt` (parsed by the
//! AssistFiscal client; the spec captured no JSON answer, so these are the constructed
//! fixtures of tests/fixtures/assist around the verbatim cheque items of spec §3).

use kassa::fiscalbox::receipt::to_receipt_with_order;
use kassa::json::{self, Json};
use kassa::tarlan::agws;
use kassa::{Client, ErrorKind, HttpResponse, KassaError};

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/{path}")).unwrap()
}

fn to_receipt(provider: &str, result: &Json) -> Result<Json, KassaError> {
    let helper = kassa::module_helper("toFiscalReceipt").expect("toFiscalReceipt is exported");
    match helper.run {
        kassa::helper::HelperFn::Static(f) => f(&[Json::str(provider), result.clone()]),
        kassa::helper::HelperFn::Method(_) => panic!("must be a module function"),
    }
}

fn s<'a>(v: &'a Json, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Json::as_str)
}

fn is_null(v: &Json, key: &str) -> bool {
    v.get(key).is_some_and(Json::is_null)
}

/// A FiscalBox result the way a user gets it: parsed by the FiscalBox client.
fn fiscalbox_result(op: &str, fixture: &str) -> Json {
    let body = read(&format!("fiscalbox/{fixture}"));
    let client = Client::new(&kassa::fiscalbox::PROVIDER, json::parse("{}").unwrap()).unwrap();
    client
        .parse(op, &HttpResponse::new(200, body))
        .unwrap_or_else(|e| panic!("{fixture}: {e}"))
}

const KEYS: [&str; 16] = [
    "provider",
    "status",
    "provider_status",
    "fiscal_sign",
    "receipt_number",
    "document_number",
    "terminal_id",
    "receipt_url",
    "total",
    "currency",
    "date_time",
    "is_refund",
    "items",
    "error",
    "raw",
    "",
];

fn assert_shape(r: &Json) {
    let m = r.as_object().unwrap();
    let keys: Vec<&str> = m.keys().collect();
    let expected: Vec<&str> = KEYS.iter().copied().filter(|k| !k.is_empty()).collect();
    assert_eq!(keys, expected, "every provider gives the same shape");
}

#[test]
fn agws_fiscal_receipt_parsed_by_the_client() {
    let client = Client::new(
        &agws::PROVIDER,
        json::parse(r#"{"secret":"12345","agent":"tarlan","project":"mobile"}"#).unwrap(),
    )
    .unwrap();
    let result = client
        .parse(
            "fiscalReceipt",
            &HttpResponse::new(200, read("agws/fiscal-receipt-200.json")),
        )
        .unwrap();
    let r = to_receipt("agws", &result).unwrap();
    assert_shape(&r);
    assert_eq!(s(&r, "provider"), Some("agws"));
    assert_eq!(s(&r, "status"), Some("issued"));
    assert_eq!(s(&r, "fiscal_sign"), Some("123456789123"));
    assert_eq!(s(&r, "receipt_url"), Some("https://link.kz"));
    for key in [
        "total",
        "currency",
        "date_time",
        "items",
        "receipt_number",
        "is_refund",
    ] {
        assert!(is_null(&r, key), "{key}");
    }
    assert_eq!(r.get("raw"), Some(&result));
    // The class name and the raw response body are accepted too.
    let body = json::parse(&read("agws/fiscal-receipt-200.json")).unwrap();
    let same = to_receipt("TarlanAgws", &body).unwrap();
    assert_eq!(s(&same, "fiscal_sign"), Some("123456789123"));
    // The 400 body is not a receipt.
    let e = to_receipt(
        "agws",
        &json::parse(&read("agws/fiscal-receipt-400.json")).unwrap(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.info().field.as_deref(), Some("result"));
}

#[test]
fn fiscalbox_order_create_result() {
    let result = fiscalbox_result("orderCreate", "order-create-success.json");
    let r = to_receipt("fiscalbox", &result).unwrap();
    assert_shape(&r);
    assert_eq!(s(&r, "status"), Some("issued"));
    assert_eq!(s(&r, "terminal_id"), Some("UZ170703100189"));
    assert_eq!(s(&r, "receipt_number"), Some("643"));
    assert_eq!(s(&r, "fiscal_sign"), Some("248429044289"));
    assert_eq!(s(&r, "date_time"), Some("2020-05-18T22:14:03"));
    assert_eq!(
        s(&r, "receipt_url"),
        Some("https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289")
    );
    assert_eq!(s(&r, "currency"), Some("UZS"));
    // The result alone has no lines or total.
    assert!(is_null(&r, "items") && is_null(&r, "total") && is_null(&r, "is_refund"));
}

#[test]
fn fiscalbox_order_create_with_the_order_sent_has_lines_and_total_in_sums() {
    let result = fiscalbox_result("orderCreate", "order-create-success.json");
    let order = json::parse(&read("fiscalbox/order-create-request.json")).unwrap();
    let r = to_receipt_with_order(&result, Some(&order)).unwrap();
    // products: amount 1000 (1 piece), product_price 50000 tiyin, price 50000, discount 0.
    assert_eq!(s(&r, "total"), Some("500.00"));
    assert_eq!(r.get("is_refund"), Some(&Json::Bool(false)));
    let items = r.get("items").and_then(Json::as_array).unwrap();
    assert_eq!(items.len(), 1);
    let line = &items[0];
    assert_eq!(s(line, "name"), Some("наименование товара или услуги"));
    assert_eq!(s(line, "quantity"), Some("1"));
    assert_eq!(s(line, "price"), Some("500.00"));
    assert_eq!(s(line, "total"), Some("500.00"));
    assert_eq!(s(line, "discount"), Some("0.00"));
    assert_eq!(line.get("vat_percent").and_then(Json::as_i64), Some(12));
    // From JavaScript: toFiscalReceipt('fiscalbox', { receipt, order }).
    let mut pair = json::Map::new();
    pair.insert("receipt", result.clone());
    pair.insert("order", order.clone());
    let same = to_receipt("fiscalbox", &Json::Object(pair)).unwrap();
    assert_eq!(s(&same, "total"), Some("500.00"));
    assert_eq!(s(&same, "fiscal_sign"), Some("248429044289"));
}

#[test]
fn fiscalbox_refund_total_is_after_the_discount() {
    let result = fiscalbox_result("orderRefuse", "order-refuse-success.json");
    let order = json::parse(&read("fiscalbox/order-refuse-request.json")).unwrap();
    let r = to_receipt_with_order(&result, Some(&order)).unwrap();
    assert_eq!(r.get("is_refund"), Some(&Json::Bool(true)));
    // price 230000 − discount 115000 tiyin = received_cash 100000 + received_card 15000.
    assert_eq!(s(&r, "total"), Some("1150.00"));
    let line = &r.get("items").and_then(Json::as_array).unwrap()[0];
    assert_eq!(s(line, "total"), Some("2300.00"));
    assert_eq!(s(line, "discount"), Some("1150.00"));
}

#[test]
fn fiscalbox_order_last_has_everything() {
    let result = fiscalbox_result("orderLast", "order-last-success.json");
    let r = to_receipt("fiscalbox", &result).unwrap();
    assert_shape(&r);
    assert_eq!(s(&r, "status"), Some("issued"));
    assert_eq!(s(&r, "terminal_id"), Some("LG230110007813"));
    assert_eq!(s(&r, "receipt_number"), Some("2478"));
    assert_eq!(s(&r, "fiscal_sign"), Some("322032313241"));
    assert_eq!(s(&r, "date_time"), Some("2026-04-15T10:40:06"));
    assert_eq!(
        s(&r, "receipt_url"),
        Some("https://ofd.soliq.uz/check?t=LG230110007813&r=2478&c=20260415104006&s=322032313241")
    );
    assert_eq!(r.get("is_refund"), Some(&Json::Bool(false)));
    // 2500000000 + 2000000000 tiyin = received_card 4500000000.
    assert_eq!(s(&r, "total"), Some("45000000.00"));
    let items = r.get("items").and_then(Json::as_array).unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(s(&items[0], "name"), Some("armia 1"));
    assert_eq!(s(&items[0], "quantity"), Some("0.2"));
    assert_eq!(s(&items[0], "price"), Some("25000000.00"));
    assert_eq!(s(&items[1], "total"), Some("20000000.00"));
    // The raw response body (wrapped in `result`) gives the same receipt.
    let body = json::parse(&read("fiscalbox/order-last-success.json")).unwrap();
    let same = to_receipt("FiscalBox", &body).unwrap();
    assert_eq!(s(&same, "fiscal_sign"), Some("322032313241"));
    assert_eq!(s(&same, "total"), Some("45000000.00"));
}

#[test]
fn fiscalbox_error_bodies_are_not_receipts() {
    let body = json::parse(&read("fiscalbox/order-create-error-101.json")).unwrap();
    let e = to_receipt("fiscalbox", &body).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(e.message().contains("is_success"), "{}", e.message());
    let e = to_receipt("fiscalbox", &json::parse(r#"{"status":"ok"}"#).unwrap()).unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("result"));
}

/// An Assist fiscalreceipt answer parsed by the AssistFiscal client (JSON, Format=5).
fn assist(name: &str) -> Json {
    let client = Client::new(
        &kassa::assist::PROVIDER,
        json::parse(r#"{"merchantId":"123456","login":"svc_user","password":"secret-pass","baseUrl":"https://payments.demo.paysecure.ru"}"#).unwrap(),
    )
    .unwrap();
    client
        .parse(
            "fiscalReceipt",
            &HttpResponse::new(200, read(&format!("assist/{name}"))),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn assist_fiscal_receipt_success() {
    let result = assist("response-fiscalreceipt-success.constructed.json");
    let r = to_receipt("assist", &result).unwrap();
    assert_shape(&r);
    assert_eq!(s(&r, "provider"), Some("assist"));
    assert_eq!(s(&r, "status"), Some("issued"));
    assert_eq!(s(&r, "provider_status"), Some("Success"));
    assert_eq!(s(&r, "fiscal_sign"), Some("3187462531"));
    assert_eq!(s(&r, "receipt_number"), Some("17"));
    assert_eq!(s(&r, "document_number"), Some("1234"));
    assert_eq!(s(&r, "terminal_id"), Some("9960440300012345"));
    assert_eq!(
        s(&r, "receipt_url"),
        Some("https://receipts.example.kz/r/400001")
    );
    assert_eq!(s(&r, "total"), Some("10488.93"));
    assert!(is_null(&r, "currency"));
    assert_eq!(s(&r, "date_time"), Some("2024-05-01T12:30:00"));
    assert!(is_null(&r, "error"), "an empty errortext is no error");
    // The lines are the verbatim cheque items of spec/assist.md §3.
    let items = r.get("items").and_then(Json::as_array).unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(s(&items[0], "name"), Some("Первый товар"));
    assert_eq!(s(&items[0], "quantity"), Some("42.345"));
    assert_eq!(s(&items[0], "price"), Some("201.45"));
    assert_eq!(s(&items[0], "total"), Some("8530.40"));
    assert_eq!(items[0].get("vat_percent").and_then(Json::as_i64), Some(10));
    assert_eq!(s(&items[1], "quantity"), Some("0.128"));
    assert_eq!(s(&items[1], "total"), Some("1958.53"));
    assert_eq!(items[1].get("vat_percent").and_then(Json::as_i64), Some(18));
    // The raw response body gives the same receipt.
    let body = json::parse(&read(
        "assist/response-fiscalreceipt-success.constructed.json",
    ))
    .unwrap();
    let same = to_receipt("AssistFiscal", &body).unwrap();
    assert_eq!(s(&same, "fiscal_sign"), Some("3187462531"));
    assert_eq!(s(&same, "total"), Some("10488.93"));
    assert_eq!(s(&same, "status"), Some("issued"));
}

#[test]
fn assist_create_error_is_failed_with_items_and_the_error_text() {
    let r = to_receipt(
        "assist",
        &assist("response-fiscalreceipt-createerror.constructed.json"),
    )
    .unwrap();
    assert_eq!(s(&r, "status"), Some("failed"));
    assert_eq!(s(&r, "provider_status"), Some("CreateError"));
    assert_eq!(
        s(&r, "error"),
        Some("19521 Не получен статус фискального чека.")
    );
    for key in [
        "fiscal_sign",
        "receipt_number",
        "total",
        "date_time",
        "receipt_url",
    ] {
        assert!(is_null(&r, key), "{key}");
    }
    assert_eq!(
        r.get("items").and_then(Json::as_array).map(Vec::len),
        Some(2)
    );
}

#[test]
fn assist_new_receipt_is_pending() {
    let r = to_receipt(
        "assist",
        &assist("response-fiscalreceipt-new-bare.constructed.json"),
    )
    .unwrap();
    assert_eq!(s(&r, "status"), Some("pending"));
    assert!(is_null(&r, "fiscal_sign") && is_null(&r, "total"));
    assert_eq!(
        r.get("items").and_then(Json::as_array).map(Vec::len),
        Some(2)
    );
}

#[test]
fn assist_raw_results_statuses_field_case_and_arrays() {
    let cases = [
        ("New", "pending"),
        ("NEW", "pending"),
        ("IN_PROGRESS", "pending"),
        ("REQUESTED", "pending"),
        ("SUCCESS", "issued"),
        ("success", "issued"),
        ("CreateError", "failed"),
        ("CREAREERROR", "failed"),
        ("SomethingNew", "pending"),
    ];
    for (status, expected) in cases {
        let v = json::parse(&format!(
            r#"{{"Status":"{status}","FiscalReceipt_ID":"1"}}"#
        ))
        .unwrap();
        let r = to_receipt("assist", &v).unwrap();
        assert_eq!(s(&r, "status"), Some(expected), "{status}");
        assert_eq!(s(&r, "provider_status"), Some(status));
    }
    let list = json::parse(
        r#"{"fiscalreceipt":[{"status":"Success","fiscal_document_attribute":"1","total":100,"receipt_datetime":"02.08.2024 12:24"},{"status":"New","billnumber":"2","calc_type":"sell_refund"}]}"#,
    )
    .unwrap();
    let r = to_receipt("assist", &list).unwrap();
    let both = r.as_array().unwrap();
    assert_eq!(s(&both[0], "total"), Some("100.00"));
    assert_eq!(s(&both[0], "date_time"), Some("2024-08-02T12:24:00"));
    assert_eq!(s(&both[1], "status"), Some("pending"));
    assert_eq!(both[1].get("is_refund"), Some(&Json::Bool(true)));
    // Malformed cheque items name the field.
    let bad = json::parse(r#"{"status":"Success","chequeItems":"{items:"}"#).unwrap();
    let e = to_receipt("assist", &bad).unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("result.chequeItems"));
}

#[test]
fn bad_arguments_name_what_is_wrong() {
    let e = to_receipt("paynet", &json::parse("{}").unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.info().field.as_deref(), Some("provider"));
    let e = to_receipt("agws", &Json::int(5)).unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("result"));
    let e = to_receipt("assist", &json::parse(r#"{"foo":1}"#).unwrap()).unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("result"));
    let e = to_receipt("agws", &Json::str("{not json")).unwrap_err();
    assert_eq!(e.info().field.as_deref(), Some("result"));
}

//! Soliq receipt links (spec/fiscalbox.md §11): the sample links of all three sources
//! (FiscalBox S2, OCTO S4, regos S5), round trips, building from FiscalBox results, and
//! malformed links naming the bad part.

use kassa::fiscalbox::soliq;
use kassa::json::{self, Json};
use kassa::{ErrorKind, KassaError};

fn links() -> Vec<Json> {
    let text = std::fs::read_to_string("tests/fixtures/soliq/links.json").unwrap();
    json::parse(&text)
        .unwrap()
        .get("links")
        .and_then(Json::as_array)
        .unwrap()
        .clone()
}

fn module(name: &str, args: &[Json]) -> Result<Json, KassaError> {
    let helper = kassa::module_helper(name).unwrap_or_else(|| panic!("{name} is not exported"));
    match helper.run {
        kassa::helper::HelperFn::Static(f) => f(args),
        kassa::helper::HelperFn::Method(_) => panic!("{name} must be a module function"),
    }
}

fn parse_js(url: &str) -> Result<Json, KassaError> {
    module("parseSoliqQr", &[Json::str(url)])
}

fn build_js(parts: &str) -> Result<String, KassaError> {
    module("buildSoliqQr", &[json::parse(parts).unwrap()]).map(|v| v.as_str().unwrap().to_string())
}

fn s<'a>(v: &'a Json, key: &str) -> &'a str {
    v.get(key).and_then(Json::as_str).unwrap()
}

fn bad(url: &str) -> KassaError {
    let e = parse_js(url).expect_err(url);
    assert_eq!(e.kind(), ErrorKind::Validation, "{url}: {e:?}");
    e
}

fn field(e: &KassaError) -> &str {
    e.info().field.as_deref().unwrap()
}

#[test]
fn every_sample_link_of_the_three_sources_parses_into_its_documented_parts() {
    let links = links();
    assert_eq!(links.len(), 8);
    for link in &links {
        let url = s(link, "url");
        let parts = parse_js(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(s(&parts, "t"), s(link, "t"), "{url}");
        assert_eq!(
            parts.get("r").and_then(Json::as_i64),
            link.get("r").and_then(Json::as_i64)
        );
        assert_eq!(s(&parts, "c"), s(link, "c"), "{url}");
        assert_eq!(s(&parts, "s"), s(link, "s"), "{url}");
        assert_eq!(s(&parts, "path"), s(link, "path"), "{url}");
        assert_eq!(s(&parts, "host"), "ofd.soliq.uz");
        // Round trip: the canonical link is the published one.
        assert_eq!(s(&parts, "url"), url);
        assert_eq!(build_js(&parts.to_compact()).unwrap(), url);
    }
}

#[test]
fn fiscal_signs_keep_their_leading_zero() {
    let p =
        parse_js("https://ofd.soliq.uz/check?t=UZ210168163541&r=2&c=20220529184608&s=030548219873")
            .unwrap();
    assert_eq!(s(&p, "s"), "030548219873");
    assert_eq!(s(&p, "datetime"), "2022-05-29T18:46:08");
    let q = soliq::parse(
        "https://ofd.soliq.uz/check?t=UZ170703100597&r=6013&c=20231201160732&s=025561534771",
    )
    .unwrap();
    assert_eq!(q.fiscal_sign, "025561534771");
    assert_eq!(q.receipt_number, 6013);
    // A number cannot carry the zero: refused with the reason.
    let e = build_js(r#"{"t":"UZ210168163541","r":2,"c":"20220529184608","s":30548219873}"#)
        .unwrap_err();
    assert_eq!(field(&e), "s");
    assert!(e.message().contains("leading zeros"), "{}", e.message());
}

#[test]
fn the_epi_path_round_trips_and_build_picks_it_on_request() {
    let url = "https://ofd.soliq.uz/epi?t=EZ000000000102&r=2121&c=20220929013159&s=420808230750";
    let parts =
        r#"{"t":"EZ000000000102","r":2121,"c":"20220929013159","s":"420808230750","path":"epi"}"#;
    assert_eq!(build_js(parts).unwrap(), url);
    let default_path =
        r#"{"t":"EZ000000000102","r":"2121","c":"20220929013159","s":"420808230750"}"#;
    assert_eq!(
        build_js(default_path).unwrap(),
        "https://ofd.soliq.uz/check?t=EZ000000000102&r=2121&c=20220929013159&s=420808230750"
    );
    let e = build_js(
        r#"{"t":"EZ000000000102","r":1,"c":"20220929013159","s":"420808230750","path":"view"}"#,
    )
    .unwrap_err();
    assert_eq!(field(&e), "path");
}

#[test]
fn a_fiscalbox_order_result_builds_its_own_qr_url() {
    for name in ["order-create-success.json", "order-refuse-success.json"] {
        let text = std::fs::read_to_string(format!("tests/fixtures/fiscalbox/{name}")).unwrap();
        let data = json::parse(&text).unwrap().get("data").unwrap().clone();
        assert_eq!(
            build_js(&data.to_compact()).unwrap(),
            s(&data, "qr_url"),
            "{name}"
        );
    }
    let text = std::fs::read_to_string("tests/fixtures/fiscalbox/order-last-success.json").unwrap();
    let result = json::parse(&text)
        .unwrap()
        .pointer(&["result", "data", "result"])
        .unwrap()
        .clone();
    assert_eq!(
        build_js(&result.to_compact()).unwrap(),
        s(&result, "QRCodeURL")
    );
}

#[test]
fn parameters_in_any_order_http_extra_parameters_and_whitespace_are_read() {
    let expected =
        "https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289";
    for url in [
        "https://ofd.soliq.uz/check?s=248429044289&c=20200518221403&r=643&t=UZ170703100189",
        "http://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289",
        "HTTPS://OFD.SOLIQ.UZ/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289",
        "  https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289\n",
        "https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289&lang=uz#top",
    ] {
        assert_eq!(s(&parse_js(url).unwrap(), "url"), expected, "{url}");
    }
    // Another Soliq host (a third-party sample uses new-ofd.soliq.uz) is kept as it is.
    let p = parse_js(
        "https://new-ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289",
    )
    .unwrap();
    assert_eq!(s(&p, "host"), "new-ofd.soliq.uz");
}

#[test]
fn wrong_lengths_are_refused_naming_the_part() {
    let cases = [
        // t: 13 and 15 characters
        (
            "https://ofd.soliq.uz/check?t=UZ17070310018&r=643&c=20200518221403&s=248429044289",
            "t",
        ),
        (
            "https://ofd.soliq.uz/check?t=UZ1707031001890&r=643&c=20200518221403&s=248429044289",
            "t",
        ),
        // c: 12 digits (the truncated example of the S2 table)
        (
            "https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=202005182214&s=248429044289",
            "c",
        ),
        // s: 11 digits (a leading zero lost) and 13 digits
        (
            "https://ofd.soliq.uz/check?t=UZ210168163541&r=2&c=20220529184608&s=30548219873",
            "s",
        ),
        (
            "https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=2484290442890",
            "s",
        ),
        // r: empty
        (
            "https://ofd.soliq.uz/check?t=UZ170703100189&r=&c=20200518221403&s=248429044289",
            "r",
        ),
    ];
    for (url, part) in cases {
        let e = bad(url);
        assert_eq!(field(&e), part, "{url}: {}", e.message());
        assert!(
            e.message().starts_with(&format!("`{part}`")),
            "{}",
            e.message()
        );
    }
}

#[test]
fn non_digits_are_refused_naming_the_part() {
    let cases = [
        (
            "https://ofd.soliq.uz/check?t=uz170703100189&r=643&c=20200518221403&s=248429044289",
            "t",
        ),
        (
            "https://ofd.soliq.uz/check?t=U1170703100189&r=643&c=20200518221403&s=248429044289",
            "t",
        ),
        (
            "https://ofd.soliq.uz/check?t=UZ17070310018X&r=643&c=20200518221403&s=248429044289",
            "t",
        ),
        (
            "https://ofd.soliq.uz/check?t=UZ170703100189&r=64a&c=20200518221403&s=248429044289",
            "r",
        ),
        (
            "https://ofd.soliq.uz/check?t=UZ170703100189&r=-643&c=20200518221403&s=248429044289",
            "r",
        ),
        (
            "https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=2020-05-18T221&s=248429044289",
            "c",
        ),
        (
            "https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=24842904428X",
            "s",
        ),
        (
            "https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=+48429044289",
            "s",
        ),
    ];
    for (url, part) in cases {
        assert_eq!(field(&bad(url)), part, "{url}");
    }
}

#[test]
fn impossible_dates_are_refused() {
    for c in [
        "20200230221403",
        "20201318221403",
        "20200518241403",
        "20200518226003",
        "20200518221460",
    ] {
        let url = format!("https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c={c}&s=248429044289");
        let e = bad(&url);
        assert_eq!(field(&e), "c", "{c}");
        assert!(e.message().contains("not a real date"), "{}", e.message());
    }
    // 29 February exists in a leap year.
    assert!(parse_js(
        "https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20240229000000&s=248429044289"
    )
    .is_ok());
}

#[test]
fn missing_and_repeated_parts_are_refused() {
    let full = [
        ("t", "UZ170703100189"),
        ("r", "643"),
        ("c", "20200518221403"),
        ("s", "248429044289"),
    ];
    for skip in 0..4 {
        let query: Vec<String> = full
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, (k, v))| format!("{k}={v}"))
            .collect();
        let e = bad(&format!("https://ofd.soliq.uz/check?{}", query.join("&")));
        assert_eq!(field(&e), full[skip].0);
        assert!(e.message().contains("missing"), "{}", e.message());
    }
    let e = bad(
        "https://ofd.soliq.uz/check?t=UZ170703100189&r=643&r=644&c=20200518221403&s=248429044289",
    );
    assert_eq!(field(&e), "r");
    assert_eq!(field(&bad("https://ofd.soliq.uz/check")), "t");
}

#[test]
fn links_that_are_not_soliq_links_are_refused_as_url() {
    for url in [
        "",
        "ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289",
        "ftp://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289",
        "https://evil.example/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289",
        "https://ofd.soliq.uz.evil.example/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289",
        "https:///check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289",
        "https://ofd.soliq.uz/ch eck?t=UZ170703100189&r=643&c=20200518221403&s=248429044289",
    ] {
        assert_eq!(field(&bad(url)), "url", "{url:?}");
    }
    // A URL argument that is not a string.
    let e = module("parseSoliqQr", &[Json::int(5)]).unwrap_err();
    assert_eq!(field(&e), "url");
    // Other hosts only on request (Rust API / options argument).
    let other =
        "https://mirror.example/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289";
    let p = soliq::parse_with(other, soliq::ParseOptions { any_host: true }).unwrap();
    assert_eq!(p.host, "mirror.example");
}

#[test]
fn build_accepts_fiscalbox_names_and_refuses_bad_or_conflicting_parts() {
    let url = build_js(
        r#"{"terminal_id":"UZ170703100189","receipt_count":643,"date_time":"20200518221403","fiscal_sign":"248429044289"}"#,
    )
    .unwrap();
    assert_eq!(
        url,
        "https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289"
    );
    let cases = [
        (r#"{"r":643,"c":"20200518221403","s":"248429044289"}"#, "t"),
        (
            r#"{"t":"UZ170703100189","c":"20200518221403","s":"248429044289"}"#,
            "r",
        ),
        (r#"{"t":"UZ170703100189","r":643,"s":"248429044289"}"#, "c"),
        (
            r#"{"t":"UZ170703100189","r":643,"c":"20200518221403"}"#,
            "s",
        ),
        (
            r#"{"t":"UZ170703100189","r":6.5,"c":"20200518221403","s":"248429044289"}"#,
            "r",
        ),
        (
            r#"{"t":"UZ170703100189","r":-1,"c":"20200518221403","s":"248429044289"}"#,
            "r",
        ),
        (
            r#"{"t":"UZ170703100189","r":643,"c":20200518221403,"s":"248429044289"}"#,
            "c",
        ),
        (
            r#"{"t":"UZ170703100189","r":643,"c":"20200518221403","s":"248429044289","terminal_id":"UZ170703100190"}"#,
            "terminal_id",
        ),
        (
            r#"{"t":"UZ170703100189","r":643,"c":"20200518221403","s":"248429044289","host":"https://ofd.soliq.uz/"}"#,
            "host",
        ),
    ];
    for (parts, part) in cases {
        let e = build_js(parts).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(field(&e), part, "{parts}: {}", e.message());
    }
    let e = module("buildSoliqQr", &[Json::str("UZ170703100189")]).unwrap_err();
    assert_eq!(field(&e), "parts");
    let e = module("buildSoliqQr", &[]).unwrap_err();
    assert_eq!(field(&e), "parts");
}

#[test]
fn build_then_parse_gives_the_same_parts() {
    let terminals = [
        "UZ000000000000",
        "LG420230601161",
        "NA000000045091",
        "EZ999999999999",
    ];
    let receipts = [0u64, 1, 9, 10, 643, 92927, 4_294_967_296];
    let times = [
        "20000101000000",
        "20240229235959",
        "20261231120000",
        "19991231235959",
    ];
    let signs = [
        "000000000000",
        "025561534771",
        "999999999999",
        "100000000001",
    ];
    for (i, t) in terminals.iter().enumerate() {
        for r in receipts {
            let c = times[(i + r as usize) % times.len()];
            let s_ = signs[(i + 2 * r as usize) % signs.len()];
            let path = if r % 2 == 0 { "check" } else { "epi" };
            let parts = format!(r#"{{"t":"{t}","r":{r},"c":"{c}","s":"{s_}","path":"{path}"}}"#);
            let url = build_js(&parts).unwrap();
            assert_eq!(
                url,
                format!("https://ofd.soliq.uz/{path}?t={t}&r={r}&c={c}&s={s_}")
            );
            let back = parse_js(&url).unwrap();
            assert_eq!(s(&back, "t"), *t);
            assert_eq!(back.get("r").and_then(Json::as_i64), Some(r as i64));
            assert_eq!(s(&back, "c"), c);
            assert_eq!(s(&back, "s"), s_);
            assert_eq!(s(&back, "path"), format!("/{path}"));
        }
    }
}

//! Helpers shared by the Rust integration tests: spec fixtures and reading typed results.
#![allow(dead_code)]

use kassa::json::Json;

/// A spec fixture, `tests/fixtures/<dir>/<name>`, as text.
pub fn fixture(dir: &str, name: &str) -> String {
    let path = format!("tests/fixtures/{dir}/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The string at `path` in a result; panics naming the path and the value when absent.
pub fn s<'a>(v: &'a Json, path: &[&str]) -> &'a str {
    v.pointer(path)
        .and_then(Json::as_str)
        .unwrap_or_else(|| panic!("{path:?} in {}", v.to_compact()))
}

/// The number at `path`, as its exact literal.
pub fn num(v: &Json, path: &[&str]) -> String {
    v.pointer(path)
        .and_then(Json::as_number)
        .unwrap_or_else(|| panic!("{path:?} in {}", v.to_compact()))
        .literal()
        .to_string()
}

/// An AGWS client with the documented test options (secret `12345`, agent `tarlan`, project
/// `mobile`), as the AGWS examples sign with.
pub fn agws_client() -> kassa::Client {
    kassa::Client::new(
        &kassa::tarlan::agws::PROVIDER,
        kassa::json::parse(r#"{"secret":"12345","agent":"tarlan","project":"mobile"}"#).unwrap(),
    )
    .unwrap()
}

//! kassa — signed requests, typed responses and a safe fetch transport for Central-Asian
//! payment and fiscal-receipt APIs: Tarlan Payments (AGWS, fiscal receipts, acquiring),
//! Assist (fiscal receipts) and FiscalBox (fiscal box, QR-wallet confirmations).
//!
//! The core is sans-IO: every operation is `build(params) -> HttpRequest` and
//! `parse(HttpResponse) -> result | KassaError`, driven by one declarative operation table
//! per provider. The wasm binding layer (`wasm`, only on wasm32) adds the fetch transport.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod assist;
pub mod client;
pub mod codes;
pub mod config;
pub mod diagnose;
pub mod error;
pub mod fiscalbox;
pub mod flow;
pub mod helper;
pub mod http;
pub mod journal;
pub mod json;
pub mod money;
pub mod operation;
pub mod provider;
pub mod receipt;
pub mod retry;
pub mod schema;
pub mod tarlan;
pub mod time;
pub mod transport;
pub mod typescript;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use client::Client;
pub use error::{ErrorKind, KassaError};
pub use http::{HttpRequest, HttpResponse, Method};
pub use json::Json;
pub use provider::ProviderDef;

/// Every provider, in the order the JavaScript classes are listed.
pub static PROVIDERS: [&ProviderDef; 5] = [
    &tarlan::agws::PROVIDER,
    &tarlan::acquiring::PROVIDER,
    &assist::PROVIDER,
    &fiscalbox::PROVIDER,
    &fiscalbox::billing::PROVIDER,
];

pub fn provider(id: &str) -> Option<&'static ProviderDef> {
    PROVIDERS.iter().copied().find(|p| p.id == id)
}

/// Helpers exported as module-level JavaScript functions (Soliq links, the receipt model,
/// signature diagnosis), each declared next to its implementation.
pub static MODULE_HELPERS: &[&[helper::Helper]] = &[
    &fiscalbox::soliq::HELPERS,
    &RECEIPT_HELPERS,
    &diagnose::HELPERS,
];

static RECEIPT_HELPERS: [helper::Helper; 1] = [helper::Helper {
    name: "toFiscalReceipt",
    run: helper::HelperFn::Static(to_fiscal_receipt),
    ts: receipt::TS,
}];

/// `toFiscalReceipt(provider, result)`: the conversion the provider declares on its
/// `ProviderDef`. The provider is named by its id or its class name, in any case.
fn to_fiscal_receipt(args: &[Json]) -> error::Result<Json> {
    let name = helper::str_arg(args, 0, "provider")?;
    let wanted = name.trim().replace('-', "");
    let issuers = || PROVIDERS.iter().filter(|p| p.receipt.is_some());
    let convert = issuers()
        .find(|p| p.id.eq_ignore_ascii_case(&wanted) || p.class_name.eq_ignore_ascii_case(&wanted))
        .and_then(|p| p.receipt)
        .ok_or_else(|| {
            let known: Vec<String> = issuers().map(|p| format!("'{}'", p.id)).collect();
            KassaError::validation(
                "provider",
                format!("must be one of {} (got {name:?})", known.join(", ")),
            )
        })?;
    let result = match helper::arg(args, 1, "result")? {
        // A response body handed over as text.
        Json::String(text) => json::parse(text)
            .map_err(|e| KassaError::validation("result", format!("is not valid JSON: {e}")))?,
        other => other.clone(),
    };
    convert(&result)
}

pub fn module_helper(name: &str) -> Option<&'static helper::Helper> {
    MODULE_HELPERS
        .iter()
        .flat_map(|group| group.iter())
        .find(|h| h.name == name)
}

/// `canonicalJson`: Go `encoding/json` canonical text of a JSON document (no fields dropped).
pub fn canonical_json(text: &str) -> error::Result<String> {
    let mut value = json::parse_value(text, json::Limits::default())
        .map_err(|e| KassaError::validation("value", format!("is not valid JSON: {e}")))?;
    value.canonicalize();
    let mut out = String::with_capacity(text.len());
    json::write_canonical_value(&value, &mut out);
    Ok(out)
}

/// `tarlanSign`: hex signature of a body (JSON text) with Tarlan's exclusions applied.
pub fn tarlan_sign(body: &str, secret: &str) -> error::Result<String> {
    tarlan::sign::sign_text(body, secret)
}

/// `tarlanVerify`: constant-time check of a received signature.
pub fn tarlan_verify(body: &str, secret: &str, signature: &str) -> error::Result<bool> {
    tarlan::sign::verify_text(body, secret, signature)
}

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

#[cfg(feature = "assist")]
pub mod assist;
pub mod client;
pub mod codes;
pub mod config;
#[cfg(feature = "diagnose")]
pub mod diagnose;
pub mod error;
#[cfg(feature = "fiscalbox")]
pub mod fiscalbox;
pub mod flow;
pub mod helper;
pub mod http;
pub mod journal;
pub mod json;
pub mod money;
#[cfg(not(target_arch = "wasm32"))]
pub mod npm;
pub mod operation;
pub mod provider;
pub mod receipt;
pub mod registry;
pub mod retry;
pub mod schema;
pub mod tarlan;
pub mod task;
pub mod time;
pub mod transport;
#[cfg(not(target_arch = "wasm32"))]
pub mod typescript;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use client::Client;
pub use error::{ErrorKind, KassaError};
pub use http::{HttpRequest, HttpResponse, Method};
pub use json::Json;
pub use provider::ProviderDef;
pub use registry::{module_helper, provider};

/// `canonicalJson`: Go `encoding/json` canonical text of a JSON document (no fields dropped).
pub fn canonical_json(text: &str) -> error::Result<String> {
    let mut out = String::with_capacity(text.len());
    json::write_canonical_text(text, json::Limits::default(), &|_, _| true, &mut out)
        .map_err(|e| KassaError::validation("value", format!("is not valid JSON: {e}")))?;
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

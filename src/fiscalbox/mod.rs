//! PLACEHOLDER: replaced by the provider's operation table (work in progress, not shipped).

pub mod billing;
pub mod qr_flow;
pub mod soliq;

use crate::client::{Config, ProviderDef, TRANSPORT_OPTIONS};
use crate::error::{KassaError, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::json::{Json, Map};
use crate::operation::{BuildCtx, Operation};
use crate::schema::Field;

pub static OPTIONS: [Field; 2] = TRANSPORT_OPTIONS;

pub static PROVIDER: ProviderDef = ProviderDef {
    id: "fiscalbox",
    title: "FiscalBox",
    class_name: "FiscalBox",
    options: &OPTIONS,
    ops: &[],
    configure,
    encode,
    envelope,
    tables: &[],
    helpers: &[],
    flows: &qr_flow::FLOWS,
};

fn configure(options: &Map) -> Result<Config> {
    Config::from_options("fiscalbox", options, Some("https://api.fiscalbox.uz"))
}

fn encode(_: &Config, _: &Operation, _: Map, _: &BuildCtx) -> Result<HttpRequest> {
    Err(KassaError::decode("not available yet"))
}

fn envelope(_: &Config, _: &Operation, _: &HttpResponse) -> Result<Json> {
    Err(KassaError::decode("not available yet"))
}

//! The wasm-bindgen boundary. Thin on purpose: one string in, one string out per call
//! (JSON across the boundary is cheaper than walking JS objects field by field), errors
//! cross as the JSON of a `KassaError` that the JS glue turns into a `KassaError` instance.

use crate::client::Client;
use crate::error::KassaError;
use crate::helper::{Helper, HelperFn};
use crate::http::HttpResponse;
use crate::json::{self, Json, Map};
use crate::operation::BuildCtx;
use crate::transport;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub mod fetch;

fn to_js(error: KassaError) -> JsValue {
    JsValue::from_str(&error.to_json().to_compact())
}

fn parse_arg(text: &str, what: &str) -> Result<Json, KassaError> {
    json::parse(text).map_err(|e| KassaError::validation(what, format!("is not valid JSON: {e}")))
}

fn now_ctx() -> BuildCtx {
    fetch::now_ctx()
}

#[wasm_bindgen]
pub fn canonical_json(text: &str) -> Result<String, JsValue> {
    crate::canonical_json(text).map_err(to_js)
}

#[wasm_bindgen]
pub fn tarlan_sign(body: &str, secret: &str) -> Result<String, JsValue> {
    crate::tarlan_sign(body, secret).map_err(to_js)
}

#[wasm_bindgen]
pub fn tarlan_verify(body: &str, secret: &str, signature: &str) -> Result<bool, JsValue> {
    crate::tarlan_verify(body, secret, signature).map_err(to_js)
}

/// Every provider: class name, operations (with param descriptions) and code tables.
#[wasm_bindgen]
pub fn catalog() -> String {
    let providers = crate::PROVIDERS
        .iter()
        .map(|p| {
            let tables: Map = p
                .tables
                .iter()
                .map(|t| (t.id.to_string(), t.to_json()))
                .collect();
            json::obj([
                ("id", Json::str(p.id)),
                ("className", Json::str(p.class_name)),
                ("title", Json::str(p.title)),
                ("operations", crate::typescript::describe_operations(p)),
                ("tables", Json::Object(tables)),
                ("helpers", helper_list(p.helpers.iter())),
                (
                    "flows",
                    Json::Array(p.flows.iter().map(|f| Json::str(f.name)).collect()),
                ),
            ])
        })
        .collect();
    let module = crate::MODULE_HELPERS.iter().flat_map(|g| g.iter());
    json::obj([
        ("providers", Json::Array(providers)),
        ("moduleHelpers", helper_list(module)),
    ])
    .to_compact()
}

/// `{providerId: {operations, helpers, flows}}`: just the names the JS classes need at import
/// time (the full catalog is built lazily, only when descriptions or tables are asked for).
#[wasm_bindgen]
pub fn class_index() -> String {
    let names =
        |items: &mut dyn Iterator<Item = &'static str>| Json::Array(items.map(Json::str).collect());
    let map: Map = crate::PROVIDERS
        .iter()
        .map(|p| {
            let entry = json::obj([
                ("operations", names(&mut p.ops.iter().map(|o| o.name))),
                ("helpers", helper_list(p.helpers.iter())),
                ("flows", names(&mut p.flows.iter().map(|f| f.name))),
            ]);
            (p.id.to_string(), entry)
        })
        .collect();
    Json::Object(map).to_compact()
}

fn helper_list<'a>(helpers: impl Iterator<Item = &'a Helper>) -> Json {
    Json::Array(
        helpers
            .map(|h| {
                let kind = match h.run {
                    HelperFn::Static(_) => "static",
                    HelperFn::Method(_) => "method",
                };
                json::obj([("name", Json::str(h.name)), ("kind", Json::str(kind))])
            })
            .collect(),
    )
}

fn parse_args(args: &str) -> Result<Vec<Json>, KassaError> {
    match parse_arg(args, "arguments")? {
        Json::Array(items) => Ok(items),
        other => Ok(vec![other]),
    }
}

/// Calls a static helper: of a provider (`provider` = its id) or of the module (`""`).
#[wasm_bindgen]
pub fn invoke_static(provider: &str, name: &str, args: &str) -> Result<String, JsValue> {
    let helper = if provider.is_empty() {
        crate::module_helper(name)
    } else {
        crate::provider(provider).and_then(|p| p.helper(name))
    };
    let run = match helper.map(|h| h.run) {
        Some(HelperFn::Static(run)) => run,
        _ => {
            return Err(to_js(KassaError::validation(
                "function",
                format!("`{name}` is not a kassa function"),
            )))
        }
    };
    let args = parse_args(args).map_err(to_js)?;
    let mut result = run(&args);
    if !provider.is_empty() {
        if let Some(p) = crate::provider(provider) {
            result = result.map_err(|e| e.with_provider(p.id));
        }
    }
    result.map(|r| r.to_compact()).map_err(to_js)
}

/// A configured client. The secret stays in wasm memory: the JS object holds only a handle.
#[wasm_bindgen]
pub struct WasmClient {
    inner: Rc<Client>,
    fetch: Option<js_sys::Function>,
}

fn abort_signal(signal: JsValue) -> Option<web_sys::AbortSignal> {
    signal.dyn_into::<web_sys::AbortSignal>().ok()
}

/// Settles a promise with the JSON result, or rejects it with the KassaError JSON.
fn settle(result: Result<Json, KassaError>) -> Result<JsValue, JsValue> {
    result
        .map(|r| JsValue::from_str(&r.to_compact()))
        .map_err(to_js)
}

#[wasm_bindgen]
impl WasmClient {
    #[wasm_bindgen(constructor)]
    pub fn new(provider: &str, options: &str, fetch: JsValue) -> Result<WasmClient, JsValue> {
        let def = crate::provider(provider).ok_or_else(|| {
            to_js(KassaError::config(
                "provider",
                format!("`{provider}` is not a kassa provider"),
            ))
        })?;
        let options = parse_arg(options, "options").map_err(to_js)?;
        let client = Client::new(def, options).map_err(to_js)?;
        Ok(WasmClient {
            inner: Rc::new(client),
            fetch: fetch.dyn_into::<js_sys::Function>().ok(),
        })
    }

    pub fn build(&self, operation: &str, params: &str) -> Result<String, JsValue> {
        let params = parse_arg(params, "params").map_err(to_js)?;
        self.inner
            .build(operation, params, &now_ctx())
            .map(|r| r.to_json().to_compact())
            .map_err(to_js)
    }

    pub fn curl(&self, operation: &str, params: &str) -> Result<String, JsValue> {
        let params = parse_arg(params, "params").map_err(to_js)?;
        self.inner
            .build(operation, params, &now_ctx())
            .map(|r| r.to_curl())
            .map_err(to_js)
    }

    pub fn parse(&self, operation: &str, response: &str) -> Result<String, JsValue> {
        let response = parse_arg(response, "response")
            .and_then(|r| HttpResponse::from_json(&r))
            .map_err(to_js)?;
        self.inner
            .parse(operation, &response)
            .map(|r| r.to_compact())
            .map_err(to_js)
    }

    pub fn describe(&self) -> String {
        self.inner.describe().to_compact()
    }

    /// Builds, sends (with the transport rules) and parses one operation.
    pub fn call(
        &self,
        operation: String,
        params: String,
        options: String,
        signal: JsValue,
    ) -> js_sys::Promise {
        let client = self.inner.clone();
        let user_fetch = self.fetch.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let run = async {
                let params = parse_arg(&params, "params")?;
                let options = transport::CallOptions::from_json(&parse_arg(&options, "options")?)?;
                let fetcher = Rc::new(fetch::Fetcher::new(user_fetch)?);
                fetch::call(
                    client.clone(),
                    fetcher,
                    &operation,
                    params,
                    options,
                    abort_signal(signal),
                )
                .await
            };
            settle(
                run.await
                    .map_err(|e| client.decorate(client.provider.op(&operation), e)),
            )
        })
    }

    /// Runs one of the provider's flows (e.g. `payUntilFinal`).
    pub fn run_flow(
        &self,
        name: String,
        params: String,
        options: String,
        signal: JsValue,
    ) -> js_sys::Promise {
        let client = self.inner.clone();
        let user_fetch = self.fetch.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let run = async {
                let params = parse_arg(&params, "params")?;
                let options = parse_arg(&options, "options")?;
                let fetcher = Rc::new(fetch::Fetcher::new(user_fetch)?);
                fetch::run_flow(
                    client.clone(),
                    fetcher,
                    &name,
                    params,
                    options,
                    abort_signal(signal),
                )
                .await
            };
            settle(run.await.map_err(|e| client.decorate(None, e)))
        })
    }

    /// One step of the payment journal's state machine (`crate::journal`): the record the
    /// driver holds (JSON or `null`) and an event `{type, now, leaseMs, ...}` give the next
    /// record and action as JSON. Generic on purpose: the journal adds no wasm of its own.
    pub fn journal_step(&self, record: &str, event: &str) -> Result<String, JsValue> {
        let run = || -> Result<String, KassaError> {
            let record = match parse_arg(record, "record")? {
                Json::Null => None,
                value => Some(crate::journal::Record::from_json(&value)?),
            };
            let event = parse_arg(event, "event")?;
            let clock = crate::journal::Clock {
                now_ms: event.get("now").and_then(Json::as_i64).unwrap_or(0),
                lease_ms: event.get("leaseMs").and_then(Json::as_i64).unwrap_or(0),
            };
            let event = crate::journal::Event::from_json(&event)?;
            crate::journal::step(&self.inner, record, event, clock)
                .map(|s| s.to_json().to_compact())
        };
        run().map_err(|e| to_js(self.inner.decorate(None, e)))
    }

    /// Calls a method helper of this client's provider (it may use the client's secret).
    pub fn invoke(&self, name: &str, args: &str) -> Result<String, JsValue> {
        let client = &self.inner;
        let run = match client.provider.helper(name).map(|h| h.run) {
            Some(HelperFn::Method(run)) => run,
            _ => {
                return Err(to_js(KassaError::validation(
                    "method",
                    format!("`{name}` is not a method of {}", client.provider.class_name),
                )))
            }
        };
        let args = parse_args(args).map_err(to_js)?;
        run(&client.config, &args)
            .map(|r| r.to_compact())
            .map_err(|e| to_js(client.decorate(None, e)))
    }
}

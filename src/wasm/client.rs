//! The client of a provider across the boundary: a handle to a configured `Client` (the
//! secret stays in wasm memory) whose `call` and flows run over the fetch driver. Only builds
//! with at least one provider have it.

use super::fetch;
use super::{not_a_provider, parse_arg, parse_args, to_js};
use crate::client::Client;
use crate::error::KassaError;
use crate::helper::HelperFn;
use crate::http::HttpResponse;
use crate::json::{Json, Map};
use crate::operation::Operation;
use crate::registry;
use crate::transport;
use js_sys::Function;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A provider's code tables (`TarlanAgws.codes`): `{tableId: [entry, ...]}` as JSON.
#[wasm_bindgen]
pub fn code_tables(provider: &str) -> Result<String, JsValue> {
    let def = registry::provider(provider).ok_or_else(|| not_a_provider(provider))?;
    let tables: Map = def
        .tables
        .iter()
        .map(|t| (t.id.to_string(), t.to_json()))
        .collect();
    Ok(Json::Object(tables).to_compact())
}

/// A configured client. The secret stays in wasm memory: the JS object holds only a handle.
#[wasm_bindgen]
pub struct WasmClient {
    inner: Rc<Client>,
    fetch: Option<Function>,
}

fn abort_signal(signal: JsValue) -> Option<web_sys::AbortSignal> {
    signal.dyn_into::<web_sys::AbortSignal>().ok()
}

/// Settles a promise with the JSON result, or rejects it with the KassaError.
fn settle(result: Result<Json, KassaError>) -> Result<JsValue, JsValue> {
    result
        .map(|r| JsValue::from_str(&r.to_compact()))
        .map_err(to_js)
}

impl WasmClient {
    /// Runs `work` (given the client and the caller's `fetch`) in a promise that settles with its
    /// JSON result, or rejects with the KassaError, decorated with this client's provider, the
    /// operation and redaction.
    fn spawn<Work>(
        &self,
        op: Option<&'static Operation>,
        work: impl FnOnce(Rc<Client>, Option<Function>) -> Work + 'static,
    ) -> js_sys::Promise
    where
        Work: Future<Output = Result<Json, KassaError>> + 'static,
    {
        let client = self.inner.clone();
        let user_fetch = self.fetch.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let result = work(client.clone(), user_fetch).await;
            settle(result.map_err(|e| client.decorate(op, e)))
        })
    }
}

#[wasm_bindgen]
impl WasmClient {
    #[wasm_bindgen(constructor)]
    pub fn new(provider: &str, options: &str, fetch: JsValue) -> Result<WasmClient, JsValue> {
        let def = registry::provider(provider).ok_or_else(|| not_a_provider(provider))?;
        let options = parse_arg(options, "options").map_err(to_js)?;
        let client = Client::new(def, options).map_err(to_js)?;
        Ok(WasmClient {
            inner: Rc::new(client),
            fetch: fetch.dyn_into::<Function>().ok(),
        })
    }

    pub fn build(&self, operation: &str, params: &str) -> Result<String, JsValue> {
        let params = parse_arg(params, "params").map_err(to_js)?;
        self.inner
            .build(operation, params, &fetch::now_ctx())
            .map(|r| r.to_json().to_compact())
            .map_err(to_js)
    }

    pub fn curl(&self, operation: &str, params: &str) -> Result<String, JsValue> {
        let params = parse_arg(params, "params").map_err(to_js)?;
        self.inner
            .build(operation, params, &fetch::now_ctx())
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

    /// The configuration without secrets (`toJSON()`).
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
        let op = self.inner.provider.op(&operation);
        self.spawn(op, move |client, user_fetch| async move {
            let params = parse_arg(&params, "params")?;
            let options = transport::CallOptions::from_json(&parse_arg(&options, "options")?)?;
            let fetcher = Rc::new(fetch::Fetcher::new(user_fetch)?);
            fetch::call(
                client,
                fetcher,
                &operation,
                params,
                options,
                abort_signal(signal),
            )
            .await
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
        self.spawn(None, move |client, user_fetch| async move {
            let params = parse_arg(&params, "params")?;
            let options = parse_arg(&options, "options")?;
            let fetcher = Rc::new(fetch::Fetcher::new(user_fetch)?);
            fetch::run_flow(
                client,
                fetcher,
                &name,
                params,
                options,
                abort_signal(signal),
            )
            .await
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

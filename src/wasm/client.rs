//! The client of a provider across the boundary: a handle to a configured `Client` (the
//! secret stays in wasm memory), and the tasks its `call()` and flows run: sans-IO machines
//! (src/task.rs) that the fetch driver in JavaScript (pkg/src/driver.js) steps through, one
//! JSON event in and one JSON step out. Only builds with at least one provider have it.

use super::{not_a_provider, now_ms, parse_arg, parse_args, to_js};
use crate::client::Client;
use crate::error::KassaError;
use crate::helper::HelperFn;
use crate::http::HttpResponse;
use crate::json::{Json, Map};
use crate::operation::BuildCtx;
use crate::registry;
use crate::task::{protocol, Env, Task};
use crate::transport::CallOptions;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

fn now_ctx() -> BuildCtx {
    BuildCtx {
        now_ms: Some(now_ms()),
    }
}

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
}

/// A call or a flow in progress, stepped by the fetch driver.
#[wasm_bindgen]
pub struct WasmTask {
    task: Task<Rc<Client>>,
}

#[wasm_bindgen]
impl WasmTask {
    /// The next step after `event` (`body`: a response's body; `now`: the driver's clock in
    /// Unix ms; `random`: in [0, 1), for the backoff jitter), as JSON; a failed task throws
    /// its KassaError.
    pub fn step(
        &mut self,
        event: &str,
        body: String,
        now: f64,
        random: f64,
    ) -> Result<String, JsValue> {
        let event = protocol::event_from_json(event, body).map_err(to_js)?;
        let env = Env {
            now_ms: now as i64,
            random,
        };
        protocol::step_to_json(self.task.step(event, env)).map_err(to_js)
    }
}

#[wasm_bindgen]
impl WasmClient {
    #[wasm_bindgen(constructor)]
    pub fn new(provider: &str, options: &str) -> Result<WasmClient, JsValue> {
        let def = registry::provider(provider).ok_or_else(|| not_a_provider(provider))?;
        let options = parse_arg(options, "options").map_err(to_js)?;
        let client = Client::new(def, options).map_err(to_js)?;
        Ok(WasmClient {
            inner: Rc::new(client),
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

    /// The configuration without secrets (`toJSON()`).
    pub fn describe(&self) -> String {
        self.inner.describe().to_compact()
    }

    /// The task of one call of `operation` (built and validated now), which sends with the
    /// transport rules and parses.
    pub fn call_task(
        &self,
        operation: &str,
        params: &str,
        options: &str,
        now: f64,
    ) -> Result<WasmTask, JsValue> {
        let client = &self.inner;
        let op = client.provider.op(operation);
        let start = || -> Result<Task<Rc<Client>>, KassaError> {
            let params = parse_arg(params, "params")?;
            let options = CallOptions::from_json(&parse_arg(options, "options")?)?;
            Task::call(client.clone(), operation, params, options, now as i64)
        };
        start()
            .map(|task| WasmTask { task })
            .map_err(|e| to_js(client.decorate(op, e)))
    }

    /// The task of one of the provider's flows (e.g. `payUntilFinal`).
    pub fn flow_task(&self, name: &str, params: &str, options: &str) -> Result<WasmTask, JsValue> {
        let client = &self.inner;
        let start = || -> Result<Task<Rc<Client>>, KassaError> {
            let params = parse_arg(params, "params")?;
            let options = parse_arg(options, "options")?;
            Task::flow(client.clone(), name, params, options)
        };
        start()
            .map(|task| WasmTask { task })
            .map_err(|e| to_js(client.decorate(None, e)))
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

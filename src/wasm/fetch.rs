//! The fetch driver: performs the sends and sleeps that the sans-IO `transport::Call` and
//! `flow::Flow` machines ask for, over the `fetch` given in the options or the global one.
//! One deadline per attempt (AbortController) covers the headers *and* the body.

use crate::client::Client;
use crate::error::{ErrorKind, KassaError};
use crate::flow::Step;
use crate::http::{HttpRequest, HttpResponse};
use crate::json::Json;
use crate::operation::BuildCtx;
use crate::transport::{Call, CallOptions, CallStep, Observed};
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Response};

pub fn now_ctx() -> BuildCtx {
    BuildCtx {
        now_ms: Some(js_sys::Date::now() as i64),
    }
}

fn global() -> Object {
    js_sys::global()
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `setTimeout(callback, ms)` on the global object (Node, workerd and browsers all have it).
fn set_timeout(callback: &Function, ms: u64) -> JsValue {
    let set = get(&global(), "setTimeout");
    match set.dyn_ref::<Function>() {
        Some(f) => f
            .call2(&global(), callback, &JsValue::from_f64(ms as f64))
            .unwrap_or(JsValue::UNDEFINED),
        None => JsValue::UNDEFINED,
    }
}

fn clear_timeout(handle: &JsValue) {
    if let Some(f) = get(&global(), "clearTimeout").dyn_ref::<Function>() {
        let _ = f.call1(&global(), handle);
    }
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u64) {
    let promise = Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// Network error codes that prove the request never left this machine.
const NOT_SENT_CODES: [&str; 4] = [
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "UND_ERR_CONNECT_TIMEOUT",
];

fn describe_network_error(error: &JsValue) -> (String, bool) {
    let message = get(error, "message")
        .as_string()
        .unwrap_or_else(|| "fetch failed".into());
    let cause = get(error, "cause");
    let code = get(&cause, "code")
        .as_string()
        .or_else(|| get(error, "code").as_string());
    let maybe_sent = !code.as_deref().is_some_and(|c| NOT_SENT_CODES.contains(&c));
    let message = match code {
        Some(code) => format!("{message}: {code}"),
        None => message,
    };
    (message, maybe_sent)
}

pub struct Fetcher {
    fetch: Function,
}

impl Fetcher {
    pub fn new(user_fetch: Option<Function>) -> Result<Fetcher, KassaError> {
        let fetch = match user_fetch {
            Some(f) => f,
            None => get(&global(), "fetch")
                .dyn_into::<Function>()
                .map_err(|_| {
                    KassaError::config(
                        "fetch",
                        "is not available in this runtime: pass a fetch function in the options",
                    )
                })?,
        };
        Ok(Fetcher { fetch })
    }

    fn init(request: &HttpRequest, signal: &AbortSignal) -> Object {
        let init = Object::new();
        let headers = Object::new();
        for (name, value) in &request.headers {
            let _ = Reflect::set(
                &headers,
                &JsValue::from_str(name),
                &JsValue::from_str(value),
            );
        }
        let _ = Reflect::set(&init, &"method".into(), &request.method.as_str().into());
        let _ = Reflect::set(&init, &"headers".into(), &headers);
        if let Some(body) = &request.body {
            let _ = Reflect::set(&init, &"body".into(), &JsValue::from_str(body));
        }
        let _ = Reflect::set(&init, &"signal".into(), signal);
        init
    }

    /// One attempt: the response read in full, or what went wrong.
    pub async fn send(
        &self,
        request: &HttpRequest,
        timeout_ms: u64,
        user_signal: Option<&AbortSignal>,
    ) -> Observed {
        let controller = match AbortController::new() {
            Ok(c) => c,
            Err(_) => {
                return Observed::NetworkError {
                    message: "AbortController is not available".into(),
                    maybe_sent: false,
                }
            }
        };
        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let timed_out = timed_out.clone();
            let controller = controller.clone();
            Closure::once_into_js(move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let timer = set_timeout(on_timeout.unchecked_ref(), timeout_ms);
        let on_user_abort = {
            let controller = controller.clone();
            Closure::<dyn FnMut()>::new(move || controller.abort())
        };
        if let Some(signal) = user_signal {
            let _ = signal
                .add_event_listener_with_callback("abort", on_user_abort.as_ref().unchecked_ref());
        }
        let observed = self
            .exchange(request, &controller.signal(), &timed_out, user_signal)
            .await;
        clear_timeout(&timer);
        if let Some(signal) = user_signal {
            let _ = signal.remove_event_listener_with_callback(
                "abort",
                on_user_abort.as_ref().unchecked_ref(),
            );
        }
        observed
    }

    async fn exchange(
        &self,
        request: &HttpRequest,
        signal: &AbortSignal,
        timed_out: &Cell<bool>,
        user_signal: Option<&AbortSignal>,
    ) -> Observed {
        let failed = |error: JsValue| {
            if timed_out.get() {
                Observed::TimedOut
            } else if user_signal.is_some_and(AbortSignal::aborted) {
                Observed::Aborted
            } else {
                let (message, maybe_sent) = describe_network_error(&error);
                Observed::NetworkError {
                    message,
                    maybe_sent,
                }
            }
        };
        let init = Self::init(request, signal);
        let promise = match self
            .fetch
            .call2(&global(), &JsValue::from_str(&request.url), &init)
        {
            Ok(p) => p,
            Err(e) => return failed(e),
        };
        let response = match JsFuture::from(Promise::resolve(&promise)).await {
            Ok(r) => r,
            Err(e) => return failed(e),
        };
        let Ok(response) = response.dyn_into::<Response>() else {
            return Observed::NetworkError {
                message: "fetch did not return a Response".into(),
                maybe_sent: true,
            };
        };
        let mut headers = Vec::new();
        if let Ok(Some(entries)) = js_sys::try_iter(&response.headers()) {
            for entry in entries.flatten() {
                let pair = js_sys::Array::from(&entry);
                if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                    headers.push((k.to_ascii_lowercase(), v));
                }
            }
        }
        let text = match response.text() {
            Ok(p) => JsFuture::from(p).await,
            Err(e) => Err(e),
        };
        match text {
            Ok(body) => Observed::Response(HttpResponse {
                status: response.status(),
                headers,
                body: body.as_string().unwrap_or_default(),
            }),
            // The deadline covers the body: a body slower than timeoutMs is a timeout.
            Err(e) => failed(e),
        }
    }
}

fn aborted_before_sending() -> KassaError {
    KassaError::new(
        ErrorKind::Transport,
        "the call was aborted by its AbortSignal before it was sent; nothing reached the provider",
    )
}

/// Performs one operation call with the transport rules (retries, unknown outcomes,
/// duplicate resolution).
pub async fn call(
    client: Rc<Client>,
    fetcher: Rc<Fetcher>,
    operation: &str,
    params: Json,
    options: CallOptions,
    signal: Option<AbortSignal>,
) -> Result<Json, KassaError> {
    let mut call = Call::new(&client, operation, params, options, &now_ctx())?;
    let mut step = call.start();
    loop {
        step = match step {
            CallStep::Send {
                request,
                timeout_ms,
            } => {
                if signal.as_ref().is_some_and(AbortSignal::aborted) {
                    return Err(
                        client.decorate(client.provider.op(operation), aborted_before_sending())
                    );
                }
                let observed = fetcher.send(&request, timeout_ms, signal.as_ref()).await;
                call.resume(Some(observed), js_sys::Math::random(), &now_ctx())
            }
            CallStep::Sleep { ms } => {
                sleep(ms).await;
                call.resume(None, js_sys::Math::random(), &now_ctx())
            }
            CallStep::Done(result) => return result,
        };
    }
}

/// Runs a provider flow (e.g. AGWS `payUntilFinal`) to its end.
pub async fn run_flow(
    client: Rc<Client>,
    fetcher: Rc<Fetcher>,
    name: &str,
    params: Json,
    options: Json,
    signal: Option<AbortSignal>,
) -> Result<Json, KassaError> {
    let def = client.provider.flow(name).ok_or_else(|| {
        KassaError::validation(
            "flow",
            format!("`{name}` is not a flow of {}", client.provider.class_name),
        )
    })?;
    let call_options = CallOptions::from_json(&options)?;
    let mut flow = (def.create)(client.as_ref(), params, options)?;
    let mut step = flow.start(js_sys::Date::now() as i64);
    loop {
        step = match step {
            Step::Call { operation, params } => {
                let outcome = call(
                    client.clone(),
                    fetcher.clone(),
                    operation,
                    params,
                    call_options,
                    signal.clone(),
                )
                .await;
                flow.resume(js_sys::Date::now() as i64, outcome)
            }
            Step::Sleep { ms } => {
                sleep(ms).await;
                if signal.as_ref().is_some_and(AbortSignal::aborted) {
                    return Err(KassaError::new(ErrorKind::Transport, format!("{name} was aborted by its AbortSignal while waiting; nothing new was sent")));
                }
                flow.resume(js_sys::Date::now() as i64, Ok(Json::Null))
            }
            Step::Done(result) => return Ok(result),
            Step::Fail(error) => return Err(client.decorate(None, error)),
        };
    }
}

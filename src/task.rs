//! What `call()` and a flow method run: one call, or one flow and every call it makes, as one
//! sans-IO machine that leaves only sending and sleeping to its driver. The driver (the fetch
//! driver in pkg/src/driver.js; scripted answers in tests) tells what happened (`Event`) with
//! its clock and a random number; the task answers what to do next (`CallStep`). The money
//! rules stay in `transport::Call` and the flows in `flow`; this only composes them and adds
//! what the caller's AbortSignal means between two sends.

use crate::client::Client;
use crate::error::{ErrorKind, KassaError, Result};
use crate::flow::{Flow, Step};
use crate::http::HttpResponse;
use crate::json::{self, Json};
use crate::operation::{BuildCtx, Operation};
use crate::transport::{Call, CallOptions, CallStep, Observed};
use std::ops::Deref;

/// What the driver saw since the last step.
#[derive(Clone, Debug)]
pub enum Event {
    /// Nothing yet: the first step.
    Start,
    /// What the last `Send` gave.
    Sent(Observed),
    /// The last `Send` was not performed: the caller's AbortSignal had already fired.
    AbortedBeforeSending,
    /// The last `Send` was not performed: the runtime has no `fetch` and none was given.
    NoFetch,
    /// The last `Sleep` is over; `aborted`: the caller's AbortSignal fired meanwhile.
    Woke { aborted: bool },
}

/// The driver's clock (Unix ms) and a random number in [0, 1) for the backoff jitter, given
/// with every event.
#[derive(Clone, Copy, Debug)]
pub struct Env {
    pub now_ms: i64,
    pub random: f64,
}

impl Env {
    fn ctx(self) -> BuildCtx {
        BuildCtx {
            now_ms: Some(self.now_ms),
        }
    }
}

enum Work<C: Deref<Target = Client>> {
    Call(Call<C>),
    Flow {
        name: &'static str,
        flow: Box<dyn Flow>,
        options: CallOptions,
        /// The call the flow is waiting for.
        call: Option<Call<C>>,
    },
}

/// A call or a flow in progress. `C` holds the client (`Rc<Client>` across the wasm boundary).
pub struct Task<C: Deref<Target = Client> + Clone> {
    client: C,
    /// The operation errors are reported against (`None` for a flow: its calls name theirs).
    op: Option<&'static Operation>,
    work: Work<C>,
}

impl<C: Deref<Target = Client> + Clone> Task<C> {
    /// A call of `operation`; its request is built (and validated) now.
    pub fn call(
        client: C,
        operation: &str,
        params: Json,
        options: CallOptions,
        now_ms: i64,
    ) -> Result<Task<C>> {
        let op = client.provider.op(operation);
        let ctx = BuildCtx {
            now_ms: Some(now_ms),
        };
        let call = Call::new(client.clone(), operation, params, options, &ctx)
            .map_err(|e| client.decorate(op, e))?;
        Ok(Task {
            client,
            op,
            work: Work::Call(call),
        })
    }

    /// The flow `name` of the client's provider, created from `(params, options)`; the
    /// transport options it takes (`timeoutMs`, `maxRetries`) apply to each of its calls.
    pub fn flow(client: C, name: &str, params: Json, options: Json) -> Result<Task<C>> {
        let create = || {
            let def = client.provider.flow(name).ok_or_else(|| {
                KassaError::validation(
                    "flow",
                    format!("`{name}` is not a flow of {}", client.provider.class_name),
                )
            })?;
            let call_options = CallOptions::from_json(&options)?;
            let flow = (def.create)(&*client, params, options)?;
            Ok((def.name, flow, call_options))
        };
        let (name, flow, options) = create().map_err(|e| client.decorate(None, e))?;
        Ok(Task {
            op: None,
            work: Work::Flow {
                name,
                flow,
                options,
                call: None,
            },
            client,
        })
    }

    /// What to do after `event`. After `Done` the task is over.
    pub fn step(&mut self, event: Event, env: Env) -> CallStep {
        let step = match event {
            // Without fetch nothing can be sent, for this call or any later one of the flow.
            Event::NoFetch => CallStep::Done(Err(no_fetch())),
            event => self.advance(event, env),
        };
        match step {
            CallStep::Done(Err(e)) => CallStep::Done(Err(self.client.decorate(self.op, e))),
            step => step,
        }
    }

    fn advance(&mut self, event: Event, env: Env) -> CallStep {
        let client = &self.client;
        match &mut self.work {
            Work::Call(call) => call_step(call, event, env),
            Work::Flow {
                name,
                flow,
                options,
                call,
            } => {
                let mut next = match (call.as_mut(), event) {
                    (Some(active), event) => match call_step(active, event, env) {
                        CallStep::Done(outcome) => {
                            *call = None;
                            flow.resume(env.now_ms, outcome)
                        }
                        step => return step,
                    },
                    (None, Event::Start) => flow.start(env.now_ms),
                    (None, Event::Woke { aborted: true }) => {
                        return CallStep::Done(Err(KassaError::new(
                            ErrorKind::Transport,
                            format!("{name} was aborted by its AbortSignal while waiting; nothing new was sent"),
                        )))
                    }
                    (None, _) => flow.resume(env.now_ms, Ok(Json::Null)),
                };
                // A call whose request cannot be built gives its error to the flow at once.
                loop {
                    next = match next {
                        Step::Call { operation, params } => {
                            match Call::new(client.clone(), operation, params, *options, &env.ctx())
                            {
                                Ok(started) => {
                                    let send = started.start();
                                    *call = Some(started);
                                    return send;
                                }
                                Err(e) => flow.resume(env.now_ms, Err(e)),
                            }
                        }
                        Step::Sleep { ms } => return CallStep::Sleep { ms },
                        Step::Done(result) => return CallStep::Done(Ok(result)),
                        Step::Fail(error) => return CallStep::Done(Err(error)),
                    }
                }
            }
        }
    }
}

/// One call's answer to an event.
fn call_step<C: Deref<Target = Client>>(call: &mut Call<C>, event: Event, env: Env) -> CallStep {
    match event {
        Event::Start => call.start(),
        Event::Sent(observed) => call.resume(Some(observed), env.random, &env.ctx()),
        Event::Woke { .. } => call.resume(None, env.random, &env.ctx()),
        Event::AbortedBeforeSending => CallStep::Done(Err(call.client().decorate(
            Some(call.operation()),
            KassaError::new(
                ErrorKind::Transport,
                "the call was aborted by its AbortSignal before it was sent; nothing reached the provider",
            ),
        ))),
        Event::NoFetch => CallStep::Done(Err(no_fetch())),
    }
}

fn no_fetch() -> KassaError {
    KassaError::config(
        "fetch",
        "is not available in this runtime: pass a fetch function in the options",
    )
}

/// The events and steps as the JavaScript driver exchanges them: an event is a JSON object
/// `{type, ...}` (a response's body, the clock and the random number cross beside it); a step
/// is `{type: 'send', request, timeoutMs}`, `{type: 'sleep', ms}` or `{type: 'done', result}`
/// (a failed task throws its KassaError instead).
pub mod protocol {
    use super::*;

    /// Reads an event; `body` is the response body of a `response` event.
    pub fn event_from_json(text: &str, body: String) -> Result<Event> {
        let value = json::parse(text)
            .map_err(|e| KassaError::validation("event", format!("is not valid JSON: {e}")))?;
        let flag = |key: &str| value.get(key).and_then(Json::as_bool).unwrap_or(false);
        let event = match value.get("type").and_then(Json::as_str).unwrap_or("") {
            "start" => Event::Start,
            "response" => {
                let status = value
                    .get("status")
                    .and_then(Json::as_i64)
                    .and_then(|s| u16::try_from(s).ok())
                    .unwrap_or(0);
                let headers = value
                    .get("headers")
                    .and_then(Json::as_array)
                    .map(|pairs| {
                        pairs
                            .iter()
                            .filter_map(|pair| match pair.as_array().map(Vec::as_slice) {
                                Some([Json::String(k), Json::String(v)]) => {
                                    Some((k.to_ascii_lowercase(), v.clone()))
                                }
                                _ => None,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Event::Sent(Observed::Response(HttpResponse {
                    status,
                    headers,
                    body,
                }))
            }
            "networkError" => Event::Sent(Observed::NetworkError {
                message: value
                    .get("message")
                    .and_then(Json::as_str)
                    .unwrap_or("fetch failed")
                    .to_string(),
                maybe_sent: flag("maybeSent"),
            }),
            "timedOut" => Event::Sent(Observed::TimedOut),
            "aborted" => Event::Sent(Observed::Aborted),
            "abortedBeforeSending" => Event::AbortedBeforeSending,
            "noFetch" => Event::NoFetch,
            "woke" => Event::Woke {
                aborted: flag("aborted"),
            },
            other => {
                return Err(KassaError::validation(
                    "event.type",
                    format!("`{other}` is not an event of the fetch driver"),
                ))
            }
        };
        Ok(event)
    }

    /// A step, or the error a failed task ends with.
    pub fn step_to_json(step: CallStep) -> Result<String> {
        let step = match step {
            CallStep::Send {
                request,
                timeout_ms,
            } => json::obj([
                ("type", Json::str("send")),
                ("request", request.to_json()),
                ("timeoutMs", Json::int(ms(timeout_ms))),
            ]),
            CallStep::Sleep { ms: wait } => {
                json::obj([("type", Json::str("sleep")), ("ms", Json::int(ms(wait)))])
            }
            CallStep::Done(result) => json::obj([("type", Json::str("done")), ("result", result?)]),
        };
        Ok(step.to_compact())
    }

    fn ms(value: u64) -> i64 {
        i64::try_from(value).unwrap_or(i64::MAX)
    }
}

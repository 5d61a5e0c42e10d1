//! One call of one operation as a sans-IO state machine: send, read what came back, retry or
//! finish by `retry::decide`, resolve duplicates through the operation's status call. The
//! fetch driver (wasm) only moves bytes and waits; tests drive it with scripted attempts.

use crate::client::{Client, Prepared};
use crate::error::{KassaError, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::json::{Json, Map};
use crate::operation::{BuildCtx, Operation};
use crate::retry::{self, Attempt, Decision, Policy};

/// What the driver observed for one send.
#[derive(Clone, Debug)]
pub enum Observed {
    Response(HttpResponse),
    NetworkError { message: String, maybe_sent: bool },
    TimedOut,
    Aborted,
}

/// What the driver must do next.
#[derive(Clone, Debug, PartialEq)]
pub enum CallStep {
    Send {
        request: HttpRequest,
        timeout_ms: u64,
    },
    Sleep {
        ms: u64,
    },
    Done(Result<Json, KassaError>),
}

/// Per-call overrides of the client's transport options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub timeout_ms: Option<u64>,
    pub max_retries: Option<u32>,
}

impl CallOptions {
    pub fn from_json(value: &Json) -> Result<CallOptions> {
        let mut options = CallOptions::default();
        if let Some(ms) = value.get("timeoutMs").filter(|v| !v.is_null()) {
            match ms.as_i64() {
                Some(ms) if (1..=600_000).contains(&ms) => options.timeout_ms = Some(ms as u64),
                _ => {
                    return Err(KassaError::validation(
                        "options.timeoutMs",
                        "must be an integer between 1 and 600000",
                    ))
                }
            }
        }
        if let Some(n) = value.get("maxRetries").filter(|v| !v.is_null()) {
            match n.as_i64() {
                Some(n) if (0..=10).contains(&n) => options.max_retries = Some(n as u32),
                _ => {
                    return Err(KassaError::validation(
                        "options.maxRetries",
                        "must be an integer between 0 and 10",
                    ))
                }
            }
        }
        Ok(options)
    }

    /// The options as `call()` takes them in JavaScript (`from_json` reads them back).
    pub fn to_json(&self) -> Json {
        let mut out = Map::new();
        if let Some(ms) = self.timeout_ms {
            out.insert(
                "timeoutMs",
                Json::int(i64::try_from(ms).unwrap_or(i64::MAX)),
            );
        }
        if let Some(n) = self.max_retries {
            out.insert("maxRetries", Json::int(i64::from(n)));
        }
        Json::Object(out)
    }
}

enum Phase {
    /// Sending the requested operation.
    Main,
    /// Sending the resolve operation after a duplicate answer; the duplicate error is kept in
    /// case resolving fails.
    Resolving { duplicate: KassaError },
}

pub struct Call<'c> {
    client: &'c Client,
    prepared: Prepared,
    /// The operation being sent now (the main one, or its resolve operation).
    current: &'static Operation,
    request: HttpRequest,
    reference: Map,
    policy: Policy,
    timeout_ms: u64,
    attempt: u32,
    delivered_before: bool,
    phase: Phase,
}

impl<'c> Call<'c> {
    /// Builds the request (validation errors come out here, before anything is sent).
    pub fn new(
        client: &'c Client,
        operation: &str,
        params: Json,
        options: CallOptions,
        ctx: &BuildCtx,
    ) -> Result<Call<'c>> {
        let prepared = client.prepare(operation, params, ctx)?;
        let policy = Policy {
            max_retries: options.max_retries.unwrap_or(client.config.max_retries),
            ..Policy::default()
        };
        Ok(Call {
            client,
            current: prepared.op,
            request: prepared.request.clone(),
            reference: prepared.op.reference_of(&prepared.params),
            prepared,
            policy,
            timeout_ms: options.timeout_ms.unwrap_or(client.config.timeout_ms),
            attempt: 0,
            delivered_before: false,
            phase: Phase::Main,
        })
    }

    pub fn start(&self) -> CallStep {
        CallStep::Send {
            request: self.request.clone(),
            timeout_ms: self.timeout_ms,
        }
    }

    /// Feeds what happened to the last `Send` (or `Ok` after a `Sleep`); `random` in [0, 1)
    /// drives the backoff jitter; `ctx` is used if a resolve request must be built.
    pub fn resume(&mut self, observed: Option<Observed>, random: f64, ctx: &BuildCtx) -> CallStep {
        let Some(observed) = observed else {
            // Woke up from a backoff sleep: send the same bytes again.
            return self.start();
        };
        let maybe_sent = !matches!(
            observed,
            Observed::NetworkError {
                maybe_sent: false,
                ..
            }
        );
        let attempt = self.attempt_of(observed);
        let decision = retry::decide(
            self.current,
            self.client.provider.title,
            &self.policy,
            self.attempt,
            attempt,
            self.delivered_before,
            &self.reference,
            random,
        );
        self.delivered_before |= maybe_sent;
        match decision {
            Decision::RetryAfter(ms) => {
                self.attempt += 1;
                CallStep::Sleep { ms }
            }
            Decision::Finish(result) => CallStep::Done(self.finish(result)),
            Decision::Resolve(duplicate) => self.begin_resolve(duplicate, ctx),
        }
    }

    fn attempt_of(&self, observed: Observed) -> Attempt {
        match observed {
            Observed::Response(response) => Attempt::Answered {
                status: response.status,
                retry_after_ms: retry::retry_after_ms(&response),
                result: self.client.parse_op(self.current, &response),
            },
            Observed::NetworkError {
                message,
                maybe_sent,
            } => Attempt::NetworkError {
                message,
                maybe_sent,
            },
            Observed::TimedOut => Attempt::TimedOut {
                timeout_ms: self.timeout_ms,
            },
            Observed::Aborted => Attempt::Aborted,
        }
    }

    fn finish(&mut self, result: Result<Json>) -> Result<Json> {
        let result = match (&self.phase, result) {
            (Phase::Resolving { duplicate }, Err(resolve_error)) => {
                // The duplicate stands: report it, with why resolving failed.
                Err(duplicate
                    .clone()
                    .with_detail("resolveError", Json::str(resolve_error.message())))
            }
            (Phase::Resolving { duplicate }, Ok(resolved))
                if !same_shape(self.prepared.op, self.current) =>
            {
                // The state is known but has another shape than this operation's result (a
                // transaction instead of a payment page): report it with the duplicate.
                Err(duplicate
                    .clone()
                    .with_detail("resolved", resolved)
                    .with_advice("An earlier attempt of this call was performed; `details.resolved` is its current state."))
            }
            (_, result) => result,
        };
        result.map_err(|e| self.client.decorate(Some(self.prepared.op), e))
    }

    /// The first attempt landed and the repeat was refused as a duplicate: ask the resolve
    /// operation (e.g. AGWS `status`) for the state of the original request.
    fn begin_resolve(&mut self, duplicate: KassaError, ctx: &BuildCtx) -> CallStep {
        let Some(resolve) = self.prepared.op.resolve else {
            return CallStep::Done(self.finish(Err(duplicate)));
        };
        let mut params = Map::new();
        for (to, from) in resolve.copy {
            if let Some(v) = self.prepared.params.get(from) {
                params.insert(*to, v.clone());
            }
        }
        for (to, value) in resolve.fixed {
            params.insert(*to, Json::str(*value));
        }
        match self
            .client
            .prepare(resolve.operation, Json::Object(params), ctx)
        {
            Ok(prepared) => {
                self.current = prepared.op;
                self.request = prepared.request;
                self.attempt = 0;
                self.delivered_before = false;
                self.phase = Phase::Resolving {
                    duplicate: duplicate.with_detail("duplicate", Json::Bool(true)),
                };
                self.start()
            }
            Err(e) => CallStep::Done(self.finish(Err(
                duplicate.with_detail("resolveError", Json::str(e.message())),
            ))),
        }
    }
}

/// True when two operations return the same named result type.
fn same_shape(a: &Operation, b: &Operation) -> bool {
    use crate::schema::Ty;
    match (a.result, b.result) {
        (Ty::Named(x, _), Ty::Named(y, _)) => x == y,
        _ => false,
    }
}

/// Drives a call synchronously: `send` performs one request, `sleep` waits. For tests and
/// native users who bring their own blocking HTTP client.
pub fn run_blocking(
    mut call: Call<'_>,
    ctx: &BuildCtx,
    mut send: impl FnMut(&HttpRequest, u64) -> Observed,
    mut sleep: impl FnMut(u64),
) -> Result<Json> {
    let mut step = call.start();
    for _ in 0..1000 {
        step = match step {
            CallStep::Send {
                request,
                timeout_ms,
            } => {
                let observed = send(&request, timeout_ms);
                call.resume(Some(observed), 0.5, ctx)
            }
            CallStep::Sleep { ms } => {
                sleep(ms);
                call.resume(None, 0.5, ctx)
            }
            CallStep::Done(result) => return result,
        };
    }
    Err(KassaError::decode("call did not finish within 1000 steps"))
}

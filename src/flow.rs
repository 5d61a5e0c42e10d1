//! Multi-step flows (AGWS pay-until-final, the FiscalBox QR-wallet sale) as sans-IO state
//! machines. A flow asks for operation calls and pauses; a driver — the fetch transport in
//! wasm, a scripted test natively — performs them and feeds the outcomes back. The flow
//! never does I/O and never reads a clock: the driver passes the time in.

use crate::error::{KassaError, Result};
use crate::http::HttpRequest;
use crate::json::Json;
use crate::operation::BuildCtx;

/// What a flow wants next.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Call `operation` of the same client with `params` (the driver applies the operation's
    /// retry rules and returns the parsed result or the error).
    Call {
        operation: &'static str,
        params: Json,
    },
    /// Wait before the next step.
    Sleep { ms: u64 },
    /// Finished with this result.
    Done(Json),
    /// Finished with this error.
    Fail(KassaError),
}

pub trait Flow {
    /// The first step; `now_ms` is the driver's clock (Unix ms).
    fn start(&mut self, now_ms: i64) -> Step;
    /// The outcome of the last `Call` (or `Ok(Json::Null)` after a `Sleep`).
    fn resume(&mut self, now_ms: i64, outcome: Result<Json>) -> Step;
}

/// What a flow may ask of its client while it is being created: build (and so validate) a
/// call before anything is sent. `Client` implements it.
pub trait RequestBuilder {
    fn build(&self, operation: &str, params: Json, ctx: &BuildCtx) -> Result<HttpRequest>;
}

pub type FlowFactory = fn(&dyn RequestBuilder, Json, Json) -> Result<Box<dyn Flow>>;

#[derive(Clone, Copy, Debug)]
pub struct FlowDef {
    /// The JavaScript method name, e.g. `payUntilFinal`.
    pub name: &'static str,
    /// Builds the flow from `(params, options)`.
    pub create: FlowFactory,
    /// TypeScript declaration of the class member.
    pub ts: &'static str,
}

/// Runs a flow against a synchronous executor (tests, native users with their own I/O).
/// `execute` performs one call; `sleep` advances the clock. Returns the final result.
pub fn run_blocking(
    flow: &mut dyn Flow,
    mut now_ms: i64,
    mut execute: impl FnMut(&'static str, Json) -> Result<Json>,
    mut sleep: impl FnMut(u64) -> i64,
) -> Result<Json> {
    let mut step = flow.start(now_ms);
    // A hard cap so a buggy flow cannot loop forever in a test.
    for _ in 0..10_000 {
        step = match step {
            Step::Call { operation, params } => {
                let outcome = execute(operation, params);
                flow.resume(now_ms, outcome)
            }
            Step::Sleep { ms } => {
                now_ms = sleep(ms);
                flow.resume(now_ms, Ok(Json::Null))
            }
            Step::Done(result) => return Ok(result),
            Step::Fail(error) => return Err(error),
        };
    }
    Err(KassaError::decode("flow did not finish within 10000 steps"))
}

/// A flow option in milliseconds (`deadlineMs`, `pollIntervalMs`, ...): absent or null gives the
/// default; anything but a whole number from 1 ms to a day is a validation error naming it.
pub fn option_ms(options: &Json, key: &str, default: u64) -> Result<u64> {
    match options.get(key).filter(|v| !v.is_null()) {
        None => Ok(default),
        Some(v) => match v.as_i64() {
            Some(ms) if (1..=86_400_000).contains(&ms) => Ok(ms as u64),
            _ => Err(KassaError::validation(
                format!("options.{key}"),
                "must be a positive number of milliseconds",
            )),
        },
    }
}

/// The wait before poll number `polls + 1`: `first_ms` growing ×1.5 per poll, capped at `max_ms`.
pub fn backoff_delay(first_ms: u64, max_ms: u64, polls: u32) -> u64 {
    let factor = 1.5f64.powi(polls.min(30) as i32);
    ((first_ms as f64 * factor) as u64).min(max_ms)
}

//! Multi-step flows (AGWS pay-until-final, the FiscalBox QR-wallet sale) as sans-IO state
//! machines. A flow asks for operation calls and pauses; a driver — the fetch transport in
//! wasm, a scripted test natively — performs them and feeds the outcomes back. The flow
//! never does I/O and never reads a clock: the driver passes the time in.

use crate::config::Config;
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

/// What a flow sees of the client it runs on while it is being created: the configuration,
/// and building (so validating) a call before anything is sent. `Client` implements it.
pub trait FlowClient {
    fn config(&self) -> &Config;
    fn build(&self, operation: &str, params: Json, ctx: &BuildCtx) -> Result<HttpRequest>;
}

pub type FlowFactory = fn(&dyn FlowClient, Json, Json) -> Result<Box<dyn Flow>>;

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

/// Intervals and deadline of a polling flow, before the caller's options override them.
#[derive(Clone, Copy, Debug)]
pub struct PollTiming {
    /// `deadlineMs`: how long the whole flow may take.
    pub deadline_ms: u64,
    /// `pollIntervalMs`: the first wait; each later one is ×1.5.
    pub first_ms: u64,
    /// `maxPollIntervalMs`: the cap of the wait.
    pub max_ms: u64,
}

/// The polling every polling flow shares: one status operation asked with backoff until the
/// flow's deadline. The flow decides what each answer means; the poller owns the deadline,
/// the intervals, the count and the wait between two asks.
#[derive(Clone, Debug)]
pub struct Poller {
    operation: &'static str,
    params: Json,
    timing: PollTiming,
    started_ms: i64,
    polls: u32,
    waiting: bool,
}

impl Poller {
    /// A poller of `operation`, with `deadlineMs`, `pollIntervalMs` and `maxPollIntervalMs`
    /// read from the flow options (validation errors name the option).
    pub fn new(operation: &'static str, options: &Json, defaults: PollTiming) -> Result<Poller> {
        Ok(Poller {
            operation,
            params: Json::Null,
            timing: PollTiming {
                deadline_ms: option_ms(options, "deadlineMs", defaults.deadline_ms)?,
                first_ms: option_ms(options, "pollIntervalMs", defaults.first_ms)?,
                max_ms: option_ms(options, "maxPollIntervalMs", defaults.max_ms)?,
            },
            started_ms: 0,
            polls: 0,
            waiting: false,
        })
    }

    /// Starts the deadline clock (the flow's `start`).
    pub fn start(&mut self, now_ms: i64) {
        self.started_ms = now_ms;
    }

    /// The params of the next asks (a lookup may switch ids as the flow learns them).
    pub fn ask_with(&mut self, params: Json) {
        self.params = params;
    }

    pub fn params(&self) -> &Json {
        &self.params
    }

    /// Asks now.
    pub fn poll(&mut self) -> Step {
        self.polls += 1;
        self.waiting = false;
        Step::Call {
            operation: self.operation,
            params: self.params.clone(),
        }
    }

    /// Waits before the next ask, or `None` when that ask would land after the deadline.
    pub fn wait(&mut self, now_ms: i64) -> Option<Step> {
        let factor = 1.5f64.powi(self.polls.min(30) as i32);
        let delay = ((self.timing.first_ms as f64 * factor) as u64).min(self.timing.max_ms);
        let deadline = self
            .started_ms
            .saturating_add(self.timing.deadline_ms as i64);
        if now_ms.saturating_add(delay as i64) > deadline {
            return None;
        }
        self.waiting = true;
        Some(Step::Sleep { ms: delay })
    }

    /// True after a `wait`: the flow's next `resume` is the wake-up, answered with `poll`.
    pub fn is_waiting(&self) -> bool {
        self.waiting
    }

    pub fn polls(&self) -> u32 {
        self.polls
    }
}

/// A flow option in milliseconds (`deadlineMs`, `pollIntervalMs`, ...): absent or null gives the
/// default; anything but a whole number from 1 ms to a day is a validation error naming it.
fn option_ms(options: &Json, key: &str, default: u64) -> Result<u64> {
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

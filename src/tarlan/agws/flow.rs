//! Pay until final: one cash-in, then `status` polls with backoff while the outcome is
//! pending, until a final state or a deadline. Sans-IO (see `crate::flow`).
//!
//! Money rules: exactly one cash-in is sent for an `external_id`. The only repeat is the one
//! the docs make safe — when `status` answers 1041 "Order not found" after a cash-in whose
//! answer was lost, the payment was never created and the same `external_id` is sent again
//! (AGWS deduplicates on it). A 1042 duplicate is resolved through `status`, never treated as
//! a new payment.

use crate::error::{ErrorCode, ErrorKind, KassaError, Result};
use crate::flow::{Flow, FlowClient, FlowDef, PollTiming, Poller, Step};
use crate::json::{Json, Map};

const TIMING: PollTiming = PollTiming {
    deadline_ms: 120_000,
    first_ms: 1_000,
    max_ms: 15_000,
};

const ORDER_NOT_FOUND: i64 = 1041;
const DUPLICATE: i64 = 1042;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Waiting {
    CashIn,
    Status,
}

pub struct PayUntilFinal {
    cash_in: Json,
    /// Asks `status` with the identity the cash-in used.
    poller: Poller,
    external_id: String,
    cash_in_sends: u32,
    /// Whether a cash-in may have created the payment (its answer was lost or pending).
    last: Option<Json>,
    waiting: Waiting,
}

fn create(client: &dyn FlowClient, params: Json, options: Json) -> Result<Box<dyn Flow>> {
    let Json::Object(cash_in) = params else {
        return Err(KassaError::validation(
            "params",
            "must be an object of cash-in fields",
        ));
    };
    let external_id = cash_in
        .get("external_id")
        .and_then(Json::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            KassaError::validation(
                "external_id",
                "is required: it is what makes the payment safe to resolve and never pay twice",
            )
        })?
        .to_string();
    // The status request identifies the payment the same way the cash-in did.
    let mut status = Map::new();
    for key in ["agent", "project", "service_code", "external_id"] {
        if let Some(v) = cash_in.get(key) {
            status.insert(key, v.clone());
        }
    }
    let _ = client;
    let mut poller = Poller::new("status", &options, TIMING)?;
    poller.ask_with(Json::Object(status));
    Ok(Box::new(PayUntilFinal {
        cash_in: Json::Object(cash_in),
        poller,
        external_id,
        cash_in_sends: 0,
        last: None,
        waiting: Waiting::CashIn,
    }))
}

fn code_of(error: &KassaError) -> Option<i64> {
    error.code().and_then(ErrorCode::as_i64)
}

impl PayUntilFinal {
    fn send_cash_in(&mut self) -> Step {
        self.cash_in_sends += 1;
        self.waiting = Waiting::CashIn;
        Step::Call {
            operation: "cashIn",
            params: self.cash_in.clone(),
        }
    }

    fn poll_now(&mut self) -> Step {
        self.waiting = Waiting::Status;
        self.poller.poll()
    }

    /// Waits before the next poll, or gives up with the reference when the deadline is near.
    fn wait_then_poll(&mut self, now_ms: i64) -> Step {
        match self.poller.wait(now_ms) {
            Some(sleep) => sleep,
            None => {
                Step::Fail(self.still_unknown("the deadline passed while it was still pending"))
            }
        }
    }

    fn still_unknown(&self, why: &str) -> KassaError {
        let mut error = KassaError::new(
            ErrorKind::UnknownOutcome,
            format!(
                "The payment with external_id {} is not final: {why}. It was not repeated. Keep asking `status` with this external_id (or wait for the callback) before telling the customer anything.",
                self.external_id
            ),
        )
        .with_reference("external_id", Json::str(self.external_id.clone()))
        .with_operation("cashIn")
        .with_detail("polls", Json::int(i64::from(self.poller.polls())));
        if let Some(last) = &self.last {
            error = error.with_detail("lastStatus", last.clone());
        }
        error
    }

    fn on_result(&mut self, now_ms: i64, result: Json) -> Step {
        let outcome = result
            .get("outcome")
            .and_then(Json::as_str)
            .unwrap_or("pending");
        let needs_support = result.get("requires_support") == Some(&Json::Bool(true));
        self.last = Some(result.clone());
        match outcome {
            "success" | "failed" => Step::Done(result),
            _ if needs_support => Step::Fail(
                self.still_unknown("AGWS reports status 6 (finished with error), which only Tarlan support can settle — write to support@tarlanpayments.kz")
                    .with_code(ErrorCode::Int(6)),
            ),
            _ => self.wait_then_poll(now_ms),
        }
    }
}

impl Flow for PayUntilFinal {
    fn start(&mut self, now_ms: i64) -> Step {
        self.poller.start(now_ms);
        self.send_cash_in()
    }

    fn resume(&mut self, now_ms: i64, outcome: Result<Json>) -> Step {
        if self.poller.is_waiting() {
            return self.poll_now();
        }
        match (self.waiting, outcome) {
            (_, Ok(result)) => self.on_result(now_ms, result),
            // The external_id already exists: the payment was made before — find its state.
            (Waiting::CashIn, Err(e)) if code_of(&e) == Some(DUPLICATE) => self.poll_now(),
            // The cash-in's answer was lost: it may or may not exist. Ask, never guess.
            (Waiting::CashIn, Err(e))
                if matches!(
                    e.kind(),
                    ErrorKind::UnknownOutcome
                        | ErrorKind::Transport
                        | ErrorKind::Timeout
                        | ErrorKind::Decode
                ) =>
            {
                self.poll_now()
            }
            // Anything else (validation, signature, business refusal) created nothing.
            (Waiting::CashIn, Err(e)) => Step::Fail(e),
            // Not found after a lost cash-in: it was never created; the one documented repeat.
            (Waiting::Status, Err(e))
                if code_of(&e) == Some(ORDER_NOT_FOUND) && self.last.is_none() =>
            {
                if self.cash_in_sends < 2 {
                    self.send_cash_in()
                } else {
                    self.wait_then_poll(now_ms)
                }
            }
            (Waiting::Status, Err(e))
                if matches!(
                    e.kind(),
                    ErrorKind::Validation | ErrorKind::Signature | ErrorKind::Config
                ) =>
            {
                Step::Fail(e)
            }
            // Transient trouble while polling: keep polling until the deadline.
            (Waiting::Status, Err(_)) => self.wait_then_poll(now_ms),
        }
    }
}

pub static FLOWS: [FlowDef; 1] = [FlowDef {
    name: "payUntilFinal",
    create,
    ts: crate::schema::native_only(
        "  /**\n   * Cash-in, then `status` with backoff while pending, until final or `deadlineMs` (default 120000).\n   * Resolves with the final payment (outcome 'success' | 'failed'); throws KassaError kind 'unknown_outcome'\n   * with `reference.external_id` when it is still pending at the deadline or needs Tarlan support (status 6).\n   * Never sends a second cash-in for the same external_id, except the documented repeat after 1041 Order not found.\n   */\n  payUntilFinal(params: TarlanAgwsCashInParams, options?: CallOptions & { deadlineMs?: number; pollIntervalMs?: number; maxPollIntervalMs?: number }): Promise<AgwsPayment>;",
    ),
}];

//! Fiscalize and wait: one `fiscalize`, then `fiscalReceipt` polls with backoff while the
//! receipt is `New` (or another intermediate status), until a final status or a deadline.
//! Sans-IO (see `crate::flow`).
//!
//! Receipt rules: `fiscalize` is sent exactly once — Assist documents no deduplication, so a
//! repeat could make a second receipt. When its answer is lost, the receipt is looked up by
//! `Payment_ID` (the id the merchant chose); without one the caller gets `unknown_outcome`.

use crate::error::{ErrorKind, KassaError, Result};
use crate::flow::{Flow, FlowClient, FlowDef, PollTiming, Poller, Step};
use crate::json::{Json, Map};

const TIMING: PollTiming = PollTiming {
    deadline_ms: 120_000,
    first_ms: 2_000,
    max_ms: 20_000,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Waiting {
    Fiscalize,
    Receipt,
}

pub struct FiscalizeAndWait {
    fiscalize: Json,
    /// Asks `fiscalReceipt` by `Fiscalreceipt_ID` once known, else by `Payment_ID`.
    poller: Poller,
    reference: Map,
    last: Option<Json>,
    last_error: Option<String>,
    waiting: Waiting,
}

fn create(_client: &dyn FlowClient, params: Json, options: Json) -> Result<Box<dyn Flow>> {
    let Json::Object(fiscalize) = params else {
        return Err(KassaError::validation(
            "params",
            "must be an object of fiscalize fields",
        ));
    };
    let mut reference = Map::new();
    for key in ["Payment_ID", "Billnumber"] {
        if let Some(v) = fiscalize.get_ci(key).filter(|v| !v.is_null()) {
            reference.insert(key, v.clone());
        }
    }
    Ok(Box::new(FiscalizeAndWait {
        fiscalize: Json::Object(fiscalize),
        poller: Poller::new("fiscalReceipt", &options, TIMING)?,
        reference,
        last: None,
        last_error: None,
        waiting: Waiting::Fiscalize,
    }))
}

impl FiscalizeAndWait {
    /// Looks the receipt up by `key` from now on.
    fn look_up_by(&mut self, key: &str, id: Json) {
        let mut lookup = Map::new();
        lookup.insert(key, id);
        self.poller.ask_with(Json::Object(lookup));
    }

    fn poll_now(&mut self) -> Step {
        self.waiting = Waiting::Receipt;
        self.poller.poll()
    }

    fn wait_then_poll(&mut self, now_ms: i64) -> Step {
        match self.poller.wait(now_ms) {
            Some(sleep) => sleep,
            None => Step::Fail(self.not_final("the deadline passed while it was not final")),
        }
    }

    fn not_final(&self, why: &str) -> KassaError {
        let lookup = self
            .poller
            .params()
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut error = KassaError::new(
            ErrorKind::UnknownOutcome,
            format!(
                "The receipt is not final: {why}. fiscalize was not repeated (Assist documents no deduplication). Keep asking `fiscalReceipt` with {}; if it stays New for several hours, contact Assist support.",
                lookup.to_compact()
            ),
        )
        .with_operation("fiscalize")
        .with_detail("polls", Json::int(i64::from(self.poller.polls())));
        for (k, v) in self.reference.iter() {
            error = error.with_reference(k, v.clone());
        }
        for (k, v) in lookup.iter() {
            error = error.with_reference(k, v.clone());
        }
        if let Some(last) = &self.last {
            error = error.with_detail("lastReceipt", last.clone());
        }
        if let Some(e) = &self.last_error {
            error = error.with_detail("lastError", Json::str(e.clone()));
        }
        error
    }

    fn on_fiscalized(&mut self, now_ms: i64, result: Json) -> Step {
        match result.get("fiscalreceipt_ID").and_then(Json::as_str) {
            Some(id) => {
                self.look_up_by("Fiscalreceipt_ID", Json::str(id));
                self.wait_then_poll(now_ms)
            }
            None => Step::Fail(KassaError::decode(
                "fiscalize answered without fiscalreceipt_ID",
            )),
        }
    }

    fn on_receipt(&mut self, now_ms: i64, receipt: Json) -> Step {
        let is_final = receipt.get("is_final") == Some(&Json::Bool(true));
        self.last = Some(receipt.clone());
        if is_final {
            Step::Done(receipt)
        } else {
            self.wait_then_poll(now_ms)
        }
    }
}

impl Flow for FiscalizeAndWait {
    fn start(&mut self, now_ms: i64) -> Step {
        self.poller.start(now_ms);
        self.waiting = Waiting::Fiscalize;
        Step::Call {
            operation: "fiscalize",
            params: self.fiscalize.clone(),
        }
    }

    fn resume(&mut self, now_ms: i64, outcome: Result<Json>) -> Step {
        if self.poller.is_waiting() {
            return self.poll_now();
        }
        match (self.waiting, outcome) {
            (Waiting::Fiscalize, Ok(result)) => self.on_fiscalized(now_ms, result),
            // The answer was lost: find the receipt by the merchant's id, never resend.
            (Waiting::Fiscalize, Err(e))
                if matches!(
                    e.kind(),
                    ErrorKind::UnknownOutcome
                        | ErrorKind::Transport
                        | ErrorKind::Timeout
                        | ErrorKind::Decode
                ) =>
            {
                match self.reference.get("Payment_ID").cloned() {
                    Some(id) => {
                        self.look_up_by("Payment_ID", id);
                        self.last_error = Some(e.message().to_string());
                        self.poll_now()
                    }
                    None => Step::Fail(e),
                }
            }
            (Waiting::Fiscalize, Err(e)) => Step::Fail(e),
            (Waiting::Receipt, Ok(receipt)) => self.on_receipt(now_ms, receipt),
            (Waiting::Receipt, Err(e))
                if matches!(e.kind(), ErrorKind::Validation | ErrorKind::Config) =>
            {
                Step::Fail(e)
            }
            // Not visible yet, or transient trouble: keep looking until the deadline.
            (Waiting::Receipt, Err(e)) => {
                self.last_error = Some(e.message().to_string());
                self.wait_then_poll(now_ms)
            }
        }
    }
}

pub static FLOWS: [FlowDef; 1] = [FlowDef {
    name: "fiscalizeAndWait",
    create,
    ts: crate::schema::native_only(
        "  /**\n   * fiscalize once, then `fiscalReceipt` with backoff while the receipt is not final, until `deadlineMs`\n   * (default 120000). Resolves with the final receipt (outcome 'success' | 'failed'); throws KassaError kind\n   * 'unknown_outcome' with the receipt reference when it is still not final. fiscalize is never sent twice;\n   * a lost answer is resolved through `Payment_ID`.\n   */\n  fiscalizeAndWait(params: AssistFiscalFiscalizeParams, options?: CallOptions & { deadlineMs?: number; pollIntervalMs?: number; maxPollIntervalMs?: number }): Promise<AssistFiscalReceipt>;\n",
    ),
}];

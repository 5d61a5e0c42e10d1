//! What the transport does after each attempt — the money rules of DESIGN.md as a pure
//! function, so they are tested natively with scripted attempts:
//! - reads and idempotent writes are retried on network errors, timeouts, 429 and 5xx, with
//!   capped exponential backoff and jitter, honouring `Retry-After`;
//! - a money-moving (or other non-idempotent) request is never re-sent once it may have
//!   reached the provider: the caller gets `unknown_outcome` with the reference that
//!   resolves it;
//! - a "duplicate" answer to a retried idempotent write means the first attempt landed: it is
//!   resolved through the operation's status call, never treated as a new payment.

use crate::error::{ErrorCode, ErrorKind, KassaError};
use crate::http::HttpResponse;
use crate::json::Json;
use crate::operation::{OpClass, Operation};

/// What one attempt produced, as seen by the transport.
#[derive(Clone, Debug)]
pub enum Attempt {
    /// An HTTP response arrived in full and was parsed into this result.
    Answered {
        status: u16,
        retry_after_ms: Option<u64>,
        result: Result<Json, KassaError>,
    },
    /// The request failed before any response. `maybe_sent` is false only when the runtime
    /// proves the request never left (connection refused, DNS failure).
    NetworkError { message: String, maybe_sent: bool },
    /// The deadline passed (before the headers or while reading the body).
    TimedOut { timeout_ms: u64 },
    /// The caller's AbortSignal fired.
    Aborted,
}

#[derive(Clone, Debug)]
pub enum Decision {
    /// Give this to the caller.
    Finish(Result<Json, KassaError>),
    /// Send the same request again after this many milliseconds.
    RetryAfter(u64),
    /// The provider reports a duplicate of a request that an earlier attempt may have
    /// delivered: call the operation's `resolve` operation instead of answering.
    Resolve(KassaError),
}

#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub max_retries: u32,
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            max_retries: crate::config::DEFAULT_MAX_RETRIES,
            base_delay_ms: 250,
            max_delay_ms: 10_000,
        }
    }
}

/// Longest `Retry-After` we wait for inside one call.
const MAX_RETRY_AFTER_MS: u64 = 60_000;

impl Policy {
    /// Capped exponential backoff with jitter: the delay for retry `retry` (0-based) is drawn
    /// from [½·d, d] where d = min(cap, base·2^retry). `random` is in [0, 1).
    pub fn backoff_ms(&self, retry: u32, random: f64) -> u64 {
        let exponential = self
            .base_delay_ms
            .saturating_mul(1u64 << retry.min(20))
            .min(self.max_delay_ms);
        let jitter = 0.5 + 0.5 * random.clamp(0.0, 1.0);
        (exponential as f64 * jitter) as u64
    }
}

/// Parses a `Retry-After` header: delta-seconds (dates are treated as absent: providers here
/// send seconds, and a wrong clock must not stall a payment).
pub fn retry_after_ms(response: &HttpResponse) -> Option<u64> {
    let value = response.header("retry-after")?.trim();
    value
        .parse::<u64>()
        .ok()
        .map(|s| s.saturating_mul(1000).min(MAX_RETRY_AFTER_MS))
}

fn unknown_outcome(
    op: &Operation,
    provider_title: &str,
    what: &str,
    reference: &crate::json::Map,
) -> KassaError {
    let reference_text = reference
        .iter()
        .map(|(k, v)| {
            format!(
                "{k} = {}",
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_compact())
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let how = match op.resolve {
        Some(resolve) => format!(
            "Do not send it again with a new id: ask `{}` for its state{}.",
            resolve.operation,
            if reference_text.is_empty() { String::new() } else { format!(" using {reference_text}") }
        ),
        None if !reference_text.is_empty() => format!(
            "Do not send it again blindly: check with {provider_title} whether it was performed ({reference_text})."
        ),
        None => format!("Do not send it again blindly: check with {provider_title} whether it was performed."),
    };
    let mut error = KassaError::new(
        ErrorKind::UnknownOutcome,
        format!(
            "The {} request may have reached {provider_title}, but {what}; it was not repeated because it is {}. {how}",
            op.name,
            match op.class {
                OpClass::MoneyMoving => "money-moving",
                _ => "not idempotent",
            }
        ),
    );
    for (k, v) in reference.iter() {
        error = error.with_reference(k, v.clone());
    }
    error
}

/// Decides what follows attempt number `attempt` (0-based). `delivered_before` is true when an
/// earlier attempt of the same call may have reached the provider; `random` drives jitter.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    op: &Operation,
    provider_title: &str,
    policy: &Policy,
    attempt: u32,
    outcome: Attempt,
    delivered_before: bool,
    reference: &crate::json::Map,
    random: f64,
) -> Decision {
    let can_retry = op.class.may_resend() && attempt < policy.max_retries;
    let backoff = policy.backoff_ms(attempt, random);
    match outcome {
        Attempt::Answered {
            status,
            retry_after_ms,
            result,
        } => {
            let error = match result {
                Ok(value) => return Decision::Finish(Ok(value)),
                Err(error) => error,
            };
            // A duplicate answer to a repeat of an idempotent write: the first attempt landed.
            if let (OpClass::IdempotentWrite, Some(resolve), true) =
                (op.class, op.resolve, delivered_before)
            {
                let code = error.code().and_then(ErrorCode::as_i64);
                if code.is_some_and(|c| resolve.duplicate_codes.contains(&c)) {
                    return Decision::Resolve(error);
                }
            }
            // 429: the provider refused to process it at all — safe to repeat for every class.
            if status == 429 && attempt < policy.max_retries {
                return Decision::RetryAfter(retry_after_ms.unwrap_or(backoff).max(backoff));
            }
            let server_trouble =
                status >= 500 || error.info().retryable || error.kind() == ErrorKind::Decode;
            if server_trouble && can_retry {
                return Decision::RetryAfter(retry_after_ms.unwrap_or(backoff));
            }
            if server_trouble && !op.class.may_resend() {
                // A 5xx or a garbled 2xx says nothing reliable about whether it was performed.
                let what = if error.kind() == ErrorKind::Decode {
                    "its answer could not be read".to_string()
                } else {
                    format!("it answered HTTP {status}")
                };
                let mut unknown = unknown_outcome(op, provider_title, &what, reference);
                let info = unknown.info_mut();
                info.http_status = Some(status);
                info.code = error.code().cloned();
                info.details.insert("cause", Json::str(error.message()));
                return Decision::Finish(Err(unknown));
            }
            Decision::Finish(Err(error))
        }
        Attempt::NetworkError {
            message,
            maybe_sent,
        } => {
            if can_retry || (!maybe_sent && attempt < policy.max_retries) {
                return Decision::RetryAfter(backoff);
            }
            if op.class.may_resend() || !maybe_sent {
                let error = KassaError::new(
                    ErrorKind::Transport,
                    format!("{provider_title} could not be reached ({message}); retry later"),
                )
                .with_retryable(true);
                return Decision::Finish(Err(error));
            }
            let mut error = unknown_outcome(
                op,
                provider_title,
                &format!("the connection failed ({message})"),
                reference,
            );
            error.info_mut().details.insert("cause", Json::str(message));
            Decision::Finish(Err(error))
        }
        Attempt::TimedOut { timeout_ms } => {
            if can_retry {
                return Decision::RetryAfter(backoff);
            }
            if op.class.may_resend() {
                let error = KassaError::new(
                    ErrorKind::Timeout,
                    format!("{provider_title} did not answer within {timeout_ms} ms; retry later or raise timeoutMs"),
                )
                .with_retryable(true);
                return Decision::Finish(Err(error));
            }
            Decision::Finish(Err(unknown_outcome(
                op,
                provider_title,
                &format!("no complete answer arrived within {timeout_ms} ms"),
                reference,
            )))
        }
        Attempt::Aborted => {
            if op.class.may_resend() && !delivered_before {
                let error = KassaError::new(
                    ErrorKind::Transport,
                    "the call was aborted by its AbortSignal",
                );
                return Decision::Finish(Err(error));
            }
            if op.class.may_resend() {
                let error = KassaError::new(
                    ErrorKind::Transport,
                    "the call was aborted by its AbortSignal after an earlier attempt may have reached the provider; the provider deduplicates it, so repeating the same call is safe",
                );
                return Decision::Finish(Err(error));
            }
            Decision::Finish(Err(unknown_outcome(
                op,
                provider_title,
                "the call was aborted by its AbortSignal before the answer arrived",
                reference,
            )))
        }
    }
}

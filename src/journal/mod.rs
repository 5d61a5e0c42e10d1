//! The payment journal's lifecycle as a sans-IO state machine, like `transport::Call`: a
//! record plus an event gives the next record and the next action — insert it, write it
//! (conditionally on the version read, taking over an expired lease when claiming), call an
//! operation, or stop. The driver (pkg/src/journal, through the client's wasm) only performs
//! the actions against the user's store and the provider, and passes the time in.
//!
//! Money rules:
//! - the intent is recorded before anything is sent, and a request is sent only by whoever
//!   holds the record's lease (one atomic conditional write takes it);
//! - a request whose outcome is unknown is sent again only where that is harmless
//!   (`OpClass::IdempotentWrite`, `Probe::Repeat`); otherwise the operation's `Settle` reads its
//!   state, and when nothing is certain (or nothing can be read: `Probe::Unavailable`) the
//!   record stays `unknown` — never guessed;
//! - every call the journal makes ends before the lease does (`check_lease` gives each one
//!   a single attempt with a deadline within the lease), so a reconciler never takes over a
//!   request still in flight; after an unknown outcome the record is not settled
//!   before another lease has passed, so a provider still working on it is not read as absent.

pub mod record;

use crate::client::Client;
use crate::codes::Outcome;
use crate::error::{ErrorCode, ErrorKind, KassaError, Result};
use crate::json::{self, Json, Map};
use crate::operation::{query_value, BuildCtx, Evidence, Operation, Probe, Settle, Verdict};
use crate::transport::CallOptions;
pub use record::{Record, State};

/// The part of the lease one call the journal makes may take (its deadline is at most
/// `lease / CALL_SHARE_OF_LEASE`). The rest of the lease covers what happens around the call
/// while the record is claimed — the claim's own write before the request leaves, the driver's
/// work after the deadline fires — and clocks of processes sharing the store that disagree.
pub const CALL_SHARE_OF_LEASE: u64 = 2;

/// The shortest deadline the journal gives a call. A shorter one would turn ordinary answers
/// into unknown outcomes (a TLS handshake alone takes a good part of it), so a lease that
/// leaves less is refused rather than run.
pub const MIN_CALL_TIMEOUT_MS: u64 = 500;

/// The shortest deadline a claimed send still goes out with (`Machine::send`): a claim's
/// write always takes some of the lease, so a lease at the shortest allowed still sends.
pub const MIN_SEND_TIMEOUT_MS: u64 = MIN_CALL_TIMEOUT_MS / 2;

/// Checks the lease and gives the options of every call the journal makes with this client
/// (sends, probes, baselines), chosen so that no call can outlast the lease: a reconciler
/// would take over a request still in flight and could send it again.
///
/// One attempt (`maxRetries: 0`: no backoff, no `Retry-After` wait, no duplicate resolution
/// inside the call) whose deadline, which covers the whole answer, is the client's
/// `timeoutMs` cut to `lease / CALL_SHARE_OF_LEASE`. The journal gives up nothing by not
/// retrying inside a call: a request whose answer is lost is settled by its `Settle` rule,
/// and sent again only where that is safe, on a later `reconcile()`.
pub fn check_lease(client: &Client, lease_ms: i64) -> Result<CallOptions> {
    let budget = u64::try_from(lease_ms).unwrap_or(0) / CALL_SHARE_OF_LEASE;
    if budget < MIN_CALL_TIMEOUT_MS {
        return Err(KassaError::new(
            ErrorKind::Config,
            format!(
                "journal option `leaseMs` ({lease_ms} ms) is too short: each call the journal makes must end within 1/{CALL_SHARE_OF_LEASE} of the lease, and a call needs at least {MIN_CALL_TIMEOUT_MS} ms. Use a leaseMs of at least {} ms (the default is 60000).",
                MIN_CALL_TIMEOUT_MS * CALL_SHARE_OF_LEASE
            ),
        )
        .with_field("leaseMs")
        .with_provider(client.provider.id));
    }
    Ok(CallOptions {
        timeout_ms: Some(client.config.timeout_ms.min(budget)),
        max_retries: Some(0),
    })
}

/// The operation and its settle rule, or a validation error listing what the journal takes.
pub fn journal_op(client: &Client, name: &str) -> Result<(&'static Operation, Settle)> {
    let op = client.operation(name)?;
    match op.settle {
        Some(settle) => Ok((op, settle)),
        None => {
            let taken: Vec<&str> = client
                .provider
                .ops
                .iter()
                .filter(|o| o.settle.is_some())
                .map(|o| o.name)
                .collect();
            Err(KassaError::validation(
                "operation",
                format!(
                    "`{name}` is not an operation the payment journal takes: it records the money-moving operations of {} ({})",
                    client.provider.class_name,
                    taken.join(", ")
                ),
            )
            .with_provider(client.provider.id))
        }
    }
}

/// `provider:operation:reference`: the reference is the values of the settle rule's key
/// params, or the caller's own key when the request carries none.
pub fn key_of(
    client: &Client,
    op: &Operation,
    settle: &Settle,
    params: &Map,
    given: Option<&str>,
) -> Result<String> {
    let reference = if settle.key.is_empty() {
        match given {
            Some(key) if !key.trim().is_empty() => key.to_string(),
            _ => {
                return Err(KassaError::validation(
                    "options.key",
                    format!(
                        "is required: a {} request carries no reference of its own, so name it with your own unique key (e.g. your order or refund id)",
                        op.name
                    ),
                ))
            }
        }
    } else {
        if given.is_some() {
            return Err(KassaError::validation(
                "options.key",
                format!(
                    "is not taken for {}: its key is its own reference ({}), which is what {} knows it by",
                    op.name,
                    settle.key.join(" / "),
                    client.provider.title
                ),
            ));
        }
        // Where either of several references names the request (Assist: `Payment_ID` or
        // `Billnumber`), each part says which it is: the same value under another name is
        // another request.
        let named = settle.key.len() > 1;
        let parts: Vec<String> = settle
            .key
            .iter()
            .filter_map(|k| params.get(k).map(|v| (k, v)))
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k, query_value(v)))
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| if named { format!("{k}={v}") } else { v })
            .collect();
        if parts.is_empty() {
            return Err(KassaError::validation(
                settle.key.first().copied().unwrap_or("reference"),
                format!(
                    "is required by the payment journal: it names the {} request, and settles it after a crash",
                    op.name
                ),
            ));
        }
        parts.join(":")
    };
    Ok(format!("{}:{}:{reference}", client.provider.id, op.name))
}

// ---------------------------------------------------------------------------------------
// Events and actions

/// Which part of the lifecycle an action belongs to; the driver hands it back with the
/// action's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading the baseline before sending.
    Baseline,
    /// Writing `sending` (the claim to send).
    Sending,
    /// The request itself.
    Send,
    /// Writing what the send gave.
    Outcome,
    /// Taking over a record whose lease expired.
    Claim,
    /// Reading the state of a request whose answer is missing.
    Probe,
    /// Writing what the probe showed.
    Settled,
    /// Writing what a verified callback says.
    Callback,
}

impl Stage {
    const ALL: [Stage; 8] = [
        Stage::Baseline,
        Stage::Sending,
        Stage::Send,
        Stage::Outcome,
        Stage::Claim,
        Stage::Probe,
        Stage::Settled,
        Stage::Callback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Baseline => "baseline",
            Stage::Sending => "sending",
            Stage::Send => "send",
            Stage::Outcome => "outcome",
            Stage::Claim => "claim",
            Stage::Probe => "probe",
            Stage::Settled => "settled",
            Stage::Callback => "callback",
        }
    }

    fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// What the caller asked, or what the last action gave.
#[derive(Clone, Debug)]
pub enum Event {
    /// The journal is being built: is the lease long enough for this client?
    Check,
    /// Record and send a request.
    Pay {
        operation: String,
        params: Json,
        key: Option<String>,
        lookup: Map,
    },
    /// Record a request the caller sent itself whose outcome is unknown, and settle it.
    Adopt {
        operation: String,
        params: Json,
        key: Option<String>,
        lookup: Map,
        baseline: Json,
        error: Json,
    },
    /// Read the baseline a later `Adopt` of this request needs: first without an answer (the
    /// step asks for the call), then again with the call's answer (the step gives the value).
    Measure {
        operation: String,
        params: Json,
        lookup: Map,
        answer: Option<Result<Json, Json>>,
    },
    /// Settle the record if it is not final and nobody holds it.
    Reconcile,
    /// Check that a stored record is well-formed.
    Inspect,
    /// Verify a provider notification and find its record.
    Callback { body: Json, headers: Map },
    /// The record a verified notification names (the record given with the event).
    Found { callback: Json },
    /// The insert stored the proposed record.
    Inserted,
    /// The key existed: this is the stored record (the proposed one is the machine's record).
    Exists { existing: Record },
    /// The conditional write succeeded (the record given with the event is what is stored).
    Written { stage: Stage },
    /// The conditional write lost: someone else wrote first; this is the record now stored.
    Conflict {
        stage: Stage,
        current: Option<Record>,
    },
    /// The call gave this result.
    Answered { stage: Stage, result: Json },
    /// The call failed with this KassaError (as JSON).
    Failed { stage: Stage, error: Json },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Insert the record unless its key exists (then report the stored one).
    Insert,
    /// Store the record if the stored one still has `expect_version` and `expect_state`; when
    /// `takeover`, only if no lease on it runs either.
    Write {
        stage: Stage,
        expect_version: i64,
        expect_state: State,
        takeover: bool,
    },
    /// Call an operation of this client with the transport rules and these per-call options
    /// (`check_lease`: one attempt that ends within the lease).
    Call {
        stage: Stage,
        operation: &'static str,
        params: Json,
        options: CallOptions,
    },
    /// Look these keys up, in order, and hand the first stored record back with `Found`.
    Find {
        keys: Vec<String>,
        callback: Json,
        reply: Json,
    },
    /// Finished: the record (if any) and a value (the callback reply, the baseline, ...).
    Done { value: Json },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub record: Option<Record>,
    pub action: Action,
}

impl Step {
    fn done(record: Option<Record>) -> Step {
        Step {
            record,
            action: Action::Done { value: Json::Null },
        }
    }

    pub fn to_json(&self) -> Json {
        let action = match &self.action {
            Action::Insert => json::obj([("type", Json::str("insert"))]),
            Action::Write {
                stage,
                expect_version,
                expect_state,
                takeover,
            } => json::obj([
                ("type", Json::str("write")),
                ("stage", Json::str(stage.as_str())),
                ("expectVersion", Json::int(*expect_version)),
                ("expectState", Json::str(expect_state.as_str())),
                ("takeover", Json::Bool(*takeover)),
            ]),
            Action::Call {
                stage,
                operation,
                params,
                options,
            } => json::obj([
                ("type", Json::str("call")),
                ("stage", Json::str(stage.as_str())),
                ("operation", Json::str(*operation)),
                ("params", params.clone()),
                ("options", options.to_json()),
            ]),
            Action::Find {
                keys,
                callback,
                reply,
            } => json::obj([
                ("type", Json::str("find")),
                (
                    "keys",
                    Json::Array(keys.iter().map(|k| Json::str(k.clone())).collect()),
                ),
                ("callback", callback.clone()),
                ("reply", reply.clone()),
            ]),
            Action::Done { value } => {
                json::obj([("type", Json::str("done")), ("value", value.clone())])
            }
        };
        json::obj([
            (
                "record",
                self.record
                    .as_ref()
                    .map(Record::to_json)
                    .unwrap_or(Json::Null),
            ),
            ("action", action),
        ])
    }
}

fn text_field(value: &Json, field: &str) -> Result<String> {
    value
        .get(field)
        .and_then(Json::as_str)
        .map(str::to_string)
        .ok_or_else(|| KassaError::validation(field, "must be a string"))
}

fn optional_key(value: &Json) -> Result<Option<String>> {
    match value.get("key") {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(KassaError::validation("options.key", "must be a string")),
    }
}

fn lookup_of(value: &Json) -> Result<Map> {
    match value.get("lookup") {
        None | Some(Json::Null) => Ok(Map::new()),
        Some(Json::Object(m)) => Ok(m.clone()),
        Some(_) => Err(KassaError::validation(
            "options.lookup",
            "must be an object of params",
        )),
    }
}

fn stage_of(value: &Json) -> Result<Stage> {
    let text = text_field(value, "stage")?;
    Stage::parse(&text)
        .ok_or_else(|| KassaError::validation("event.stage", format!("`{text}` is not a stage")))
}

fn stored(value: Option<&Json>) -> Result<Option<Record>> {
    match value {
        None | Some(Json::Null) => Ok(None),
        Some(v) => Record::from_json(v).map(Some),
    }
}

impl Event {
    /// Reads an event as the JavaScript driver sends it: `{type, ...}`.
    pub fn from_json(value: &Json) -> Result<Event> {
        let kind = text_field(value, "type")?;
        let params = || value.get("params").cloned().unwrap_or(Json::Null);
        Ok(match kind.as_str() {
            "check" => Event::Check,
            "pay" => Event::Pay {
                operation: text_field(value, "operation")?,
                params: params(),
                key: optional_key(value)?,
                lookup: lookup_of(value)?,
            },
            "adopt" => Event::Adopt {
                operation: text_field(value, "operation")?,
                params: params(),
                key: optional_key(value)?,
                lookup: lookup_of(value)?,
                baseline: value.get("baseline").cloned().unwrap_or(Json::Null),
                error: value.get("error").cloned().unwrap_or(Json::Null),
            },
            "measure" => Event::Measure {
                operation: text_field(value, "operation")?,
                params: params(),
                lookup: lookup_of(value)?,
                answer: match (value.get("result"), value.get("error")) {
                    (_, Some(error)) if !error.is_null() => Some(Err(error.clone())),
                    (Some(result), _) => Some(Ok(result.clone())),
                    _ => None,
                },
            },
            "reconcile" => Event::Reconcile,
            "inspect" => Event::Inspect,
            "callback" => Event::Callback {
                body: value.get("body").cloned().unwrap_or(Json::Null),
                headers: match value.get("headers") {
                    Some(Json::Object(m)) => m.clone(),
                    _ => Map::new(),
                },
            },
            "found" => Event::Found {
                callback: value.get("callback").cloned().unwrap_or(Json::Null),
            },
            "inserted" => Event::Inserted,
            "exists" => Event::Exists {
                existing: stored(value.get("existing"))?
                    .ok_or_else(|| KassaError::validation("event.existing", "is required"))?,
            },
            "written" => Event::Written {
                stage: stage_of(value)?,
            },
            "conflict" => Event::Conflict {
                stage: stage_of(value)?,
                current: stored(value.get("current"))?,
            },
            "answered" => Event::Answered {
                stage: stage_of(value)?,
                result: value.get("result").cloned().unwrap_or(Json::Null),
            },
            "failed" => Event::Failed {
                stage: stage_of(value)?,
                error: value.get("error").cloned().unwrap_or(Json::Null),
            },
            other => {
                return Err(KassaError::validation(
                    "event.type",
                    format!("`{other}` is not a journal event"),
                ))
            }
        })
    }
}

// ---------------------------------------------------------------------------------------
// The machine

/// What the driver tells every step: its clock and the journal's lease.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    pub now_ms: i64,
    pub lease_ms: i64,
}

/// One step: the record the driver holds (None before the insert) and what happened.
pub fn step(client: &Client, record: Option<Record>, event: Event, clock: Clock) -> Result<Step> {
    let machine = Machine {
        client,
        clock,
        call_options: check_lease(client, clock.lease_ms)?,
    };
    match event {
        Event::Check => Ok(Step {
            record: None,
            action: Action::Done {
                value: json::obj([
                    ("provider", Json::str(client.provider.id)),
                    (
                        "finalStates",
                        Json::Array(
                            State::ALL
                                .iter()
                                .filter(|s| s.is_final())
                                .map(|s| Json::str(s.as_str()))
                                .collect(),
                        ),
                    ),
                ]),
            },
        }),
        Event::Pay {
            operation,
            params,
            key,
            lookup,
        } => machine.propose(&operation, params, key.as_deref(), lookup, None),
        Event::Adopt {
            operation,
            params,
            key,
            lookup,
            baseline,
            error,
        } => machine.propose(
            &operation,
            params,
            key.as_deref(),
            lookup,
            Some((baseline, error)),
        ),
        Event::Measure {
            operation,
            params,
            lookup,
            answer,
        } => machine.measure(&operation, params, lookup, answer),
        Event::Callback { body, headers } => machine.callback(&body, &headers),
        other => {
            let record = record.ok_or_else(|| {
                KassaError::validation("record", "is required after the first step")
            })?;
            machine.advance(record, other)
        }
    }
}

struct Machine<'c> {
    client: &'c Client,
    clock: Clock,
    /// Every call's options (`check_lease`).
    call_options: CallOptions,
}

/// The error kinds that leave a sent request's outcome open.
/// Whether an error answering a send leaves open whether the request was performed: no
/// answer or an unreadable one; a server error or a "try later" (the journal's calls make one
/// attempt, so the transport hands these back as they are, and a provider may have performed
/// the request before failing, e.g. AGWS 8301 "Unexpected db error"); or, on a re-send, the
/// provider's "already exists" (the first attempt landed after all).
fn leaves_outcome_open(op: &Operation, attempts: u32, error: &KassaError) -> bool {
    let info = error.info();
    let duplicate = attempts > 1
        && code_of(error).is_some_and(|code| {
            op.resolve
                .is_some_and(|resolve| resolve.duplicate_codes.contains(&code))
        });
    matches!(
        error.kind(),
        ErrorKind::UnknownOutcome | ErrorKind::Transport | ErrorKind::Timeout | ErrorKind::Decode
    ) || info.retryable
        || info.http_status.is_some_and(|status| status >= 500)
        || duplicate
}

/// A KassaError from the JSON the driver hands back (kind, message, code, details).
pub fn error_from_json(value: &Json) -> KassaError {
    let kind = value
        .get("kind")
        .and_then(Json::as_str)
        .and_then(|k| ErrorKind::ALL.into_iter().find(|x| x.as_str() == k))
        .unwrap_or(ErrorKind::Transport);
    let message = value
        .get("message")
        .and_then(Json::as_str)
        .unwrap_or("the call failed");
    let mut error = KassaError::new(kind, message);
    match value.get("code") {
        Some(Json::Number(n)) => {
            if let Some(code) = n.as_i64() {
                error = error.with_code(ErrorCode::Int(code));
            }
        }
        Some(Json::String(s)) => error = error.with_code(ErrorCode::Text(s.clone())),
        _ => {}
    }
    if let Some(field) = value.get("field").and_then(Json::as_str) {
        error = error.with_field(field);
    }
    // What tells a refusal from a failure that may have followed the work (`leaves_outcome_open`).
    if let Some(status) = value
        .get("httpStatus")
        .and_then(Json::as_i64)
        .and_then(|s| u16::try_from(s).ok())
    {
        error = error.with_http_status(status);
    }
    if let Some(retryable) = value.get("retryable").and_then(Json::as_bool) {
        error = error.with_retryable(retryable);
    }
    if let Some(Json::Object(details)) = value.get("details") {
        for (k, v) in details.iter() {
            error = error.with_detail(k, v.clone());
        }
    }
    error
}

/// Replaces every occurrence of a secret in the strings of a value.
fn redact(value: &mut Json, secrets: &[&str]) {
    match value {
        Json::String(s) => {
            for secret in secrets.iter().filter(|s| s.len() >= 3) {
                if s.contains(secret) {
                    *s = s.replace(secret, "[redacted]");
                }
            }
        }
        Json::Array(items) => items.iter_mut().for_each(|v| redact(v, secrets)),
        Json::Object(map) => map.iter_mut().for_each(|(_, v)| redact(v, secrets)),
        _ => {}
    }
}

impl Machine<'_> {
    fn ctx(&self) -> BuildCtx {
        BuildCtx {
            now_ms: Some(self.clock.now_ms),
        }
    }

    fn op(&self, record: &Record) -> Result<(&'static Operation, Settle)> {
        journal_op(self.client, &record.operation)
    }

    fn clean(&self, mut value: Json) -> Json {
        redact(&mut value, &self.client.config.secret_values());
        value
    }

    /// The record after a write by its owner: next version, fresh timestamps.
    fn next(&self, record: &Record, state: State) -> Record {
        Record {
            state,
            version: record.version + 1,
            updated_at: self.clock.now_ms,
            ..record.clone()
        }
    }

    fn lease(&self) -> Option<i64> {
        Some(self.clock.now_ms.saturating_add(self.clock.lease_ms))
    }

    /// Calls an operation with the options that keep the call within the lease.
    fn call(
        &self,
        record: Option<Record>,
        stage: Stage,
        operation: &'static str,
        params: Json,
    ) -> Step {
        Step {
            record,
            action: Action::Call {
                stage,
                operation,
                params,
                options: self.call_options,
            },
        }
    }

    fn write(&self, from: &Record, to: Record, stage: Stage, takeover: bool) -> Step {
        Step {
            action: Action::Write {
                stage,
                expect_version: from.version,
                expect_state: from.state,
                takeover,
            },
            record: Some(to),
        }
    }

    /// Validates a pay/adopt request and proposes its record for insertion.
    fn propose(
        &self,
        operation: &str,
        params: Json,
        key: Option<&str>,
        lookup: Map,
        adopted: Option<(Json, Json)>,
    ) -> Result<Step> {
        let (op, settle) = journal_op(self.client, operation)?;
        let prepared = self.client.prepare(op.name, params, &self.ctx())?;
        let key = key_of(self.client, op, &settle, &prepared.params, key)?;
        self.check_lookup(op, &settle, &prepared.params, &lookup)?;
        let mut params = prepared.params;
        for (name, _) in &self.client.config.credentials {
            params.remove(name);
        }
        let (Json::Object(params), Json::Object(lookup)) = (
            self.clean(Json::Object(params)),
            self.clean(Json::Object(lookup)),
        ) else {
            return Err(KassaError::decode("params are not an object"));
        };
        let now = self.clock.now_ms;
        let mut record = Record {
            key,
            provider: self.client.provider.id.to_string(),
            operation: op.name.to_string(),
            state: State::Created,
            outcome: None,
            params,
            result: Json::Null,
            error: Json::Null,
            attempts: 0,
            version: 1,
            lease_until: self.lease(),
            created_at: now,
            updated_at: now,
            baseline: Json::Null,
            lookup,
        };
        if let Some((baseline, error)) = adopted {
            record.state = State::Unknown;
            record.attempts = 1;
            record.baseline = baseline;
            record.error = if error.is_null() {
                KassaError::new(
                    ErrorKind::UnknownOutcome,
                    "sent outside the journal with an unknown outcome",
                )
                .to_json()
            } else {
                self.clean(error)
            };
        }
        Ok(Step {
            record: Some(record),
            action: Action::Insert,
        })
    }

    /// The probe params must be buildable before anything is recorded: a lookup the caller
    /// forgot would otherwise surface only after a crash.
    fn check_lookup(
        &self,
        op: &Operation,
        settle: &Settle,
        params: &Map,
        lookup: &Map,
    ) -> Result<()> {
        let Probe::Read {
            operation, needs, ..
        } = settle.probe
        else {
            return Ok(());
        };
        for need in needs {
            if lookup.get(need).is_none_or(Json::is_null) {
                return Err(KassaError::validation(
                    format!("options.lookup.{need}"),
                    format!(
                        "is required: a lost {} answer is settled through `{operation}`, which needs it",
                        op.name
                    ),
                ));
            }
        }
        let probe = self.probe_params(op, settle, params, lookup);
        self.client
            .prepare(operation, probe, &self.ctx())
            .map_err(|e| {
                let field = e.info().field.clone().unwrap_or_default();
                KassaError::validation(
                    format!("options.lookup.{field}"),
                    format!(
                        "does not make a valid `{operation}` request: {}",
                        e.message()
                    ),
                )
            })
            .map(|_| ())
    }

    fn probe_params(&self, op: &Operation, settle: &Settle, params: &Map, lookup: &Map) -> Json {
        /// `(to, from)` pairs of params.
        type Pairs = &'static [(&'static str, &'static str)];
        let (copy, needs, fixed): (Pairs, &[&str], Pairs) = match settle.probe {
            Probe::Resolve => match op.resolve {
                Some(r) => (r.copy, &[], r.fixed),
                None => (&[], &[], &[]),
            },
            Probe::Read {
                copy, needs, fixed, ..
            } => (copy, needs, fixed),
            Probe::Repeat => return Json::Object(params.clone()),
            Probe::Unavailable => return Json::Object(Map::new()),
        };
        let mut out = Map::new();
        for (to, from) in copy {
            if let Some(v) = params.get(from) {
                out.insert(*to, v.clone());
            }
        }
        for need in needs {
            if let Some(v) = lookup.get(need) {
                out.insert(*need, v.clone());
            }
        }
        for (to, value) in fixed {
            out.insert(*to, Json::str(*value));
        }
        Json::Object(out)
    }

    fn probe_operation(op: &Operation, settle: &Settle) -> &'static str {
        match settle.probe {
            Probe::Resolve => op.resolve.map(|r| r.operation).unwrap_or(op.name),
            Probe::Read { operation, .. } => operation,
            Probe::Repeat | Probe::Unavailable => op.name,
        }
    }

    fn measure(
        &self,
        operation: &str,
        params: Json,
        lookup: Map,
        answer: Option<Result<Json, Json>>,
    ) -> Result<Step> {
        let (op, settle) = journal_op(self.client, operation)?;
        let prepared = self.client.prepare(op.name, params, &self.ctx())?;
        self.check_lookup(op, &settle, &prepared.params, &lookup)?;
        if let Some(answer) = answer {
            let answer = answer.map_err(|e| error_from_json(&e));
            let value = measure_with(&settle, &answer).ok_or_else(|| {
                KassaError::new(
                    ErrorKind::Transport,
                    format!(
                        "`{}` could not be read: {}",
                        Self::probe_operation(op, &settle),
                        answer
                            .as_ref()
                            .err()
                            .map(KassaError::message)
                            .unwrap_or("its answer does not show what to compare")
                    ),
                )
                .with_retryable(true)
            })?;
            return Ok(Step {
                record: None,
                action: Action::Done { value },
            });
        }
        match settle.probe {
            Probe::Read {
                operation,
                before: Some(_),
                ..
            } => Ok(self.call(
                None,
                Stage::Baseline,
                operation,
                self.probe_params(op, &settle, &prepared.params, &lookup),
            )),
            _ => Ok(Step::done(None)),
        }
    }

    fn advance(&self, record: Record, event: Event) -> Result<Step> {
        match event {
            Event::Inserted => match record.state {
                State::Created => self.begin_send(record),
                _ => self.settle(record),
            },
            Event::Exists { existing } => {
                self.same_request(&record, &existing)?;
                self.take(existing)
            }
            Event::Reconcile => self.take(record),
            Event::Inspect => Ok(Step::done(Some(record))),
            Event::Written { stage } => match stage {
                Stage::Claim => match record.state {
                    State::Created => self.begin_send(record),
                    _ => self.settle(record),
                },
                Stage::Sending => self.send(record),
                _ => Ok(Step::done(Some(record))),
            },
            Event::Conflict { current, .. } => Ok(Step::done(current)),
            Event::Answered { stage, result } => self.answered(record, stage, Ok(result)),
            Event::Failed { stage, error } => {
                self.answered(record, stage, Err(error_from_json(&error)))
            }
            Event::Found { callback } => self.apply_callback(record, &callback),
            Event::Check
            | Event::Pay { .. }
            | Event::Adopt { .. }
            | Event::Measure { .. }
            | Event::Callback { .. } => Err(KassaError::validation(
                "event",
                "starts a new journal step: pass no record",
            )),
        }
    }

    /// The same key must mean the same request: a param the caller gives that differs from
    /// the recorded one is a different payment under a reused reference.
    fn same_request(&self, proposed: &Record, existing: &Record) -> Result<()> {
        if proposed.operation != existing.operation {
            return Err(KassaError::validation(
                "operation",
                format!(
                    "the journal key `{}` belongs to a {} request",
                    existing.key, existing.operation
                ),
            ));
        }
        for (name, value) in proposed.params.iter() {
            if let Some(recorded) = existing.params.get(name) {
                if recorded != value && !self.stamped(proposed, name) {
                    return Err(KassaError::validation(
                        name.clone(),
                        format!(
                            "differs from the request already in the journal under `{}` ({} there): a reference names one payment; use a new one for a new payment",
                            existing.key,
                            recorded.to_compact()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Params the SDK stamps itself (an AGWS `datetime`) differ between two calls.
    fn stamped(&self, record: &Record, name: &str) -> bool {
        self.client
            .provider
            .op(&record.operation)
            .and_then(|op| op.params.iter().find(|f| f.name == name))
            .is_some_and(|f| f.sdk_default)
    }

    /// Takes a record over if it is not final and nobody holds it.
    fn take(&self, record: Record) -> Result<Step> {
        let (_, settle) = self.op(&record)?;
        // A pending payment that no status call follows stays as it is (callbacks may end it).
        let idle = record.state == State::Pending
            && matches!(settle.probe, Probe::Repeat | Probe::Unavailable);
        if record.state.is_final() || record.leased(self.clock.now_ms) || idle {
            return Ok(Step::done(Some(record)));
        }
        let mut claimed = self.next(&record, record.state);
        claimed.lease_until = self.lease();
        Ok(self.write(&record, claimed, Stage::Claim, true))
    }

    /// Owned and `created`: read the baseline if the settle rule compares, then claim to send.
    fn begin_send(&self, record: Record) -> Result<Step> {
        let (op, settle) = self.op(&record)?;
        if let Probe::Read {
            operation,
            before: Some(_),
            ..
        } = settle.probe
        {
            if record.baseline.is_null() {
                let params = self.probe_params(op, &settle, &record.params, &record.lookup);
                return Ok(self.call(Some(record), Stage::Baseline, operation, params));
            }
        }
        Ok(self.claim_to_send(record))
    }

    /// Durably marks the request as (about to be) sent: after this write a crash leaves a
    /// record that is settled, never blindly re-sent.
    fn claim_to_send(&self, record: Record) -> Step {
        let mut sending = self.next(&record, State::Sending);
        sending.attempts = record.attempts.saturating_add(1);
        sending.lease_until = self.lease();
        self.write(&record, sending, Stage::Sending, false)
    }

    /// Claimed to send: sends it, if the call still ends well within the lease. The claim's
    /// write (a pool wait, a busy database) or a stalled process may have eaten into it, and a
    /// reconciler takes over an expired lease: so the deadline shrinks with what is left, and
    /// with too little left nothing is sent (the record stays `sending`; `reconcile()` settles
    /// it as it would after a crash).
    fn send(&self, record: Record) -> Result<Step> {
        let (op, _) = self.op(&record)?;
        let left = record
            .lease_until
            .map_or(0, |until| until.saturating_sub(self.clock.now_ms));
        let budget = u64::try_from(left).unwrap_or(0) / CALL_SHARE_OF_LEASE;
        let timeout = self
            .call_options
            .timeout_ms
            .map_or(budget, |t| t.min(budget));
        if timeout < MIN_SEND_TIMEOUT_MS {
            return Ok(Step::done(Some(record)));
        }
        let params = Json::Object(record.params.clone());
        let mut step = self.call(Some(record), Stage::Send, op.name, params);
        if let Action::Call { options, .. } = &mut step.action {
            options.timeout_ms = Some(timeout);
        }
        Ok(step)
    }

    /// Owned and maybe sent: find out what became of it.
    fn settle(&self, record: Record) -> Result<Step> {
        let (op, settle) = self.op(&record)?;
        if let Probe::Read {
            before: Some(_), ..
        } = settle.probe
        {
            if record.baseline.is_null() {
                return Ok(self.unsettled(
                    record,
                    "no baseline was read before it was sent, so what the provider shows now cannot tell whether it was performed".into(),
                    None,
                ));
            }
        }
        match settle.probe {
            Probe::Repeat => return Ok(self.claim_to_send(record)),
            // Nothing to ask: the judge, given no answer, says why it stays unknown.
            Probe::Unavailable => {
                let verdict = (settle.judge)(&Evidence {
                    params: &record.params,
                    baseline: None,
                    answer: Ok(&Json::Null),
                });
                return Ok(self.apply_verdict(record, op, verdict, None));
            }
            Probe::Resolve | Probe::Read { .. } => {}
        }
        let params = self.probe_params(op, &settle, &record.params, &record.lookup);
        let operation = Self::probe_operation(op, &settle);
        Ok(self.call(Some(record), Stage::Probe, operation, params))
    }

    fn answered(&self, record: Record, stage: Stage, answer: Result<Json>) -> Result<Step> {
        let (op, settle) = self.op(&record)?;
        match stage {
            Stage::Baseline => match measure_with(&settle, &answer) {
                Some(baseline) => Ok(self.claim_to_send(Record { baseline, ..record })),
                None => {
                    let why = match &answer {
                        Err(e) => e.message().to_string(),
                        Ok(_) => "its answer did not show what to compare".into(),
                    };
                    let error = KassaError::new(
                        ErrorKind::Transport,
                        format!(
                            "nothing was sent: `{}` could not be read before sending ({why}), and without it a lost {} answer could not be settled; try again",
                            Self::probe_operation(op, &settle),
                            op.name
                        ),
                    )
                    .with_retryable(true);
                    Ok(self.failed(record, error, Stage::Outcome))
                }
            },
            Stage::Send => Ok(self.sent(record, op, &settle, answer)),
            Stage::Probe => {
                let verdict = (settle.judge)(&Evidence {
                    params: &record.params,
                    baseline: Some(&record.baseline).filter(|b| !b.is_null()),
                    answer: answer.as_ref(),
                });
                Ok(self.apply_verdict(record, op, verdict, answer.err()))
            }
            other => Err(KassaError::validation(
                "event.stage",
                format!("`{}` does not take a call's answer", other.as_str()),
            )),
        }
    }

    /// What the request itself gave.
    fn sent(&self, record: Record, op: &Operation, settle: &Settle, answer: Result<Json>) -> Step {
        match answer {
            Ok(result) => {
                let outcome = result
                    .get("outcome")
                    .and_then(Json::as_str)
                    .and_then(record::parse_outcome)
                    .unwrap_or(settle.answered);
                self.performed(record, outcome, Some(result), Stage::Outcome)
            }
            Err(error) if record.attempts > 1 && matches!(settle.probe, Probe::Repeat) => {
                // A repeat of a deduplicated request: its refusal may prove the first went through.
                let verdict = (settle.judge)(&Evidence {
                    params: &record.params,
                    baseline: None,
                    answer: Err(&error),
                });
                self.apply_verdict(record, op, verdict, Some(error))
            }
            // Not settled before another lease has passed: the provider may still be working on it.
            Err(error) if leaves_outcome_open(op, record.attempts, &error) => {
                self.unknown(record, error, self.lease(), Stage::Outcome)
            }
            Err(error) => self.failed(record, error, Stage::Outcome),
        }
    }

    fn performed(
        &self,
        record: Record,
        outcome: Outcome,
        result: Option<Json>,
        stage: Stage,
    ) -> Step {
        let mut done = self.next(&record, State::of(outcome));
        done.outcome = Some(outcome);
        if let Some(result) = result {
            done.result = self.clean(result);
        }
        done.error = Json::Null;
        done.lease_until = None;
        self.write(&record, done, stage, false)
    }

    /// Final and failed: refused, reported failed, or never performed.
    fn failed(&self, record: Record, error: KassaError, stage: Stage) -> Step {
        let mut failed = self.next(&record, State::Failed);
        failed.outcome = Some(Outcome::Failed);
        failed.error = self.clean(error.to_json());
        failed.lease_until = None;
        self.write(&record, failed, stage, false)
    }

    /// Maybe performed, nothing settled it; `not_before` keeps reconcilers away until then.
    fn unknown(
        &self,
        record: Record,
        error: KassaError,
        not_before: Option<i64>,
        stage: Stage,
    ) -> Step {
        let mut unknown = self.next(&record, State::Unknown);
        unknown.outcome = None;
        unknown.error = self.clean(error.to_json());
        unknown.lease_until = not_before;
        self.write(&record, unknown, stage, false)
    }

    fn unsettled(&self, record: Record, why: String, cause: Option<KassaError>) -> Step {
        let mut error = KassaError::new(
            ErrorKind::UnknownOutcome,
            format!(
                "{} {}: {why}. It stays unknown; reconcile() tries again.",
                record.operation, record.key
            ),
        );
        if let Some(cause) = cause {
            error = error.with_detail("cause", cause.to_json());
        }
        self.unknown(record, error, None, Stage::Settled)
    }

    fn apply_verdict(
        &self,
        record: Record,
        op: &Operation,
        verdict: Verdict,
        cause: Option<KassaError>,
    ) -> Step {
        match verdict {
            Verdict::Performed { outcome, result } => {
                self.performed(record, outcome, result, Stage::Settled)
            }
            // "Not found" says nothing about a request the provider answered (a pending
            // payment: a lagging status), nor right after a send the journal did not make (an
            // adopted record, never written since: its lease has not passed since the send, so
            // the provider may still be working on it). Settled on a later reconcile().
            Verdict::Absent if record.state == State::Pending => Step::done(Some(record)),
            Verdict::Absent if record.state == State::Unknown && record.version == 1 => {
                let error = KassaError::new(
                    ErrorKind::UnknownOutcome,
                    format!(
                        "{} shows no trace of this {} request yet; it may still be working on it, so reconcile() asks again once a lease has passed",
                        self.client.provider.title, op.name
                    ),
                );
                self.unknown(record, error, self.lease(), Stage::Settled)
            }
            Verdict::Absent if op.class.may_resend() => self.claim_to_send(record),
            Verdict::Absent => {
                let error = KassaError::new(
                    ErrorKind::Provider,
                    format!(
                        "{} has no trace of this {} request: it was never performed, and it was not sent again because {} does not deduplicate it. Make the payment again under a new reference if it is still wanted.",
                        self.client.provider.title, op.name, self.client.provider.title
                    ),
                )
                .with_detail("neverPerformed", Json::Bool(true));
                self.failed(record, error, Stage::Settled)
            }
            Verdict::Unsettled(why) => self.unsettled(record, why, cause),
        }
    }

    // -----------------------------------------------------------------------------------
    // Notifications

    fn callback(&self, body: &Json, headers: &Map) -> Result<Step> {
        let notice = self.client.provider.notification.ok_or_else(|| {
            KassaError::validation(
                "provider",
                format!(
                    "{} sends no signed notifications for the journal to apply",
                    self.client.provider.title
                ),
            )
        })?;
        let signature = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(notice.signature_header))
            .map(|(_, v)| v.clone())
            .unwrap_or(Json::Null);
        let callback = (notice.verify)(&self.client.config, &[body.clone(), signature])
            .map_err(|e| self.client.decorate(None, e))?;
        let keys = self
            .client
            .provider
            .ops
            .iter()
            .filter_map(|op| {
                // Only records keyed by the payment the notification is about: those settled
                // through its status call.
                let settle = op.settle.filter(|s| matches!(s.probe, Probe::Resolve))?;
                let fixed_type = op
                    .resolve
                    .and_then(|r| r.fixed.iter().find(|(k, _)| *k == "type").map(|(_, v)| *v));
                let type_code = callback.get("type_code").and_then(Json::as_str);
                if let (Some(wanted), Some(got)) = (fixed_type, type_code) {
                    if wanted != got {
                        return None;
                    }
                }
                let params = callback.as_object()?;
                key_of(self.client, op, &settle, params, None).ok()
            })
            .collect();
        Ok(Step {
            record: None,
            action: Action::Find {
                keys,
                callback: self.clean(callback),
                reply: (notice.ack)(),
            },
        })
    }

    /// A verified notification settles a record that is not final; a replay, or one about a
    /// final record, changes nothing.
    fn apply_callback(&self, record: Record, callback: &Json) -> Result<Step> {
        let Some(outcome) = callback
            .get("outcome")
            .and_then(Json::as_str)
            .and_then(record::parse_outcome)
        else {
            return Ok(Step::done(Some(record)));
        };
        // A `failed` the journal inferred from "not found" yields to a verified notification
        // from the provider: the payment arrived after all (later than a lease). Any other
        // final record stays as it is.
        let inferred = record.state == State::Failed
            && record.error.pointer(&["details", "neverPerformed"]) == Some(&Json::Bool(true));
        if (record.state.is_final() && !inferred) || record.state == State::of(outcome) {
            return Ok(Step::done(Some(record)));
        }
        let mut updated = self.next(&record, State::of(outcome));
        updated.outcome = Some(outcome);
        updated.result = callback.clone();
        updated.error = Json::Null;
        if outcome != Outcome::Pending {
            updated.lease_until = None;
        }
        Ok(self.write(&record, updated, Stage::Callback, false))
    }
}

/// The baseline a compare-settle reads before sending, from the probe's answer.
fn measure_with(settle: &Settle, answer: &Result<Json>) -> Option<Json> {
    match settle.probe {
        Probe::Read {
            before: Some(measure),
            ..
        } => measure(answer.as_ref()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Verdict helpers for the settle rules in the provider tables

/// The provider's code of an error, as a number.
pub fn code_of(error: &KassaError) -> Option<i64> {
    error.code().and_then(ErrorCode::as_i64)
}

/// A status answer that reports the payment: performed, with the outcome it reports.
pub fn reported(result: &Json) -> Verdict {
    match result
        .get("outcome")
        .and_then(Json::as_str)
        .and_then(record::parse_outcome)
    {
        Some(outcome) => Verdict::Performed {
            outcome,
            result: Some(result.clone()),
        },
        None => Verdict::Unsettled("the status answer reports no outcome".into()),
    }
}

/// A probe that failed without proving anything.
pub fn inconclusive(error: &KassaError) -> Verdict {
    Verdict::Unsettled(format!("its state could not be read ({})", error.message()))
}

/// Status answers (AGWS `status`, acquiring `status`): the payment's state, or `absent`
/// when the provider answers one of `absent_codes` ("not found").
pub fn by_status(evidence: &Evidence, absent_codes: &[i64]) -> Verdict {
    match evidence.answer {
        Ok(result) => reported(result),
        Err(error) if code_of(error).is_some_and(|c| absent_codes.contains(&c)) => Verdict::Absent,
        Err(error) => inconclusive(error),
    }
}

/// A count read before and after: one more is ours, none more is absent, anything else (an
/// operation by someone else in between) is not guessed.
pub fn by_count(evidence: &Evidence, now: Option<Json>) -> Verdict {
    let before = evidence.baseline.and_then(Json::as_i64);
    let after = now.as_ref().and_then(Json::as_i64);
    match (before, after) {
        (Some(b), Some(a)) if a == b => Verdict::Absent,
        (Some(b), Some(a)) if a == b + 1 => Verdict::Performed {
            outcome: Outcome::Success,
            result: None,
        },
        (Some(b), Some(a)) => Verdict::Unsettled(format!(
            "the count went from {b} to {a}: other operations happened in between, so this one cannot be told apart"
        )),
        _ => match evidence.answer {
            Err(error) => inconclusive(error),
            Ok(_) => Verdict::Unsettled("the answer shows no count".into()),
        },
    }
}

//! A journal record: one money-moving request, from the intent to its settled state, in the
//! JSON shape the stores keep and JavaScript sees.

use crate::codes::Outcome;
use crate::error::{ErrorKind, KassaError, Result};
use crate::json::{Json, Map};

/// Where a record stands in its lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// The intent is recorded; nothing was sent.
    Created,
    /// Claimed for sending: the request may have been sent (the lease says until when the
    /// claimant owns it).
    Sending,
    /// Performed; the provider reports a state that is not final yet.
    Pending,
    Success,
    /// Refused, reported failed, or proven never performed.
    Failed,
    /// The request may have been performed and nothing settled it yet.
    Unknown,
}

impl State {
    pub const ALL: [State; 6] = [
        State::Created,
        State::Sending,
        State::Pending,
        State::Success,
        State::Failed,
        State::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Created => "created",
            State::Sending => "sending",
            State::Pending => "pending",
            State::Success => "success",
            State::Failed => "failed",
            State::Unknown => "unknown",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn is_final(self) -> bool {
        matches!(self, State::Success | State::Failed)
    }

    pub fn of(outcome: Outcome) -> State {
        match outcome {
            Outcome::Success => State::Success,
            Outcome::Pending => State::Pending,
            Outcome::Failed => State::Failed,
        }
    }
}

pub fn parse_outcome(text: &str) -> Option<Outcome> {
    [Outcome::Success, Outcome::Pending, Outcome::Failed]
        .into_iter()
        .find(|o| o.as_str() == text)
}

#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// `provider:operation:reference` (see `journal::key_of`).
    pub key: String,
    pub provider: String,
    pub operation: String,
    pub state: State,
    /// The payment's outcome as the provider reported it; None while it is unknown.
    pub outcome: Option<Outcome>,
    /// The validated wire params, credentials removed.
    pub params: Map,
    /// The provider's answer (or what the status call showed), else null.
    pub result: Json,
    /// The last error (a KassaError as JSON), else null.
    pub error: Json,
    /// How many times the request was claimed for sending.
    pub attempts: u32,
    /// Bumped by every write; a write succeeds only against the version it read.
    pub version: i64,
    /// Until when (Unix ms) the record belongs to whoever wrote it last; None: free.
    pub lease_until: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// What the probe showed before sending (`Probe::Read::before`), else null.
    pub baseline: Json,
    /// Params the caller gave for the probe (`Probe::Read::needs`).
    pub lookup: Map,
}

fn opt_int(value: Option<i64>) -> Json {
    value.map(Json::int).unwrap_or(Json::Null)
}

impl Record {
    pub fn to_json(&self) -> Json {
        let mut m = Map::new();
        m.insert("key", Json::str(self.key.clone()));
        m.insert("provider", Json::str(self.provider.clone()));
        m.insert("operation", Json::str(self.operation.clone()));
        m.insert("state", Json::str(self.state.as_str()));
        m.insert(
            "outcome",
            self.outcome
                .map(|o| Json::str(o.as_str()))
                .unwrap_or(Json::Null),
        );
        m.insert("params", Json::Object(self.params.clone()));
        m.insert("result", self.result.clone());
        m.insert("error", self.error.clone());
        m.insert("attempts", Json::int(i64::from(self.attempts)));
        m.insert("createdAt", Json::int(self.created_at));
        m.insert("updatedAt", Json::int(self.updated_at));
        m.insert("version", Json::int(self.version));
        m.insert("leaseUntil", opt_int(self.lease_until));
        m.insert("baseline", self.baseline.clone());
        m.insert("lookup", Json::Object(self.lookup.clone()));
        Json::Object(m)
    }

    /// Reads a record as a store returned it; anything malformed is a `decode` error that
    /// names the record's key.
    pub fn from_json(value: &Json) -> Result<Record> {
        let key = value
            .get("key")
            .and_then(Json::as_str)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| corrupted("(no key)", "it has no `key`"))?
            .to_string();
        let bad = |what: &str| corrupted(&key, what);
        let text = |field: &str| -> Result<String> {
            value
                .get(field)
                .and_then(Json::as_str)
                .map(str::to_string)
                .ok_or_else(|| bad(&format!("`{field}` is not a string")))
        };
        let int = |field: &str| -> Result<i64> {
            value
                .get(field)
                .and_then(Json::as_i64)
                .ok_or_else(|| bad(&format!("`{field}` is not an integer")))
        };
        let object = |field: &str| -> Result<Map> {
            match value.get(field) {
                None | Some(Json::Null) => Ok(Map::new()),
                Some(Json::Object(m)) => Ok(m.clone()),
                Some(_) => Err(bad(&format!("`{field}` is not an object"))),
            }
        };
        let state_text = text("state")?;
        let state = State::parse(&state_text)
            .ok_or_else(|| bad(&format!("`state` \"{state_text}\" is not a journal state")))?;
        let outcome = match value.get("outcome") {
            None | Some(Json::Null) => None,
            Some(v) => Some(
                v.as_str()
                    .and_then(parse_outcome)
                    .ok_or_else(|| bad("`outcome` is not success, pending, failed or null"))?,
            ),
        };
        let lease_until = match value.get("leaseUntil") {
            None | Some(Json::Null) => None,
            Some(_) => Some(int("leaseUntil")?),
        };
        let attempts =
            u32::try_from(int("attempts")?).map_err(|_| bad("`attempts` is not a count"))?;
        Ok(Record {
            provider: text("provider")?,
            operation: text("operation")?,
            state,
            outcome,
            params: object("params")?,
            result: value.get("result").cloned().unwrap_or(Json::Null),
            error: value.get("error").cloned().unwrap_or(Json::Null),
            attempts,
            version: int("version")?,
            lease_until,
            created_at: int("createdAt")?,
            updated_at: int("updatedAt")?,
            baseline: value.get("baseline").cloned().unwrap_or(Json::Null),
            lookup: object("lookup")?,
            key,
        })
    }

    /// True while someone's lease on it runs.
    pub fn leased(&self, now: i64) -> bool {
        self.lease_until.is_some_and(|until| until > now)
    }
}

fn corrupted(key: &str, what: &str) -> KassaError {
    KassaError::new(
        ErrorKind::Decode,
        format!(
            "the journal record `{key}` is corrupted: {what}; repair or delete that row (the rest of the journal is unaffected)"
        ),
    )
    .with_detail("key", Json::str(key))
}

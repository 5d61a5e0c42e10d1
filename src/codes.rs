//! Provider code tables (error codes, statuses, reasons) as data: one place gives every code
//! its message, its meaning, what to do, the error kind it maps to and whether retrying can
//! help. The tables are exported to JavaScript unchanged.

use crate::error::ErrorKind;
use crate::json::{Json, Map};

/// Where a payment stands, as far as the caller needs to act.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Pending,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Pending => "pending",
            Outcome::Failed => "failed",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Code {
    /// The code as the provider writes it: "1014", "2", "success", "ERROR_X".
    pub code: &'static str,
    /// The provider's own text for it, exactly as documented.
    pub message: &'static str,
    /// What it means, in plain words.
    pub meaning: &'static str,
    /// What the caller should do about it.
    pub action: &'static str,
    pub kind: Option<ErrorKind>,
    pub retryable: bool,
    pub outcome: Option<Outcome>,
    /// True for a spelling only an older revision of the provider's docs uses.
    pub legacy: bool,
    /// For a legacy spelling: the current code it stands for (`CREAREERROR` → `CreateError`).
    pub current: Option<&'static str>,
}

impl Code {
    pub const fn new(code: &'static str, message: &'static str, meaning: &'static str) -> Code {
        Code {
            code,
            message,
            meaning,
            action: "",
            kind: None,
            retryable: false,
            outcome: None,
            legacy: false,
            current: None,
        }
    }

    pub const fn action(self, action: &'static str) -> Code {
        Code { action, ..self }
    }

    pub const fn kind(self, kind: ErrorKind) -> Code {
        Code {
            kind: Some(kind),
            ..self
        }
    }

    pub const fn retryable(self) -> Code {
        Code {
            retryable: true,
            ..self
        }
    }

    pub const fn outcome(self, outcome: Outcome) -> Code {
        Code {
            outcome: Some(outcome),
            ..self
        }
    }

    /// Marks a spelling of an older docs revision that has no current equivalent.
    pub const fn legacy(self) -> Code {
        Code {
            legacy: true,
            ..self
        }
    }

    /// Marks a spelling of an older docs revision that stands for the current `current`.
    pub const fn legacy_of(self, current: &'static str) -> Code {
        Code {
            legacy: true,
            current: Some(current),
            ..self
        }
    }

    pub fn to_json(&self) -> Json {
        let mut m = Map::new();
        let code = match self.code.parse::<i64>() {
            Ok(n) if !self.code.starts_with('0') || self.code == "0" => Json::int(n),
            _ => Json::str(self.code),
        };
        m.insert("code", code);
        m.insert("message", Json::str(self.message));
        m.insert("meaning", Json::str(self.meaning));
        if !self.action.is_empty() {
            m.insert("action", Json::str(self.action));
        }
        if let Some(kind) = self.kind {
            m.insert("kind", Json::str(kind.as_str()));
        }
        m.insert("retryable", Json::Bool(self.retryable));
        if let Some(outcome) = self.outcome {
            m.insert("outcome", Json::str(outcome.as_str()));
        }
        if self.legacy {
            m.insert("legacy", Json::Bool(true));
        }
        if let Some(current) = self.current {
            m.insert("current", Json::str(current));
        }
        Json::Object(m)
    }
}

#[derive(Debug)]
pub struct CodeTable {
    /// Key in the exported tables, e.g. "errors", "transactionStatuses".
    pub id: &'static str,
    pub title: &'static str,
    pub entries: &'static [Code],
}

impl CodeTable {
    pub fn find(&self, code: &str) -> Option<&'static Code> {
        self.entries.iter().find(|c| c.code == code)
    }

    pub fn find_ignore_case(&self, code: &str) -> Option<&'static Code> {
        self.entries
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
    }

    pub fn find_int(&self, code: i64) -> Option<&'static Code> {
        self.entries
            .iter()
            .find(|c| c.code.parse::<i64>().ok() == Some(code))
    }

    pub fn to_json(&self) -> Json {
        Json::Array(self.entries.iter().map(Code::to_json).collect())
    }
}

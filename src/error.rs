//! The one error type of kassa. Every failure — bad input, a provider's business error,
//! a transport problem — becomes a `KassaError`; in JavaScript it is the `KassaError` class
//! with the same fields. Messages say what to do and never contain a secret.

use crate::json::{Json, Map};
use std::fmt;

/// A provider's error code: most are integers, a few providers use strings ("1001").
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorCode {
    Int(i64),
    Text(String),
}

impl ErrorCode {
    pub fn to_json(&self) -> Json {
        match self {
            ErrorCode::Int(n) => Json::int(*n),
            ErrorCode::Text(s) => Json::str(s.clone()),
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            ErrorCode::Int(n) => Some(*n),
            ErrorCode::Text(s) => s.trim().parse().ok(),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCode::Int(n) => write!(f, "{n}"),
            ErrorCode::Text(s) => f.write_str(s),
        }
    }
}

/// Everything an error carries besides its kind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorInfo {
    pub message: String,
    pub provider: Option<&'static str>,
    pub operation: Option<&'static str>,
    pub code: Option<ErrorCode>,
    pub field: Option<String>,
    pub http_status: Option<u16>,
    pub retryable: bool,
    /// What identifies the affected payment when the outcome is unknown (e.g. `external_id`).
    pub reference: Map,
    /// Provider-specific extras: second codes, per-field validation messages, raw messages.
    pub details: Map,
}

/// A failure of any kind: the JavaScript `KassaError` carries the same fields. The kind
/// tells what to do (fix the input, retry, resolve an unknown outcome); `info` says the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct KassaError {
    kind: ErrorKind,
    /// Boxed so that `Result<T, KassaError>` stays two words wide on the hot paths.
    info: Box<ErrorInfo>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The caller's input breaks a rule; `field` names it. Fix the input, do not retry.
    Validation,
    /// The provider rejected the signature (Tarlan 1014 / 5406), or a webhook's signature is wrong.
    Signature,
    /// The provider answered with a business error; `code` is the provider's code.
    Provider,
    /// The response could not be understood (malformed, missing required fields).
    Decode,
    /// The request did not get an answer (network error, HTTP error page) and was safe to report.
    Transport,
    /// The deadline passed before a read got its answer.
    Timeout,
    /// A money-moving request may or may not have been performed; `reference` resolves it.
    UnknownOutcome,
    /// The client options are wrong.
    Config,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Signature => "signature",
            ErrorKind::Provider => "provider",
            ErrorKind::Decode => "decode",
            ErrorKind::Transport => "transport",
            ErrorKind::Timeout => "timeout",
            ErrorKind::UnknownOutcome => "unknown_outcome",
            ErrorKind::Config => "config",
        }
    }

    pub const ALL: [ErrorKind; 8] = [
        ErrorKind::Validation,
        ErrorKind::Signature,
        ErrorKind::Provider,
        ErrorKind::Decode,
        ErrorKind::Transport,
        ErrorKind::Timeout,
        ErrorKind::UnknownOutcome,
        ErrorKind::Config,
    ];
}

impl KassaError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> KassaError {
        KassaError {
            kind,
            info: Box::new(ErrorInfo {
                message: message.into(),
                ..ErrorInfo::default()
            }),
        }
    }

    /// A validation error about `field`; `rule` says what the field must be.
    pub fn validation(field: impl Into<String>, rule: impl fmt::Display) -> KassaError {
        let field = field.into();
        let message = format!("`{field}` {rule}");
        KassaError::new(ErrorKind::Validation, message).with_field(field)
    }

    pub fn config(option: impl Into<String>, rule: impl fmt::Display) -> KassaError {
        let option = option.into();
        let message = format!("client option `{option}` {rule}");
        KassaError::new(ErrorKind::Config, message).with_field(option)
    }

    pub fn decode(message: impl Into<String>) -> KassaError {
        KassaError::new(ErrorKind::Decode, message)
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn info(&self) -> &ErrorInfo {
        &self.info
    }

    pub fn info_mut(&mut self) -> &mut ErrorInfo {
        &mut self.info
    }

    /// The same information under another kind (e.g. a transport failure of a money-moving
    /// request becomes `UnknownOutcome`).
    pub fn into_kind(self, kind: ErrorKind) -> KassaError {
        KassaError { kind, ..self }
    }

    pub fn message(&self) -> &str {
        &self.info().message
    }

    pub fn code(&self) -> Option<&ErrorCode> {
        self.info().code.as_ref()
    }

    pub fn with_provider(mut self, provider: &'static str) -> KassaError {
        self.info_mut().provider.get_or_insert(provider);
        self
    }

    pub fn with_operation(mut self, operation: &'static str) -> KassaError {
        self.info_mut().operation.get_or_insert(operation);
        self
    }

    pub fn with_code(mut self, code: ErrorCode) -> KassaError {
        self.info_mut().code = Some(code);
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> KassaError {
        self.info_mut().field = Some(field.into());
        self
    }

    pub fn with_http_status(mut self, status: u16) -> KassaError {
        self.info_mut().http_status = Some(status);
        self
    }

    pub fn with_retryable(mut self, retryable: bool) -> KassaError {
        self.info_mut().retryable = retryable;
        self
    }

    pub fn with_detail(mut self, key: &str, value: Json) -> KassaError {
        self.info_mut().details.insert(key, value);
        self
    }

    pub fn with_reference(mut self, key: &str, value: Json) -> KassaError {
        self.info_mut().reference.insert(key, value);
        self
    }

    /// Appends a sentence to the message (used to add "what to do" advice).
    pub fn with_advice(mut self, advice: &str) -> KassaError {
        if !advice.is_empty() {
            let message = &mut self.info_mut().message;
            if !message.ends_with('.') {
                message.push('.');
            }
            message.push(' ');
            message.push_str(advice);
        }
        self
    }

    /// Removes every occurrence of the given secrets from the message and details — a last
    /// line of defence in case a provider echoes a credential back in an error text.
    pub fn redacted(mut self, secrets: &[&str]) -> KassaError {
        let info = self.info_mut();
        for secret in secrets.iter().filter(|s| s.len() >= 3) {
            if info.message.contains(secret) {
                info.message = info.message.replace(secret, "[redacted]");
            }
            // A provider's code and the field it blames are read from its answer too.
            if let Some(ErrorCode::Text(code)) = &mut info.code {
                if code.contains(secret) {
                    *code = code.replace(secret, "[redacted]");
                }
            }
            if let Some(field) = &mut info.field {
                if field.contains(secret) {
                    *field = field.replace(secret, "[redacted]");
                }
            }
            redact_json_map(&mut info.details, secret);
            redact_json_map(&mut info.reference, secret);
        }
        self
    }

    /// The shape handed to JavaScript, which turns it into a `KassaError` instance.
    pub fn to_json(&self) -> Json {
        let info = self.info();
        let mut m = Map::new();
        m.insert("kind", Json::str(self.kind().as_str()));
        m.insert("message", Json::str(info.message.clone()));
        m.insert("provider", opt_str(info.provider));
        m.insert("operation", opt_str(info.operation));
        m.insert(
            "code",
            info.code
                .as_ref()
                .map(ErrorCode::to_json)
                .unwrap_or(Json::Null),
        );
        m.insert(
            "field",
            info.field.clone().map(Json::String).unwrap_or(Json::Null),
        );
        m.insert(
            "httpStatus",
            info.http_status
                .map(|s| Json::int(i64::from(s)))
                .unwrap_or(Json::Null),
        );
        m.insert("retryable", Json::Bool(info.retryable));
        if !info.reference.is_empty() {
            m.insert("reference", Json::Object(info.reference.clone()));
        }
        m.insert("details", Json::Object(info.details.clone()));
        Json::Object(m)
    }
}

fn opt_str(s: Option<&'static str>) -> Json {
    s.map(Json::str).unwrap_or(Json::Null)
}

fn redact_json_map(map: &mut Map, secret: &str) {
    // Keys too: per-field errors are keyed by the field names a provider sent.
    if map.keys().any(|k| k.contains(secret)) {
        *map = map
            .iter()
            .map(|(k, v)| (k.replace(secret, "[redacted]"), v.clone()))
            .collect();
    }
    for (_, value) in map.iter_mut() {
        redact_json(value, secret);
    }
}

fn redact_json(value: &mut Json, secret: &str) {
    match value {
        Json::String(s) if s.contains(secret) => *s = s.replace(secret, "[redacted]"),
        Json::Array(items) => items.iter_mut().for_each(|v| redact_json(v, secret)),
        Json::Object(map) => redact_json_map(map, secret),
        _ => {}
    }
}

impl fmt::Display for KassaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} error: {}", self.kind().as_str(), self.message())
    }
}

impl std::error::Error for KassaError {}

pub type Result<T, E = KassaError> = std::result::Result<T, E>;

//! The FiscalBox response envelopes (spec/fiscalbox.md §0.3, §9b):
//! - `{data, error, is_success}`, HTTP 200 even on errors, `is_success` authoritative;
//! - the same wrapped in `{"result": {...}}` (Z-reports, `/order/last/`);
//! - `error.message` that is itself JSON of DRF-style field errors (code 7) → validation
//!   error with `details.fieldErrors` and `field` = the first field;
//! - `error` as a plain string (seed 004's schema: `string | null`): its text is the message;
//! - `is_success: false` with `error: null` (UzQR declined): an error carrying `data` and its
//!   `status` in details — except for the UzQR status reads, which return the declined state
//!   as a typed result (`outcome: 'failed'`);
//! - the OKM validation envelope `{success, message, messageRu, messageLat, code, data}`.

use super::codes;
use crate::config::Config;
use crate::error::{ErrorCode, ErrorKind, KassaError, Result};
use crate::http::HttpResponse;
use crate::json::{self, Json, Map};
use crate::operation::Operation;

pub const TITLE: &str = "FiscalBox";

/// `true`/`false`, also when sent as a string.
fn flag(value: Option<&Json>) -> Option<bool> {
    match value? {
        Json::Bool(b) => Some(*b),
        Json::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Json::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// The envelope object, unwrapped from `{"result": {...}}` when the top level has no
/// `is_success` but `result` does.
fn unwrap_result(mut map: Map) -> Map {
    if !map.contains_key("is_success") {
        let wrapped = matches!(map.get("result"), Some(Json::Object(inner)) if inner.contains_key("is_success"));
        if wrapped {
            if let Some(Json::Object(inner)) = map.remove("result") {
                return inner;
            }
        }
    }
    map
}

/// An answer without the envelope: an HTTP error page or something that is not FiscalBox.
fn not_an_envelope(response: &HttpResponse, body: &Json) -> KassaError {
    let status = response.status;
    let detail = body
        .get("detail")
        .or_else(|| body.get("message"))
        .and_then(Json::as_str)
        .map(|d| format!(" (\"{d}\")"))
        .unwrap_or_default();
    if status >= 400 {
        let advice = match status {
            404 | 405 => "check baseUrl (the device address, e.g. http://192.168.1.50:8080) and, if this device expects paths without a trailing slash, set the client option trailingSlash: 'none'",
            429 => "the device is rate limiting: retry later",
            s if s >= 500 => "the device or relay may be down or overloaded: retry later",
            _ => "check baseUrl and the request",
        };
        KassaError::new(
            ErrorKind::Transport,
            format!("{TITLE} answered HTTP {status} without its {{data, error, is_success}} envelope{detail}; {advice}"),
        )
        .with_http_status(status)
        .with_retryable(status >= 500 || status == 429)
    } else {
        KassaError::decode(format!(
            "{TITLE} answered HTTP {status} without `is_success`{detail}; the request may have been performed — check its state before repeating it"
        ))
        .with_http_status(status)
    }
}

/// Parses the `{data, error, is_success}` envelope and returns `data`. With
/// `declined_is_result`, `is_success:false` + `error:null` + a `data.status` is returned as
/// data (the UzQR status reads report a declined payment as a state, not a failure).
pub fn parse(op: &Operation, response: &HttpResponse, declined_is_result: bool) -> Result<Json> {
    let body = response.json_body(TITLE)?;
    let mut env = match body {
        Json::Object(map) => unwrap_result(map),
        other => return Err(not_an_envelope(response, &other)),
    };
    match flag(env.get("is_success")) {
        Some(true) => Ok(env.remove("data").unwrap_or(Json::Null)),
        Some(false) => {
            let data = env.remove("data").unwrap_or(Json::Null);
            match env.remove("error") {
                Some(Json::Object(error)) => Err(device_error(op.path, &error, response.status)),
                // Seed 004's schema types `error` as `string | null` (its table as an object):
                // the text is the message; there is no code.
                Some(Json::String(text)) if !text.trim().is_empty() => {
                    let mut error = Map::new();
                    error.insert("message", Json::String(text));
                    Err(device_error(op.path, &error, response.status))
                }
                _ if declined_is_result && data.get("status").is_some() => Ok(data),
                _ => Err(failed_without_error(data, response.status)),
            }
        }
        None => Err(not_an_envelope(response, &Json::Object(env))),
    }
}

/// `is_success:false` with no error object (UzQR declined outside the status reads).
fn failed_without_error(data: Json, http_status: u16) -> KassaError {
    let status = data.get("status").cloned();
    let status_text = status
        .as_ref()
        .map(|s| {
            format!(
                " (data.status {})",
                s.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| s.to_compact())
            )
        })
        .unwrap_or_default();
    let mut error = KassaError::new(
        ErrorKind::Provider,
        format!("{TITLE} answered is_success:false without an error object{status_text}: the operation did not succeed; details.data holds what the device returned"),
    )
    .with_http_status(http_status)
    .with_detail("data", data);
    if let Some(status) = status {
        error = error.with_detail("status", status);
    }
    error
}

/// A code as text: integers as written, strings trimmed.
fn code_text(code: Option<&Json>) -> String {
    match code {
        Some(Json::Number(n)) => n.literal().to_string(),
        Some(Json::String(s)) => s.trim().to_string(),
        _ => String::new(),
    }
}

fn error_code(text: &str) -> Option<ErrorCode> {
    if text.is_empty() {
        return None;
    }
    Some(match text.parse::<i64>() {
        Ok(n) if !text.starts_with('0') || text == "0" => ErrorCode::Int(n),
        _ => ErrorCode::Text(text.to_string()),
    })
}

/// DRF-style field errors encoded in `error.message`: `{"payment_id":["This field may not be
/// blank."]}` → the object, when every value is a list of strings (or a string).
pub fn field_errors(message: &str) -> Option<Map> {
    let trimmed = message.trim();
    if !trimmed.starts_with('{') {
        return None;
    }
    let Ok(Json::Object(map)) = json::parse(trimmed) else {
        return None;
    };
    let looks_like_fields = !map.is_empty()
        && map.iter().all(|(_, v)| match v {
            Json::String(_) => true,
            Json::Array(items) => items.iter().all(|i| i.as_str().is_some()),
            _ => false,
        });
    looks_like_fields.then_some(map)
}

fn first_text(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Array(items) => items
            .iter()
            .filter_map(Json::as_str)
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_compact(),
    }
}

/// A short one-line rendering of `error.data` for the message (full value in details).
fn short_detail(data: &Json) -> Option<String> {
    let text = data.as_str()?;
    let joined: String = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    if joined.is_empty() {
        return None;
    }
    Some(joined.chars().take(240).collect())
}

/// Turns a device `error` object into a `KassaError`, reading the code in the context of the
/// operation at `path` (see `codes::lookup`).
pub fn device_error(path: &str, error: &Map, http_status: u16) -> KassaError {
    let code = code_text(error.get("code"));
    let message = match error.get("message") {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Null) | None => String::new(),
        Some(other) => other.to_compact(),
    };
    let data = error.get("data").filter(|d| !d.is_null()).cloned();
    let entry = codes::lookup(path, &code, &message);
    let fields = field_errors(&message);
    let code_label = if code.is_empty() {
        "an error".to_string()
    } else {
        format!("error {code}")
    };

    let mut kind = entry
        .and_then(|(_, e)| e.kind)
        .unwrap_or(ErrorKind::Provider);
    let mut text = match (&fields, entry) {
        (Some(fields), _) => {
            kind = ErrorKind::Validation;
            let listed: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("`{k}` {}", first_text(v)))
                .collect();
            format!(
                "{TITLE} rejected the request ({code_label}): {}",
                listed.join("; ")
            )
        }
        (None, Some((_, e))) => {
            format!("{TITLE} answered {code_label} \"{message}\": {}", e.meaning)
        }
        (None, None) if code.is_empty() => {
            format!("{TITLE} answered an error without a code: \"{message}\"")
        }
        (None, None) => format!(
            "{TITLE} answered {code_label} \"{message}\" (a code not in the published tables)"
        ),
    };
    if let Some(detail) = data.as_ref().and_then(short_detail) {
        text.push_str(&format!(" (device detail: {detail})"));
    }
    let mut out = KassaError::new(kind, text)
        .with_http_status(http_status)
        .with_retryable(entry.is_some_and(|(_, e)| e.retryable))
        .with_detail("providerMessage", Json::str(message.clone()));
    if let Some(code) = error_code(&code) {
        out = out.with_code(code);
    }
    if let Some((table, _)) = entry {
        out = out.with_detail("codeTable", Json::str(table.id));
    }
    if let Some(data) = data {
        out = out.with_detail("errorData", data);
    }
    if let Some(fields) = fields {
        if let Some(first) = fields.keys().next() {
            out = out.with_field(first.to_string());
        }
        let wants_legacy_payme = path.ends_with("/payme_confirm")
            && (fields.contains_key("fiscal_sign") || fields.contains_key("receipt_id"));
        out = out.with_detail("fieldErrors", Json::Object(fields));
        if wants_legacy_payme {
            out = out.with_advice("This device wants the older paymeConfirm body with receipt_id and fiscal_sign: create the client with paymeConfirmFields: 'legacy' (kassa then takes them from qr_code), or pass them yourself.");
        }
    }
    match entry {
        Some((_, e)) => out.with_advice(e.action),
        None => out.with_advice("See the provider's error.message in details.providerMessage."),
    }
}

/// The OKM validation envelope (§9b): error when the body is null or `success` is false;
/// the message shown is `messageLat`, else `messageRu`, else `message`.
pub fn parse_okm(op: &Operation, response: &HttpResponse) -> Result<Json> {
    let body = response.json_body(TITLE)?;
    let map = match &body {
        Json::Object(map) => map,
        Json::Null => {
            return Err(KassaError::new(
                ErrorKind::Provider,
                format!("{TITLE} marking-code validation answered an empty (null) body: the codes were not validated; retry later"),
            )
            .with_http_status(response.status)
            .with_retryable(true))
        }
        other => return Err(not_an_envelope(response, other)),
    };
    match flag(map.get("success")) {
        Some(true) => return Ok(body),
        None => return Err(not_an_envelope(response, &body)),
        Some(false) => {}
    }
    let text = ["messageLat", "messageRu", "message"]
        .iter()
        .filter_map(|k| map.get(k).and_then(Json::as_str))
        .find(|s| !s.trim().is_empty())
        .unwrap_or("")
        .to_string();
    let code = code_text(map.get("code"));
    let entry = codes::lookup(op.path, &code, &text);
    let meaning = entry
        .map(|(_, e)| e.meaning)
        .unwrap_or("a code not in the published table");
    let mut error = KassaError::new(
        entry
            .and_then(|(_, e)| e.kind)
            .unwrap_or(ErrorKind::Provider),
        format!("{TITLE} marking-code validation failed (code {code}) \"{text}\": {meaning}"),
    )
    .with_http_status(response.status)
    .with_detail("providerMessage", Json::str(text));
    if !code.is_empty() {
        // OKM writes its codes as strings: keep them as written.
        error = error.with_code(ErrorCode::Text(code));
    }
    for key in ["message", "messageRu", "messageLat", "data"] {
        if let Some(v) = map.get(key).filter(|v| !v.is_null()) {
            error = error.with_detail(key, v.clone());
        }
    }
    Ok(()).and(Err(match entry {
        Some((_, e)) => error.with_advice(e.action),
        None => error,
    }))
}

/// Provider envelope of the device table (`ProviderDef::envelope`).
pub fn envelope(_config: &Config, op: &Operation, response: &HttpResponse) -> Result<Json> {
    parse(op, response, false)
}

/// The UzQR status reads: a declined payment (`is_success:false`, `error:null`, status 3) is
/// returned as a typed result with `outcome: 'failed'`.
pub fn state_envelope(_config: &Config, op: &Operation, response: &HttpResponse) -> Result<Json> {
    parse(op, response, true)
}

pub fn okm_envelope(_config: &Config, op: &Operation, response: &HttpResponse) -> Result<Json> {
    parse_okm(op, response)
}

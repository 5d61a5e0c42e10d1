//! Tarlan Payments: what the AGWS host and the acquiring host share — the signature, the
//! signed request encoder and the `{status, status_code, message, result}` envelope.

pub mod acquiring;
pub mod agws;
pub mod sign;

use crate::codes::CodeTable;
use crate::config::Config;
use crate::error::{ErrorCode, ErrorKind, KassaError, Result};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::json::{self, Json, Map};
use crate::operation::split_url;
use crate::operation::Operation;

/// Where the signature goes: AGWS uses `X-Signature`, acquiring `Authorization: Bearer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureHeader {
    XSignature,
    Bearer,
}

impl SignatureHeader {
    pub fn header(self, signature: &str) -> (String, String) {
        match self {
            SignatureHeader::XSignature => ("X-Signature".into(), signature.into()),
            SignatureHeader::Bearer => ("Authorization".into(), format!("Bearer {signature}")),
        }
    }
}

crate::choice! {
    /// What a GET request signs: the JSON of its query parameters (documented for acquiring,
    /// our reading for AGWS) or an empty object (the other reading, selectable for AGWS).
    pub enum GetSigning {
        Query = "query",
        EmptyObject = "empty",
    }
}

/// Builds a signed Tarlan request. The body is serialized once by the canonical serializer;
/// the signature covers the canonical text of its signable subset, so the bytes sent and the
/// bytes signed can never disagree about numbers, key order or escaping.
pub fn encode_signed(
    config: &Config,
    op: &Operation,
    path: &str,
    params: Map,
    header: SignatureHeader,
    get_signing: GetSigning,
) -> Result<HttpRequest> {
    encode_signed_with(
        config,
        op,
        path,
        params,
        header,
        get_signing,
        sign::Escaping::Go,
    )
}

/// `encode_signed` with a chosen string escaping (acquiring `signatureEscaping`): the body
/// sent and the text signed are both written in that escaping, so they still agree.
pub fn encode_signed_with(
    config: &Config,
    op: &Operation,
    path: &str,
    params: Map,
    header: SignatureHeader,
    get_signing: GetSigning,
    escaping: sign::Escaping,
) -> Result<HttpRequest> {
    let secret = config.signing_secret()?;
    let parts = split_url(config, op, path, params)?;
    let mut headers = Vec::new();
    let (signature, body) = match op.method {
        Method::Get => {
            let signed = match get_signing {
                GetSigning::Query => {
                    escaping.apply(&Json::Object(sign::signable(&parts.query)).to_canonical())
                }
                GetSigning::EmptyObject => "{}".to_string(),
            };
            headers.push(("Accept".to_string(), "application/json".to_string()));
            (sign::sign_canonical(&signed, secret), None)
        }
        Method::Post | Method::Delete if escaping != sign::Escaping::Go => {
            let text = escaping.apply(&Json::Object(parts.body.clone()).to_canonical());
            headers.push(("Content-Type".to_string(), "application/json".to_string()));
            let signed = sign::signable_text(&parts.body, escaping);
            (sign::sign_canonical(&signed, secret), Some(text))
        }
        Method::Post | Method::Delete => {
            let text = Json::Object(parts.body.clone()).to_canonical();
            headers.push(("Content-Type".to_string(), "application/json".to_string()));
            (sign::sign_map(&parts.body, secret), Some(text))
        }
    };
    headers.push(header.header(&signature));
    Ok(HttpRequest {
        method: op.method,
        url: parts.url,
        headers,
        body,
    })
}

/// The acknowledgement of a Tarlan notification (AGWS callback, acquiring webhook): HTTP 200
/// and nothing else. The docs ask for the 200 and document no body (spec/tarlan-agws.md §2.10,
/// spec/tarlan-acquiring.md §5.1), so the body is empty and no Content-Type is claimed.
pub fn notification_ack() -> Json {
    json::obj([
        ("status", Json::int(200)),
        ("headers", Json::Object(Map::new())),
        ("body", Json::str("")),
    ])
}

/// Turns a Tarlan error code into a `KassaError` using the provider's code table.
pub fn code_error(
    provider_title: &str,
    table: &CodeTable,
    code: i64,
    provider_message: &str,
    http_status: u16,
) -> KassaError {
    let entry = table.find_int(code);
    let kind = entry.and_then(|e| e.kind).unwrap_or(ErrorKind::Provider);
    let meaning = entry
        .map(|e| e.meaning)
        .unwrap_or("a code not in the published table");
    let quoted = if provider_message.is_empty() {
        entry.map(|e| e.message).unwrap_or("")
    } else {
        provider_message
    };
    let mut error = KassaError::new(
        kind,
        format!("{provider_title} answered {code} \"{quoted}\": {meaning}"),
    )
    .with_code(ErrorCode::Int(code))
    .with_http_status(http_status)
    .with_retryable(entry.map(|e| e.retryable).unwrap_or(http_status >= 500))
    .with_detail("providerMessage", Json::str(quoted));
    if let Some(action) = entry.map(|e| e.action) {
        error = error.with_advice(action);
    }
    error
}

/// The Tarlan envelope: current format (`status:true`, business error in
/// `result.error_code`), "unexpected" format (HTTP 4xx/5xx, `status:false`, top-level
/// `status_code`), the old format (`status:false` with HTTP 200) and the legacy bare
/// `{"result": ...}` pages. Returns the `result` payload on success.
pub fn parse_envelope(
    provider_title: &str,
    table: &CodeTable,
    response: &HttpResponse,
) -> Result<Json> {
    let body = response.json_body(provider_title)?;
    let Json::Object(mut envelope) = body else {
        return Err(KassaError::decode(format!(
            "{provider_title} answered with JSON that is not an object"
        ))
        .with_http_status(response.status));
    };
    let status_flag = envelope.get("status").and_then(Json::as_bool);
    let top_code = envelope
        .get("status_code")
        .and_then(Json::as_i64)
        .unwrap_or(0);
    let message = envelope
        .get("message")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_string();
    if status_flag == Some(false) || response.status >= 400 {
        let code = if top_code != 0 {
            top_code
        } else {
            i64::from(response.status)
        };
        return Err(code_error(
            provider_title,
            table,
            code,
            &message,
            response.status,
        ));
    }
    let result = envelope.remove("result").unwrap_or(Json::Null);
    if let Some(business) = result.get("error_code").and_then(Json::as_i64) {
        if business != 0 {
            let business_message = result.get("message").and_then(Json::as_str).unwrap_or("");
            return Err(code_error(
                provider_title,
                table,
                business,
                business_message,
                response.status,
            ));
        }
    }
    Ok(result)
}

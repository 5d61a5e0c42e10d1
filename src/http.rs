//! The sans-IO HTTP shapes: operations build an `HttpRequest` and parse an `HttpResponse`;
//! whoever holds a socket (the fetch transport, a test, the user's own client) moves them.

use crate::error::{ErrorKind, KassaError, Result};
use crate::json::{self, Json, Map};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// `{method, url, headers: {name: value}, body}` — the shape `build()` returns in JS.
    pub fn to_json(&self) -> Json {
        let headers: Map = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), Json::str(v.clone())))
            .collect();
        json::obj([
            ("method", Json::str(self.method.as_str())),
            ("url", Json::str(self.url.clone())),
            ("headers", Json::Object(headers)),
            (
                "body",
                self.body.clone().map(Json::String).unwrap_or(Json::Null),
            ),
        ])
    }

    /// A copy-pasteable curl command (single-quoted for POSIX shells).
    pub fn to_curl(&self) -> String {
        let mut out = format!(
            "curl -X {} {}",
            self.method.as_str(),
            shell_quote(&self.url)
        );
        for (name, value) in &self.headers {
            out.push_str(" \\\n  -H ");
            out.push_str(&shell_quote(&format!("{name}: {value}")));
        }
        if let Some(body) = &self.body {
            out.push_str(" \\\n  --data-raw ");
            out.push_str(&shell_quote(body));
        }
        out
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn new(status: u16, body: impl Into<String>) -> HttpResponse {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Reads `{status, headers, body}` as given to `parse()` in JavaScript.
    pub fn from_json(value: &Json) -> Result<HttpResponse> {
        let status = value
            .get("status")
            .and_then(Json::as_i64)
            .filter(|s| (100..=599).contains(s))
            .ok_or_else(|| {
                KassaError::validation("response.status", "must be an HTTP status code (100-599)")
            })?;
        let body = match value.get("body") {
            Some(Json::String(s)) => s.clone(),
            None | Some(Json::Null) => String::new(),
            Some(other) => other.to_compact(),
        };
        let mut headers = Vec::new();
        if let Some(Json::Object(map)) = value.get("headers") {
            for (k, v) in map.iter() {
                if let Some(v) = v.as_str() {
                    headers.push((k.to_ascii_lowercase(), v.to_string()));
                }
            }
        }
        Ok(HttpResponse {
            status: status as u16,
            headers,
            body,
        })
    }
}

/// Largest response body kassa parses, JSON or XML (generous: card lists are the largest
/// answers). One limit for every provider, so a hostile or broken server cannot make the
/// wasm instance allocate without bound.
pub const MAX_RESPONSE_BYTES: usize = 4 << 20;

/// Parses response text as JSON within `MAX_RESPONSE_BYTES`.
pub fn parse_response_json(text: &str) -> std::result::Result<Json, json::ParseError> {
    let limits = json::Limits {
        max_bytes: MAX_RESPONSE_BYTES,
        ..json::Limits::default()
    };
    json::parse_with_limits(text, limits)
}

impl HttpResponse {
    /// The body as JSON, turning gateway error pages and garbage into the right error kinds:
    /// a 5xx/429 page is a retryable transport error, a 2xx that is not JSON a decode error
    /// (the request may well have been performed).
    pub fn json_body(&self, provider_title: &str) -> Result<Json> {
        parse_response_json(self.body.trim())
            .map_err(|problem| self.non_json_error(provider_title, &problem.to_string()))
    }

    /// The error for a body that is not the JSON the provider documents.
    pub fn non_json_error(&self, provider_title: &str, problem: &str) -> KassaError {
        let status = self.status;
        if status >= 500 || status == 429 {
            KassaError::new(
                ErrorKind::Transport,
                format!("{provider_title} answered HTTP {status} with a non-JSON body (a gateway or load-balancer error page); the provider may be overloaded or down — retry later"),
            )
            .with_http_status(status)
            .with_retryable(true)
        } else if status >= 400 {
            KassaError::new(
                ErrorKind::Transport,
                format!("{provider_title} answered HTTP {status} with a non-JSON body; check the baseUrl and the path"),
            )
            .with_http_status(status)
        } else {
            KassaError::decode(format!(
                "{provider_title} answered HTTP {status} but the body is not valid JSON ({problem}); the request may have been performed — check its status before repeating it"
            ))
            .with_http_status(status)
        }
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Percent-encodes a query value: RFC 3986 unreserved characters stay, the rest is %XX.
pub fn encode_component(s: &str, out: &mut String) {
    let hex = |nibble: u8| char::from_digit(u32::from(nibble), 16).map(|c| c.to_ascii_uppercase());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.extend(hex(b >> 4));
            out.extend(hex(b & 15));
        }
    }
}

/// `a=1&b=x%20y` from ordered pairs.
pub fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_component(k, &mut out);
        out.push('=');
        encode_component(v, &mut out);
    }
    out
}

/// Decodes `%XX` and `+` (form encoding) into text; invalid escapes are kept literally.
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(decoded) = hex {
                    out.push(decoded);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits `a=1&b=2` into decoded pairs, in order.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (decode_component(k), decode_component(v))
        })
        .collect()
}

/// An absolute `http(s)://` URL split where kassa needs it. `parse` is the one URL check
/// of kassa: base URLs, callback and redirect URLs in params, and receipt links all use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpUrl<'a> {
    /// `http` or `https`, as written.
    pub scheme: &'a str,
    /// The host as written (without port); compare it case-insensitively.
    pub host: &'a str,
    /// `:port` digits, when given.
    pub port: Option<&'a str>,
    /// Everything after the authority: path, query and fragment (may be empty).
    pub rest: &'a str,
}

impl<'a> HttpUrl<'a> {
    /// Reads `http(s)://host[:port][rest]` (scheme case-insensitive). Refuses whitespace and
    /// control characters anywhere, an empty host and a non-numeric port: a URL with a
    /// space in it is a copy-paste accident, never what a provider should be sent.
    pub fn parse(text: &'a str) -> Option<HttpUrl<'a>> {
        if text
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        {
            return None;
        }
        let (scheme, after) = text.split_once("://")?;
        if !(scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")) {
            return None;
        }
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let (authority, rest) = after.split_at(end);
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if host.is_empty() || host.contains('@') || !port_ok {
            return None;
        }
        Some(HttpUrl {
            scheme,
            host,
            port,
            rest,
        })
    }
}

/// Accepts `http(s)://host[:port][/prefix]` for a client's `baseUrl`; trailing slashes are
/// dropped.
pub fn validate_base_url(url: &str) -> Result<String> {
    let trimmed = url.trim_end_matches('/');
    match HttpUrl::parse(trimmed) {
        Some(parsed) if !parsed.rest.contains(['?', '#']) => Ok(trimmed.to_string()),
        _ => Err(KassaError::config(
            "baseUrl",
            "must be an absolute http(s) URL without query or fragment, e.g. https://api.example.kz",
        )),
    }
}

/// Joins a base URL and a path without doubling or dropping the slash between them.
pub fn join_url(base: &str, path: &str) -> String {
    let base = base.trim_end_matches('/');
    if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

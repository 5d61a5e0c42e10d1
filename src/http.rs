//! The sans-IO HTTP shapes: operations build an `HttpRequest` and parse an `HttpResponse`;
//! whoever holds a socket (the fetch transport, a test, the user's own client) moves them.

use crate::error::{KassaError, Result};
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

/// Joins a base URL and a path without doubling or dropping the slash between them.
pub fn join_url(base: &str, path: &str) -> String {
    let base = base.trim_end_matches('/');
    if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

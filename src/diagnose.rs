//! Signature diagnosis: every step of a Tarlan signature (`explainSignature`), and why a
//! signature someone computed does not match (`diagnoseSignature`).
//!
//! The correct signature always comes from `tarlan::sign` (the one canonicalizer and signer).
//! The diagnosis re-creates the texts that common hand-written signers produce — unsorted
//! keys, Python's separators, `100.0`, PHP's `\/` and `\uXXXX`, literal `&`, `""` fields or
//! `additional_data` left in — from the same parsed tree and the same leaf writers of
//! `json` (Go strings, Go numbers), encodes and hashes them the wrong ways too (base64
//! without padding or URL-safe, no base64, secret prepended, HMAC, ...), and reports the
//! smallest set of mistakes whose result equals the received signature.

use crate::error::Result;
use crate::helper::{str_arg, Helper, HelperFn};
use crate::json::{self, number, Json, Map, Value};
use crate::schema::native_only;
use crate::tarlan::sign;
use crate::tarlan::SignatureHeader;
use hmac_sha256::{Hash as Sha256, HMAC};
use std::borrow::Cow;
use std::collections::HashMap;

pub static HELPERS: [Helper; 2] = [
    Helper {
        name: "explainSignature",
        run: HelperFn::Static(|args| {
            explain(str_arg(args, 0, "body")?, str_arg(args, 1, "secret")?)
        }),
        ts: native_only(TS_EXPLAIN),
    },
    Helper {
        name: "diagnoseSignature",
        run: HelperFn::Static(|args| {
            diagnose(
                str_arg(args, 0, "body")?,
                str_arg(args, 1, "secret")?,
                str_arg(args, 2, "signature")?,
            )
        }),
        ts: native_only(TS_DIAGNOSE),
    },
];

const TS_EXPLAIN: &str = r#"/** One thing the canonical form changed compared with the body as written. */
export interface SignatureChange {
  kind: 'whitespace' | 'order' | 'duplicate' | 'number' | 'escape' | 'unescape' | 'dropped';
  /** Where (`amount`, `items[0].price`); `""` for the whole body. */
  path: string;
  message: string;
  /** The value as written in the input, when it is a single value. */
  input?: string;
  /** The exact text of the change inside `canonical`, to highlight it. */
  fragment?: string;
}
/** Every step of a Tarlan signature. */
export interface SignatureExplanation {
  /** Go-canonical JSON of the signable body (what is base64-encoded). */
  canonical: string;
  changes: SignatureChange[];
  /** Top-level fields left out of the signature (`""` values, `additional_data`). */
  excluded: string[];
  base64: string;
  /** What SHA-256 hashes: the base64 text followed by the secret (shown as `{secret}`, never echoed). */
  sha256Input: string;
  sha256InputBytes: number;
  /** The signature: lowercase hex of the SHA-256 digest. */
  signature: string;
  headers: { agws: string; acquiring: string };
  steps: Array<{ id: string; title: string; value: string }>;
}
/** Every step of a Tarlan signature: canonical JSON (and what changed), base64, SHA-256, header lines. */
export declare function explainSignature(body: object | string, secret: string): SignatureExplanation;"#;

const TS_DIAGNOSE: &str = r#"/** A common signing mistake, with its fix. */
export interface SignatureMistake {
  id: 'unsorted_keys' | 'spaces_after_separators' | 'number_as_written' | 'whole_number_as_float' | 'literal_html' | 'escaped_unicode' | 'escaped_slashes' | 'empty_fields_kept' | 'additional_data_kept' | 'base64_no_padding' | 'base64_url_safe' | 'no_base64' | 'secret_prepended' | 'hmac' | 'secret_newline' | 'no_secret' | 'uppercase_hex' | 'digest_base64';
  title: string;
  explanation: string;
  fix: string;
}
/** Whether a signature matches and, if not, which mistakes reproduce it. */
export interface SignatureDiagnosis {
  match: boolean;
  /** `mistake`: reproduced by `mistakes`; `unknown`: no known mistake reproduces it; `malformed`: not a SHA-256 digest. */
  verdict: 'match' | 'mistake' | 'unknown' | 'malformed';
  /** The correct signature. */
  expected: string;
  /** The received signature as read (prefixes such as `Bearer ` removed). */
  received: string;
  mistakes: SignatureMistake[];
  /** The wrong text that was signed, when a mistake reproduced the signature. */
  reproduced: { text: string; encoded: string; hashed: string } | null;
  message: string;
  /** How many wrong ways of signing were tried. */
  tried: number;
}
/** Checks a signature someone computed and names the common mistake that produced it. */
export declare function diagnoseSignature(body: object | string, secret: string, signature: string): SignatureDiagnosis;"#;

// ---------------------------------------------------------------------------------------
// explainSignature

/// Every step of the signature of `body` (JSON text) with `secret`.
pub fn explain(body: &str, secret: &str) -> Result<Json> {
    sign::validate_secret(secret)?;
    let input = sign::parse_body(body)?;
    let canonical = sign::canonical_signable_text(body)?;
    let encoded = base64(canonical.as_bytes(), Base64Form::Standard);
    let signature = sign::sign_canonical(&canonical, secret);
    let (agws_name, agws_value) = SignatureHeader::XSignature.header(&signature);
    let (acq_name, acq_value) = SignatureHeader::Bearer.header(&signature);
    let agws = format!("{agws_name}: {agws_value}");
    let acquiring = format!("{acq_name}: {acq_value}");
    let mut changes = Vec::new();
    if has_whitespace_between_tokens(body) {
        changes.push(change(
            "whitespace",
            "",
            "whitespace between tokens removed (the canonical form is compact)",
            None,
            None,
        ));
    }
    describe_changes(&input, "", true, &mut changes);
    let excluded = excluded_fields(&input);
    let sha256_input = format!("{encoded}{{secret}}");
    let input_bytes = encoded.len() + secret.len();
    let steps = [
        (
            "canonical",
            "1. Canonical JSON (Go encoding/json form of the signable body)",
            canonical.clone(),
        ),
        (
            "base64",
            "2. Base64 (standard alphabet, with = padding) of the canonical JSON",
            encoded.clone(),
        ),
        (
            "sha256Input",
            "3. SHA-256 input: the base64 text followed by the secret",
            sha256_input.clone(),
        ),
        (
            "signature",
            "4. Signature: lowercase hex of the SHA-256 digest",
            signature.clone(),
        ),
        ("agws", "AGWS host header", agws.clone()),
        ("acquiring", "Acquiring host header", acquiring.clone()),
    ];
    Ok(json::obj([
        ("canonical", Json::String(canonical)),
        ("changes", Json::Array(changes)),
        (
            "excluded",
            Json::Array(excluded.into_iter().map(Json::String).collect()),
        ),
        ("base64", Json::String(encoded)),
        ("sha256Input", Json::String(sha256_input)),
        (
            "sha256InputBytes",
            Json::int(i64::try_from(input_bytes).unwrap_or(i64::MAX)),
        ),
        ("signature", Json::String(signature)),
        (
            "headers",
            json::obj([
                ("agws", Json::String(agws)),
                ("acquiring", Json::String(acquiring)),
            ]),
        ),
        (
            "steps",
            Json::Array(
                steps
                    .into_iter()
                    .map(|(id, title, value)| {
                        json::obj([
                            ("id", Json::str(id)),
                            ("title", Json::str(title)),
                            ("value", Json::String(value)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ]))
}

fn change(
    kind: &str,
    path: &str,
    message: &str,
    input: Option<String>,
    fragment: Option<String>,
) -> Json {
    let mut map = Map::new();
    map.insert("kind", Json::str(kind));
    map.insert("path", Json::str(path));
    map.insert("message", Json::str(message));
    if let Some(input) = input {
        map.insert("input", Json::String(input));
    }
    if let Some(fragment) = fragment {
        map.insert("fragment", Json::String(fragment));
    }
    Json::Object(map)
}

/// True when the JSON text has whitespace outside its strings.
fn has_whitespace_between_tokens(text: &str) -> bool {
    let trimmed = text.trim();
    let mut in_string = false;
    let mut escaped = false;
    for b in trimmed.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            return true;
        }
    }
    false
}

fn excluded_fields(input: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Value::Object(entries) = input {
        for (key, value) in entries {
            if is_excluded(key, value) && !out.iter().any(|k| k == key) {
                out.push(key.to_string());
            }
        }
    }
    out
}

fn is_excluded(key: &str, value: &Value) -> bool {
    sign::UNSIGNED_FIELDS.contains(&key) || matches!(value, Value::String(s) if s.is_empty())
}

fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn go_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    json::write_go_string(s, &mut out);
    out
}

/// The canonical text of a member (`"key":value`) or of a bare value (array items).
fn fragment(key: Option<&str>, canonical_value: &str) -> String {
    match key {
        Some(key) => format!("{}:{canonical_value}", go_string(key)),
        None => canonical_value.to_string(),
    }
}

fn describe_changes(value: &Value, path: &str, top: bool, out: &mut Vec<Json>) {
    match value {
        Value::Object(entries) => {
            let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_ref()).collect();
            let sorted = keys.windows(2).all(|w| match w {
                [a, b] => a.as_bytes() <= b.as_bytes(),
                _ => true,
            });
            if !sorted {
                let mut order: Vec<&str> = keys.clone();
                order.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
                order.dedup();
                let message = format!(
                    "keys sorted byte-wise{}: {}",
                    if path.is_empty() {
                        String::new()
                    } else {
                        format!(" in `{path}`")
                    },
                    order.join(", ")
                );
                out.push(change("order", path, &message, None, None));
            }
            for (i, (key, item)) in entries.iter().enumerate() {
                let item_path = child_path(path, key);
                if entries.iter().skip(i + 1).any(|(k, _)| k == key) {
                    let message = format!(
                        "duplicate key `{item_path}`: only the last value counts (as in Go)"
                    );
                    out.push(change("duplicate", &item_path, &message, None, None));
                    continue;
                }
                if top && is_excluded(key, item) {
                    let message = if sign::UNSIGNED_FIELDS.contains(&key.as_ref()) {
                        format!("`{key}` left out: it never takes part in the signature")
                    } else {
                        format!("`{key}` left out: fields whose value is \"\" do not take part in the signature (and kassa does not send them)")
                    };
                    out.push(change("dropped", &item_path, &message, None, None));
                    continue;
                }
                describe_leaf(item, &item_path, Some(key), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                describe_leaf(item, &format!("{path}[{i}]"), None, out);
            }
        }
        other => describe_leaf(other, path, None, out),
    }
}

fn describe_leaf(value: &Value, path: &str, key: Option<&str>, out: &mut Vec<Json>) {
    match value {
        Value::Object(_) | Value::Array(_) => describe_changes(value, path, false, out),
        Value::Number(literal) => {
            let mut canonical = String::new();
            number::canonical_number_into(literal, &mut canonical);
            if canonical != *literal {
                let message = format!("`{path}`: {literal} is signed as {canonical} (every number is re-printed as Go prints a float64)");
                out.push(change(
                    "number",
                    path,
                    &message,
                    Some(literal.to_string()),
                    Some(fragment(key, &canonical)),
                ));
            }
        }
        Value::String(s) => {
            let canonical = go_string(s);
            let html: Vec<&str> = ["\\u0026", "\\u003c", "\\u003e", "\\u2028", "\\u2029"]
                .into_iter()
                .filter(|e| canonical.contains(e))
                .collect();
            if !html.is_empty() {
                let message = format!(
                    "`{path}`: {} written as {} (Go escapes & < > U+2028 U+2029 in strings)",
                    html.iter()
                        .map(|e| html_char(e))
                        .collect::<Vec<_>>()
                        .join(" "),
                    html.join(" ")
                );
                out.push(change(
                    "escape",
                    path,
                    &message,
                    Some(s.to_string()),
                    Some(fragment(key, &canonical)),
                ));
            }
            let escaped_in_input = matches!(s, Cow::Owned(_));
            if escaped_in_input && (s.contains('/') || !s.is_ascii()) {
                let message = format!("`{path}`: escape sequences of the input (\\/ or \\uXXXX) are signed unescaped — `/` and non-ASCII characters as raw UTF-8");
                out.push(change(
                    "unescape",
                    path,
                    &message,
                    Some(s.to_string()),
                    Some(fragment(key, &canonical)),
                ));
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
}

fn html_char(escape: &str) -> &'static str {
    match escape {
        "\\u0026" => "&",
        "\\u003c" => "<",
        "\\u003e" => ">",
        "\\u2028" => "U+2028",
        _ => "U+2029",
    }
}

// ---------------------------------------------------------------------------------------
// Base64 forms

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Base64Form {
    Standard,
    NoPadding,
    UrlSafe,
    UrlSafeNoPadding,
    /// No base64 at all: the JSON text itself.
    None,
}

fn base64(input: &[u8], form: Base64Form) -> String {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    use base64::Engine as _;
    match form {
        Base64Form::Standard => STANDARD.encode(input),
        Base64Form::NoPadding => STANDARD_NO_PAD.encode(input),
        Base64Form::UrlSafe => URL_SAFE.encode(input),
        Base64Form::UrlSafeNoPadding => URL_SAFE_NO_PAD.encode(input),
        Base64Form::None => String::from_utf8_lossy(input).into_owned(),
    }
}

/// Decodes a digest someone wrote in base64: standard or URL-safe, padded or not.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::alphabet::{STANDARD, URL_SAFE};
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine as _;
    let lenient = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    [&STANDARD, &URL_SAFE]
        .into_iter()
        .find_map(|alphabet| GeneralPurpose::new(alphabet, lenient).decode(text).ok())
}

// ---------------------------------------------------------------------------------------
// Wrong texts

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Numbers {
    Go,
    /// Kept exactly as written in the body (`100.0`, `1.50`).
    AsWritten,
    /// Whole numbers with `.0` (a float amount in Python or PHP).
    WholeAsFloat,
}

/// One way of writing the signable JSON: all `false`/`Go` is the canonical form.
#[derive(Clone, Copy, Debug)]
struct TextForm {
    unsorted: bool,
    spaces: bool,
    numbers: Numbers,
    literal_html: bool,
    escaped_unicode: bool,
    escaped_slashes: bool,
    keep_empty: bool,
    keep_additional_data: bool,
}

impl TextForm {
    fn all() -> Vec<TextForm> {
        let mut out = Vec::new();
        for bits in 0u32..128 {
            for numbers in [Numbers::Go, Numbers::AsWritten, Numbers::WholeAsFloat] {
                let bit = |i: u32| bits & (1 << i) != 0;
                out.push(TextForm {
                    unsorted: bit(0),
                    spaces: bit(1),
                    numbers,
                    literal_html: bit(2),
                    escaped_unicode: bit(3),
                    escaped_slashes: bit(4),
                    keep_empty: bit(5),
                    keep_additional_data: bit(6),
                });
            }
        }
        out
    }

    fn mistakes(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let flags = [
            (self.unsorted, "unsorted_keys"),
            (self.spaces, "spaces_after_separators"),
            (self.numbers == Numbers::AsWritten, "number_as_written"),
            (
                self.numbers == Numbers::WholeAsFloat,
                "whole_number_as_float",
            ),
            (self.literal_html, "literal_html"),
            (self.escaped_unicode, "escaped_unicode"),
            (self.escaped_slashes, "escaped_slashes"),
            (self.keep_empty, "empty_fields_kept"),
            (self.keep_additional_data, "additional_data_kept"),
        ];
        for (on, id) in flags {
            if on {
                out.push(id);
            }
        }
        out
    }

    /// Writes `value` (input order if `unsorted`, else an already canonicalized tree).
    fn write(&self, value: &Value, top: bool, out: &mut String) {
        let (comma, colon) = if self.spaces {
            (", ", ": ")
        } else {
            (",", ":")
        };
        match value {
            Value::Object(entries) => {
                out.push('{');
                let mut first = true;
                for (key, item) in entries {
                    if top {
                        let additional = sign::UNSIGNED_FIELDS.contains(&key.as_ref());
                        let empty = matches!(item, Value::String(s) if s.is_empty());
                        if (additional && !self.keep_additional_data) || (empty && !self.keep_empty)
                        {
                            continue;
                        }
                    }
                    if !first {
                        out.push_str(comma);
                    }
                    first = false;
                    self.write_string(key, out);
                    out.push_str(colon);
                    self.write(item, false, out);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(comma);
                    }
                    self.write(item, false, out);
                }
                out.push(']');
            }
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(literal) => match self.numbers {
                Numbers::Go => number::canonical_number_into(literal, out),
                Numbers::AsWritten => out.push_str(literal),
                Numbers::WholeAsFloat => {
                    let start = out.len();
                    number::canonical_number_into(literal, out);
                    let written = out.get(start..).unwrap_or_default();
                    if !written.contains(['.', 'e', 'E']) {
                        out.push_str(".0");
                    }
                }
            },
            Value::String(s) => self.write_string(s, out),
        }
    }

    fn write_string(&self, s: &str, out: &mut String) {
        if !self.literal_html && !self.escaped_unicode && !self.escaped_slashes {
            json::write_go_string(s, out);
            return;
        }
        let mut escaped = String::with_capacity(s.len() + 2);
        if self.literal_html {
            // Plain JSON escaping (quotes, backslashes, controls): Python, PHP, JavaScript.
            json::write_compact(&Json::String(s.to_string()), &mut escaped);
        } else {
            json::write_go_string(s, &mut escaped);
        }
        // `/` and non-ASCII characters never occur inside an escape sequence, so they can be
        // rewritten in the escaped text.
        for c in escaped.chars() {
            if c == '/' && self.escaped_slashes {
                out.push_str("\\/");
            } else if !c.is_ascii() && self.escaped_unicode {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            } else {
                out.push(c);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Wrong hashes

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hashing {
    /// sha256(encoded + secret): the right one.
    Append,
    Prepend,
    Hmac,
    NewlineAfterSecret,
    NoSecret,
}

impl Hashing {
    const ALL: [Hashing; 5] = [
        Hashing::Append,
        Hashing::Prepend,
        Hashing::Hmac,
        Hashing::NewlineAfterSecret,
        Hashing::NoSecret,
    ];

    fn digest(self, encoded: &str, secret: &str) -> [u8; 32] {
        let mut hasher = Sha256::new();
        match self {
            Hashing::Append => {
                hasher.update(encoded.as_bytes());
                hasher.update(secret.as_bytes());
            }
            Hashing::Prepend => {
                hasher.update(secret.as_bytes());
                hasher.update(encoded.as_bytes());
            }
            Hashing::NewlineAfterSecret => {
                hasher.update(encoded.as_bytes());
                hasher.update(secret.as_bytes());
                hasher.update(b"\n");
            }
            Hashing::NoSecret => hasher.update(encoded.as_bytes()),
            Hashing::Hmac => return HMAC::mac(encoded.as_bytes(), secret.as_bytes()),
        }
        hasher.finalize()
    }

    fn mistake(self) -> Option<&'static str> {
        match self {
            Hashing::Append => None,
            Hashing::Prepend => Some("secret_prepended"),
            Hashing::Hmac => Some("hmac"),
            Hashing::NewlineAfterSecret => Some("secret_newline"),
            Hashing::NoSecret => Some("no_secret"),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Hashing::Append => "sha256(encoded + secret)",
            Hashing::Prepend => "sha256(secret + encoded)",
            Hashing::Hmac => "hmac_sha256(key = secret, message = encoded)",
            Hashing::NewlineAfterSecret => "sha256(encoded + secret + \"\\n\")",
            Hashing::NoSecret => "sha256(encoded)",
        }
    }
}

fn encoding_mistakes(form: Base64Form) -> &'static [&'static str] {
    match form {
        Base64Form::Standard => &[],
        Base64Form::NoPadding => &["base64_no_padding"],
        Base64Form::UrlSafe => &["base64_url_safe"],
        Base64Form::UrlSafeNoPadding => &["base64_url_safe", "base64_no_padding"],
        Base64Form::None => &["no_base64"],
    }
}

// ---------------------------------------------------------------------------------------
// The catalogue of mistakes

struct Mistake {
    id: &'static str,
    title: &'static str,
    explanation: &'static str,
    fix: &'static str,
}

static MISTAKES: [Mistake; 18] = [
    Mistake {
        id: "unsorted_keys",
        title: "Keys not sorted",
        explanation: "The JSON was signed with its keys in the order they were written. The canonical form sorts keys byte-wise at every level (Go marshals maps with sorted keys).",
        fix: "Sort keys at every level before encoding: Python json.dumps(body, sort_keys=True, ...), PHP ksort() recursively, JavaScript canonicalJson() from kassa.",
    },
    Mistake {
        id: "spaces_after_separators",
        title: "Spaces after `,` and `:`",
        explanation: "The JSON had a space after every `,` and `:` — the default separators of Python's json.dumps (', ', ': '). The canonical form has no whitespace.",
        fix: "Python: json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(',', ':')).",
    },
    Mistake {
        id: "number_as_written",
        title: "Numbers kept as written (`100.0` for `100`)",
        explanation: "A number was signed as written in the body (100.0, 1.50, 1e2). The canonical form re-prints every number the way Go prints a float64: 100.0 -> 100, 1.50 -> 1.5, 1e2 -> 100.",
        fix: "Write whole amounts as integers (100) and drop trailing zeros (1.5) in the body you sign and send; kassa does this for you.",
    },
    Mistake {
        id: "whole_number_as_float",
        title: "Whole numbers written as `100.0`",
        explanation: "A whole amount held as a float was written with `.0` (Python json.dumps(100.0), PHP json_encode(100.0)). The canonical form writes 100.",
        fix: "Convert whole amounts to integers before encoding (Python: int(x) if x == int(x)), or format numbers as Go does.",
    },
    Mistake {
        id: "literal_html",
        title: "`&`, `<`, `>` not escaped (literal `&` instead of `\\u0026`)",
        explanation: "Go's encoder writes & < > (and U+2028, U+2029) inside strings as \\u0026 \\u003c \\u003e; the JSON was signed with them as literal characters (the Python, PHP and JavaScript default).",
        fix: "Write & < > as \\u0026 \\u003c \\u003e in the JSON text you sign (Python: text.replace('&', '\\\\u0026').replace('<', '\\\\u003c').replace('>', '\\\\u003e')), or keep these characters out of signed fields.",
    },
    Mistake {
        id: "escaped_unicode",
        title: "Non-ASCII written as `\\uXXXX`",
        explanation: "Non-ASCII characters (e.g. Cyrillic) were escaped as \\uXXXX — the default of Python's json.dumps (ensure_ascii=True) and PHP's json_encode. The canonical form writes them as raw UTF-8.",
        fix: "Python: ensure_ascii=False; PHP: json_encode($body, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES).",
    },
    Mistake {
        id: "escaped_slashes",
        title: "Slashes written as `\\/`",
        explanation: "`/` was escaped as \\/ — PHP json_encode's default. The canonical form writes / as it is.",
        fix: "PHP: json_encode($body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE).",
    },
    Mistake {
        id: "empty_fields_kept",
        title: "`\"\"` fields signed",
        explanation: "Top-level fields whose value is \"\" do not take part in the signature, but they were signed.",
        fix: "Leave empty-string fields out of the signed JSON — better, do not send them at all (kassa never does).",
    },
    Mistake {
        id: "additional_data_kept",
        title: "`additional_data` signed",
        explanation: "additional_data never takes part in the signature, but it was signed.",
        fix: "Remove additional_data from the object you sign (it may still be sent).",
    },
    Mistake {
        id: "base64_no_padding",
        title: "Base64 without `=` padding",
        explanation: "The JSON was base64-encoded without the trailing = padding (RawStdEncoding, base64url helpers, rtrim('=')).",
        fix: "Use standard base64 with padding: Go base64.StdEncoding, Python base64.b64encode, PHP base64_encode, Node Buffer.toString('base64').",
    },
    Mistake {
        id: "base64_url_safe",
        title: "URL-safe base64 (`-` and `_`)",
        explanation: "The JSON was base64-encoded with the URL-safe alphabet (- and _); the signature uses the standard alphabet (+ and /).",
        fix: "Use standard base64: Python base64.b64encode (not urlsafe_b64encode), Node 'base64' (not 'base64url').",
    },
    Mistake {
        id: "no_base64",
        title: "JSON hashed without base64",
        explanation: "The JSON text itself was hashed with the secret; it must be base64-encoded first.",
        fix: "signature = sha256(base64(canonical_json) + secret).",
    },
    Mistake {
        id: "secret_prepended",
        title: "Secret put before the base64 text",
        explanation: "The secret was prepended; it goes after the base64 text.",
        fix: "Hash base64 + secret, in that order.",
    },
    Mistake {
        id: "hmac",
        title: "HMAC-SHA256 instead of plain SHA-256",
        explanation: "An HMAC keyed with the secret was computed. The signature is a plain SHA-256 of the base64 text with the secret appended — not HMAC.",
        fix: "Python: hashlib.sha256((b64 + secret).encode()).hexdigest(); PHP: hash('sha256', $b64 . $secret); Node: createHash('sha256').update(b64 + secret).digest('hex').",
    },
    Mistake {
        id: "secret_newline",
        title: "Secret with a trailing line break",
        explanation: "The secret was hashed with a line break after it — read from a file, an .env file or `echo` without trimming.",
        fix: "Trim the secret (secret.strip(), trim($secret), secret.trim()).",
    },
    Mistake {
        id: "no_secret",
        title: "Secret missing",
        explanation: "The base64 text was hashed without any secret: the secret variable was probably empty or unset.",
        fix: "Check that the secret is loaded before signing.",
    },
    Mistake {
        id: "uppercase_hex",
        title: "Uppercase hex",
        explanation: "The digest was written in uppercase hex; Tarlan's signatures are lowercase hex (Go %x, Python hexdigest()). kassa's own verifier accepts either case, the provider's may not.",
        fix: "Lowercase the hex digest (hexdigest(), bin2hex(), digest('hex')).",
    },
    Mistake {
        id: "digest_base64",
        title: "Digest written in base64 instead of hex",
        explanation: "The SHA-256 digest was base64-encoded; the signature is its hex form (64 lowercase hex characters).",
        fix: "Use hexdigest() / hash('sha256', ...) / digest('hex') rather than a base64 digest.",
    },
];

fn mistake_json(id: &str) -> Json {
    match MISTAKES.iter().find(|m| m.id == id) {
        Some(m) => json::obj([
            ("id", Json::str(m.id)),
            ("title", Json::str(m.title)),
            ("explanation", Json::str(m.explanation)),
            ("fix", Json::str(m.fix)),
        ]),
        None => json::obj([("id", Json::str(id))]),
    }
}

// ---------------------------------------------------------------------------------------
// diagnoseSignature

/// Canonical texts larger than this are only checked, not searched for mistakes.
const MAX_SEARCH_BYTES: usize = 64 * 1024;

/// What a received signature decodes to.
struct Received {
    /// As shown back (trimmed, prefixes removed).
    text: String,
    digest: [u8; 32],
    uppercase: bool,
    base64: bool,
}

fn read_received(signature: &str) -> std::result::Result<Received, String> {
    let mut text = signature.trim();
    for prefix in ["x-signature:", "authorization:", "bearer "] {
        if text.len() >= prefix.len()
            && text
                .get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            text = text.get(prefix.len()..).unwrap_or_default().trim();
        }
    }
    let shown = text.to_string();
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        let mut digest = [0u8; 32];
        hex::decode_to_slice(text, &mut digest).map_err(|e| e.to_string())?;
        let uppercase = text.bytes().any(|b| b.is_ascii_uppercase());
        return Ok(Received {
            text: shown,
            digest,
            uppercase,
            base64: false,
        });
    }
    if (43..=44).contains(&text.len()) {
        if let Some(bytes) = base64_decode(text) {
            if let Ok(digest) = <[u8; 32]>::try_from(bytes.as_slice()) {
                return Ok(Received {
                    text: shown,
                    digest,
                    uppercase: false,
                    base64: true,
                });
            }
        }
    }
    let hint = match text.len() {
        0 => "it is empty".to_string(),
        40 => "40 characters is the length of a SHA-1 digest — use SHA-256".to_string(),
        128 => "128 characters is the length of a SHA-512 digest — use SHA-256".to_string(),
        64 => "it has characters that are not hex digits".to_string(),
        n => format!("it has {n} characters"),
    };
    Err(format!(
        "This is not a Tarlan signature: a signature is the SHA-256 digest written as 64 lowercase hex characters, and {hint}."
    ))
}

/// Whether `signature` matches the body and secret; if not, which common mistakes reproduce it.
pub fn diagnose(body: &str, secret: &str, signature: &str) -> Result<Json> {
    sign::validate_secret(secret)?;
    let canonical = sign::canonical_signable_text(body)?;
    let expected = sign::sign_canonical(&canonical, secret);
    let received = match read_received(signature) {
        Ok(received) => received,
        Err(message) => {
            return Ok(report(
                false,
                "malformed",
                &expected,
                signature.trim(),
                &[],
                None,
                &message,
                0,
            ));
        }
    };
    let mut format_mistakes: Vec<&str> = Vec::new();
    if received.base64 {
        format_mistakes.push("digest_base64");
    }
    if received.uppercase {
        format_mistakes.push("uppercase_hex");
    }
    if sign::lower_hex(&received.digest) == expected {
        if format_mistakes.is_empty() {
            let message =
                "The signature matches: it is the signature of this body with this secret.";
            return Ok(report(
                true,
                "match",
                &expected,
                &received.text,
                &[],
                None,
                message,
                1,
            ));
        }
        let message = summary(&format_mistakes);
        return Ok(report(
            false,
            "mistake",
            &expected,
            &received.text,
            &format_mistakes,
            None,
            &message,
            1,
        ));
    }
    if canonical.len() > MAX_SEARCH_BYTES {
        let message = "The signature does not match, and the body is too large to search for the usual mistakes: check the secret and that the body signed is byte for byte the body sent.";
        return Ok(report(
            false,
            "unknown",
            &expected,
            &received.text,
            &[],
            None,
            message,
            1,
        ));
    }
    let search = search(body, secret, &received.digest)?;
    match search.found {
        Some(found) => {
            let mut mistakes = found.mistakes.clone();
            mistakes.extend(format_mistakes.iter().copied());
            let message = summary(&mistakes);
            let reproduced = json::obj([
                ("text", Json::String(found.text)),
                ("encoded", Json::String(found.encoded)),
                ("hashed", Json::str(found.hashing.describe())),
            ]);
            Ok(report(
                false,
                "mistake",
                &expected,
                &received.text,
                &mistakes,
                Some(reproduced),
                &message,
                search.tried,
            ))
        }
        None => {
            let message = format!(
                "The signature does not match, and none of the {} usual wrong ways of signing this body with this secret reproduces it. Check that the secret is the one issued for this host and environment (test and production differ), that the body signed is byte for byte the body sent, and that the signature belongs to this request.",
                search.tried
            );
            Ok(report(
                false,
                "unknown",
                &expected,
                &received.text,
                &[],
                None,
                &message,
                search.tried,
            ))
        }
    }
}

fn summary(mistakes: &[&str]) -> String {
    let mut out = String::from("The signature does not match. It was reproduced with ");
    let titles: Vec<String> = mistakes
        .iter()
        .filter_map(|id| MISTAKES.iter().find(|m| m.id == *id))
        .map(|m| m.title.to_string())
        .collect();
    out.push_str(&match titles.len() {
        1 => "this mistake: ".to_string(),
        n => format!("these {n} mistakes: "),
    });
    out.push_str(&titles.join("; "));
    out.push_str(". Fix: ");
    let fixes: Vec<&str> = mistakes
        .iter()
        .filter_map(|id| MISTAKES.iter().find(|m| m.id == *id))
        .map(|m| m.fix)
        .collect();
    out.push_str(&fixes.join(" "));
    out
}

#[allow(clippy::too_many_arguments)]
fn report(
    matched: bool,
    verdict: &str,
    expected: &str,
    received: &str,
    mistakes: &[&str],
    reproduced: Option<Json>,
    message: &str,
    tried: usize,
) -> Json {
    json::obj([
        ("match", Json::Bool(matched)),
        ("verdict", Json::str(verdict)),
        ("expected", Json::str(expected)),
        ("received", Json::str(received)),
        (
            "mistakes",
            Json::Array(mistakes.iter().map(|id| mistake_json(id)).collect()),
        ),
        ("reproduced", reproduced.unwrap_or(Json::Null)),
        ("message", Json::str(message)),
        ("tried", Json::int(i64::try_from(tried).unwrap_or(i64::MAX))),
    ])
}

struct Found {
    mistakes: Vec<&'static str>,
    text: String,
    encoded: String,
    hashing: Hashing,
}

struct Search {
    found: Option<Found>,
    tried: usize,
}

/// Tries every combination of wrong text, encoding and hashing, fewest mistakes first.
fn search(body: &str, secret: &str, target: &[u8; 32]) -> Result<Search> {
    let input = sign::parse_body(body)?;
    let mut sorted = input.clone();
    sorted.canonicalize();
    let forms = TextForm::all();
    // Each distinct text once; a form whose text equals one with fewer mistakes is skipped
    // (the simpler explanation is tried first and wins).
    let mut texts: Vec<String> = Vec::with_capacity(forms.len());
    for form in &forms {
        let mut out = String::with_capacity(body.len());
        form.write(if form.unsorted { &input } else { &sorted }, true, &mut out);
        texts.push(out);
    }
    let mut order: Vec<usize> = (0..forms.len()).collect();
    order.sort_by_key(|&i| forms.get(i).map(|f| f.mistakes().len()).unwrap_or(0));
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    let mut distinct: Vec<usize> = Vec::new();
    for &i in &order {
        if let Some(text) = texts.get(i) {
            if !first_of.contains_key(text.as_str()) {
                first_of.insert(text.as_str(), i);
                distinct.push(i);
            }
        }
    }
    let encodings = [
        Base64Form::Standard,
        Base64Form::NoPadding,
        Base64Form::UrlSafe,
        Base64Form::UrlSafeNoPadding,
        Base64Form::None,
    ];
    let mut candidates: Vec<(usize, usize, Base64Form, Hashing)> = Vec::new();
    for &i in &distinct {
        let text_mistakes = forms.get(i).map(|f| f.mistakes().len()).unwrap_or(0);
        for encoding in encodings {
            for hashing in Hashing::ALL {
                let count = text_mistakes
                    + encoding_mistakes(encoding).len()
                    + usize::from(hashing.mistake().is_some());
                candidates.push((count, i, encoding, hashing));
            }
        }
    }
    candidates.sort_by_key(|c| c.0);
    let mut tried = 0;
    let mut encoded_cache: HashMap<(usize, u8), String> = HashMap::new();
    for (_, i, encoding, hashing) in candidates {
        let Some(text) = texts.get(i) else { continue };
        let encoded = encoded_cache
            .entry((i, encoding as u8))
            .or_insert_with(|| base64(text.as_bytes(), encoding));
        tried += 1;
        if hashing.digest(encoded, secret) == *target {
            let mut mistakes = forms.get(i).map(|f| f.mistakes()).unwrap_or_default();
            mistakes.extend(encoding_mistakes(encoding).iter().copied());
            mistakes.extend(hashing.mistake());
            return Ok(Search {
                found: Some(Found {
                    mistakes,
                    text: text.clone(),
                    encoded: encoded.clone(),
                    hashing,
                }),
                tried,
            });
        }
    }
    Ok(Search { found: None, tried })
}

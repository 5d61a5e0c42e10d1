//! Tarlan's request signature, shared by the AGWS and acquiring hosts:
//! `lowercase_hex(sha256(base64_std(canonical_json(signable_body)) + secret))`.
//! Plain SHA-256 over the base64 text with the secret appended — not HMAC.

use crate::error::{KassaError, Result};
use crate::json::{self, Json, Map, Sink as _, Value};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac_sha256::Hash as Sha256;
use subtle::ConstantTimeEq;

/// Top-level fields that never take part in the signature (documented for acquiring,
/// done by the AGWS Go client too).
pub const UNSIGNED_FIELDS: [&str; 1] = ["additional_data"];

/// True for the top-level entries that take part in the signature.
fn is_signed(key: &str, value: &Value) -> bool {
    !UNSIGNED_FIELDS.contains(&key) && !matches!(value, Value::String(s) if s.is_empty())
}

/// `is_signed` for a value given as its canonical text (the one-pass writer's view).
fn is_signed_text(key: &str, canonical_value: &str) -> bool {
    !UNSIGNED_FIELDS.contains(&key) && canonical_value != "\"\""
}

/// The body as it is signed: top-level `""` values and `additional_data` removed.
pub fn signable(body: &Map) -> Map {
    let mut signed = body.clone();
    signed.retain(|key, value| is_signed(key, &value.as_value()));
    signed
}

/// The canonical text of the signable subset of a parsed body object.
pub fn signable_canonical(body: &mut Value, capacity: usize) -> String {
    body.canonicalize();
    let mut out = String::with_capacity(capacity);
    json::write_filtered(body, &mut out, &is_signed);
    out
}

/// Signs already canonical JSON text.
pub fn sign_canonical(canonical: &str, secret: &str) -> String {
    let mut hash = Base64Sha256::new();
    hash.put(canonical);
    lower_hex(&hash.digest(secret))
}

/// Takes canonical text piece by piece and hashes its base64, encoded in pieces of whole
/// SHA-256 blocks (96 bytes become 128 characters): neither the text nor its base64 is ever
/// held whole.
struct Base64Sha256 {
    hasher: Sha256,
    pending: [u8; 96],
    len: usize,
}

impl Base64Sha256 {
    fn new() -> Base64Sha256 {
        Base64Sha256 {
            hasher: Sha256::new(),
            pending: [0; 96],
            len: 0,
        }
    }

    /// Encodes and hashes what is pending (with `=` padding if it is the end of the text).
    fn encode_pending(&mut self) {
        let mut encoded = [0u8; 128];
        let pending = self.pending.get(..self.len).unwrap_or_default();
        // Cannot fail: at most 96 bytes encode to at most 128 characters.
        let written = STANDARD.encode_slice(pending, &mut encoded).unwrap_or(0);
        self.hasher
            .update(encoded.get(..written).unwrap_or_default());
        self.len = 0;
    }

    /// `sha256(base64 + secret)`.
    fn digest(mut self, secret: &str) -> [u8; 32] {
        self.encode_pending();
        self.hasher.update(secret.as_bytes());
        self.hasher.finalize()
    }
}

impl json::Sink for Base64Sha256 {
    fn put(&mut self, text: &str) {
        let mut bytes = text.as_bytes();
        while !bytes.is_empty() {
            let free = self.pending.get_mut(self.len..).unwrap_or_default();
            let taken = free.len().min(bytes.len());
            let (now, later) = bytes.split_at(taken);
            if let Some(slot) = free.get_mut(..taken) {
                slot.copy_from_slice(now);
            }
            self.len += taken;
            bytes = later;
            if self.len == self.pending.len() {
                self.encode_pending();
            }
        }
    }
}

/// Lowercase hex of a SHA-256 digest.
pub fn lower_hex(digest: &[u8; 32]) -> String {
    let mut text = [0u8; 64];
    // Cannot fail: 32 bytes fill 64 characters exactly, all ASCII.
    let _ = hex::encode_to_slice(digest, &mut text);
    String::from_utf8(text.to_vec()).unwrap_or_default()
}

/// Signs a body object: the signable subset, canonicalized.
pub fn sign_map(body: &Map, secret: &str) -> String {
    let owned = Json::Object(body.clone());
    let mut view = owned.as_value();
    sign_canonical(&signable_canonical(&mut view, 256), secret)
}

/// Rejects secrets that cannot be what Tarlan issued: empty, or with whitespace or control
/// characters (a copy-paste that caught a space or a newline signs everything wrong).
pub fn validate_secret(secret: &str) -> Result<()> {
    if secret.is_empty() {
        return Err(KassaError::validation("secret", "must not be empty"));
    }
    if secret.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(KassaError::validation(
            "secret",
            "contains whitespace or control characters; copy the secret again without spaces or line breaks",
        ));
    }
    Ok(())
}

/// Parses a body given as JSON text (borrowing from it) and checks it is an object.
pub fn parse_body(text: &str) -> Result<Value<'_>> {
    match json::parse_value(text, json::Limits::default()) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(other) => Err(KassaError::validation(
            "body",
            format!(
                "must be a JSON object (got {})",
                other.into_owned().type_name()
            ),
        )),
        Err(e) => Err(invalid_body(e)),
    }
}

fn invalid_body(error: json::ParseError) -> KassaError {
    KassaError::validation("body", format!("is not valid JSON: {error}"))
}

/// The canonical signable text of a body given as JSON text, written in one pass
/// (`json::write_canonical_text`; the tree path above is its reference in the tests).
pub fn canonical_signable_text(body: &str) -> Result<String> {
    canonical_text_with(body, &is_signed_text)
}

/// The canonical text of a body object given as JSON text, with the top-level members `keep`
/// accepts (given the key and the value's canonical text): how callbacks and webhooks compute
/// each candidate set.
pub fn canonical_text_with(body: &str, keep: json::KeepMember<'_>) -> Result<String> {
    expect_object(body)?;
    let mut out = String::with_capacity(body.len());
    json::write_canonical_text(body, json::Limits::default(), keep, &mut out)
        .map_err(invalid_body)?;
    Ok(out)
}

/// Go's canonical text of a value kassa holds (a request body it built), by the one-pass
/// writer: the one canonicalizer in the `.wasm` of every Tarlan client, the same that
/// `tarlanSign` and `canonicalJson` use. (The tree writer, `Json::to_canonical`, is the tests'
/// reference; carrying both cost a second sort and tree walk in the wasm: README "Size and
/// speed".) The value's own compact text is valid JSON by construction; only its size is not
/// limited here, as it was limited when it was read.
pub fn canonical_of(value: &Json) -> Result<String> {
    let compact = value.to_compact();
    let limits = json::Limits {
        max_bytes: usize::MAX,
        ..json::Limits::default()
    };
    let mut out = String::with_capacity(compact.len());
    json::write_canonical_text(&compact, limits, &|_, _| true, &mut out)
        .map_err(|e| KassaError::decode(format!("a built body could not be canonicalized: {e}")))?;
    Ok(out)
}

/// Refuses a body that is not a JSON object with `parse_body`'s error, which says why.
fn expect_object(body: &str) -> Result<()> {
    if body
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with('{')
    {
        return Ok(());
    }
    parse_body(body).map(|_| ())
}

/// `tarlanSign`: the hex signature of a body given as JSON text.
pub fn sign_text(body: &str, secret: &str) -> Result<String> {
    sign_digest(body, secret).map(|digest| lower_hex(&digest))
}

/// The SHA-256 digest a signature is the hex of. The canonical text goes straight from the
/// body into base64 and the hash.
pub fn sign_digest(body: &str, secret: &str) -> Result<[u8; 32]> {
    validate_secret(secret)?;
    expect_object(body)?;
    let mut hash = Base64Sha256::new();
    json::write_canonical_text(body, json::Limits::default(), &is_signed_text, &mut hash)
        .map_err(invalid_body)?;
    Ok(hash.digest(secret))
}

/// `tarlanVerify`: constant-time comparison of the expected signature with a received one
/// (hex, case-insensitive; an optional `Bearer ` prefix is accepted).
pub fn verify_text(body: &str, secret: &str, signature: &str) -> Result<bool> {
    let expected = sign_text(body, secret)?;
    Ok(signatures_match(&expected, signature))
}

/// Compares an expected lowercase-hex signature with a received one in constant time
/// (the time depends only on the lengths, never on where the first difference is).
pub fn signatures_match(expected: &str, received: &str) -> bool {
    let received = received.trim();
    let received = received
        .strip_prefix("Bearer ")
        .or_else(|| received.strip_prefix("bearer "))
        .unwrap_or(received);
    if expected.len() != received.len() {
        return false;
    }
    let lowered: Vec<u8> = received.bytes().map(|b| b.to_ascii_lowercase()).collect();
    expected.as_bytes().ct_eq(&lowered).into()
}

/// How string values are escaped in the JSON that is signed (and sent). Tarlan's servers are
/// written in Go, so `Go` (the `json.Marshal` default: `&<>` and U+2028/U+2029 escaped, other
/// non-ASCII raw) is the default everywhere. The acquiring docs' PHP sample and other
/// languages' defaults differ on two points (acquiring spec §1.3.5), selectable per client:
/// `Raw` writes `&<>` and U+2028/U+2029 unescaped (JavaScript `JSON.stringify`, Python
/// `ensure_ascii=False`, PHP `JSON_UNESCAPED_UNICODE`); `Php` is PHP `json_encode` with
/// `JSON_UNESCAPED_SLASHES` (`&<>` raw, every non-ASCII character as lowercase `\uXXXX`,
/// `\b`/`\f` short escapes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escaping {
    Go,
    Raw,
    Php,
}

impl Escaping {
    pub const NAMES: [&'static str; 3] = ["go", "raw", "php"];

    pub fn from_name(name: &str) -> Option<Escaping> {
        match name {
            "go" => Some(Escaping::Go),
            "raw" => Some(Escaping::Raw),
            "php" => Some(Escaping::Php),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Escaping::Go => "go",
            Escaping::Raw => "raw",
            Escaping::Php => "php",
        }
    }

    /// Rewrites Go-canonical JSON text into this escaping. Every backslash in JSON text
    /// starts an escape, so escapes are recognized exactly (a literal `\` is `\\`).
    pub fn apply(self, go_canonical: &str) -> String {
        if self == Escaping::Go {
            return go_canonical.to_string();
        }
        let mut out = String::with_capacity(go_canonical.len() + 16);
        let mut chars = go_canonical.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                if self == Escaping::Php && !c.is_ascii() {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    }
                } else {
                    out.push(c);
                }
                continue;
            }
            let Some(next) = chars.next() else {
                out.push(c);
                break;
            };
            if next != 'u' {
                out.push(c);
                out.push(next);
                continue;
            }
            let hex: String = chars.by_ref().take(4).collect();
            let replacement = match (self, hex.as_str()) {
                (_, "0026") => Some("&"),
                (_, "003c") => Some("<"),
                (_, "003e") => Some(">"),
                (Escaping::Raw, "2028") => Some("\u{2028}"),
                (Escaping::Raw, "2029") => Some("\u{2029}"),
                (Escaping::Php, "0008") => Some("\\b"),
                (Escaping::Php, "000c") => Some("\\f"),
                _ => None,
            };
            match replacement {
                Some(text) => out.push_str(text),
                None => {
                    out.push_str("\\u");
                    out.push_str(&hex);
                }
            }
        }
        out
    }
}

/// The canonical signable text of a body object (top-level `""` and `additional_data`
/// dropped), in the given escaping.
pub fn signable_text(body: &Map, escaping: Escaping) -> String {
    let owned = Json::Object(body.clone());
    let mut view = owned.as_value();
    escaping.apply(&signable_canonical(&mut view, 256))
}

/// Which of the candidate field sets a received notification signature covers. Every candidate
/// is computed and compared in constant time (so timing does not tell which one, or how close,
/// a forgery came); the first allowed one that matches is returned.
pub fn matching_candidate<S: Copy + PartialEq>(
    candidates: &[S],
    allowed: &[S],
    signature: &str,
    mut expected: impl FnMut(S) -> Result<String>,
) -> Result<Option<S>> {
    let mut matched = None;
    for &set in candidates {
        let equal = signatures_match(&expected(set)?, signature);
        if equal && allowed.contains(&set) && matched.is_none() {
            matched = Some(set);
        }
    }
    Ok(matched)
}

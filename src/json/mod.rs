//! A small JSON value type with its own parser and writers.
//!
//! kassa does not use serde_json: the canonical form Tarlan signs is Go's `encoding/json`
//! output, which needs its own writer anyway, and a hand-written parser keeps the `.wasm`
//! small and lets us reject what Go would reject (lone surrogates, out-of-range numbers)
//! with errors that name the position instead of trapping.

mod canonical;
mod canonical_text;
pub mod number;
mod parse;
mod value;
mod write;

pub use canonical::{write_canonical, write_canonical_value, write_filtered, write_go_string};
pub use canonical_text::{write_canonical_text, KeepMember, Sink};
pub use parse::{parse, parse_value, parse_with_limits, Limits, ParseError};
pub use value::Value;
pub use write::write_compact;

/// A JSON value. Objects keep insertion order; the canonical writer sorts.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Json>),
    Object(Map),
}

/// A JSON number kept as the literal text it was written with, so amounts stay exact
/// until a provider's rules say how to render them.
#[derive(Clone, Debug, PartialEq)]
pub struct Number(String);

impl Number {
    /// Wraps an already validated JSON number literal.
    pub(crate) fn from_literal(literal: String) -> Number {
        Number(literal)
    }

    pub fn from_i64(n: i64) -> Number {
        Number(n.to_string())
    }

    pub fn literal(&self) -> &str {
        &self.0
    }

    /// The float64 value (platform parse); amounts never go through this.
    pub fn as_f64(&self) -> f64 {
        number::canonical_number(&self.0)
            .and_then(|text| text.parse().ok())
            .unwrap_or(f64::NAN)
    }

    /// The exact integer value, if the literal is an integer that fits in i64
    /// (`100`, `100.0` and `1e2` all count; `100.5` does not).
    pub fn as_i64(&self) -> Option<i64> {
        number::integer_value(&self.0)
    }

    /// Go's canonical text of this number.
    pub fn canonical(&self) -> String {
        let mut out = String::new();
        number::canonical_number_into(&self.0, &mut out);
        out
    }
}

/// An insertion-ordered JSON object. Lookups are linear: provider objects are small.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map(Vec<(String, Json)>);

impl Map {
    pub fn new() -> Map {
        Map(Vec::new())
    }

    pub fn get(&self, key: &str) -> Option<&Json> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Member lookup that falls back to ignoring ASCII case (Assist writes `Payment_ID`,
    /// `payment_id` and `PAYMENT_ID` in different services): the exact key wins.
    pub fn get_ci(&self, key: &str) -> Option<&Json> {
        self.get(key).or_else(|| {
            self.0
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        })
    }

    /// The member's text (`Json::as_nonblank_text`), owned: how ids and receipt fields are read.
    pub fn text_of(&self, key: &str) -> Option<String> {
        self.get(key)
            .and_then(Json::as_nonblank_text)
            .map(String::from)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// Sets `key`, replacing an existing value in place (so the last duplicate wins, as in Go).
    pub fn insert(&mut self, key: impl Into<String>, value: Json) {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Json> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(index).1)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&str, &Json) -> bool) {
        self.0.retain(|(k, v)| keep(k, v));
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Json)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut Json)> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Compact JSON text of this object.
    pub fn to_compact(&self) -> String {
        Json::Object(self.clone()).to_compact()
    }
}

impl FromIterator<(String, Json)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Json)>>(iter: I) -> Map {
        let mut map = Map::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl Json {
    pub fn str(s: impl Into<String>) -> Json {
        Json::String(s.into())
    }

    pub fn int(n: i64) -> Json {
        Json::Number(Number::from_i64(n))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// A string, or a number's literal, as text: how providers that mix `"141"` and `141`
    /// are read.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            Json::Number(n) => Some(n.literal()),
            _ => None,
        }
    }

    /// `as_text` trimmed, with blank text read as absent (a blank id identifies nothing).
    pub fn as_nonblank_text(&self) -> Option<&str> {
        self.as_text().map(str::trim).filter(|s| !s.is_empty())
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Json>> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Json::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// Member lookup that treats a non-object as having no members.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object().and_then(|m| m.get(key))
    }

    /// `Map::text_of` of an object; a non-object has no members.
    pub fn text_of(&self, key: &str) -> Option<String> {
        self.as_object().and_then(|m| m.text_of(key))
    }

    /// Follows a path of object keys.
    pub fn pointer(&self, path: &[&str]) -> Option<&Json> {
        path.iter().try_fold(self, |v, k| v.get(k))
    }

    /// Short name of the JSON type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }

    /// Compact JSON text in insertion order (what we hand back to JavaScript).
    pub fn to_compact(&self) -> String {
        let mut out = String::new();
        write_compact(self, &mut out);
        out
    }

    /// Go `encoding/json` canonical text: sorted keys, Go number and string rules.
    pub fn to_canonical(&self) -> String {
        let mut out = String::new();
        write_canonical(self, &mut out);
        out
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::String(s.to_string())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::String(s)
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

impl From<i64> for Json {
    fn from(n: i64) -> Json {
        Json::int(n)
    }
}

impl From<Map> for Json {
    fn from(m: Map) -> Json {
        Json::Object(m)
    }
}

/// Builds an object from `(key, value)` pairs: `obj([("a", 1.into())])`.
pub fn obj<const N: usize>(pairs: [(&str, Json); N]) -> Json {
    Json::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

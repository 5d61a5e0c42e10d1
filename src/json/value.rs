//! A borrowed JSON tree: what the parser produces. Strings without escapes and every number
//! literal point into the input, so parsing a body to sign allocates almost nothing. Owned
//! `Json` values are made from it (`into_owned`) or viewed as it (`Json::as_value`).

use super::{Json, Map, Number};
use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// The number literal exactly as written.
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    /// Entries in input order; duplicates are kept until `canonicalize` or `into_owned`.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl Value<'_> {
    pub fn into_owned(self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(b),
            Value::Number(n) => Json::Number(Number::from_literal(n.to_string())),
            Value::String(s) => Json::String(s.into_owned()),
            Value::Array(items) => Json::Array(items.into_iter().map(Value::into_owned).collect()),
            Value::Object(entries) => {
                // `Map::insert` replaces: the last of duplicate keys wins, as in Go.
                let mut map = Map::new();
                for (k, v) in entries {
                    map.insert(k.into_owned(), v.into_owned());
                }
                Json::Object(map)
            }
        }
    }

    /// Sorts object keys byte-wise at every level and keeps only the last of duplicate keys:
    /// the order and content Go's `map[string]interface{}` marshals.
    pub fn canonicalize(&mut self) {
        match self {
            Value::Array(items) => items.iter_mut().for_each(Value::canonicalize),
            Value::Object(entries) => {
                // Stable: among equal keys the input order survives, so the last one is the latest.
                entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                let mut i = 0;
                while i + 1 < entries.len() {
                    let same = matches!((entries.get(i), entries.get(i + 1)), (Some(a), Some(b)) if a.0 == b.0);
                    if same {
                        entries.remove(i);
                    } else {
                        i += 1;
                    }
                }
                entries.iter_mut().for_each(|(_, v)| v.canonicalize());
            }
            _ => {}
        }
    }
}

impl Json {
    /// A borrowed view of this value (no string copies).
    pub fn as_value(&self) -> Value<'_> {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.literal()),
            Json::String(s) => Value::String(Cow::Borrowed(s)),
            Json::Array(items) => Value::Array(items.iter().map(Json::as_value).collect()),
            Json::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), v.as_value()))
                    .collect(),
            ),
        }
    }
}

//! Declarative field schemas. Every operation's params and result are described once as
//! `Field` tables; the same tables validate requests, decode responses (missing required
//! fields are decode errors, unknown extra fields are kept) and generate the TypeScript
//! declarations, so types are never written twice.

use crate::error::{KassaError, Result};
use crate::json::{Json, Map, Number};
use crate::money;

#[derive(Clone, Copy, Debug)]
pub enum Ty {
    /// Any string.
    Str,
    /// An integer (JSON number without a fractional part).
    Int,
    /// Any finite JSON number.
    Num,
    /// A money amount with at most `scale` decimals. In params it may be a number or a
    /// decimal string and is sent as the provider's number form; in results it stays a number.
    Money {
        scale: u8,
    },
    /// An exact decimal kept as a string in results (numbers and strings accepted).
    Decimal,
    Bool,
    /// A closed set in params; in results unknown values are kept (providers add values).
    Enum(&'static [&'static str]),
    Object(&'static [Field]),
    /// An object whose type has a name in the TypeScript declarations.
    Named(&'static str, &'static [Field]),
    Array(&'static Ty),
    /// Free-form JSON object (e.g. `additional_data`).
    AnyObject,
    /// Any JSON value.
    Any,
    /// The first alternative that accepts the value wins.
    OneOf(&'static [Ty]),
    /// `null` is a valid value.
    Nullable(&'static Ty),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    Required,
    Optional,
    /// Not on the wire: added to results by the SDK (e.g. `outcome`).
    Computed,
}

/// A rule beyond the type, with the sentence that explains it in errors.
#[derive(Debug)]
pub struct Check {
    pub rule: &'static str,
    pub test: fn(&Json) -> bool,
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub presence: Presence,
    pub doc: &'static str,
    pub check: Option<&'static Check>,
    /// Other spellings accepted in responses and renamed to `name`.
    pub aliases: &'static [&'static str],
    /// Required on the wire, but the SDK fills it when the caller leaves it out (a `prefill`
    /// hook), so it is optional for the caller.
    pub sdk_default: bool,
}

/// A URL the provider will call or send the customer to (callbacks, redirects).
pub static HTTP_URL: Check = Check {
    rule: "must be an absolute http(s) URL without spaces",
    test: |v| v.as_str().and_then(crate::http::HttpUrl::parse).is_some(),
};

/// Text needed only to generate TypeScript and docs: compiled out of the `.wasm` (it ships
/// in each entry's `index.d.ts` and `describe` catalog instead), which keeps the binary small.
pub const fn native_only(text: &'static str) -> &'static str {
    if cfg!(target_arch = "wasm32") {
        ""
    } else {
        text
    }
}

impl Field {
    pub const fn req(name: &'static str, ty: Ty, doc: &'static str) -> Field {
        Field {
            name,
            ty,
            presence: Presence::Required,
            doc: native_only(doc),
            check: None,
            aliases: &[],
            sdk_default: false,
        }
    }

    pub const fn opt(name: &'static str, ty: Ty, doc: &'static str) -> Field {
        Field {
            presence: Presence::Optional,
            ..Field::req(name, ty, doc)
        }
    }

    pub const fn computed(name: &'static str, ty: Ty, doc: &'static str) -> Field {
        Field {
            presence: Presence::Computed,
            ..Field::req(name, ty, doc)
        }
    }

    pub const fn check(self, check: &'static Check) -> Field {
        Field {
            check: Some(check),
            ..self
        }
    }

    pub const fn aliases(self, aliases: &'static [&'static str]) -> Field {
        Field { aliases, ..self }
    }

    /// Marks a required field that a `prefill` hook fills when the caller omits it.
    pub const fn sdk_default(self) -> Field {
        Field {
            sdk_default: true,
            ..self
        }
    }

    pub fn is_required(&self) -> bool {
        self.presence == Presence::Required
    }
}

pub fn find_field<'a>(fields: &'a [Field], name: &str) -> Option<&'a Field> {
    fields.iter().find(|f| f.name == name)
}

// ---------------------------------------------------------------------------------------
// Request validation

/// How strict request validation is about parameters the table does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extra {
    /// An unknown parameter is a validation error (with a "did you mean" hint).
    Reject,
    /// Unknown parameters are passed through unchanged (documented as uncaptured upstream).
    PassThrough,
}

/// Validates and normalizes request params: drops `null` and empty optional values (they are
/// never sent), rejects missing or empty required ones, checks types and rules, and rewrites
/// money amounts into their exact wire form.
pub fn validate_params(fields: &[Field], params: Map, extra: Extra) -> Result<Map> {
    validate_object(fields, params, extra, "")
}

fn join_path(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn validate_object(fields: &[Field], mut params: Map, extra: Extra, prefix: &str) -> Result<Map> {
    if extra == Extra::Reject {
        if let Some(unknown) = params.keys().find(|k| find_field(fields, k).is_none()) {
            let path = join_path(prefix, unknown);
            let hint = match suggest(unknown, fields) {
                Some(name) => format!("is not a known parameter: did you mean `{name}`?"),
                None => format!(
                    "is not a known parameter; known parameters: {}",
                    fields
                        .iter()
                        .filter(|f| f.presence != Presence::Computed)
                        .map(|f| f.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            return Err(KassaError::validation(path, hint));
        }
    }
    params.retain(|_, v| !v.is_null());
    for field in fields {
        if field.presence == Presence::Computed {
            continue;
        }
        let path = join_path(prefix, field.name);
        let is_empty_string =
            matches!(params.get(field.name), Some(Json::String(s)) if s.is_empty());
        if is_empty_string {
            if field.is_required() {
                return Err(KassaError::validation(path, "must not be empty"));
            }
            params.remove(field.name);
            continue;
        }
        let Some(value) = params.remove(field.name) else {
            if field.is_required() {
                return Err(KassaError::validation(&path, "is required"));
            }
            continue;
        };
        let value = validate_value(&field.ty, value, &path)?;
        if let Some(check) = field.check {
            if !(check.test)(&value) {
                return Err(KassaError::validation(path, check.rule));
            }
        }
        params.insert(field.name, value);
    }
    Ok(params)
}

fn type_error(path: &str, expected: &str, got: &Json) -> KassaError {
    KassaError::validation(
        path,
        format!("must be {expected} (got {})", got.type_name()),
    )
}

fn validate_value(ty: &Ty, value: Json, path: &str) -> Result<Json> {
    match ty {
        Ty::Str => match value {
            Json::String(_) => Ok(value),
            other => Err(type_error(path, "a string", &other)),
        },
        Ty::Int => match value.as_i64() {
            Some(n) => Ok(Json::int(n)),
            None => Err(type_error(path, "an integer", &value)),
        },
        Ty::Num => match value {
            Json::Number(_) => Ok(value),
            other => Err(type_error(path, "a number", &other)),
        },
        Ty::Money { scale } => money::wire_amount(&value, *scale)
            .map(Json::Number)
            .map_err(|rule| KassaError::validation(path, rule)),
        Ty::Decimal => match &value {
            Json::String(s) if money::is_decimal(s) => Ok(value),
            Json::Number(_) => Ok(value),
            _ => Err(type_error(
                path,
                "a decimal number or decimal string",
                &value,
            )),
        },
        Ty::Bool => match value {
            Json::Bool(_) => Ok(value),
            other => Err(type_error(path, "a boolean", &other)),
        },
        Ty::Enum(allowed) => match value.as_str() {
            Some(s) if allowed.contains(&s) => Ok(value),
            _ => Err(KassaError::validation(
                path,
                format!("must be one of: {}", allowed.join(", ")),
            )),
        },
        Ty::Object(fields) | Ty::Named(_, fields) => match value {
            Json::Object(map) => {
                validate_object(fields, map, Extra::Reject, path).map(Json::Object)
            }
            other => Err(type_error(path, "an object", &other)),
        },
        Ty::Array(item) => match value {
            Json::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| validate_value(item, v, &format!("{path}[{i}]")))
                .collect::<Result<Vec<_>>>()
                .map(Json::Array),
            other => Err(type_error(path, "an array", &other)),
        },
        Ty::AnyObject => match value {
            Json::Object(_) => Ok(value),
            other => Err(type_error(path, "an object", &other)),
        },
        Ty::Any => Ok(value),
        Ty::OneOf(options) => {
            let mut first_error = None;
            for option in *options {
                match validate_value(option, value.clone(), path) {
                    Ok(v) => return Ok(v),
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            Err(first_error.unwrap_or_else(|| type_error(path, "a valid value", &value)))
        }
        Ty::Nullable(inner) => match value {
            Json::Null => Ok(Json::Null),
            other => validate_value(inner, other, path),
        },
    }
}

/// The known field a mistyped parameter most likely meant: same letters ignoring case and
/// separators (`externalId` → `external_id`), else edit distance ≤ 2.
fn suggest(unknown: &str, fields: &[Field]) -> Option<&'static str> {
    let squash = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect::<String>()
    };
    let wanted = squash(unknown);
    fields
        .iter()
        .find(|f| squash(f.name) == wanted)
        .or_else(|| {
            fields
                .iter()
                .map(|f| (edit_distance(&wanted, &squash(f.name)), f))
                .filter(|(d, _)| *d <= 2)
                .min_by_key(|(d, _)| *d)
                .map(|(_, f)| f)
        })
        .map(|f| f.name)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let best = (prev + cost).min(above + 1).min(left + 1);
            prev = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = best;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

// ---------------------------------------------------------------------------------------
// Response decoding

/// Checks a response payload against its schema: required fields present, types right,
/// aliases renamed; unknown fields are kept so nothing the provider adds is lost.
pub fn decode(ty: &Ty, value: Json, path: &str) -> Result<Json> {
    match ty {
        Ty::Str => match value {
            Json::String(_) => Ok(value),
            other => Err(decode_type_error(path, "a string", &other)),
        },
        Ty::Int => match &value {
            Json::Number(n) if n.as_i64().is_some() => Ok(value),
            Json::String(s) if s.trim().parse::<i64>().is_ok() => {
                Ok(Json::int(s.trim().parse().unwrap_or_default()))
            }
            other => Err(decode_type_error(path, "an integer", other)),
        },
        Ty::Num | Ty::Money { .. } => match &value {
            Json::Number(_) => Ok(value),
            // Legacy pages print amounts as strings ("100"): accept and keep exact, as a valid
            // JSON number (`"050"` is 50; one beyond float64 is no amount).
            Json::String(s)
                if money::is_decimal(s.trim())
                    && crate::json::number::fits_float64(&money::decimal_literal(s.trim())) =>
            {
                Ok(Json::Number(Number::from_literal(money::decimal_literal(
                    s.trim(),
                ))))
            }
            other => Err(decode_type_error(path, "a number", other)),
        },
        Ty::Decimal => match value {
            Json::Number(n) => Ok(Json::String(n.literal().to_string())),
            Json::String(s) if money::is_decimal(s.trim()) => {
                Ok(Json::String(s.trim().to_string()))
            }
            other => Err(decode_type_error(path, "a decimal number", &other)),
        },
        Ty::Bool => match &value {
            Json::Bool(_) => Ok(value),
            Json::String(s) if s.eq_ignore_ascii_case("true") => Ok(Json::Bool(true)),
            Json::String(s) if s.eq_ignore_ascii_case("false") => Ok(Json::Bool(false)),
            other => Err(decode_type_error(path, "a boolean", other)),
        },
        Ty::Enum(_) => match value {
            Json::String(_) => Ok(value),
            other => Err(decode_type_error(path, "a string", &other)),
        },
        Ty::Object(fields) | Ty::Named(_, fields) => match value {
            Json::Object(map) => decode_object(fields, map, path).map(Json::Object),
            other => Err(decode_type_error(path, "an object", &other)),
        },
        Ty::Array(item) => match value {
            Json::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| decode(item, v, &format!("{path}[{i}]")))
                .collect::<Result<Vec<_>>>()
                .map(Json::Array),
            other => Err(decode_type_error(path, "an array", &other)),
        },
        Ty::AnyObject => match value {
            Json::Object(_) => Ok(value),
            other => Err(decode_type_error(path, "an object", &other)),
        },
        Ty::Any => Ok(value),
        Ty::OneOf(options) => {
            let mut first_error = None;
            for option in *options {
                match decode(option, value.clone(), path) {
                    Ok(v) => return Ok(v),
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            Err(first_error.unwrap_or_else(|| decode_type_error(path, "a known shape", &value)))
        }
        Ty::Nullable(inner) => match value {
            Json::Null => Ok(Json::Null),
            other => decode(inner, other, path),
        },
    }
}

fn decode_type_error(path: &str, expected: &str, got: &Json) -> KassaError {
    KassaError::decode(format!(
        "response field `{path}` should be {expected} but is {}",
        got.type_name()
    ))
    .with_field(path)
}

fn decode_object(fields: &[Field], mut map: Map, path: &str) -> Result<Map> {
    for field in fields {
        if field.presence == Presence::Computed {
            continue;
        }
        if !map.contains_key(field.name) {
            if let Some(alias) = field.aliases.iter().find(|a| map.contains_key(a)) {
                if let Some(v) = map.remove(alias) {
                    map.insert(field.name, v);
                }
            }
        }
        let field_path = join_path(path, field.name);
        match map.get_mut(field.name) {
            None => {
                if field.is_required() {
                    return Err(KassaError::decode(format!(
                        "response is missing the required field `{field_path}`"
                    ))
                    .with_field(field_path));
                }
            }
            Some(Json::Null) if !matches!(field.ty, Ty::Nullable(_) | Ty::Any) => {
                if field.is_required() {
                    return Err(KassaError::decode(format!(
                        "response field `{field_path}` is null but required"
                    ))
                    .with_field(field_path));
                }
            }
            Some(slot) => {
                // Decode in place so the provider's field order is kept.
                let value = std::mem::replace(slot, Json::Null);
                *slot = decode(&field.ty, value, &field_path)?;
            }
        }
    }
    Ok(map)
}

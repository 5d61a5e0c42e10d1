//! The canonical form Tarlan signs: exactly what Go's `encoding/json` prints after decoding
//! the body into `map[string]interface{}` — keys sorted byte-wise at every level, no
//! whitespace, every number re-printed as a float64, HTML-sensitive characters escaped.

use super::number::canonical_number_into;
use super::value::Value;
use super::Json;
use std::fmt::Write as _;

/// Canonical text of a value (sorts a borrowed copy; the value itself is untouched).
pub fn write_canonical(value: &Json, out: &mut String) {
    let mut view = value.as_value();
    view.canonicalize();
    write_canonical_value(&view, out);
}

/// Writes an already `canonicalize`d value.
pub fn write_canonical_value(value: &Value, out: &mut String) {
    write_filtered(value, out, &|_, _| true);
}

/// Writes an already `canonicalize`d value, keeping only the top-level entries `keep`
/// accepts (how Tarlan's signable subset is written without copying the body).
pub fn write_filtered(value: &Value, out: &mut String, keep: &dyn Fn(&str, &Value) -> bool) {
    match value {
        Value::Object(entries) => {
            out.push('{');
            let mut first = true;
            for (key, item) in entries.iter().filter(|(k, v)| keep(k, v)) {
                if !first {
                    out.push(',');
                }
                first = false;
                write_go_string(key, out);
                out.push(':');
                write_canonical_value(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical_value(item, out);
            }
            out.push(']');
        }
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(literal) => canonical_number_into(literal, out),
        Value::String(s) => write_go_string(s, out),
    }
}

/// Bytes that need attention in a Go-escaped string: controls, `"`, `\\`, `<`, `>`, `&`, and
/// 0xE2 (the lead byte of U+2028/U+2029). Everything else is copied in runs.
#[allow(clippy::indexing_slicing)] // const evaluation: an out-of-range index fails the build
pub(super) static NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = true;
        i += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'&' as usize] = true;
    table[0xE2] = true;
    table
};

/// Go's string encoding with HTML escaping on (the `json.Marshal` default).
/// `\b` and `\f` are written as `\u0008` and `\u000c`, as Go did before 1.22 (see README).
pub fn write_go_string(s: &str, out: &mut String) {
    out.push('"');
    let bytes = s.as_bytes();
    let needs_escape = |b: &u8| NEEDS_ESCAPE.get(usize::from(*b)).copied().unwrap_or(false);
    // Most strings need no escaping at all: find the first byte that might, in one scan.
    let Some(first) = bytes.iter().position(needs_escape) else {
        out.push_str(s);
        out.push('"');
        return;
    };
    let mut run_start = 0;
    let mut i = first;
    while let Some(&b) = bytes.get(i) {
        if !NEEDS_ESCAPE.get(usize::from(b)).copied().unwrap_or(false) {
            i += 1;
            continue;
        }
        let (escaped, width): (&str, usize) = match b {
            b'"' => ("\\\"", 1),
            b'\\' => ("\\\\", 1),
            b'\n' => ("\\n", 1),
            b'\r' => ("\\r", 1),
            b'\t' => ("\\t", 1),
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0xE2 => match bytes.get(i + 1..i + 3) {
                Some([0x80, 0xA8]) => ("\\u2028", 3),
                Some([0x80, 0xA9]) => ("\\u2029", 3),
                _ => {
                    i += 1;
                    continue;
                }
            },
            _ => ("", 1),
        };
        out.push_str(s.get(run_start..i).unwrap_or_default());
        if escaped.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(escaped);
        }
        i += width;
        run_start = i;
    }
    out.push_str(s.get(run_start..).unwrap_or_default());
    out.push('"');
}

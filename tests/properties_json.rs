//! kassa's JSON parser against serde_json on generated JSON text — valid documents with every
//! number form, escape and nesting, and mutations of them that break the grammar. Both must give
//! the same verdict and, when they accept, the same value (numbers literal for literal: serde_json
//! runs with `arbitrary_precision`). The differences are deliberate and asserted as such:
//! - kassa rejects numbers outside float64 (Go's `encoding/json` does: a body Go cannot decode
//!   must not be signed); serde_json with `arbitrary_precision` keeps them;
//! - kassa allows 129 levels of arrays and objects (128 below the top-level value), serde_json 127;
//! - kassa refuses texts over its size limit (1 MiB by default).
//!
//! Lone UTF-16 surrogates (`"\ud800"`) are refused by both.

#[path = "fuzz/targets.rs"]
mod targets;

use kassa::json::{self, Limits};
use proptest::prelude::*;
use serde_json::Value;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 1000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Whitespace JSON allows between tokens.
fn ws() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(String::new()),
        1 => "[ \t\n\r]{1,3}",
    ]
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?(0|[1-9][0-9]{0,6})(\\.[0-9]{1,6})?",
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?",
        // Near and beyond the float64 range (1.8e308, 5e-324).
        "-?[1-9](\\.[0-9]{1,20})?[eE][+-]?(30[0-9]|3[1-2][0-9]|400|9999)",
        "-?[1-9][0-9]{300,320}",
        // Exponents past i64: 0 or beyond float64, whatever the digits.
        "-?[0-9](\\.[0-9]{1,3})?[eE][+-]?[1-9][0-9]{18,40}",
    ]
}

/// Number literals outside JSON's grammar, each a form some parser lets through: leading zeros,
/// a bare or missing fraction, a plus sign, an empty exponent, a lone or doubled minus, hex, and
/// the non-finite names.
fn invalid_number() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?0[0-9]{1,3}(\\.[0-9]{1,3})?",
        "-?[0-9]{1,3}\\.([eE][+-]?[0-9]{1,2})?",
        "-?\\.[0-9]{1,3}",
        "\\+[0-9]{1,3}(\\.[0-9])?",
        "-?[1-9][0-9]{0,2}(\\.[0-9])?[eE][+-]?",
        Just("-".to_string()),
        "--[0-9]{1,3}",
        "-?0[xX][0-9a-fA-F]{1,4}",
        "[+-]?(NaN|Infinity|nan|inf)",
    ]
}

/// An invalid number alone, or beside a valid one as an array element or an object member value.
fn invalid_number_in_context() -> impl Strategy<Value = String> {
    (invalid_number(), number(), 0..3u8, any::<bool>()).prop_map(|(bad, good, place, first)| {
        let (x, y) = if first { (&bad, &good) } else { (&good, &bad) };
        match place {
            0 => bad.clone(),
            1 => format!("[{x},{y}]"),
            _ => format!("{{\"a\":{x},\"b\":{y}}}"),
        }
    })
}

/// String bodies with raw text (ASCII, HTML-sensitive and non-ASCII characters), every short
/// escape, `\u` escapes (random ones hit lone surrogates), surrogate pairs and lone surrogates.
fn string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z0-9 <>&'/]{1,4}",
        "[^\"\\\\\\x00-\\x1f]{1,2}",
        "\\\\[\"\\\\/bfnrt]",
        "\\\\u[0-9a-fA-F]{4}",
        "\\\\u[dD][89abAB][0-9a-fA-F]{2}\\\\u[dD][c-fC-F][0-9a-fA-F]{2}",
        "\\\\u[dD][89abAB][0-9a-fA-F]{2}",
        "\\\\u[dD][c-fC-F][0-9a-fA-F]{2}",
    ];
    proptest::collection::vec(piece, 0..6).prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

fn key() -> impl Strategy<Value = String> {
    // A small key space so that duplicate keys are common.
    prop_oneof![3 => "\"[a-d]\"", 1 => string()]
}

fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        number(),
        string(),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec((ws(), inner.clone(), ws()), 0..6).prop_map(|items| {
                let items: Vec<String> = items
                    .into_iter()
                    .map(|(a, v, b)| format!("{a}{v}{b}"))
                    .collect();
                format!("[{}]", items.join(","))
            }),
            proptest::collection::vec((ws(), key(), ws(), inner, ws()), 0..6).prop_map(|entries| {
                let entries: Vec<String> = entries
                    .into_iter()
                    .map(|(a, k, b, v, c)| format!("{a}{k}{b}:{v}{c}"))
                    .collect();
                format!("{{{}}}", entries.join(","))
            }),
        ]
    })
    .prop_flat_map(|doc| (ws(), Just(doc), ws()))
    .prop_map(|(a, doc, b)| format!("{a}{doc}{b}"))
}

/// A document with one edit: a character deleted, inserted or replaced, or the text cut short.
fn mutated() -> impl Strategy<Value = String> {
    let edits = prop_oneof![
        Just(""),
        Just(","),
        Just(":"),
        Just("["),
        Just("]"),
        Just("{"),
        Just("}"),
        Just("\""),
        Just("\\"),
        Just("0"),
        Just("-"),
        Just("."),
        Just("e"),
        Just("+"),
        Just(" "),
        Just("\u{0}"),
        Just("\u{1f}"),
        Just("\u{7f}"),
        Just("\u{a0}"),
        Just("\u{feff}"),
        Just("NaN"),
        Just("u"),
        Just("'"),
        Just("/*"),
    ];
    (
        document(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        edits,
        0..3u8,
    )
        .prop_map(|(doc, at, end, edit, mode)| {
            let boundaries: Vec<usize> = (0..=doc.len())
                .filter(|&i| doc.is_char_boundary(i))
                .collect();
            let start = boundaries[at.index(boundaries.len())];
            match mode {
                0 => format!("{}{edit}{}", &doc[..start], &doc[start..]),
                1 => {
                    let stop = boundaries[end.index(boundaries.len())].max(start);
                    let stop = boundaries
                        .iter()
                        .copied()
                        .find(|&b| b > start)
                        .unwrap_or(stop)
                        .min(doc.len());
                    format!("{}{edit}{}", &doc[..start], &doc[stop..])
                }
                _ => doc[..start].to_string(),
            }
        })
}

/// Nesting right at both parsers' limits.
fn deep() -> impl Strategy<Value = String> {
    (120usize..140, any::<bool>(), any::<bool>()).prop_map(|(levels, objects, leaf)| {
        let (open, close) = if objects {
            ("{\"k\":[", "]}")
        } else {
            ("[", "]")
        };
        let inner = if leaf { "1" } else { "" };
        format!("{}{inner}{}", open.repeat(levels), close.repeat(levels))
    })
}

fn compare(text: &str) -> Result<(), TestCaseError> {
    // The oracle is the json_parse fuzz target's (a panic fails the case).
    targets::json_against_serde(text);
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn valid_documents_agree_with_serde_json(text in document()) {
        compare(&text)?;
    }

    #[test]
    fn broken_documents_agree_with_serde_json(text in mutated()) {
        compare(&text)?;
    }

    #[test]
    fn nesting_limits_differ_only_as_documented(text in deep()) {
        compare(&text)?;
    }

    #[test]
    fn number_literals_agree_with_serde_json(text in number()) {
        compare(&text)?;
    }

    #[test]
    fn invalid_number_literals_are_refused_like_serde_json(text in invalid_number_in_context()) {
        prop_assert!(serde_json::from_str::<Value>(&text).is_err(), "serde_json read {:?}", text);
        prop_assert!(json::parse(&text).is_err(), "kassa read {:?}", text);
        compare(&text)?;
    }

    #[test]
    fn canonical_form_matches_the_go_model(text in document()) {
        // The json_canonical fuzz target: the Go encoding/json model, idempotence, escapings,
        // the signature (a panic fails the case).
        targets::json_canonical(text.as_bytes());
    }

    #[test]
    fn canonical_numbers_match_the_go_model(text in number()) {
        targets::json_canonical(format!("{{\"n\":{text}}}").as_bytes());
    }
}

#[test]
fn documented_differences() {
    // Numbers beyond float64: kassa refuses them (as Go does), serde_json keeps the literal.
    for text in ["1e309", "-1.8e308", "[1e400]"] {
        assert_eq!(
            json::parse(text).unwrap_err().reason,
            "number is out of the float64 range"
        );
        assert!(serde_json::from_str::<Value>(text).is_ok(), "{text}");
    }
    // Numbers that underflow are read by both.
    assert!(json::parse("1e-400").is_ok() && serde_json::from_str::<Value>("1e-400").is_ok());
    // Depth: 129 levels are kassa's maximum (128 below the top-level value), 127 serde_json's.
    let nested = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    assert!(json::parse(&nested(129)).is_ok());
    assert!(json::parse(&nested(130)).is_err());
    assert!(serde_json::from_str::<Value>(&nested(127)).is_ok());
    assert!(serde_json::from_str::<Value>(&nested(128)).is_err());
    // Lone surrogates: refused by both.
    for text in [
        r#""\ud800""#,
        r#""\udc00""#,
        r#""\ud800\u0041""#,
        r#""\ud800x""#,
    ] {
        assert!(json::parse(text).is_err(), "{text}");
        assert!(serde_json::from_str::<Value>(text).is_err(), "{text}");
    }
    // The size limit.
    let big = format!("\"{}\"", "x".repeat(1 << 20));
    assert_eq!(
        json::parse(&big).unwrap_err().reason,
        "input is larger than the size limit"
    );
    let roomy = Limits {
        max_bytes: 2 << 20,
        ..Limits::default()
    };
    assert!(json::parse_with_limits(&big, roomy).is_ok());
}

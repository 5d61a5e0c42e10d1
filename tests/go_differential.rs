//! The Go differential (issue 11): generated JSON texts go through Go's `encoding/json` (the
//! oracle in tests/go/oracle, one process for all of them) and through kassa natively; the
//! canonical text, the signed text and the signature must be identical. Texts kassa refuses
//! by design (lone surrogates, which Go turns into U+FFFD) are counted and listed, never
//! skipped; a text Go refuses must be refused by kassa too. No Go is a failure, not a skip.
//!
//! tests/js/go-differential.test.mjs runs the same texts through the wasm build in Node.

use base64::Engine as _;
use std::process::Command;

const SEED: &str = "11";
const COUNT: usize = 12_000;
const SECRET: &str = "12345";

struct Record {
    n: usize,
    flags: Vec<String>,
    text: String,
    /// Go's answers, or the reason it refused the text.
    go: Result<(String, String, String), String>,
}

fn decode(field: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(field)
        .unwrap_or_else(|e| panic!("oracle output is not base64 ({e}): {field}"));
    String::from_utf8(bytes).expect("oracle texts are UTF-8")
}

fn oracle() -> (String, Vec<Record>) {
    let output = Command::new("bash")
        .args(["tests/go/oracle.sh", "gen", "--seed", SEED, "--count"])
        .arg(COUNT.to_string())
        .args(["--secret", SECRET])
        .output()
        .expect("bash runs tests/go/oracle.sh");
    assert!(
        output.status.success(),
        "the Go oracle did not run (Go is required; ./scripts/setup.sh --go installs Debian's golang-go): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("oracle output is UTF-8");
    let mut lines = stdout.lines();
    let header = lines
        .next()
        .expect("a header line")
        .trim_start_matches("# ")
        .to_string();
    let records = lines
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 6, "oracle line: {line}");
            let go = match fields[5].strip_prefix("go-error:") {
                Some(reason) => Err(reason.to_string()),
                None => Ok((decode(fields[3]), decode(fields[4]), fields[5].to_string())),
            };
            Record {
                n: fields[0].parse().expect("record number"),
                flags: fields[1]
                    .split(',')
                    .filter(|f| *f != "-")
                    .map(str::to_string)
                    .collect(),
                text: decode(fields[2]),
                go,
            }
        })
        .collect();
    (header, records)
}

/// Deepest nesting of objects/arrays in a JSON text.
fn depth(text: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for c in text.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (true, false, _) => {}
            (false, _, '"') => in_string = true,
            (false, _, '{' | '[') => {
                depth += 1;
                max = max.max(depth);
            }
            (false, _, '}' | ']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

#[test]
fn kassa_signs_exactly_like_go_encoding_json() {
    let (header, records) = oracle();
    assert!(records.len() >= 10_000, "{} texts", records.len());
    let (mut agreed, mut refused_by_both) = (0, 0);
    let mut by_design: Vec<usize> = Vec::new();
    let mut mismatched: Vec<String> = Vec::new();
    for r in &records {
        let canonical = kassa::canonical_json(&r.text);
        let signable = kassa::tarlan::sign::canonical_signable_text(&r.text);
        let signature = kassa::tarlan_sign(&r.text, SECRET);
        let lone = r.flags.iter().any(|f| f == "lone");
        match (&r.go, lone) {
            (_, true) => {
                if canonical.is_err() && signature.is_err() {
                    by_design.push(r.n);
                } else {
                    mismatched.push(format!(
                        "#{} holds a lone surrogate but kassa accepted it: {:?}",
                        r.n, r.text
                    ));
                }
            }
            (Err(reason), false) => {
                if canonical.is_err() && signature.is_err() {
                    agreed += 1;
                    refused_by_both += 1;
                } else {
                    mismatched.push(format!(
                        "#{} Go refused it ({reason}) but kassa accepted it: {:?}",
                        r.n, r.text
                    ));
                }
            }
            (Ok((go_canonical, go_signable, go_signature)), false) => {
                let same = canonical.as_ref().ok() == Some(go_canonical)
                    && signable.as_ref().ok() == Some(go_signable)
                    && signature.as_ref().ok() == Some(go_signature);
                if same {
                    agreed += 1;
                } else {
                    mismatched.push(format!(
                        "#{} {:?}\n    go:    {go_canonical}\n    kassa: {:?}\n    go signed:    {go_signable}\n    kassa signed: {:?}",
                        r.n, r.text, canonical, signable
                    ));
                }
            }
        }
    }
    println!(
        "go differential, native ({header}): {} texts — agreed {agreed} (of which refused by both {refused_by_both}), mismatched {}, refused by design (lone surrogates) {}",
        records.len(),
        mismatched.len(),
        by_design.len()
    );
    println!(
        "refused by design (record numbers): {}",
        by_design
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    );
    for m in mismatched.iter().take(20) {
        println!("MISMATCH {m}");
    }
    assert!(mismatched.is_empty(), "{} mismatched", mismatched.len());
    assert!(!by_design.is_empty(), "lone surrogates were generated");
    assert_eq!(
        agreed + by_design.len(),
        records.len(),
        "every text is counted once"
    );

    // The texts cover what issue 11 lists (counted over the texts Go and kassa both took).
    let taken: Vec<&Record> = records
        .iter()
        .filter(|r| r.go.is_ok() && !r.flags.iter().any(|f| f == "lone"))
        .collect();
    let having = |what: &dyn Fn(&Record) -> bool| taken.iter().filter(|r| what(r)).count();
    let escape = |needle: &'static str| move |r: &Record| r.text.contains(needle);
    let coverage: Vec<(&str, usize)> = vec![
        ("\\b", having(&escape(r"\b"))),
        ("\\f", having(&escape(r"\f"))),
        (
            "\\n \\r \\t",
            having(&|r| ["\\n", "\\r", "\\t"].iter().all(|e| r.text.contains(e))),
        ),
        (
            "\\\" \\\\",
            having(&|r| r.text.contains("\\\"") && r.text.contains("\\\\")),
        ),
        ("\\/", having(&escape(r"\/"))),
        ("\\u0000", having(&escape(r"\u0000"))),
        ("\\u2028 escaped", having(&escape(r"\u2028"))),
        ("U+2028 raw", having(&escape("\u{2028}"))),
        (
            "< > & raw",
            having(&|r| ["<", ">", "&"].iter().all(|e| r.text.contains(e))),
        ),
        ("non-ASCII raw", having(&escape("Иван"))),
        ("non-ASCII escaped", having(&escape(r"\u0418"))),
        ("surrogate pair escaped", having(&escape(r"\ud83d\ude00"))),
        (
            "-0",
            having(&|r| {
                r.text.contains("-0,")
                    || r.text.contains("-0]")
                    || r.text.contains("-0}")
                    || r.text.contains(":-0 ")
            }),
        ),
        (
            "exponent",
            having(&|r| r.text.contains("e+") || r.text.contains("E+") || r.text.contains("e-")),
        ),
        (
            "1e21 boundary",
            having(&|r| r.go.as_ref().is_ok_and(|(c, _, _)| c.contains("e+21"))),
        ),
        (
            "1e-7 boundary",
            having(&|r| r.go.as_ref().is_ok_and(|(c, _, _)| c.contains("e-7"))),
        ),
        ("integer beyond 2^53", having(&escape("9007199254740993"))),
        (
            "duplicate keys",
            having(&|r| r.flags.iter().any(|f| f == "dup")),
        ),
        ("nesting depth >= 4", having(&|r| depth(&r.text) >= 4)),
        ("additional_data", having(&escape("\"additional_data\""))),
        ("top-level \"\"", having(&escape(":\"\""))),
    ];
    println!(
        "coverage: {}",
        coverage
            .iter()
            .map(|(what, n)| format!("{what}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (what, n) in coverage {
        assert!(n >= 10, "only {n} texts with {what}");
    }
}

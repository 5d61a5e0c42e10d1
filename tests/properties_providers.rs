//! Every provider parser — each operation's `Client::parse`, the AGWS callback and acquiring
//! webhook verification — under arbitrary bytes and under arbitrary JSON shaped like provider
//! answers: a value or a `KassaError`, never a panic, with the fuzz targets' properties (results
//! that JavaScript reads back, errors that name provider and operation and carry no secret).
//! The JSON uses the keys providers answer with: every key of the fixtures and every field name
//! of the operations' result types.

#[path = "fuzz/targets.rs"]
mod targets;

use kassa::schema::Ty;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The parser targets (the first input bytes choose operation, options and status, or the
/// notification's signing choices).
const PARSERS: [&str; 7] = [
    "agws_response",
    "acquiring_response",
    "assist_response",
    "fiscalbox_response",
    "billing_response",
    "agws_callback",
    "acquiring_webhook",
];

fn field_names(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Object(fields) | Ty::Named(_, fields) => {
            for field in *fields {
                out.insert(field.name.to_string());
                out.extend(field.aliases.iter().map(|a| a.to_string()));
                field_names(&field.ty, out);
            }
        }
        Ty::Array(inner) | Ty::Nullable(inner) => field_names(inner, out),
        Ty::OneOf(options) => options.iter().for_each(|t| field_names(t, out)),
        _ => {}
    }
}

fn fixture_keys(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                out.insert(k.clone());
                fixture_keys(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| fixture_keys(v, out)),
        _ => {}
    }
}

/// Keys of the fixtures' JSON and of every result type, sorted.
fn vocabulary() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys = BTreeSet::new();
        for provider in kassa::registry::providers() {
            for op in provider.ops {
                field_names(&op.result, &mut keys);
            }
        }
        let mut dirs = vec![std::path::PathBuf::from("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if let Ok(value) =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
                {
                    fixture_keys(&value, &mut keys);
                }
            }
        }
        assert!(keys.len() > 100, "too few keys: {keys:?}");
        keys.into_iter().collect()
    })
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// JSON text shaped like a provider answer: objects keyed from the vocabulary, values of every
/// type with the codes and flags providers use.
fn answer() -> impl Strategy<Value = String> {
    let keys = vocabulary();
    let key = prop::sample::select(keys.to_vec());
    let leaf = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        (-3i64..10).prop_map(|n| n.to_string()),
        prop::sample::select(vec![
            "0",
            "200",
            "1014",
            "5406",
            "100.50",
            "1e2",
            "-1",
            "9007199254740993",
            "1e400"
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec![
            "",
            "0",
            "2",
            "success",
            "failed",
            "Success",
            "in",
            "UZ170703100189",
            "20200518221403",
            "2024-01-01T00:00:00",
            "https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289",
            "{\"items\":[{\"id\":1,\"name\":\"x\",\"price\":1,\"quantity\":1,\"amount\":1}]}",
        ])
        .prop_map(json_string),
        key.clone().prop_map(|k| json_string(&k)),
        "\\PC{0,12}".prop_map(|s| json_string(&s)),
    ];
    leaf.prop_recursive(5, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec((key.clone(), inner), 0..7).prop_map(|entries| {
                let members: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}:{v}", json_string(k)))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

fn run(target: &str, prefix: &[u8], body: &[u8]) {
    let target = targets::target(target).expect("a target");
    (target.run)(&[prefix, body].concat());
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parsers_survive_arbitrary_bytes(prefix in any::<[u8; 2]>(), body in prop::collection::vec(any::<u8>(), 0..400)) {
        for target in PARSERS {
            run(target, &prefix, &body);
        }
    }

    #[test]
    fn parsers_survive_arbitrary_json(prefix in any::<[u8; 2]>(), body in answer()) {
        for target in PARSERS {
            run(target, &prefix, body.as_bytes());
        }
    }

    #[test]
    fn every_operation_survives_arbitrary_json(variant in any::<u8>(), body in answer()) {
        // Every operation of every provider on the same answer.
        for case in targets::PROVIDER_CASES {
            for op in 0..case.provider.ops.len() {
                targets::provider_response(case, &[&[op as u8, variant], body.as_bytes()].concat());
            }
        }
    }
}

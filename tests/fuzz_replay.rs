//! The fuzz targets (tests/fuzz/targets.rs) as regression tests: every committed corpus file
//! (tests/fuzz/corpus/<target>/), every crash file kept from a finding
//! (tests/fuzz/artifacts/<target>/) and every seed derived from tests/fixtures goes through
//! its target, and each failure is reported with the file it came from.
//!
//! `cargo test --test fuzz_replay -- --ignored write_seed_corpus` with `KASSA_FUZZ_SEEDS=<dir>`
//! writes the derived seeds to `<dir>/<target>/` (scripts/fuzz.sh seed minimizes them into the
//! committed corpora).

#[path = "fuzz/targets.rs"]
mod targets;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use targets::{Target, TARGETS};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fuzz_dir() -> PathBuf {
    root().join("tests/fuzz")
}

/// The files of a folder, sorted by name; none when the folder does not exist.
fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .map(|p| {
            let label = p.strip_prefix(root()).unwrap_or(&p).display().to_string();
            (label, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Runs the target on every input; one line per input that panicked.
fn replay(target: &Target, inputs: Vec<(String, Vec<u8>)>) -> Vec<String> {
    let mut failures = Vec::new();
    for (label, data) in inputs {
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| (target.run)(&data))) {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{} on {label}: {message}", target.name));
        }
    }
    failures
}

fn assert_no_failures(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} input(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every entry of a per-target folder (tests/fuzz/corpus, tests/fuzz/artifacts) is named after
/// a target: files under any other name would silently stop being replayed.
fn assert_every_folder_is_a_target(dir: &Path) {
    let label = dir
        .strip_prefix(root())
        .unwrap_or(dir)
        .display()
        .to_string();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            targets::target(&name).is_some(),
            "{label}/{name} belongs to no target"
        );
    }
}

#[test]
fn committed_corpora_pass_every_target() {
    // A corpus left under a renamed target's old name would otherwise never be replayed.
    assert_every_folder_is_a_target(&fuzz_dir().join("corpus"));
    let mut failures = Vec::new();
    for target in &TARGETS {
        let corpus = files_in(&fuzz_dir().join("corpus").join(target.name));
        assert!(
            !corpus.is_empty(),
            "{} has no committed corpus: run scripts/fuzz.sh seed",
            target.name
        );
        failures.extend(replay(target, corpus));
    }
    assert_no_failures(failures);
}

#[test]
fn crash_files_of_fixed_findings_pass() {
    let artifacts = fuzz_dir().join("artifacts");
    assert_every_folder_is_a_target(&artifacts);
    let mut failures = Vec::new();
    for target in &TARGETS {
        failures.extend(replay(target, files_in(&artifacts.join(target.name))));
    }
    assert_no_failures(failures);
}

#[test]
fn seeds_from_the_fixtures_pass_every_target() {
    let mut failures = Vec::new();
    for target in &TARGETS {
        let seeds = (target.seeds)(root());
        assert!(!seeds.is_empty(), "{} derives no seeds", target.name);
        let labelled = seeds
            .into_iter()
            .enumerate()
            .map(|(i, data)| (format!("fixture seed #{i}"), data))
            .collect();
        failures.extend(replay(target, labelled));
    }
    assert_no_failures(failures);
}

#[test]
fn the_fuzz_crate_has_one_binary_per_target() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    let mut bins: Vec<&str> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|section| {
            section
                .lines()
                .find_map(|l| l.trim().strip_prefix("name = \""))
                .and_then(|n| n.strip_suffix('"'))
        })
        .collect();
    bins.sort();
    let mut names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
    names.sort();
    assert_eq!(bins, names, "tests/fuzz/Cargo.toml [[bin]] entries");
    for name in names {
        let source =
            std::fs::read_to_string(fuzz_dir().join(format!("fuzz_targets/{name}.rs"))).unwrap();
        assert!(
            source.contains(&format!("targets::{name}(data)")),
            "fuzz_targets/{name}.rs must call targets::{name}"
        );
    }
}

#[test]
#[ignore = "a tool for scripts/fuzz.sh seed, not a test"]
fn write_seed_corpus() {
    let out = PathBuf::from(std::env::var("KASSA_FUZZ_SEEDS").expect("KASSA_FUZZ_SEEDS=<dir>"));
    for target in &TARGETS {
        let dir = out.join(target.name);
        std::fs::create_dir_all(&dir).unwrap();
        for (i, seed) in (target.seeds)(root()).into_iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:05}")), seed).unwrap();
        }
    }
}

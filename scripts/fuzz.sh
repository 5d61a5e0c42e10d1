#!/usr/bin/env bash
# Fuzzes kassa with cargo-fuzz (libFuzzer, nightly Rust): every target of tests/fuzz for
# SECONDS each (default 60), one after another, then prints one table row per target —
# seconds, executions, crashes, corpus size — and exits non-zero on any crash, timeout or
# out-of-memory input, or if a target did not run. CI does not run this (2 cores); `cargo test`
# replays the committed corpora and the crash files instead (tests/fuzz_replay.rs).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   fuzz (all targets by default)
#   scripts/fuzz.sh seed [TARGET...]        derive seeds from tests/fixtures and minimize
#                                           (cargo fuzz cmin, edge coverage) them, together with
#                                           the committed corpus and the inputs earlier runs
#                                           found, into tests/fuzz/corpus/<target>
#
# Crash inputs land in tests/fuzz/artifacts/<target>/: fix the finding, keep the file (cargo test
# replays it) and commit it. A target stops at its first crash. Working corpora and logs are in
# target/fuzz/ (not committed), so repeated runs go on from where the last one stopped.
# Targets are built without a sanitizer (-s none): kassa is safe Rust, and ASan would halve the
# executions; overflow checks and debug assertions stay on (cargo fuzz's default).
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_DIR=tests/fuzz
WORK=target/fuzz
mkdir -p "$WORK/logs" "$WORK/corpus"

# Nightly Rust and cargo-fuzz, installed once per machine.
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz

fuzz() {
  local command=$1
  shift
  nice -n 10 cargo +nightly fuzz "$command" --fuzz-dir "$FUZZ_DIR" -s none "$@"
}

all_targets() {
  cargo +nightly fuzz list --fuzz-dir "$FUZZ_DIR"
}

count_files() {
  find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l
}

if [[ "${1:-}" == "seed" ]]; then
  shift
  targets=("$@")
  [[ ${#targets[@]} -gt 0 ]] || mapfile -t targets < <(all_targets)
  seeds="$PWD/$WORK/seeds"
  rm -rf "$seeds"
  KASSA_FUZZ_SEEDS="$seeds" nice -n 10 cargo test --quiet --test fuzz_replay -- --ignored --exact write_seed_corpus
  for target in "${targets[@]}"; do
    corpus="$FUZZ_DIR/corpus/$target"
    mkdir -p "$corpus"
    cp "$seeds/$target"/* "$corpus"/
    if [[ -d "$WORK/corpus/$target" ]]; then
      find "$WORK/corpus/$target" -maxdepth 1 -type f -exec cp {} "$corpus"/ \;
    fi
    # Edge coverage only (no hit counts): the committed corpus stays a few hundred files per
    # target, each edge kept by its smallest input.
    fuzz cmin "$target" "$corpus" -- -timeout=10 -use_counters=0 >"$WORK/logs/$target.cmin.log" 2>&1 \
      || { tail -20 "$WORK/logs/$target.cmin.log"; exit 1; }
    echo "$target: $(count_files "$corpus") inputs in $corpus"
  done
  exit 0
fi

seconds=${1:-60}
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...] | seed [TARGET...]" >&2; exit 2; }
[[ $# -gt 0 ]] && shift
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || mapfile -t targets < <(all_targets)

fuzz build
bin="$FUZZ_DIR/target/$(rustc -vV | sed -n 's/^host: //p')/release"
rows=()
failed=0
for target in "${targets[@]}"; do
  artifacts="$FUZZ_DIR/artifacts/$target"
  mkdir -p "$artifacts" "$WORK/corpus/$target"
  before=$(count_files "$artifacts")
  log="$WORK/logs/$target.log"
  echo "== $target: ${seconds}s"
  start=$(date +%s)
  status=0
  # The binary built above, run directly (so the time is fuzzing, never a rebuild). The first
  # corpus folder receives what the run finds; the committed one is read only.
  nice -n 10 "$bin/$target" -artifact_prefix="$artifacts/" -max_total_time="$seconds" \
    -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    "$WORK/corpus/$target" "$FUZZ_DIR/corpus/$target" >"$log" 2>&1 || status=$?
  elapsed=$(( $(date +%s) - start ))
  crashes=$(( $(count_files "$artifacts") - before ))
  executions=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  corpus=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  if [[ $status -ne 0 || $crashes -gt 0 || -z "$executions" ]]; then
    failed=1
    echo "   $target: exit status $status, $crashes new file(s) in $artifacts (log: $log)"
    grep -m1 -A8 -E 'panicked at|ERROR: libFuzzer|error(\[E[0-9]+\])?:' "$log" | cut -c1-400 | sed 's/^/   | /' || tail -20 "$log"
    echo "   | reproduce: cargo +nightly fuzz run --fuzz-dir $FUZZ_DIR -s none $target <the new file in $artifacts>"
    [[ $crashes -gt 0 ]] || crashes="$crashes (did not finish)"
  fi
  rows+=("$(printf '%-22s %8s %14s %10s %8s' "$target" "$elapsed" "${executions:-?}" "$crashes" "${corpus:-?}")")
done

echo
printf '%-22s %8s %14s %10s %8s\n' target seconds executions crashes corpus
for row in "${rows[@]}"; do echo "$row"; done
if [[ $failed -ne 0 ]]; then
  echo "fuzzing found problems: see the rows above and tests/fuzz/artifacts/" >&2
  exit 1
fi
echo "no crashes in ${#targets[@]} targets"

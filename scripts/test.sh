#!/usr/bin/env bash
# Runs every test: formatting and lints, native Rust tests (with the Go differential: Go's
# encoding/json as the oracle of the signature), the wasm build, the binding layer
# in wasm (wasm-bindgen-test under Node), the package checks (tsc --strict consumer,
# publint, arethetypeswrong) and the JavaScript suites against the built package — Node
# (ESM and CommonJS), the Workers runtime (workerd via Miniflare), headless Chromium, the
# emulator flows and fault injection, the payment journal (crash, concurrency and workerd
# tests on SQLite, a throwaway PostgreSQL and D1), the playground and the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

./scripts/setup.sh --browsers --go

say "cargo fmt --check"
cargo fmt --all -- --check

say "cargo clippy (native and wasm32, -D warnings)"
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown -- -D warnings

say "native Rust tests"
# --show-output: the Go differential prints its counts (agreed, mismatched, refused by design).
cargo test --quiet -- --show-output

say "build the npm package"
./scripts/build.sh

say "wasm-bindgen-test in Node (the binding layer)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test wasm_bindings

say "TypeScript consumer (tsc --strict)"
node_modules/.bin/tsc -p tests/ts

say "package lint (publint, arethetypeswrong)"
node_modules/.bin/publint pkg --strict
(cd pkg && ../node_modules/.bin/attw --pack . --profile esm-only)

say "JavaScript suites (Node, Workers runtime, Chromium; the journal on SQLite, PostgreSQL and D1)"
# One throwaway PostgreSQL cluster for the journal tests (each test file makes its own
# database on it), always stopped, whatever happens.
KASSA_TEST_PG_URL=$(./scripts/postgres.sh start)
export KASSA_TEST_PG_URL
trap './scripts/postgres.sh stop "$KASSA_TEST_PG_URL"' EXIT
node --test --test-concurrency=2 tests/js/

say "all tests passed in $(( $(date +%s) - start ))s"

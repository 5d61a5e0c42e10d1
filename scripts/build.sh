#!/usr/bin/env bash
# Builds the npm package in pkg/: wasm (release profile), wasm-bindgen glue, wasm-opt,
# TypeScript declarations generated from the Rust tables, and the playground catalog.
set -euo pipefail
cd "$(dirname "$0")/.."
# KASSA_OUT builds a copy of the package elsewhere (a directory holding src/ and package.json),
# so that a second working copy can build without touching pkg/.
out=${KASSA_OUT:-pkg}

cargo build --quiet --lib --target wasm32-unknown-unknown --release
rm -rf "$out/dist"
wasm-bindgen --target web --weak-refs --no-typescript --out-dir "$out/dist" --out-name kassa \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/kassa.wasm"
# The features match what rustc 1.95 emits for wasm32-unknown-unknown by default.
node_modules/.bin/wasm-opt -Oz \
  --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
  "$out/dist/kassa_bg.wasm" -o "$out/dist/kassa_bg.wasm"
cargo run --quiet --bin kassa-typegen -- "$out/kassa.d.ts"
cp README.md "$out/README.md"

raw=$(stat -c %s "$out/dist/kassa_bg.wasm")
gz=$(gzip -9c "$out/dist/kassa_bg.wasm" | wc -c)
echo "built $out/: kassa_bg.wasm ${raw} bytes raw, ${gz} bytes gzip -9"

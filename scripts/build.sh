#!/usr/bin/env bash
# Builds the npm package in pkg/: wasm (release profile), wasm-bindgen glue, wasm-opt,
# TypeScript declarations generated from the Rust tables, and the playground catalog.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --lib --target wasm32-unknown-unknown --release
rm -rf pkg/dist
wasm-bindgen --target web --weak-refs --no-typescript --out-dir pkg/dist --out-name kassa \
  target/wasm32-unknown-unknown/release/kassa.wasm
# The features match what rustc 1.95 emits for wasm32-unknown-unknown by default.
node_modules/.bin/wasm-opt -Oz \
  --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
  pkg/dist/kassa_bg.wasm -o pkg/dist/kassa_bg.wasm
cargo run --quiet --bin kassa-typegen -- pkg/kassa.d.ts
cp README.md pkg/README.md

raw=$(stat -c %s pkg/dist/kassa_bg.wasm)
gz=$(gzip -9c pkg/dist/kassa_bg.wasm | wc -c)
echo "built pkg/: kassa_bg.wasm ${raw} bytes raw, ${gz} bytes gzip -9"

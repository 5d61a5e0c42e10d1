#!/usr/bin/env bash
# Builds the npm package in pkg/: one .wasm per entry of the registry (src/registry.rs: the
# root `kassa` with every provider, then one per module), each with its wasm-bindgen glue and
# wasm-opt, plus what kassa-typegen generates from the registry (the entry files per runtime,
# the .d.ts of each entry, the describe catalogs, the registry metadata). Each entry's runtime
# files are then bundled with the glue and pkg/src (scripts/bundle-entry.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
# KASSA_OUT builds a copy of the package elsewhere (a directory holding src/ and package.json),
# so that a second working copy can build without touching pkg/.
out=${KASSA_OUT:-pkg}
dist="$out/dist"
target=${CARGO_TARGET_DIR:-target}

cargo build --quiet --bin kassa-typegen
typegen="$target/debug/kassa-typegen"
rm -rf "$dist"
"$typegen" "$dist"

# Entry X is built from the Cargo features the registry names, with Cargo profile wasm-X.
"$typegen" --entries | while read -r name features; do
  flags=()
  [ "$features" != default ] && flags=(--no-default-features --features "$features")
  cargo build --quiet --lib --target wasm32-unknown-unknown --profile "wasm-$name" "${flags[@]}"
  wasm-bindgen --target web --weak-refs --no-typescript --out-dir "$dist/$name" --out-name kassa \
    "$target/wasm32-unknown-unknown/wasm-$name/kassa.wasm"
  # The features match what rustc 1.95 emits for wasm32-unknown-unknown by default.
  node_modules/.bin/wasm-opt -Oz \
    --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
    "$dist/$name/kassa_bg.wasm" -o "$dist/$name/kassa_bg.wasm"
  node scripts/bundle-entry.mjs "$dist/$name"
  # gzip -9 as bench/modules.mjs measures it (Node's zlib), so the figures agree.
  node -e 'const w = require("fs").readFileSync(process.argv[1]);
    console.log(`built ${process.argv[2].padEnd(10)} ${process.argv[1]} ${w.length} bytes raw, ${require("zlib").gzipSync(w, { level: 9 }).length} gzip -9`)' \
    "$dist/$name/kassa_bg.wasm" "$name"
done
cp README.md "$out/README.md"

#!/usr/bin/env bash
# Installs what the build, the demo and the tests need. Every step is guarded so that a warm
# machine skips it: the wasm target, the wasm-bindgen CLI (must equal the crate version in
# Cargo.lock), npm dependencies (only when package-lock.json changed), and — when asked —
# Debian's Chromium for the browser tests (--browsers) and Debian's Go for the Go oracle of the
# signing tests (--go; golang-go is Go 1.19 on Debian 12, see tests/go/oracle.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
want_browsers=false
want_go=false
for arg in "$@"; do
  case "$arg" in
    --browsers) want_browsers=true ;;
    --go) want_go=true ;;
    *) echo "setup.sh: unknown option $arg (use --browsers, --go)" >&2; exit 2 ;;
  esac
done
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"

WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}
say() { printf '\033[1m== %s\033[0m\n' "$*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "installing the wasm32-unknown-unknown target"
  if ! rustup target add wasm32-unknown-unknown; then
    # Fallback documented in ../shared/TOOLCHAIN.md: the same component, for rustc 1.95.0 only.
    tarball=../shared/toolchain/rust-std-1.95.0-wasm32-unknown-unknown.tar.xz
    if rustc --version | grep -q '^rustc 1\.95\.0 ' && [ -f "$tarball" ]; then
      tar -xJf "$tarball" -C "$(rustc --print sysroot)/lib/rustlib/"
    else
      echo "cannot install the wasm32 target" >&2
      exit 1
    fi
  fi
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen ${WASM_BINDGEN_VERSION}"; then
  say "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION} (about 2.5 minutes, once)"
  cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}"
fi

lock_hash=$(sha256sum package-lock.json pkg/package.json | sha256sum | cut -c1-16)
if [ "$(cat node_modules/.kassa-lock 2>/dev/null)" != "$lock_hash" ]; then
  say "installing npm dependencies"
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.kassa-lock
fi

if $want_browsers && ! command -v chromium >/dev/null 2>&1; then
  say "installing Debian's chromium (about a minute, once)"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

if $want_go && ! command -v go >/dev/null 2>&1; then
  say "installing Debian's golang-go (the Go oracle of the signing tests, once)"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq golang-go >/dev/null
fi

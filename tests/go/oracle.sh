#!/usr/bin/env bash
# Builds (cached under target/go) and runs the Go oracle of tests/go/oracle/main.go:
#   tests/go/oracle.sh gen --seed N --count M   generated texts with Go's answers (one process)
#   tests/go/oracle.sh regen FILE               rewrites the outputs of a go-canonical fixture
# Needs Go older than 1.22 (Debian 12's golang-go is 1.19; ./scripts/setup.sh --go installs it):
# kassa follows that escaping of \b and \f (README, "Signing"). KASSA_GO picks another go binary.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
go_bin="${KASSA_GO:-go}"
if ! command -v "$go_bin" >/dev/null 2>&1; then
  echo "tests/go/oracle.sh: Go is not installed; the Go oracle needs it: run ./scripts/setup.sh --go (Debian's golang-go)" >&2
  exit 127
fi
out="$root/target/go"
mkdir -p "$out"
# Everything Go writes stays under target/, so any user can run it; no module is downloaded.
export GOCACHE="$out/cache" GOPATH="$out/path" GOFLAGS="" GOPROXY=off GOTOOLCHAIN=local GO111MODULE=on
version=$("$go_bin" env GOVERSION)
minor=$(printf '%s' "$version" | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
if [ -n "$minor" ] && [ "$minor" -ge 22 ]; then
  echo "tests/go/oracle.sh: $version writes \\b and \\f as \\b/\\f; kassa follows Go before 1.22 (\\u0008/\\u000c, README \"Signing\"). Use Debian 12's golang-go (1.19) or point KASSA_GO at a Go older than 1.22." >&2
  exit 1
fi
binary="$out/oracle-$version"
(cd "$root/tests/go" && "$go_bin" build -o "$binary.$$" ./oracle && mv -f "$binary.$$" "$binary")
exec "$binary" "$@"

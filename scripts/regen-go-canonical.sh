#!/usr/bin/env bash
# Regenerates the outputs of tests/fixtures/go-canonical.json with the Go oracle
# (tests/go/oracle: encoding/json and Tarlan's signature in Go). Inputs are edited by hand;
# outputs come only from Go. Needs Go older than 1.22 (./scripts/setup.sh --go).
set -euo pipefail
cd "$(dirname "$0")/.."
tests/go/oracle.sh regen tests/fixtures/go-canonical.json
git diff --stat -- tests/fixtures/go-canonical.json || true

#!/usr/bin/env bash
# The main job: builds the package and runs the end-to-end demo (examples/demo.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
exec node examples/demo.mjs "$@"

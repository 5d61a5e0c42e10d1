#!/usr/bin/env bash
# The playground in one command: installs what is missing, builds the package, serves www/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
exec node www/serve.mjs "$@"

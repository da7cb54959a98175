#!/bin/bash
# test.sh is `make test`: it installs what is missing, starts the test
# services on loopback, runs every test suite and stops the services again.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(pwd)/build/tools:$PATH"

./scripts/deps.sh
./scripts/testenv/up.sh
trap './scripts/testenv/down.sh' EXIT
set -a
. "${JOBKIT_TESTENV_DIR:-/tmp/jobkit-testenv}/env"
set +a

echo "== static checks"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))
if [ -n "$unformatted" ]; then echo "gofmt needed:"; echo "$unformatted"; exit 1; fi
go vet ./...
go run ./tools/rulesdoc -check
GOOS=js GOARCH=wasm go vet ./core/... ./wasm/...

echo "== build the editor (wasm + bundle)"
JOBKIT_BROTLI=9 ./web/build.sh

echo "== go test (native)"
go test -count=1 ./...

echo "== go test (core and wasm bridge compiled to wasm, in headless Chromium)"
GOOS=js GOARCH=wasm go test -count=1 -exec wasmbrowsertest ./core/... ./wasm/...

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

# The product is the root module; e2e/ (chromedp) and tools/bundle/
# (esbuild, brotli) are modules of their own, kept out of jobkit's go.mod.
MODULES=". e2e tools/bundle"

echo "== static checks"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))
if [ -n "$unformatted" ]; then echo "gofmt needed:"; echo "$unformatted"; exit 1; fi
for m in $MODULES; do
	go -C "$m" vet ./...
	(cd "$m" && staticcheck ./...)
done
go run ./tools/rulesdoc -check
GOOS=js GOARCH=wasm go vet ./core/... ./wasm/...
# The patched copy of santhosh-tekuri/jsonschema (third_party/jsonschema/PATCHES.md), a module of its own.
go vet github.com/santhosh-tekuri/jsonschema/v6

echo "== build the editor (wasm + bundle)"
# The same version as `make build`, so that the two do not rebuild the wasm in turn.
JOBKIT_VERSION=$(git describe --tags --always --dirty 2>/dev/null || echo dev) JOBKIT_BROTLI=9 ./web/build.sh

echo "== go test (native)"
# The core and the runner run once, with the race detector: that is their
# only native run, so the runner's Docker tests are not run twice.
raced='^github.com/jobkit-dev/jobkit/(core|runner)(/|$)'
go test -count=1 -race ./core/... ./runner/... github.com/santhosh-tekuri/jsonschema/v6
go test -count=1 $(go list ./... | grep -Ev "$raced")
go -C tools/bundle test -count=1 ./...
go -C e2e test -count=1 ./...

echo "== go test (core and wasm bridge compiled to wasm, in headless Chromium)"
GOOS=js GOARCH=wasm go test -count=1 -exec wasmbrowsertest ./core/... ./wasm/...

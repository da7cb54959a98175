#!/bin/sh
# Builds the browser editor into internal/webui/dist (embedded by `go build`):
#   1. the Go core as WebAssembly   -> build/wasm/jobkit.wasm
#   2. npm ci (CodeMirror sources)  -> node_modules/
#   3. tools/bundle (own module)    -> internal/webui/dist/ (.gz/.br copies only)
# Each step is skipped when its inputs are older than its output.
# Environment: JOBKIT_VERSION (default: dev; the Makefile passes its VERSION)
# is stamped into the wasm's internal/version, as into jobkit and runner;
# JOBKIT_BROTLI (default 11) is the brotli quality of the .br copies: 11 takes
# ~50 s on the 19 MB wasm, 9 takes ~3 s for a ~14% bigger .br (fine for tests).
set -eu
cd "$(dirname "$0")/.."

WASM=build/wasm/jobkit.wasm
DIST=internal/webui/dist
STAMP=build/web.stamp
VERSION="${JOBKIT_VERSION:-dev}"

# newer OUT FILES...: true when OUT is missing or any FILE is newer.
newer() {
	out=$1; shift
	[ -e "$out" ] || return 0
	[ -n "$(find "$@" -newer "$out" -print 2>/dev/null | head -n 1)" ]
}

mkdir -p build/wasm
# The wasm is rebuilt when its sources change or the version does.
if newer "$WASM" go.mod go.sum core wasm internal/version ||
	[ "$(cat "$WASM.version" 2>/dev/null)" != "$VERSION" ]; then
	echo "web/build.sh: building $WASM ($VERSION)"
	GOOS=js GOARCH=wasm go build -trimpath \
		-ldflags="-s -w -X github.com/jobkit-dev/jobkit/internal/version.Version=$VERSION" \
		-o "$WASM" ./wasm
	echo "$VERSION" > "$WASM.version"
fi

if newer node_modules/.package-lock.json package.json package-lock.json; then
	echo "web/build.sh: npm ci"
	npm ci --no-audit --no-fund
fi

if newer "$STAMP" "$WASM" index.html web tools/bundle examples node_modules/.package-lock.json \
	|| [ ! -e "$DIST/index.html.gz" ]; then
	echo "web/build.sh: bundling into $DIST"
	# tools/bundle is a module of its own (esbuild and brotli stay out of
	# jobkit's go.mod), so it runs from its folder with the root passed in.
	go -C tools/bundle run . -root "$(pwd)" -wasm "$WASM" -out "$DIST" -goroot "$(go env GOROOT)" -brotli "${JOBKIT_BROTLI:-11}"
	touch "$STAMP"
fi

#!/bin/sh
# wasm-opt.sh IN OUT: shrinks the Go wasm IN into OUT with binaryen's
# wasm-opt (Debian package binaryen; scripts/deps.sh installs it). A build
# step only: it rewrites the wasm's code, never what the code does. Used by
# web/build.sh and by wasm/bridge's size test, so both measure the same wasm.
#
# -Oz: the smallest code (~6% less raw, ~75 s of CPU on the editor's wasm).
# The --enable flags name wasm features every browser the editor supports
# has (wasm-opt refuses code using a feature it was not told about).
# Outside CI a missing wasm-opt copies IN unchanged (a bigger wasm, same
# behaviour); in CI (CI=true) it is an error, so the size test measures what
# ships.
set -eu
in=$1
out=$2
if ! command -v wasm-opt >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		echo "web/wasm-opt.sh: wasm-opt not found (Debian package binaryen): run scripts/deps.sh" >&2
		exit 1
	fi
	echo "web/wasm-opt.sh: wasm-opt not found: the wasm is not optimised (install binaryen, or run scripts/deps.sh)" >&2
	[ "$in" = "$out" ] || cp "$in" "$out"
	exit 0
fi
tmp="$out.wasm-opt.tmp"
wasm-opt --enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory --enable-mutable-globals \
	--strip-debug --strip-producers -Oz "$in" -o "$tmp"
mv "$tmp" "$out"

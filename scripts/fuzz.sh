#!/bin/bash
# fuzz.sh runs every fuzz target of the project for $1 (default 30s) each.
# New failing inputs land in the package's testdata/fuzz/ and are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${1:-30s}
grep -rl --include='*_test.go' '^func Fuzz' core runner internal wasm 2>/dev/null | sort -u | while read -r f; do
	pkg=./$(dirname "$f")
	for fn in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/func //'); do
		echo "== $pkg $fn ($t)"
		GOOS= GOARCH= go test -run '^$' -fuzz "^$fn\$" -fuzztime "$t" "$pkg"
	done
done

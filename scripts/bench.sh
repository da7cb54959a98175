#!/bin/bash
# bench.sh runs every Go benchmark once per package (count=1, so the table in
# docs/performance.md can be reproduced in a few minutes) and writes the raw
# output to build/bench.txt. Ratios are reported by the benchmarks themselves
# (x-json: lint time / encoding/json decode time of the same bytes, same run).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
export PATH="$(pwd)/build/tools:$PATH"
pkgs=$(go list ./... | grep -v /e2e)
go test -run '^$' -bench . -benchmem -count=1 $pkgs | tee build/bench.txt
if [ -d e2e ]; then
	./scripts/deps.sh
	./web/build.sh
	go test -run '^$' -bench . -count=1 ./e2e/... | tee -a build/bench.txt
fi

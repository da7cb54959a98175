#!/bin/bash
# bench.sh is `make bench`: every benchmark, with the numbers that
# docs/performance.md records. Each benchmark reports its own ratio against
# a baseline measured in the same run (encoding/json decoding of the same
# bytes, bare gojsonschema, `docker run --rm`, curl). Raw output goes to
# build/bench.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
export PATH="$(pwd)/build/tools:$PATH"
./scripts/deps.sh
./scripts/testenv/up.sh
trap './scripts/testenv/down.sh' EXIT
set -a
. "${JOBKIT_TESTENV_DIR:-/tmp/jobkit-testenv}/env"
set +a
: > build/bench.txt
uptime | tee -a build/bench.txt
core=$(go list ./core/...)
go test -run '^$' -bench . -benchmem -count=1 $core | tee -a build/bench.txt
go test -run '^$' -bench . -benchtime 10x -count=1 ./runner/runnercli ./runner/engine | tee -a build/bench.txt
go test -run '^$' -bench . -benchtime 8x -count=1 ./runner/resource | tee -a build/bench.txt
# An op printing 200 MB of logs: the runner's peak RSS and wall time vs docker run.
go test -run '^$' -bench ChattyOp -benchtime 2x -count=1 ./cmd/runner | tee -a build/bench.txt
./web/build.sh
# e2e is a module of its own (chromedp stays out of jobkit's go.mod).
go -C e2e test -run '^$' -bench 'PageLoad|Keystroke' -benchtime 30x -count=1 . | tee -a build/bench.txt
# Each iteration is a cold start in a fresh browser context, or a 3.4 MB paste.
go -C e2e test -run '^$' -bench 'FirstDiagnostics|ManyProblems' -benchtime 5x -count=1 . | tee -a build/bench.txt
# The wasm's size against the targets (needs the brotli command).
go test -run '^$' -bench WasmSize -benchtime 1x -count=1 ./wasm/bridge | tee -a build/bench.txt
# jobkit lint vs the official Nosana validator (node, one process) over the
# same 1,000 generated jobs of 1–60 KB: wall times and their ratio.
./scripts/bench-validator.sh | tee -a build/bench.txt

#!/bin/bash
# e2e-repeat.sh N runs the browser tests (the e2e module) N times in a row
# (default 10), stopping at the first failure, and prints the load average
# before each run: how the issue's "10 times in a row under load" is checked
# (run it while `make bench` runs). Build the editor first (web/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10}
for i in $(seq 1 "$n"); do
	echo "== e2e run $i/$n: $(uptime | sed 's/.*load average/load average/')"
	start=$(date +%s)
	if ! go -C e2e test -count=1 . > "build/e2e-run-$i.log" 2>&1; then
		echo "run $i FAILED after $(( $(date +%s) - start )) s (build/e2e-run-$i.log):"
		grep -E -- '--- FAIL|Error|error' "build/e2e-run-$i.log" | head -20
		exit 1
	fi
	echo "   passed in $(( $(date +%s) - start )) s"
done
echo "$n of $n e2e runs passed in a row"

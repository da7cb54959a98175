#!/bin/bash
# bench-validator.sh: `jobkit lint` against the official Nosana validator
# (validateJobDefinition of @nosana/types, run by node in one process) over
# the same 1,000 generated job files of 1–60 KB, and the ratio of their wall
# times (issue 10 target: ≤ 0.7). The jobs come from tools/benchjobs, the
# validator is installed with npm into build/bench-validator, which holds
# everything this bench writes. The two run in alternation, RUNS times
# each (default 10), and the medians of their wall and CPU times are
# compared.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir=$root/build/bench-validator
version=2.1.6
runs=${RUNS:-10}
mkdir -p "$dir"

for tool in node npm go; do
	command -v "$tool" >/dev/null || { echo "bench-validator: $tool is not installed" >&2; exit 1; }
done

# The validator, in the bench's own folder: its own package.json stops npm
# from walking up to the repository's.
if [ "$(node -p "try { require('$dir/node_modules/@nosana/types/package.json').version } catch (e) { '' }")" != "$version" ]; then
	echo '{"name": "jobkit-bench-validator", "private": true}' > "$dir/package.json"
	(cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error "@nosana/types@$version")
fi
cat > "$dir/validate.cjs" <<'JS'
// Validates every *.json of a directory in one process, as a service would.
const { validateJobDefinition } = require("@nosana/types");
const fs = require("fs");
const path = require("path");
const dir = process.argv[2];
let valid = 0, invalid = 0;
for (const name of fs.readdirSync(dir).filter(n => n.endsWith(".json")).sort()) {
  let ok = false;
  try { ok = validateJobDefinition(JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"))).success; } catch (e) { ok = false; }
  if (ok) valid++; else invalid++;
}
console.log(`${valid} valid, ${invalid} invalid`);
JS

go build -o "$dir/jobkit" ./cmd/jobkit
rm -rf "$dir/jobs"
go run ./tools/benchjobs -n 1000 -min 1024 -max 61440 -out "$dir/jobs"
echo "jobs: $(ls "$dir/jobs" | wc -l) files, $(du -sh "$dir/jobs" | cut -f1), GOMAXPROCS $(nproc) CPUs"
echo "official: $(node "$dir/validate.cjs" "$dir/jobs")"
echo "jobkit:   $("$dir/jobkit" lint "$dir/jobs" | tail -1)"

jobkit_cmd="$dir/jobkit lint $dir/jobs"
node_cmd="node $dir/validate.cjs $dir/jobs"
# The two run in alternation, round after round (which one goes first
# alternates too), so both see the same machine load: on a shared machine
# the load changes from one second to the next, and two blocks of runs one
# after the other compare two different machines.
# measure CMD...: appends "wall user sys" (seconds) of one run to $times.
measure() {
	local TIMEFORMAT='%3R %3U %3S'
	{ time "$@" >/dev/null 2>&1; } 2>>"$times" || true
}
# median FILE COLUMN: the median of a column, in milliseconds.
median() {
	awk -v c="$2" '{ print $c * 1000 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
# cpu FILE: the median of user + sys, in milliseconds.
cpu() {
	awk '{ print ($2 + $3) * 1000 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
rm -f "$dir/jobkit.times" "$dir/official.times"
$jobkit_cmd >/dev/null 2>&1 || true # warm the page cache
$node_cmd >/dev/null 2>&1 || true
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 0; i < runs; i++)); do
	if ((i % 2 == 0)); then
		times=$dir/jobkit.times measure $jobkit_cmd
		times=$dir/official.times measure $node_cmd
	else
		times=$dir/official.times measure $node_cmd
		times=$dir/jobkit.times measure $jobkit_cmd
	fi
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
jw=$(median "$dir/jobkit.times" 1)
nw=$(median "$dir/official.times" 1)
jc=$(cpu "$dir/jobkit.times")
nc=$(cpu "$dir/official.times")
echo "median wall of $runs interleaved runs: jobkit $jw ms, official $nw ms, ratio $(node -p "($jw / $nw).toFixed(2)")x (target <= 0.7)"
# CPU time depends less on what else the machine runs than wall time does:
# on a busy machine it says more.
echo "median cpu (user+sys): jobkit $jc ms, official $nc ms, ratio $(node -p "($jc / $nc).toFixed(2)")x"

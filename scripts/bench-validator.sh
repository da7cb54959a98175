#!/bin/bash
# bench-validator.sh: `jobkit lint` against the official Nosana validator
# (validateJobDefinition of @nosana/types, run by node in one process) over
# the same 1,000 generated job files of 1–60 KB, and the ratio of their wall
# times (issue 10 target: ≤ 0.7). The jobs come from tools/benchjobs, the
# validator is installed with npm into build/bench-validator, which holds
# everything this bench writes. Uses hyperfine when it is installed, else
# the median of RUNS plain timed runs.
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
if command -v hyperfine >/dev/null; then
	# jobkit exits 1: some jobs have errors on purpose.
	hyperfine -N -i --warmup 2 --runs "$runs" --export-json "$dir/hyperfine.json" \
		-n "jobkit lint" "$jobkit_cmd" -n "official validator (node)" "$node_cmd"
	node -e '
const r = require(process.argv[1]).results;
const med = x => x.median * 1000;
const cpu = x => (x.user + x.system) * 1000;
console.log(`median wall: jobkit ${med(r[0]).toFixed(0)} ms, official ${med(r[1]).toFixed(0)} ms, ratio ${(r[0].median / r[1].median).toFixed(2)}x (target <= 0.7)`);
// CPU time does not depend on what else the machine runs: on a busy machine
// it says more than the wall times.
console.log(`mean cpu (user+sys): jobkit ${cpu(r[0]).toFixed(0)} ms, official ${cpu(r[1]).toFixed(0)} ms, ratio ${(cpu(r[0]) / cpu(r[1])).toFixed(2)}x`);
' "$dir/hyperfine.json"
else
	# median_ms CMD...: the median wall time of $runs runs, in milliseconds.
	median_ms() {
		local times=() i s
		"$@" >/dev/null || true
		for ((i = 0; i < runs; i++)); do
			s=$(date +%s%N)
			"$@" >/dev/null || true
			times+=($(( ($(date +%s%N) - s) / 1000000 )))
		done
		printf '%s\n' "${times[@]}" | sort -n | sed -n "$((runs / 2 + 1))p"
	}
	j=$(median_ms $jobkit_cmd)
	n=$(median_ms $node_cmd)
	echo "median wall of $runs runs: jobkit $j ms, official $n ms, ratio $(node -p "($j / $n).toFixed(2)")x (target <= 0.7)"
fi

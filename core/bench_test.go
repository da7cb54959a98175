//go:build !js && !windows

package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jobkit-dev/jobkit/core/nosana/jobschema"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// benchJob builds a Nosana job of about size bytes. With faults, every op
// carries several mistakes (unknown keys, wrong types, bad ports, a missing
// image), so that the many-errors case is measured too.
func benchJob(size int, faults bool) []byte {
	var ops []string
	total := 0
	for i := 0; total < size-200; i++ {
		op := fmt.Sprintf(`{"id": "op%d", "type": "container/run", "args": {"image": "ubuntu:22.04", "cmd": ["python", "train.py", "--epochs", "%d"], "env": {"STEP": "%d", "MODE": "train"}, "expose": [{"port": %d, "health_checks": [{"type": "http", "path": "/health", "method": "GET", "expected_status": 200, "continuous": true}]}]}, "results": {"loss": "loss=[0-9.]+"}}`, i, i, i, 8000+i%1000)
		if faults && i%2 == 0 {
			op = fmt.Sprintf(`{"id": "op%d", "type": "container/run", "args": {"imagee": "ubuntu:22.04", "command": "python train.py", "gpu": "yes", "env": {"STEP": %d}, "expose": [{"port": 70000}]}, "results": {"loss": "loss=(["}}`, i, i)
		}
		ops = append(ops, op)
		total += len(op) + 1
	}
	return []byte(`{"version": "0.1", "type": "container", "meta": {"trigger": "cli"}, "ops": [` + strings.Join(ops, ",") + `]}`)
}

// baselineSamples is how many iterations of a benchmark also time its
// baselines (decode, bare validation) in the same run.
const baselineSamples = 50

// BenchmarkLint lints jobs of 2 KB, 20 KB and 1 MB, valid and full of errors,
// and reports the time relative to encoding/json decoding the same bytes in
// the same run (x-json): the parse floor the issue measures against.
//
// Every iteration also decodes the bytes once with the timer stopped,
// interleaved with the lint, each from a collected heap; x-json is the ratio
// of the medians of those per-iteration times, so both sides run under the
// same machine load and preemption outliers do not count. med-ms/op is the
// median lint, cpu-ms/op the process CPU time per lint (garbage collection
// included), which competing processes do not inflate.
//
// x-bare compares the lint the same way with bare validation: the JSON Schema
// engine alone (santhosh-tekuri/jsonschema, Nosana schema compiled once)
// validating the already decoded value. The issue wants lint within 1.5× of
// it however many errors the job has.
func BenchmarkLint(b *testing.B) {
	engine := bareEngine(b)
	for _, size := range []struct {
		name  string
		bytes int
	}{{"2KB", 2 << 10}, {"20KB", 20 << 10}, {"1MB", 1 << 20}} {
		for _, faults := range []bool{false, true} {
			text := benchJob(size.bytes, faults)
			value := decodeNumbers(b, text)
			name := size.name + "/valid"
			if faults {
				name = size.name + "/errors"
			}
			b.Run(name, func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				var n int
				var floor, bare, work []time.Duration
				var cpu time.Duration
				for i := 0; i < b.N; i++ {
					// The medians are sampled on the first iterations only,
					// each right after a collection: the untimed baselines
					// would otherwise grow with b.N and take minutes.
					sample := i < baselineSamples
					if sample {
						b.StopTimer()
						runtime.GC()
						t := time.Now()
						var v any
						if err := json.Unmarshal(text, &v); err != nil {
							b.Fatal(err)
						}
						floor = append(floor, time.Since(t))
						runtime.GC()
						t = time.Now()
						_ = engine.Validate(value)
						bare = append(bare, time.Since(t))
						runtime.GC()
						b.StartTimer()
					}
					c := cpuTime()
					t := time.Now()
					n = len(Lint(text, Options{}).Diagnostics)
					if sample {
						work = append(work, time.Since(t))
					}
					cpu += cpuTime() - c
				}
				w := median(work)
				b.ReportMetric(float64(w)/float64(median(floor)), "x-json")
				b.ReportMetric(float64(w)/float64(median(bare)), "x-bare")
				b.ReportMetric(float64(w)/1e6, "med-ms/op")
				b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
				b.ReportMetric(float64(n), "diags")
			})
		}
	}
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	slices.Sort(s)
	return s[len(s)/2]
}

// cpuTime is the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// bareEngine compiles the Nosana job schema with the engine alone.
func bareEngine(b *testing.B) *jsonschema.Schema {
	b.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	if err := c.AddResource("nosana.json", decodeNumbers(b, jobschema.JSON())); err != nil {
		b.Fatal(err)
	}
	s, err := c.Compile("nosana.json")
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// decodeNumbers decodes JSON keeping numbers exact, as the engine wants.
func decodeNumbers(b *testing.B, text []byte) any {
	b.Helper()
	d := json.NewDecoder(bytes.NewReader(text))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		b.Fatal(err)
	}
	return v
}

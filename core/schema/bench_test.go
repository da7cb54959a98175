//go:build !js && !windows

package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// BenchmarkNosana measures, for Nosana jobs of 2 KB, 20 KB and 1 MB, valid
// and with one fault per op:
//   - decode:   encoding/json decoding of the bytes (the parse floor)
//   - bare:     the engine (santhosh-tekuri/jsonschema) validating the
//     already decoded value, nothing else
//   - validate: Schema.Validate of an already parsed document (value
//     conversion, validation and error mapping)
//   - lint:     jsonast.Parse + Schema.Validate, what jobkit does per file
//
// Every iteration also times one decode and one bare validation with the
// timer stopped, interleaved with the measured work; x-decode and x-bare are
// ratios of the medians of those per-iteration times, so they compare runs
// made under the same machine load and shrug off preemption outliers. Each of
// the three starts from a collected heap, so none pays for another's garbage.
// med-ms/op is the median time of one op.
// cpu-ms/op is the process CPU time per op (garbage collection included),
// which other processes competing for the CPU do not inflate.
// baselineSamples is how many iterations of a benchmark also time its
// baselines (decode, bare validation) in the same run.
const baselineSamples = 50

func BenchmarkNosana(b *testing.B) {
	s := mustNosana(b)
	for _, size := range []int{2 << 10, 20 << 10, 1 << 20} {
		for _, faults := range []bool{false, true} {
			text, nfaults := genJob(size, faults)
			name := fmt.Sprintf("%dKB", size>>10)
			if faults {
				name += "-faults"
			}
			doc := jsonast.Parse(text)
			value := doc.Root.Value()
			decode := func() {
				var v any
				d := json.NewDecoder(bytes.NewReader(text))
				d.UseNumber()
				if err := d.Decode(&v); err != nil {
					b.Fatal(err)
				}
			}
			bare := func() { _ = s.engine().Validate(value) }
			for _, k := range []struct {
				kind string
				fn   func()
			}{
				{"decode", decode},
				{"bare", bare},
				{"validate", func() { s.Validate(doc) }},
				{"lint", func() { s.Validate(jsonast.Parse(text)) }},
			} {
				b.Run(name+"/"+k.kind, func(b *testing.B) {
					b.SetBytes(int64(len(text)))
					b.ReportAllocs()
					var floor, base, work []time.Duration
					var cpu time.Duration
					for i := 0; i < b.N; i++ {
						// The medians (work and baselines) are sampled on the
						// first iterations only: their untimed cost (three
						// collections each) would otherwise grow with b.N,
						// which the timed part alone sets, and one run would
						// take many minutes.
						if i < baselineSamples {
							b.StopTimer()
							runtime.GC()
							t := time.Now()
							decode()
							floor = append(floor, time.Since(t))
							runtime.GC()
							t = time.Now()
							bare()
							base = append(base, time.Since(t))
							runtime.GC()
							b.StartTimer()
						}
						c := cpuTime()
						t := time.Now()
						k.fn()
						if i < baselineSamples {
							// Timed as the baselines were: right after a collection.
							work = append(work, time.Since(t))
						}
						cpu += cpuTime() - c
					}
					w := median(work)
					b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
					b.ReportMetric(float64(w)/1e6, "med-ms/op")
					b.ReportMetric(float64(w)/float64(median(floor)), "x-decode")
					b.ReportMetric(float64(w)/float64(median(base)), "x-bare")
					b.ReportMetric(float64(nfaults), "faults")
				})
			}
		}
	}
}

// cpuTime is the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkMapErrors measures placing and wording the violations alone (1
// MB job, one fault per op, the engine's error tree computed once outside
// the loop).
func BenchmarkMapErrors(b *testing.B) {
	s := mustNosana(b)
	text, faults := genJob(1<<20, true)
	doc := jsonast.Parse(text)
	err := s.engine().Validate(doc.Root.Value())
	if err == nil {
		b.Fatal("no errors")
	}
	b.ReportAllocs()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		c := cpuTime()
		m := newMapper(s, doc)
		m.mapViolations(place(m.loc, err))
		cpu += cpuTime() - c
		if len(m.out) != faults {
			b.Fatalf("%d diagnostics for %d faults", len(m.out), faults)
		}
	}
	b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkCompile measures compiling each schema jobkit ships, what the
// editor's first lint of a format pays once: the schema tree for messages
// and navigation, and the engine's compiled form.
func BenchmarkCompile(b *testing.B) {
	for name, path := range schemasUnderTest {
		text, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				c := cpuTime()
				if _, err := Compile(text, Options{}); err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - c
			}
			b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}

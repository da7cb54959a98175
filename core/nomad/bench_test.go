package nomad

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// benchJob builds a job of about size bytes: valid, or with several errors
// in every group (unknown keys, string durations, bad names, bad operands).
func benchJob(size int, broken bool) []byte {
	group := func(i int) string {
		if broken {
			return fmt.Sprintf(`{"Name": "g%d", "count": "2", "Constraints": [{"Operand": "distinct_host"}],
  "Tasks": [{"Name": "t/%d", "Driver": "docker", "kill_timeout": 5, "KillTimeout": "5s",
    "Config": {"imagee": "redis:7", "args": "a b", "labels": {"a": "b"}},
    "Env": {"X": "${NOMAD_PORT_nope}"},
    "Services": [{"Name": "bad_name_%d", "PortLabel": "nope", "Checks": [{"Type": "https", "Interval": 10, "Timeout": 2}]}],
    "Resources": {"CPU": 1.5, "MemoryMB": 4, "DiskMB": 300}}]}`, i, i, i)
		}
		return fmt.Sprintf(`{"Name": "g%d", "Count": 2,
  "Networks": [{"Mode": "bridge", "DynamicPorts": [{"Label": "http", "To": 8080}]}],
  "Tasks": [{"Name": "t%d", "Driver": "docker", "KillTimeout": 5000000000,
    "Config": {"image": "redis:7", "args": ["--port", "${NOMAD_PORT_http}"], "ports": ["http"]},
    "Env": {"X": "${NOMAD_PORT_http}"},
    "Services": [{"Name": "svc-%d", "PortLabel": "http", "Checks": [{"Type": "http", "Path": "/", "Interval": 10000000000, "Timeout": 2000000000}]}],
    "Resources": {"CPU": 200, "MemoryMB": 256}}]}`, i, i, i)
	}
	var groups []string
	n := 0
	for i := 0; n < size-200 || i == 0; i++ {
		g := group(i)
		groups = append(groups, g)
		n += len(g) + 2
	}
	return []byte(`{"Job": {"ID": "bench", "Type": "service", "Datacenters": ["dc1"], "TaskGroups": [` + strings.Join(groups, ",\n") + "]}}\n")
}

func BenchmarkNomad(b *testing.B) {
	for _, sz := range []struct {
		name string
		n    int
	}{{"2KB", 2 << 10}, {"20KB", 20 << 10}, {"1MB", 1 << 20}} {
		for _, broken := range []bool{false, true} {
			kind := "valid"
			if broken {
				kind = "errors"
			}
			text := benchJob(sz.n, broken)
			if !json.Valid(text) {
				b.Fatalf("benchmark input %s/%s is not JSON", sz.name, kind)
			}
			b.Run(sz.name+"/"+kind+"/lint", func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					lint(text, rule.Options{NomadVersion: "1.9"})
				}
			})
			b.Run(sz.name+"/"+kind+"/jsonast-parse", func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					jsonast.Parse(text)
				}
			})
			b.Run(sz.name+"/"+kind+"/encoding-json", func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					var v any
					if err := json.Unmarshal(text, &v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func TestBenchInputs(t *testing.T) {
	if ds := lint(benchJob(2<<10, false), rule.Options{}); len(ds) != 0 {
		t.Fatalf("valid benchmark job has diagnostics:\n%s", render("bench.json", ds))
	}
	if ds := lint(benchJob(2<<10, true), rule.Options{}); len(ds) < 20 {
		t.Fatalf("broken benchmark job has only %d diagnostics", len(ds))
	}
}

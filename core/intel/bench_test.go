package intel

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// bigNosana returns a Nosana job of about size bytes with the cursor marker
// "|" in the last op's cmd literal.
func bigNosana(size int) string {
	var ops []string
	for i := 0; len(strings.Join(ops, ",")) < size-600; i++ {
		ops = append(ops, fmt.Sprintf(`
    {"id": "op-%d", "type": "container/run",
     "args": {"image": "ghcr.io/example/worker:%d", "cmd": ["python", "train.py", "--epochs", "10"], "gpu": true,
              "env": {"STEP": "%d", "MODEL": "llama"}, "expose": [{"port": %d, "health_checks": [{"type": "http", "path": "/", "method": "GET", "expected_status": 200, "continuous": false}]}]},
     "results": {"loss": "loss=([0-9.]+)"}}`, i, i, i, 8000+i))
	}
	ops = append(ops, `
    {"id": "last", "type": "container/run", "args": {"image": "x", "cmd": ["echo", "%%ops.op-1|"]}}`)
	return `{"version": "0.1", "type": "container", "meta": {"trigger": "cli", "system_requirements": {"required_vram": 8}},
  "ops": [` + strings.Join(ops, ",") + `
  ]
}`
}

// bigNomad returns a Nomad job of about size bytes with the cursor marker
// in a key of the last task.
func bigNomad(size int) string {
	var groups []string
	for i := 0; len(strings.Join(groups, ",")) < size-400; i++ {
		groups = append(groups, fmt.Sprintf(`
    {"Name": "g%d", "Count": 1, "RestartPolicy": {"Attempts": 2, "Delay": 15000000000, "Interval": 1800000000000, "Mode": "fail"},
     "Networks": [{"DynamicPorts": [{"Label": "http", "To": 8080}]}],
     "Tasks": [{"Name": "t", "Driver": "docker", "Config": {"image": "nginx:1.27", "ports": ["http"]},
                "Env": {"A": "${NOMAD_PORT_http}"}, "Resources": {"CPU": 500, "MemoryMB": 256}}]}`, i))
	}
	groups = append(groups, `
    {"Name": "last", "Tasks": [{"Name": "t", "Dri|"}]}`)
	return `{"Job": {"ID": "big", "Type": "service", "Datacenters": ["dc1"], "Periodic": {"Spec": "*/15 * * * *"}, "TaskGroups": [` +
		strings.Join(groups, ",") + `]}}`
}

func benchText(b *testing.B, s string) ([]byte, int) {
	b.Helper()
	i := strings.Index(s, "|")
	return []byte(s[:i] + s[i+1:]), i
}

func TestBenchDocuments(t *testing.T) {
	for name, s := range map[string]string{"nosana": bigNosana(20 << 10), "nomad": bigNomad(20 << 10)} {
		text, off := marked(t, s)
		if len(text) < 19<<10 || len(text) > 22<<10 {
			t.Errorf("%s: %d bytes, want about 20 KB", name, len(text))
		}
		if items := Complete(text, off, core.Options{}); len(items) == 0 {
			t.Errorf("%s: no completions at the benchmark's cursor", name)
		}
	}
}

func BenchmarkComplete(b *testing.B) {
	for name, s := range map[string]string{"nosana-literal-20KB": bigNosana(20 << 10), "nomad-key-20KB": bigNomad(20 << 10)} {
		text, off := benchText(b, s)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Complete(text, off, core.Options{})
			}
		})
	}
}

func BenchmarkHover(b *testing.B) {
	nosana := bigNosana(20 << 10)
	nomad := bigNomad(20 << 10)
	cases := map[string]struct {
		s   string
		key string // hover at the first occurrence of key in the text
	}{
		"nosana-gpu-effective-20KB": {nosana, `"gpu": tr`},
		"nosana-key-doc-20KB":       {nosana, `"image`},
		"nomad-duration-20KB":       {nomad, `"Delay": 150`},
		"nomad-cron-20KB":           {nomad, `*/15`},
	}
	for name, c := range cases {
		text, _ := benchText(b, c.s)
		off := strings.Index(string(text), c.key) + len(c.key) - 1
		if Hover(text, off, core.Options{}) == nil {
			b.Fatalf("%s: no hover", name)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Hover(text, off, core.Options{})
			}
		})
	}
}

func BenchmarkFormat(b *testing.B) {
	text, _ := benchText(b, strings.Replace(bigNosana(20<<10), "|", "", 1)+"|")
	for b.Loop() {
		Format(text)
	}
}

// BenchmarkParse is the scanner's share of every request, for comparison.
func BenchmarkParse(b *testing.B) {
	text, _ := benchText(b, bigNosana(20<<10))
	for b.Loop() {
		jsonast.Parse(text)
	}
}

package bridge

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// bigJob is a Nosana job of about 20 KB, like the one the browser
// benchmark in e2e types into.
func bigJob() string {
	var ops []string
	for i := 0; len(strings.Join(ops, ",")) < 20<<10; i++ {
		ops = append(ops, fmt.Sprintf(`{"type": "container/run", "id": "step-%03d", "args": {"image": "python:3.12-slim", "cmd": ["python", "-c", "print('step %d')"], "env": {"STEP": "%d"}, "gpu": true, "expose": %d}}`, i, i, i, 8000+i))
	}
	return `{"version": "0.1", "type": "container", "meta": {"trigger": "cli", "system_requirements": {"required_vram": 8}}, "ops": [` + strings.Join(ops, ",\n") + "]}"
}

// BenchmarkLint20KB is the Go side of one keystroke in the editor: decode
// the request, lint, convert offsets, encode the answer.
func BenchmarkLint20KB(b *testing.B) {
	params, _ := json.Marshal(DocParams{Text: bigJob()})
	b.SetBytes(int64(len(params)))
	for b.Loop() {
		Call("lint", params)
	}
}

package rules

import (
	"strconv"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
)

func TestDuplicatePort(t *testing.T) {
	grouped := func(id, group, expose string) string {
		return `{"id": "` + id + `", "type": "container/run", "execution": {"group": "` + group + `"}, "args": {"image": "nginx:1.27", "expose": ` + expose + `}}`
	}
	checkCases(t, duplicatePort, []ruleCase{
		{"different ports in a group", job(grouped("a", "g", "[80]"), grouped("b", "g", "[81]")), nil},
		{"same port in a group", job(grouped("a", "g", "[80]"), grouped("b", "g", `[{"port": 80}]`)), []string{"warning ops[1].args.expose[0].port"}},
		{"same port in different groups", job(grouped("a", "g", "[80]"), grouped("b", "h", "80")), nil},
		{"ungrouped ops are separate groups", job(runOp("a", `"expose": 80`), runOp("b", `"expose": 80`)), nil},
		{"group named like an op id", job(runOp("web", `"expose": 80`), grouped("b", "web", "[80]")), []string{"warning ops[1].args.expose[0]"}},
		{"twice in one op", job(runOp("a", `"expose": [80, 81, {"port": 80}]`)), []string{"error ops[0].args.expose[2].port"}},
		{"many repeats in a group: one per op", job(grouped("a", "g", "[80, 81, 82]"), grouped("b", "g", "[80, 81, 82]"), grouped("c", "g", "[80, 81, 82]")),
			[]string{"warning ops[1].args.expose[0]", "warning ops[2].args.expose[0]"}},
		{"many repeats in one op: one error", job(runOp("a", `"expose": [80, 81, 80, 81, 80]`)), []string{"error ops[0].args.expose[2]"}},
		{"invalid ports are port-range's", job(runOp("a", `"expose": [0, 0]`)), nil},
	})
	// The count and the ports are in the one message.
	ds := runRule(t, duplicatePort, job(grouped("a", "g", "[80, 81, 82, 83, 84, 85, 86]"), grouped("b", "g", "[86, 85, 84, 83, 82, 81, 80]")))
	if len(ds) != 1 || !strings.Contains(ds[0].Message, `exposes 7 ports (86, 85, 84, 83, 82, and 2 more) that op "a" (ops[0]) also exposes`) {
		t.Errorf("repeated ports: got %v", brief(ds))
	}
	ds = runRule(t, duplicatePort, job(grouped("a", "g", "[80]"), grouped("b", "g", "[81]"), grouped("c", "g", "[80, 81]")))
	if len(ds) != 1 || !strings.Contains(ds[0].Message, `that 2 other ops (op "a" (ops[0]), op "b" (ops[1])) also expose in`) {
		t.Errorf("ports of two other ops: got %v", brief(ds))
	}
	ds = runRule(t, duplicatePort, job(runOp("a", `"expose": [80, 80]`)))
	if len(ds) != 1 || ds[0].Severity != diag.Error {
		t.Errorf("a port twice in one op: got %v, want one error", brief(ds))
	}
}

// TestDuplicatePortGeneratedJob: 300 ops of one group, each exposing the same
// 199 ports (a generated job seen in the wild), give one warning per op
// after the first instead of 299 × 199 = 59,501.
func TestDuplicatePortGeneratedJob(t *testing.T) {
	ports := make([]string, 199)
	for i := range ports {
		ports[i] = strconv.Itoa(8000 + i)
	}
	expose := "[" + strings.Join(ports, ", ") + "]"
	ops := make([]string, 300)
	for i := range ops {
		ops[i] = `{"id": "w` + strconv.Itoa(i) + `", "type": "container/run", "execution": {"group": "g"}, "args": {"image": "nginx:1.27", "expose": ` + expose + `}}`
	}
	ds := runRule(t, duplicatePort, job(ops...))
	if len(ds) != 299 {
		t.Fatalf("got %d diagnostics, want 299", len(ds))
	}
	if !strings.Contains(ds[0].Message, "exposes 199 ports (8000, 8001, 8002, 8003, 8004, and 194 more)") {
		t.Errorf("message: %s", ds[0].Message)
	}
}

package rules

import (
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
		{"invalid ports are port-range's", job(runOp("a", `"expose": [0, 0]`)), nil},
	})
	ds := runRule(t, duplicatePort, job(runOp("a", `"expose": [80, 80]`)))
	if len(ds) != 1 || ds[0].Severity != diag.Error {
		t.Errorf("a port twice in one op: got %v, want one error", brief(ds))
	}
}

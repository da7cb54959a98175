package rules

import (
	"strings"
	"testing"
)

func TestExposeSingleObject(t *testing.T) {
	checkCases(t, exposeSingleObject, []ruleCase{
		{"list", job(runOp("a", `"expose": [{"port": 80}]`)), nil},
		{"number", job(runOp("a", `"expose": 80`)), nil},
		{"single object", job(runOp("a", `"expose": {"port": 80, "type": "web"}`)), []string{"warning ops[0].args.expose"}},
		{"spread marker", job(runOp("a", `"expose": {"__spread__": "%%global.variables.P%%"}`)), nil},
	})
	src := job(runOp("a", `"expose": {"port": 80}`))
	out, fix := fixed(t, exposeSingleObject, src, "Wrap")
	if !fix.Safe || !strings.Contains(out, `"expose": [{"port": 80}]`) {
		t.Errorf("fix gave %s (safe %v)", out, fix.Safe)
	}
	if ds := runRule(t, exposeSingleObject, out); len(ds) != 0 {
		t.Errorf("still reported after the fix: %v", brief(ds))
	}
}

package rules

import "testing"

func TestPortRange(t *testing.T) {
	checkCases(t, portRange, []ruleCase{
		{"valid ports", job(runOp("a", `"expose": [1, 8080, 65535, {"port": 443}]`)), nil},
		{"bare number", job(runOp("a", `"expose": 0`)), []string{"error ops[0].args.expose"}},
		{"too big in object", job(runOp("a", `"expose": [80, {"port": 70000}]`)), []string{"error ops[0].args.expose[1].port"}},
		{"negative and fraction", job(runOp("a", `"expose": [-1, 80.5, 8e3, 1e9]`)), []string{"error ops[0].args.expose[0]", "error ops[0].args.expose[1]", "error ops[0].args.expose[3]"}},
		{"single object", job(runOp("a", `"expose": {"port": 65536}`)), []string{"error ops[0].args.expose.port"}},
		{"literals and spread skipped", job(runOp("a", `"expose": ["%%ops.b.results.port%%", {"__spread__": "%%global.variables.PORTS%%"}, "8000-8010"]`)), nil},
		{"create-volume op ignored", job(`{"id": "v", "type": "container/create-volume", "args": {"name": "x", "expose": 0}}`), nil},
	})
	ds := runRule(t, portRange, job(runOp("a", `"expose": [{"port": 70000}]`)))
	if want := "ops[0].args.expose[0].port: 70000 is not a TCP port; use a number from 1 to 65535"; len(ds) != 1 || ds[0].Message != want {
		t.Errorf("message = %v, want %q", brief(ds), want)
	}
}

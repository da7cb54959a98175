package rules

import (
	"strings"
	"testing"
)

func TestPrivateWithoutExpose(t *testing.T) {
	checkCases(t, privateWithoutExpose, []ruleCase{
		{"private with expose", job(runOp("a", `"expose": [80], "private": true`)), nil},
		{"private false", job(runOp("a", `"private": false`)), nil},
		{"private without expose", job(runOp("a", `"private": true`)), []string{"warning ops[0].args.private"}},
		{"private with empty expose", job(runOp("a", `"expose": [], "private": true`)), []string{"warning ops[0].args.private"}},
	})
	out, fix := fixed(t, privateWithoutExpose, job(runOp("a", `"private": true`)), "Remove")
	if fix.Safe || strings.Contains(out, "private") {
		t.Errorf("fix gave %s (safe %v); want private removed by an unsafe fix", out, fix.Safe)
	}
}

package rules

import "testing"

func TestGPUNoOptOut(t *testing.T) {
	checkCases(t, gpuNoOptOut, []ruleCase{
		{"global gpu, op false", withTop(job(runOp("a", `"gpu": false`)), `"global": {"gpu": true}`), []string{"warning ops[0].args.gpu"}},
		{"global gpu, op true", withTop(job(runOp("a", `"gpu": true`)), `"global": {"gpu": true}`), nil},
		{"no global gpu", withTop(job(runOp("a", `"gpu": false`)), `"global": {"gpu": false}`), nil},
		{"no global", job(runOp("a", `"gpu": false`)), nil},
	})
}

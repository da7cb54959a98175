package rules

import (
	"strings"
	"testing"
)

func TestGlobalImageUnused(t *testing.T) {
	checkCases(t, globalImageUnused, []ruleCase{
		{"global image", withTop(job(runOp("a", "")), `"global": {"image": "ubuntu:22.04"}`), []string{"warning global.image"}},
		{"no global image", withTop(job(runOp("a", "")), `"global": {"gpu": false}`), nil},
	})
	out, fix := fixed(t, globalImageUnused, withTop(job(runOp("a", "")), `"global": {"image": "ubuntu:22.04", "gpu": false}`), "Remove")
	if !fix.Safe || strings.Contains(out, `"image": "ubuntu:22.04", "gpu"`) || !strings.Contains(out, `"global": {"gpu": false}`) {
		t.Errorf("fix gave %s (safe %v)", out, fix.Safe)
	}
	// An op without an image of its own makes the removal unsafe.
	_, fix = fixed(t, globalImageUnused, withTop(job(`{"id": "a", "type": "container/run", "args": {"image": ""}}`), `"global": {"image": "ubuntu:22.04"}`), "Remove")
	if fix.Safe {
		t.Error("removing global.image is marked safe although an op has an empty image")
	}
}

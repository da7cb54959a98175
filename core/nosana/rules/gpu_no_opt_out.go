package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// gpuNoOptOut: "gpu": false on an op while global.gpu is true.
//
// The node gives an op a GPU when args.gpu || global.gpu, so an op cannot
// opt out of a global GPU: the false is ignored and the op still gets every
// GPU of the node.
var gpuNoOptOut = &rule.Rule{
	ID:       "gpu-no-opt-out",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  `"gpu": false on an op cannot override "global.gpu": true`,
	Check:    checkGPUNoOptOut,
}

func checkGPUNoOptOut(c *rule.Context) {
	if !sourceOf(c).GlobalGPU() {
		return
	}
	for _, o := range runOps(c) {
		m := o.Args.MemberByKey("gpu")
		if m == nil {
			continue
		}
		if b, ok := m.Value.BoolValue(); ok && !b {
			c.Report(m.Value, "%s: false is ignored because global.gpu is true (the node uses args.gpu || global.gpu), so this op still gets the GPU; remove global.gpu and set \"gpu\": true only on the ops that need it", m.Path())
		}
	}
}

package rules

import (
	"math"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// portRange: an exposed port must be an integer from 1 to 65535.
//
// The official validator types ports as plain numbers, so -1, 0, 70000 and
// 80.5 all pass it; the node then hands the value to its tunnel sidecar,
// which cannot forward it, and the service never becomes reachable.
var portRange = &rule.Rule{
	ID:       "port-range",
	Format:   rule.Nosana,
	Severity: diag.Error,
	Summary:  "an exposed port must be an integer from 1 to 65535",
	Check:    checkPortRange,
}

func checkPortRange(c *rule.Context) {
	for _, o := range runOps(c) {
		for _, p := range exposedPorts(o.Args) {
			n := p.PortNode
			if _, ok := validPort(n); ok {
				continue
			}
			if f, ok := n.Float(); ok && f != math.Trunc(f) {
				c.Report(n, "%s: %s is not a whole number; a port is an integer from 1 to 65535", n.Path(), n.Num)
				continue
			}
			c.Report(n, "%s: %s is not a TCP port; use a number from 1 to 65535", n.Path(), n.Num)
		}
	}
}

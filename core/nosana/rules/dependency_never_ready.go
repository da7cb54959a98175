package rules

import (
	"fmt"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// dependencyNeverReady: depends_on names an op that exposes ports without
// health checks.
//
// A dependent op starts on its dependency's "startup health check passed"
// event. A non-exposed op sends it as soon as its container starts, an
// exposed op after its first successful health check, and an exposed op
// without health_checks never: the dependent op waits forever. (The docs say
// the op is ready once it runs; the node's code does not do that.)
var dependencyNeverReady = &rule.Rule{
	ID:       "dependency-never-ready",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "depends_on names an exposed op without health_checks, which never becomes ready",
	Check:    checkDependencyNeverReady,
}

func checkDependencyNeverReady(c *rule.Context) {
	g := sourceOf(c)
	for _, o := range g.Ops {
		for _, dep := range o.Deps {
			t := g.Op(dep.ID)
			if t == nil || t == o || t.Args == nil {
				continue
			}
			x := t.Exposure()
			if !x.Exposed || x.Dynamic || x.HealthChecked {
				continue
			}
			port := "8080"
			if len(x.Ports) > 0 {
				port = x.Ports[0]
			}
			d := c.Report(dep.Node, "%s: op %s exposes ports but has no health_checks, so the node never marks it ready and %s never starts; give %s's port a health check, e.g. %s",
				dep.Node.Path(), t.Name(), o.Name(), t.Name(), exampleHealthCheck(port))
			if n := firstBarePort(t.Args.Get("expose")); n != nil {
				text := exampleHealthCheck(n.Num)
				if n.Parent == nil || !n.Parent.Is(jsonast.Array) {
					text = "[" + text + "]"
				}
				d.Fixes = append(d.Fixes, replaceValue(c, n, fmt.Sprintf("Add an HTTP health check on / to port %s of %s", n.Num, t.Name()), text, false))
			}
		}
	}
}

// firstBarePort returns the first port written as a plain number in expose.
func firstBarePort(e *jsonast.Node) *jsonast.Node {
	if e.Is(jsonast.Number) {
		return e
	}
	if !e.Is(jsonast.Array) {
		return nil
	}
	for _, it := range e.Items {
		if it.Is(jsonast.Number) {
			return it
		}
	}
	return nil
}

func exampleHealthCheck(port string) string {
	return fmt.Sprintf(`{"port": %s, "health_checks": [{"type": "http", "path": "/", "method": "GET", "expected_status": 200, "continuous": true}]}`, port)
}

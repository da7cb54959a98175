package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// duplicatePort: the same port exposed twice in one op, or by two ops of one
// execution group.
//
// Within one op the official validator rejects the job (its
// UniqueExposedPorts check), so that case is an error. Across two ops of one
// group it works, because every container gets its own tunnel, but the two
// URLs differ only by a hash and it is easy to call the wrong service.
// Literals and spread markers are resolved at run time and are not compared.
var duplicatePort = &rule.Rule{
	ID:       "duplicate-port",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "the same port is exposed twice in one op, or by two ops of one group",
	Check:    checkDuplicatePort,
}

func checkDuplicatePort(c *rule.Context) {
	type owner struct {
		op   *jobOp
		path string
	}
	byGroup := map[string]map[int]owner{}
	for _, o := range runOps(c) {
		seen := byGroup[o.Group]
		if seen == nil {
			seen = map[int]owner{}
			byGroup[o.Group] = seen
		}
		mine := map[int]string{}
		for _, p := range exposedPorts(o.Args) {
			port, ok := validPort(p.PortNode)
			if !ok {
				continue
			}
			if first, dup := mine[port]; dup {
				d := c.Report(p.PortNode, "%s: port %d is already exposed at %s; the Nosana validator rejects a port listed twice, so remove one", p.PortNode.Path(), port, first)
				d.Severity = diag.Error
				continue
			}
			mine[port] = p.PortNode.Path()
			if prev, dup := seen[port]; dup && prev.op != o {
				c.Report(p.PortNode, "%s: port %d is also exposed by %s in the same execution group %s; each op gets its own URL for it, which is easy to mix up, so use a different port", p.PortNode.Path(), port, prev.op.Label(), groupLabel(o))
				continue
			}
			seen[port] = owner{op: o, path: p.PortNode.Path()}
		}
	}
}

package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// dependencyGroupOrder: depends_on between ops of different execution
// groups, or on an ungrouped op that comes later.
//
// Groups run one after another; depends_on only orders ops inside one group.
// The node compares the two ops' execution.group values and refuses the job
// ("Execution Plan Validation Failed") when they differ (error). Two
// ungrouped ops pass that check, but each runs in a group of its own, in
// the order of ops[]: when the dependency comes later, the dependent op's
// group runs first, its dependency is never ready, and it never starts
// (warning).
var dependencyGroupOrder = &rule.Rule{
	ID:       "dependency-group-order",
	Format:   rule.Nosana,
	Severity: diag.Error,
	Summary:  "depends_on crosses execution groups, or waits for an ungrouped op that runs later",
	Check:    checkDependencyGroupOrder,
}

func checkDependencyGroupOrder(c *rule.Context) {
	g := sourceOf(c)
	for _, o := range g.Ops {
		for _, dep := range o.Deps {
			t := g.Op(dep.ID)
			if t == nil || t == o || o.IDNode != nil && dep.ID == o.ID {
				continue
			}
			switch {
			case o.GroupSet != t.GroupSet || o.GroupName != t.GroupName:
				c.Report(dep.Node, "%s: op %s is %s but depends on %s, which is %s; the node only allows depends_on inside one group and refuses the job (\"Execution Plan Validation Failed\"): give both ops the same execution.group",
					dep.Node.Path(), o.Name(), o.GroupText(), t.Name(), t.GroupText())
			case !o.GroupSet && t.Index > o.Index:
				d := c.Report(dep.Node, "%s: op %s depends on %s, which comes later in ops; without an execution.group each op runs in a group of its own, in order, so %s is never ready when %s's turn comes and %s never starts: move %s before it, or put both in the same execution.group",
					dep.Node.Path(), o.Name(), t.Name(), t.Name(), o.Name(), o.Name(), t.Name())
				d.Severity = diag.Warning
			}
		}
	}
}

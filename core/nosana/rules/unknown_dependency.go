package rules

import (
	"fmt"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// unknownDependency: execution.depends_on names an op that does not exist,
// or the op itself.
//
// The node validates the execution plan before running anything and throws
// "Execution Plan Validation Failed" for both, so the whole job fails; the
// official validator lets both through.
var unknownDependency = &rule.Rule{
	ID:       "unknown-dependency",
	Format:   rule.Nosana,
	Severity: diag.Error,
	Summary:  "depends_on names an op that does not exist, or the op itself",
	Check:    checkUnknownDependency,
}

func checkUnknownDependency(c *rule.Context) {
	g := sourceOf(c)
	ids := g.IDs()
	for _, o := range g.Ops {
		deps := o.Node.Get("execution").Get("depends_on")
		for _, dep := range o.Deps {
			switch {
			case o.IDNode != nil && dep.ID == o.ID:
				d := c.Report(dep.Node, "%s: op %s depends on itself, which the node rejects (\"Execution Plan Validation Failed\"); remove this entry",
					dep.Node.Path(), o.Name())
				d.Fixes = append(d.Fixes, diag.Fix{Title: "Remove the self-dependency", Edits: []diag.TextEdit{removeItem(c, deps, dep.Node.Index)}, Safe: true})
			case g.Op(dep.ID) == nil:
				hint := didYouMean(dep.ID, ids)
				if hint == "" && len(ids) > 0 && len(ids) <= 8 {
					hint = "; the ops are " + quoteList(ids)
				}
				d := c.Report(dep.Node, "%s: op %q does not exist%s", dep.Node.Path(), dep.ID, hint)
				if s := closest(dep.ID, ids); s != "" {
					d.Fixes = append(d.Fixes, replaceValue(c, dep.Node, fmt.Sprintf("Change to %q", s), jsonString(s), false))
				}
			}
		}
	}
}

package rules

import (
	"fmt"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// duplicateOpID: two ops with the same id.
//
// The node keys every op by its id (dependencies, literals, results, flow
// state), so it refuses the job at bootstrap with "Duplicate operation IDs
// found". The official validator says only that /ops is invalid, without
// naming the op; this rule points at the second occurrence.
var duplicateOpID = &rule.Rule{
	ID:       "duplicate-op-id",
	Format:   rule.Nosana,
	Severity: diag.Error,
	Summary:  "two ops have the same id; the node refuses to start the job",
	Check:    checkDuplicateOpID,
}

func checkDuplicateOpID(c *rule.Context) {
	g := sourceOf(c)
	// The ids in use are collected only for renames, when an id repeats.
	var used map[string]bool
	for _, o := range g.Ops {
		if first := g.Op(o.ID); o.IDNode != nil && first != o {
			used = make(map[string]bool, len(g.Ops))
			break
		}
	}
	if used == nil {
		return
	}
	for _, o := range g.Ops {
		if o.IDNode != nil {
			used[o.ID] = true
		}
	}
	for _, o := range g.Ops {
		first := g.Op(o.ID)
		if o.IDNode == nil || first == o {
			continue
		}
		d := c.Report(o.IDNode, "%s: op id %q is already used by ops[%d]; every op needs its own id (the node refuses the job with \"Duplicate operation IDs found\")",
			o.IDNode.Path(), o.ID, first.Index)
		name := ""
		for n := 2; ; n++ {
			if name = fmt.Sprintf("%s-%d", o.ID, n); !used[name] {
				break
			}
		}
		used[name] = true
		d.Fixes = append(d.Fixes, replaceValue(c, o.IDNode, fmt.Sprintf("Rename this op to %q", name), jsonString(name), false))
	}
}

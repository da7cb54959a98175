package plan

import (
	"fmt"
	"strings"

	"github.com/jobkit-dev/jobkit/core/nosana"
)

// validate rejects what a node refuses before running anything (duplicate
// ids, dependencies on missing ops, on themselves or across groups) and
// dependency cycles, which a node does not detect and which would never end.
func validate(job *nosana.Job) error {
	var problems []string
	ops := map[string]*nosana.Op{}
	for _, op := range job.Ops {
		if _, dup := ops[op.ID]; dup {
			problems = append(problems, fmt.Sprintf("op id %q is used twice", op.ID))
			continue
		}
		ops[op.ID] = op
	}
	for _, op := range job.Ops {
		for _, dep := range op.DependsOn() {
			d, ok := ops[dep]
			switch {
			case dep == op.ID:
				problems = append(problems, fmt.Sprintf("op %q depends on itself", op.ID))
			case !ok:
				problems = append(problems, fmt.Sprintf("op %q depends on %q, which does not exist", op.ID, dep))
			case !sameWrittenGroup(op, d):
				problems = append(problems, fmt.Sprintf("op %q (%s) depends on %q in another group (%s); depends_on only works inside a group, and groups already run in order", op.ID, groupText(op), dep, groupText(d)))
			}
		}
	}
	if len(problems) == 0 {
		if cycle := findCycle(job, ops); cycle != nil {
			problems = append(problems, "depends_on forms a cycle: "+strings.Join(cycle, " → "))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the execution plan is invalid:\n  - %s", strings.Join(problems, "\n  - "))
	}
	return nil
}

// sameWrittenGroup compares execution.group as written, as the node's
// validateExecutionPlan does: two ops without a group pass, although each
// runs in a group of its own (see engine: a dependency in a later group).
func sameWrittenGroup(a, b *nosana.Op) bool {
	ga, oka := a.WrittenGroup()
	gb, okb := b.WrittenGroup()
	return oka == okb && ga == gb
}

func groupText(op *nosana.Op) string {
	if g, ok := op.WrittenGroup(); ok {
		return fmt.Sprintf("group %q", g)
	}
	return "no execution.group"
}

func findCycle(job *nosana.Job, ops map[string]*nosana.Op) []string {
	const (
		unseen = iota
		active
		finished
	)
	state := map[string]int{}
	var stack []string
	var visit func(id string) []string
	visit = func(id string) []string {
		state[id] = active
		stack = append(stack, id)
		for _, dep := range ops[id].DependsOn() {
			switch state[dep] {
			case active:
				for i, s := range stack {
					if s == dep {
						return append(append([]string(nil), stack[i:]...), dep)
					}
				}
			case unseen:
				if c := visit(dep); c != nil {
					return c
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[id] = finished
		return nil
	}
	for _, op := range job.Ops {
		if state[op.ID] == unseen {
			if c := visit(op.ID); c != nil {
				return c
			}
		}
	}
	return nil
}

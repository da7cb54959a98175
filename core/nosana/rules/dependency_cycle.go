package rules

import (
	"slices"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// dependencyCycle: ops that wait for each other through depends_on.
//
// An op with depends_on starts only when its dependencies are ready. The node
// rejects an op depending on itself but does not look for longer cycles: the
// ops of a cycle all wait, never start, and their group never finishes.
// Each cycle is reported once, at the depends_on entry of its first op.
var dependencyCycle = &rule.Rule{
	ID:       "dependency-cycle",
	Format:   rule.Nosana,
	Severity: diag.Error,
	Summary:  "ops depend on each other in a cycle and never start",
	Check:    checkDependencyCycle,
}

func checkDependencyCycle(c *rule.Context) {
	g := sourceOf(c)
	if !slices.ContainsFunc(g.Ops, func(o *nosana.SourceOp) bool { return len(o.Deps) > 0 }) {
		return // no depends_on: no cycle
	}
	for _, scc := range stronglyConnected(g) {
		if len(scc) < 2 {
			continue
		}
		cycle := shortestCycle(g, scc)
		if len(cycle) < 2 {
			continue
		}
		first, next := cycle[0], cycle[1]
		names := make([]string, 0, len(cycle)+1)
		for _, o := range cycle {
			names = append(names, o.ID)
		}
		names = append(names, first.ID)
		for _, dep := range first.Deps {
			if dep.ID != next.ID {
				continue
			}
			c.Report(dep.Node, "%s: dependency cycle %s: each of these ops waits for the next one to be ready, so none of them ever starts; remove one of these depends_on entries",
				dep.Node.Path(), strings.Join(names, " → "))
			break
		}
	}
}

// stronglyConnected returns the strongly connected components of the
// depends_on graph (Tarjan), each sorted by op index.
func stronglyConnected(g *nosana.Source) [][]*nosana.SourceOp {
	if len(g.Ops) == 0 {
		return nil
	}
	// Per-op state in slices by op index (ops are in index order): a
	// generated job has thousands of ops, and three maps of them cost more
	// than the walk.
	type state struct {
		index, low int
		seen, on   bool
	}
	st := make([]state, g.Ops[len(g.Ops)-1].Index+1)
	visited := 0
	var stack []*nosana.SourceOp
	var out [][]*nosana.SourceOp
	var visit func(o *nosana.SourceOp)
	visit = func(o *nosana.SourceOp) {
		so := &st[o.Index]
		so.index, so.low, so.seen, so.on = visited, visited, true, true
		visited++
		stack = append(stack, o)
		for _, t := range g.Dependencies(o) {
			if ts := &st[t.Index]; !ts.seen {
				visit(t)
				so.low = min(so.low, ts.low)
			} else if ts.on {
				so.low = min(so.low, ts.index)
			}
		}
		if so.low != so.index {
			return
		}
		var scc []*nosana.SourceOp
		for {
			t := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			st[t.Index].on = false
			scc = append(scc, t)
			if t == o {
				break
			}
		}
		out = append(out, scc)
	}
	for _, o := range g.Ops {
		if !st[o.Index].seen && o.IDNode != nil && g.Op(o.ID) == o {
			visit(o)
		}
	}
	for _, scc := range out {
		sortByIndex(scc)
	}
	return out
}

func sortByIndex(ops []*nosana.SourceOp) {
	for i := 1; i < len(ops); i++ {
		for j := i; j > 0 && ops[j].Index < ops[j-1].Index; j-- {
			ops[j], ops[j-1] = ops[j-1], ops[j]
		}
	}
}

// shortestCycle returns the shortest cycle through the first op of scc,
// staying inside scc, without repeating the start at the end.
func shortestCycle(g *nosana.Source, scc []*nosana.SourceOp) []*nosana.SourceOp {
	in := map[*nosana.SourceOp]bool{}
	for _, o := range scc {
		in[o] = true
	}
	start := scc[0]
	prev := map[*nosana.SourceOp]*nosana.SourceOp{}
	queue := []*nosana.SourceOp{start}
	for len(queue) > 0 {
		o := queue[0]
		queue = queue[1:]
		for _, t := range g.Dependencies(o) {
			if !in[t] {
				continue
			}
			if t == start {
				var cycle []*nosana.SourceOp
				for x := o; x != start; x = prev[x] {
					cycle = append(cycle, x)
				}
				cycle = append(cycle, start)
				for i, j := 0, len(cycle)-1; i < j; i, j = i+1, j-1 {
					cycle[i], cycle[j] = cycle[j], cycle[i]
				}
				return cycle
			}
			if _, seen := prev[t]; !seen {
				prev[t] = o
				queue = append(queue, t)
			}
		}
	}
	return nil
}

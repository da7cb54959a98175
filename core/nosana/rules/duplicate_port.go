package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nosana"
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
// Each op gets at most one finding of each kind, with a count: a generated
// job whose ops all expose the same 199 ports gets one line per op.
var duplicatePort = &rule.Rule{
	ID:       "duplicate-port",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "the same port is exposed twice in one op, or by two ops of one group",
	Check:    checkDuplicatePort,
}

func checkDuplicatePort(c *rule.Context) {
	// Paths are formatted only when a finding is reported: a valid job with
	// thousands of ports would otherwise spend most of the rule on them.
	type owner struct {
		op   *nosana.SourceOp
		node *jsonast.Node
	}
	// repeat is one port of an op that duplicates an earlier one.
	type repeat struct {
		node  *jsonast.Node
		port  int
		first *jsonast.Node    // where it was first exposed
		other *nosana.SourceOp // the other op of the group, or nil within the op
	}
	// Ports are compared across the ops of a group only where a group has
	// more than one op: most ops are a group of their own.
	ops := runOps(c)
	opsIn := make(map[string]int, len(ops))
	for _, o := range ops {
		opsIn[o.Group]++
	}
	byGroup := map[string]map[int]owner{}
	for _, o := range ops {
		seen := byGroup[o.Group]
		if seen == nil && opsIn[o.Group] > 1 {
			seen = map[int]owner{}
			byGroup[o.Group] = seen
		}
		var inOp, inGroup []repeat
		ports := exposedPorts(o.Args)
		// An op exposes a port or two: a map of its own ports only for the
		// few that list many.
		var mine map[int]*jsonast.Node
		if len(ports) > 8 {
			mine = make(map[int]*jsonast.Node, len(ports))
		}
		for i, p := range ports {
			port, ok := validPort(p.PortNode)
			if !ok {
				continue
			}
			if first := earlierPort(ports[:i], mine, port); first != nil {
				inOp = append(inOp, repeat{node: p.PortNode, port: port, first: first})
				continue
			}
			if mine != nil {
				mine[port] = p.PortNode
			}
			if seen == nil {
				continue
			}
			if prev, dup := seen[port]; dup && prev.op != o {
				inGroup = append(inGroup, repeat{node: p.PortNode, port: port, first: prev.node, other: prev.op})
				continue
			}
			seen[port] = owner{op: o, node: p.PortNode}
		}
		// One finding per op and kind: an op that repeats many ports (a
		// generated job) gets one line with a count, not one per port.
		switch {
		case len(inOp) == 1:
			r := inOp[0]
			c.Report(r.node, "%s: port %d is already exposed at %s; the Nosana validator rejects a port listed twice, so remove one", r.node.Path(), r.port, r.first.Path()).Severity = diag.Error
		case len(inOp) > 1:
			r := inOp[0]
			ports := make([]int, len(inOp))
			for i, x := range inOp {
				ports[i] = x.port
			}
			c.Report(r.node, "%s: %s lists %d ports a second time (%s); the Nosana validator rejects a port listed twice, so remove the repeats", r.node.Path(), o.Label(), len(inOp), portList(ports)).Severity = diag.Error
		}
		switch {
		case len(inGroup) == 1:
			r := inGroup[0]
			c.Report(r.node, "%s: port %d is also exposed by %s in the same execution group %s; each op gets its own URL for it, which is easy to mix up, so use a different port", r.node.Path(), r.port, r.other.Label(), o.GroupLabel())
		case len(inGroup) > 1:
			r := inGroup[0]
			ports := make([]int, len(inGroup))
			var others []string
			for i, x := range inGroup {
				ports[i] = x.port
				if l := x.other.Label(); !slices.Contains(others, l) {
					others = append(others, l)
				}
			}
			by := others[0] + " also exposes"
			if len(others) > 1 {
				by = fmt.Sprintf("%d other ops (%s) also expose", len(others), strings.Join(others, ", "))
			}
			c.Report(r.node, "%s: %s exposes %d ports (%s) that %s in the same execution group %s; each op gets its own URL for each, which is easy to mix up, so use different ports", r.node.Path(), o.Label(), len(inGroup), portList(ports), by, o.GroupLabel())
		}
	}
}

// earlierPort returns the first of the ports before this one that is port,
// from mine when the op has one, else by looking through them.
func earlierPort(before []exposedPort, mine map[int]*jsonast.Node, port int) *jsonast.Node {
	if mine != nil {
		return mine[port]
	}
	for _, p := range before {
		if q, ok := validPort(p.PortNode); ok && q == port {
			return p.PortNode
		}
	}
	return nil
}

// portList names up to five ports and counts the rest.
func portList(ports []int) string {
	const shown = 5
	parts := make([]string, 0, shown+1)
	for i, p := range ports {
		if i == shown {
			parts = append(parts, fmt.Sprintf("and %d more", len(ports)-shown))
			break
		}
		parts = append(parts, strconv.Itoa(p))
	}
	return strings.Join(parts, ", ")
}

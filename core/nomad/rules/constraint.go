package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Constraint checks constraints, affinities and spreads the way Nomad does:
// known operands (with a fix for the old docs' "distinct_host"), RTarget
// required or forbidden, regexps that compile, counts, weights and spread
// percentages.
var Constraint = &rule.Rule{ID: "nomad-constraint", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of constraints, affinities and spreads (operands, targets, weights)", Check: checkConstraints}

var comparisons = map[string]bool{"=": true, "==": true, "is": true, "!=": true, "not": true, "<": true, "<=": true, ">": true, ">=": true}

// placements returns every object holding key (Constraints, Affinities,
// Spreads) in the job, group, task and device levels.
func placements(j *Job, key string) []*jsonast.Node {
	var holders []*jsonast.Node
	holders = append(holders, j.Node)
	for _, g := range j.Groups {
		holders = append(holders, g.Node)
		for _, t := range g.Tasks {
			holders = append(holders, t.Node)
			holders = append(holders, view.Objects(view.Get(view.Get(t.Node, "Resources"), "Devices"))...)
		}
	}
	var out []*jsonast.Node
	for _, h := range holders {
		out = append(out, view.Objects(view.Get(h, key))...)
	}
	return out
}

func checkConstraints(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, c := range placements(j, "Constraints") {
		if op, _ := view.Str(c, "Operand"); inDevice(c) && (op == "distinct_hosts" || op == "distinct_property") {
			nomadSays(ctx, view.Get(c, "Operand"), "a device constraint compares device attributes", "Constraint %d validation failed: using unsupported operand %q", c.Index+1, op)
			continue
		}
		checkConstraint(ctx, c, c.Index+1)
	}
	for _, a := range placements(j, "Affinities") {
		checkAffinity(ctx, a, a.Index+1)
	}
	for _, s := range placements(j, "Spreads") {
		checkSpread(ctx, s, s.Index+1)
	}
}

func checkConstraint(ctx *rule.Context, c *jsonast.Node, i int) {
	op, _ := view.Str(c, "Operand")
	opn := view.Get(c, "Operand")
	l, _ := view.Str(c, "LTarget")
	r, _ := view.Str(c, "RTarget")
	wrap := func(msg string, a ...any) string {
		return fmt.Sprintf("Constraint %d validation failed: %s", i, fmt.Sprintf(msg, a...))
	}
	switch {
	case op == "":
		nomadSays(ctx, at(c, "Operand"), `set an Operand such as "="`, "%s", wrap("Missing constraint operand"))
		return
	case op == "distinct_host":
		d := nomadSays(ctx, opn, `the operand is "distinct_hosts" (the old JSON docs had a typo)`, "%s", wrap("Unknown constraint type %q", op))
		d.Fixes = []diag.Fix{{Title: `Write "distinct_hosts"`, Safe: true, Edits: []diag.TextEdit{ctx.Edit(opn.Start, opn.End, `"distinct_hosts"`)}}}
		return
	case comparisons[op]:
		if r == "" {
			nomadSays(ctx, at(c, "RTarget"), "", "%s", wrap("Operator %q requires an RTarget", op))
		}
	case op == "set_contains" || op == "set_contains_all" || op == "set_contains_any":
		if r == "" {
			nomadSays(ctx, at(c, "RTarget"), "", "%s", wrap("Set contains constraint requires an RTarget"))
		}
	case op == "regexp":
		if _, err := regexp.Compile(r); err != nil {
			nomadSays(ctx, at(c, "RTarget"), "", "%s", wrap("Regular expression failed to compile: %v", err))
		}
	case op == "version" || op == "semver":
		if !validVersionConstraint(r) {
			what := "Version"
			if op == "semver" {
				what = "Semver"
			}
			nomadSays(ctx, at(c, "RTarget"), `write constraints such as ">= 1.2, < 2.0"`, "%s", wrap("%s constraint is invalid: Malformed constraint: %s", what, r))
		}
	case op == "distinct_property":
		if r != "" {
			if n, err := strconv.ParseUint(r, 10, 64); err != nil {
				nomadSays(ctx, at(c, "RTarget"), "", "%s", wrap("Failed to convert RTarget %q to uint64: %v", r, err))
			} else if n < 1 {
				nomadSays(ctx, at(c, "RTarget"), "", "%s", wrap("Distinct Property must have an allowed count of 1 or greater: %d < 1", n))
			}
		}
	case op == "distinct_hosts":
	case op == "is_set" || op == "is_not_set":
		if r != "" {
			nomadSays(ctx, view.Get(c, "RTarget"), "", "%s", wrap("Operator %q does not support an RTarget", op))
		}
	default:
		nomadSays(ctx, opn, "use one of =, !=, <, <=, >, >=, regexp, version, semver, set_contains, set_contains_all, set_contains_any, distinct_hosts, distinct_property, is_set, is_not_set", "%s", wrap("Unknown constraint type %q", op))
		return
	}
	if l == "" && op != "distinct_hosts" {
		nomadSays(ctx, at(c, "LTarget"), "", "%s", wrap("No LTarget provided but is required by constraint"))
	}
}

func checkAffinity(ctx *rule.Context, a *jsonast.Node, i int) {
	wrap := func(msg string, args ...any) string {
		return fmt.Sprintf("Affinity %d validation failed: %s", i, fmt.Sprintf(msg, args...))
	}
	op, _ := view.Str(a, "Operand")
	r, _ := view.Str(a, "RTarget")
	switch {
	case op == "":
		nomadSays(ctx, at(a, "Operand"), "", "%s", wrap("Missing affinity operand"))
	case comparisons[op] || op == "regexp" || op == "version" || op == "semver":
	case strings.HasPrefix(op, "set_contains"):
		if r == "" {
			nomadSays(ctx, at(a, "RTarget"), "", "%s", wrap("Set contains operators require an RTarget"))
		}
	default:
		nomadSays(ctx, view.Get(a, "Operand"), "", "%s", wrap("Unknown affinity operator %q", op))
	}
	if l, _ := view.Str(a, "LTarget"); l == "" {
		nomadSays(ctx, at(a, "LTarget"), "", "%s", wrap("No LTarget provided but is required"))
	}
	if w, ok := view.Int(a, "Weight"); ok {
		if w == 0 {
			nomadSays(ctx, view.Get(a, "Weight"), "", "%s", wrap("Affinity weight cannot be zero"))
		} else if w < -100 || w > 100 {
			nomadSays(ctx, view.Get(a, "Weight"), "", "%s", wrap("Affinity weight must be within the range [-100,100]"))
		}
	}
}

func checkSpread(ctx *rule.Context, s *jsonast.Node, i int) {
	wrap := func(msg string, args ...any) string {
		return fmt.Sprintf("Spread %d validation failed: %s", i, fmt.Sprintf(msg, args...))
	}
	if a, _ := view.Str(s, "Attribute"); a == "" {
		nomadSays(ctx, at(s, "Attribute"), "", "%s", wrap("Missing spread attribute"))
	}
	if w, ok := view.Int(s, "Weight"); ok && (w <= 0 || w > 100) {
		nomadSays(ctx, view.Get(s, "Weight"), "", "%s", wrap("Spread block must have a positive weight from 0 to 100"))
	}
	seen := map[string]bool{}
	sum := int64(0)
	for _, t := range view.Objects(view.Get(s, "SpreadTarget")) {
		v, _ := view.Str(t, "Value")
		if seen[v] {
			nomadSays(ctx, at(t, "Value"), "", "%s", wrap("Spread target value %q already defined", v))
		}
		seen[v] = true
		p := view.IntOr(t, "Percent", 0)
		if p < 0 || p > 100 {
			nomadSays(ctx, at(t, "Percent"), "", "%s", wrap("Spread target percentage for value %q must be between 0 and 100", v))
		}
		sum += p
	}
	if sum > 100 {
		nomadSays(ctx, view.Get(s, "SpreadTarget"), "", "%s", wrap("Sum of spread target percentages must not be greater than 100%%; got %d%%", sum))
	}
}

var versionClause = rule.Regexp(`^\s*(=|!=|>|<|>=|<=|~>)?\s*v?\d+(\.\d+){0,2}(-[0-9A-Za-z.\-]+)?(\+[0-9A-Za-z.\-]+)?\s*$`)

// validVersionConstraint accepts go-version style constraints: comma-separated
// clauses such as ">= 1.2.0, < 2".
func validVersionConstraint(s string) bool {
	if strings.Contains(s, "${") {
		return true
	}
	if strings.TrimSpace(s) == "" {
		return false
	}
	for _, c := range strings.Split(s, ",") {
		if !versionClause().MatchString(c) {
			return false
		}
	}
	return true
}

// inDevice reports whether a constraint or affinity belongs to a device
// request (Resources.Devices[i].Constraints[j]).
func inDevice(c *jsonast.Node) bool {
	p := c.Parent // Constraints array
	if p == nil || p.Parent == nil || p.Parent.Parent == nil {
		return false
	}
	list := p.Parent.Parent // Devices array
	return list.Member != nil && strings.EqualFold(list.Member.Key, "Devices")
}

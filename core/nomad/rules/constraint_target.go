package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// ConstraintTarget checks the ${...} targets of constraints, affinities and
// spreads. The scheduler resolves only a whole-value ${node.unique.id},
// ${node.datacenter}, ${node.unique.name}, ${node.class}, ${node.pool},
// ${attr.<name>} or ${meta.<key>} (and ${device.*} in device constraints);
// anything else (${node.region}, ${NOMAD_*}, text around the ${}) never
// matches, so the job is never placed.
var ConstraintTarget = &rule.Rule{ID: "nomad-constraint-target", Format: rule.Nomad, Severity: diag.Error,
	Summary: "constraint targets that can never resolve (${node.region}, ${NOMAD_*}, partial ${})", Check: checkTargets}

var nodeVars = map[string]bool{"node.unique.id": true, "node.datacenter": true, "node.unique.name": true, "node.class": true, "node.pool": true}

func checkTargets(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, key := range []string{"Constraints", "Affinities"} {
		for _, c := range placements(j, key) {
			device := inDevice(c)
			checkTarget(ctx, view.Get(c, "LTarget"), device)
			checkTarget(ctx, view.Get(c, "RTarget"), device)
		}
	}
	for _, s := range placements(j, "Spreads") {
		checkTarget(ctx, view.Get(s, "Attribute"), false)
	}
}

func checkTarget(ctx *rule.Context, n *jsonast.Node, device bool) {
	s, ok := n.StringValue()
	if !ok || !strings.Contains(s, "${") {
		return
	}
	// The scheduler trims "${attr." (or meta., device.) and a "}" if there
	// is one, so "${attr.kernel.name" resolves; text after the "}" does not.
	name := strings.TrimSuffix(s[min(2, len(s)):], "}")
	open := !strings.HasSuffix(s, "}") && (strings.HasPrefix(name, "attr.") || strings.HasPrefix(name, "meta.") || device && strings.HasPrefix(name, "device."))
	if !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") && !open || strings.Count(s, "${") > 1 || strings.Contains(name, "}") {
		report(ctx, n, "%s: the scheduler only resolves a target that is a single ${...} and nothing else; %q never matches a node", n.Path(), s)
		return
	}
	switch {
	case nodeVars[name]:
	case strings.HasPrefix(name, "attr.") && len(name) > 5, strings.HasPrefix(name, "meta.") && len(name) > 5:
	case device && strings.HasPrefix(name, "device."):
	case name == "node.region":
		report(ctx, n, "%s: ${node.region} is not available to constraints and never matches a node, so the job is never placed; the job's Region already selects the region", n.Path())
	case strings.HasPrefix(name, "NOMAD_") || strings.HasPrefix(name, "env."):
		report(ctx, n, "%s: ${%s} is a task environment variable, which does not exist when the scheduler places the job; it never matches a node", n.Path(), name)
	default:
		d := report(ctx, n, "%s: ${%s} is not a node attribute the scheduler knows; use ${attr.<name>}, ${meta.<key>}, ${node.unique.id}, ${node.unique.name}, ${node.datacenter}, ${node.class} or ${node.pool}", n.Path(), name)
		if guess := "attr." + name; !strings.HasPrefix(name, "node.") {
			d.Fixes = []diag.Fix{{Title: "Write ${" + guess + "}", Edits: []diag.TextEdit{ctx.Edit(n.Start, n.End, `"${`+guess+`}"`)}}}
		}
	}
}

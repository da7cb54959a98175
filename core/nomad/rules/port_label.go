package rules

import (
	"github.com/jobkit-dev/jobkit/core/textdist"
	"sort"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// PortLabel checks that a service's or check's PortLabel names a port
// declared in the group's network (or, deprecated, the task's own
// network). A number is allowed only with "AddressMode": "driver".
var PortLabel = &rule.Rule{ID: "nomad-port-label", Format: rule.Nomad, Severity: diag.Error,
	Summary: "service and check PortLabel must name a declared port", Check: checkPortLabels}

func checkPortLabels(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, s := range j.services() {
		name := view.StrOr(s.Node, "Name", "")
		checkPortRef(ctx, view.Get(s.Node, "PortLabel"), view.StrOr(s.Node, "AddressMode", "auto"), s, name)
		for _, c := range view.Objects(view.Get(s.Node, "Checks")) {
			checkPortRef(ctx, view.Get(c, "PortLabel"), view.StrOr(c, "AddressMode", "host"), s, name)
		}
	}
}

func checkPortRef(ctx *rule.Context, n *jsonast.Node, mode string, s service, svc string) {
	label, ok := n.StringValue()
	if !ok || label == "" || strings.Contains(label, "${") {
		return
	}
	if num, err := strconv.Atoi(label); err == nil {
		if mode != "driver" {
			nomadSays(ctx, n, `a numeric port needs "AddressMode": "driver"; otherwise name a port label`, "check %q cannot use a numeric port %d without setting address_mode=\"driver\"", svc, num)
		} else if num <= 0 {
			nomadSays(ctx, n, "", "check %q has invalid numeric port %d", svc, num)
		}
		return
	}
	if _, ok := s.Ports[label]; ok {
		return
	}
	var known []string
	for k := range s.Ports {
		known = append(known, k)
	}
	sort.Strings(known)
	where := "the group's Networks"
	if s.Task != nil {
		where = "the group's Networks (or the task's Resources.Networks)"
	}
	hint := "declare it in " + where
	if len(known) > 0 {
		hint = "declared ports are " + strings.Join(known, ", ") + "; or declare it in " + where
	}
	d := nomadSays(ctx, n, hint, "port label %q referenced by services %v does not exist", label, svc)
	if best := closest(label, known); best != "" {
		d.Fixes = []diag.Fix{{Title: "Use port " + best, Edits: []diag.TextEdit{ctx.Edit(n.Start, n.End, strconv.Quote(best))}}}
	}
}

// closest returns the known name nearest to s (edit distance ≤ 2), or "".
func closest(s string, known []string) string {
	best, bd := "", 3
	ls := strings.ToLower(s)
	for _, k := range known {
		lk := strings.ToLower(k)
		if diff := len(ls) - len(lk); diff >= bd || -diff >= bd {
			continue // the distance is at least the length difference
		}
		if d := textdist.Levenshtein(ls, lk); d < bd {
			best, bd = k, d
		}
	}
	return best
}

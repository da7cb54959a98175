package rules

import (
	"sort"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
	"github.com/jobkit-dev/jobkit/core/textdist"
)

// PortLabel checks that a service's or check's PortLabel names a port
// declared in the group's network (or, deprecated, the task's own
// network). A number is a port only with "AddressMode": "driver": Nomad
// rejects other numbers on checks that need a port, and on task services
// looks them up as labels; group services (Connect sidecars) may use one.
var PortLabel = &rule.Rule{ID: "nomad-port-label", Format: rule.Nomad, Severity: diag.Error,
	Summary: "service and check PortLabel must name a declared port", Check: checkPortLabels}

func checkPortLabels(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, s := range j.services() {
		if n := view.Get(s.Node, "PortLabel"); n != nil {
			_, numErr := strconv.Atoi(s.PortLabel)
			switch {
			case numErr == nil && s.Task == nil:
				// Group services: a number is the port Connect's sidecar proxies to.
			case numErr == nil && s.AddressMode == "driver":
			default:
				checkPortRef(ctx, n, s)
			}
		}
		for _, c := range view.Objects(view.Get(s.Node, "Checks")) {
			typ := strings.ToLower(view.StrOr(c, "Type", ""))
			if typ != "http" && typ != "tcp" && typ != "grpc" {
				continue // only these need a port (ServiceCheck.RequiresPort)
			}
			if e, _ := view.Bool(c, "Expose"); e && s.Task == nil {
				continue // the server's expose hook gives the check a port of its own
			}
			n := view.Get(c, "PortLabel")
			port := view.StrOr(c, "PortLabel", "")
			if port == "" {
				n, port = view.Get(s.Node, "PortLabel"), s.PortLabel
			}
			num, err := strconv.Atoi(port)
			if err != nil {
				if n != nil && n.Parent == c {
					checkPortRef(ctx, n, s)
				}
				continue
			}
			name := checkName(c, s.Name)
			if view.StrOr(c, "AddressMode", "") == "driver" {
				if num <= 0 {
					nomadSays(ctx, n, "", "check %q has invalid numeric port %d", name, num)
				}
				continue
			}
			where := n
			if n.Parent != c {
				where = c // the number is the service's: report on the check
			}
			nomadSays(ctx, where, `a check reaches a numeric port only with "AddressMode": "driver" on the check; otherwise name a port label`, "check %q cannot use a numeric port %d without setting address_mode=\"driver\"", name, num)
		}
	}
}

func checkPortRef(ctx *rule.Context, n *jsonast.Node, s service) {
	label, ok := n.StringValue()
	if !ok || label == "" || strings.Contains(label, "${") {
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
	if _, err := strconv.Atoi(label); err == nil {
		hint = `a number is a port only with "AddressMode": "driver"; otherwise ` + hint
	}
	d := nomadSays(ctx, n, hint, "port label %q referenced by services %v does not exist", label, s.Name)
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

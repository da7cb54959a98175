package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Network checks the ports of group and task networks: unique labels,
// static ports not reserved twice, values within 1..65535 and mappings
// (To) within -1..65535, IgnoreCollision only in host mode.
var Network = &rule.Rule{ID: "nomad-network", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of network ports (unique labels, port ranges)", Check: checkNetworks}

func checkNetworks(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, g := range j.Groups {
		labels := map[string]string{}
		static := map[int64]string{}
		for _, n := range g.Networks {
			if h, ok := view.Str(n, "Hostname"); ok && h != "" && !strings.Contains(h, "${") && !isDomainName(h) {
				nomadSays(ctx, view.Get(n, "Hostname"), "", "Task group network validation failed: Hostname is not a valid DNS name")
			}
			seen := map[string]bool{}
			for _, m := range view.Members(view.Get(view.Get(n, "CNI"), "Args")) {
				if seen[m.Key] {
					ctx.ReportKey(m, "%s: Nomad says: duplicate CNI arg %q", m.Path(), m.Key)
				}
				seen[m.Key] = true
				if strings.Contains(m.Key, ";") {
					ctx.ReportKey(m, "%s: Nomad says: invalid ';' character in CNI arg key %q", m.Path(), m.Key)
				}
				if v, ok := m.Value.StringValue(); ok && strings.Contains(v, ";") {
					ctx.Report(m.Value, "%s: Nomad says: invalid ';' character in CNI arg value %q", m.Path(), v)
				}
			}
		}
		for _, n := range g.Networks {
			checkNetPorts(ctx, n, "taskgroup network:"+g.Name, labels, static, true)
		}
		// Task networks (deprecated): Nomad compares their labels with the
		// group network's only, not with other tasks', but static ports
		// with every one reserved before.
		for _, t := range g.Tasks {
			for _, n := range view.Objects(view.Get(view.Get(t.Node, "Resources"), "Networks")) {
				checkNetPorts(ctx, n, t.Name, labels, static, false)
			}
		}
	}
}

// checkNetPorts checks the ports of one network. record says whether its
// labels join labels (group networks) or are only compared with them.
func checkNetPorts(ctx *rule.Context, n *jsonast.Node, owner string, labels map[string]string, static map[int64]string, record bool) {
	mode := canonStr("Network", n, "Mode", "host")
	for _, kind := range []string{"ReservedPorts", "DynamicPorts"} {
		for _, p := range view.Objects(view.Get(n, kind)) {
			label := view.StrOr(p, "Label", "")
			if prev, dup := labels[label]; dup && label != "" {
				nomadSays(ctx, at(p, "Label"), "give every port its own label", "Port label %s already in use by %s", label, prev)
			}
			if record {
				labels[label] = owner
			}
			if v, ok := view.Int(p, "Value"); ok {
				if v > 65535 {
					nomadSays(ctx, view.Get(p, "Value"), "", "Port %s (%d) cannot be greater than %d", label, v, 65535)
				} else if kind == "ReservedPorts" && v > 0 {
					if prev, dup := static[v]; dup {
						nomadSays(ctx, view.Get(p, "Value"), "", "Static port %d already reserved by %s", v, prev)
					}
					static[v] = label
				}
			}
			if to, ok := view.Int(p, "To"); ok {
				if to < -1 {
					nomadSays(ctx, view.Get(p, "To"), "", "Port %q cannot be mapped to negative value %d", label, to)
				} else if to > 65535 {
					nomadSays(ctx, view.Get(p, "To"), "", "Port %q cannot be mapped to a port (%d) greater than %d", label, to, 65535)
				}
			}
			if ic, _ := view.Bool(p, "IgnoreCollision"); ic && mode != "host" {
				nomadSays(ctx, view.Get(p, "IgnoreCollision"), "", "Port %q collision may not be ignored on non-host network mode %q", label, mode)
			}
		}
	}
}

// isDomainName reports whether Nomad accepts h as a network hostname. Nomad
// uses miekg/dns IsDomainName, which checks lengths and empty labels only
// (so "web_01" passes): labels of 1 to 63 bytes, 255 bytes in all, a dot
// escaped with a backslash belonging to its label.
func isDomainName(h string) bool {
	if h == "." {
		return true
	}
	if len(h) > 255 {
		return false
	}
	label := 0
	for i := 0; i < len(h); i++ {
		switch h[i] {
		case '\\':
			i++
			label++
		case '.':
			if label == 0 {
				return false // an empty label: "..", or a leading dot
			}
			label = 0
			continue
		default:
			label++
		}
		if label > 63 {
			return false
		}
	}
	return true
}

package rules

import (
	"regexp"
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
		nets := append([]*jsonast.Node(nil), g.Networks...)
		for _, t := range g.Tasks {
			nets = append(nets, view.Objects(view.Get(view.Get(t.Node, "Resources"), "Networks"))...)
		}
		for _, n := range g.Networks {
			if h, ok := view.Str(n, "Hostname"); ok && h != "" && !strings.Contains(h, "${") && !dnsName.MatchString(h) {
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
		for _, n := range nets {
			mode := view.StrOr(n, "Mode", "host")
			owner := "taskgroup network:" + g.Name
			for _, kind := range []string{"ReservedPorts", "DynamicPorts"} {
				for _, p := range view.Objects(view.Get(n, kind)) {
					label := view.StrOr(p, "Label", "")
					if prev, dup := labels[label]; dup && label != "" {
						nomadSays(ctx, at(p, "Label"), "give every port its own label", "Port label %s already in use by %s", label, prev)
					}
					labels[label] = owner
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
	}
}

// dnsName matches an RFC 1123 host name.
var dnsName = regexp.MustCompile(`^(?i:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.(?i:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?))*$`)

package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Deprecated reports what Nomad accepts with a deprecation warning (IOPS,
// task-level networks, MBits, Periodic.Spec since 1.7, VaultGrace, the
// pre-Disconnect fields since 1.8), quoting Nomad's warning.
var Deprecated = &rule.Rule{ID: "nomad-deprecated", Format: rule.Nomad, Severity: diag.Warning,
	Summary: "fields Nomad accepts with a deprecation warning", Check: checkDeprecated}

func checkDeprecated(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	warn := func(n *jsonast.Node, explain, nomad string) {
		if n.Member != nil {
			ctx.ReportKey(n.Member, "%s: %s. Nomad says: %s", n.Path(), explain, nomad)
			return
		}
		nomadSays(ctx, n, explain, "%s", nomad)
	}
	if p := view.Get(j.Node, "Periodic"); p != nil && atLeast(ctx, 1, 7) {
		if s, ok := view.Str(p, "Spec"); ok && s != "" {
			warn(view.Get(p, "Spec"), `write "Specs": [`+quote(s)+`] instead`, "cron is deprecated and may be removed in a future release. Use crons instead")
		}
	}
	for _, g := range j.Groups {
		if len(g.Networks) > 0 {
			if mb := view.Get(g.Networks[0], "MBits"); mb != nil {
				if v, _ := mb.Int(); v != 0 {
					warn(mb, "remove MBits", "mbits has been deprecated as of Nomad 0.12.0. Please remove mbits from the network block")
				}
			}
		}
		if atLeast(ctx, 1, 8) {
			for _, f := range [][2]string{
				{"MaxClientDisconnect", "MaxClientDisconnect will be deprecated favor of Disconnect.LostAfter"},
				{"StopAfterClientDisconnect", "StopAfterClientDisconnect will be deprecated favor of Disconnect.StopOnClientAfter"},
				{"PreventRescheduleOnLost", "PreventRescheduleOnLost will be deprecated favor of Disconnect.Replace"},
			} {
				if n := view.Get(g.Node, f[0]); n != nil && !isFalse(n) {
					explain := "use the Disconnect block"
					if atLeast(ctx, 1, 10) {
						explain = "Nomad 1.10 ignores it: use the Disconnect block"
					}
					warn(n, explain, f[1])
				}
			}
		}
		for _, t := range g.Tasks {
			r := view.Get(t.Node, "Resources")
			// IOPS 0 is what `nomad job run -output` writes: Nomad says nothing.
			if iops := view.Get(r, "IOPS"); iops != nil {
				if v, ok := iops.Int(); !ok || v != 0 {
					warn(iops, "remove IOPS", "IOPS has been deprecated as of Nomad 0.9.0. Please remove IOPS from resource block.")
				}
			}
			if nets := view.Get(r, "Networks"); len(view.Items(nets)) > 0 {
				warn(nets, "declare the network and its ports in the group's Networks (ports referenced by label keep working)", "task network resources have been deprecated as of Nomad 0.12.0. Please configure networking via group network block.")
			}
			for _, tp := range view.Objects(view.Get(t.Node, "Templates")) {
				if vg := view.Get(tp, "VaultGrace"); vg != nil && view.IntOr(tp, "VaultGrace", 1) != 0 {
					warn(vg, "remove VaultGrace", "VaultGrace has been deprecated as of Nomad 0.11 and ignored since Vault 0.5. Please remove VaultGrace / vault_grace from template block.")
				}
			}
		}
	}
}

func quote(s string) string {
	b := []byte{'"'}
	for _, c := range []byte(s) {
		if c == '"' || c == '\\' {
			b = append(b, '\\')
		}
		b = append(b, c)
	}
	return string(append(b, '"'))
}

// isFalse reports whether n is the JSON false, which for a Go bool field
// is the same as leaving it out.
func isFalse(n *jsonast.Node) bool {
	b, ok := n.BoolValue()
	return ok && !b
}

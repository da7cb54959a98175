package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Vault checks a task's Vault block: no "root" policy (until Nomad 1.10),
// a known ChangeMode, and a ChangeSignal when the mode is signal.
var Vault = &rule.Rule{ID: "nomad-vault", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of Vault blocks (root policy, change mode, signal)", Check: checkVault}

func checkVault(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, t := range j.Tasks() {
		v := view.Get(t.Node, "Vault")
		if v == nil {
			continue
		}
		if !atLeast(ctx, 1, 10) {
			for _, p := range view.Items(view.Get(v, "Policies")) {
				if s, _ := p.StringValue(); s == "root" {
					nomadSays(ctx, p, "give the task a narrower policy", "Vault validation failed: Can not specify \"root\" policy")
				}
			}
		}
		mode := view.StrOr(v, "ChangeMode", "restart")
		switch mode {
		case "noop", "restart":
		case "signal":
			if s, ok := view.Str(v, "ChangeSignal"); ok && s == "" {
				nomadSays(ctx, view.Get(v, "ChangeSignal"), `set a signal such as "SIGHUP"`, "Vault validation failed: Signal must be specified when using change mode %q", mode)
			}
		default:
			nomadSays(ctx, view.Get(v, "ChangeMode"), "use noop, restart or signal", "Vault validation failed: Unknown change mode %q", mode)
		}
	}
}

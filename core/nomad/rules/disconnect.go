package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Disconnect checks what happens when a node loses the servers: the
// Disconnect block (Nomad 1.8+) against the legacy MaxClientDisconnect,
// StopAfterClientDisconnect and PreventRescheduleOnLost fields, negative
// durations, job types and the reconcile option.
var Disconnect = &rule.Rule{ID: "nomad-disconnect", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of disconnect settings (Disconnect block vs legacy fields)", Check: checkDisconnect}

func checkDisconnect(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, g := range j.Groups {
		n := g.Node
		mcd := view.Get(n, "MaxClientDisconnect")
		sacd := view.Get(n, "StopAfterClientDisconnect")
		prol := view.Get(n, "PreventRescheduleOnLost")
		if on, _ := prol.BoolValue(); !on {
			prol = nil // false is Go's zero value: Nomad cannot tell it from unset
		}
		if atLeast(ctx, 1, 10) {
			// Nomad 1.10 ignores the legacy fields (nomad-deprecated says so)
			// and validates only the Disconnect block.
			mcd, sacd, prol = nil, nil, nil
		}
		if sacd != nil {
			if j.Type != "batch" && j.Type != "service" {
				nomadSays(ctx, sacd, "", "stop_after_client_disconnect can only be set in batch and service jobs")
			} else if v, ok := sacd.Int(); ok && v < 0 {
				nomadSays(ctx, sacd, "", "stop_after_client_disconnect must be a positive value")
			}
		}
		if mcd != nil && sacd != nil {
			nomadSays(ctx, mcd, "", "Task group cannot be configured with both max_client_disconnect and stop_after_client_disconnect")
		}
		if v, ok := mcd.Int(); ok && v < 0 {
			nomadSays(ctx, mcd, "", "max_client_disconnect cannot be negative")
		}
		if mcd != nil {
			if pr, _ := prol.BoolValue(); pr {
				if a := view.IntOr(view.Get(n, "ReschedulePolicy"), "Attempts", 0); a > 0 {
					nomadSays(ctx, prol, "", "max_client_disconnect and prevent_reschedule_on_lost cannot be enabled when rechedule.attempts > 0")
				}
			}
		}
		d := view.Get(n, "Disconnect")
		if d == nil {
			continue
		}
		lost := view.Get(d, "LostAfter")
		stop := view.Get(d, "StopOnClientAfter")
		// LostAfter 0 is Go's zero value (what the server prints when the block
		// was defaulted): only a set duration conflicts with the legacy field.
		if lv, _ := lost.Int(); lost != nil && lv != 0 && mcd != nil {
			nomadSays(ctx, lost, "remove MaxClientDisconnect", "using both lost_after and max_client_disconnect is not allowed")
		}
		if stop != nil && sacd != nil {
			nomadSays(ctx, stop, "remove StopAfterClientDisconnect", "using both stop_after_client_disconnect and stop_on_client_after is not allowed")
		}
		if view.Get(d, "Replace") != nil && prol != nil {
			nomadSays(ctx, view.Get(d, "Replace"), "remove PreventRescheduleOnLost", "using both prevent_reschedule_on_lost and replace is not allowed")
		}
		lv, lok := lost.Int()
		sv, sok := stop.Int()
		if lok && lv != 0 && sok && sv != 0 {
			nomadSays(ctx, stop, "", "Disconnect cannot be configured with both lost_after and stop_after")
		}
		if lok && lv < 0 {
			nomadSays(ctx, lost, "", "lost_after cannot be a negative duration")
		}
		if sok && sv < 0 {
			nomadSays(ctx, stop, "", "stop_after cannot be a negative duration")
		}
		if sok && sv != 0 && j.Type != "service" && j.Type != "batch" {
			nomadSays(ctx, stop, "", "stop_after can only be used with service or batch job types")
		}
		if r, ok := view.Str(d, "Reconcile"); ok && r != "" {
			switch r {
			case "best_score", "keep_original", "keep_replacement", "longest_running":
			default:
				nomadSays(ctx, view.Get(d, "Reconcile"), "use best_score, keep_original, keep_replacement or longest_running", "reconcile option is invalid: %s", r)
			}
		}
	}
}

package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/duration"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// UpdateStrategy checks the update strategy of service and system jobs after
// merging the job-level block and Nomad's defaults into each group: health
// check mode, non-negative counts, time ordering, canaries for AutoPromote,
// and the MaxParallel > Count warning; and the Migrate blocks of service
// jobs.
var UpdateStrategy = &rule.Rule{ID: "nomad-update", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of update strategies (health check, deadlines, canaries)", Check: checkUpdate}

func checkUpdate(ctx *rule.Context) {
	j := model(ctx)
	if j == nil || (j.Type != "service" && j.Type != "system") {
		return
	}
	checkMigrate(ctx, j)
	jobU := jobUpdate(j)
	for _, g := range j.Groups {
		gu := view.Get(g.Node, "Update")
		if jobU == nil && gu == nil {
			continue
		}
		// Report on the group's block when it has the key, else on the job's.
		get := func(key string) (*jsonast.Node, bool) {
			if v := view.Get(gu, key); v != nil {
				return v, true
			}
			if v := view.Get(jobU, key); v != nil {
				return v, gu == nil || g == j.Groups[0]
			}
			return nil, false
		}
		num := func(key string, def int64) (int64, *jsonast.Node, bool) {
			n, own := get(key)
			if v, ok := n.Int(); ok {
				return v, n, own
			}
			return def, nil, false
		}
		if n, own := get("HealthCheck"); own {
			if s, ok := n.StringValue(); ok && s != "checks" && s != "task_states" && s != "manual" {
				nomadSays(ctx, n, "use checks, task_states or manual", "Invalid health check given: %q", s)
			}
		}
		if v, n, own := num("MaxParallel", 1); own && v < 0 {
			nomadSays(ctx, n, "", "Max parallel can not be less than zero: %d < 0", v)
		} else if own && v > 1 {
			if c := view.IntOr(g.Node, "Count", 1); c > 1 && v > c {
				d := nomadSays(ctx, n, "a destructive change would replace every allocation at once", "Update max parallel count is greater than task group count (%d > %d). A destructive change would result in the simultaneous replacement of all allocations.", v, c)
				d.Severity = diag.Warning
			}
		}
		canary, cn, cown := num("Canary", 0)
		if cown && canary < 0 {
			nomadSays(ctx, cn, "", "Canary count can not be less than zero: %d < 0", canary)
		}
		if ap, own := get("AutoPromote"); own {
			if b, _ := ap.BoolValue(); b && canary <= 0 {
				nomadSays(ctx, ap, "set Canary to 1 or more", "Auto Promote requires a Canary count greater than zero")
			}
		}
		mht, mn, mown := num("MinHealthyTime", 10*duration.Second)
		hd, hn, hown := num("HealthyDeadline", 300*duration.Second)
		pd, pn, pown := num("ProgressDeadline", 600*duration.Second)
		if mown && mht < 0 {
			nomadSays(ctx, mn, "", "Minimum healthy time may not be less than zero: %v", duration.Format(mht))
		}
		if hown && hd <= 0 {
			nomadSays(ctx, hn, "", "Healthy deadline must be greater than zero: %v", duration.Format(hd))
		}
		if pown && pd < 0 {
			nomadSays(ctx, pn, "", "Progress deadline must be zero or greater: %v", duration.Format(pd))
		}
		if (mown || hown) && mht >= hd && hd > 0 {
			nomadSays(ctx, firstNode(mn, hn), "", "Minimum healthy time must be less than healthy deadline: %v > %v", duration.Format(mht), duration.Format(hd))
		}
		if (hown || pown) && pd != 0 && hd >= pd && hd > 0 {
			nomadSays(ctx, firstNode(hn, pn), "", "Healthy deadline must be less than progress deadline: %v > %v", duration.Format(hd), duration.Format(pd))
		}
		if st, sn, sown := num("Stagger", 30*duration.Second); sown && st <= 0 {
			nomadSays(ctx, sn, "", "Stagger must be greater than zero: %v", duration.Format(st))
		}
	}
}

func firstNode(ns ...*jsonast.Node) *jsonast.Node {
	for _, n := range ns {
		if n != nil {
			return n
		}
	}
	return nil
}

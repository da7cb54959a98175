package rules

import (
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/duration"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// checkMigrate validates the Migrate blocks of a service job (job-level
// merged into groups, then Nomad's defaults); part of nomad-update.
func checkMigrate(ctx *rule.Context, j *Job) {
	if j.Type != "service" {
		return
	}
	blocks := []*jsonast.Node{view.Get(j.Node, "Migrate")}
	for _, g := range j.Groups {
		blocks = append(blocks, view.Get(g.Node, "Migrate"))
	}
	for _, m := range blocks {
		if m == nil {
			continue
		}
		if v, ok := view.Int(m, "MaxParallel"); ok && v < 0 {
			nomadSays(ctx, view.Get(m, "MaxParallel"), "", "MaxParallel must be >= 0 but found %d", v)
		}
		if hc, ok := view.Str(m, "HealthCheck"); ok {
			switch hc {
			case "checks", "task_states":
			case "":
				nomadSays(ctx, view.Get(m, "HealthCheck"), "", "Missing HealthCheck")
			default:
				nomadSays(ctx, view.Get(m, "HealthCheck"), "use checks or task_states", "Invalid HealthCheck: %q", hc)
			}
		}
		mht := view.IntOr(m, "MinHealthyTime", 10*duration.Second)
		hd := view.IntOr(m, "HealthyDeadline", 300*duration.Second)
		if mht < 0 {
			nomadSays(ctx, view.Get(m, "MinHealthyTime"), "", "MinHealthyTime is %s and must be >= 0", duration.Format(mht))
		}
		if hd < 0 {
			nomadSays(ctx, view.Get(m, "HealthyDeadline"), "", "HealthyDeadline is %s and must be >= 0", duration.Format(hd))
		}
		if mht >= 0 && hd >= 0 && mht > hd && (view.Get(m, "MinHealthyTime") != nil || view.Get(m, "HealthyDeadline") != nil) {
			nomadSays(ctx, at(m, "MinHealthyTime"), "", "MinHealthyTime must be less than HealthyDeadline")
		}
	}
}

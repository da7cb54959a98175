package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// UpdateNotAllowed reports Update blocks in batch and sysbatch jobs and
// Migrate blocks outside service jobs. Since Nomad 0.6 the update strategy
// belongs to service and system jobs only; a job-level Update is copied into
// every group, so it fails every group.
var UpdateNotAllowed = &rule.Rule{ID: "nomad-update-not-allowed", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Update is only allowed in service and system jobs, Migrate only in service jobs", Check: checkUpdateAllowed}

func checkUpdateAllowed(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	firstGroup := "<group>"
	if len(j.Groups) > 0 && j.Groups[0].Name != "" {
		firstGroup = j.Groups[0].Name
	}
	if j.Type == "batch" || j.Type == "sysbatch" {
		if u := jobUpdate(j); u != nil {
			nomadSays(ctx, u, "a "+j.Type+" job cannot have an update strategy (Nomad ≥ 0.6 allows it only for service and system jobs; the job-level block is copied into every group); remove it",
				"Task group %s validation failed: Job type %q does not allow update block", firstGroup, j.Type)
		}
		for _, g := range j.Groups {
			if u := view.Get(g.Node, "Update"); u != nil {
				nomadSays(ctx, u, "a "+j.Type+" job cannot have an update strategy; remove it",
					"Task group %s validation failed: Job type %q does not allow update block", g.Name, j.Type)
			}
		}
	}
	if j.Type != "service" {
		if m := view.Get(j.Node, "Migrate"); m != nil {
			nomadSays(ctx, m, "only service jobs migrate allocations off draining nodes; remove it",
				"Task group %s validation failed: Job type %q does not allow migrate block", firstGroup, j.Type)
		}
		for _, g := range j.Groups {
			if m := view.Get(g.Node, "Migrate"); m != nil {
				nomadSays(ctx, m, "only service jobs migrate allocations off draining nodes; remove it",
					"Task group %s validation failed: Job type %q does not allow migrate block", g.Name, j.Type)
			}
		}
	}
}

package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/duration"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// RestartPolicy checks restart policies after merging them over Nomad's
// defaults (service: 2 attempts in 30m, batch: 3 in 24h, 15s delay, mode
// fail) and the task-level policy over the group's: mode, ambiguous zero
// attempts, the 5s minimum interval, attempts × delay within the interval.
var RestartPolicy = &rule.Rule{ID: "nomad-restart-policy", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of restart policies (mode, interval ≥ 5s, attempts × delay ≤ interval)", Check: checkRestart}

type restart struct {
	attempts, interval, delay int64
	mode                      string
	node                      *jsonast.Node // the block the values came from last
}

func (r restart) merge(n *jsonast.Node) restart {
	if !n.Is(jsonast.Object) {
		return r
	}
	r.node = n
	r.attempts = view.IntOr(n, "Attempts", r.attempts)
	r.interval = view.IntOr(n, "Interval", r.interval)
	r.delay = view.IntOr(n, "Delay", r.delay)
	r.mode = view.StrOr(n, "Mode", r.mode)
	return r
}

func checkRestart(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	def := restart{attempts: 2, interval: 1800 * duration.Second, delay: 15 * duration.Second, mode: "fail"}
	if j.Type == "batch" || j.Type == "sysbatch" {
		def.attempts, def.interval = 3, 24*3600*duration.Second
	}
	for _, g := range j.Groups {
		gp := def.merge(view.Get(g.Node, "RestartPolicy"))
		if gp.node != nil {
			validateRestart(ctx, gp)
		}
		for _, t := range g.Tasks {
			if tn := view.Get(t.Node, "RestartPolicy"); tn != nil {
				validateRestart(ctx, gp.merge(tn))
			}
		}
	}
}

func validateRestart(ctx *rule.Context, r restart) {
	n := r.node
	switch r.mode {
	case "delay", "fail":
	default:
		nomadSays(ctx, at(n, "Mode"), `use "fail" or "delay"`, "Unsupported restart mode: %q", r.mode)
	}
	if r.attempts == 0 && r.mode != "fail" {
		nomadSays(ctx, at(n, "Attempts"), `with 0 attempts use "Mode": "fail"`, "Restart policy %q with %d attempts is ambiguous", r.mode, r.attempts)
	}
	if r.interval < 5*duration.Second { // an explicit 0 or negative Interval is checked too
		explain := "Interval is in nanoseconds"
		if r.interval <= 0 {
			explain = "Interval must be at least 5s, written in nanoseconds (5000000000)"
		}
		nomadSays(ctx, at(n, "Interval"), explain, "Interval can not be less than %v (got %v)", "5s", duration.Format(r.interval))
		return
	}
	if r.interval > 0 && r.attempts > 0 && r.delay > 0 && r.attempts*r.delay > r.interval {
		nomadSays(ctx, at(n, "Interval"), "raise Interval or lower Attempts or Delay",
			"Nomad can't restart the TaskGroup %v times in an interval of %v with a delay of %v", r.attempts, duration.Format(r.interval), duration.Format(r.delay))
	}
}

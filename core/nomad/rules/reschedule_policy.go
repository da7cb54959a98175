package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/duration"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// ReschedulePolicy checks reschedule policies after merging the job-level
// Reschedule block and Nomad's defaults (service: unlimited, exponential
// from 30s to 1h; batch: 1 attempt in 24h, constant 5s) into each group.
// Nomad validates a policy only when Attempts > 0 or Unlimited is set.
var ReschedulePolicy = &rule.Rule{ID: "nomad-reschedule-policy", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of reschedule policies (delays, interval, attempts)", Check: checkReschedule}

type resched struct {
	attempts                  int64
	interval, delay, maxDelay int64
	fn                        string
	unlimited                 bool
}

func (r resched) merge(n *jsonast.Node) resched {
	r.attempts = view.IntOr(n, "Attempts", r.attempts)
	r.interval = view.IntOr(n, "Interval", r.interval)
	r.delay = view.IntOr(n, "Delay", r.delay)
	r.maxDelay = view.IntOr(n, "MaxDelay", r.maxDelay)
	r.fn = view.StrOr(n, "DelayFunction", r.fn)
	if b, ok := view.Bool(n, "Unlimited"); ok {
		r.unlimited = b
	}
	return r
}

func checkReschedule(ctx *rule.Context) {
	j := model(ctx)
	if j == nil || j.Type == "system" || j.Type == "sysbatch" {
		return
	}
	s := duration.Second
	def := resched{delay: 30 * s, fn: "exponential", maxDelay: 3600 * s, unlimited: true}
	if j.Type == "batch" {
		def = resched{attempts: 1, interval: 24 * 3600 * s, delay: 5 * s, fn: "constant"}
	}
	jobR := view.Get(j.Node, "Reschedule")
	for _, g := range j.Groups {
		gr := view.Get(g.Node, "ReschedulePolicy")
		if gr == nil && jobR == nil {
			continue
		}
		if gr == nil && g != j.Groups[0] {
			continue // the job-level block is reported once
		}
		r := def.merge(jobR).merge(gr)
		where := gr
		if where == nil {
			where = jobR
		}
		validateResched(ctx, r, where)
	}
}

func validateResched(ctx *rule.Context, r resched, n *jsonast.Node) {
	if r.attempts <= 0 && !r.unlimited {
		return
	}
	s := duration.Second
	f := duration.Format
	if r.attempts > 0 && r.unlimited {
		nomadSays(ctx, at(n, "Unlimited"), "set Attempts to 0 or Unlimited to false", "Reschedule Policy with Attempts = %v, Interval = %v, and Unlimited = %v is ambiguous", r.attempts, f(r.interval), r.unlimited)
		return
	}
	if r.attempts > 0 && r.interval == 0 {
		nomadSays(ctx, at(n, "Interval"), "", "Interval must be a non zero value if Attempts > 0")
		return
	}
	if r.delay < 5*s {
		nomadSays(ctx, at(n, "Delay"), "Delay is in nanoseconds", "Delay cannot be less than %v (got %v)", "5s", f(r.delay))
	}
	switch r.fn {
	case "constant", "exponential", "fibonacci":
	default:
		nomadSays(ctx, at(n, "DelayFunction"), "", "Invalid delay function %q, must be one of %q", r.fn, []string{"constant", "exponential", "fibonacci"})
		return
	}
	if r.fn != "constant" {
		if r.maxDelay < 5*s {
			nomadSays(ctx, at(n, "MaxDelay"), "", "Max Delay cannot be less than %v (got %v)", "5s", f(r.maxDelay))
		} else if r.maxDelay < r.delay {
			nomadSays(ctx, at(n, "MaxDelay"), "", "Max Delay cannot be less than Delay %v (got %v)", f(r.delay), f(r.maxDelay))
		}
	}
	if !r.unlimited && r.interval < 15*s {
		nomadSays(ctx, at(n, "Interval"), "Interval is in nanoseconds", "Interval cannot be less than %v (got %v)", "15s", f(r.interval))
		return
	}
	if !r.unlimited && r.attempts > 0 && r.delay > 0 {
		need := totalDelay(r)
		if need > r.interval {
			msg := "Nomad can only make %v attempts in %v with initial delay %v and delay function %q"
			if r.fn == "constant" {
				nomadSays(ctx, at(n, "Interval"), "Set the interval to at least "+f(need), msg, r.interval/max(r.delay, 1), f(r.interval), f(r.delay), r.fn)
			} else {
				nomadSays(ctx, at(n, "Interval"), "Set the interval to at least "+f(need), msg+", and delay ceiling %v", possibleAttempts(r), f(r.interval), f(r.delay), r.fn, f(r.maxDelay))
			}
		}
	}
}

// totalDelay is the sum of the delays of all attempts.
func totalDelay(r resched) int64 {
	var sum int64
	d, prev := r.delay, int64(0)
	for i := int64(0); i < r.attempts && i < 1000; i++ {
		sum += d
		switch r.fn {
		case "exponential":
			d *= 2
		case "fibonacci":
			d, prev = d+prev, d
		}
		if r.fn != "constant" && r.maxDelay > 0 && d > r.maxDelay {
			d = r.maxDelay
		}
	}
	return sum
}

func possibleAttempts(r resched) int64 {
	var n int64
	for a := int64(1); a <= r.attempts; a++ {
		rr := r
		rr.attempts = a
		if totalDelay(rr) > r.interval {
			break
		}
		n = a
	}
	return n
}

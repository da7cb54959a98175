package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// restartPolicy: a restart policy that blocks the rest of the job, or that
// the node ignores.
//
// Groups run one after another, and a group ends when all its ops have
// exited. With "always" or "unless-stopped" the container is restarted
// whenever it stops, so its group only ends when the job expires and every
// later group waits until then. The Docker provider ignores restart_policy
// entirely (only Podman, the node's default, applies it), so the same job
// behaves differently on different nodes.
var restartPolicy = &rule.Rule{
	ID:       "restart-policy",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  `restart_policy "always"/"unless-stopped" blocks later groups; Docker nodes ignore restart_policy`,
	Check:    checkRestartPolicy,
}

func checkRestartPolicy(c *rule.Context) {
	ops := sourceOf(c).Ops
	for _, o := range runOps(c) {
		m := o.Args.MemberByKey("restart_policy")
		if m == nil || m.Value == nil {
			continue
		}
		policy, ok := closedStr(m.Value)
		if !ok {
			policy, _ = closedStr(m.Value.Get("policy"))
		}
		if policy == "" || policy == "no" {
			continue
		}
		if policy == "always" || policy == "unless-stopped" {
			if later := firstLaterGroup(ops, o); later != nil {
				c.Report(m.Value, "%s: %q restarts the container whenever it stops, so group %s never ends and later groups, starting with %s, only run when the job expires; use \"on-failure\" or move the later ops before this group", m.Path(), policy, o.GroupLabel(), later.Label())
				continue
			}
		}
		d := c.ReportKey(m, "%s: only Podman nodes apply restart_policy; the Docker provider ignores it, so there the op is not restarted", m.Path())
		d.Severity = diag.Info
	}
}

// firstLaterGroup returns the first op of a group that runs after o's group.
func firstLaterGroup(ops []*nosana.SourceOp, o *nosana.SourceOp) *nosana.SourceOp {
	for _, x := range ops {
		if x.Order > o.Order {
			return x
		}
	}
	return nil
}

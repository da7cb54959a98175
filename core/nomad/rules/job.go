package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// JobRules is Nomad's validation of the job object (Job.Validate and the
// server's admission checks that need no cluster state): ID, name, region,
// namespace, type, datacenters, task groups, priority, periodic and
// parameterized scheduler types, system-job restrictions.
var JobRules = &rule.Rule{ID: "nomad-job", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of the job object (ID, type, datacenters, task groups, priority, ...)", Check: checkJob}

func checkJob(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	n := j.Node
	id, hasID := view.Str(n, "ID")
	switch {
	case !hasID || id == "":
		nomadSays(ctx, at(n, "ID"), `the job needs an "ID"`, "Missing job ID")
	case strings.Contains(id, " "):
		nomadSays(ctx, view.Get(n, "ID"), "write the ID without spaces", "Job ID contains a space")
	case strings.Contains(id, "\x00"):
		nomadSays(ctx, view.Get(n, "ID"), "", "Job ID contains a null character")
	}
	if v, ok := view.Str(n, "Name"); ok && v == "" {
		nomadSays(ctx, view.Get(n, "Name"), "an explicit empty name is not replaced by the ID; remove the key or set a name", "Missing job name")
	} else if strings.Contains(v, "\x00") {
		nomadSays(ctx, view.Get(n, "Name"), "", "Job Name contains a null character")
	}
	if v, ok := view.Str(n, "Region"); ok && v == "" && view.Get(n, "Multiregion") == nil {
		nomadSays(ctx, view.Get(n, "Region"), `an explicit empty region is not replaced by "global"; remove the key or set a region`, "Missing job region")
	}
	if v, ok := view.Str(n, "Namespace"); ok && v == "" {
		nomadSays(ctx, view.Get(n, "Namespace"), `an explicit empty namespace is not replaced by "default"`, "Job must be in a namespace")
	}
	if tn := view.Get(n, "Type"); tn.Is(jsonast.String) {
		switch tn.Str {
		case "service", "batch", "system":
		case "sysbatch":
			if !atLeast(ctx, 1, 2) {
				nomadSays(ctx, tn, "sysbatch jobs exist since Nomad 1.2", "Invalid job type: %q", tn.Str)
			}
		case "":
			nomadSays(ctx, tn, `an explicit empty type is not replaced by "service"`, "Missing job type")
		case "_core":
			nomadSays(ctx, tn, "", "job type cannot be core")
		default:
			nomadSays(ctx, tn, "use service, batch, system or sysbatch", "Invalid job type: %q", tn.Str)
		}
	}
	dcs := view.Get(n, "Datacenters")
	if dcs == nil && !atLeast(ctx, 1, 5) && view.Get(n, "Multiregion") == nil {
		nomadSays(ctx, n, "before Nomad 1.5 a job must list its datacenters", "Missing job datacenters")
	}
	for _, dc := range view.Items(dcs) {
		if s, ok := dc.StringValue(); ok && s == "" {
			nomadSays(ctx, dc, "", "Job datacenter must be non-empty string")
		}
	}
	if p := view.Get(n, "Priority"); p != nil {
		// The server gives a job with Priority 0 its default priority (50).
		if v, ok := canonInt("Job", n, "Priority", 50); ok && (v < 1 || v > 100) {
			nomadSays(ctx, p, "the priority must be 1 to 100 (the server's default job_max_priority)", "job priority must be between [%d, %d]", 1, 100)
		}
	}
	if p := view.Get(n, "Payload"); p != nil {
		if s, ok := p.StringValue(); !ok || s != "" {
			nomadSays(ctx, p, "remove the payload; pass it to `nomad job dispatch` instead", "job can't be submitted with a payload, only dispatched")
		}
	}
	if d, ok := view.Str(view.Get(n, "UI"), "Description"); ok && len(d) > 1000 {
		nomadSays(ctx, view.Get(view.Get(n, "UI"), "Description"), "", "UI description must be under 1000 characters, currently %d", len(d))
	}
	if j.Type == "system" {
		for _, k := range []struct{ key, what string }{{"Affinities", "an affinity"}, {"Spreads", "a spread"}} {
			if v := view.Get(n, k.key); len(view.Items(v)) > 0 {
				nomadSays(ctx, v, "", "System jobs may not have %s block", k.what)
			}
		}
	}
	checkSchedulerOnly(ctx, j, "Periodic", "Periodic can only be used with %q or %q scheduler")
	checkSchedulerOnly(ctx, j, "ParameterizedJob", "Parameterized job can only be used with %q or %q scheduler")
	tgs := view.Get(n, "TaskGroups")
	if len(view.Items(tgs)) == 0 {
		nomadSays(ctx, at(n, "TaskGroups"), "a job needs at least one task group", "Missing job task groups")
	}
	seen := map[string]int{}
	for i, g := range view.Items(tgs) {
		if !g.Is(jsonast.Object) {
			continue
		}
		name, _ := view.Str(g, "Name")
		if name == "" {
			nomadSays(ctx, at(g, "Name"), "every group needs a name", "Job task group %d missing name", i+1)
			continue
		}
		if prev, dup := seen[name]; dup {
			nomadSays(ctx, view.Get(g, "Name"), "group names must be unique", "Job task group %d redefines '%s' from group %d", i+1, name, prev)
			continue
		}
		seen[name] = i + 1
	}
}

func checkSchedulerOnly(ctx *rule.Context, j *Job, key, msg string) {
	b := view.Get(j.Node, key)
	if b == nil || j.Type == "batch" || j.Type == "sysbatch" {
		return
	}
	if key == "Periodic" {
		if en, ok := view.Bool(b, "Enabled"); ok && !en {
			return
		}
	}
	nomadSays(ctx, b, `set "Type": "batch" (or "sysbatch")`, msg, "batch", "sysbatch")
}

// atLeast reports whether the target Nomad version is at least major.minor.
func atLeast(ctx *rule.Context, major, minor int) bool {
	v := ctx.Options.NomadVersion
	if v == "" {
		v = "1.9"
	}
	a, b, _ := strings.Cut(v, ".")
	b, _, _ = strings.Cut(b, ".")
	x, y := atoi(a), atoi(b)
	return x > major || x == major && y >= minor
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

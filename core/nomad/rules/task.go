package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/nomad/duration"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// TaskRules is Nomad's validation of tasks (Task.Validate): name, driver,
// kill timeout, shutdown delay, lifecycle hook, volume mounts, dispatch
// payload, and the client's 30 s cap on KillTimeout.
var TaskRules = &rule.Rule{ID: "nomad-task", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of tasks (name, driver, kill timeout, lifecycle, volume mounts)", Check: checkTasks}

func checkTasks(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, t := range j.Tasks() {
		n := t.Node
		if strings.ContainsAny(t.Name, `/\`) {
			nomadSays(ctx, view.Get(n, "Name"), "", "Task name cannot include slashes")
		}
		if strings.Contains(t.Name, "\x00") {
			nomadSays(ctx, view.Get(n, "Name"), "", "Task name cannot include null characters")
		}
		if a := view.Get(n, "Affinities"); j.Type == "system" && len(view.Items(a)) > 0 {
			nomadSays(ctx, a, "a system job runs on every eligible node; use a constraint", "System jobs may not have an affinity block")
		}
		if t.Driver == "" {
			nomadSays(ctx, at(n, "Driver"), `every task needs a driver such as "docker" or "exec"`, "Missing task driver")
		}
		if kt := view.Get(n, "KillTimeout"); kt != nil {
			if v, ok := kt.Int(); ok {
				switch {
				case v < 0:
					nomadSays(ctx, kt, "", "KillTimeout must be a positive value")
				case j.Type == "service" && v > progressDeadline(j, t.Group) && progressDeadline(j, t.Group) > 0:
					nomadSays(ctx, kt, "lower KillTimeout or raise Update.ProgressDeadline", "KillTimout (%s) longer than the group's ProgressDeadline (%s)", duration.Format(v), duration.Format(progressDeadline(j, t.Group)))
				case v > 30*duration.Second:
					d := report(ctx, kt, "%s is %s, but Nomad clients cap it at their max_kill_timeout (30s unless configured otherwise)", kt.Path(), duration.Format(v))
					d.Severity = diag.Warning
				}
			}
		}
		if sd := view.Get(n, "ShutdownDelay"); sd != nil {
			if v, ok := sd.Int(); ok && v < 0 {
				nomadSays(ctx, sd, "", "ShutdownDelay must be a positive value")
			}
		}
		if h, ok := view.Str(view.Get(n, "Lifecycle"), "Hook"); ok && h != "" {
			switch h {
			case "prestart", "poststart", "poststop":
			default:
				nomadSays(ctx, view.Get(view.Get(n, "Lifecycle"), "Hook"), "use prestart, poststart or poststop", "Lifecycle validation failed: invalid hook: %v", h)
			}
		}
		vols := view.Get(t.Group.Node, "Volumes")
		for i, vm := range view.Objects(view.Get(n, "VolumeMounts")) {
			name, _ := view.Str(vm, "Volume")
			if name != "" && !strings.Contains(name, "${") && view.Get(vols, name) == nil {
				nomadSays(ctx, view.Get(vm, "Volume"), "declare it in the group's Volumes", "Volume Mount (%d) references undefined volume %s", i, name)
			}
		}
		if f, ok := view.Str(view.Get(n, "DispatchPayload"), "File"); ok && escapes(f, 2) {
			nomadSays(ctx, view.Get(view.Get(n, "DispatchPayload"), "File"), "the file is written inside local/", "Dispatch Payload validation failed: destination escapes allocation directory")
		}
		for i, c := range view.Objects(view.Get(n, "Constraints")) {
			if op, _ := view.Str(c, "Operand"); op == "distinct_hosts" || op == "distinct_property" {
				nomadSays(ctx, view.Get(c, "Operand"), "move it to the group or job", "Constraint %d has disallowed Operand at task level: %s", i+1, op)
			}
		}
	}
}

// escapes reports whether path p, joined under a directory that is depth
// levels below the allocation directory, leaves the allocation directory.
func escapes(p string, depth int) bool {
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			depth--
			if depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
}

// progressDeadline is the group's effective Update.ProgressDeadline (group,
// then job, then the 10m default).
func progressDeadline(j *Job, g *Group) int64 {
	if v, ok := view.Int(view.Get(g.Node, "Update"), "ProgressDeadline"); ok {
		return v
	}
	return view.IntOr(jobUpdate(j), "ProgressDeadline", 600*duration.Second)
}

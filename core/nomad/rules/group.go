package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// GroupRules is Nomad's validation of task groups (TaskGroup.Validate):
// count, tasks, unique task names, one leader, ephemeral disk size, system
// job restrictions, scaling bounds.
var GroupRules = &rule.Rule{ID: "nomad-group", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of task groups (count, tasks, names, leader, disk, scaling)", Check: checkGroups}

func checkGroups(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, g := range j.Groups {
		gn := g.Node
		count, from := view.Get(gn, "Count"), ""
		if count == nil || count.Kind == jsonast.Null {
			// api's Canonicalize starts a group without Count at Scaling.Min.
			count, from = view.Get(view.Get(gn, "Scaling"), "Min"), "without Count, Nomad uses Scaling.Min as the group's count"
		}
		if v, ok := count.Int(); ok {
			if v < 0 {
				nomadSays(ctx, count, from, "Task group count can't be negative")
			} else if j.Type == "system" && v > 1 {
				nomadSays(ctx, count, strings.TrimPrefix(from+"; a system job runs one allocation per node", "; "), "Job task group %s has count %d. Count cannot exceed 1 with system scheduler", g.Name, v)
			}
		}
		if len(view.Items(view.Get(gn, "Tasks"))) == 0 {
			if gatewayGroup(gn) {
				// The server's Connect hook injects the gateway task before it
				// validates; only offline `nomad job validate` reports this.
				d := report(ctx, at(gn, "Tasks"), "%s: a Connect gateway group without tasks: the server adds the gateway's task and accepts the job, but offline `nomad job validate` says: Task group %s validation failed: Missing tasks for task group", path(gn), g.Name)
				d.Severity = diag.Info
			} else {
				nomadSays(ctx, at(gn, "Tasks"), "a group needs at least one task", "Task group %s validation failed: Missing tasks for task group", g.Name)
			}
		}
		if j.Type == "system" {
			if r := view.Get(gn, "ReschedulePolicy"); r != nil {
				nomadSays(ctx, r, "system jobs are never rescheduled; remove it", "System jobs should not have a reschedule policy")
			}
			for _, k := range []struct{ key, what string }{{"Affinities", "an affinity"}, {"Spreads", "a spread"}} {
				if v := view.Get(gn, k.key); len(view.Items(v)) > 0 {
					nomadSays(ctx, v, "", "System jobs may not have %s block", k.what)
				}
			}
		}
		if sz := view.Get(view.Get(gn, "EphemeralDisk"), "SizeMB"); sz != nil {
			if v, ok := sz.Int(); ok && v < 10 {
				nomadSays(ctx, sz, "", "minimum DiskMB value is 10; got %d", v)
			}
		}
		if sc := view.Get(gn, "Scaling"); sc != nil {
			c := view.IntOr(gn, "Count", view.IntOr(sc, "Min", 1))
			if mx, ok := view.Int(sc, "Max"); ok && c > mx {
				nomadSays(ctx, at(gn, "Count"), "", "Scaling policy invalid: task group count must not be greater than maximum count in scaling policy")
			}
			if mn, ok := view.Int(sc, "Min"); ok && c < mn {
				nomadSays(ctx, at(gn, "Count"), "", "Scaling policy invalid: task group count must not be less than minimum count in scaling policy")
			}
		}
		for _, m := range view.Members(view.Get(gn, "Volumes")) {
			checkVolume(ctx, m)
		}
		names := map[string]int{}
		leaders := 0
		for i, t := range view.Items(view.Get(gn, "Tasks")) {
			if !t.Is(jsonast.Object) {
				continue
			}
			name, _ := view.Str(t, "Name")
			if name == "" {
				nomadSays(ctx, at(t, "Name"), "every task needs a name", "Task %d missing name", i+1)
			} else if prev, dup := names[name]; dup {
				nomadSays(ctx, view.Get(t, "Name"), "task names must be unique in a group", "Task %d redefines '%s' from task %d", i+1, name, prev)
			} else {
				names[name] = i + 1
			}
			if l, _ := view.Bool(t, "Leader"); l {
				leaders++
				if leaders == 2 {
					nomadSays(ctx, view.Get(t, "Leader"), "", "Only one task may be marked as leader")
				}
			}
		}
	}
}

// gatewayGroup reports whether a group has a service with a Connect
// gateway (ingress, terminating, mesh), for which the server adds a task.
func gatewayGroup(g *jsonast.Node) bool {
	for _, s := range view.Objects(view.Get(g, "Services")) {
		if view.Get(view.Get(s, "Connect"), "Gateway") != nil {
			return true
		}
	}
	return false
}

// checkVolume checks a group volume request (VolumeRequest.Validate): a
// known type, a source, and for CSI volumes an access and attachment mode.
func checkVolume(ctx *rule.Context, m *jsonast.Member) {
	v := m.Value
	if !v.Is(jsonast.Object) {
		return
	}
	wrap := "Task group volume validation for " + m.Key + " failed: "
	typ, _ := view.Str(v, "Type")
	if typ != "host" && typ != "csi" {
		if typ != "" {
			nomadSays(ctx, view.Get(v, "Type"), `use "host" or "csi"`, "%svolume has unrecognized type %s", wrap, typ)
		}
		return
	}
	if src, _ := view.Str(v, "Source"); src == "" {
		nomadSays(ctx, at(v, "Source"), "name the host volume or CSI volume ID", "%svolume has an empty source", wrap)
	}
	if typ != "csi" {
		return
	}
	if am, _ := view.Str(v, "AttachmentMode"); am == "" {
		nomadSays(ctx, at(v, "AttachmentMode"), `set "AttachmentMode": "file-system" (or "block-device")`, "%sCSI volumes must have an attachment mode", wrap)
	}
	if am, _ := view.Str(v, "AccessMode"); am == "" {
		nomadSays(ctx, at(v, "AccessMode"), `set "AccessMode", e.g. "single-node-writer" or "multi-node-reader-only"`, "%sCSI volumes must have an access mode", wrap)
	}
}

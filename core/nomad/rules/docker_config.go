package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// DockerConfig checks the Config of docker tasks, which Nomad only decodes
// when the task starts: known snake_case keys, image present, JSON shapes
// (args a list, labels/port_map/sysctl/ulimit written as [{...}]), ports
// and port_map against the group's and task's networks, mount types and the
// command's white space.
var DockerConfig = &rule.Rule{ID: "nomad-docker-config", Format: rule.Nomad, Severity: diag.Error,
	Summary: "docker task Config: keys, types, image, ports and port_map (fails only when the task starts)", Check: checkDocker}

func checkDocker(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, t := range j.Tasks() {
		cfg := view.Get(t.Node, "Config")
		if t.Driver != "docker" || !cfg.Is(jsonast.Object) {
			if t.Driver == "docker" && cfg == nil {
				report(ctx, t.Node, "%s: a docker task needs \"Config\": {\"image\": ...}; the task fails when it starts: Missing required argument: The argument \"image\" is required, but no definition was found.", t.Node.Path())
			}
			continue
		}
		if checkConfigShape(ctx, cfg, docker, "docker") {
			continue // the driver stops at the decode error
		}
		if c := cfg.Get("command"); c.Is(jsonast.String) && c.Str != strings.TrimSpace(c.Str) {
			d := ctx.Report(c, "%s has leading or trailing white space; the task fails when it starts: command contains extra white space: %q", c.Path(), c.Str)
			d.Fixes = []diag.Fix{{Title: "Trim it", Safe: true, Edits: []diag.TextEdit{ctx.Edit(c.Start, c.End, quote(strings.TrimSpace(c.Str)))}}}
		}
		groupPorts := map[string]bool{}
		for _, n := range t.Group.Networks {
			for _, kind := range []string{"ReservedPorts", "DynamicPorts"} {
				for _, p := range view.Objects(view.Get(n, kind)) {
					groupPorts[view.StrOr(p, "Label", "")] = true
				}
			}
		}
		for _, p := range view.Items(cfg.Get("ports")) {
			if s, ok := p.StringValue(); ok && !strings.Contains(s, "${") && !groupPorts[s] {
				ctx.Report(p, "%s: port %q is not declared in the group's Networks; the task fails when it starts: Port %q not found, check network block", p.Path(), s, s)
			}
		}
		if pm := cfg.Get("port_map"); pm != nil {
			// port_map maps the task's own (task-level) network ports; only
			// with none of those does it reach for the group's and fail.
			taskNet := len(view.Items(view.Get(view.Get(t.Node, "Resources"), "Networks"))) > 0
			checkPortMap(ctx, t, pm, len(t.Group.Networks) > 0 && !taskNet)
		}
		for _, key := range []string{"mount", "mounts"} {
			mv := cfg.Get(key)
			ms := view.Objects(mv)
			if mv.Is(jsonast.Object) {
				ms = []*jsonast.Node{mv}
			}
			for _, m := range ms {
				if ty, ok := m.Get("type").StringValue(); ok && ty != "bind" && ty != "volume" && ty != "tmpfs" {
					ctx.Report(m.Get("type"), "%s: the task fails when it starts: invalid mount type, must be \"bind\", \"volume\", \"tmpfs\": %q", m.Get("type").Path(), ty)
				}
			}
			if key == "mounts" && mv != nil {
				d := ctx.ReportKey(mv.Member, "%s: \"mounts\" is the deprecated pre-1.0 spelling; write \"mount\"", mv.Path())
				d.Severity = diag.Warning
				d.Fixes = []diag.Fix{{Title: `Rename to "mount"`, Safe: true, Edits: []diag.TextEdit{ctx.Edit(mv.Member.KeyStart, mv.Member.KeyEnd, `"mount"`)}}}
			}
		}
	}
}

func checkPortMap(ctx *rule.Context, t *Task, pm *jsonast.Node, groupNet bool) {
	if groupNet {
		ctx.ReportKey(pm.Member, "%s: the group has a network, and port_map cannot map group ports; the task fails when it starts: 'port_map' cannot map group network ports, use 'ports' instead. Use \"ports\": [\"<label>\"] and set DynamicPorts[].To in the group network", pm.Path())
		return
	}
	d := ctx.ReportKey(pm.Member, "%s: port_map is deprecated since Nomad 0.12 (with task-level networks); use a group network with DynamicPorts[].To and \"ports\": [\"<label>\"]", pm.Path())
	d.Severity = diag.Warning
	taskPorts := t.Ports()
	for _, it := range view.Objects(pm) {
		for _, m := range it.Members {
			if _, ok := taskPorts[m.Key]; !ok {
				ctx.ReportKey(m, "%s: port label %q is not declared in the task's networks; the task fails when it starts: Trying to map ports but no network interface is available", m.Path(), m.Key)
			}
		}
	}
}

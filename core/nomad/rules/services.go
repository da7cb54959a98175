package rules

import (
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
)

// service is one service with where it is declared and the ports it can use.
type service struct {
	Node  *jsonast.Node
	Group *Group
	Task  *Task // nil for group services
	Ports map[string]*jsonast.Node

	// As Nomad sees them after Canonicalize ("" replaced by the default).
	Name, AddressMode, OnUpdate, Provider, PortLabel string
}

// newService reads a service the way Nomad's Canonicalize leaves it.
func newService(n *jsonast.Node, g *Group, t *Task, ports map[string]*jsonast.Node) service {
	name := view.StrOr(n, "Name", "")
	if name == "" {
		// api Service.Canonicalize: <job>-<group>[-<task>], the job's Name
		// defaulting to its ID.
		job := view.StrOr(g.Job.Node, "Name", "")
		if job == "" {
			job = view.StrOr(g.Job.Node, "ID", "")
		}
		name = job + "-" + g.Name
		if t != nil {
			name += "-" + t.Name
		}
	}
	return service{Node: n, Group: g, Task: t, Ports: ports,
		Name:        name,
		AddressMode: canonStr("Service", n, "AddressMode", "auto"),
		OnUpdate:    canonStr("Service", n, "OnUpdate", "require_healthy"),
		Provider:    canonStr("Service", n, "Provider", "consul"),
		PortLabel:   view.StrOr(n, "PortLabel", ""),
	}
}

// services returns every service of the job, group services first. The
// list is computed once per job and shared: callers must not modify it.
func (j *Job) services() []service {
	if !j.svcDone {
		j.svcs, j.svcDone = j.findServices(), true
	}
	return j.svcs
}

func (j *Job) findServices() []service {
	var out []service
	for _, g := range j.Groups {
		gp := map[string]*jsonast.Node{}
		for _, n := range g.Networks {
			for _, kind := range []string{"ReservedPorts", "DynamicPorts"} {
				for _, p := range view.Objects(view.Get(n, kind)) {
					if l, ok := view.Str(p, "Label"); ok {
						gp[l] = p
					}
				}
			}
		}
		for _, s := range view.Objects(view.Get(g.Node, "Services")) {
			out = append(out, newService(s, g, nil, gp))
		}
		for _, t := range g.Tasks {
			tp := t.Ports()
			for _, s := range view.Objects(view.Get(t.Node, "Services")) {
				out = append(out, newService(s, g, t, tp))
			}
		}
	}
	return out
}

package nomadjob

import (
	"fmt"
	"time"

	"github.com/hashicorp/nomad/api"
)

// Check is a service check the runner runs from this host.
type Check struct {
	Service  string
	Name     string
	Path     string // Job.TaskGroups[i].Services[j].Checks[k] (or the task's)
	Type     string // http | tcp | script
	Port     *Port  `json:",omitempty"` // http, tcp: reached at 127.0.0.1:Port.Host
	HTTPPath string `json:",omitempty"`
	Method   string `json:",omitempty"`
	Header   map[string][]string
	Body     string   `json:",omitempty"`
	Command  string   `json:",omitempty"` // script: run in Task's container
	Args     []string `json:",omitempty"`
	Task     string   // the task a script runs in and check_restart restarts
	Interval time.Duration
	Timeout  time.Duration
	Restart  *CheckRestart `json:",omitempty"`
}

// CheckRestart restarts Task after Limit failures in a row, not counting
// failures during Grace after the task (re)starts.
type CheckRestart struct {
	Limit          int
	Grace          time.Duration
	IgnoreWarnings bool
}

// services reads the checks of the group's and the tasks' services.
func (b *builder) services(a *Alloc, tg *api.TaskGroup) error {
	for si, s := range tg.Services {
		if err := b.service(a, s, fmt.Sprintf("%s.Services[%d]", a.Path, si), ""); err != nil {
			return err
		}
	}
	for ti, t := range tg.Tasks {
		for si, s := range t.Services {
			if err := b.service(a, s, fmt.Sprintf("%s.Tasks[%d].Services[%d]", a.Path, ti, si), t.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *builder) service(a *Alloc, s *api.Service, spath, task string) error {
	if s.Connect != nil {
		return fmt.Errorf("%s.Connect: Consul Connect needs Consul and Envoy, which the runner does not have", spath)
	}
	tasks := map[string]bool{}
	for _, t := range a.Tasks {
		tasks[t.Name] = true
	}
	for ci, c := range s.Checks {
		cpath := fmt.Sprintf("%s.Checks[%d]", spath, ci)
		chk := Check{Service: s.Name, Name: c.Name, Path: cpath, Type: c.Type, HTTPPath: c.Path, Method: c.Method, Header: c.Header, Body: c.Body,
			Command: c.Command, Args: c.Args, Task: task, Interval: c.Interval, Timeout: c.Timeout}
		if chk.Name == "" {
			chk.Name = fmt.Sprintf("service: %q check", s.Name)
		}
		if c.TaskName != "" {
			chk.Task = c.TaskName
		}
		if chk.Task != "" && !tasks[chk.Task] {
			return fmt.Errorf("%s.TaskName: no task %q in the group", cpath, chk.Task)
		}
		if chk.Interval < time.Second {
			chk.Interval = time.Second
		}
		if chk.Timeout <= 0 || chk.Timeout > chk.Interval {
			chk.Timeout = min(chk.Interval, 5*time.Second)
		}
		switch c.Type {
		case "http", "tcp":
			label := c.PortLabel
			if label == "" {
				label = s.PortLabel
			}
			var port *Port
			for i := range a.Ports {
				if a.Ports[i].Label == label {
					port = &a.Ports[i]
				}
			}
			if port == nil {
				return fmt.Errorf("%s: port %q is not a port label of the group network, so the runner cannot reach the check", cpath, label)
			}
			chk.Port = port
		case "script":
			if chk.Task == "" {
				return fmt.Errorf("%s.TaskName: a group service's script check names the task to run in", cpath)
			}
		default:
			return fmt.Errorf("%s.Type %q is not supported by the runner: use http, tcp or script", cpath, c.Type)
		}
		cr := mergeCheckRestart(s.CheckRestart, c.CheckRestart)
		if cr != nil && cr.Limit > 0 {
			if chk.Task == "" {
				return fmt.Errorf("%s.CheckRestart: a group service's check names the task to restart (TaskName)", cpath)
			}
			chk.Restart = cr
		}
		a.Checks = append(a.Checks, chk)
	}
	return nil
}

func mergeCheckRestart(svc, chk *api.CheckRestart) *CheckRestart {
	var out *CheckRestart
	for _, c := range []*api.CheckRestart{svc, chk} {
		if c == nil {
			continue
		}
		if out == nil {
			out = &CheckRestart{}
		}
		if c.Limit > 0 {
			out.Limit = c.Limit
		}
		if c.Grace != nil {
			out.Grace = *c.Grace
		}
		out.IgnoreWarnings = out.IgnoreWarnings || c.IgnoreWarnings
	}
	return out
}

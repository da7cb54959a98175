package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Service checks service blocks (Service.Validate and the group/task
// checks around it): address mode, address, on_update, provider, Connect
// only on group services, unique name+port per task, one provider per
// group, TaskName pointing at the own task.
var Service = &rule.Rule{ID: "nomad-service", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of services (address mode, provider, on_update, Connect, duplicates)", Check: checkServices}

func checkServices(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	providers := map[*Group]string{}
	seen := map[*Task]map[string]bool{}
	for _, s := range j.services() {
		n := s.Node
		name := s.Name
		mode := s.AddressMode
		switch mode {
		case "auto", "host", "driver", "alloc":
		case "alloc_ipv6":
			if !atLeast(ctx, 1, 10) {
				nomadSays(ctx, view.Get(n, "AddressMode"), "alloc_ipv6 exists since Nomad 1.10", "Service address_mode must be %q, %q, or %q; not %q", "auto", "host", "driver", mode)
			}
		default:
			nomadSays(ctx, view.Get(n, "AddressMode"), "", "Service address_mode must be %q, %q, or %q; not %q", "auto", "host", "driver", mode)
		}
		if a, _ := view.Str(n, "Address"); a != "" && mode != "auto" {
			nomadSays(ctx, view.Get(n, "Address"), "", "Service address_mode must be %q if address is set", "auto")
		}
		if ou := s.OnUpdate; ou != "require_healthy" && ou != "ignore_warnings" && ou != "ignore" {
			nomadSays(ctx, view.Get(n, "OnUpdate"), "", "Service on_update must be %q, %q, or %q; not %q", "require_healthy", "ignore_warnings", "ignore", ou)
		}
		provider := s.Provider
		if provider != "consul" && provider != "nomad" {
			nomadSays(ctx, view.Get(n, "Provider"), "", "Service provider must be %q, or %q; not %q", "consul", "nomad", provider)
		}
		if prev, ok := providers[s.Group]; ok && prev != provider {
			nomadSays(ctx, at(n, "Provider"), "use one provider for every service of the group", "Multiple service providers used: task group services must use the same provider")
		}
		providers[s.Group] = provider
		if provider == "nomad" && view.Get(n, "Connect") != nil {
			nomadSays(ctx, view.Get(n, "Connect"), "", "Service with provider nomad cannot include Connect blocks")
		}
		if s.Task == nil {
			if mode == "driver" {
				nomadSays(ctx, view.Get(n, "AddressMode"), "", "service %q cannot use address_mode=\"driver\", only services defined in a \"task\" block can use this mode", name)
			}
			continue
		}
		if mode == "alloc" {
			nomadSays(ctx, view.Get(n, "AddressMode"), "", "service %q cannot use address_mode=\"alloc\", only services defined in a \"group\" block can use this mode", name)
		}
		if c := view.Get(n, "Connect"); c != nil {
			nomadSays(ctx, c, "move the service to the group", "service %q cannot have \"connect\" block, only services defined in a \"group\" block can", name)
		}
		if tn, ok := view.Str(n, "TaskName"); ok && tn != "" && tn != s.Task.Name {
			nomadSays(ctx, view.Get(n, "TaskName"), "", "Service %s is invalid: may only specify task the service belongs to, got %q", name, tn)
		}
		if name != "" {
			key := name + "\x00" + view.StrOr(n, "PortLabel", "")
			if seen[s.Task] == nil {
				seen[s.Task] = map[string]bool{}
			}
			if seen[s.Task][key] {
				nomadSays(ctx, view.Get(n, "Name"), "", "service %q is duplicate", name)
			}
			seen[s.Task][key] = true
		}
	}
}

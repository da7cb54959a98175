package nomadjob

import (
	"fmt"

	"github.com/hashicorp/nomad/api"
)

// network reads the group's network: its mode and its ports, with a host
// port for every port (static, or picked for a dynamic one).
func (b *builder) network(a *Alloc, tg *api.TaskGroup) error {
	if len(tg.Networks) == 0 {
		return nil
	}
	if len(tg.Networks) > 1 {
		return fmt.Errorf("%s.Networks: Nomad allows one group network; this group has %d", a.Path, len(tg.Networks))
	}
	n := tg.Networks[0]
	path := a.Path + ".Networks[0]"
	switch n.Mode {
	case "", "host":
		a.Network = "host"
	case "bridge":
		a.Network = "bridge"
		a.Infra = containerName(b.opts.RunID, a.Group, a.Index, "infra")
	default:
		return fmt.Errorf("%s.Mode %q is not supported by the runner: use \"bridge\" or \"host\" (CNI and Consul Connect networks need a Nomad client)", path, n.Mode)
	}
	seen := map[string]bool{}
	add := func(p api.Port, static bool, field string) error {
		if seen[p.Label] {
			return fmt.Errorf("%s.%s: port label %q is used twice", path, field, p.Label)
		}
		seen[p.Label] = true
		port := Port{Label: p.Label, Host: p.Value, Static: static}
		if !static {
			if b.opts.PickPort == nil {
				return fmt.Errorf("plan: no port picker for dynamic port %q", p.Label)
			}
			h, err := b.opts.PickPort()
			if err != nil {
				return fmt.Errorf("%s.%s: find a free host port for %q: %w", path, field, p.Label, err)
			}
			port.Host = h
		}
		// To is the port inside the namespace (bridge) or the container
		// (docker `ports`); in bridge mode Nomad maps an unset To to the
		// host port.
		port.To = p.To
		if a.Network == "bridge" && port.To <= 0 {
			port.To = port.Host
		}
		a.Ports = append(a.Ports, port)
		return nil
	}
	for i, p := range n.ReservedPorts {
		if err := add(p, true, fmt.Sprintf("ReservedPorts[%d]", i)); err != nil {
			return err
		}
	}
	for i, p := range n.DynamicPorts {
		if err := add(p, false, fmt.Sprintf("DynamicPorts[%d]", i)); err != nil {
			return err
		}
	}
	if len(a.Ports) > 0 {
		b.note("ports are published on 127.0.0.1 only (NOMAD_HOST_ADDR_*); in a bridge group NOMAD_ADDR_* is the port inside the allocation's namespace; dynamic ports are picked from the host's free ports, not Nomad's 20000-32000 range")
	}
	return nil
}

// portEnv is the port variables Nomad sets for every group port.
func portEnv(a *Alloc, env map[string]string) {
	for _, p := range a.Ports {
		inside := p.Host
		if p.To > 0 {
			inside = p.To
		}
		env["NOMAD_IP_"+p.Label] = "127.0.0.1"
		env["NOMAD_PORT_"+p.Label] = fmt.Sprint(inside)
		if a.Network == "bridge" {
			// Only 127.0.0.1 is bound on the host, which the allocation's
			// namespace cannot reach; inside it the port answers on its To.
			env["NOMAD_ADDR_"+p.Label] = fmt.Sprintf("127.0.0.1:%d", inside)
		} else {
			env["NOMAD_ADDR_"+p.Label] = fmt.Sprintf("127.0.0.1:%d", p.Host)
		}
		env["NOMAD_HOST_IP_"+p.Label] = "127.0.0.1"
		env["NOMAD_HOST_PORT_"+p.Label] = fmt.Sprint(p.Host)
		env["NOMAD_HOST_ADDR_"+p.Label] = fmt.Sprintf("127.0.0.1:%d", p.Host)
		if a.Network == "bridge" {
			env["NOMAD_ALLOC_IP_"+p.Label] = "127.0.0.1"
			env["NOMAD_ALLOC_PORT_"+p.Label] = fmt.Sprint(inside)
			env["NOMAD_ALLOC_ADDR_"+p.Label] = fmt.Sprintf("127.0.0.1:%d", inside)
		}
	}
}

package nomadexec

import (
	"fmt"
	"strconv"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/go-connections/nat"

	"github.com/jobkit-dev/jobkit/runner/engine"
	"github.com/jobkit-dev/jobkit/runner/nomadjob"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// Labels the runner adds to a Nomad task's container, besides the run label
// every Nosana run's containers carry too (plan.LabelRun, so one cleanup
// removes both kinds).
const (
	LabelAlloc = "dev.jobkit.nomad.alloc_id"
	LabelTask  = "dev.jobkit.nomad.task"
)

// TaskContainer is the Docker configuration of a task (exported for tests
// that compare it with what the daemon received).
func TaskContainer(p *nomadjob.Plan, a *nomadjob.Alloc, t *nomadjob.Task) (*container.Config, *container.HostConfig) {
	labels := map[string]string{}
	for k, v := range t.Labels {
		labels[k] = v
	}
	labels[plan.LabelRun] = p.RunID
	labels[plan.LabelOp] = a.Name + "/" + t.Name
	labels[LabelAlloc] = a.ID
	labels[LabelTask] = t.Name
	cfg := &container.Config{
		Image: t.Image, Entrypoint: t.Entrypoint, Cmd: t.Cmd, WorkingDir: t.WorkDir, User: t.User,
		Env: t.Env, Labels: labels, StopSignal: t.KillSignal, Tty: t.Tty,
	}
	hc := &container.HostConfig{NetworkMode: container.NetworkMode(t.NetworkMode),
		ShmSize: t.ShmSize, ReadonlyRootfs: t.ReadonlyRootfs, CapAdd: t.CapAdd, CapDrop: t.CapDrop}
	if t.Init {
		hc.Init = &t.Init
	}
	if t.PidsLimit > 0 {
		hc.PidsLimit = &t.PidsLimit
	}
	// DNS and extra hosts belong to the namespace's owner in a bridge group.
	if t.NetworkMode == "" || t.NetworkMode == "host" {
		hc.ExtraHosts = append([]string(nil), t.ExtraHosts...)
		hc.DNS = t.DNSServers
	}
	if t.NetworkMode == "" {
		hc.ExtraHosts = append(hc.ExtraHosts, "host.docker.internal:host-gateway")
	}
	hc.CPUShares = t.CPUShares
	hc.NanoCPUs = t.NanoCPUs
	hc.Memory = t.MemoryMB << 20
	hc.MemoryReservation = t.MemoryResMB << 20
	if t.GPU != nil {
		hc.DeviceRequests = []container.DeviceRequest{engine.DeviceRequest(*t.GPU)}
	}
	for _, m := range t.Mounts {
		switch m.Type {
		case "tmpfs":
			hc.Mounts = append(hc.Mounts, mount.Mount{Type: mount.TypeTmpfs, Target: m.Target, ReadOnly: m.ReadOnly})
		default:
			hc.Mounts = append(hc.Mounts, mount.Mount{Type: mount.TypeBind, Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly})
		}
	}
	publish(cfg, hc, t.Publish)
	return cfg, hc
}

// InfraContainer holds a bridge allocation's network namespace and
// publishes its ports, as Nomad's pause container does. Stdin is kept open
// so that an image whose command is a shell (a test image) waits too.
func InfraContainer(p *nomadjob.Plan, a *nomadjob.Alloc, image string) (*container.Config, *container.HostConfig) {
	cfg := &container.Config{
		Image: image, OpenStdin: true,
		Labels: map[string]string{plan.LabelRun: p.RunID, plan.LabelOp: a.Name + "/infra", LabelAlloc: a.ID},
	}
	hc := &container.HostConfig{ExtraHosts: []string{"host.docker.internal:host-gateway"}}
	publish(cfg, hc, a.Ports)
	return cfg, hc
}

// publish binds each port's host port on 127.0.0.1 to its container port,
// TCP and UDP, as Nomad maps both.
func publish(cfg *container.Config, hc *container.HostConfig, ports []nomadjob.Port) {
	if len(ports) == 0 {
		return
	}
	cfg.ExposedPorts = nat.PortSet{}
	hc.PortBindings = nat.PortMap{}
	for _, p := range ports {
		to := p.To
		if to <= 0 {
			to = p.Host
		}
		for _, proto := range []string{"tcp", "udp"} {
			port := nat.Port(fmt.Sprintf("%d/%s", to, proto))
			cfg.ExposedPorts[port] = struct{}{}
			hc.PortBindings[port] = append(hc.PortBindings[port], nat.PortBinding{HostIP: "127.0.0.1", HostPort: strconv.Itoa(p.Host)})
		}
	}
}

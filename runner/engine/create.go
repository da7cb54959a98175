package engine

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"

	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// hostPort is where a container port is published on 127.0.0.1.
type hostPort struct {
	Container, Host int
}

// pickPorts keeps the container port on the host when it is free and takes
// a free one otherwise.
func pickPorts(ports []nosana.ExposedPort) ([]hostPort, error) {
	var out []hostPort
	for _, p := range ports {
		h := p.Port
		if l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(h))); err == nil {
			l.Close()
		} else {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return nil, fmt.Errorf("find a free port on 127.0.0.1 for port %d: %w", p.Port, err)
			}
			h = l.Addr().(*net.TCPAddr).Port
			l.Close()
		}
		out = append(out, hostPort{Container: p.Port, Host: h})
	}
	return out, nil
}

// ContainerConfig is the Docker configuration of a step (exported for tests
// and for --plan consumers that want the exact API objects).
func ContainerConfig(p *plan.Plan, step *plan.Step, ports []hostPort, resourceDirs func(plan.Mount) string) (*container.Config, *container.HostConfig, *network.NetworkingConfig) {
	labels := map[string]string{plan.LabelRun: p.RunID, plan.LabelOp: step.OpID}
	cfg := &container.Config{
		Image:      step.Image,
		Entrypoint: step.Entrypoint,
		Cmd:        step.Cmd,
		WorkingDir: step.WorkDir,
		Env:        step.Env,
		Labels:     labels,
		Tty:        false,
	}
	hc := &container.HostConfig{
		NetworkMode: container.NetworkMode(p.Network),
		Privileged:  false,
		// Let the container reach services on the host through
		// host.docker.internal, as on Docker Desktop.
		ExtraHosts: []string{"host.docker.internal:host-gateway"},
	}
	if len(ports) > 0 {
		cfg.ExposedPorts = nat.PortSet{}
		hc.PortBindings = nat.PortMap{}
		for _, hp := range ports {
			port := nat.Port(fmt.Sprintf("%d/tcp", hp.Container))
			cfg.ExposedPorts[port] = struct{}{}
			hc.PortBindings[port] = []nat.PortBinding{{HostIP: "127.0.0.1", HostPort: strconv.Itoa(hp.Host)}}
		}
	}
	for _, m := range step.Mounts {
		if m.Volume != "" {
			hc.Mounts = append(hc.Mounts, mount.Mount{Type: mount.TypeVolume, Source: m.Volume, Target: m.Target, ReadOnly: m.ReadOnly})
			continue
		}
		if dir := resourceDirs(m); dir != "" {
			hc.Mounts = append(hc.Mounts, mount.Mount{Type: mount.TypeBind, Source: dir, Target: m.Target, ReadOnly: m.ReadOnly})
		}
	}
	if step.GPU != nil {
		hc.DeviceRequests = []container.DeviceRequest{deviceRequest(*step.GPU)}
	}
	netCfg := &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{
		p.Network: {Aliases: step.Aliases},
	}}
	return cfg, hc, netCfg
}

// deviceRequest is what `docker run --gpus` sends. Only [["gpu"]]: on 20.10
// each inner list must match as a whole.
func deviceRequest(g plan.GPURequest) container.DeviceRequest {
	d := container.DeviceRequest{Capabilities: [][]string{{"gpu"}}}
	if len(g.DeviceIDs) > 0 {
		d.DeviceIDs = g.DeviceIDs
	} else {
		d.Count = g.Count
	}
	return d
}

func (e *Engine) create(ctx context.Context, step *plan.Step, ports []hostPort) (string, error) {
	for _, m := range step.Mounts {
		if m.Resource != nil && e.resourceDir(m) == "" {
			return "", fmt.Errorf("resource for %s was not downloaded", m.Target)
		}
	}
	cfg, hc, nc := ContainerConfig(e.Plan, step, ports, e.resourceDir)
	if !e.ownNet {
		nc = useDefaultBridge(hc)
	}
	created, err := e.D.ContainerCreate(ctx, cfg, hc, nc, nil, step.Container)
	if err != nil {
		return "", fmt.Errorf("create container %s from %s: %w", step.Container, step.Image, err)
	}
	return created.ID, nil
}

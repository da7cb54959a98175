package engine

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

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

// pickPorts keeps the container port on the host when it is free (and own
// is set) and takes a free one otherwise. Another run may still take a port
// between this check and the container's start: runContainer then retries
// with fresh ports (see portTaken). A variable so that tests can force that
// race.
var pickPorts = func(ports []nosana.ExposedPort, own bool) ([]hostPort, error) {
	var out []hostPort
	for _, p := range ports {
		h := p.Port
		if l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(h))); own && err == nil {
			l.Close()
		} else {
			if err == nil {
				l.Close()
			}
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

// portTaken reports whether a start failed because a host port was taken
// after pickPorts chose it (a concurrent run).
func portTaken(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "port is already allocated") || strings.Contains(msg, "address already in use")
}

// recreate removes a container that could not start because a host port was
// taken, and creates it again on fresh ports.
func (e *Engine) recreate(ctx context.Context, step *plan.Step, id string) (string, []hostPort, error) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	err := e.D.ContainerRemove(rctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true})
	cancel()
	if err != nil {
		return "", nil, fmt.Errorf("remove %s to retry on other ports: %w", step.Container, err)
	}
	ports, err := pickPorts(step.Ports, false)
	if err != nil {
		return "", nil, err
	}
	id, err = e.create(ctx, step, ports)
	return id, ports, err
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
		ExtraHosts:  extraHosts(p.HostAccess),
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

// extraHosts maps host.docker.internal as the node does: to 8.8.8.8, away
// from the host, so that a job that works here does not depend on a service
// of the machine it runs on. --host-access maps it to the host instead, as
// Docker Desktop does, for local debugging.
func extraHosts(hostAccess bool) []string {
	if hostAccess {
		return []string{"host.docker.internal:host-gateway"}
	}
	return []string{"host.docker.internal:8.8.8.8", "host.containers.internal:8.8.8.8"}
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
	if err := e.implicitVolumes(ctx, step); err != nil {
		return "", err
	}
	cfg, hc, nc := ContainerConfig(e.Plan, step, ports, e.resourceDir)
	cfg.Labels = e.withOwner(cfg.Labels)
	if !e.ownNet {
		nc = useDefaultBridge(hc)
	}
	created, err := e.D.ContainerCreate(ctx, cfg, hc, nc, nil, step.Container)
	if err != nil {
		return "", fmt.Errorf("create container %s from %s: %w", step.Container, step.Image, err)
	}
	return created.ID, nil
}

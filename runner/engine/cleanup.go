package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"

	"github.com/jobkit-dev/jobkit/runner/plan"
)

// createNetwork makes the run's bridge network; ops find each other there
// by op id, alias and container name.
func (e *Engine) createNetwork(ctx context.Context) error {
	_, err := e.D.NetworkCreate(ctx, e.Plan.Network, network.CreateOptions{
		Driver: "bridge",
		Labels: map[string]string{plan.LabelRun: e.Plan.RunID},
	})
	if err != nil {
		return &InfraError{Msg: fmt.Sprintf("create network %s: %v", e.Plan.Network, err)}
	}
	return nil
}

// cleanup removes everything carrying the run's label: containers (with
// their anonymous volumes), the network, the per-run volumes, and images
// pulled with credentials. It runs however the run ended, with its own time
// limit, so a cancelled run is cleaned up too. --keep keeps all of it.
func (e *Engine) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	e.relMu.Lock()
	for _, rel := range e.released {
		rel()
	}
	e.released = nil
	e.relMu.Unlock()
	if e.Opts.Keep {
		e.con.logf("kept containers, network and volumes of run %s (remove them with: docker rm -f $(docker ps -aq -f label=%s=%s); docker network rm %s; docker volume rm $(docker volume ls -q -f label=%s=%s))",
			e.Plan.RunID, plan.LabelRun, e.Plan.RunID, e.Plan.Network, plan.LabelRun, e.Plan.RunID)
		return
	}
	n, err := RemoveRun(ctx, e.D, e.Plan.RunID)
	if err != nil {
		e.con.logf("warning: cleanup of run %s: %v", e.Plan.RunID, err)
	} else if n > 0 {
		e.con.logf("removed %d containers, networks and volumes of run %s", n, e.Plan.RunID)
	}
	e.removeAuthImages(ctx)
}

// RemoveRun removes every container, network and volume labelled with runID
// and returns how many it removed.
func RemoveRun(ctx context.Context, d Daemon, runID string) (int, error) {
	f := filters.NewArgs(filters.Arg("label", plan.LabelRun+"="+runID))
	removed := 0
	var firstErr error
	keep := func(err error) {
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	cs, err := d.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	keep(err)
	for _, c := range cs {
		err := d.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true, RemoveVolumes: true})
		keep(err)
		if err == nil {
			removed++
		}
	}
	ns, err := d.NetworkList(ctx, network.ListOptions{Filters: f})
	keep(err)
	for _, n := range ns {
		err := d.NetworkRemove(ctx, n.ID)
		keep(err)
		if err == nil {
			removed++
		}
	}
	vs, err := d.VolumeList(ctx, volume.ListOptions{Filters: f})
	keep(err)
	for _, v := range vs.Volumes {
		err := d.VolumeRemove(ctx, v.Name, true)
		keep(err)
		if err == nil {
			removed++
		}
	}
	return removed, firstErr
}

// Leftovers counts what is still labelled with runID (tests use it).
func Leftovers(ctx context.Context, d Daemon, runID string) (containers, networks, volumes int, err error) {
	f := filters.NewArgs(filters.Arg("label", plan.LabelRun+"="+runID))
	cs, err := d.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return
	}
	ns, err := d.NetworkList(ctx, network.ListOptions{Filters: f})
	if err != nil {
		return
	}
	vs, err := d.VolumeList(ctx, volume.ListOptions{Filters: f})
	if err != nil {
		return
	}
	return len(cs), len(ns), len(vs.Volumes), nil
}

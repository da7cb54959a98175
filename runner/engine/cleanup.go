package engine

import (
	"context"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"

	"github.com/jobkit-dev/jobkit/runner/plan"
)

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
	// Only what this process made: with the run lock another live runner
	// cannot use the run id, and objects of a dead run with the same id are
	// reaped before the run starts.
	key, value := plan.LabelRun, e.Plan.RunID
	if e.Opts.Owner.Instance != "" {
		key, value = LabelInstance, e.Opts.Owner.Instance
	}
	n, err := RemoveLabelled(ctx, e.D, key, value)
	if err != nil {
		e.con.logf("warning: cleanup of run %s: %v", e.Plan.RunID, err)
	} else if n > 0 {
		e.con.logf("removed %d containers, networks and volumes of run %s", n, e.Plan.RunID)
	}
	e.removeAuthImages(ctx)
}

// RemoveRun removes every container, network and volume labelled with runID
// and returns how many it removed. The three lists are asked for at once and
// the containers removed together; the networks and volumes, which are in
// use until their containers are gone, are removed after them, together.
func RemoveRun(ctx context.Context, d Daemon, runID string) (int, error) {
	return RemoveLabelled(ctx, d, plan.LabelRun, runID)
}

// RemoveLabelled removes every container, network and volume whose label
// key is value, as RemoveRun does.
func RemoveLabelled(ctx context.Context, d Daemon, key, value string) (int, error) {
	f := filters.NewArgs(filters.Arg("label", key+"="+value))
	var (
		mu       sync.Mutex
		removed  int
		firstErr error
	)
	keep := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	count := func(err error) {
		keep(err)
		if err == nil {
			mu.Lock()
			removed++
			mu.Unlock()
		}
	}
	var (
		cs    []container.Summary
		ns    []network.Summary
		vs    volume.ListResponse
		lists sync.WaitGroup
	)
	lists.Go(func() {
		var err error
		cs, err = d.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
		keep(err)
	})
	lists.Go(func() {
		var err error
		ns, err = d.NetworkList(ctx, network.ListOptions{Filters: f})
		keep(err)
	})
	lists.Go(func() {
		var err error
		vs, err = d.VolumeList(ctx, volume.ListOptions{Filters: f})
		keep(err)
	})
	lists.Wait()
	var containers sync.WaitGroup
	for _, c := range cs {
		containers.Go(func() {
			count(d.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true, RemoveVolumes: true}))
		})
	}
	containers.Wait()
	var rest sync.WaitGroup
	for _, n := range ns {
		rest.Go(func() { count(d.NetworkRemove(ctx, n.ID)) })
	}
	for _, v := range vs.Volumes {
		rest.Go(func() { count(d.VolumeRemove(ctx, v.Name, true)) })
	}
	rest.Wait()
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

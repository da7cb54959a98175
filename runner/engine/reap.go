package engine

import (
	"context"
	"fmt"
	cerrdefs "github.com/containerd/errdefs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"

	"github.com/jobkit-dev/jobkit/runner/plan"
)

// Orphan is something a dead run left behind.
type Orphan struct {
	Kind  string // container | network | volume | folder (a private resource copy)
	Name  string
	RunID string
	PID   string
	id    string
}

func (o Orphan) String() string {
	return fmt.Sprintf("%s %s (run %s, runner pid %s)", o.Kind, o.Name, o.RunID, o.PID)
}

// FindOrphans lists the containers, networks and volumes whose runner, on
// this host, is dead, and the private resource copies in the folders of dead
// runs under runsDir ("" skips those).
func FindOrphans(ctx context.Context, d Daemon, runsDir string) ([]Orphan, error) {
	host, _ := os.Hostname()
	f := filters.NewArgs(filters.Arg("label", LabelHost+"="+host))
	var out []Orphan
	cs, err := d.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	for _, c := range cs {
		if ownerDead(c.Labels, host) {
			name := c.ID[:min(12, len(c.ID))]
			if len(c.Names) > 0 {
				name = strings.TrimPrefix(c.Names[0], "/")
			}
			out = append(out, Orphan{Kind: "container", Name: name, RunID: c.Labels[plan.LabelRun], PID: c.Labels[LabelPID], id: c.ID})
		}
	}
	ns, err := d.NetworkList(ctx, network.ListOptions{Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list networks: %w", err)
	}
	for _, n := range ns {
		if ownerDead(n.Labels, host) {
			out = append(out, Orphan{Kind: "network", Name: n.Name, RunID: n.Labels[plan.LabelRun], PID: n.Labels[LabelPID], id: n.ID})
		}
	}
	vs, err := d.VolumeList(ctx, volume.ListOptions{Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list volumes: %w", err)
	}
	for _, v := range vs.Volumes {
		if ownerDead(v.Labels, host) {
			out = append(out, Orphan{Kind: "volume", Name: v.Name, RunID: v.Labels[plan.LabelRun], PID: v.Labels[LabelPID], id: v.Name})
		}
	}
	if runsDir != "" {
		out = append(out, deadRunCopies(runsDir)...)
	}
	return out, nil
}

// deadRunCopies lists the private resource copies (rw/) in the folders of
// runs whose lock is free.
func deadRunCopies(runsDir string) []Orphan {
	entries, err := os.ReadDir(runsDir)
	if err != nil {
		return nil
	}
	var out []Orphan
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(runsDir, e.Name())
		rw := filepath.Join(dir, RWDir)
		if _, err := os.Stat(rw); err != nil {
			continue
		}
		if lockFree(filepath.Join(dir, lockName)) {
			out = append(out, Orphan{Kind: "folder", Name: rw, RunID: e.Name(), PID: "-", id: rw})
		}
	}
	return out
}

// goneMeanwhile reports whether a removal failed because someone else (a
// run starting at the same time, runner gc) removed the object first.
func goneMeanwhile(err error) bool {
	return cerrdefs.IsNotFound(err) || strings.Contains(err.Error(), "already in progress")
}

// RemoveOrphans removes what FindOrphans found: containers first, then the
// networks and volumes they used, then folders. It returns what it removed.
func RemoveOrphans(ctx context.Context, d Daemon, orphans []Orphan) ([]Orphan, error) {
	rank := map[string]int{"container": 0, "network": 1, "volume": 2, "folder": 3}
	sorted := append([]Orphan(nil), orphans...)
	sort.SliceStable(sorted, func(i, j int) bool { return rank[sorted[i].Kind] < rank[sorted[j].Kind] })
	var done []Orphan
	var firstErr error
	for _, o := range sorted {
		var err error
		switch o.Kind {
		case "container":
			err = d.ContainerRemove(ctx, o.id, container.RemoveOptions{Force: true, RemoveVolumes: true})
		case "network":
			err = d.NetworkRemove(ctx, o.id)
		case "volume":
			err = d.VolumeRemove(ctx, o.id, true)
		case "folder":
			err = os.RemoveAll(o.id)
		}
		if err != nil && goneMeanwhile(err) {
			continue // another runner or gc reaped it first
		}
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("remove %s: %w", o, err)
			}
			continue
		}
		done = append(done, o)
	}
	return done, firstErr
}

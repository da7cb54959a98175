package engine

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// timedDaemon adds up how long each kind of daemon call takes.
type timedDaemon struct {
	Daemon
	mu       sync.Mutex
	total    map[string]time.Duration
	started  time.Time
	t0       time.Time
	timeline []string // calls of the last run, from its start
}

func (d *timedDaemon) add(name string, since time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.total[name] += time.Since(since)
	if !d.t0.IsZero() {
		d.timeline = append(d.timeline, fmt.Sprintf("%-16s %6.1f → %6.1f ms", name, ms1(since.Sub(d.t0)), ms1(time.Since(d.t0))))
	}
}

func ms1(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (d *timedDaemon) Ping(ctx context.Context) (types.Ping, error) {
	defer d.add("ping", time.Now())
	return d.Daemon.Ping(ctx)
}

func (d *timedDaemon) ImageInspect(ctx context.Context, id string, opts ...client.ImageInspectOption) (image.InspectResponse, error) {
	defer d.add("image-inspect", time.Now())
	return d.Daemon.ImageInspect(ctx, id, opts...)
}

func (d *timedDaemon) NetworkCreate(ctx context.Context, name string, o network.CreateOptions) (network.CreateResponse, error) {
	defer d.add("network-create", time.Now())
	return d.Daemon.NetworkCreate(ctx, name, o)
}

func (d *timedDaemon) NetworkRemove(ctx context.Context, id string) error {
	defer d.add("network-remove", time.Now())
	return d.Daemon.NetworkRemove(ctx, id)
}

func (d *timedDaemon) NetworkList(ctx context.Context, o network.ListOptions) ([]network.Summary, error) {
	defer d.add("network-list", time.Now())
	return d.Daemon.NetworkList(ctx, o)
}

func (d *timedDaemon) ContainerCreate(ctx context.Context, c *container.Config, h *container.HostConfig, n *network.NetworkingConfig, p *ocispec.Platform, name string) (container.CreateResponse, error) {
	defer d.add("container-create", time.Now())
	return d.Daemon.ContainerCreate(ctx, c, h, n, p, name)
}

func (d *timedDaemon) ContainerAttach(ctx context.Context, id string, o container.AttachOptions) (types.HijackedResponse, error) {
	defer d.add("attach", time.Now())
	return d.Daemon.ContainerAttach(ctx, id, o)
}

func (d *timedDaemon) ContainerStart(ctx context.Context, id string, o container.StartOptions) error {
	defer d.add("start", time.Now())
	err := d.Daemon.ContainerStart(ctx, id, o)
	d.mu.Lock()
	d.started = time.Now()
	d.mu.Unlock()
	return err
}

func (d *timedDaemon) ContainerWait(ctx context.Context, id string, c container.WaitCondition) (<-chan container.WaitResponse, <-chan error) {
	t0 := time.Now()
	in, errs := d.Daemon.ContainerWait(ctx, id, c)
	d.add("wait-register", t0)
	out := make(chan container.WaitResponse, 1)
	go func() {
		w, ok := <-in
		if !ok {
			return
		}
		d.mu.Lock()
		if !d.started.IsZero() {
			d.total["wait-exit"] += time.Since(d.started)
			d.timeline = append(d.timeline, fmt.Sprintf("%-16s %6.1f → %6.1f ms", "wait-exit", ms1(d.started.Sub(d.t0)), ms1(time.Since(d.t0))))
		}
		d.mu.Unlock()
		out <- w
	}()
	return out, errs
}

func (d *timedDaemon) ContainerList(ctx context.Context, o container.ListOptions) ([]container.Summary, error) {
	defer d.add("container-list", time.Now())
	return d.Daemon.ContainerList(ctx, o)
}

func (d *timedDaemon) ContainerRemove(ctx context.Context, id string, o container.RemoveOptions) error {
	defer d.add("container-remove", time.Now())
	return d.Daemon.ContainerRemove(ctx, id, o)
}

func (d *timedDaemon) VolumeList(ctx context.Context, o volume.ListOptions) (volume.ListResponse, error) {
	defer d.add("volume-list", time.Now())
	return d.Daemon.VolumeList(ctx, o)
}

// BenchmarkOneOpPhases runs a one-op job through the engine and reports
// where the time goes, per daemon call kind (ms/op; calls may overlap).
func BenchmarkOneOpPhases(b *testing.B) {
	ctx := context.Background()
	cli, err := Connect(ctx)
	if err != nil {
		if os.Getenv("CI") == "true" {
			b.Fatalf("needs a Docker daemon (scripts/testenv/up.sh): %v", err)
		}
		b.Skip(err)
	}
	defer cli.Close()
	job, err := nosana.Decode([]byte(`{"version":"0.1","type":"container","ops":[{"id":"one","type":"container/run","args":{"image":"local/busybox:full","cmd":["true"]}}]}`))
	if err != nil {
		b.Fatal(err)
	}
	d := &timedDaemon{Daemon: cli, total: map[string]time.Duration{}}
	var run time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.started = time.Time{}
		d.mu.Lock()
		d.timeline = nil
		d.t0 = time.Now()
		d.mu.Unlock()
		runID := "jkt-bench-phases-" + time.Now().Format("150405.000000")
		runID = strings.ReplaceAll(runID, ".", "-")
		t0 := time.Now()
		if _, err := d.Ping(ctx); err != nil {
			b.Fatal(err)
		}
		p, err := plan.Build(job, plan.Options{RunID: runID})
		if err != nil {
			b.Fatal(err)
		}
		e := &Engine{D: d, Job: job, Plan: p, Out: io.Discard, Err: io.Discard}
		rep, err := e.Run(ctx)
		if err != nil || rep.Status != StatusSuccess {
			b.Fatalf("run: %v (%s)", err, rep.Status)
		}
		run += time.Since(t0)
		d.mu.Lock()
		d.timeline = append(d.timeline, fmt.Sprintf("%-16s %6.1f ms", "run end", ms1(time.Since(d.t0))))
		d.t0 = time.Time{}
		d.mu.Unlock()
		if c, n, v, err := Leftovers(ctx, cli, runID); err != nil || c+n+v != 0 {
			b.Fatalf("run %s left %d containers, %d networks, %d volumes (%v)", runID, c, n, v, err)
		}
	}
	b.StopTimer()
	b.Logf("last run:\n%s", strings.Join(d.timeline, "\n"))
	names := make([]string, 0, len(d.total))
	for k := range d.total {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		b.ReportMetric(float64(d.total[k].Microseconds())/1000/float64(b.N), k+"-ms/op")
	}
	b.ReportMetric(float64(run.Microseconds())/1000/float64(b.N), "run-ms/op")
}

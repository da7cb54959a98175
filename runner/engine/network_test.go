package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

func engineFor(t *testing.T, job string, keep bool) *Engine {
	t.Helper()
	j, err := nosana.Decode([]byte(job))
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Build(j, plan.Options{RunID: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{Job: j, Plan: p, Opts: Options{Keep: keep}, Out: io.Discard, Err: io.Discard}
	e.setup()
	return e
}

func TestNeedsNetwork(t *testing.T) {
	run := func(id, args string) string {
		return `{"id":"` + id + `","type":"container/run","args":{"image":"local/busybox:full",` + args + `}}`
	}
	job := func(ops ...string) string {
		s := `{"version":"0.1","type":"container","ops":[`
		for i, o := range ops {
			if i > 0 {
				s += ","
			}
			s += o
		}
		return s + `]}`
	}
	vol := `{"id":"vol","type":"container/create-volume","args":{"name":"v"}}`
	tests := []struct {
		name string
		job  string
		keep bool
		want bool
	}{
		{"one op", job(run("one", `"cmd":["true"]`)), false, false},
		{"one op and a volume", job(vol, run("a", `"cmd":"ls /v","volumes":[{"name":"v","dest":"/v"}]`)), false, false},
		{"id inside a longer word", job(run("one", `"cmd":"echo phone"`)), false, false},
		{"two ops", job(run("a", `"cmd":["true"]`), run("b", `"cmd":["true"]`)), false, true},
		{"keep", job(run("one", `"cmd":["true"]`)), true, true},
		{"literal", job(run("one", `"cmd":"echo %%global.job%%"`)), false, true},
		// Op ids are not host names, as on a node (only with --host-access).
		{"names its op id", job(run("web", `"cmd":"httpd; wget -q -O - http://web:8080/"`)), false, false},
		{"names its alias in env", job(run("one", `"cmd":"true","aliases":["db"],"env":{"URL":"postgres://DB:5432"}`)), false, true},
		{"names its container", job(run("one", `"cmd":"ping -c1 r1-0"`)), false, true},
		{"only a volume", job(vol), false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := engineFor(t, tc.job, tc.keep).needsNetwork(); got != tc.want {
				t.Errorf("needsNetwork() = %v, want %v", got, tc.want)
			}
		})
	}
}

// fakeNetworks is a daemon with the given networks that records creates.
type fakeNetworks struct {
	Daemon
	have    []string
	created []string
}

func (f *fakeNetworks) NetworkList(_ context.Context, o network.ListOptions) ([]network.Summary, error) {
	var out []network.Summary
	for _, n := range f.have {
		if strings.Contains(n, o.Filters.Get("name")[0]) { // the daemon's name filter matches substrings
			out = append(out, network.Summary{Name: n, ID: n})
		}
	}
	return out, nil
}

func (f *fakeNetworks) NetworkCreate(_ context.Context, name string, o network.CreateOptions) (network.CreateResponse, error) {
	if o.Labels[plan.LabelRun] != "r1" {
		return network.CreateResponse{}, errors.New("network without the run label")
	}
	f.created = append(f.created, name)
	return network.CreateResponse{ID: name}, nil
}

func TestPrepareNetwork(t *testing.T) {
	one := `{"version":"0.1","type":"container","ops":[{"id":"one","type":"container/run","args":{"image":"local/busybox:full","cmd":["true"]}}]}`
	two := `{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"local/busybox:full","cmd":["true"]}},{"id":"b","type":"container/run","args":{"image":"local/busybox:full","cmd":["true"]}}]}`
	tests := []struct {
		name        string
		job         string
		have        []string
		wantCreated string
		wantMode    string
	}{
		{"one op on the default bridge", one, []string{"bridge", "host", "none"}, "", "bridge"},
		{"daemon without a default bridge", one, []string{"my-bridge-2", "host", "none"}, "r1", "r1"},
		{"two ops", two, []string{"bridge"}, "r1", "r1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := engineFor(t, tc.job, false)
			f := &fakeNetworks{have: tc.have}
			e.D = f
			if err := e.prepareNetwork(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(f.created, ","); got != tc.wantCreated {
				t.Errorf("created networks %q, want %q", got, tc.wantCreated)
			}
			s := e.Plan.Groups[0].Steps[0]
			_, hc, nc := ContainerConfig(e.Plan, s, nil, func(plan.Mount) string { return "" })
			if !e.ownNet {
				nc = useDefaultBridge(hc)
			}
			if string(hc.NetworkMode) != tc.wantMode {
				t.Errorf("network mode %s, want %s", hc.NetworkMode, tc.wantMode)
			}
			if tc.wantMode == "r1" && (nc == nil || nc.EndpointsConfig["r1"] == nil) {
				t.Errorf("no endpoint on the run's network: %+v", nc)
			}
		})
	}
}

// The test daemon has its default bridge, and hasDefaultBridge finds it.
func TestHasDefaultBridge(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cli, err := Connect(ctx)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("needs a Docker daemon (scripts/testenv/up.sh): %v", err)
		}
		t.Skip(err)
	}
	defer cli.Close()
	e := &Engine{D: cli}
	if ok, err := e.hasDefaultBridge(ctx); err != nil || !ok {
		t.Errorf("hasDefaultBridge = %v, %v; want true", ok, err)
	}
}

// recordingDaemon passes calls to the daemon and records the networks made
// and the network modes of the containers.
type recordingDaemon struct {
	Daemon
	mu       sync.Mutex
	networks []string
	modes    []string
}

func (d *recordingDaemon) NetworkCreate(ctx context.Context, name string, o network.CreateOptions) (network.CreateResponse, error) {
	d.mu.Lock()
	d.networks = append(d.networks, name)
	d.mu.Unlock()
	return d.Daemon.NetworkCreate(ctx, name, o)
}

func (d *recordingDaemon) ContainerCreate(ctx context.Context, c *container.Config, hc *container.HostConfig, nc *network.NetworkingConfig, p *ocispec.Platform, name string) (container.CreateResponse, error) {
	d.mu.Lock()
	d.modes = append(d.modes, string(hc.NetworkMode))
	d.mu.Unlock()
	return d.Daemon.ContainerCreate(ctx, c, hc, nc, p, name)
}

// A one-op job runs on the default bridge, without a network of its own,
// and host.docker.internal points away from the host as on a node; a
// two-op job gets the run's network, where the ops reach each other by
// alias, and by op id only with --host-access. Nothing is left behind.
func TestRunNetworks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cli, err := Connect(ctx)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("needs a Docker daemon (scripts/testenv/up.sh): %v", err)
		}
		t.Skip(err)
	}
	defer cli.Close()
	tests := []struct {
		name, job    string
		hostAccess   bool
		wantNetworks int
		wantMode     string // "" means the run's network
		wantLog      string
	}{
		{"one op", `{"version":"0.1","type":"container","ops":[{"id":"one","type":"container/run","args":{"image":"local/busybox:full","cmd":"grep -q '^8.8.8.8.*host.docker.internal' /etc/hosts && echo away from the host"}}]}`,
			false, 0, "bridge", "away from the host"},
		{"one op, host access", `{"version":"0.1","type":"container","ops":[{"id":"one","type":"container/run","args":{"image":"local/busybox:full","cmd":"grep host.docker.internal /etc/hosts | grep -qv 8.8.8.8 && echo gateway ok"}}]}`,
			true, 0, "bridge", "gateway ok"},
		{"two ops", `{"version":"0.1","type":"container","ops":[
			{"id":"a","type":"container/run","args":{"image":"local/busybox:full","cmd":"nc -l -p 8080","aliases":["srv"]},"execution":{"group":"g"}},
			{"id":"b","type":"container/run","args":{"image":"local/busybox:full","cmd":"nslookup a >/dev/null 2>&1 && echo op-id-resolves; for i in $(seq 100); do echo hello-from-b | nc srv 8080 && exit 0; sleep 0.2; done; exit 1"},"execution":{"group":"g"}}]}`,
			false, 1, "", "a | hello-from-b"},
		{"two ops, host access", `{"version":"0.1","type":"container","ops":[
			{"id":"a","type":"container/run","args":{"image":"local/busybox:full","cmd":"nc -l -p 8080"},"execution":{"group":"g"}},
			{"id":"b","type":"container/run","args":{"image":"local/busybox:full","cmd":"for i in $(seq 100); do echo hello-from-b | nc a 8080 && exit 0; sleep 0.2; done; exit 1"},"execution":{"group":"g"}}]}`,
			true, 1, "", "a | hello-from-b"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j, err := nosana.Decode([]byte(tc.job))
			if err != nil {
				t.Fatal(err)
			}
			runID := fmt.Sprintf("jkt-run-networks-%s-%d", time.Now().Format("150405"), i)
			p, err := plan.Build(j, plan.Options{RunID: runID, HostAccess: tc.hostAccess})
			if err != nil {
				t.Fatal(err)
			}
			d := &recordingDaemon{Daemon: cli}
			var out strings.Builder
			e := &Engine{D: d, Job: j, Plan: p, Out: &syncWriter{w: &out}, Err: io.Discard, Opts: Options{Timeout: time.Minute}}
			rep, err := e.Run(ctx)
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			if c, n, v, err := Leftovers(ctx, cli, runID); err != nil || c+n+v != 0 {
				t.Errorf("left %d containers, %d networks, %d volumes (%v)", c, n, v, err)
				_, _ = RemoveRun(ctx, cli, runID)
			}
			if !strings.Contains(out.String(), tc.wantLog) {
				t.Errorf("status %s; output %q does not contain %q", rep.Status, out.String(), tc.wantLog)
			}
			if strings.Contains(out.String(), "op-id-resolves") {
				t.Errorf("op id resolved as a host name without --host-access: %q", out.String())
			}
			want := tc.wantMode
			if want == "" {
				want = runID
			}
			if len(d.networks) != tc.wantNetworks {
				t.Errorf("networks created: %v, want %d", d.networks, tc.wantNetworks)
			}
			for _, m := range d.modes {
				if m != want {
					t.Errorf("container network mode %s, want %s", m, want)
				}
			}
		})
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

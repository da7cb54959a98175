package engine

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/go-connections/nat"

	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// Another run takes the host port between pickPorts and the start: the op
// is made again on a free port instead of failing with "port is already
// allocated". The race is forced: the first pick returns a port that a
// running container already publishes.
func TestPortTakenBeforeStartIsRetried(t *testing.T) {
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
	// A container holding 127.0.0.1:<taken>.
	holderID := fmt.Sprintf("jkt-port-holder-%d", time.Now().UnixNano()%1e9)
	taken := 18000 + int(time.Now().UnixNano()%1000)
	port := nat.Port("80/tcp")
	hc := &container.HostConfig{PortBindings: nat.PortMap{port: {{HostIP: "127.0.0.1", HostPort: fmt.Sprint(taken)}}}}
	cr, err := cli.ContainerCreate(ctx, &container.Config{Image: "local/busybox:full", Cmd: []string{"sleep", "60"}, ExposedPorts: nat.PortSet{port: {}}, Labels: map[string]string{plan.LabelRun: holderID}}, hc, nil, nil, holderID)
	if err != nil {
		t.Fatal(err)
	}
	defer RemoveRun(context.Background(), cli, holderID)
	if err := cli.ContainerStart(ctx, cr.ID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	orig := pickPorts
	defer func() { pickPorts = orig }()
	picks := 0
	pickPorts = func(ports []nosana.ExposedPort, own bool) ([]hostPort, error) {
		picks++
		if picks == 1 {
			return []hostPort{{Container: ports[0].Port, Host: taken}}, nil
		}
		return orig(ports, own)
	}
	j, err := nosana.Decode([]byte(`{"version":"0.1","type":"container","ops":[{"id":"web","type":"container/run","args":{"image":"local/busybox:full","cmd":"echo started","expose":[8080]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	runID := fmt.Sprintf("jkt-port-retry-%d", time.Now().UnixNano()%1e9)
	p, err := plan.Build(j, plan.Options{RunID: runID})
	if err != nil {
		t.Fatal(err)
	}
	var out, msgs strings.Builder
	e := &Engine{D: cli, Job: j, Plan: p, Out: &syncWriter{w: &out}, Err: &syncWriter{w: &msgs}, Opts: Options{Timeout: time.Minute}}
	rep, err := e.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != StatusSuccess || picks != 2 || !strings.Contains(msgs.String(), "a host port was taken before the container started") {
		t.Errorf("outcome %s after %d picks\n%s", rep.Outcome, picks, msgs.String())
	}
	if strings.Contains(msgs.String(), fmt.Sprintf("→ http://127.0.0.1:%d", taken)) || !strings.Contains(msgs.String(), "port 8080 → http://127.0.0.1:") {
		t.Errorf("announced ports:\n%s", msgs.String())
	}
	if c, n, v, err := Leftovers(ctx, cli, runID); err != nil || c+n+v != 0 {
		t.Errorf("left %d containers, %d networks, %d volumes (%v)", c, n, v, err)
	}
}

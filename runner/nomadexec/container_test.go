package nomadexec

import (
	"context"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/runner/engine"
	"github.com/jobkit-dev/jobkit/runner/nomadjob"
)

// needDocker returns a client of the test daemon; without one the test
// fails when CI=true and is skipped otherwise.
func needDocker(t testing.TB) *client.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cli, err := engine.Connect(ctx)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("these tests need a Docker daemon (run scripts/testenv/up.sh): %v", err)
		}
		t.Skipf("no Docker daemon (run scripts/testenv/up.sh): %v", err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// TestGPUDeviceRequestsReachTheDaemon creates (never starts: there is no
// GPU here) the container of a task with nvidia/gpu devices and reads back
// the device requests the daemon stored.
func TestGPUDeviceRequestsReachTheDaemon(t *testing.T) {
	cli := needDocker(t)
	cases := []struct {
		name, gpus string
		count      string
		want       container.DeviceRequest
	}{
		{"job's count", "all", "2", container.DeviceRequest{Count: 2, Capabilities: [][]string{{"gpu"}}}},
		{"--gpus device ids", "0,2", "1", container.DeviceRequest{DeviceIDs: []string{"0", "2"}, Capabilities: [][]string{{"gpu"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			job, err := nomadjob.Decode(jsonast.Parse([]byte(`{"ID": "g", "Type": "batch", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "train", "Driver": "docker",
			  "Config": {"image": "local/busybox:full"}, "Resources": {"Devices": [{"Name": "nvidia/gpu", "Count": ` + tc.count + `}]}}]}]}`)))
			if err != nil {
				t.Fatal(err)
			}
			runID := "jkt-nomad-gpu-" + time.Now().Format("150405.000000")
			p, err := nomadjob.Build(job, nomadjob.Options{RunID: runID, Pull: "never", GPUs: tc.gpus, AllocRoot: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			a := p.Allocs[0]
			a.Tasks[0].Mounts = nil // the directories are made by a run
			cfg, hc := TaskContainer(p, a, a.Tasks[0])
			ctx := context.Background()
			created, err := cli.ContainerCreate(ctx, cfg, hc, nil, nil, a.Tasks[0].Container)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _, _ = engine.RemoveRun(context.Background(), cli, runID) })
			info, err := cli.ContainerInspect(ctx, created.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := info.HostConfig.DeviceRequests
			if len(got) != 1 {
				t.Fatalf("device requests %+v", got)
			}
			got[0].Options = nil
			if !reflect.DeepEqual(got[0], tc.want) {
				t.Errorf("device request %+v, want %+v", got[0], tc.want)
			}
		})
	}
}

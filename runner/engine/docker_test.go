package engine

import (
	"context"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// The container the engine creates for a GPU op carries the same device
// request as `docker run --gpus`; the daemon keeps it as given.
func TestGPUDeviceRequestsInDaemon(t *testing.T) {
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
	job, err := nosana.Decode([]byte(`{"version":"0.1","type":"container","ops":[{"id":"g","type":"container/run","args":{"image":"local/busybox:full","cmd":"nvidia-smi","gpu":true,"expose":8080}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		gpus string
		want container.DeviceRequest
	}{
		{"all", container.DeviceRequest{Count: -1, Capabilities: [][]string{{"gpu"}}}},
		{"2", container.DeviceRequest{Count: 2, Capabilities: [][]string{{"gpu"}}}},
		{"0,2", container.DeviceRequest{DeviceIDs: []string{"0", "2"}, Capabilities: [][]string{{"gpu"}}}},
	}
	for i, tc := range tests {
		runID := "jkt-gpu-inspect-" + time.Now().Format("150405") + "-" + tc.gpus[:1] + string(rune('a'+i))
		p, err := plan.Build(job, plan.Options{RunID: runID, GPUs: tc.gpus})
		if err != nil {
			t.Fatal(err)
		}
		step := p.Groups[0].Steps[0]
		cfg, hc, _ := ContainerConfig(p, step, []hostPort{{Container: 8080, Host: 18080}}, func(plan.Mount) string { return "" })
		hc.NetworkMode = "none" // the run's network is not made here
		created, err := cli.ContainerCreate(ctx, cfg, hc, nil, nil, step.Container)
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		info, err := cli.ContainerInspect(ctx, created.ID)
		_ = cli.ContainerRemove(ctx, created.ID, container.RemoveOptions{Force: true})
		if err != nil {
			t.Fatal(err)
		}
		got := info.HostConfig.DeviceRequests
		if len(got) != 1 || !reflect.DeepEqual(got[0].Capabilities, tc.want.Capabilities) || got[0].Count != tc.want.Count ||
			!reflect.DeepEqual(got[0].DeviceIDs, tc.want.DeviceIDs) || got[0].Driver != "" {
			t.Errorf("--gpus %s: DeviceRequests = %+v, want [%+v]", tc.gpus, got, tc.want)
		}
		if info.HostConfig.Privileged || len(info.HostConfig.Binds) != 0 {
			t.Errorf("container is privileged or binds host paths: %+v", info.HostConfig)
		}
		if b := info.HostConfig.PortBindings["8080/tcp"]; len(b) != 1 || b[0].HostIP != "127.0.0.1" || b[0].HostPort != "18080" {
			t.Errorf("port bindings = %+v", info.HostConfig.PortBindings)
		}
		if info.Config.Labels[plan.LabelRun] != runID || info.Config.Labels[plan.LabelOp] != "g" {
			t.Errorf("labels = %v", info.Config.Labels)
		}
	}
}

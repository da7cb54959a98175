package runnercli

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// BenchmarkOneOp compares a one-op job run by the runner (lint, plan, image
// check, create on the default bridge, attach, start, wait, results,
// cleanup) with
// `docker run --rm` of the same container, interleaved in the same run.
// Reported: runner-ms/op, docker-ms/op and their ratio, and the median of
// the per-iteration ratios, which a stall of the shared daemon in one
// iteration moves less. BenchmarkOneOpPhases in runner/engine shows where
// the runner's time goes.
func BenchmarkOneOp(b *testing.B) {
	needDocker(b)
	if _, err := exec.LookPath("docker"); err != nil {
		b.Fatalf("needs the docker CLI: %v", err)
	}
	job := filepath.Join(b.TempDir(), "job.json")
	if err := os.WriteFile(job, []byte(`{"version":"0.1","type":"container","ops":[{"id":"one","type":"container/run","args":{"image":"`+busybox+`","cmd":["true"]}}]}`), 0o644); err != nil {
		b.Fatal(err)
	}
	var runner, docker time.Duration
	ratios := make([]float64, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if code := Main(context.Background(), []string{"--run-id", newRunID(b), job}, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("runner exit %d", code)
		}
		t1 := time.Now()
		if out, err := exec.Command("docker", "run", "--rm", busybox, "true").CombinedOutput(); err != nil {
			b.Fatalf("docker run: %v\n%s", err, out)
		}
		t2 := time.Now()
		runner += t1.Sub(t0)
		docker += t2.Sub(t1)
		ratios = append(ratios, float64(t1.Sub(t0))/float64(t2.Sub(t1)))
	}
	sort.Float64s(ratios)
	b.ReportMetric(float64(runner.Milliseconds())/float64(b.N), "runner-ms/op")
	b.ReportMetric(float64(docker.Milliseconds())/float64(b.N), "docker-ms/op")
	b.ReportMetric(float64(runner)/float64(docker), "ratio")
	b.ReportMetric((ratios[(len(ratios)-1)/2]+ratios[len(ratios)/2])/2, "median-ratio")
}

// BenchmarkNomadOneTask is BenchmarkOneOp for a one-task Nomad batch job
// (lint, decode with Nomad's defaults, host fingerprint, plan, image check,
// allocation directories, create with the /alloc, /local and /secrets
// mounts, attach, start, wait, cleanup) against `docker run --rm` of the
// same container, interleaved.
func BenchmarkNomadOneTask(b *testing.B) {
	needDocker(b)
	if _, err := exec.LookPath("docker"); err != nil {
		b.Fatalf("needs the docker CLI: %v", err)
	}
	job := filepath.Join(b.TempDir(), "job.json")
	if err := os.WriteFile(job, []byte(`{"Job": {"ID": "one", "Type": "batch", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Driver": "docker", "Config": {"image": "`+busybox+`", "command": "true"}}]}]}}`), 0o644); err != nil {
		b.Fatal(err)
	}
	var runner, docker time.Duration
	ratios := make([]float64, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if code := Main(context.Background(), []string{"--run-id", newRunID(b), job}, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("runner exit %d", code)
		}
		t1 := time.Now()
		if out, err := exec.Command("docker", "run", "--rm", busybox, "true").CombinedOutput(); err != nil {
			b.Fatalf("docker run: %v\n%s", err, out)
		}
		t2 := time.Now()
		runner += t1.Sub(t0)
		docker += t2.Sub(t1)
		ratios = append(ratios, float64(t1.Sub(t0))/float64(t2.Sub(t1)))
	}
	sort.Float64s(ratios)
	b.ReportMetric(float64(runner.Milliseconds())/float64(b.N), "runner-ms/op")
	b.ReportMetric(float64(docker.Milliseconds())/float64(b.N), "docker-ms/op")
	b.ReportMetric(float64(runner)/float64(docker), "ratio")
	b.ReportMetric((ratios[(len(ratios)-1)/2]+ratios[len(ratios)/2])/2, "median-ratio")
}

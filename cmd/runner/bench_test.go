package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// chattyCmd prints 200 MB of logs (about 2 million lines of 101 bytes).
const chattyCmd = "yes 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789 | head -c 200000000"

// BenchmarkChattyOp runs an op printing 200 MB of logs through the real
// runner process, with --report, and `docker run` of the same container,
// both writing to /dev/null. Reported: the runner's peak RSS (the kernel's
// maxrss of the process), its wall time and docker run's, and their ratio.
// Targets: peak RSS ≤ 100 MB, ratio ≤ 1.5.
func BenchmarkChattyOp(b *testing.B) {
	if _, err := exec.LookPath("docker"); err != nil {
		b.Fatalf("needs the docker CLI: %v", err)
	}
	bin := runnerBinary(b)
	dir := b.TempDir()
	job := filepath.Join(dir, "job.json")
	if err := os.WriteFile(job, []byte(`{"version":"0.1","type":"container","ops":[{"id":"chatty","type":"container/run","args":{"image":"local/busybox:full","cmd":["sh","-c","`+chattyCmd+`"]}}]}`), 0o644); err != nil {
		b.Fatal(err)
	}
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devNull.Close()
	var runner, dockerRun time.Duration
	var peakKB int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "--runs-dir", filepath.Join(dir, "runs"), "--report", filepath.Join(dir, "report.json"), job)
		cmd.Stdout, cmd.Stderr = devNull, devNull
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("runner: %v", err)
		}
		runner += time.Since(t0)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peakKB = max(peakKB, int64(ru.Maxrss))
		}
		os.RemoveAll(filepath.Join(dir, "runs"))
		d := exec.Command("docker", "run", "--rm", "local/busybox:full", "sh", "-c", chattyCmd)
		d.Stdout, d.Stderr = devNull, devNull
		t1 := time.Now()
		if err := d.Run(); err != nil {
			b.Fatalf("docker run: %v", err)
		}
		dockerRun += time.Since(t1)
	}
	b.ReportMetric(float64(peakKB)/1024, "runner-peak-rss-MB")
	b.ReportMetric(runner.Seconds()/float64(b.N), "runner-s/op")
	b.ReportMetric(dockerRun.Seconds()/float64(b.N), "docker-s/op")
	b.ReportMetric(float64(runner)/float64(dockerRun), "ratio")
}

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jobkit-dev/jobkit/runner/engine"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// SIGTERM to the runner process stops the ops gracefully and removes
// everything the run made before the process exits.
func TestSIGTERMCleansUp(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cli, err := engine.Connect(ctx)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("needs a Docker daemon (scripts/testenv/up.sh): %v", err)
		}
		t.Skip(err)
	}
	defer cli.Close()
	bin := filepath.Join(t.TempDir(), "runner")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	job := filepath.Join(t.TempDir(), "job.json")
	os.WriteFile(job, []byte(`{"version":"0.1","type":"container","ops":[
	  {"id":"vol","type":"container/create-volume","args":{"name":"scratch"}},
	  {"id":"long","type":"container/run","args":{"image":"local/busybox:full","cmd":"trap 'echo got TERM; exit 0' TERM; echo working; while true; do sleep 0.1; done","volumes":[{"name":"scratch","dest":"/scratch"}]}}]}`), 0o644)
	runID := "jkt-sigterm-" + time.Now().Format("150405.000")
	runID = strings.ReplaceAll(runID, ".", "")
	cmd := exec.Command(bin, "--run-id", runID, job)
	var stdout, stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(stdout.String(), "working") {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the op did not start:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit code %d (%v), want 130\n%s", code, err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "got TERM") {
		t.Errorf("the op did not get SIGTERM:\n%s", stdout.String())
	}
	c, n, v, err := engine.Leftovers(ctx, cli, runID)
	if err != nil || c+n+v != 0 {
		t.Errorf("left %d containers, %d networks, %d volumes (%v)", c, n, v, err)
		engine.RemoveRun(ctx, cli, runID)
	}
}

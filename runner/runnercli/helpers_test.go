package runnercli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/client"

	"github.com/jobkit-dev/jobkit/runner/engine"
	"github.com/jobkit-dev/jobkit/runner/nomadexec"
)

// needDocker returns a client of the test daemon. Without one the test fails
// when CI=true and is skipped otherwise (scripts/testenv/up.sh starts one).
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

// testenv reads the facts scripts/testenv/up.sh wrote.
func testenv(t testing.TB) map[string]string {
	t.Helper()
	dir := os.Getenv("JOBKIT_TESTENV_DIR")
	if dir == "" {
		dir = "/tmp/jobkit-testenv"
	}
	facts := map[string]string{}
	f, err := os.Open(filepath.Join(dir, "env"))
	if err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), "="); ok {
				facts[k] = v
			}
		}
		f.Close()
	}
	for _, k := range []string{"JOBKIT_TEST_REGISTRY", "JOBKIT_TEST_REGISTRY_USER", "JOBKIT_TEST_REGISTRY_PASS", "JOBKIT_TEST_REGISTRY_IMAGE"} {
		if v := os.Getenv(k); v != "" {
			facts[k] = v
		}
	}
	if facts["JOBKIT_TEST_REGISTRY_IMAGE"] == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no test environment facts in %s/env (run scripts/testenv/up.sh)", dir)
		}
		t.Skipf("no test environment facts in %s/env (run scripts/testenv/up.sh)", dir)
	}
	return facts
}

// syncBuffer is a bytes.Buffer safe for the runner's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type runResult struct {
	code           int
	stdout, stderr string
	runID          string
	report         *engine.Report
	nomad          *nomadexec.Report
	raw            map[string]any // the report file as plain JSON
}

// op finds an op's state in the report.
func (r *runResult) op(t *testing.T, id string) *engine.OpState {
	t.Helper()
	if r.report == nil {
		t.Fatalf("no report (exit %d)\nstderr:\n%s", r.code, r.stderr)
	}
	for _, s := range r.report.OpStates {
		if s.OperationID == id {
			return s
		}
	}
	t.Fatalf("op %s not in the report", id)
	return nil
}

// logs joins an op's log lines.
func (r *runResult) logs(t *testing.T, id string) string {
	t.Helper()
	var b strings.Builder
	for _, l := range r.op(t, id).Logs {
		b.WriteString(l.Log + "\n")
	}
	return b.String()
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9]+`)

func newRunID(t testing.TB) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	name := strings.Trim(unsafeChars.ReplaceAllString(strings.ToLower(t.Name()), "-"), "-")
	if len(name) > 30 {
		name = name[len(name)-30:]
	}
	return "jkt-" + strings.Trim(name, "-") + "-" + hex.EncodeToString(b)
}

// runJob runs the runner in-process on job with args and checks that
// nothing labelled with the run is left in the daemon (unless --keep).
func runJob(t *testing.T, ctx context.Context, job string, args ...string) *runResult {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "job.json")
	if err := os.WriteFile(path, []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &runResult{runID: newRunID(t)}
	reportPath := filepath.Join(dir, "report.json")
	full := append([]string{"--run-id", r.runID, "--report", reportPath, "--cache", filepath.Join(dir, "cache"), "--runs-dir", filepath.Join(dir, "runs"), "--health-interval", "200ms"}, args...)
	full = append(full, path)
	var stdout, stderr syncBuffer
	r.code = Main(ctx, full, strings.NewReader(""), &stdout, &stderr)
	r.stdout, r.stderr = stdout.String(), stderr.String()
	if b, err := os.ReadFile(reportPath); err == nil && bytes.Contains(b, []byte(`"Allocations"`)) {
		r.nomad = new(nomadexec.Report) // a Nomad job's report
		if err := json.Unmarshal(b, r.nomad); err != nil {
			t.Fatalf("report is not JSON: %v", err)
		}
		_ = json.Unmarshal(b, &r.raw)
	} else if err == nil {
		r.report = new(engine.Report)
		if err := json.Unmarshal(b, r.report); err != nil {
			t.Fatalf("report is not JSON: %v", err)
		}
		_ = json.Unmarshal(b, &r.raw)
	}
	keep := false
	for _, a := range args {
		keep = keep || a == "--keep"
	}
	if !keep {
		assertClean(t, r.runID)
	}
	return r
}

// assertClean fails when containers, networks or volumes of the run remain.
func assertClean(t *testing.T, runID string) {
	t.Helper()
	cli := needDocker(t)
	c, n, v, err := engine.Leftovers(context.Background(), cli, runID)
	if err != nil {
		t.Fatalf("count leftovers: %v", err)
	}
	if c+n+v != 0 {
		t.Errorf("run %s left %d containers, %d networks, %d volumes", runID, c, n, v)
		_, _ = engine.RemoveRun(context.Background(), cli, runID)
	}
}

func wantCode(t *testing.T, r *runResult, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

func wantContains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, got)
		}
	}
}

// waitFor polls cond until it is true or the deadline passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

const busybox = "local/busybox:full"

// holdRunID takes the lock of runID in runs, as a live runner would.
func holdRunID(t *testing.T, runs, runID string) func() {
	t.Helper()
	l, err := engine.LockRun(runs, runID)
	if err != nil {
		t.Fatal(err)
	}
	return func() { l.Unlock() }
}

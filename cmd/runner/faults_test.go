package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/client"

	"github.com/jobkit-dev/jobkit/runner/engine"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// runnerBinary builds the real runner once per test binary.
func runnerBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "runner-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "runner")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// docker connects to the test daemon; without one the test fails when
// CI=true and is skipped otherwise.
func docker(t *testing.T) *client.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cli, err := engine.Connect(ctx)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("needs a Docker daemon (scripts/testenv/up.sh): %v", err)
		}
		t.Skip(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// proc is a runner process under test.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr lockedBuffer
	runID, runs    string
}

func writeJob(t *testing.T, job string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "job.json")
	if err := os.WriteFile(path, []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func newRunID(t *testing.T) string {
	return strings.ToLower(fmt.Sprintf("jkt-%s-%d", strings.NewReplacer("/", "-", "_", "-").Replace(t.Name()), time.Now().UnixNano()%1e9))
}

// start runs the built runner on job with args; runsDir is shared when given.
func start(t *testing.T, job, runsDir string, args ...string) *proc {
	t.Helper()
	p := &proc{runID: newRunID(t), runs: runsDir}
	if p.runs == "" {
		p.runs = t.TempDir()
	}
	full := append([]string{"--run-id", p.runID, "--runs-dir", p.runs, "--grace", "2s"}, args...)
	full = append(full, writeJob(t, job))
	p.cmd = exec.Command(runnerBinary(t), full...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill() })
	return p
}

// waitOut waits until the runner's stdout contains s.
func (p *proc) waitOut(t *testing.T, s string) {
	t.Helper()
	waitFor(t, time.Minute, fmt.Sprintf("%q on stdout", s), func() bool { return strings.Contains(p.stdout.String(), s) })
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		_ = p.cmd.Process.Kill()
		t.Fatalf("the runner did not exit\nstderr:\n%s", p.stderr.String())
	}
	return p.cmd.ProcessState.ExitCode()
}

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

func assertNoLeftovers(t *testing.T, cli *client.Client, runID string) {
	t.Helper()
	c, n, v, err := engine.Leftovers(context.Background(), cli, runID)
	if err != nil || c+n+v != 0 {
		t.Errorf("run %s left %d containers, %d networks, %d volumes (%v)", runID, c, n, v, err)
		_, _ = engine.RemoveRun(context.Background(), cli, runID)
	}
}

// A job whose op works until it is stopped, with a volume the job uses
// without creating it.
const longJob = `{"version":"0.1","type":"container","ops":[
  {"id":"long","type":"container/run","args":{"image":"local/busybox:full","cmd":"trap 'echo got TERM; exit 0' TERM; echo working; while true; do sleep 0.1; done","volumes":[{"name":"scratch","dest":"/scratch"}]}}]}`

// SIGHUP (the SSH session closed) stops the run like SIGTERM: the op gets
// SIGTERM, everything is removed, exit 130. Before: exit 129, container left.
func TestSIGHUPCleansUp(t *testing.T) {
	cli := docker(t)
	t.Parallel()
	p := start(t, longJob, "")
	p.waitOut(t, "working")
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t); code != 130 {
		t.Errorf("exit code %d, want 130\n%s", code, p.stderr.String())
	}
	if !strings.Contains(p.stdout.String(), "got TERM") {
		t.Errorf("the op did not get SIGTERM:\n%s", p.stdout.String())
	}
	assertNoLeftovers(t, cli, p.runID)
}

// `runner job.json | head -3`: the reader goes away, the runner does not die
// of SIGPIPE; the run ends as it would and removes everything. Before: exit
// 141, two containers, a network and a volume left.
func TestClosedStdoutDoesNotKill(t *testing.T) {
	cli := docker(t)
	t.Parallel()
	job := `{"version":"0.1","type":"container","ops":[
	  {"id":"a","type":"container/run","args":{"image":"local/busybox:full","cmd":"i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done; sleep 1; echo last line","volumes":[{"name":"v","dest":"/v"}]},"execution":{"group":"g"}},
	  {"id":"b","type":"container/run","args":{"image":"local/busybox:full","cmd":"sleep 2; echo b done"},"execution":{"group":"g"}}]}`
	runs := t.TempDir()
	id := newRunID(t)
	cmd := exec.Command(runnerBinary(t), "--run-id", id, "--runs-dir", runs, writeJob(t, job))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Read three lines, like head -3, then close the pipe.
	br := bufio.NewReader(out)
	for range 3 {
		if _, err := br.ReadString('\n'); err != nil {
			t.Fatalf("read: %v\n%s", err, stderr.String())
		}
	}
	out.Close()
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("the runner died of %v\n%s", ws.Signal(), stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d (%v), want 0\n%s", code, err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "stdout is closed") {
		t.Errorf("stderr does not say stdout closed:\n%s", stderr.String())
	}
	// The full output is in the op's log file.
	logs, _ := filepath.Glob(filepath.Join(runs, id, "*-a.log"))
	if len(logs) != 1 {
		t.Fatalf("log files %v", logs)
	}
	if b, err := os.ReadFile(logs[0]); err != nil || !strings.HasSuffix(string(b), "line 2999\nlast line\n") {
		t.Errorf("log file ends %q (%v)", tail(string(b)), err)
	}
	assertNoLeftovers(t, cli, id)
}

func tail(s string) string {
	if len(s) > 60 {
		return s[len(s)-60:]
	}
	return s
}

// SIGKILL leaves the run's container, network and volume behind; they carry
// the runner's pid and host, and `runner gc` lists and removes them, as does
// the next run. Live runs are left alone. Before: nothing found them.
func TestKilledRunIsReaped(t *testing.T) {
	cli := docker(t)
	runs := t.TempDir()
	two := `{"version":"0.1","type":"container","ops":[
	  {"id":"a","type":"container/run","args":{"image":"local/busybox:full","cmd":"echo working; sleep 600","volumes":[{"name":"scratch","dest":"/scratch"}]},"execution":{"group":"g"}},
	  {"id":"b","type":"container/run","args":{"image":"local/busybox:full","cmd":"sleep 600"},"execution":{"group":"g"}}]}`
	dead := start(t, two, runs)
	live := start(t, longJob, runs)
	dead.waitOut(t, "working")
	live.waitOut(t, "working")
	if err := dead.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	dead.wait(t)
	c, n, v, err := engine.Leftovers(context.Background(), cli, dead.runID)
	if err != nil || c != 2 || n != 1 || v != 1 {
		t.Fatalf("after SIGKILL: %d containers, %d networks, %d volumes (%v); want 2, 1, 1", c, n, v, err)
	}
	// The volume no create-volume op makes is labelled like the rest.
	gcOut, err := exec.Command(runnerBinary(t), "gc", "--dry-run", "--runs-dir", runs).CombinedOutput()
	if err != nil {
		t.Fatalf("gc --dry-run: %v\n%s", err, gcOut)
	}
	for _, want := range []string{"would remove container " + dead.runID + "-0", "would remove network " + dead.runID, "would remove volume " + dead.runID + "-scratch"} {
		if !strings.Contains(string(gcOut), want) {
			t.Errorf("gc --dry-run does not list %q:\n%s", want, gcOut)
		}
	}
	if strings.Contains(string(gcOut), live.runID) {
		t.Errorf("gc would remove the live run:\n%s", gcOut)
	}
	gcOut, err = exec.Command(runnerBinary(t), "gc", "--runs-dir", runs).CombinedOutput()
	if err != nil {
		t.Fatalf("gc: %v\n%s", err, gcOut)
	}
	// Every run on this host reaps too (other test packages run at the same
	// time), so gc may find some objects already gone; it must not fail.
	if !strings.Contains(string(gcOut), "removed ") {
		t.Logf("gc removed nothing itself (another run reaped first):\n%s", gcOut)
	}
	assertNoLeftovers(t, cli, dead.runID)
	if c, _, _, _ := engine.Leftovers(context.Background(), cli, live.runID); c != 1 {
		t.Errorf("the live run has %d containers after gc, want 1", c)
	}
	// A run started after another SIGKILL reaps too.
	dead2 := start(t, longJob, runs)
	dead2.waitOut(t, "working")
	_ = dead2.cmd.Process.Kill()
	dead2.wait(t)
	next := start(t, `{"version":"0.1","type":"container","ops":[{"id":"x","type":"container/run","args":{"image":"local/busybox:full","cmd":"true"}}]}`, runs)
	if code := next.wait(t); code != 0 {
		t.Fatalf("next run: exit %d\n%s", code, next.stderr.String())
	}
	if !strings.Contains(next.stderr.String(), "removed container "+dead2.runID+"-0") {
		t.Logf("the next run did not reap run %s itself (another run did first):\n%s", dead2.runID, next.stderr.String())
	}
	assertNoLeftovers(t, cli, dead2.runID)
	_ = live.cmd.Process.Signal(syscall.SIGTERM)
	if code := live.wait(t); code != 130 {
		t.Errorf("live run: exit %d", code)
	}
	assertNoLeftovers(t, cli, live.runID)
}

// The same --run-id twice at once: the second is refused (exit 2) and the
// first keeps its container. Before: the second's cleanup killed it.
func TestRunIDInUse(t *testing.T) {
	cli := docker(t)
	t.Parallel()
	runs := t.TempDir()
	first := start(t, longJob, runs)
	first.waitOut(t, "working")
	second := exec.Command(runnerBinary(t), "--run-id", first.runID, "--runs-dir", runs, writeJob(t, longJob))
	out, _ := second.CombinedOutput()
	if code := second.ProcessState.ExitCode(); code != 2 || !strings.Contains(string(out), "run id in use") {
		t.Errorf("second run: exit %d, want 2 with a message\n%s", code, out)
	}
	cs, err := cli.ContainerList(context.Background(), container.ListOptions{Filters: filters.NewArgs(filters.Arg("label", plan.LabelRun+"="+first.runID))})
	if err != nil || len(cs) != 1 || cs[0].State != "running" {
		t.Errorf("the first run's container: %v (%v)", cs, err)
	}
	_ = first.cmd.Process.Signal(syscall.SIGINT)
	if code := first.wait(t); code != 130 {
		t.Errorf("first run: exit %d\n%s", code, first.stderr.String())
	}
	assertNoLeftovers(t, cli, first.runID)
}

// A daemon that accepts the connection and never answers: --timeout and
// Ctrl-C still end the runner (exit 1 and 130). Before: --timeout was
// ignored, and Ctrl-C exited 3.
func TestHangingDaemonPing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		signal os.Signal
		code   int
		msg    string
	}{
		{"timeout", []string{"--timeout", "1s"}, nil, 1, "--timeout 1s passed while connecting to the Docker daemon"},
		{"ctrl-c", nil, os.Interrupt, 130, "interrupted while connecting"},
		{"sighup", nil, syscall.SIGHUP, 130, "interrupted while connecting"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sock, connected := hangingDaemon(t)
			args := append([]string{"--runs-dir", t.TempDir()}, tc.args...)
			args = append(args, writeJob(t, `{"version":"0.1","type":"container","ops":[{"id":"x","type":"container/run","args":{"image":"local/busybox:full","cmd":"true"}}]}`))
			cmd := exec.Command(runnerBinary(t), args...)
			cmd.Env = append(os.Environ(), "DOCKER_HOST=unix://"+sock)
			var stderr lockedBuffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if tc.signal != nil {
				waitFor(t, 30*time.Second, "the runner to connect", connected)
				_ = cmd.Process.Signal(tc.signal)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(40 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("the runner hung\n%s", stderr.String())
			}
			if code := cmd.ProcessState.ExitCode(); code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
				t.Errorf("exit %d, want %d with %q\n%s", code, tc.code, tc.msg, stderr.String())
			}
		})
	}
}

// hangingDaemon listens on a unix socket, accepts connections and never
// answers; connected reports whether a client connected.
func hangingDaemon(t *testing.T) (sock string, connected func() bool) {
	t.Helper()
	sock = filepath.Join(t.TempDir(), "docker.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return sock, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(conns) > 0
	}
}

package runnercli

import (
	"bytes"
	"context"
	"fmt"
	cerrdefs "github.com/containerd/errdefs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// A chatty op: the report keeps the first and last lines, a count and the
// path of the full log; results are taken from every line as it arrives.
// Before: every line was kept in memory and in the report.
func TestChattyOpReportIsCapped(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"chatty","type":"container/run","args":{"image":"`+busybox+`","cmd":"i=0; while [ $i -lt 5000 ]; do echo line $i; [ $i = 2500 ] && echo middle=found; i=$((i+1)); done"},
	   "results":{"mid":"middle=(\\w+)"}}]}`, "--report-lines", "10")
	wantCode(t, r, ExitOK)
	st := r.op(t, "chatty")
	if len(st.Logs) != 20 || st.LogLines != 5001 || st.LogsOmitted != 4981 {
		t.Fatalf("report keeps %d lines of %d (%d omitted), want 20 of 5001 (4981 omitted)", len(st.Logs), st.LogLines, st.LogsOmitted)
	}
	if st.Logs[0].Log != "line 0" || st.Logs[9].Log != "line 9" || st.Logs[10].Log != "line 4990" || st.Logs[19].Log != "line 4999" {
		t.Errorf("kept lines: first %q…%q, last %q…%q", st.Logs[0].Log, st.Logs[9].Log, st.Logs[10].Log, st.Logs[19].Log)
	}
	if got := fmt.Sprint(st.Results["mid"]); got != "[middle=found found]" {
		t.Errorf("result from the middle of the log = %s", got)
	}
	b, err := os.ReadFile(st.LogFile)
	if err != nil {
		t.Fatalf("log file: %v", err)
	}
	if n := bytes.Count(b, []byte("\n")); n != 5001 {
		t.Errorf("log file has %d lines, want 5001", n)
	}
}

// A node never reports an exposed op without health checks ready, so its
// dependents never start; the runner does the same and says why. The flow
// status is what the node's would be (success), the exit code says 1.
// Before: the dependent started.
func TestDependsOnExposedWithoutHealthChecks(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"srv","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo serving; sleep 2","expose":[{"port":8080}]},"execution":{"group":"g"}},
	  {"id":"dep","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo dep ran"},"execution":{"group":"g","depends_on":["srv"]}}]}`)
	wantCode(t, r, ExitOpFailed)
	if strings.Contains(r.stdout, "dep ran") {
		t.Error("the dependent ran")
	}
	wantContains(t, "stderr", r.stderr, "op dep waits for srv, which exposes ports without health_checks: a Nosana node never reports such an op ready")
	dep := r.op(t, "dep")
	if dep.Status != "pending" || !strings.Contains(dep.Reason, "never started") || dep.StartTime != nil {
		t.Errorf("dep = %+v", dep)
	}
	if r.report.Status != "success" || r.report.Outcome != "failed" {
		t.Errorf("report status %q outcome %q, want success (the node's) and failed", r.report.Status, r.report.Outcome)
	}
}

// Groups and depends_on as the node treats them: ops without
// execution.group may depend on each other (the node compares the groups as
// written); each still runs in a group of its own, so a dependency that comes
// earlier is ready and one that comes later never is. An empty group is a
// group. Before: the runner refused the whole job as "depends on … in
// another group", and ran the two ops of group "" one after the other.
func TestDependsOnAcrossUngroupedOps(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"early","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo early ran"}},
	  {"id":"after-early","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo after-early ran"},"execution":{"depends_on":["early"]}},
	  {"id":"before-late","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo before-late ran"},"execution":{"depends_on":["late"]}},
	  {"id":"late","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo late ran"}},
	  {"id":"e1","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo e1 ran"},"execution":{"group":""}},
	  {"id":"e2","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo e2 ran"},"execution":{"group":""}}]}`)
	wantCode(t, r, ExitOpFailed)
	for _, id := range []string{"early", "after-early", "late", "e1", "e2"} {
		if st := r.op(t, id); st.Status != "success" {
			t.Errorf("%s = %+v, want success", id, st)
		}
	}
	if st := r.op(t, "before-late"); st.Status != "pending" || !strings.Contains(st.Reason, `depends_on names "late", which runs in a later group`) || st.StartTime != nil {
		t.Errorf("before-late = %+v, want pending (never started) because late runs in a later group", st)
	}
	if strings.Contains(r.stdout, "before-late ran") {
		t.Error("before-late ran")
	}
	if e1, e2 := r.op(t, "e1"), r.op(t, "e2"); e1.Group != "" || e2.Group != "" {
		t.Errorf("groups of e1, e2 = %q, %q, want the empty group", e1.Group, e2.Group)
	}
	wantContains(t, "stderr", r.stderr, `group 5/5 "": e1, e2`)
}

// Secrets are masked in what is printed and reported, never in the values
// later ops receive. A credential under a name with no marker is masked.
// Before: the later op received "****".
func TestMaskOnOutputOnly(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"a","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo token=$API_TOKEN; echo cred=$MY_CRED","env":{"API_TOKEN":"s3cr3t-value-1","MY_CRED":"hf_abcdefghijklmnopqrstuv"}},
	   "results":{"tok":"token=(\\S+)"}},
	  {"id":"b","type":"container/run","args":{"image":"`+busybox+`","cmd":"[ \"$T\" = \"token=s3cr3t-value-1 s3cr3t-value-1\" ] && echo b got the real value || echo b got $T","env":{"T":"%%ops.a.results.tok%%"}}}]}`)
	if strings.Contains(r.stdout+r.stderr, "s3cr3t-value-1") || strings.Contains(r.stdout+r.stderr, "hf_abcdef") {
		t.Errorf("a secret was printed:\n%s\n%s", r.stdout, r.stderr)
	}
	wantContains(t, "stdout", r.stdout, "a | token=****", "a | cred=****")
	if !strings.Contains(r.logs(t, "b"), "b got the real value") {
		t.Errorf("b printed %q\n%s", r.logs(t, "b"), r.stderr)
	}
	if got := fmt.Sprint(r.op(t, "a").Results["tok"]); got != "[token=**** ****]" {
		t.Errorf("the report's result is %s, want it masked", got)
	}
}

// A volume an op uses without a create-volume op is created by the runner
// with the run's labels, and removed. Before: Docker made it unlabelled and
// it stayed after every run.
func TestImplicitVolumeRemoved(t *testing.T) {
	cli := needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"a","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo hi > /data/f","volumes":[{"name":"data","dest":"/data"}]}}]}`)
	wantCode(t, r, ExitOK)
	if _, err := cli.VolumeInspect(context.Background(), r.runID+"-data"); !cerrdefs.IsNotFound(err) {
		t.Errorf("volume %s-data is still there (%v)", r.runID, err)
		_ = cli.VolumeRemove(context.Background(), r.runID+"-data", true)
	}
}

// What can be checked before a long run is, with exit 2 and a message.
// Before: an unwritable --report was found after the run.
func TestFailFast(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	job := filepath.Join(dir, "job.json")
	os.WriteFile(job, []byte(`{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"`+busybox+`","cmd":"true"}}]}`), 0o644)
	badVol := filepath.Join(dir, "vol.json")
	os.WriteFile(badVol, []byte(`{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"`+busybox+`","cmd":"true","volumes":[{"name":"/etc","dest":"/host-etc"}]}}]}`), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"report in a missing folder", []string{"--report", filepath.Join(dir, "no", "such", "r.json"), job}, "--report:"},
		{"negative timeout", []string{"--timeout", "-1s", job}, "--timeout -1s"},
		{"zero gpus", []string{"--gpus", "0", job}, "--gpus 0"},
		{"run id with a slash", []string{"--run-id", "a/b", job}, `--run-id "a/b"`},
		{"volume name is a host path", []string{badVol}, `volume name "/etc" is not a plain name`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := append([]string{"--runs-dir", t.TempDir()}, tc.args...)
			start := time.Now()
			code := Main(context.Background(), args, strings.NewReader(""), &out, &errb)
			if code != ExitInvalid || !strings.Contains(errb.String(), tc.want) {
				t.Errorf("exit %d, want 2 with %q\n%s", code, tc.want, errb.String())
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %s: checked late", d)
			}
		})
	}
}

// The same job with an exposed port in three runners at once: every run
// gets host ports of its own. Before: some failed with "port is already
// allocated".
func TestConcurrentRunsSamePort(t *testing.T) {
	needDocker(t)
	t.Parallel()
	job := `{"version":"0.1","type":"container","ops":[
	  {"id":"web","type":"container/run","args":{"image":"` + busybox + `","cmd":"echo hi > /tmp/i; httpd -f -p 18091 -h /tmp & pid=$!; sleep 3; kill $pid; echo served","expose":[{"port":18091,"health_checks":[{"type":"http","path":"/i","method":"GET","expected_status":200,"continuous":false}]}]}}]}`
	var wg sync.WaitGroup
	results := make([]*runResult, 3)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runJobNoT(t, job)
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.code != ExitOK || !strings.Contains(r.stderr, "port 18091 healthy") {
			t.Errorf("run %d: exit %d\n%s", i, r.code, r.stderr)
		}
		assertClean(t, r.runID)
	}
}

// runJobNoT is runJob for goroutines (no t.Fatal).
func runJobNoT(t *testing.T, job string) *runResult {
	dir := t.TempDir()
	path := filepath.Join(dir, "job.json")
	_ = os.WriteFile(path, []byte(job), 0o644)
	r := &runResult{runID: newRunID(t)}
	var stdout, stderr syncBuffer
	r.code = Main(context.Background(), []string{"--run-id", r.runID, "--runs-dir", filepath.Join(dir, "runs"), "--health-interval", "200ms", path}, strings.NewReader(""), &stdout, &stderr)
	r.stdout, r.stderr = stdout.String(), stderr.String()
	return r
}

// __spread__ of a result holding a JSON object fills the env. Before: the
// object was dropped silently.
func TestSpreadJSONObjectResult(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"producer","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo 'CONFIG={\"MODEL\":\"tiny\",\"STEPS\":3}'"},"results":{"cfg":"CONFIG=(\\{.*\\})"}},
	  {"id":"use","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo model=$MODEL steps=$STEPS","env":{"__spread__":"%%ops.producer.results.cfg%%"}},"execution":{"group":"use"}}]}`)
	wantCode(t, r, ExitOK)
	if got := r.logs(t, "use"); got != "model=tiny steps=3\n" {
		t.Errorf("use printed %q", got)
	}
}

// A refused run leaves no empty report behind, and an existing report is
// kept until a new one is written.
func TestReportOnlyWhenWritten(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	job := filepath.Join(dir, "job.json")
	os.WriteFile(job, []byte(`{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"`+busybox+`","cmd":"true"}}]}`), 0o644)
	runs := t.TempDir()
	// Hold the run id so the run is refused after the report was opened.
	unlock := holdRunID(t, runs, "held")
	defer unlock()
	fresh, old := filepath.Join(dir, "fresh.json"), filepath.Join(dir, "old.json")
	os.WriteFile(old, []byte("previous report"), 0o644)
	for _, path := range []string{fresh, old} {
		var out, errb bytes.Buffer
		if code := Main(context.Background(), []string{"--runs-dir", runs, "--run-id", "held", "--report", path, job}, strings.NewReader(""), &out, &errb); code != ExitInvalid {
			t.Fatalf("exit %d, want 2\n%s", code, errb.String())
		}
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("a refused run left %s (%v)", fresh, err)
	}
	if b, _ := os.ReadFile(old); string(b) != "previous report" {
		t.Errorf("the previous report became %q", b)
	}
}

// A volume name that comes from a result and would be a host path fails the
// op before Docker is asked, with a message.
func TestLiteralVolumeNameNotAHostPath(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"p","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo /etc"},"results":{"dir":"^/etc$"}},
	  {"id":"use","type":"container/run","args":{"image":"`+busybox+`","cmd":"cat /host/passwd","volumes":[{"name":"%%ops.p.results.dir%%","dest":"/host"}]},"execution":{"group":"use"}}]}`)
	wantCode(t, r, ExitOpFailed)
	use := r.op(t, "use")
	if use.Status != "failed" || use.ExitCode != nil || !strings.Contains(use.Error, `ops[1].args.volumes[0].name: volume name "/etc" is not a plain name`) {
		t.Errorf("use = %+v", use)
	}
	if strings.Contains(r.stdout, "root:") {
		t.Error("the host's /etc was mounted")
	}
}

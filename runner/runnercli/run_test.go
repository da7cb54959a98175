package runnercli

import (
	"context"
	"encoding/json"
	"fmt"
	cerrdefs "github.com/containerd/errdefs"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/jobkit-dev/jobkit/runner/engine"
)

func TestOneOpExitCodesAndReport(t *testing.T) {
	needDocker(t)
	t.Parallel()
	ok := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"hello","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo hello; echo oops >&2; echo loss=0.25"},
	   "results":{"loss":"loss=([0-9.]+)","err":{"regex":"oops","logType":["stderr"]}}}]}`)
	wantCode(t, ok, ExitOK)
	wantContains(t, "stdout", ok.stdout, "hello | hello", "hello | oops", "hello | loss=0.25")
	wantContains(t, "summary", ok.stderr, "OP", "hello", "success", "loss=loss=0.25 0.25")
	st := ok.op(t, "hello")
	if *st.ExitCode != 0 || st.Status != "success" || ok.report.Status != "success" {
		t.Errorf("report: status %s/%s exit %v", ok.report.Status, st.Status, *st.ExitCode)
	}
	// The report has the node's flow-state shape.
	raw := ok.raw
	for _, k := range []string{"status", "startTime", "endTime", "opStates"} {
		if _, found := raw[k]; !found {
			t.Errorf("report has no %q", k)
		}
	}
	op := raw["opStates"].([]any)[0].(map[string]any)
	for k, typ := range map[string]string{"operationId": "string", "group": "string", "status": "string", "startTime": "float64", "endTime": "float64", "exitCode": "float64", "logs": "[]interface {}", "results": "map[string]interface {}"} {
		if got := fmt.Sprintf("%T", op[k]); got != typ {
			t.Errorf("opStates[0].%s is %s, want %s", k, got, typ)
		}
	}
	var types []string
	for _, l := range op["logs"].([]any) {
		l := l.(map[string]any)
		if _, ok := l["timestamp"].(float64); !ok || l["log"] == "" {
			t.Errorf("log entry %v", l)
		}
		types = append(types, fmt.Sprint(l["type"], ":", l["log"]))
	}
	sort.Strings(types)
	if got := strings.Join(types, ","); got != "stderr:oops,stdout:hello,stdout:loss=0.25" {
		t.Errorf("logs = %s", got)
	}
	if got := fmt.Sprint(op["results"]); got != "map[err:[oops] loss:[loss=0.25 0.25]]" {
		t.Errorf("results = %s", got)
	}
	if raw["startTime"].(float64) > op["startTime"].(float64) || op["endTime"].(float64) > raw["endTime"].(float64) {
		t.Errorf("op times are outside the run's: %v", raw)
	}

	bad := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"fail","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo about to fail; exit 7"}}]}`)
	wantCode(t, bad, ExitOpFailed)
	if st := bad.op(t, "fail"); *st.ExitCode != 7 || st.Status != "failed" || bad.report.Status != "success" || bad.report.Outcome != "failed" {
		t.Errorf("failed op: %+v", st)
	}
}

func TestCommandForms(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"str","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo sum=$((2+3)) shell=$0"},"execution":{"group":"g"}},
	  {"id":"argv","type":"container/run","args":{"image":"`+busybox+`","cmd":["echo","$HOME","a  b"]},"execution":{"group":"g"}},
	  {"id":"epargv","type":"container/run","args":{"image":"local/busybox:entrypoint","cmd":["x","y"]},"execution":{"group":"g"}},
	  {"id":"epstr","type":"container/run","args":{"image":"local/busybox:entrypoint","cmd":"echo hi"},"execution":{"group":"g"}},
	  {"id":"epimage","type":"container/run","args":{"image":"local/busybox:entrypoint"},"execution":{"group":"g"}},
	  {"id":"epover","type":"container/run","args":{"image":"local/busybox:entrypoint","entrypoint":["/bin/echo","override:"],"cmd":["z"]},"execution":{"group":"g"}}]}`)
	wantCode(t, r, ExitOK)
	for op, want := range map[string]string{
		"str":     "sum=5 shell=/bin/sh\n", // a string cmd runs as /bin/sh -c
		"argv":    "$HOME a  b\n",          // an argv cmd is not run by a shell
		"epargv":  "ep: x y\n",             // the image ENTRYPOINT stays
		"epstr":   "ep: /bin/sh -c echo hi\n",
		"epimage": "ep: c\n", // no cmd: the image's CMD
		"epover":  "override: z\n",
	} {
		if got := r.logs(t, op); got != want {
			t.Errorf("op %s printed %q, want %q", op, got, want)
		}
	}
}

func TestGlobalFallbacksAndEnv(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container",
	  "global":{"entrypoint":["/bin/echo","global-ep:"],"work_dir":"/srv/app","env":{"A":"g","B":"g"}},
	  "ops":[
	  {"id":"ep","type":"container/run","args":{"image":"`+busybox+`","cmd":["x"]},"execution":{"group":"g"}},
	  {"id":"env","type":"container/run","args":{"image":"`+busybox+`","entrypoint":["/bin/sh","-c"],"cmd":["pwd; echo A=$A B=$B ID=$NOSANA_ID"],"env":{"B":"op"}},"execution":{"group":"g"}},
	  {"id":"wd","type":"container/run","args":{"image":"`+busybox+`","entrypoint":["/bin/pwd"],"work_dir":"/tmp/own"},"execution":{"group":"g"}}]}`)
	wantCode(t, r, ExitOK)
	for op, want := range map[string]string{
		"ep":  "global-ep: x\n",
		"env": "/srv/app\nA=g B=op ID=" + r.runID + "\n",
		"wd":  "/tmp/own\n",
	} {
		if got := r.logs(t, op); got != want {
			t.Errorf("op %s printed %q, want %q", op, got, want)
		}
	}
}

func TestGroupsAndDependsOn(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"first","type":"container/run","args":{"image":"`+busybox+`","cmd":"sleep 1; echo one"}},
	  {"id":"srv","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo up; sleep 5"},"execution":{"group":"second"}},
	  {"id":"dep","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo dep"},"execution":{"group":"second","depends_on":["srv"]}}]}`)
	wantCode(t, r, ExitOK)
	first, srv, dep := r.op(t, "first"), r.op(t, "srv"), r.op(t, "dep")
	if *srv.StartTime < *first.EndTime {
		t.Errorf("group second started (%d) before group first ended (%d)", *srv.StartTime, *first.EndTime)
	}
	// Ready means started: dep starts after srv started, without waiting for it to end.
	if *dep.StartTime < *srv.StartTime || *dep.StartTime >= *srv.EndTime {
		t.Errorf("dep should start after srv started and before it ended: srv %d–%d, dep %d–%d", *srv.StartTime, *srv.EndTime, *dep.StartTime, *dep.EndTime)
	}
	if dep.Group != "second" || first.Group != "first" {
		t.Errorf("groups: %s %s", first.Group, dep.Group)
	}
}

func TestDependencyEndsBeforeReady(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"srv","type":"container/run","args":{"image":"`+busybox+`","cmd":"exit 1","expose":[{"port":8080,"type":"api","health_checks":[{"type":"http","path":"/","method":"GET","expected_status":200,"continuous":false}]}]},"execution":{"group":"g"}},
	  {"id":"dep","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo never"},"execution":{"group":"g","depends_on":["srv"]}}]}`)
	wantCode(t, r, ExitOpFailed)
	dep := r.op(t, "dep")
	if dep.Status != "failed" || !strings.Contains(dep.Error, `dependency "srv" ended (failed) before it was ready`) {
		t.Errorf("dep = %+v", dep)
	}
	if strings.Contains(r.stdout, "never") {
		t.Error("dep ran")
	}
}

func TestStopIfDependentStops(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"main","type":"container/run","args":{"image":"`+busybox+`","cmd":"sleep 1; echo main done"},"execution":{"group":"g"}},
	  {"id":"sidecar","type":"container/run","args":{"image":"`+busybox+`","cmd":"trap 'echo sidecar got TERM; exit 0' TERM; while true; do sleep 0.1; done"},"execution":{"group":"g","depends_on":["main"],"stop_if_dependent_stops":true}}]}`, "--grace", "5s")
	wantCode(t, r, ExitOK)
	side := r.op(t, "sidecar")
	if side.Status != "stopped" || !strings.Contains(side.Reason, "dependency main stopped") {
		t.Errorf("sidecar = %+v", side)
	}
	wantContains(t, "sidecar logs", r.logs(t, "sidecar"), "sidecar got TERM")
	if r.report.Status != "success" {
		t.Errorf("run status %s", r.report.Status)
	}
}

func TestRestartPolicy(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"flaky","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo attempt; exit 4","restart_policy":{"policy":"on-failure","restart_tries":2}}},
	  {"id":"once","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo fine","restart_policy":"on-failure"}}]}`)
	wantCode(t, r, ExitOpFailed)
	flaky := r.op(t, "flaky")
	if n := strings.Count(r.logs(t, "flaky"), "attempt"); n != 3 || flaky.Restarts != 2 || *flaky.ExitCode != 4 {
		t.Errorf("flaky ran %d times, restarts %d, exit %d; want 3, 2, 4", n, flaky.Restarts, *flaky.ExitCode)
	}
	if once := r.op(t, "once"); once.Restarts != 0 || once.Status != "success" {
		t.Errorf("once = %+v", once)
	}
}

func TestLiteralsAcrossOps(t *testing.T) {
	needDocker(t)
	t.Parallel()
	srvCmd := `mkdir -p /www/cgi-bin && echo served-by-srv > /www/index.html && printf '#!/bin/sh\necho Content-Type: text/plain\necho\ntouch /tmp/stop\n' > /www/cgi-bin/stop && chmod +x /www/cgi-bin/stop && httpd -p 8080 -h /www && while [ ! -f /tmp/stop ]; do sleep 0.1; done`
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","global":{"variables":{"V":"from-variables"}},"ops":[
	  {"id":"producer","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo token=abc123"},"results":{"token":"token=(\\w+)"}},
	  {"id":"srv","type":"container/run","args":{"image":"`+busybox+`","cmd":`+jsonString(srvCmd)+`,"aliases":["web"],
	     "expose":[{"port":8080,"type":"api","health_checks":[{"type":"http","path":"/","method":"GET","expected_status":200,"continuous":true}]}]},"execution":{"group":"serve"}},
	  {"id":"client","type":"container/run","args":{"image":"`+busybox+`",
	     "cmd":"wget -q -O - http://%%ops.srv.host%%:8080/ && wget -q -O - http://web:8080/ && wget -q -O - %%ops.srv.endpoint.8080%%/ && echo token=%%ops.producer.results.token%% var=%%global.variables.V%% job=%%global.job%%; wget -q -O /dev/null http://web:8080/cgi-bin/stop"},
	   "execution":{"group":"serve","depends_on":["srv"]}}]}`)
	wantCode(t, r, ExitOK)
	want := "served-by-srv\nserved-by-srv\nserved-by-srv\ntoken=token=abc123 abc123 var=from-variables job=" + r.runID + "\n"
	if got := r.logs(t, "client"); got != want {
		t.Errorf("client printed %q, want %q", got, want)
	}
	wantContains(t, "stderr", r.stderr, "op srv: port 8080 healthy")
}

// The linter passes this job: the result exists, but a dependent in the same
// group starts when its dependency starts, before any result is read.
// TestSameGroupResultIsRefused: a result read from an op of the same group
// fails on a node even with depends_on (it waits for the start, results
// exist after the end). Lint says so, and the runner refuses the job before
// starting anything, so local runs and the node agree.
func TestSameGroupResultIsRefused(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"producer","type":"container/run","args":{"image":"`+busybox+`","cmd":"sleep 1; echo token=abc"},"results":{"token":"token=(?:\\w+)"},"execution":{"group":"g"}},
	  {"id":"consumer","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo %%ops.producer.results.token%%"},"execution":{"group":"g","depends_on":["producer"]}}]}`)
	wantCode(t, r, ExitInvalid)
	wantContains(t, "stderr", r.stderr, `%%ops.producer.results.token%% reads a result of op "producer", which runs in the same group`,
		"execution.depends_on only waits until it has started", "fix them first")
	if r.report != nil && len(r.report.OpStates) > 0 {
		t.Errorf("ops ran although the job was refused: %+v", r.report.OpStates)
	}
}

func TestCreateVolumeShared(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"vol","type":"container/create-volume","args":{"name":"shared"}},
	  {"id":"writer","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo data-$NOSANA_ID > /shared/f","volumes":[{"name":"shared","dest":"/shared"}]}},
	  {"id":"reader","type":"container/run","args":{"image":"`+busybox+`","cmd":"cat /data/f","volumes":[{"name":"shared","dest":"/data"}]}}]}`)
	wantCode(t, r, ExitOK)
	if got := r.logs(t, "reader"); got != "data-"+r.runID+"\n" {
		t.Errorf("reader printed %q", got)
	}
	wantContains(t, "stderr", r.stderr, "created volume "+r.runID+"-shared")
}

func TestAuthenticatedPull(t *testing.T) {
	cli := needDocker(t)
	env := testenv(t)
	img, user, pass := env["JOBKIT_TEST_REGISTRY_IMAGE"], env["JOBKIT_TEST_REGISTRY_USER"], env["JOBKIT_TEST_REGISTRY_PASS"]
	removeImage(t, cli, img)
	job := func(password string) string {
		return fmt.Sprintf(`{"version":"0.1","type":"container","ops":[{"id":"private","type":"container/run","args":{"image":%q,
		  "authentication":{"docker":{"username":%q,"password":%q,"server":%q}}}}]}`, img, user, password, env["JOBKIT_TEST_REGISTRY"])
	}
	r := runJob(t, context.Background(), job(pass))
	wantCode(t, r, ExitOK)
	wantContains(t, "stdout", r.stdout, "private image from the jobkit test registry")
	wantContains(t, "stderr", r.stderr, "pull "+img)
	if _, err := cli.ImageInspect(context.Background(), img); err == nil {
		t.Error("the image pulled with credentials is still on the machine")
	}
	const wrong = "wrong-Password-31337"
	bad := runJob(t, context.Background(), job(wrong), "--pull", "always")
	wantCode(t, bad, ExitInfra)
	wantContains(t, "stderr", bad.stderr, "the registry refused the credentials of op private")
	for name, out := range map[string]string{"stdout": bad.stdout, "stderr": bad.stderr, "report": fmt.Sprint(bad.raw)} {
		if strings.Contains(out, wrong) || strings.Contains(out, pass) {
			t.Errorf("%s contains the password", name)
		}
	}
	if bad.report.Status != "error" {
		t.Errorf("report status %q, want error", bad.report.Status)
	}
}

func TestExposedPortAndCancel(t *testing.T) {
	cli := needDocker(t)
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	job := `{"version":"0.1","type":"container","ops":[{"id":"web","type":"container/run","args":{"image":"` + busybox + `",
	  "cmd":"mkdir -p /www && echo hello-from-httpd > /www/index.html && exec httpd -f -p 8080 -h /www",
	  "expose":[{"port":8080,"type":"web","health_checks":[{"type":"http","path":"/index.html","method":"GET","expected_status":200,"continuous":true}]}]}}]}`
	var stderr syncBuffer
	runID := newRunID(t)
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"--run-id", runID, "--grace", "2s", "--health-interval", "100ms", "-"}, strings.NewReader(job), io.Discard, &stderr)
	}()
	waitFor(t, 60*time.Second, "the health check to pass", func() bool { return strings.Contains(stderr.String(), "port 8080 healthy") })
	m := regexp.MustCompile(`port 8080 → (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no URL printed:\n%s", stderr.String())
	}
	resp, err := http.Get(m[1] + "/index.html")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello-from-httpd\n" {
		t.Errorf("GET %s = %q", m[1], body)
	}
	info, err := cli.ContainerInspect(context.Background(), runID+"-0")
	if err != nil {
		t.Fatal(err)
	}
	for port, bindings := range info.HostConfig.PortBindings {
		for _, b := range bindings {
			if b.HostIP != "127.0.0.1" {
				t.Errorf("port %s is published on %q, want 127.0.0.1", port, b.HostIP)
			}
		}
	}
	if info.HostConfig.Privileged {
		t.Error("container is privileged")
	}
	cancel() // what Ctrl-C does
	select {
	case code := <-done:
		if code != ExitInterrupt {
			t.Errorf("exit code %d after cancel, want %d", code, ExitInterrupt)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the runner did not stop after cancel")
	}
	wantContains(t, "stderr", stderr.String(), "op web: stopping (interrupted)", "stopped")
	assertClean(t, runID)
}

func TestTimeoutStopsGracefullyThenKills(t *testing.T) {
	needDocker(t)
	t.Parallel()
	start := time.Now()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"polite","type":"container/run","args":{"image":"`+busybox+`","cmd":"trap 'echo polite got TERM; exit 0' TERM; echo started; while true; do sleep 0.1; done"},"execution":{"group":"g"}},
	  {"id":"stubborn","type":"container/run","args":{"image":"`+busybox+`","cmd":"trap '' TERM; while true; do sleep 0.1; done"},"execution":{"group":"g"}},
	  {"id":"later","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo never"}}]}`, "--timeout", "3s", "--grace", "2s")
	wantCode(t, r, ExitOpFailed)
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("the run took %s after a 3 s timeout", took)
	}
	if r.report.Status != "stopped" {
		t.Errorf("run status %q, want stopped", r.report.Status)
	}
	polite, stubborn, later := r.op(t, "polite"), r.op(t, "stubborn"), r.op(t, "later")
	wantContains(t, "polite logs", r.logs(t, "polite"), "polite got TERM")
	if polite.Status != "stopped" || polite.Reason != "timeout" {
		t.Errorf("polite = %+v", polite)
	}
	if stubborn.Status != "stopped" || *stubborn.ExitCode != 137 {
		t.Errorf("stubborn should be killed after the grace period: %+v", stubborn)
	}
	if later.Status != "pending" {
		t.Errorf("later = %+v, want pending (never started)", later)
	}
}

func TestGPUJobWithoutGPU(t *testing.T) {
	needDocker(t)
	t.Parallel()
	job := `{"version":"0.1","type":"container","meta":{"system_requirements":{"required_vram":4}},"ops":[
	  {"id":"train","type":"container/run","args":{"image":"` + busybox + `","cmd":"echo training on cpu","gpu":true}}]}`
	r := runJob(t, context.Background(), job)
	wantCode(t, r, ExitInfra)
	wantContains(t, "stderr", r.stderr, "op train needs a GPU", `could not select device driver`, "NVIDIA Container Toolkit", "nvidia-ctk runtime configure", "--no-gpu")
	if strings.Count(r.stderr, "NVIDIA Container Toolkit") != 1 {
		t.Errorf("the GPU error should be said once:\n%s", r.stderr)
	}
	if strings.Contains(r.stdout, "training") {
		t.Error("the op ran")
	}
	r = runJob(t, context.Background(), job, "--no-gpu")
	wantCode(t, r, ExitOK)
	wantContains(t, "stdout", r.stdout, "training on cpu")
	wantContains(t, "stderr", r.stderr, "running it without one (--no-gpu)")
}

func TestInfraAndUsageErrors(t *testing.T) {
	needDocker(t)
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"local/not-here:1.0"}}]}`, "--pull", "never")
	wantCode(t, r, ExitInfra)
	wantContains(t, "stderr", r.stderr, "image local/not-here:1.0 is not on this machine and --pull never forbids pulling it")

	r = runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[`)
	wantCode(t, r, ExitInvalid)
	if !regexp.MustCompile(`job\.json:\d+:\d+: error: .+ \[[a-z-]+\]`).MatchString(r.stderr) {
		t.Errorf("lint errors not printed as path:line:col: error: message [rule]:\n%s", r.stderr)
	}
	var stderr syncBuffer
	if code := Main(context.Background(), []string{"--pull", "sometimes", "x.json"}, nil, io.Discard, &stderr); code != ExitInvalid {
		t.Errorf("bad flag: exit %d", code)
	}

	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	stderr = syncBuffer{}
	code := Main(context.Background(), []string{"-"}, strings.NewReader(`{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"`+busybox+`"}}]}`), io.Discard, &stderr)
	if code != ExitInfra || !strings.Contains(stderr.String(), "cannot reach the Docker daemon at unix:///nonexistent/docker.sock") {
		t.Errorf("unreachable daemon: exit %d\n%s", code, stderr.String())
	}
}

func TestPlanNeedsNoDocker(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	var out, errOut syncBuffer
	code := Main(context.Background(), []string{"--plan", "--run-id", "p1", "--image-map", "docker.io/library/busybox:1.36.1=" + busybox, "../../examples/pipeline.json"}, nil, &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	wantContains(t, "plan", out.String(), `group 3/4 "serve" (ops start together)`, "docker.io/library/busybox:1.36.1 → "+busybox, "after      api is ready", "volume p1-work → /work")
}

func removeImage(t *testing.T, cli *client.Client, ref string) {
	t.Helper()
	if _, err := cli.ImageRemove(context.Background(), ref, image.RemoveOptions{Force: true, PruneChildren: true}); err != nil && !cerrdefs.IsNotFound(err) {
		t.Fatalf("remove %s: %v", ref, err)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestKeep(t *testing.T) {
	cli := needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"vol","type":"container/create-volume","args":{"name":"v"}},
	  {"id":"a","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo kept","volumes":[{"name":"v","dest":"/v"}]}}]}`, "--keep")
	wantCode(t, r, ExitOK)
	c, n, v, err := engine.Leftovers(context.Background(), cli, r.runID)
	if err != nil || c != 1 || n != 1 || v != 1 {
		t.Errorf("--keep left %d containers, %d networks, %d volumes (%v); want 1, 1, 1", c, n, v, err)
	}
	wantContains(t, "stderr", r.stderr, "kept containers, network and volumes of run "+r.runID)
	if _, err := engine.RemoveRun(context.Background(), cli, r.runID); err != nil {
		t.Fatal(err)
	}
	assertClean(t, r.runID)
}

func TestContinuousHealthCheck(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[{"id":"web","type":"container/run","args":{"image":"`+busybox+`",
	  "cmd":"mkdir -p /www && echo ok > /www/ok && httpd -p 8080 -h /www && sleep 2 && rm /www/ok && echo removed && sleep 2",
	  "expose":[{"port":8080,"type":"api","health_checks":[{"type":"http","path":"/ok","method":"GET","expected_status":200,"continuous":true}]}]}}]}`,
		"--continuous-interval", "300ms")
	wantCode(t, r, ExitOK)
	wantContains(t, "stderr", r.stderr, "op web: port 8080 healthy")
	var failed bool
	for _, l := range r.op(t, "web").Logs {
		failed = failed || (l.Type == "nodeerr" && strings.Contains(l.Log, "health check failed on port 8080") && strings.Contains(l.Log, "status 404, want 200"))
	}
	if !failed {
		t.Errorf("no continuous health-check failure logged:\n%s", r.logs(t, "web"))
	}
}

func TestSpreadAndRemoveIfEmpty(t *testing.T) {
	needDocker(t)
	t.Parallel()
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[
	  {"id":"producer","type":"container/run","args":{"image":"`+busybox+`","cmd":"printf '%s\\n' -e; echo ALPHA=1; echo BETA=2"},"results":{"flags":"^-\\w$","none":"^nothing here$","env":"^[A-Z]+=\\w+$"}},
	  {"id":"argv","type":"container/run","args":{"image":"`+busybox+`","cmd":["echo","%%ops.producer.results.flags%%","%%ops.producer.results.none%%","__remove-if-empty__","a\\tb"]},"execution":{"group":"use"}},
	  {"id":"envs","type":"container/run","args":{"image":"`+busybox+`","cmd":"echo A=$ALPHA B=$BETA","env":{"__spread__":"%%ops.producer.results.env%%","BETA":"mine"}},"execution":{"group":"use"}}]}`)
	wantCode(t, r, ExitOK)
	if got := r.logs(t, "argv"); got != "a\tb\n" { // echo -e: the result spread into cmd, the empty one vanished
		t.Errorf("argv printed %q", got)
	}
	if got := r.logs(t, "envs"); got != "A=1 B=mine\n" {
		t.Errorf("envs printed %q", got)
	}
}

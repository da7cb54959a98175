package runnercli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/jobkit-dev/jobkit/runner/engine"
	"github.com/jobkit-dev/jobkit/runner/nomadexec"
)

// nomadJob wraps task groups into a job of the given type.
func nomadJob(typ, groups string) string {
	return `{"Job": {"ID": "demo", "Type": "` + typ + `", "Datacenters": ["dc1"], "Meta": {"owner": "team-a"}, "TaskGroups": [` + groups + `]}}`
}

// alloc finds an allocation's task state in a Nomad run's report.
func (r *runResult) task(t *testing.T, alloc, task string) *api.TaskState {
	t.Helper()
	if r.nomad == nil {
		t.Fatalf("no Nomad report (exit %d)\nstderr:\n%s", r.code, r.stderr)
	}
	for _, a := range r.nomad.Allocations {
		if a.Name == alloc {
			if ts := a.TaskStates[task]; ts != nil {
				return ts
			}
		}
	}
	t.Fatalf("task %s of %s not in the report:\n%s", task, alloc, r.stderr)
	return nil
}

var spaces = regexp.MustCompile(` +`)

// squash collapses the padding of log prefixes.
func squash(s string) string { return spaces.ReplaceAllString(s, " ") }

func eventTypes(ts *api.TaskState) []string {
	var out []string
	for _, e := range ts.Events {
		out = append(out, e.Type)
	}
	return out
}

func TestNomadBatchAllocationsEnvAndDirectories(t *testing.T) {
	needDocker(t)
	t.Parallel()
	job := nomadJob("batch", `{"Name": "work", "Count": 2, "Meta": {"stage": "g"}, "Tasks": [{"Name": "say", "Driver": "docker",
	  "Config": {"image": "`+busybox+`", "command": "sh", "args": ["-c",
	    "echo idx=$NOMAD_ALLOC_INDEX job=$NOMAD_JOB_NAME group=$NOMAD_GROUP_NAME task=$NOMAD_TASK_NAME dc=$NOMAD_DC region=$NOMAD_REGION; echo greet=$GREETING; echo dirs=$NOMAD_ALLOC_DIR,$NOMAD_TASK_DIR,$NOMAD_SECRETS_DIR; ls -d /alloc/data /local /secrets; pwd; echo id=$NOMAD_ALLOC_ID"],
	    "work_dir": "/local", "labels": [{"team": "${NOMAD_META_owner}"}]},
	  "Env": {"GREETING": "hi ${NOMAD_META_owner}/${NOMAD_META_stage} on ${attr.kernel.name} ${node.datacenter} ${unknown.name}"},
	  "Resources": {"CPU": 200, "MemoryMB": 64}}]}`)
	r := runJob(t, context.Background(), job)
	wantCode(t, r, ExitOK)
	for i := range 2 {
		prefix := fmt.Sprintf("demo.work[%d]/say", i)
		wantContains(t, "stdout", r.stdout,
			prefix+" | idx="+fmt.Sprint(i)+" job=demo group=work task=say dc=dc1 region=global",
			prefix+" | greet=hi team-a/g on linux dc1 ${unknown.name}",
			prefix+" | dirs=/alloc,/local,/secrets",
			prefix+" | /alloc/data", prefix+" | /secrets", prefix+" | /local")
		ts := r.task(t, fmt.Sprintf("demo.work[%d]", i), "say")
		if ts.State != "dead" || ts.Failed {
			t.Errorf("alloc %d: state %s failed %v", i, ts.State, ts.Failed)
		}
		if got := strings.Join(eventTypes(ts), ","); got != "Received,Task Setup,Started,Terminated" {
			t.Errorf("alloc %d events %s", i, got)
		}
	}
	ids := regexp.MustCompile(`id=([0-9a-f-]{36})`).FindAllStringSubmatch(r.stdout, -1)
	if len(ids) != 2 || ids[0][1] == ids[1][1] {
		t.Errorf("want two different allocation ids, got %v", ids)
	}
	for _, a := range r.nomad.Allocations {
		if a.ClientStatus != nomadexec.ClientComplete {
			t.Errorf("%s: ClientStatus %s", a.Name, a.ClientStatus)
		}
	}
	wantContains(t, "stderr", r.stderr, "ALLOC", "demo.work[1]  say   dead", "success")
}

func TestNomadExitCodesRestartsAndFailure(t *testing.T) {
	needDocker(t)
	t.Parallel()
	cases := []struct {
		name     string
		script   string
		restart  string
		code     int
		failed   bool
		restarts uint64
		last     string
	}{
		{"success", "exit 0", `{"Attempts": 0, "Mode": "fail"}`, ExitOK, false, 0, "Terminated"},
		{"fails without restarts", "exit 3", `{"Attempts": 0, "Mode": "fail"}`, ExitOpFailed, true, 0, "Not Restarting"},
		{"restarts then fails", "echo run; exit 4", `{"Attempts": 2, "Interval": 60000000000, "Delay": 100000000, "Mode": "fail"}`, ExitOpFailed, true, 2, "Not Restarting"},
		{"service task that exits is restarted", "echo served", `{"Attempts": 1, "Interval": 60000000000, "Delay": 100000000, "Mode": "fail"}`, ExitOpFailed, true, 1, "Not Restarting"},
		{"succeeds on the second try", "test -f /alloc/data/tried && exit 0; touch /alloc/data/tried; exit 5", `{"Attempts": 1, "Interval": 60000000000, "Delay": 100000000, "Mode": "fail"}`, ExitOK, false, 1, "Terminated"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			typ := "batch"
			if strings.HasPrefix(tc.name, "service") {
				typ = "service"
			}
			job := nomadJob(typ, `{"Name": "g", "RestartPolicy": `+tc.restart+`, "Tasks": [{"Name": "t", "Driver": "docker",
			  "Config": {"image": "`+busybox+`", "entrypoint": ["/bin/sh", "-c"], "args": [`+fmt.Sprintf("%q", tc.script)+`]}}]}`)
			r := runJob(t, context.Background(), job)
			wantCode(t, r, tc.code)
			ts := r.task(t, "demo.g[0]", "t")
			if ts.Failed != tc.failed || ts.Restarts != tc.restarts {
				t.Errorf("failed %v restarts %d, want %v %d; events %v", ts.Failed, ts.Restarts, tc.failed, tc.restarts, eventTypes(ts))
			}
			if ev := eventTypes(ts); ev[len(ev)-1] != tc.last {
				t.Errorf("last event %s, want %s (%v)", ev[len(ev)-1], tc.last, ev)
			}
		})
	}
}

func TestNomadInvalidJobs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, job string
		want      []string
	}{
		{"other driver", nomadJob("batch", `{"Name": "g", "Tasks": [{"Name": "legacy", "Driver": "exec", "Config": {"command": "/bin/true"}}]}`),
			[]string{`task "legacy" (Job.TaskGroups[0].Tasks[0]): driver "exec" is not supported by the runner`}},
		{"host path outside the allocation", nomadJob("batch", `{"Name": "g", "Tasks": [{"Name": "t", "Driver": "docker", "Config": {"image": "`+busybox+`", "volumes": ["/etc:/host-etc"]}}]}`),
			[]string{`Job.TaskGroups[0].Tasks[0].Config.volumes[0]`, `host path "/etc" is outside the allocation`}},
		{"lint error stops the run", nomadJob("batch", `{"Name": "g", "Tasks": [{"Name": "t", "Driver": "docker", "Config": {"imagee": "x"}}]}`),
			[]string{"error(s); fix them first"}},
		{"privileged", nomadJob("batch", `{"Name": "g", "Tasks": [{"Name": "t", "Driver": "docker", "Config": {"image": "`+busybox+`", "privileged": true}}]}`),
			[]string{`task "t" (Job.TaskGroups[0].Tasks[0].Config.privileged): the runner does not run privileged containers`}},
		{"meta for a job that is not parameterized", nomadJob("batch", `{"Name": "g", "Tasks": [{"Name": "t", "Driver": "docker", "Config": {"image": "`+busybox+`"}}]}`),
			[]string{"--meta and --payload are for parameterized jobs"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr syncBuffer
			args := []string{"--plan", "-"}
			if strings.HasPrefix(tc.name, "meta") {
				args = []string{"--plan", "--meta", "k=v", "-"}
			}
			code := Main(context.Background(), args, strings.NewReader(tc.job), &stdout, &stderr)
			if code != ExitInvalid {
				t.Fatalf("exit %d, want %d\n%s", code, ExitInvalid, stderr.String())
			}
			wantContains(t, "stderr", stderr.String(), tc.want...)
		})
	}
}

func TestNomadAuthenticatedPull(t *testing.T) {
	cli := needDocker(t)
	env := testenv(t)
	img, user, pass := env["JOBKIT_TEST_REGISTRY_IMAGE"], env["JOBKIT_TEST_REGISTRY_USER"], env["JOBKIT_TEST_REGISTRY_PASS"]
	removeImage(t, cli, img)
	job := func(password string) string {
		return nomadJob("batch", fmt.Sprintf(`{"Name": "g", "Tasks": [{"Name": "private", "Driver": "docker",
		  "Config": {"image": %q, "auth": {"username": %q, "password": %q, "server_address": %q}}}]}`, img, user, password, env["JOBKIT_TEST_REGISTRY"]))
	}
	r := runJob(t, context.Background(), job(pass))
	wantCode(t, r, ExitOK)
	wantContains(t, "stdout", r.stdout, "private image from the jobkit test registry")
	if _, err := cli.ImageInspect(context.Background(), img); err == nil {
		t.Error("the image pulled with credentials is still on the machine")
	}
	const wrong = "wrong-Password-31337"
	bad := runJob(t, context.Background(), job(wrong), "--pull", "always")
	wantCode(t, bad, ExitInfra)
	wantContains(t, "stderr", bad.stderr, `the registry refused the credentials of op task "private"`)
	for name, out := range map[string]string{"stdout": bad.stdout, "stderr": bad.stderr, "report": fmt.Sprint(bad.raw)} {
		if strings.Contains(out, wrong) || strings.Contains(out, pass) {
			t.Errorf("%s contains the password", name)
		}
	}
	if bad.nomad.Status != engine.StatusError {
		t.Errorf("report status %q, want error", bad.nomad.Status)
	}
}

func TestNomadResourcesAndLabels(t *testing.T) {
	cli := needDocker(t)
	t.Parallel()
	job := nomadJob("batch", `{"Name": "g", "Tasks": [
	  {"Name": "soft", "Driver": "docker", "User": "65534", "Config": {"image": "`+busybox+`", "command": "true", "labels": [{"team": "ml"}],
	    "shm_size": 67108864, "init": true, "pids_limit": 100, "cap_drop": ["NET_RAW"], "readonly_rootfs": true},
	   "Resources": {"CPU": 250, "MemoryMB": 64, "MemoryMaxMB": 128}},
	  {"Name": "cores", "Driver": "docker", "Config": {"image": "`+busybox+`", "command": "true"},
	   "Resources": {"Cores": 1, "MemoryMB": 32}}]}`)
	r := runJob(t, context.Background(), job, "--keep")
	t.Cleanup(func() { _, _ = engine.RemoveRun(context.Background(), cli, r.runID) })
	wantCode(t, r, ExitOK)
	cases := []struct {
		task                      string
		shares, nano, mem, memRes int64
	}{
		{"soft", 250, 0, 128 << 20, 64 << 20},
		{"cores", 0, 1e9, 32 << 20, 0},
	}
	for _, tc := range cases {
		info, err := cli.ContainerInspect(context.Background(), r.runID+"-g-0-"+tc.task)
		if err != nil {
			t.Fatal(err)
		}
		hc := info.HostConfig
		if hc.CPUShares != tc.shares || hc.NanoCPUs != tc.nano || hc.Memory != tc.mem || hc.MemoryReservation != tc.memRes {
			t.Errorf("%s: shares %d nano %d memory %d reservation %d, want %d %d %d %d", tc.task,
				hc.CPUShares, hc.NanoCPUs, hc.Memory, hc.MemoryReservation, tc.shares, tc.nano, tc.mem, tc.memRes)
		}
		if info.Config.Labels["dev.jobkit.run"] != r.runID || info.Config.Labels[nomadexec.LabelTask] != tc.task {
			t.Errorf("%s: labels %v", tc.task, info.Config.Labels)
		}
		if tc.task == "soft" {
			if info.Config.Labels["team"] != "ml" {
				t.Errorf("docker labels not applied: %v", info.Config.Labels)
			}
			if hc.ShmSize != 64<<20 || hc.Init == nil || !*hc.Init || hc.PidsLimit == nil || *hc.PidsLimit != 100 ||
				len(hc.CapDrop) != 1 || !hc.ReadonlyRootfs || info.Config.User != "65534" {
				t.Errorf("docker settings: shm %d init %v pids %v cap_drop %v readonly %v user %q", hc.ShmSize, hc.Init, hc.PidsLimit, hc.CapDrop, hc.ReadonlyRootfs, info.Config.User)
			}
		}
	}
}

func TestNomadGPUWithoutGPU(t *testing.T) {
	needDocker(t)
	t.Parallel()
	job := nomadJob("batch", `{"Name": "g", "Tasks": [{"Name": "train", "Driver": "docker",
	  "Config": {"image": "`+busybox+`", "command": "echo", "args": ["trained"]},
	  "Resources": {"Devices": [{"Name": "nvidia/gpu", "Count": 1}]}}]}`)
	r := runJob(t, context.Background(), job)
	wantCode(t, r, ExitInfra)
	wantContains(t, "stderr", r.stderr, `task "train" (Job.TaskGroups[0].Tasks[0].Resources.Devices) needs a GPU`, "could not select device driver", "NVIDIA Container Toolkit", "--no-gpu")
	if strings.Contains(r.stdout, "trained") {
		t.Error("the task ran although the GPU check failed")
	}
	r = runJob(t, context.Background(), job, "--no-gpu")
	wantCode(t, r, ExitOK)
	wantContains(t, "stdout", r.stdout, "train | trained")
}

func TestNomadBridgeNetworkPortsAndCancel(t *testing.T) {
	cli := needDocker(t)
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	job := nomadJob("service", `{"Name": "web", "Networks": [{"Mode": "bridge", "DynamicPorts": [{"Label": "http", "To": 8080}]}],
	  "Tasks": [
	    {"Name": "server", "Driver": "docker", "KillTimeout": 1000000000,
	     "Config": {"image": "`+busybox+`", "command": "sh", "args": ["-c", "echo port=$NOMAD_PORT_http host=$NOMAD_HOST_PORT_http addr=$NOMAD_ADDR_http; mkdir -p /www && echo hello-nomad > /www/index.html && exec httpd -f -p ${NOMAD_PORT_http} -h /www"]}},
	    {"Name": "client", "Driver": "docker", "KillTimeout": 1000000000,
	     "Config": {"image": "`+busybox+`", "command": "sh", "args": ["-c", "until wget -q -O - http://127.0.0.1:8080/index.html; do sleep 0.2; done; exec sleep 600"]}}]}`)
	var stdout, stderr syncBuffer
	runID := newRunID(t)
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"--run-id", runID, "--infra-image", busybox, "-"}, strings.NewReader(job), &stdout, &stderr)
	}()
	// The client reaches the server on localhost: one network namespace per allocation.
	waitFor(t, 60*time.Second, "the client to fetch the page over the shared namespace", func() bool {
		return strings.Contains(stdout.String(), "demo.web[0]/client | hello-nomad")
	})
	m := regexp.MustCompile(`port=8080 host=(\d+) addr=127\.0\.0\.1:8080\n`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("port variables wrong:\n%s", stdout.String())
	}
	resp, err := http.Get("http://127.0.0.1:" + m[1] + "/index.html")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello-nomad\n" {
		t.Errorf("GET = %q", body)
	}
	info, err := cli.ContainerInspect(context.Background(), runID+"-web-0-server")
	if err != nil {
		t.Fatal(err)
	}
	infra, err := cli.ContainerInspect(context.Background(), runID+"-web-0-infra")
	if err != nil {
		t.Fatal(err)
	}
	if mode := string(info.HostConfig.NetworkMode); mode != "container:"+infra.ID && mode != "container:"+infra.Name[1:] {
		t.Errorf("network mode %s, want the infra container's (%s)", mode, infra.Name)
	}
	for port, bindings := range infra.HostConfig.PortBindings {
		for _, b := range bindings {
			if b.HostIP != "127.0.0.1" || b.HostPort != m[1] {
				t.Errorf("port %s published on %s:%s, want 127.0.0.1:%s", port, b.HostIP, b.HostPort, m[1])
			}
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != ExitInterrupt {
			t.Errorf("exit code %d after cancel, want %d\n%s", code, ExitInterrupt, stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the runner did not stop after cancel")
	}
	wantContains(t, "stderr", stderr.String(), "Killing", "run stopped (interrupted)")
	assertClean(t, runID)
}

func TestNomadLifecycleOrder(t *testing.T) {
	needDocker(t)
	t.Parallel()
	sh := func(name, hook string, sidecar bool, script string) string {
		lc := ""
		if hook != "" {
			lc = fmt.Sprintf(`"Lifecycle": {"Hook": %q, "Sidecar": %v},`, hook, sidecar)
		}
		return fmt.Sprintf(`{"Name": %q, "Driver": "docker", %s "KillTimeout": 1000000000,
		  "Config": {"image": "`+busybox+`", "command": "sh", "args": ["-c", %q]}}`, name, lc, script)
	}
	job := nomadJob("batch", `{"Name": "g", "Tasks": [`+strings.Join([]string{
		sh("cleanup", "poststop", false, "echo cleanup saw $(cat /alloc/data/log)"),
		sh("main", "", false, "echo main >> /alloc/data/log; sleep 0.5; echo main read $(cat /alloc/data/seed)"),
		sh("announce", "poststart", false, "echo poststart >> /alloc/data/log"),
		sh("seed", "prestart", false, "echo seeded > /alloc/data/seed; echo prestart >> /alloc/data/log"),
		sh("proxy", "prestart", true, "echo sidecar up; exec sleep 600"),
	}, ",")+`]}`)
	r := runJob(t, context.Background(), job)
	wantCode(t, r, ExitOK)
	wantContains(t, "stdout", squash(r.stdout), "demo.g[0]/main | main read seeded", "demo.g[0]/cleanup | cleanup saw prestart main poststart", "demo.g[0]/proxy | sidecar up")
	proxy := r.task(t, "demo.g[0]", "proxy")
	if proxy.Failed || !strings.Contains(strings.Join(eventTypes(proxy), ","), "Killed") {
		t.Errorf("sidecar: failed %v events %v; want killed, not failed, once main ended", proxy.Failed, eventTypes(proxy))
	}
	seed, main, cleanup := r.task(t, "demo.g[0]", "seed"), r.task(t, "demo.g[0]", "main"), r.task(t, "demo.g[0]", "cleanup")
	if !seed.FinishedAt.Before(main.StartedAt) || !main.FinishedAt.Before(cleanup.StartedAt) {
		t.Errorf("order: seed ended %v, main %v..%v, cleanup started %v", seed.FinishedAt, main.StartedAt, main.FinishedAt, cleanup.StartedAt)
	}
}

func TestNomadFailedPrestartStopsTheAllocation(t *testing.T) {
	needDocker(t)
	t.Parallel()
	job := nomadJob("batch", `{"Name": "g", "RestartPolicy": {"Attempts": 0, "Mode": "fail"}, "Tasks": [
	  {"Name": "init", "Driver": "docker", "Lifecycle": {"Hook": "prestart"}, "Config": {"image": "`+busybox+`", "command": "false"}},
	  {"Name": "main", "Driver": "docker", "Config": {"image": "`+busybox+`", "command": "echo", "args": ["should not run"]}}]}`)
	r := runJob(t, context.Background(), job)
	wantCode(t, r, ExitOpFailed)
	if strings.Contains(r.stdout, "should not run") {
		t.Error("the main task ran after its prestart task failed")
	}
	if main := r.task(t, "demo.g[0]", "main"); !main.StartedAt.IsZero() {
		t.Errorf("main started at %v", main.StartedAt)
	}
	if r.nomad.Allocations[0].ClientStatus != nomadexec.ClientFailed {
		t.Errorf("ClientStatus %s, want failed", r.nomad.Allocations[0].ClientStatus)
	}
}

func TestNomadTemplates(t *testing.T) {
	needDocker(t)
	t.Parallel()
	tmpl := func(data, dest string, env bool) string {
		return fmt.Sprintf(`{"EmbeddedTmpl": %q, "DestPath": %q, "Envvars": %v, "ChangeMode": "restart"}`, data, dest, env)
	}
	cases := []struct {
		name      string
		templates string
		script    string
		code      int
		want      []string
	}{
		{"file, env and helpers", tmpl(`name={{ env "NOMAD_TASK_NAME" | toUpper }} sum={{ add 2 40 }} seed={{ file "../alloc/data/seed" | trimSpace }} parts={{ split "," "a,b" | join "+" }}`, "local/out.txt", false),
			"cat /local/out.txt", ExitOK, []string{"t | name=T sum=42 seed=from-prestart parts=a+b"}},
		{"Envvars feed the environment", tmpl("GREETING=\"hi {{ env \"NOMAD_GROUP_NAME\" }}\"\n# comment\nLEVEL=3\n", "secrets/app.env", true),
			"echo $GREETING level=$LEVEL; ls -l /secrets/app.env", ExitOK, []string{"t | hi g level=3", "-rw-r--r--"}},
		{"Consul function", tmpl(`{{ key "config/db" }}`, "local/db.txt", false),
			"true", ExitOpFailed, []string{`Setup Failure`, `key needs Consul, which the runner does not have`, `Job.TaskGroups[0].Tasks[1].Templates[0]`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			job := nomadJob("batch", `{"Name": "g", "RestartPolicy": {"Attempts": 0, "Mode": "fail"}, "Tasks": [
			  {"Name": "seed", "Driver": "docker", "Lifecycle": {"Hook": "prestart"}, "Config": {"image": "`+busybox+`", "command": "sh", "args": ["-c", "echo from-prestart > /alloc/data/seed"]}},
			  {"Name": "t", "Driver": "docker", "Config": {"image": "`+busybox+`", "command": "sh", "args": ["-c", `+fmt.Sprintf("%q", tc.script)+`]},
			   "Templates": [`+tc.templates+`]}]}`)
			r := runJob(t, context.Background(), job)
			wantCode(t, r, tc.code)
			wantContains(t, "output", squash(r.stdout+r.stderr), tc.want...)
			wantContains(t, "stderr", r.stderr, "ChangeMode (restart) is moot")
		})
	}
}

func TestNomadServiceChecksAndCheckRestart(t *testing.T) {
	needDocker(t)
	t.Parallel()
	job := nomadJob("service", `{"Name": "web", "Networks": [{"Mode": "bridge", "DynamicPorts": [{"Label": "http", "To": 8080}]}],
	  "RestartPolicy": {"Attempts": 5, "Interval": 600000000000, "Delay": 100000000, "Mode": "fail"},
	  "Services": [{"Name": "site", "PortLabel": "http", "Checks": [
	    {"Name": "alive", "Type": "tcp", "Interval": 1000000000, "Timeout": 1000000000},
	    {"Name": "index", "Type": "http", "Path": "/index.html", "Interval": 1000000000, "Timeout": 1000000000},
	    {"Name": "missing", "Type": "http", "Path": "/nope", "Interval": 1000000000, "Timeout": 1000000000, "TaskName": "server",
	     "CheckRestart": {"Limit": 2, "Grace": 1000000000}},
	    {"Name": "ready-file", "Type": "script", "Command": "test", "Args": ["-f", "/www/index.html"], "TaskName": "server", "Interval": 1000000000, "Timeout": 1000000000}]}],
	  "Tasks": [{"Name": "server", "Driver": "docker", "KillTimeout": 1000000000,
	    "Config": {"image": "`+busybox+`", "command": "sh", "args": ["-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]}}]}`)
	r := runJob(t, context.Background(), job, "--infra-image", busybox, "--timeout", "12s")
	wantCode(t, r, ExitOpFailed) // a service runs until --timeout, which stops it
	wantContains(t, "stderr", r.stderr,
		`service "site" check "alive" (tcp): passing`,
		`service "site" check "index" (http): passing`,
		`service "site" check "ready-file" (script): passing`,
		`service "site" check "missing" (http): critical`,
		`Restart Signaled: healthcheck: check "missing" unhealthy`,
		"run stopped (timeout)")
	ts := r.task(t, "demo.web[0]", "server")
	if ts.Restarts < 1 {
		t.Errorf("check_restart did not restart the task: events %v", eventTypes(ts))
	}
	got := map[string]string{}
	for _, c := range r.nomad.Allocations[0].Checks {
		got[c.Check] = c.Status
	}
	// The server restarts every few seconds (check_restart), so only the
	// always-failing check has a predictable last state.
	if len(got) != 4 || got["missing"] != "critical" {
		t.Errorf("check states %v", got)
	}
}

// tarGz is an archive with the given files.
func tarGz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	for name, content := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write([]byte(content))
	}
	tw.Close()
	gz.Close()
	return b.Bytes()
}

func TestNomadArtifacts(t *testing.T) {
	needDocker(t)
	t.Parallel()
	archive := tarGz(t, map[string]string{"model/config.json": `{"layers": 2}`, "README": "weights"})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/files/hello.txt":
			if r.Header.Get("X-Token") != "t0ken-abc" {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			_, _ = io.WriteString(w, "hello artifact\n")
		case "/files/bundle.tar.gz":
			_, _ = w.Write(archive)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	s3 := fakeS3(t, map[string]string{"datasets/train/labels.csv": "cat,dog\n"})
	sum := sha256.Sum256([]byte("hello artifact\n"))
	art := func(src, dest, extra string) string {
		return fmt.Sprintf(`{"GetterSource": %q, "RelativeDest": %q %s}`, src, dest, extra)
	}
	cases := []struct {
		name, artifacts, script string
		code                    int
		want                    []string
	}{
		{"http file, checksum and headers", art(srv.URL+"/files/hello.txt", "local/in", `, "GetterOptions": {"checksum": "sha256:`+hex.EncodeToString(sum[:])+`"}, "GetterHeaders": {"X-Token": "t0ken-abc"}`),
			"cat /local/in/hello.txt", ExitOK, []string{"t | hello artifact"}},
		{"archive unpacked", art(srv.URL+"/files/bundle.tar.gz", "local/m", ""),
			"cat /local/m/model/config.json /local/m/README", ExitOK, []string{`t | {"layers": 2}weights`}},
		{"mode file", art(srv.URL+"/files/bundle.tar.gz", "local/raw.tgz", `, "GetterMode": "file"`),
			"gzip -t /local/raw.tgz && echo still-an-archive", ExitOK, []string{"t | still-an-archive"}},
		{"s3 object", art("s3::"+s3+"/datasets/train/labels.csv", "../alloc/data", ""),
			"cat /alloc/data/labels.csv", ExitOK, []string{"t | cat,dog"}},
		{"checksum mismatch", art(srv.URL+"/files/hello.txt", "local", `, "GetterOptions": {"checksum": "sha256:`+strings.Repeat("0", 64)+`"}, "GetterHeaders": {"X-Token": "t0ken-abc"}`),
			"true", ExitOpFailed, []string{"Failed Artifact Download", "Job.TaskGroups[0].Tasks[0].Artifacts[0]", "sha256"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			job := nomadJob("batch", `{"Name": "g", "RestartPolicy": {"Attempts": 0, "Mode": "fail"}, "Tasks": [{"Name": "t", "Driver": "docker",
			  "Config": {"image": "`+busybox+`", "command": "sh", "args": ["-c", `+fmt.Sprintf("%q", tc.script)+`]},
			  "Artifacts": [`+tc.artifacts+`]}]}`)
			r := runJob(t, context.Background(), job)
			wantCode(t, r, tc.code)
			wantContains(t, "output", squash(r.stdout+r.stderr), tc.want...)
			if strings.Contains(r.stdout+r.stderr, "t0ken-abc") {
				t.Error("a header value was printed")
			}
		})
	}
}

func TestNomadParameterizedJob(t *testing.T) {
	needDocker(t)
	t.Parallel()
	job := `{"Job": {"ID": "render", "Type": "batch", "ParameterizedJob": {"Payload": "required", "MetaRequired": ["scene"], "MetaOptional": ["quality"]},
	  "Periodic": {"Enabled": true, "Spec": "0 * * * *"},
	  "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Driver": "docker", "DispatchPayload": {"File": "input/payload.txt"},
	    "Config": {"image": "` + busybox + `", "command": "sh", "args": ["-c", "echo scene=$NOMAD_META_scene quality=$NOMAD_META_quality parent=$NOMAD_JOB_PARENT_ID; cat /local/input/payload.txt"]}}]}]}}`
	payload := filepath.Join(t.TempDir(), "payload.txt")
	if err := os.WriteFile(payload, []byte("frame 42\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runJob(t, context.Background(), job, "--meta", "scene=forest", "--payload", payload)
	wantCode(t, r, ExitOK)
	wantContains(t, "stdout", squash(r.stdout), "t | scene=forest quality= parent=render", "t | frame 42")
	wantContains(t, "stderr", r.stderr, "the job is periodic: the runner runs it once, now")

	var stderr syncBuffer
	code := Main(context.Background(), []string{"--plan", "--payload", payload, "-"}, strings.NewReader(job), io.Discard, &stderr)
	if code != ExitInvalid {
		t.Errorf("missing required meta: exit %d, want %d", code, ExitInvalid)
	}
	wantContains(t, "stderr", stderr.String(), `needs meta "scene"`, "--meta scene=VALUE")
}

func TestNomadKillSignalAndTimeout(t *testing.T) {
	needDocker(t)
	t.Parallel()
	job := nomadJob("service", `{"Name": "g", "Tasks": [{"Name": "t", "Driver": "docker", "KillSignal": "SIGINT", "KillTimeout": 3000000000,
	  "Config": {"image": "`+busybox+`", "command": "sh", "args": ["-c", "trap 'echo got SIGINT; exit 0' INT; echo ready; while true; do sleep 0.1; done"]}}]}`)
	r := runJob(t, context.Background(), job, "--timeout", "3s")
	wantCode(t, r, ExitOpFailed)
	wantContains(t, "stdout", squash(r.stdout), "t | ready", "t | got SIGINT")
	wantContains(t, "stderr", r.stderr, "Killing: Sent interrupt (SIGINT). Waiting 3s before force killing", "Killed", "run stopped (timeout)")
	ts := r.task(t, "demo.g[0]", "t")
	if ts.Failed || ts.State != "dead" {
		t.Errorf("a task stopped by the run: failed %v state %s", ts.Failed, ts.State)
	}
}

func TestNomadHostModeGroupWithDockerPorts(t *testing.T) {
	needDocker(t)
	t.Parallel()
	job := nomadJob("batch", `{"Name": "g", "Networks": [{"DynamicPorts": [{"Label": "web", "To": 8081}]}], "Tasks": [{"Name": "t", "Driver": "docker",
	  "Config": {"image": "`+busybox+`", "command": "sh", "args": ["-c", "echo port=$NOMAD_PORT_web host=$NOMAD_HOST_PORT_web"], "ports": ["web"]}}]}`)
	r := runJob(t, context.Background(), job, "--keep")
	cli := needDocker(t)
	t.Cleanup(func() { _, _ = engine.RemoveRun(context.Background(), cli, r.runID) })
	wantCode(t, r, ExitOK)
	m := regexp.MustCompile(`port=8081 host=(\d+)`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("port variables:\n%s", r.stdout)
	}
	info, err := cli.ContainerInspect(context.Background(), r.runID+"-g-0-t")
	if err != nil {
		t.Fatal(err)
	}
	b := info.HostConfig.PortBindings["8081/tcp"]
	if len(b) != 1 || b[0].HostIP != "127.0.0.1" || b[0].HostPort != m[1] {
		t.Errorf("8081/tcp bound as %+v, want 127.0.0.1:%s", b, m[1])
	}
}

func TestNomadPlanNeedsNoDocker(t *testing.T) {
	job := nomadJob("batch", `{"Name": "g", "Count": 2, "Tasks": [{"Name": "t", "Driver": "docker",
	  "Config": {"image": "busybox:1.36", "auth": {"username": "u", "password": "pl4n-secret"}}, "Env": {"API_KEY": "key-123456"}}]}`)
	var stdout, stderr syncBuffer
	t.Setenv("DOCKER_HOST", "unix:///nonexistent.sock")
	code := Main(context.Background(), []string{"--plan", "--run-id", "p1", "-"}, strings.NewReader(job), &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	wantContains(t, "plan", stdout.String(), `Nomad job "demo" (batch), 2 allocation(s)`, "allocation demo.g[1]", "container p1-g-0-t", "pulled as u", "env API_KEY=****")
	if strings.Contains(stdout.String(), "pl4n-secret") || strings.Contains(stdout.String(), "key-123456") {
		t.Error("the plan shows a secret")
	}
}

func TestNomadInterruptRunsPoststop(t *testing.T) {
	needDocker(t)
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	job := nomadJob("service", `{"Name": "g", "Tasks": [
	  {"Name": "app", "Driver": "docker", "KillTimeout": 1000000000, "Config": {"image": "`+busybox+`", "command": "sh", "args": ["-c", "echo up; echo app-was-here > /alloc/data/trace; exec sleep 600"]}},
	  {"Name": "bye", "Driver": "docker", "Lifecycle": {"Hook": "poststop"}, "Config": {"image": "`+busybox+`", "command": "sh", "args": ["-c", "echo poststop read $(cat /alloc/data/trace)"]}}]}`)
	var stdout, stderr syncBuffer
	runID := newRunID(t)
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"--run-id", runID, "-"}, strings.NewReader(job), &stdout, &stderr)
	}()
	waitFor(t, 60*time.Second, "the app to start", func() bool { return strings.Contains(stdout.String(), "app | up") })
	cancel()
	select {
	case code := <-done:
		if code != ExitInterrupt {
			t.Errorf("exit %d after cancel, want %d", code, ExitInterrupt)
		}
	case <-time.After(90 * time.Second):
		t.Fatal("the runner did not stop after cancel")
	}
	wantContains(t, "stdout", squash(stdout.String()), "bye | poststop read app-was-here")
	assertClean(t, runID)
	if _, err := os.Stat(filepath.Join(os.TempDir(), runID+"-allocs")); !os.IsNotExist(err) {
		t.Errorf("the allocation directories are still there (%v)", err)
	}
}

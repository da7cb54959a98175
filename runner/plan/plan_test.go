package plan

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/nosana"
)

var update = flag.Bool("update", false, "rewrite golden files")

func loadJob(t *testing.T) *nosana.Job {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", "job.json"))
	if err != nil {
		t.Fatal(err)
	}
	job, err := nosana.Decode(text)
	if err != nil {
		t.Fatal(err)
	}
	return job
}

func TestBuild(t *testing.T) {
	p, err := Build(loadJob(t), Options{RunID: "r1", ImageMap: map[string]string{"busybox": "local/busybox:full"}, GPUs: "0,2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Groups) != 2 || p.Groups[0].Name != "vol" || p.Groups[1].Name != "serve" {
		t.Fatalf("groups = %+v", p.Groups)
	}
	model, client := p.Groups[1].Steps[0], p.Groups[1].Steps[1]
	checks := []struct {
		name      string
		got, want any
	}{
		{"network", p.Network, "r1"},
		{"volumes", p.Volumes, []string{"r1-cache"}},
		{"needs gpu", p.NeedsGPU, true},
		{"vram", p.RequiredVRAM, 12.0},
		{"container", model.Container, "r1-1"},
		{"string cmd", model.Cmd, []string{"/bin/sh", "-c", "serve --port 8000"}},
		{"entrypoint kept", model.Entrypoint, []string(nil)},
		{"work_dir fallback", model.WorkDir, "/app"},
		{"env", model.Env, []string{"HF_TOKEN=hf_secret_token_123", "MODE=fast", "NOSANA_ID=r1"}},
		{"gpu devices", *model.GPU, GPURequest{DeviceIDs: []string{"0", "2"}}},
		{"mounts", []string{model.Mounts[0].Volume, model.Mounts[1].Target, model.Mounts[2].Target}, []string{"r1-cache", "/models", "/data"}},
		{"resource read-only", model.Mounts[1].ReadOnly, true},
		{"allowWrite", model.Mounts[2].ReadOnly, false},
		{"restart", model.Restart.Policy, "on-failure"},
		{"auth", model.Auth.Username, "bot"},
		{"image map", client.Image, "local/busybox:full"},
		{"source image", client.SourceImage, "busybox"},
		{"client gpu", client.GPU == nil, true},
		{"aliases: no op id, as on the node", client.Aliases, []string{"c1", "c2"}},
		{"literals", client.Literals, true},
		{"no literals", model.Literals, false},
		{"depends", client.DependsOn, []string{"model"}},
		{"stop if", client.StopIfDependentStops, true},
		{"secrets", p.Secrets, []string{"hf_resource_token_9", "hf_secret_token_123", "registry-pass-42"}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "image busybox has no pinned tag") {
		t.Errorf("warnings = %q", p.Warnings)
	}
}

func TestBuildNoGPU(t *testing.T) {
	p, err := Build(loadJob(t), Options{RunID: "r1", NoGPU: true})
	if err != nil {
		t.Fatal(err)
	}
	model := p.Groups[1].Steps[0]
	if p.NeedsGPU || model.GPU != nil || !model.GPUDropped {
		t.Errorf("--no-gpu: NeedsGPU=%v GPU=%v dropped=%v", p.NeedsGPU, model.GPU, model.GPUDropped)
	}
}

func TestPrintGolden(t *testing.T) {
	p, err := Build(loadJob(t), Options{RunID: "r1", ImageMap: map[string]string{"busybox": "local/busybox:full"}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Print(&b, p); err != nil {
		t.Fatal(err)
	}
	for _, secret := range p.Secrets {
		if strings.Contains(b.String(), secret) {
			t.Errorf("plan output contains secret %q", secret)
		}
	}
	golden := filepath.Join("testdata", "job.plan")
	if *update {
		_ = os.WriteFile(golden, b.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("plan output differs from %s (run with -update to accept):\n%s", golden, b.String())
	}
}

func TestParseGPUs(t *testing.T) {
	tests := []struct {
		in   string
		want GPURequest
		err  bool
	}{
		{"", GPURequest{Count: -1}, false},
		{"all", GPURequest{Count: -1}, false},
		{"2", GPURequest{Count: 2}, false},
		{"0,2", GPURequest{DeviceIDs: []string{"0", "2"}}, false},
		{"GPU-abc", GPURequest{DeviceIDs: []string{"GPU-abc"}}, false},
		{"0", GPURequest{}, true},
		{"1,,2", GPURequest{}, true},
	}
	for _, tc := range tests {
		got, err := ParseGPUs(tc.in)
		if (err != nil) != tc.err || (!tc.err && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("ParseGPUs(%q) = %+v, %v", tc.in, got, err)
		}
	}
}

func TestImageTag(t *testing.T) {
	tests := []struct {
		in     string
		tag    string
		pinned bool
	}{
		{"busybox", "", false},
		{"busybox:latest", "latest", false},
		{"busybox:1.36", "1.36", true},
		{"127.0.0.1:5000/x/y", "", false},
		{"127.0.0.1:5000/x/y:2", "2", true},
		{"x@sha256:abc", "", true},
	}
	for _, tc := range tests {
		tag, pinned := ImageTag(tc.in)
		if tag != tc.tag || pinned != tc.pinned {
			t.Errorf("ImageTag(%q) = %q, %v", tc.in, tag, pinned)
		}
	}
}

func TestMasker(t *testing.T) {
	m := NewMasker([]string{"supersecret", "secret"})
	if got := m.Mask("a supersecret and a secret"); got != "a **** and a ****" {
		t.Errorf("Mask = %q", got)
	}
	if got := (*Masker)(nil).Mask("x"); got != "x" {
		t.Errorf("nil Mask = %q", got)
	}
}

func TestBuildRejectsBadExecution(t *testing.T) {
	tests := []struct{ name, ops, want string }{
		{"duplicate", `{"id":"a","type":"container/run","args":{"image":"x:1"}},{"id":"a","type":"container/run","args":{"image":"x:1"}}`, `op id "a" is used twice`},
		{"self", `{"id":"a","type":"container/run","args":{"image":"x:1"},"execution":{"depends_on":["a"]}}`, `op "a" depends on itself`},
		{"missing", `{"id":"a","type":"container/run","args":{"image":"x:1"},"execution":{"depends_on":["b"]}}`, `depends on "b", which does not exist`},
		{"cross group", `{"id":"a","type":"container/run","args":{"image":"x:1"},"execution":{"group":"g1"}},{"id":"b","type":"container/run","args":{"image":"x:1"},"execution":{"group":"g2","depends_on":["a"]}}`, `op "b" (group "g2") depends on "a" in another group (group "g1")`},
		{"grouped on ungrouped", `{"id":"a","type":"container/run","args":{"image":"x:1"}},{"id":"b","type":"container/run","args":{"image":"x:1"},"execution":{"group":"","depends_on":["a"]}}`, `op "b" (group "") depends on "a" in another group (no execution.group)`},
		{"cycle", `{"id":"a","type":"container/run","args":{"image":"x:1"},"execution":{"group":"g","depends_on":["c"]}},{"id":"b","type":"container/run","args":{"image":"x:1"},"execution":{"group":"g","depends_on":["a"]}},{"id":"c","type":"container/run","args":{"image":"x:1"},"execution":{"group":"g","depends_on":["b"]}}`, `cycle: a → c → b → a`},
	}
	for _, tc := range tests {
		job, err := nosana.Decode([]byte(`{"version":"0.1","type":"container","ops":[` + tc.ops + `]}`))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Build(job, Options{RunID: "r"})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Build error = %v, want %q", tc.name, err, tc.want)
		}
	}
}

// Groups follow the node: execution.group ?? id (an empty group is a
// group), and depends_on is checked against the groups as written, so two
// ops without a group may depend on each other.
func TestBuildGroupsLikeTheNode(t *testing.T) {
	job, err := nosana.Decode([]byte(`{"version":"0.1","type":"container","ops":[
		{"id":"a","type":"container/run","args":{"image":"x:1"}},
		{"id":"b","type":"container/run","args":{"image":"x:1"},"execution":{"depends_on":["a"]}},
		{"id":"c","type":"container/run","args":{"image":"x:1"},"execution":{"group":""}},
		{"id":"d","type":"container/run","args":{"image":"x:1"},"execution":{"group":"","depends_on":["c"]}},
		{"id":"e","type":"container/run","args":{"image":"x:1"},"execution":{"group":null}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(job, Options{RunID: "r"})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	var got []string
	for _, g := range p.Groups {
		var ids []string
		for _, s := range g.Steps {
			ids = append(ids, s.OpID)
		}
		got = append(got, fmt.Sprintf("%q:%s", g.Name, strings.Join(ids, ",")))
	}
	want := []string{`"a":a`, `"b":b`, `"":c,d`, `"e":e`}
	if !slices.Equal(got, want) {
		t.Errorf("groups = %v, want %v", got, want)
	}
}

// --host-access adds the op id as a host name; by default only args.aliases
// resolve, as on a node.
func TestHostAccessAliases(t *testing.T) {
	p, err := Build(loadJob(t), Options{RunID: "r1", HostAccess: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Groups[1].Steps[1].Aliases; !reflect.DeepEqual(got, []string{"client", "c1", "c2"}) {
		t.Errorf("aliases = %q", got)
	}
	if !p.HostAccess {
		t.Error("plan does not carry HostAccess")
	}
}

// Credentials are masked wherever they sit: a URL's user:pass@, an S3 access
// key id, an env value with no marker in its name that is a credential of
// the job or has a credential's shape.
func TestSecretsBeyondNames(t *testing.T) {
	job, err := nosana.Decode([]byte(`{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{
	  "image":"x","authentication":{"docker":{"username":"bot","password":"registry-pass-42"}},
	  "env":{"MY_CRED":"registry-pass-42","HF":"hf_abcdefghijklmnopqrstuvwxyz","DB":"postgres://app:db-pass-77@db:5432/x","MODE":"fast-and-plain"},
	  "resources":[{"type":"S3","url":"https://AKEYID:s3-pass-99@s3.example.com/bucket","target":"/data"},
	               {"type":"S3","url":"s3://b","target":"/d2","IAM":{"ACCESS_KEY_ID":"AKIAIOSFODNN7EXAMPLE","SECRET_ACCESS_KEY":"wJalrXUtnFEMI"}}]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := Secrets(job)
	for _, want := range []string{"registry-pass-42", "hf_abcdefghijklmnopqrstuvwxyz", "db-pass-77", "AKEYID", "s3-pass-99", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI"} {
		if !slices.Contains(got, want) {
			t.Errorf("%q is not masked (secrets %q)", want, got)
		}
	}
	if slices.Contains(got, "fast-and-plain") {
		t.Errorf("a plain env value is masked: %q", got)
	}
	p, err := Build(job, Options{RunID: "r"})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := Print(&b, p); err != nil {
		t.Fatal(err)
	}
	wantURL := "https://****@s3.example.com/bucket"
	if !strings.Contains(b.String(), wantURL) {
		t.Errorf("--plan does not show %s:\n%s", wantURL, b.String())
	}
	for _, leak := range []string{"s3-pass-99", "AKEYID", "db-pass-77", "hf_abc"} {
		if strings.Contains(b.String(), leak) {
			t.Errorf("--plan prints %q:\n%s", leak, b.String())
		}
	}
}

// A volume name that would be a host path is refused before Docker sees it.
func TestVolumeNameNotAHostPath(t *testing.T) {
	for _, tc := range []struct{ name, job, want string }{
		{"absolute", `{"id":"a","type":"container/run","args":{"image":"x","volumes":[{"name":"/etc","dest":"/e"}]}}`, "ops[0].args.volumes[0].name: volume name \"/etc\" is not a plain name"},
		{"dot-dot", `{"id":"v","type":"container/create-volume","args":{"name":"../up"}}`, "ops[0].args.name: volume name \"../up\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job, err := nosana.Decode([]byte(`{"version":"0.1","type":"container","ops":[` + tc.job + `]}`))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Build(job, Options{RunID: "r"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
	job, _ := nosana.Decode([]byte(`{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"x","volumes":[{"name":"data.v1_x-y","dest":"/d"}]}}]}`))
	if _, err := Build(job, Options{RunID: "r"}); err != nil {
		t.Errorf("a plain name is refused: %v", err)
	}
}

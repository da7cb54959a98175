package intel

import (
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

const (
	nosanaFixJob = `{
  "version": "0.1",
  "type": "container",
  "meta": {"trigger": "cli", "system_resources": {"required_vram": 4}},
  "global": {"entrypoint": ["/bin/bash"]},
  "ops": [
    {"id": "a", "type": "container/run", "args": {"imag": "nginx:1.27", "cmd": "echo hi", "gpu": true,
      "expose": {"port": 80, "health_checks": [{"type": "http", "path": "/", "method": "GET", "expected_status": 200}]}}, "bogus": 1},
    {"id": "b", "type": "container/run", "args": {"cmd": ["ls"]}}
  ]
}`
	nomadFixJob = `{"Job": {"ID": "web", "Datacenters": ["dc1"],
  "Constraints": [{"Operand": "distinct_host", "RTarget": "true"}],
  "TaskGroups": [{"Name": "g", "RestartPolicy": {"Delay": 15, "Attemps": 2},
    "Tasks": [{"Name": "t", "Driver": "docker", "Config": {"image": "nginx:1.27"}, "Resources": {"CPU": 100, "MemoryMB": 128}}]}]}}`
	bareNomadJob = `{"ID": "web", "Datacenters": ["dc1"], "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Driver": "docker", "Config": {"image": "nginx:1.27"}}]}]}`
)

// TestFixKinds applies one fix of each kind and checks that re-linting no
// longer reports the diagnostic it fixes.
func TestFixKinds(t *testing.T) {
	tests := []struct {
		kind  string
		text  string
		rule  string
		path  string
		title string // a substring of the fix title
		want  string // a substring of the fixed text
	}{
		{"did-you-mean key rename (Nosana)", nosanaFixJob, "unknown-key", "ops[0].args.imag", `Rename "imag" to "image"`, `"image": "nginx:1.27"`},
		{"did-you-mean key rename (Nomad)", nomadFixJob, "nomad-unknown-key", "Job.TaskGroups[0].RestartPolicy.Attemps", `Rename to "Attempts"`, `"Attempts": 2`},
		{"seconds to nanoseconds", nomadFixJob, "nomad-duration-units", "Job.TaskGroups[0].RestartPolicy.Delay", "Multiply by 1e9", `"Delay": 15000000000`},
		{"string cmd to argv array", nosanaFixJob, "cmd-entrypoint", "ops[0].args.cmd", "Write cmd as the argv", `"cmd": ["/bin/sh", "-c", "echo hi"]`},
		{"single expose object to array", nosanaFixJob, "expose-single-object", "ops[0].args.expose", "Wrap the port object in a list", `"expose": [{"port": 80`},
		{"add a missing required field", nosanaFixJob, "missing-field", "ops[1].args", `Add "image"`, `"cmd": ["ls"], "image": "ubuntu:24.04"`},
		{"remove an unknown key", nosanaFixJob, "unknown-key", "ops[0].bogus", `Remove "bogus"`, `}},
    {"id": "b"`},
		{"add continuous to a health check", nosanaFixJob, "missing-field", "ops[0].args.expose.health_checks[0]", `Add "continuous"`, `"expected_status": 200, "continuous": false}`},
		{"system_resources to system_requirements", nosanaFixJob, "gpu-vram", "meta.system_resources.required_vram", `Rename "system_resources" to "system_requirements"`, `"system_requirements": {"required_vram": 4}`},
		{"distinct_host to distinct_hosts", nomadFixJob, "nomad-constraint", "Job.Constraints[0].Operand", `Write "distinct_hosts"`, `"Operand": "distinct_hosts"`},
		{"wrap a bare Nomad job", bareNomadJob, "nomad-bare-job", "", `Wrap the job in {"Job": ...}`, `{"Job": {"ID": "web"`},
		{"trailing comma (scanner)", `{"version": "0.1", "type": "container", "ops": [],}`, "json-trailing-comma", "", "Remove the comma", `"ops": []}`},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			text := []byte(tt.text)
			before := lintAll(text)
			d, ok := findDiag(before, tt.rule, tt.path)
			if !ok {
				t.Fatalf("no %s diagnostic at %q; got:\n%s", tt.rule, tt.path, describeDiags(before))
			}
			var fix *diag.Fix
			for _, f := range append(d.Fixes, Fixes(text, d)...) {
				if strings.Contains(f.Title, tt.title) {
					fix = &f
					break
				}
			}
			if fix == nil {
				t.Fatalf("%s at %s has no fix %q: %+v", tt.rule, tt.path, tt.title, d.Fixes)
			}
			for _, e := range fix.Edits {
				checkEdit(t, text, e)
			}
			fixed, err := ApplyEdits(text, fix.Edits)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(fixed), tt.want) {
				t.Errorf("fixed text lacks %q:\n%s", tt.want, fixed)
			}
			if jsonast.Parse(fixed).HasSyntaxErrors() {
				t.Fatalf("the fix broke the JSON:\n%s", fixed)
			}
			after := lintAll(fixed)
			for _, a := range after {
				if a.Rule == d.Rule && a.Path == d.Path && a.Message == d.Message {
					t.Errorf("still reported after the fix: %s\n%s", a.Message, fixed)
				}
			}
			if len(after) >= len(before) {
				t.Errorf("the fix did not reduce the diagnostics (%d before, %d after):\n%s", len(before), len(after), describeDiags(after))
			}
		})
	}
}

func findDiag(ds []diag.Diagnostic, rule, path string) (diag.Diagnostic, bool) {
	for _, d := range ds {
		if d.Rule == rule && d.Path == path {
			return d, true
		}
	}
	return diag.Diagnostic{}, false
}

func describeDiags(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Severity.String() + " " + d.Rule + " " + d.Path + ": " + d.Message + "\n")
	}
	return b.String()
}

func TestFixAllSafeFixes(t *testing.T) {
	in := []byte(`{"version": "0.1", "type": "container", "meta": {"system_resources": {"required_vram": 4}},
 "ops": [{"id": "a", "type": "container/run", "args": {"imag": "x:1", "gpu": true, "expose": {"port": 80}}},]}`)
	fixed, n := FixAll(in, core.Options{})
	wants := []string{`"system_requirements"`, `"expose": [{"port": 80}]`, `}}]}`}
	if coreHasRule("unknown-key") { // the schema layer's safe rename
		wants = append(wants, `"image": "x:1"`)
	}
	for _, want := range wants {
		if !strings.Contains(string(fixed), want) {
			t.Errorf("FixAll result lacks %s:\n%s", want, fixed)
		}
	}
	if n < 3 {
		t.Errorf("applied %d fixes, want at least 3 (trailing comma, system_requirements, expose list; the rename once the schema layer is in core.Lint)", n)
	}
	// Unsafe fixes are left for the editor.
	bogus := []byte(`{"version": "0.1", "type": "container", "ops": [{"id": "a", "type": "container/run", "args": {"image": "x:1"}, "bogus": 1}]}`)
	if out, _ := FixAll(bogus, core.Options{}); !strings.Contains(string(out), `"bogus"`) {
		t.Errorf("FixAll removed an unknown key, which is not a safe fix:\n%s", out)
	}
}

// coreHasRule reports whether core.Lint runs the rule with this id.
func coreHasRule(id string) bool {
	for _, r := range core.Rules() {
		if r.ID == id {
			return true
		}
	}
	return false
}

// TestMissingFieldFixReadsThePlace: the fix comes from the diagnostic's place
// and the schema, so it survives any rewording of the message, and an object
// missing several required fields gets one fix per field.
func TestMissingFieldFixReadsThePlace(t *testing.T) {
	cases := []struct {
		name, text, path string
		titles           []string
	}{
		{"one field", `{"version": "0.1", "type": "container", "ops": [{"id": "a", "type": "container/run", "args": {"cmd": ["ls"]}}]}`,
			"ops[0].args", []string{`Add "image"`}},
		{"several fields", `{"version": "0.1", "type": "container", "ops": [{"args": {"image": "nginx:1.27"}}]}`,
			"ops[0]", []string{`Add "id"`, `Add "type"`}},
		{"nothing missing any more", `{"version": "0.1", "type": "container", "ops": [{"id": "a", "type": "container/run", "args": {"image": "x:1"}}]}`,
			"ops[0].args", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text := []byte(tc.text)
			d := diag.Diagnostic{Rule: "missing-field", Message: "reworded: something is absent", Path: tc.path}
			doc := jsonast.Parse(text)
			n := doc.Lookup(mustSegments(t, doc, tc.path))
			if n == nil {
				t.Fatalf("no node at %s", tc.path)
			}
			d.Pointer = n.Pointer()
			var got []string
			for _, f := range Fixes(text, d) {
				got = append(got, f.Title)
				fixed, err := ApplyEdits(text, f.Edits)
				if err != nil {
					t.Fatal(err)
				}
				if jsonast.Parse(fixed).HasSyntaxErrors() {
					t.Errorf("%s gives invalid JSON: %s", f.Title, fixed)
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.titles, "|") {
				t.Errorf("fixes %q, want %q", got, tc.titles)
			}
		})
	}
}

// mustSegments finds the node whose Path() is path.
func mustSegments(t *testing.T, doc *jsonast.Document, path string) []jsonast.Segment {
	t.Helper()
	var found []jsonast.Segment
	jsonast.Walk(doc.Root, func(n *jsonast.Node) bool {
		if found == nil && n.Path() == path {
			found = n.Segments()
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no node at %s", path)
	}
	return found
}

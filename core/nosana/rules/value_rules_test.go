package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// ruleCase is one table entry: a document and the diagnostics one rule must
// give, each as "<severity> <path>".
type ruleCase struct {
	name string
	src  string
	want []string
}

// runRule runs one rule over src, which must be valid JSON.
func runRule(t *testing.T, r *rule.Rule, src string) []diag.Diagnostic {
	t.Helper()
	doc := jsonast.Parse([]byte(src))
	if doc.HasSyntaxErrors() {
		t.Fatalf("test document is not valid JSON: %v\n%s", doc.Syntax, src)
	}
	return diag.Sort(rule.NewContext(doc, rule.Options{}).Run([]*rule.Rule{r}))
}

// brief renders diagnostics as "<severity> <path>" lines.
func brief(ds []diag.Diagnostic) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s %s", d.Severity, d.Path))
	}
	return out
}

// checkCases runs a table of cases for one rule.
func checkCases(t *testing.T, r *rule.Rule, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ds := runRule(t, r, tc.src)
			got := brief(ds)
			want := tc.want
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %q\nwant %q", got, want)
				for _, d := range ds {
					t.Logf("  %s", d.Message)
				}
			}
			for _, d := range ds {
				if d.Rule != r.ID {
					t.Errorf("diagnostic has rule %q, want %q", d.Rule, r.ID)
				}
				if !strings.HasPrefix(d.Message, d.Path+":") && !strings.HasPrefix(d.Message, d.Path+" ") {
					t.Errorf("message does not name its field %s: %s", d.Path, d.Message)
				}
			}
		})
	}
}

// applyFix applies a fix's edits to src.
func applyFix(t *testing.T, src string, f diag.Fix) string {
	t.Helper()
	edits := slices.Clone(f.Edits)
	slices.SortFunc(edits, func(a, b diag.TextEdit) int { return b.Range.Start.Offset - a.Range.Start.Offset })
	out := src
	end := len(src) + 1
	for _, e := range edits {
		if e.Range.End.Offset > end {
			t.Fatalf("fix %q has overlapping edits", f.Title)
		}
		out = out[:e.Range.Start.Offset] + e.NewText + out[e.Range.End.Offset:]
		end = e.Range.Start.Offset
	}
	return out
}

// fixed finds the fix titled title (by prefix) on the first diagnostic that
// has one, applies it, and checks the result is still valid JSON.
func fixed(t *testing.T, r *rule.Rule, src, title string) (string, diag.Fix) {
	t.Helper()
	for _, d := range runRule(t, r, src) {
		for _, f := range d.Fixes {
			if strings.HasPrefix(f.Title, title) {
				out := applyFix(t, src, f)
				if doc := jsonast.Parse([]byte(out)); doc.HasSyntaxErrors() {
					t.Fatalf("fix %q gives invalid JSON:\n%s", f.Title, out)
				}
				return out, f
			}
		}
	}
	t.Fatalf("no fix %q", title)
	return "", diag.Fix{}
}

// job wraps op objects into a complete job definition.
func job(ops ...string) string {
	return `{"version": "0.1", "type": "container", "ops": [` + strings.Join(ops, ", ") + `]}`
}

// runOp is a container/run op with the given id and extra args members.
func runOp(id, args string) string {
	if args != "" {
		args = ", " + args
	}
	return `{"id": "` + id + `", "type": "container/run", "args": {"image": "ubuntu:22.04"` + args + `}}`
}

// valueRules lists the rules about values, resources and images.
func valueRules() []*rule.Rule {
	return []*rule.Rule{portRange, duplicatePort, exposeSingleObject, healthCheck,
		privateWithoutExpose, plaintextSecret, dockerAuth, volume, resource, gpuVRAM,
		gpuNoOptOut, globalImageUnused, cmdEntrypoint, imageReference, envName,
		restartPolicy, emptyValue}
}

func TestValueRulesRegistered(t *testing.T) {
	all := Rules()
	for _, r := range valueRules() {
		if !slices.Contains(all, r) {
			t.Errorf("rule %s is not in Rules()", r.ID)
		}
		if r.Check == nil || r.Summary == "" || r.Format != rule.Nosana {
			t.Errorf("rule %s is incomplete", r.ID)
		}
	}
}

func TestDeleteAndInsertMember(t *testing.T) {
	cases := []struct {
		src, key, want string
	}{
		{`{"a": 1, "b": 2, "c": 3}`, "a", `{"b": 2, "c": 3}`},
		{`{"a": 1, "b": 2, "c": 3}`, "b", `{"a": 1, "c": 3}`},
		{`{"a": 1, "b": 2, "c": 3}`, "c", `{"a": 1, "b": 2}`},
		{`{"a": 1}`, "a", `{}`},
		{"{\n  \"a\": 1,\n  \"b\": 2\n}", "b", "{\n  \"a\": 1\n}"},
	}
	for _, tc := range cases {
		doc := jsonast.Parse([]byte(tc.src))
		e := deleteMember(doc, doc.Root.MemberByKey(tc.key))
		got := applyFix(t, tc.src, diag.Fix{Edits: []diag.TextEdit{e}})
		if got != tc.want {
			t.Errorf("delete %s from %s = %s, want %s", tc.key, tc.src, got, tc.want)
		}
	}
	ins := []struct{ src, want string }{
		{`{}`, `{"k": true}`},
		{`{"a": 1}`, `{"a": 1, "k": true}`},
		{"{\n    \"a\": 1\n}", "{\n    \"a\": 1,\n    \"k\": true\n}"},
	}
	for _, tc := range ins {
		doc := jsonast.Parse([]byte(tc.src))
		got := applyFix(t, tc.src, diag.Fix{Edits: []diag.TextEdit{insertMember(doc, doc.Root, "k", "true")}})
		if got != tc.want {
			t.Errorf("insert into %q = %q, want %q", tc.src, got, tc.want)
		}
	}
}

// TestRulesNeverPanic runs every value rule over broken and odd
// documents; a panic would surface as an "internal error" diagnostic.
func TestRulesNeverPanic(t *testing.T) {
	docs := []string{
		``, `null`, `[]`, `{}`, `{"ops": 3}`, `{"ops": [null, 1, "x", []]}`,
		`{"ops": [{"args": null}]}`, `{"ops": [{"type": "container/run", "args": {"expose": {}, "resources": [1, null, {}], "volumes": [null, {"dest": 3}]}}]}`,
		`{"meta": 1, "global": [], "ops": [{"args": {"gpu": true, "required_vram": 3}}]}`,
		`{"meta": {"required_vram": "x", "system_requirements": 3}, "ops": [{"args": {"gpu": true}}]}`,
		`{"ops": [{"args": {"image": "a:b:c@", "cmd": [], "entrypoint": [1], "env": {"": 1}, "restart_policy": {}}}]}`,
		`{"ops": [{"args": {"expose": [{"port": 80, "health_checks": [1, {"type": "http"}, {"type": "websocket"}]}]}}], "deployment_id": 1}`,
		`{"ops": [{"args": {"image": "ubuntu:22.04, "cmd": "`, // half-typed
		`{"ops": [{"args": {"authentication": {"docker": 1}, "resources": [{"type": "S3", "IAM": 2}, {"type": "HF", "files": 3}]}}]}`,
	}
	rules := valueRules()
	for _, src := range docs {
		doc := jsonast.Parse([]byte(src))
		if doc.Root == nil {
			continue
		}
		for _, d := range rule.NewContext(doc, rule.Options{}).Run(rules) {
			if strings.Contains(d.Message, "internal error") {
				t.Errorf("%s: %s", src, d.Message)
			}
		}
	}
}

// FuzzValueRules checks that no value rule panics on any input.
func FuzzValueRules(f *testing.F) {
	f.Add([]byte(job(runOp("a", `"expose": [{"port": 80, "health_checks": [{"type": "http", "path": "x"}]}], "gpu": true`))))
	f.Add([]byte(`{"meta": {"required_vram": 1}, "ops": [{"args": {"volumes": [{"name": "v", "dest": "d"}]}}]}`))
	rules := valueRules()
	f.Fuzz(func(t *testing.T, b []byte) {
		doc := jsonast.Parse(b)
		if doc.Root == nil {
			return
		}
		for _, d := range rule.NewContext(doc, rule.Options{}).Run(rules) {
			if strings.Contains(d.Message, "internal error") {
				t.Fatalf("%s", d.Message)
			}
		}
	})
}

// BenchmarkValueRules runs every value rule over a 100-op job that
// touches all of them.
func BenchmarkValueRules(b *testing.B) {
	var ops []string
	for i := range 100 {
		ops = append(ops, fmt.Sprintf(`{"id": "op%d", "type": "container/run", "execution": {"group": "g%d"}, "args": {
			"image": "ghcr.io/example/app:1.%d", "gpu": true, "cmd": "echo %d", "entrypoint": "/bin/sh -c",
			"env": {"A-%d": "x", "B": "y"}, "restart_policy": "always", "private": true,
			"expose": [%d, {"port": %d, "health_checks": [{"type": "http", "path": "health", "method": "GET", "expected_status": 200, "continuous": true}]}],
			"volumes": [{"name": "v%d", "dest": "/data"}],
			"resources": [{"type": "S3", "url": "http://x/%d", "target": "/s3"}, {"type": "HF", "repo": "o/n", "target": "/hf", "files": ["a"]}]}}`,
			i, i/4, i, i, i, 8000+i%10, 9000+i, i%7, i))
	}
	src := []byte(withTop(job(ops...), `"meta": {"system_resources": {"required_vram": 8}}`))
	doc := jsonast.Parse(src)
	rules := valueRules()
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for range b.N {
		rule.NewContext(doc, rule.Options{}).Run(rules)
	}
}

// BenchmarkValueRulesClean is BenchmarkValueRules on a 100-op job with nothing
// to report: the cost of the checks alone.
func BenchmarkValueRulesClean(b *testing.B) {
	var ops []string
	for i := range 100 {
		ops = append(ops, fmt.Sprintf(`{"id": "op%d", "type": "container/run", "args": {
			"image": "ghcr.io/example/app:1.%d", "gpu": true, "cmd": ["echo", "%d"], "env": {"A_%d": "x"},
			"expose": [{"port": %d, "health_checks": [{"type": "http", "path": "/health", "method": "GET", "expected_status": 200, "continuous": true}]}],
			"resources": [{"type": "S3", "url": "https://x/%d", "target": "/s3"}, {"type": "HF", "repo": "o/n", "target": "/hf"}]}}`,
			i, i, i, i, 8000+i, i))
	}
	src := []byte(withTop(job(ops...), `"meta": {"system_requirements": {"required_vram": 8}}`))
	doc := jsonast.Parse(src)
	rules := valueRules()
	if ds := rule.NewContext(doc, rule.Options{}).Run(rules); len(ds) != 0 {
		b.Fatalf("the clean job is not clean: %v", brief(ds))
	}
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for range b.N {
		rule.NewContext(doc, rule.Options{}).Run(rules)
	}
}

package nomad

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

var update = flag.Bool("update", false, "rewrite the golden .out files")

// lint runs what core.Lint runs for a Nomad document.
func lint(text []byte, opts rule.Options) []diag.Diagnostic {
	doc := jsonast.Parse(text)
	ds := append([]diag.Diagnostic(nil), doc.Syntax...)
	if doc.Root != nil {
		ds = append(ds, Validate(doc, opts)...)
		ds = append(ds, rule.NewContext(doc, opts).Run(Rules())...)
	}
	return diag.Sort(ds)
}

func render(name string, ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s:%d:%d: %s: %s [%s]\n", name, d.Range.Start.Line, d.Range.Start.Column, d.Severity, d.Message, d.Rule)
	}
	return b.String()
}

func golden(t *testing.T, jsonPath string) []diag.Diagnostic {
	t.Helper()
	text, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	ds := lint(text, rule.Options{NomadVersion: "1.9"})
	got := render(filepath.Base(jsonPath), ds)
	outPath := strings.TrimSuffix(jsonPath, ".json") + ".out"
	if *update {
		if err := os.WriteFile(outPath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return ds
	}
	want, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s: diagnostics differ\n--- got\n%s--- want\n%s", jsonPath, got, want)
	}
	return ds
}

const testdata = "../testdata/nomad"

// TestGolden runs every rule's bad example against its golden output and
// checks that the rule fires there, and that every good example is clean.
func TestGolden(t *testing.T) {
	for _, r := range Rules() {
		t.Run(r.ID, func(t *testing.T) {
			ds := golden(t, filepath.Join(testdata, "err", r.ID+".json"))
			fired := false
			for _, d := range ds {
				fired = fired || d.Rule == r.ID
			}
			if !fired {
				t.Errorf("err/%s.json does not trigger %s", r.ID, r.ID)
			}
			text, err := os.ReadFile(filepath.Join(testdata, "ok", r.ID+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if ds := lint(text, rule.Options{NomadVersion: "1.9"}); len(ds) > 0 {
				t.Errorf("ok/%s.json is not clean:\n%s", r.ID, render(r.ID+".json", ds))
			}
		})
	}
}

// TestSeedExample pins how modern Nomad sees the seed page's example job:
// invalid, because a batch job may not have an update block.
func TestSeedExample(t *testing.T) {
	ds := golden(t, filepath.Join(testdata, "seed.json"))
	errs := 0
	for _, d := range ds {
		if d.Severity == diag.Error {
			errs++
			if d.Rule != "nomad-update-not-allowed" {
				t.Errorf("unexpected error %s: %s", d.Rule, d.Message)
			}
		}
	}
	if errs != 1 {
		t.Errorf("seed example has %d errors, want exactly 1 (batch job with Update)", errs)
	}
}

// TestRuleDocs checks that docs/rules/nomad.md documents every rule id.
func TestRuleDocs(t *testing.T) {
	b, err := os.ReadFile("../../docs/rules/nomad.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules() {
		if !strings.Contains(string(b), "\n## "+r.ID+"\n") {
			t.Errorf("docs/rules/nomad.md has no section ## %s", r.ID)
		}
	}
}

func TestRuleIDs(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if !strings.HasPrefix(r.ID, "nomad-") || strings.ToLower(r.ID) != r.ID || strings.Contains(r.ID, "_") {
			t.Errorf("rule id %q is not kebab-case with the nomad- prefix", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("rule id %q registered twice", r.ID)
		}
		seen[r.ID] = true
		if r.Format != rule.Nomad || r.Summary == "" {
			t.Errorf("rule %s: format %q summary %q", r.ID, r.Format, r.Summary)
		}
	}
}

package core

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
)

var update = flag.Bool("update", false, "rewrite the golden .out files of testdata/*/err")

// GoldenLine renders a diagnostic as one line of a golden .out file:
// <file>:<line>:<col>: <severity>: <message> [<rule>]
func goldenLine(file string, d diag.Diagnostic) string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", file, d.Range.Start.Line, d.Range.Start.Column, d.Severity, d.Message, d.Rule)
}

// TestGolden lints every file under testdata/<format>/{ok,err}. Files in err/
// must give exactly the diagnostics of their .out file; files in ok/ must give
// none at all.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*/*.json")
	// Named cases such as testdata/nomad/seed.json sit beside ok/ and err/
	// and are compared with their .out like err/ files.
	cases, _ := filepath.Glob("testdata/*/*.json")
	files = append(files, cases...)
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, path := range files {
		kind := filepath.Base(filepath.Dir(path))
		t.Run(strings.TrimPrefix(path, "testdata/"), func(t *testing.T) {
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res := Lint(text, Options{})
			var lines []string
			for _, d := range res.Diagnostics {
				lines = append(lines, goldenLine(filepath.Base(path), d))
			}
			got := strings.Join(lines, "\n")
			switch kind {
			case "ok":
				if got != "" {
					t.Errorf("want no diagnostics, got:\n%s", got)
				}
			case "err", "nosana", "nomad":
				outPath := strings.TrimSuffix(path, ".json") + ".out"
				if *update {
					if err := os.WriteFile(outPath, []byte(got+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(outPath)
				if err != nil {
					t.Fatalf("missing golden file (run go test ./core -run TestGolden -update): %v", err)
				}
				if got != strings.TrimRight(string(want), "\n") {
					t.Errorf("diagnostics differ from %s\n--- got\n%s\n--- want\n%s", outPath, got, want)
				}
				if got == "" {
					t.Errorf("an err/ file must trigger something")
				}
			default:
				t.Fatalf("testdata file outside ok/ or err/: %s", path)
			}
		})
	}
}

// TestEveryRuleHasDocsAndTestdata enforces the rule contract: a doc section
// in docs/rules.md, a bad example in testdata/*/err that triggers the rule and
// a good example in testdata/*/ok.
func TestEveryRuleHasDocsAndTestdata(t *testing.T) {
	doc, err := os.ReadFile("../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules() {
		if !strings.Contains(string(doc), "\n## "+r.ID+"\n") {
			t.Errorf("rule %s has no section \"## %s\" in docs/rules.md", r.ID, r.ID)
		}
		bad, _ := filepath.Glob("testdata/*/err/" + r.ID + ".json")
		good, _ := filepath.Glob("testdata/*/ok/" + r.ID + ".json")
		if len(bad) == 0 || len(good) == 0 {
			t.Errorf("rule %s needs testdata/<format>/err/%s.json and testdata/<format>/ok/%s.json", r.ID, r.ID, r.ID)
			continue
		}
		out, _ := os.ReadFile(strings.TrimSuffix(bad[0], ".json") + ".out")
		if !strings.Contains(string(out), "["+r.ID+"]") {
			t.Errorf("%s does not trigger rule %s", bad[0], r.ID)
		}
	}
}

package jobkitcli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestLintConfig covers discovery (the nearest .jobkit.json above the file),
// precedence (flags over the file), --config, --no-config and exit codes.
// brokenJob has one json-trailing-comma error at ops[0].args.cmd.
func TestLintConfig(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".jobkit.json":                `{"disable": ["json-trailing-comma"]}`,
		"bad.json":                    brokenJob,
		"sub/bad.json":                brokenJob,
		"near/.jobkit.json":           `{"severity": {"json-trailing-comma": "warning"}}`,
		"near/bad.json":               brokenJob,
		"globbed/.jobkit.json":        `{"ignore": [{"files": ["legacy/**"]}, {"files": ["fields/*.json"], "paths": ["ops[*].args.cmd"]}]}`,
		"globbed/legacy/x/bad.json":   brokenJob,
		"globbed/fields/bad.json":     brokenJob,
		"globbed/other/bad.json":      brokenJob,
		"other.json":                  `{"enable": ["json-trailing-comma"]}`,
		"broken-config/.jobkit.json":  "{\n  \"disable\": [\"json-trailing-coma\"]\n}",
		"broken-config/bad.json":      brokenJob,
		"invalid-config/.jobkit.json": "{\n  \"disable\": [\"json-comment\"\n}",
		"invalid-config/bad.json":     brokenJob,
	})
	p := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name       string
		args       []string
		want       int
		wantStdout string // substring ("" to skip)
		wantStderr string // substring ("" to skip)
	}{
		{"file disables the rule", []string{"lint", p("bad.json")}, ExitOK, "", ""},
		{"found from a subfolder", []string{"lint", p("sub/bad.json")}, ExitOK, "", ""},
		{"flag enable beats the file", []string{"lint", "--enable", "json-trailing-comma", p("sub/bad.json")}, ExitProblem, "sub/bad.json:10:32: error:", ""},
		{"nearest config wins alone", []string{"lint", p("near/bad.json")}, ExitOK, "10:32: warning:", ""},
		{"nearest config with --strict", []string{"lint", "--strict", p("near/bad.json")}, ExitProblem, "", ""},
		{"flag disable beats nearest severity", []string{"lint", "--strict", "--disable", "json-comment,json-trailing-comma", p("near/bad.json")}, ExitOK, "", ""},
		{"--config instead of discovery", []string{"lint", "--config", p("other.json"), p("bad.json")}, ExitProblem, "bad.json:10:32: error:", ""},
		{"--no-config", []string{"lint", "--no-config", p("bad.json")}, ExitProblem, "", ""},
		{"ignored folder", []string{"lint", p("globbed/legacy/x/bad.json")}, ExitOK, "", ""},
		{"ignored field path", []string{"lint", p("globbed/fields/bad.json")}, ExitOK, "", ""},
		{"glob that does not match", []string{"lint", p("globbed/other/bad.json")}, ExitProblem, "", ""},
		{"directory: configs apply per file", []string{"lint", p("globbed")}, ExitProblem, "other/bad.json:10:32", ""},
		{"unknown rule in the file", []string{"lint", p("broken-config/bad.json")}, ExitUsage, "",
			`.jobkit.json:2:15: unknown rule "json-trailing-coma" (did you mean "json-trailing-comma"?)`},
		{"config is not JSON", []string{"lint", p("invalid-config/bad.json")}, ExitUsage, "", ".jobkit.json:3:1: not valid JSON"},
		{"unknown rule in a flag", []string{"lint", "--disable", "nope", p("bad.json")}, ExitUsage, "", `--disable: unknown rule "nope"`},
		{"enable and disable one rule", []string{"lint", "--disable", "json-comment", "--enable", "json-comment", p("bad.json")}, ExitUsage, "", "both enabled and disabled"},
		{"missing --config", []string{"lint", "--config", p("nope.json"), p("bad.json")}, ExitUsage, "", "read config"},
		{"--config with --no-config", []string{"lint", "--config", p("other.json"), "--no-config", p("bad.json")}, ExitUsage, "", "exclude each other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, "", tt.args...)
			if code != tt.want || !strings.Contains(out, tt.wantStdout) || !strings.Contains(errs, tt.wantStderr) {
				t.Errorf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tt.want, out, errs)
			}
		})
	}
}

func TestLintDirectorySkipsConfigFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{".jobkit.json": `{}`, "ok.json": validJob})
	code, out, errs := run(t, "", "lint", "--format", "json", dir)
	if code != ExitOK || strings.Contains(out, ".jobkit.json") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
}

func TestRulesShowsConfig(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".jobkit.json": `{"disable": ["json-comment"], "severity": {"json-trailing-comma": "warning"}, "ignore": [{"files": ["legacy/**"], "rules": ["json-syntax"]}]}`,
	})
	t.Chdir(dir)
	code, out, errs := run(t, "", "rules", "--disable", "json-unquoted-key")
	for _, want := range []string{
		"json-comment ", "off (default error)",
		"warning (default error)",
		"Config: .jobkit.json\n",
		"ignore json-syntax in files legacy/**",
		"Flags: --disable json-unquoted-key",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rules output lacks %q\n%s%s", want, out, errs)
		}
	}
	if code != ExitOK {
		t.Errorf("exit %d", code)
	}
	_, out, _ = run(t, "", "rules", "--json", "--enable", "json-comment")
	var rules []struct{ ID, Severity, Effective string }
	if err := json.Unmarshal([]byte(out), &rules); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rules {
		got[r.ID] = r.Severity + "->" + r.Effective
	}
	for id, want := range map[string]string{"json-comment": "error->error", "json-trailing-comma": "error->warning", "json-syntax": "error->error"} {
		if got[id] != want {
			t.Errorf("%s: %q, want %q", id, got[id], want)
		}
	}
	if code, _, errs := run(t, "", "rules", "--disable", "nope"); code != ExitUsage || !strings.Contains(errs, `unknown rule "nope"`) {
		t.Errorf("rules --disable nope: exit %d, %s", code, errs)
	}
}

const hclJob = `# a Nomad job
job "web" {
  group "g" {}
}
`

func TestLintHCL(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"web.nomad":        hclJob,
		"web.nomad.hcl":    hclJob,
		"web.hcl":          hclJob,
		"named.json":       hclJob,
		"json-inside.hcl":  validJob,
		"ok.json":          validJob,
		"tree/a/api.nomad": hclJob,
	})
	tests := []struct {
		name       string
		args       []string
		want       int
		wantStdout string
		wantStderr string
	}{
		{".nomad", []string{"lint", filepath.Join(dir, "web.nomad")}, ExitProblem, "web.nomad:2:1: error: this is a Nomad job in HCL", ""},
		{".nomad.hcl", []string{"lint", filepath.Join(dir, "web.nomad.hcl")}, ExitProblem, "`nomad job run -output FILE > FILE.json`", ""},
		{"HCL content in a .json", []string{"lint", filepath.Join(dir, "named.json")}, ExitProblem, "named.json:2:1: error: this is a Nomad job in HCL", ""},
		{"JSON content in a .hcl", []string{"lint", filepath.Join(dir, "json-inside.hcl")}, ExitOK, "", ""},
		{"directory counts skipped HCL", []string{"lint", filepath.Join(dir, "tree")}, ExitOK, "", "skipped 1 HCL file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, "", tt.args...)
			if code != tt.want || !strings.Contains(out, tt.wantStdout) || !strings.Contains(errs, tt.wantStderr) {
				t.Errorf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tt.want, out, errs)
			}
			if strings.Count(out, "error:") > 1 {
				t.Errorf("more than one message for an HCL file:\n%s", out)
			}
		})
	}
	code, _, errs := run(t, "", "lint", dir)
	if code != ExitProblem || !strings.Contains(errs, "skipped 5 HCL files (Nomad HCL, not JSON: ") || !strings.Contains(errs, "and 2 more") {
		t.Errorf("directory: exit %d\n%s", code, errs)
	}
}

// A disabled rule fixes nothing, as it reports nothing: jobkit fix follows
// the same config as jobkit lint.
func TestFixFollowsConfig(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.json": brokenJob, "off/.jobkit.json": `{"disable": ["json-trailing-comma"]}`, "off/bad.json": brokenJob})
	tests := []struct {
		name    string
		args    []string
		want    int
		changed bool
	}{
		{"fixes by default", []string{"fix", filepath.Join(dir, "bad.json")}, ExitOK, true},
		{"--disable", []string{"fix", "--disable", "json-trailing-comma", filepath.Join(dir, "bad.json")}, ExitOK, false},
		{"config file", []string{"fix", filepath.Join(dir, "off/bad.json")}, ExitOK, false},
		{"unknown rule", []string{"fix", "--disable", "nope", filepath.Join(dir, "bad.json")}, ExitUsage, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, "", tt.args...)
			if code != tt.want {
				t.Fatalf("exit %d, want %d\n%s", code, tt.want, errs)
			}
			if code == ExitOK && (out != brokenJob) != tt.changed {
				t.Errorf("changed = %v, want %v:\n%s", out != brokenJob, tt.changed, out)
			}
		})
	}
}

package jobkitcli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/intel"
	"github.com/jobkit-dev/jobkit/internal/share"
)

const validJob = `{
  "version": "0.1",
  "type": "container",
  "ops": [
    {
      "id": "hello",
      "type": "container/run",
      "args": {
        "image": "ubuntu:22.04",
        "cmd": ["echo", "hello"]
      }
    }
  ]
}
`

// brokenJob has one trailing comma at line 10, column 32.
var brokenJob = strings.Replace(validJob, `"cmd": ["echo", "hello"]`, `"cmd": ["echo", "hello",]`, 1)

// warnJob has one warning (invalid UTF-8 inside a string) and no error.
var warnJob = strings.Replace(validJob, `"hello"]`, "\"hel\xfflo\"]", 1)

func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLintExitCodes(t *testing.T) {
	dir := writeFiles(t, map[string]string{"ok.json": validJob, "bad.json": brokenJob, "warn.json": warnJob})
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"clean", []string{"lint", filepath.Join(dir, "ok.json")}, ExitOK},
		{"errors", []string{"lint", filepath.Join(dir, "bad.json")}, ExitProblem},
		{"warnings only", []string{"lint", filepath.Join(dir, "warn.json")}, ExitOK},
		{"warnings strict", []string{"lint", "--strict", filepath.Join(dir, "warn.json")}, ExitProblem},
		{"flags after paths", []string{"lint", filepath.Join(dir, "warn.json"), "--strict"}, ExitProblem},
		{"missing file", []string{"lint", filepath.Join(dir, "nope.json")}, ExitFatal},
		{"missing and bad", []string{"lint", filepath.Join(dir, "nope.json"), filepath.Join(dir, "bad.json")}, ExitFatal},
		{"bad flag", []string{"lint", "--nope", filepath.Join(dir, "ok.json")}, ExitUsage},
		{"bad format", []string{"lint", "--format", "xml", filepath.Join(dir, "ok.json")}, ExitUsage},
		{"bad --as", []string{"lint", "--as", "k8s", filepath.Join(dir, "ok.json")}, ExitUsage},
		{"no paths", []string{"lint"}, ExitUsage},
		{"unknown command", []string{"frobnicate"}, ExitUsage},
		{"help", []string{"lint", "-h"}, ExitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, out, errs := run(t, "", tt.args...); code != tt.want {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.want, out, errs)
			}
		})
	}
}

func TestLintText(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.json": brokenJob})
	path := filepath.Join(dir, "bad.json")
	_, out, _ := run(t, "", "lint", path)
	want := path + `:10:32: error: trailing comma before ]; JSON does not allow a comma after the last entry [json-trailing-comma]
  10 |         "cmd": ["echo", "hello",]
     |                                ^
1 file checked: 1 error, 0 warnings, 0 infos
`
	if out != want {
		t.Errorf("text output:\n%s\nwant:\n%s", out, want)
	}
}

func TestLintStdinAndDirectory(t *testing.T) {
	code, out, _ := run(t, brokenJob, "lint", "-")
	if code != ExitProblem || !strings.HasPrefix(out, "<stdin>:10:32: error:") {
		t.Errorf("stdin: exit %d\n%s", code, out)
	}
	dir := writeFiles(t, map[string]string{"b/z.json": brokenJob, "a.json": brokenJob, "node_modules/x.json": brokenJob, "notes.txt": "x"})
	_, out, _ = run(t, "", "lint", "--format", "github", dir)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "a.json") || !strings.Contains(lines[1], "z.json") {
		t.Errorf("directory: want a.json then b/z.json only, got:\n%s", out)
	}
}

func TestLintJSON(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.json": brokenJob})
	_, out, _ := run(t, "", "lint", "--format", "json", filepath.Join(dir, "bad.json"))
	var got struct {
		Files []struct {
			Path        string
			Format      string
			Diagnostics []struct {
				Rule, Severity, Message, Path, Pointer string
				Range                                  struct {
					Start, End struct{ Offset, Line, Column int }
				}
				Fixes []struct {
					Title string
					Edits []struct{ NewText string }
				}
			}
		}
		Summary struct{ Files, Errors, Warnings, Infos int }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	d := got.Files[0].Diagnostics[0]
	if got.Files[0].Format != "nosana" || d.Rule != "json-trailing-comma" || d.Severity != "error" || d.Path != "ops[0].args.cmd" ||
		d.Pointer != "/ops/0/args/cmd" || d.Range.Start.Line != 10 || d.Range.Start.Column != 32 || d.Range.End.Column != 33 {
		t.Errorf("unexpected diagnostic: %+v", d)
	}
	if len(d.Fixes) != 1 || d.Fixes[0].Edits[0].NewText != "" {
		t.Errorf("want one removing fix, got %+v", d.Fixes)
	}
	if got.Summary.Files != 1 || got.Summary.Errors != 1 {
		t.Errorf("summary %+v", got.Summary)
	}
}

func TestLintSARIF(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.json": brokenJob})
	_, out, _ := run(t, "", "lint", "--format", "sarif", filepath.Join(dir, "bad.json"))
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run0 := log.Runs[0]
	r := run0.Results[0]
	if log.Version != "2.1.0" || run0.Tool.Driver.Name != "jobkit" || r.RuleID != "json-trailing-comma" || r.Level != "error" {
		t.Fatalf("unexpected SARIF: %s", out)
	}
	if run0.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
		t.Errorf("ruleIndex %d does not point at %s", r.RuleIndex, r.RuleID)
	}
	reg := r.Locations[0].PhysicalLocation.Region
	if reg.StartLine != 10 || reg.StartColumn != 32 || reg.EndColumn != 33 {
		t.Errorf("region %+v", reg)
	}
}

func TestLintGitHub(t *testing.T) {
	code, out, _ := run(t, brokenJob, "lint", "--format", "github", "-")
	want := "::error file=<stdin>,line=10,col=32,endLine=10,endColumn=33,title=jobkit json-trailing-comma::trailing comma before ]; JSON does not allow a comma after the last entry\n"
	if code != ExitProblem || out != want {
		t.Errorf("got %q\nwant %q", out, want)
	}
}

func TestLintShareLink(t *testing.T) {
	link := "http://127.0.0.1:8080/#" + strings.TrimPrefix(share.Encode([]byte(brokenJob)), "#")
	code, out, errs := run(t, "", "lint", link)
	if code != ExitProblem || !strings.HasPrefix(out, "<share link>:10:32: error:") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
}

func TestRules(t *testing.T) {
	code, out, _ := run(t, "", "rules")
	if code != ExitOK || !strings.Contains(out, "json-trailing-comma") || !strings.HasPrefix(out, "RULE") {
		t.Errorf("rules: exit %d\n%s", code, out)
	}
	_, out, _ = run(t, "", "rules", "--json")
	var rules []struct{ ID, Severity, Doc string }
	if err := json.Unmarshal([]byte(out), &rules); err != nil || len(rules) < 8 {
		t.Fatalf("rules --json: %v\n%s", err, out)
	}
	if !strings.HasSuffix(rules[0].Doc, "#"+rules[0].ID) {
		t.Errorf("doc link %q", rules[0].Doc)
	}
}

func TestSchema(t *testing.T) {
	for _, f := range []string{"nosana", "nomad"} {
		code, out, _ := run(t, "", "schema", f)
		var s map[string]any
		if code != ExitOK || json.Unmarshal([]byte(out), &s) != nil || s["$schema"] == nil {
			t.Errorf("schema %s: exit %d, not a JSON Schema: %.200s", f, code, out)
		}
	}
	if code, _, _ := run(t, "", "schema", "k8s"); code != ExitUsage {
		t.Errorf("schema k8s: exit %d", code)
	}
}

func TestFmtAndFix(t *testing.T) {
	dir := writeFiles(t, map[string]string{"ugly.json": `{"version":"0.1","type":"container","ops":[{"id":"hello","type":"container/run","args":{"image":"ubuntu:22.04","cmd":["echo","hello"],}}]}`})
	path := filepath.Join(dir, "ugly.json")
	code, out, _ := run(t, "", "fmt", path)
	if code != ExitProblem || out != "" {
		t.Errorf("fmt of broken JSON: exit %d, out %q", code, out)
	}
	code, out, _ = run(t, "", "fix", "--json", path)
	var res struct {
		Applied   int
		Text      string
		Remaining []any
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitOK || res.Applied != 1 || len(res.Remaining) != 0 {
		t.Fatalf("fix --json: exit %d, %v, %s", code, err, out)
	}
	if code, _, _ := run(t, "", "fix", "-w", path); code != ExitOK {
		t.Fatalf("fix -w: exit %d", code)
	}
	if code, _, _ := run(t, "", "fmt", "-w", path); code != ExitOK {
		t.Fatalf("fmt -w: exit %d", code)
	}
	got, _ := os.ReadFile(path)
	want, err := intel.Format([]byte(validJob))
	if err != nil || string(got) != string(want) {
		t.Errorf("after fix and fmt:\n%s\nwant:\n%s", got, want)
	}
	if code, out, _ := run(t, "", "fmt", "-l", path); code != ExitOK || out != "" {
		t.Errorf("fmt -l on a formatted file: exit %d, %q", code, out)
	}
}

func TestCompleteAndHover(t *testing.T) {
	text := `{"version": "0.1", "type": "container", "ops": [{"id": "a", "type": "container/run", "args": {"im`
	code, out, _ := run(t, text, "complete", "--offset", fmt.Sprint(len(text)), "-")
	var items []struct{ Label string }
	if err := json.Unmarshal([]byte(out), &items); err != nil || code != ExitOK {
		t.Fatalf("complete: exit %d %v %s", code, err, out)
	}
	found := false
	for _, it := range items {
		found = found || it.Label == "image"
	}
	if !found {
		t.Errorf("complete at args.im| does not offer image: %s", out)
	}
	code, out, _ = run(t, validJob, "hover", "--offset", fmt.Sprint(strings.Index(validJob, `"image"`)+2), "-")
	var h struct{ Markdown string }
	if err := json.Unmarshal([]byte(out), &h); err != nil || code != ExitOK || !strings.Contains(h.Markdown, "image") {
		t.Errorf("hover: exit %d %v %s", code, err, out)
	}
	if code, _, _ := run(t, validJob, "hover", "--offset", "99999", "-"); code != ExitUsage {
		t.Errorf("offset past end: exit %d", code)
	}
}

func TestLintMissingOnlyPrintsNoSummary(t *testing.T) {
	code, out, errs := run(t, "", "lint", filepath.Join(t.TempDir(), "nope.json"))
	if code != ExitFatal || out != "" || !strings.Contains(errs, "no such file") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

package lintconfig

import (
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
)

var ids = []string{"json-comment", "nosana-gpu-vram", "nomad-priority", "schema"}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"syntax", "{\n  \"disable\": [\"json-comment\",]\n}", "cfg:2:29: not valid JSON: trailing comma"},
		{"empty", "", "cfg: empty file"},
		{"not an object", `[]`, "cfg:1:1: a config is a JSON object"},
		{"unknown key", `{"disabel": []}`, `cfg:1:2: unknown key "disabel" (did you mean "disable"?)`},
		{"unknown rule", "{\n \"disable\": [\"nosana-gpu-vrm\"]}", `cfg:2:14: unknown rule "nosana-gpu-vrm" (did you mean "nosana-gpu-vram"?)`},
		{"not a list", `{"enable": "schema"}`, `cfg:1:12: "enable" must be a list of strings`},
		{"not a string", `{"enable": [1]}`, `cfg:1:13: "enable" must be a list of strings; this entry is not a string`},
		{"unknown rule in severity", `{"severity": {"nope": "off"}}`, `cfg:1:15: unknown rule "nope"`},
		{"bad severity", `{"severity": {"schema": "fatal"}}`, `cfg:1:25: severity of "schema" must be "error", "warning", "info" or "off"`},
		{"both", `{"disable": ["schema"], "enable": ["schema"]}`, `cfg: rule "schema" is both enabled and disabled`},
		{"ignore not a list", `{"ignore": {}}`, `cfg:1:12: "ignore" must be a list`},
		{"ignore entry empty", `{"ignore": [{"rules": ["schema"]}]}`, `cfg:1:13: an ignore entry needs "files" or "paths"`},
		{"ignore unknown key", `{"ignore": [{"file": ["x"]}]}`, `cfg:1:14: unknown key "file" in an ignore entry`},
		{"ignore bad glob", `{"ignore": [{"files": ["[a"]}]}`, `cfg:1:24: "[a" is not a valid file glob`},
		{"ignore bad path", `{"ignore": [{"paths": ["ops[x]"]}]}`, `cfg:1:24: "ops[x]" is not a field path (an index is a number or *)`},
		{"ignore unknown rule", `{"ignore": [{"paths": ["ops"], "rules": ["nope"]}]}`, `cfg:1:42: unknown rule "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("cfg", "/p", []byte(tt.text), ids)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Parse error = %v, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestFromFlags(t *testing.T) {
	cfg, err := FromFlags([]string{"schema,json-comment", " nomad-priority "}, []string{"nosana-gpu-vram"}, ids)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.Disable, " "); got != "schema json-comment nomad-priority" {
		t.Errorf("Disable = %q", got)
	}
	for _, tt := range []struct {
		disable, enable []string
		want            string
	}{
		{[]string{"nope"}, nil, `--disable: unknown rule "nope"`},
		{nil, []string{"schem"}, `--enable: unknown rule "schem" (did you mean "schema"?)`},
		{[]string{"schema"}, []string{"schema"}, `flags: rule "schema" is both enabled and disabled`},
	} {
		if _, err := FromFlags(tt.disable, tt.enable, ids); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("FromFlags(%q, %q) error = %v, want prefix %q", tt.disable, tt.enable, err, tt.want)
		}
	}
}

func d(rule, pointer string, sev diag.Severity) diag.Diagnostic {
	return diag.Diagnostic{Rule: rule, Pointer: pointer, Severity: sev}
}

func TestApply(t *testing.T) {
	all := []diag.Diagnostic{
		d("schema", "/ops/0/args/env/TOKEN", diag.Error),
		d("schema", "/ops/1/args/image", diag.Error),
		d("nosana-gpu-vram", "/meta", diag.Warning),
		d("nomad-priority", "/Job/Priority", diag.Error),
		d("json-comment", "", diag.Error),
	}
	tests := []struct {
		name  string
		file  string // relative to /repo, where the config lives
		cfg   string
		flags [2][]string // disable, enable
		want  []string    // rule@pointer:severity kept
	}{
		{"nothing", "a.json", `{}`, [2][]string{}, []string{
			"schema@/ops/0/args/env/TOKEN:error", "schema@/ops/1/args/image:error", "nosana-gpu-vram@/meta:warning",
			"nomad-priority@/Job/Priority:error", "json-comment@:error"}},
		{"disable and severity", "a.json", `{"disable": ["schema"], "severity": {"nomad-priority": "info", "json-comment": "off"}}`, [2][]string{},
			[]string{"nosana-gpu-vram@/meta:warning", "nomad-priority@/Job/Priority:info"}},
		{"flag enable beats file disable", "a.json", `{"disable": ["schema", "json-comment"]}`, [2][]string{nil, {"schema"}},
			[]string{"schema@/ops/0/args/env/TOKEN:error", "schema@/ops/1/args/image:error", "nosana-gpu-vram@/meta:warning", "nomad-priority@/Job/Priority:error"}},
		{"flag disable beats file enable", "a.json", `{"enable": ["nomad-priority"], "severity": {"schema": "off"}}`, [2][]string{{"nomad-priority", "nosana-gpu-vram"}, nil},
			[]string{"json-comment@:error"}},
		{"enable in the same file beats severity off", "a.json", `{"severity": {"json-comment": "off"}, "enable": ["json-comment"]}`, [2][]string{{"schema", "nosana-gpu-vram", "nomad-priority"}, nil},
			[]string{"json-comment@:error"}},
		{"ignore a field path", "a.json", `{"ignore": [{"paths": ["ops[*].args.env", "Job"]}]}`, [2][]string{{"json-comment"}, nil},
			[]string{"schema@/ops/1/args/image:error", "nosana-gpu-vram@/meta:warning"}},
		{"ignore a path for one rule", "a.json", `{"ignore": [{"paths": ["**.image", "meta"], "rules": ["schema"]}]}`, [2][]string{{"json-comment"}, nil},
			[]string{"schema@/ops/0/args/env/TOKEN:error", "nosana-gpu-vram@/meta:warning", "nomad-priority@/Job/Priority:error"}},
		{"ignore files by glob", "legacy/old/x.json", `{"ignore": [{"files": ["legacy/**/*.json"]}]}`, [2][]string{}, nil},
		{"ignore a directory", "legacy/old/x.json", `{"ignore": [{"files": ["legacy"]}]}`, [2][]string{}, nil},
		{"glob does not match", "jobs/x.json", `{"ignore": [{"files": ["legacy/**"]}]}`, [2][]string{{"schema", "json-comment", "nosana-gpu-vram"}, nil},
			[]string{"nomad-priority@/Job/Priority:error"}},
		{"files and paths together", "jobs/x.json", `{"ignore": [{"files": ["jobs/*.json"], "paths": ["/ops/1"]}]}`, [2][]string{{"json-comment", "nosana-gpu-vram", "nomad-priority"}, nil},
			[]string{"schema@/ops/0/args/env/TOKEN:error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("/repo/.jobkit.json", "/repo", []byte(tt.cfg), ids)
			if err != nil {
				t.Fatal(err)
			}
			flags, err := FromFlags(tt.flags[0], tt.flags[1], ids)
			if err != nil {
				t.Fatal(err)
			}
			got := Layer(cfg, flags).For("/repo/" + tt.file).Apply(append([]diag.Diagnostic(nil), all...))
			var kept []string
			for _, g := range got {
				kept = append(kept, g.Rule+"@"+g.Pointer+":"+g.Severity.String())
			}
			if strings.Join(kept, " ") != strings.Join(tt.want, " ") {
				t.Errorf("kept\n  %q\nwant\n  %q", kept, tt.want)
			}
		})
	}
}

func TestNilPolicyAndSettings(t *testing.T) {
	var p *Policy
	ds := []diag.Diagnostic{d("schema", "/x", diag.Error)}
	if got := p.Apply(ds); len(got) != 1 || p.Disabled("schema") {
		t.Errorf("nil policy changed something: %v", got)
	}
	var s *Settings
	if sev, on := s.Effective("schema", diag.Warning); !on || sev != diag.Warning {
		t.Errorf("nil settings Effective = %v %v", sev, on)
	}
}

func TestRel(t *testing.T) {
	tests := []struct {
		dir, file, want string
		ok              bool
	}{
		{"/repo", "/repo/a/b.json", "a/b.json", true},
		{"/repo/", "/repo/a.json", "a.json", true},
		{"/repo", "/repository/a.json", "", false},
		{"/repo", "/other/a.json", "", false},
		{"/", "/a.json", "a.json", true},
		{`C:\repo`, `C:\repo\a.json`, "a.json", true},
		{"", "/a.json", "", false},
		{"/repo", "", "", false},
	}
	for _, tt := range tests {
		got, ok := Rel(tt.dir, tt.file)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Rel(%q, %q) = %q %v, want %q %v", tt.dir, tt.file, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPathPatterns(t *testing.T) {
	tests := []struct {
		pattern, pointer string
		want             bool
	}{
		{"ops[*].args", "/ops/3/args/image", true},
		{"ops[*].args", "/ops/3/argsx", false},
		{"ops[2]", "/ops/3/args", false},
		{`ops[0]["my key"]`, "/ops/0/my key/x", true},
		{"Job.*.Name", "/Job/TaskGroups/Name", true},
		{"**.Config", "/Job/TaskGroups/0/Tasks/1/Config/image", true},
		{"**.Config", "/Job/Name", false},
		{"/a~1b", "/a~1b/c", true},
		{"ops", "", false},
	}
	for _, tt := range tests {
		pat, err := parsePathPattern(tt.pattern)
		if err != nil {
			t.Fatalf("parse %q: %v", tt.pattern, err)
		}
		if got := pat.covers(pointerSegments(tt.pointer)); got != tt.want {
			t.Errorf("%q covers %q = %v, want %v", tt.pattern, tt.pointer, got, tt.want)
		}
	}
	for _, bad := range []string{"", "a..b", ".a", "a.", "a[", "a[-1]", `a["x]`, "a.[0]"} {
		if _, err := parsePathPattern(bad); err == nil {
			t.Errorf("parsePathPattern(%q) accepted", bad)
		}
	}
}

// A Config built in Go (the editor may) applies its Paths like a parsed one:
// an entry never widens to the whole file.
func TestConfigBuiltInGo(t *testing.T) {
	cfg := &Config{Source: "editor", Ignore: []Ignore{{Paths: []string{"ops[*].args.env"}}, {Paths: []string{"bad[["}}}}
	got := Layer(cfg).For("").Apply([]diag.Diagnostic{d("schema", "/ops/0/args/env/X", diag.Error), d("schema", "/ops/0/args/image", diag.Error)})
	if len(got) != 1 || got[0].Pointer != "/ops/0/args/image" {
		t.Errorf("kept %v, want only /ops/0/args/image", got)
	}
}

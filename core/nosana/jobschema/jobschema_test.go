package jobschema

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

func golden(file string, ds []diag.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s:%d:%d: %s: %s [%s]", file, d.Range.Start.Line, d.Range.Start.Column, d.Severity, d.Message, d.Rule))
	}
	return out
}

func isSchemaRule(id string) bool {
	for _, r := range Rules() {
		if r.ID == id {
			return true
		}
	}
	return false
}

var ruleOfLine = regexp.MustCompile(`\[([a-z0-9-]+)\]$`)

// TestTestdata checks the schema layer against every Nosana testdata file:
// files in ok/ give no schema diagnostic, and for files in err/ the schema
// lines of the golden .out file (which also holds the semantic rules' lines)
// are exactly what Validate reports.
func TestTestdata(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/nosana/*/*.json")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, path := range files {
		kind := filepath.Base(filepath.Dir(path))
		t.Run(kind+"/"+filepath.Base(path), func(t *testing.T) {
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := golden(filepath.Base(path), Validate(jsonast.Parse(text)))
			var want []string
			if kind == "err" {
				out, err := os.ReadFile(strings.TrimSuffix(path, ".json") + ".out")
				if err != nil {
					t.Fatal(err)
				}
				for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
					if m := ruleOfLine.FindStringSubmatch(line); m != nil && isSchemaRule(m[1]) {
						want = append(want, line)
					}
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("schema diagnostics differ\n--- got\n%s\n--- want\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
	for _, r := range Rules() {
		if _, err := os.Stat("../../testdata/nosana/err/" + r.ID + ".out"); err != nil {
			t.Errorf("rule %s has no err testdata: %v", r.ID, err)
		}
		if _, err := os.Stat("../../testdata/nosana/ok/" + r.ID + ".json"); err != nil {
			t.Errorf("rule %s has no ok testdata: %v", r.ID, err)
		}
	}
}

// TestMessages pins the wording and placement of the reference's examples.
func TestMessages(t *testing.T) {
	job := func(op string) string {
		return `{"version": "0.1", "type": "container", "ops": [` + op + `]}`
	}
	tests := []struct {
		name, doc string
		want      []string
	}{
		{"missing image names the field and the op kind",
			job(`{"id": "a", "type": "container/run", "args": {"cmd": "x"}}`),
			[]string{`1:86: error: ops[0].args: missing required field "image" for a container/run op [missing-field]`}},
		{"a single expose object is valid for the schema",
			job(`{"id": "a", "type": "container/run", "args": {"image": "x:1", "expose": {"port": 80}}}`), nil},
		{"IAM without REGION",
			job(`{"id": "a", "type": "container/run", "args": {"image": "x:1", "resources": [{"type": "S3", "url": "s3://b", "target": "/d", "IAM": {"ACCESS_KEY_ID": "k", "SECRET_ACCESS_KEY": "s"}}]}}`),
			[]string{`1:173: error: ops[0].args.resources[0].IAM: missing required field "REGION" for S3 IAM credentials [missing-field]`}},
		{"http health check without continuous",
			job(`{"id": "a", "type": "container/run", "args": {"image": "x:1", "expose": [{"port": 80, "health_checks": [{"type": "http", "path": "/", "method": "GET", "expected_status": 200}]}]}}`),
			[]string{`1:153: error: ops[0].args.expose[0].health_checks[0]: missing required field "continuous" for an http health check [missing-field]`}},
		{"stop_if_dependent_stops without depends_on",
			job(`{"id": "a", "type": "container/run", "args": {"image": "x:1"}, "execution": {"stop_if_dependent_stops": true}}`),
			[]string{`1:126: error: ops[0].execution: "stop_if_dependent_stops" needs "depends_on" to be set as well [missing-field]`}},
		{"version 0.2",
			`{"version": "0.2", "type": "container", "ops": []}`,
			[]string{`1:13: error: version: must be "0.1", found the string "0.2" [invalid-value]`}},
		{"unknown keys with did-you-mean",
			job(`{"id": "a", "type": "container/run", "args": {"image": "x:1", "commmand": "x", "work": "/w", "gpus": true}}`),
			[]string{
				`1:111: error: ops[0].args: unknown key "commmand" in a container/run op; did you mean "cmd"? [unknown-key]`,
				`1:128: error: ops[0].args: unknown key "work" in a container/run op; did you mean "work_dir"? [unknown-key]`,
				`1:142: error: ops[0].args: unknown key "gpus" in a container/run op; did you mean "gpu"? [unknown-key]`,
			}},
		{"a misspelt required field is one fault, one diagnostic",
			job(`{"id": "a", "type": "container/run", "args": {"imgae": "x:1"}}`),
			[]string{`1:95: error: ops[0].args: unknown key "imgae" in a container/run op; did you mean "image"? [unknown-key]`}},
		{"wrong type in the user's terms",
			job(`{"id": "a", "type": "container/run", "args": {"image": "x:1", "gpu": "yes"}}`),
			[]string{`1:118: error: ops[0].args.gpu: expected a boolean (true or false), found the string "yes" [wrong-type]`}},
		{"expose that is nothing it may be",
			job(`{"id": "a", "type": "container/run", "args": {"image": "x:1", "expose": false}}`),
			[]string{`1:121: error: ops[0].args.expose: expected a port number, a list of ports, or a literal "%%…%%", found false [wrong-type]`}},
		{"literals, spread markers and remove markers are valid",
			job(`{"id": "a", "type": "container/run", "args": {"image": "%%global.variables.IMG%%", "cmd": ["a", "__remove-if-empty__"], "expose": [8080, "%%ops.b.results.port%%", {"__spread__": "%%ops.b.results.ports%%", "chunked": true}], "resources": ["__remove-if-empty__", {"__spread__": "%%global.variables.RES%%"}]}}`), nil},
		{"meta is open but one level deep",
			`{"version": "0.1", "type": "container", "ops": [], "meta": {"trigger": "cli", "x": {"a": [1, "b"]}, "y": true, "z": {"a": {"b": 1}}}}`,
			[]string{
				`1:106: error: meta.y: expected a string, a number, a list of strings and numbers, or an object of those, found true [wrong-type]`,
				`1:123: error: meta.z.a: expected a string, a number or a list of strings and numbers, found an object [wrong-type]`,
			}},
		{"the secret of IAM is not echoed",
			job(`{"id": "a", "type": "container/run", "args": {"image": "x:1", "resources": [{"type": "S3", "url": "s3://b", "target": "/d", "IAM": {"REGION": "r", "ACCESS_KEY_ID": "k", "SECRET_ACCESS_KEY": 123456}}]}}`),
			[]string{`1:239: error: ops[0].args.resources[0].IAM.SECRET_ACCESS_KEY: expected a string, found a number [wrong-type]`}},
		{"args that fit the other op kind are left to op-type-args-mismatch",
			job(`{"id": "a", "type": "container/run", "args": {"name": "v"}}, {"id": "b", "type": "container/create-volume", "args": {"image": "x:1"}}`), nil},
		{"logistics needs both directions",
			`{"version": "0.1", "type": "container", "ops": [], "logistics": {"send": {"type": "api", "args": {}}}}`,
			[]string{`1:52: error: logistics: missing required field "receive" for logistics [missing-field]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range golden("", Validate(jsonast.Parse([]byte(tt.doc)))) {
				got = append(got, strings.TrimPrefix(l, ":"))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestEveryPropertyIsDescribed walks the schema: every property needs a
// description and a markdownDescription (on itself or on its $ref target),
// because they feed hover and completion.
func TestEveryPropertyIsDescribed(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(JSON(), &root); err != nil {
		t.Fatal(err)
	}
	defs := root["definitions"].(map[string]any)
	described := func(s map[string]any) bool {
		for i := 0; i < 8; i++ {
			if s["description"] != nil && s["markdownDescription"] != nil {
				return true
			}
			ref, ok := s["$ref"].(string)
			if !ok {
				return false
			}
			s = defs[strings.TrimPrefix(ref, "#/definitions/")].(map[string]any)
		}
		return false
	}
	count := 0
	var walk func(where string, v any)
	walk = func(where string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if props, ok := x["properties"].(map[string]any); ok {
				for k, p := range props {
					pm, ok := p.(map[string]any)
					if !ok {
						continue
					}
					if where == "if" || len(pm) == 0 || pm["x-undocumented"] != nil {
						continue // discriminator conditions and branch re-declarations
					}
					count++
					if !described(pm) {
						t.Errorf("property %s in %s has no description", k, where)
					}
				}
			}
			for k, c := range x {
				if k == "if" {
					walk("if", c)
				} else if where == "if" {
					walk("if", c)
				} else {
					walk(where+"/"+k, c)
				}
			}
		case []any:
			for _, c := range x {
				walk(where, c)
			}
		}
	}
	walk("#", root)
	if count < 80 {
		t.Errorf("only %d properties found", count)
	}
}

var placeholder = regexp.MustCompile(`\$\{\d+:([^}]*)\}|\$\{\d+\|([^,|]*)[^}]*\}|\$\{\d+\}|\$\d+`)

// fillSnippet replaces snippet placeholders by their defaults.
func fillSnippet(body string) string {
	return placeholder.ReplaceAllStringFunc(body, func(m string) string {
		sub := placeholder.FindStringSubmatch(m)
		switch {
		case sub[1] != "":
			return sub[1]
		case sub[2] != "":
			return sub[2]
		}
		return "x"
	})
}

// TestSnippetsValidate fills every snippet with its defaults, puts it where
// it belongs, and requires the job to pass the schema.
func TestSnippetsValidate(t *testing.T) {
	s := Schema()
	doc := jsonast.Parse([]byte(`{"version": "0.1", "type": "container", "ops": [{"id": "a", "type": "container/run", "args": {"image": "x:1", "expose": [{"port": 1, "health_checks": [{}]}], "resources": [{}]}}]}`))
	seg := func(p ...any) []jsonast.Segment {
		var out []jsonast.Segment
		for _, x := range p {
			if k, ok := x.(string); ok {
				out = append(out, jsonast.Segment{Key: k, Index: -1})
			} else {
				out = append(out, jsonast.Segment{Index: x.(int)})
			}
		}
		return out
	}
	places := []struct {
		segs []jsonast.Segment
		wrap func(string) string
		min  int
	}{
		{nil, func(b string) string { return b }, 1},
		{seg("ops", 0), func(b string) string { return `{"version": "0.1", "type": "container", "ops": [` + b + `]}` }, 3},
		{seg("ops", 0, "args", "resources", 0), func(b string) string {
			return `{"version": "0.1", "type": "container", "ops": [{"id": "a", "type": "container/run", "args": {"image": "x:1", "resources": [` + b + `]}}]}`
		}, 4},
		{seg("ops", 0, "args", "expose", 0), func(b string) string {
			return `{"version": "0.1", "type": "container", "ops": [{"id": "a", "type": "container/run", "args": {"image": "x:1", "expose": [` + b + `]}}]}`
		}, 1},
		{seg("ops", 0, "args", "expose", 0, "health_checks", 0), func(b string) string {
			return `{"version": "0.1", "type": "container", "ops": [{"id": "a", "type": "container/run", "args": {"image": "x:1", "expose": [{"port": 1, "health_checks": [` + b + `]}]}}]}`
		}, 2},
	}
	for _, p := range places {
		snippets := s.At(doc, p.segs).Snippets()
		if len(snippets) < p.min {
			t.Errorf("%s: %d snippets, want at least %d", jsonast.FormatPath(p.segs), len(snippets), p.min)
		}
		for _, sn := range snippets {
			text := p.wrap(fillSnippet(sn.Body))
			d := jsonast.Parse([]byte(text))
			if len(d.Syntax) > 0 {
				t.Errorf("snippet %q is not JSON: %s\n%s", sn.Label, d.Syntax[0].Message, text)
				continue
			}
			if ds := Validate(d); len(ds) > 0 {
				t.Errorf("snippet %q: %s", sn.Label, ds[0].Message)
			}
		}
	}
}

// TestNavigator checks what editor intelligence sees at typical places.
func TestNavigator(t *testing.T) {
	s := Schema()
	doc := jsonast.Parse([]byte(`{"version": "0.1", "type": "container", "ops": [
	  {"id": "a", "type": "container/run", "args": {"image": "x", "resources": [{"type": "HF"}], "expose": [{"port": 1, "health_checks": [{"type": "websocket"}]}]}},
	  {"id": "b", "type": "container/create-volume", "args": {}}]}`))
	seg := func(path string) []jsonast.Segment {
		var out []jsonast.Segment
		for _, p := range strings.Split(path, ".") {
			var i int
			if _, err := fmt.Sscanf(p, "%d", &i); err == nil {
				out = append(out, jsonast.Segment{Index: i})
			} else if p != "" {
				out = append(out, jsonast.Segment{Key: p, Index: -1})
			}
		}
		return out
	}
	tests := []struct{ path, subject, someKeys, required string }{
		{"", "a Nosana job", "version type meta global ops logistics deployment_id", "version type ops"},
		{"ops.0.args", "a container/run op", "image cmd entrypoint env gpu work_dir expose private resources volumes aliases restart_policy authentication", "image"},
		{"ops.1.args", "a container/create-volume op", "name", "name"},
		{"ops.0.args.resources.0", "a Hugging Face (HF) resource", "type repo target revision files accessToken", "type target repo"},
		{"ops.0.args.expose.0.health_checks.0", "a websocket health check", "type expected_response continuous", "type expected_response continuous"},
		{"ops.0.execution", "an execution block", "group depends_on stop_if_dependent_stops", ""},
	}
	for _, tt := range tests {
		set := s.At(doc, seg(tt.path))
		keys := strings.Join(set.Keys(), " ")
		if set.Subject() != tt.subject || !strings.Contains(keys, tt.someKeys) || strings.Join(set.Required(), " ") != tt.required {
			t.Errorf("%s: subject %q keys %q required %q", tt.path, set.Subject(), keys, set.Required())
		}
		if tt.path != "" && set.Doc() == "" && tt.path != "ops.0.args" && tt.path != "ops.1.args" {
			t.Errorf("%s: no description", tt.path)
		}
	}
	if d := s.At(doc, seg("ops.0.args.gpu")).Doc(); !strings.Contains(d, "GPU") {
		t.Errorf("hover of args.gpu: %q", d)
	}
	if e := s.At(doc, seg("ops.0.type")).Enum(); len(e) != 2 {
		t.Errorf("enum of op type: %v", e)
	}
}

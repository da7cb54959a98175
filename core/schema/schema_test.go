package schema

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// testSchema exercises the mapping without the Nosana schema: a closed root,
// a discriminated union, a oneOf wrapper with x-expected, ranges and a
// dependency.
const testSchema = `{
  "type": "object",
  "x-subject": "a test job",
  "required": ["name", "items"],
  "additionalProperties": false,
  "properties": {
    "name": {"type": "string", "minLength": 2},
    "count": {"type": "integer", "minimum": 1, "maximum": 10},
    "mode": {"type": "string", "enum": ["fast", "slow"]},
    "version": {"type": "string", "const": "1"},
    "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "maxItems": 3},
    "size": {"oneOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]+[KMG]$"}], "x-expected": "a byte count or a size like \"10M\""},
    "extra": {"type": "object"},
    "secret": {"type": "string", "pattern": "^s-", "x-secret": true},
    "limits": {"type": "object", "additionalProperties": false, "properties": {"cpu": {"type": "number"}, "memory": {"type": "number"}, "swap": {"type": "number"}},
               "dependencies": {"swap": ["memory"]}},
    "items": {"type": "array", "items": {"$ref": "#/definitions/item"}}
  },
  "definitions": {
    "item": {
      "type": "object",
      "x-subject": "an item",
      "required": ["kind"],
      "properties": {"kind": {"type": "string", "enum": ["file", "url"]}},
      "if": {"properties": {"kind": {"const": "file"}}, "required": ["kind"]},
      "then": {"$ref": "#/definitions/file"},
      "else": {"if": {"properties": {"kind": {"const": "url"}}, "required": ["kind"]}, "then": {"$ref": "#/definitions/url"}}
    },
    "file": {"x-subject": "a file item", "required": ["kind", "path"], "additionalProperties": false,
             "properties": {"kind": {}, "path": {"type": "string", "description": "Where the file is."}, "mode": {"type": "integer"}}},
    "url": {"x-subject": "a url item", "required": ["kind", "url"], "additionalProperties": false,
            "properties": {"kind": {}, "url": {"type": "string"}}}
  }
}`

func compileTest(t *testing.T, opts Options) *Schema {
	t.Helper()
	s, err := Compile([]byte(testSchema), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// render prints diagnostics as golden lines: line:col: severity: message [rule].
func render(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%d:%d: %s: %s [%s]\n", d.Range.Start.Line, d.Range.Start.Column, d.Severity, d.Message, d.Rule)
	}
	return b.String()
}

func TestValidate(t *testing.T) {
	s := compileTest(t, Options{Aliases: map[string]Alias{"title": {To: "name"}, "legacy": {Note: "a legacy field; remove it"}}})
	tests := []struct {
		name, doc, want string
	}{
		{"valid", `{"name": "ab", "items": [{"kind": "file", "path": "/x"}, {"kind": "url", "url": "u"}]}`, ""},
		{"missing at root goes on the brace", `{"name": "ab"}`,
			"1:1: error: missing required field \"items\" for a test job [missing-field]\n"},
		{"missing in an array item goes on its brace, subject from the branch", `{"name": "ab", "items": [
  {"kind": "file"}]}`,
			"2:3: error: items[0]: missing required field \"path\" for a file item [missing-field]\n"},
		{"missing in a member goes on its key", `{"name": "ab", "items": [], "limits": {"swap": 1}}`,
			"1:40: error: limits: \"swap\" needs \"memory\" to be set as well [missing-field]\n"},
		{"unknown key with alias and edit distance", `{"title": "ab", "items": [], "itmes": 1, "legacy": 2}`,
			// "name" is missing, but the unknown key already says so: one fault, one diagnostic.
			"1:2: error: unknown key \"title\" in a test job; did you mean \"name\"? [unknown-key]\n" +
				"1:30: error: unknown key \"itmes\" in a test job; did you mean \"items\"? [unknown-key]\n" +
				"1:42: error: unknown key \"legacy\" in a test job (a legacy field; remove it) [unknown-key]\n"},
		{"unknown key in the chosen branch only", `{"name": "ab", "items": [{"kind": "url", "url": "u", "path": "/x"}]}`,
			"1:54: error: items[0]: unknown key \"path\" in a url item [unknown-key]\n"},
		{"wrong type", `{"name": 5, "items": {}}`,
			"1:10: error: name: expected a string, found the number 5 [wrong-type]\n" +
				"1:22: error: items: expected a list […], found an empty object [wrong-type]\n"},
		{"enum with suggestion, const, ranges", `{"name": "a", "items": [{"kind": "fiel"}], "count": 11, "mode": "Fast", "version": "2"}`,
			"1:10: error: name: must be at least 2 characters long, found the string \"a\" [invalid-value]\n" +
				"1:34: error: items[0].kind: expected \"file\" or \"url\", found the string \"fiel\"; did you mean \"file\"? [invalid-value]\n" +
				"1:53: error: count: must be at most 10, found the number 11 [invalid-value]\n" +
				"1:65: error: mode: expected \"fast\" or \"slow\", found the string \"Fast\"; did you mean \"fast\"? [invalid-value]\n" +
				"1:84: error: version: must be \"1\", found the string \"2\" [invalid-value]\n"},
		{"oneOf wrapper alone is rewritten", `{"name": "ab", "items": [], "size": true}`,
			"1:37: error: size: expected a byte count or a size like \"10M\", found true [wrong-type]\n"},
		{"specific errors below a wrapper win", `{"name": "ab", "items": [{"kind": "file", "path": 3}]}`,
			"1:51: error: items[0].path: expected a string, found the number 3 [wrong-type]\n"},
		{"unique items on the repeat, max items", `{"name": "ab", "items": [], "tags": ["a", "b", "a", "c"]}`,
			"1:37: error: tags: may hold at most 3 items [invalid-value]\n" +
				"1:48: error: tags: items must be unique: item 2 repeats item 0 [invalid-value]\n"},
		{"secrets are not echoed", `{"name": "ab", "items": [], "secret": "hunter2"}`,
			"1:39: error: secret: expected a string of the expected form, found a string [invalid-value]\n"},
		{"keys with dots and odd characters", `{"name": "ab", "items": [], "extra": {"a.b": 1}, "a.b": 2}`,
			"1:50: error: unknown key \"a.b\" in a test job [unknown-key]\n"},
		{"invalid items do not shift indices", `{"name": "ab", "items": [@, {"kind": 1}]}`,
			"1:38: error: items[1].kind: expected a string, found the number 1 [wrong-type]\n"},
		{"a key without a value is not missing", `{"name": , "items": []}`, ""},
		{"not an object", `[1]`, "1:1: error: expected an object {…}, found a list [wrong-type]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(s.Validate(jsonast.Parse([]byte(tt.doc))))
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestFixes(t *testing.T) {
	s := compileTest(t, Options{Aliases: map[string]Alias{"title": {To: "name"}}})
	doc := jsonast.Parse([]byte(`{"title": "ab", "items": [], "count": "3", "mode": "fxxt", "tags": "a"}`))
	got := map[string][]diag.Fix{}
	for _, d := range s.Validate(doc) {
		got[d.Path] = d.Fixes
	}
	apply := func(f diag.Fix) string {
		e := f.Edits[0]
		return string(doc.Text[:e.Range.Start.Offset]) + e.NewText + string(doc.Text[e.Range.End.Offset:])
	}
	tests := []struct {
		path, title, result string
		safe                bool
	}{
		{"title", `Rename "title" to "name"`, `{"name": "ab", "items": [], "count": "3", "mode": "fxxt", "tags": "a"}`, true},
		{"title", `Remove "title"`, `{"items": [], "count": "3", "mode": "fxxt", "tags": "a"}`, false},
		{"count", `Change to 3`, `{"title": "ab", "items": [], "count": 3, "mode": "fxxt", "tags": "a"}`, true},
		{"mode", `Change to "fast"`, `{"title": "ab", "items": [], "count": "3", "mode": "fast", "tags": "a"}`, false},
		{"tags", `Put the value in a list`, `{"title": "ab", "items": [], "count": "3", "mode": "fxxt", "tags": ["a"]}`, false},
	}
	for _, tt := range tests {
		found := false
		for _, f := range got[tt.path] {
			if f.Title != tt.title {
				continue
			}
			found = true
			if r := apply(f); r != tt.result || f.Safe != tt.safe {
				t.Errorf("%s: %s gives %s (safe %v), want %s (safe %v)", tt.path, tt.title, r, f.Safe, tt.result, tt.safe)
			}
		}
		if !found {
			t.Errorf("%s: no fix %q among %+v", tt.path, tt.title, got[tt.path])
		}
	}
}

func TestOptionsForNomad(t *testing.T) {
	s := compileTest(t, Options{
		Rules:               RuleIDs{UnknownKey: "nomad-unknown-key", MissingField: "nomad-missing", WrongType: "nomad-type", KeyCase: "nomad-key-case"},
		CaseInsensitiveKeys: true,
		UnknownKeyMessage: func(path, key, suggestion string) string {
			return fmt.Sprintf("%s: Nomad ignores this key %q (suggest %q)", path, key, suggestion)
		},
		UnknownKeySeverity: diag.Warning,
		Subject:            func(*jsonast.Document, *jsonast.Node) string { return "the job" },
	})
	doc := `{"NAME": "ab", "Items": [{"Kind": "url", "URL": 5}], "bogus": 1}`
	want := "1:2: warning: \"NAME\" should be written \"name\" [nomad-key-case]\n" +
		"1:16: warning: \"Items\" should be written \"items\" [nomad-key-case]\n" +
		"1:27: warning: Items[0]: \"Kind\" should be written \"kind\" [nomad-key-case]\n" +
		"1:42: warning: Items[0]: \"URL\" should be written \"url\" [nomad-key-case]\n" +
		"1:49: error: Items[0].URL: expected a string, found the number 5 [nomad-type]\n" +
		"1:54: warning: : Nomad ignores this key \"bogus\" (suggest \"\") [nomad-unknown-key]\n"
	if got := render(s.Validate(jsonast.Parse([]byte(doc)))); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := render(s.Validate(jsonast.Parse([]byte(`{"items": []}`)))); got != "1:1: error: missing required field \"name\" for the job [nomad-missing]\n" {
		t.Errorf("Subject hook not used: %s", got)
	}
}

func TestNavigator(t *testing.T) {
	s := compileTest(t, Options{})
	doc := jsonast.Parse([]byte(`{"name": "ab", "items": [{"kind": "file"}, {"kind": "url"}, {}]}`))
	seg := func(parts ...any) []jsonast.Segment {
		var out []jsonast.Segment
		for _, p := range parts {
			switch p := p.(type) {
			case string:
				out = append(out, jsonast.Segment{Key: p, Index: -1})
			case int:
				out = append(out, jsonast.Segment{Index: p})
			}
		}
		return out
	}
	tests := []struct {
		segs           []jsonast.Segment
		keys, required string
		subject, types string
		closed         bool
		enum           string
	}{
		{seg(), "items name count extra limits mode secret size tags version", "name items", "a test job", "object", true, ""},
		{seg("items", 0), "kind path mode", "kind path", "a file item", "object", true, ""},
		{seg("items", 1), "kind url", "kind url", "a url item", "object", true, ""},
		{seg("items", 2), "kind", "kind", "an item", "object", false, ""},
		{seg("items", 0, "kind"), "", "", "", "string", false, "file url"},
		{seg("items", 7), "kind", "kind", "an item", "object", false, ""},
		{seg("nothing"), "", "", "", "", false, ""},
	}
	for _, tt := range tests {
		set := s.At(doc, tt.segs)
		var enum []string
		for _, e := range set.Enum() {
			enum = append(enum, fmt.Sprint(e))
		}
		got := fmt.Sprintf("%s|%s|%s|%s|%v|%s", strings.Join(set.Keys(), " "), strings.Join(set.Required(), " "), set.Subject(), strings.Join(set.Types(), " "), set.Closed(), strings.Join(enum, " "))
		want := fmt.Sprintf("%s|%s|%s|%s|%v|%s", tt.keys, tt.required, tt.subject, tt.types, tt.closed, tt.enum)
		if got != want {
			t.Errorf("At(%s):\n got %s\nwant %s", jsonast.FormatPath(tt.segs), got, want)
		}
	}
	if d := s.At(doc, seg("items", 0, "path")).Doc(); d != "Where the file is." {
		t.Errorf("Doc() = %q", d)
	}
	size := s.At(doc, seg("size"))
	if len(size) != 3 { // the property and both oneOf candidates (no value to choose by)
		t.Errorf("oneOf candidates at size: got %d nodes", len(size))
	}
}

// TestManyErrors lints a 1 MB job with one fault per op and checks that each
// fault gives exactly one diagnostic, on the right bytes.
func TestManyErrors(t *testing.T) {
	s := mustNosana(t)
	text, faults := genJob(1<<20, true)
	doc := jsonast.Parse(text)
	ds := s.Validate(doc)
	if len(ds) != faults || faults < 1500 {
		t.Fatalf("%d faults gave %d diagnostics", faults, len(ds))
	}
	want := map[string]string{ // rule → the text its range must cover
		"wrong-type":    `"yes"`,
		"unknown-key":   `"command"`,
		"missing-field": `"args"`,
		"invalid-value": `"FETCH"`,
	}
	counts := map[string]int{}
	for _, d := range ds {
		covered := string(text[d.Range.Start.Offset:d.Range.End.Offset])
		if d.Rule == "missing-field" && strings.Contains(d.Message, "continuous") {
			covered = "{" // the health check object's opening brace
			if text[d.Range.Start.Offset] != '{' {
				t.Fatalf("%s placed at %q", d.Message, text[d.Range.Start.Offset:d.Range.End.Offset])
			}
		} else if covered != want[d.Rule] {
			t.Fatalf("%d:%d %s [%s] covers %q, want %q", d.Range.Start.Line, d.Range.Start.Column, d.Message, d.Rule, covered, want[d.Rule])
		}
		counts[d.Rule]++
	}
	if len(counts) != 4 {
		t.Errorf("rules seen: %v", counts)
	}
}

func TestNeverPanics(t *testing.T) {
	s := mustNosana(t)
	inputs := []string{``, `null`, `"x"`, `[`, `{"ops": [`, `{"ops": [{"args": {"expose": [{"health_checks": [{"type": `,
		`{"version": "0.1", "type": "container", "ops": [{"id": "a", "type": "container/run", "args": {"image": "x", "expose": {"__spread__": 1}}}]}`,
		`{"ops": [null, 1, "x", [], {"type": null}]}`, strings.Repeat(`{"a":`, 600)}
	for _, in := range inputs {
		for _, d := range s.Validate(jsonast.Parse([]byte(in))) {
			if d.Rule == "internal" {
				t.Errorf("%q: %s", in, d.Message)
			}
		}
	}
}

// TestConcurrent validates from several goroutines at once (run with -race).
func TestConcurrent(t *testing.T) {
	s := mustNosana(t)
	text, faults := genJob(20<<10, true)
	done := make(chan int)
	for range 4 {
		go func() { done <- len(s.Validate(jsonast.Parse(text))) }()
	}
	for range 4 {
		if n := <-done; n != faults {
			t.Errorf("got %d diagnostics, want %d", n, faults)
		}
	}
}

// TestViolations places the engine's errors on nodes for a value
// canonicalised the way Nomad's pre-pass does it: keys folded to the
// schema's spelling, null items left out of lists.
func TestViolations(t *testing.T) {
	s := compileTest(t, Options{CaseInsensitiveKeys: true, NullItemsLeftOut: true})
	doc := jsonast.Parse([]byte(`{"NAME": 5, "Items": [null, {"kind": "file", "path": 3}]}`))
	value := map[string]any{"name": json.Number("5"), "items": []any{map[string]any{"kind": "file", "path": json.Number("3")}}}
	var got []string
	for _, v := range s.Violations(doc.Root, value) {
		got = append(got, fmt.Sprintf("%s %T", v.Node.Path(), v.Kind))
	}
	slices.Sort(got)
	want := []string{"Items[1].path *kind.Type", "NAME *kind.Type"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

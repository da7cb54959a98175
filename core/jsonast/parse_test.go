package jsonast

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
)

// diagLines renders syntax diagnostics as "line:col-line:col rule: message".
func diagLines(t *testing.T, doc *Document) []string {
	t.Helper()
	var out []string
	for _, d := range doc.Syntax {
		out = append(out, fmt.Sprintf("%d:%d-%d:%d %s: %s", d.Range.Start.Line, d.Range.Start.Column, d.Range.End.Line, d.Range.End.Column, d.Rule, d.Message))
	}
	return out
}

func TestParseSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"valid", `{"a": [1, 2.5e3, -0, true, false, null, "x\u00e9\ud83d\ude00"]}`, nil},
		{"missing comma", "{\n  \"a\": 1\n  \"b\": 2\n}", []string{`3:3-3:4 json-missing-comma: missing comma between entries; add a , after the previous entry`}},
		{"trailing comma object", `{"a": 1,}`, []string{`1:8-1:9 json-trailing-comma: trailing comma before }; JSON does not allow a comma after the last entry`}},
		{"trailing comma array", `{"a": [1, 2, ]}`, []string{`1:12-1:13 json-trailing-comma: trailing comma before ]; JSON does not allow a comma after the last entry`}},
		{"line comment", "{\n  // note\n  \"a\": 1\n}", []string{`2:3-2:10 json-comment: JSON does not allow comments; remove the comment (put notes in a field such as meta.description instead)`}},
		{"block comment", `{"a": /* x */ 1}`, []string{`1:7-1:14 json-comment: JSON does not allow comments; remove the comment (put notes in a field such as meta.description instead)`}},
		{"unquoted key", `{image: "x"}`, []string{`1:2-1:7 json-unquoted-key: key image must be in double quotes`}},
		{"unterminated string", "{\"a\": \"abc\n}", []string{`1:7-1:11 json-unterminated-string: unterminated string: add the closing " before the end of the line`}},
		{"duplicate key", "{\"a\": 1,\n \"a\": 2}", []string{`2:2-2:5 json-duplicate-key: duplicate key "a" (first at line 1); JSON parsers keep only the last one, so the first is silently lost`}},
		{"unclosed object", `{"a": 1`, []string{`1:1-1:2 json-syntax: unclosed object: add the closing }`}},
		{"single quotes", `{"a": 'x'}`, []string{`1:7-1:10 json-syntax: JSON strings use double quotes, not single quotes`}},
		{"python literal", `{"a": True}`, []string{`1:7-1:11 json-syntax: True is not JSON; write true in lower case`}},
		{"leading zero", `{"a": 007}`, []string{`1:7-1:10 json-syntax: invalid number 007: JSON numbers have no leading zeros`}},
		{"missing value", `{"a": }`, []string{`1:2-1:5 json-syntax: key "a" has no value`}},
		{"empty", "  ", []string{`1:3-1:3 json-syntax: the document is empty; a job definition is a JSON object starting with {`}},
		{"trailing text", `{} x`, []string{`1:4-1:5 json-syntax: unexpected text after the end of the JSON document; a file holds exactly one JSON value`}},
		{"emoji columns", `{"😀": 1,}`, []string{`1:8-1:9 json-trailing-comma: trailing comma before }; JSON does not allow a comma after the last entry`}},
		{"mismatched closer", `{"a": [1, 2}`, []string{`1:12-1:13 json-syntax: unexpected }: unclosed list: add ] before this`}},
		{"invalid escape", `{"a": "C:\dir"}`, []string{`1:10-1:12 json-syntax: invalid escape \d in a string; to write a backslash, double it (\\)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := Parse([]byte(tt.text))
			got := diagLines(t, doc)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("diagnostics:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestFixesRepair applies each syntax diagnostic's fix and checks that the
// result is valid JSON.
func TestFixesRepair(t *testing.T) {
	for _, text := range []string{
		"{\n  \"a\": 1\n  \"b\": 2\n}", `{"a": 1,}`, `{"a": [1, 2, ]}`, `{"a": /* x */ 1}`, `{image: "x"}`,
		"{\"a\": \"abc\n}", `{"a": 'x'}`, `{"a": True}`, `{"a": 007}`, `{"a": [1, 2}`, `{"a": 1`, `{"a": +5}`, `{"a": .5}`,
	} {
		doc := Parse([]byte(text))
		fixed := []byte(text)
		// Apply edits from the end so earlier offsets stay valid.
		var edits [][3]any
		for _, d := range doc.Syntax {
			if len(d.Fixes) != 1 {
				t.Fatalf("%q: %s has %d fixes", text, d.Message, len(d.Fixes))
			}
			e := d.Fixes[0].Edits[0]
			edits = append(edits, [3]any{e.Range.Start.Offset, e.Range.End.Offset, e.NewText})
		}
		for i := len(edits) - 1; i >= 0; i-- {
			s, e, nt := edits[i][0].(int), edits[i][1].(int), edits[i][2].(string)
			fixed = append(fixed[:s:s], append([]byte(nt), fixed[e:]...)...)
		}
		if !json.Valid(fixed) {
			t.Errorf("%q fixed to %q, still invalid", text, fixed)
		}
	}
}

// TestParseRecovers checks that linting can continue after an error: the
// values after a broken spot are still in the tree with the right spans.
func TestParseRecovers(t *testing.T) {
	text := "{\n \"ops\": [\n  {\"id\": \"a\" \"type\": \"container/run\"},\n  {\"id\": \"b\",}\n ],\n \"version\": \"0.1\"\n}"
	doc := Parse([]byte(text))
	if got := len(doc.Syntax); got != 2 {
		t.Fatalf("want 2 syntax errors, got %d: %v", got, diagLines(t, doc))
	}
	typ := doc.Root.Get("ops").Item(0).Get("type")
	if s, _ := typ.StringValue(); s != "container/run" {
		t.Fatalf("ops[0].type = %q", s)
	}
	if got := typ.Path(); got != "ops[0].type" {
		t.Errorf("path = %q", got)
	}
	if got := typ.Pointer(); got != "/ops/0/type" {
		t.Errorf("pointer = %q", got)
	}
	if got := string(doc.Text[typ.Start:typ.End]); got != `"container/run"` {
		t.Errorf("span = %q", got)
	}
	if v, _ := doc.Root.Get("version").StringValue(); v != "0.1" {
		t.Errorf("version after errors = %q", v)
	}
}

// TestValueMatchesEncodingJSON checks Value against encoding/json on valid input.
func TestValueMatchesEncodingJSON(t *testing.T) {
	text := `{"a": {"b": [1, "x", null, true, {"c": -1.5e2}]}, "k-ey": "v\n", "a2": []}`
	doc := Parse([]byte(text))
	if len(doc.Syntax) != 0 {
		t.Fatal(diagLines(t, doc))
	}
	got, _ := json.Marshal(doc.Root.Value())
	var v any
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(v)
	if string(got) != string(want) {
		t.Errorf("Value = %s, want %s", got, want)
	}
	if p := doc.Root.Get("k-ey").Path(); p != "k-ey" {
		t.Errorf("path = %q", p)
	}
	if p := doc.Root.Get("a").Get("b").Item(4).Get("c").Path(); p != "a.b[4].c" {
		t.Errorf("path = %q", p)
	}
}

func TestPathQuoting(t *testing.T) {
	doc := Parse([]byte(`{"env": {"MY VAR": "x", "a/b~c": 1}}`))
	if got := doc.Root.Get("env").Get("MY VAR").Path(); got != `env["MY VAR"]` {
		t.Errorf("path = %q", got)
	}
	if got := doc.Root.Get("env").Get("a/b~c").Pointer(); got != "/env/a~1b~0c" {
		t.Errorf("pointer = %q", got)
	}
}

func TestDeepNesting(t *testing.T) {
	deep := func(n int, inner string) string { return strings.Repeat("[", n) + inner + strings.Repeat("]", n) }
	cases := []struct {
		name, text string
		rule       string
		sev        diag.Severity
	}{
		{"valid, deeper than the scanner", deep(MaxDepth+10, "1"), "json-too-deep", diag.Warning},
		{"valid, deeper than encoding/json", deep(100000, ""), "json-too-deep", diag.Warning},
		{"valid, in a free-form member", `{"body": ` + deep(MaxDepth+1, `{"a": "]"}`) + `}`, "json-too-deep", diag.Warning},
		{"valid, deep below a named field", `{"a": {"b": [{"c": {"d": {"e": {"f": {"g": {"h": ` + deep(MaxDepth, "1") + `}}}}}}]}}`, "json-too-deep", diag.Warning},
		{"invalid inside the deep part", deep(MaxDepth+10, "1,"), "json-syntax", diag.Error},
		{"unclosed deep part", strings.Repeat("[", MaxDepth+10), "json-syntax", diag.Error},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := Parse([]byte(tc.text))
			if !doc.TooDeep || len(doc.Syntax) == 0 {
				t.Fatalf("want a nesting diagnostic, got %v", diagLines(t, doc))
			}
			if d := doc.Syntax[0]; d.Rule != tc.rule || d.Severity != tc.sev {
				t.Errorf("got %s %s, want %s %s: %v", d.Severity, d.Rule, tc.sev, tc.rule, diagLines(t, doc))
			}
			if d := doc.Syntax[0]; tc.rule == "json-too-deep" && strings.HasPrefix(d.Message, ":") {
				t.Errorf("message without a place: %q", d.Message)
			}
			if doc.HasSyntaxErrors() != (tc.sev == diag.Error) {
				t.Errorf("HasSyntaxErrors = %v", doc.HasSyntaxErrors())
			}
		})
	}
}

func TestGarbageIsBounded(t *testing.T) {
	garbage := make([]byte, 1<<16)
	for i := range garbage {
		garbage[i] = byte(i*7 + 3)
	}
	doc := Parse(garbage)
	if len(doc.Syntax) == 0 || len(doc.Syntax) > maxSyntaxDiagnostics+1 {
		t.Fatalf("got %d diagnostics", len(doc.Syntax))
	}
}

func TestNodeAt(t *testing.T) {
	text := `{"ops": [{"args": {"image": "ubuntu"}}]}`
	doc := Parse([]byte(text))
	off := strings.Index(text, "ubuntu")
	if n := doc.NodeAt(off); n == nil || n.Path() != "ops[0].args.image" {
		t.Fatalf("NodeAt = %v", n)
	}
}

package intel

import (
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

func TestApplyEdits(t *testing.T) {
	text := []byte("héllo world")
	doc := jsonast.Parse(text)
	e := func(s, end int, nt string) diag.TextEdit { return doc.Edit(s, end, nt) }
	tests := []struct {
		name  string
		edits []diag.TextEdit
		want  string
		err   string
	}{
		{"none", nil, "héllo world", ""},
		{"out of order", []diag.TextEdit{e(7, 12, "there"), e(0, 6, "bye")}, "bye there", ""},
		{"insertions at one place keep their order", []diag.TextEdit{e(0, 0, "a"), e(0, 0, "b")}, "abhéllo world", ""},
		{"adjacent", []diag.TextEdit{e(0, 6, "x"), e(6, 7, "_")}, "x_world", ""},
		{"overlap", []diag.TextEdit{e(0, 7, ""), e(6, 8, "")}, "", "overlaps"},
		{"outside", []diag.TextEdit{e(0, 0, ""), {Range: diag.Range{Start: diag.Position{Offset: 5}, End: diag.Position{Offset: 99}}}}, "", "outside"},
		{"negative", []diag.TextEdit{{Range: diag.Range{Start: diag.Position{Offset: -1}, End: diag.Position{Offset: 0}}}}, "", "outside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ApplyEdits(text, tt.edits)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if string(text) != "héllo world" {
		t.Errorf("ApplyEdits changed its input")
	}
}

func TestFixAllSyntax(t *testing.T) {
	// Scanner fixes: a comment, a trailing comma, single quotes, a missing
	// comma, unquoted key, True.
	in := "{\n  // the job\n  \"version\": '0.1',\n  \"type\": \"container\"\n  ops: [],\n  \"x\": True,\n}"
	fixed, n := FixAll([]byte(in), core.Options{})
	doc := jsonast.Parse(fixed)
	if doc.HasSyntaxErrors() {
		t.Fatalf("still broken after %d fixes:\n%s\n%v", n, fixed, doc.Syntax)
	}
	if n < 6 {
		t.Errorf("applied %d fixes, want at least 6", n)
	}
	again, m := FixAll(fixed, core.Options{})
	if m != 0 || string(again) != string(fixed) {
		t.Errorf("a second FixAll changed the text (%d fixes)", m)
	}
}

func TestFixAllBounded(t *testing.T) {
	// Garbage must not loop: FixAll stops within maxFixRounds.
	in := strings.Repeat("{'a' 1 ,, ", 50)
	FixAll([]byte(in), core.Options{})
}

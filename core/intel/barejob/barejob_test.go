package barejob

import (
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

func run(text string) (*jsonast.Document, int) {
	doc := jsonast.Parse([]byte(text))
	return doc, len(rule.NewContext(doc, rule.Options{}).Run([]*rule.Rule{Rule}))
}

func TestRule(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{`{"ID": "web", "TaskGroups": [{"Name": "g"}]}`, 1},
		{`{"id": "web", "taskgroups": []}`, 1},
		{`{"Job": {"ID": "web", "TaskGroups": []}}`, 0},
		{`{"job": {"web": {"group": {}}}}`, 0},
		{`{"version": "0.1", "ops": [], "TaskGroups": []}`, 0},
		{`{"ID": "web", "TaskGroups": [`, 0}, // unclosed: no fix to offer
		{`{"ID": "web"}`, 0},
		{`[]`, 0},
	}
	for _, tt := range tests {
		if _, n := run(tt.text); n != tt.want {
			t.Errorf("%s: %d diagnostics, want %d", tt.text, n, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	doc := jsonast.Parse([]byte(` {"ID": "web", "TaskGroups": []} `))
	f, ok := Wrap(doc)
	if !ok || f.Safe {
		t.Fatalf("want an unsafe fix, got %+v, %v", f, ok)
	}
	text := []byte(doc.Text)
	out := string(text[:f.Edits[0].Range.Start.Offset]) + f.Edits[0].NewText +
		string(text[f.Edits[0].Range.End.Offset:f.Edits[1].Range.Start.Offset]) + f.Edits[1].NewText +
		string(text[f.Edits[1].Range.End.Offset:])
	if want := ` {"Job": {"ID": "web", "TaskGroups": []}} `; out != want {
		t.Fatalf("got %q, want %q", out, want)
	}
	fixed := jsonast.Parse([]byte(out))
	if fixed.HasSyntaxErrors() {
		t.Fatal("the fix broke the JSON")
	}
	if _, _, form := view.Locate(fixed.Root); form != view.Wrapped {
		t.Errorf("form after the fix = %v, want Wrapped", form)
	}
	if _, n := run(out); n != 0 {
		t.Errorf("still reported after the fix")
	}
}

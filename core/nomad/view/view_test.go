package view

import (
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

func TestLocate(t *testing.T) {
	for _, tc := range []struct {
		text string
		form Form
		id   string
	}{
		{`{"Job": {"ID": "a"}}`, Wrapped, "a"},
		{`{"job": {"id": "b"}}`, Wrapped, "b"},
		{`{"ID": "c", "TaskGroups": []}`, Bare, "c"},
		{`{"job": {"web": {"group": {}}}}`, HCL, ""},
		{`[1]`, None, ""},
		{`{"Job": "x", "ID": "d"}`, Bare, "d"},
	} {
		job, _, form := Locate(jsonast.Parse([]byte(tc.text)).Root)
		if form != tc.form {
			t.Errorf("%s: form %d, want %d", tc.text, form, tc.form)
			continue
		}
		if id, _ := Str(job, "ID"); id != tc.id {
			t.Errorf("%s: ID %q, want %q", tc.text, id, tc.id)
		}
	}
}

func TestMemberLastFoldWins(t *testing.T) {
	root := jsonast.Parse([]byte(`{"Count": 1, "count": 2, "COUNT": null, "Name": "x"}`)).Root
	if m := Member(root, "Count"); m != nil {
		t.Errorf("a trailing null should make Count absent, got %s", m.Key)
	}
	root = jsonast.Parse([]byte(`{"Count": 1, "count": 2}`)).Root
	if v := IntOr(root, "COUNT", 0); v != 2 {
		t.Errorf("IntOr = %d, want the last match 2", v)
	}
	if v := StrOr(root, "Name", "def"); v != "def" {
		t.Errorf("StrOr default = %q", v)
	}
}

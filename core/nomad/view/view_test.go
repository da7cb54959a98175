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

// TestMemberUnicodeFold checks the length shortcut in Member against
// strings.EqualFold: the Kelvin sign (3 bytes) and long s (2 bytes) fold to
// ASCII k and s, so a longer key can match; a shorter one never does.
func TestMemberUnicodeFold(t *testing.T) {
	for _, tc := range []struct {
		text, key string
		want      bool
	}{
		{"{\"\u212Aill\": 1}", "Kill", true},
		{"{\"Ta\u017Fk\": 1}", "Task", true},
		{`{"Nam": 1}`, "Name", false},
		{`{"NAMES": 1}`, "Name", false},
		{`{"nAmE": 1}`, "Name", true},
		{"{\"k\": 1}", "\u212A", true},
	} {
		root := jsonast.Parse([]byte(tc.text)).Root
		if got := Member(root, tc.key) != nil; got != tc.want {
			t.Errorf("%s: Member(%q) found = %v, want %v", tc.text, tc.key, got, tc.want)
		}
	}
}

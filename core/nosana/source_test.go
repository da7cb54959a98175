package nosana

import (
	"fmt"
	"slices"
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

func TestSourceOps(t *testing.T) {
	src := `{"ops": [
		{"id": "a", "type": "container/run", "execution": {"group": "g"}, "args": {}},
		{"id": "b", "type": "container/run", "args": {}, "execution": {"depends_on": ["a", "b", "zz", 3]}},
		{"id": "c", "type": "container/create-volume", "execution": {"group": "g"}, "args": {"name": "v"}},
		{"type": "container/run", "args": {}},
		{"id": "g", "type": "container/runn", "args": {}},
		{"id": "a", "type": "container/run"},
		7]}`
	s := NewSource(jsonast.Parse([]byte(src)))
	var got []string
	for _, o := range s.Ops {
		got = append(got, fmt.Sprintf("%d:%s:%s:%d:%v:%s", o.Index, o.ID, o.Type, o.Order, o.IsRun(), o.GroupLabel()))
	}
	want := []string{
		`0:a:container/run:0:true:"g"`,
		`1:b:container/run:1:true:"b"`,
		`2:c:container/create-volume:0:false:"g"`,
		`3::container/run:2:true:of ops[3]`,
		`4:g:container/runn:0:true:"g"`, // the node groups by group ?? id: op "g" joins group "g"
		`5:a:container/run:3:true:"a"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("ops:\n got %q\nwant %q", got, want)
	}
	if n := len(s.RunOps()); n != 4 {
		t.Errorf("RunOps = %d, want 4 (ops with args that are not create-volume)", n)
	}
	if ids := s.IDs(); !slices.Equal(ids, []string{"a", "b", "c", "g"}) {
		t.Errorf("IDs = %q", ids)
	}
	var deps []string
	for _, d := range s.Dependencies(s.Op("b")) {
		deps = append(deps, d.ID)
	}
	if !slices.Equal(deps, []string{"a"}) {
		t.Errorf("Dependencies(b) = %q, want [a]: not itself, not unknown ids", deps)
	}
	if s.Dependencies(s.Ops[5]) != nil {
		t.Errorf("a second op with a taken id has no dependencies the node reaches")
	}
}

func TestSourceHalfTypedValues(t *testing.T) {
	// An unterminated string holds the rest of the line: nothing is read from it.
	s := NewSource(jsonast.Parse([]byte("{\"ops\": [{\"type\": \"container/run\", \"id\": \"web\n}]}")))
	if len(s.Ops) != 1 || s.Ops[0].IDNode != nil {
		t.Fatalf("an unclosed id was read: %+v", s.Ops)
	}
}

func TestSourceEffectiveValues(t *testing.T) {
	cases := []struct {
		name, global, args string
		gpu                bool
		entrypoint         string // the path of the entrypoint the node uses, "" for the image's
	}{
		{"nothing set", `{}`, `{}`, false, ""},
		{"global gpu", `{"gpu": true}`, `{"gpu": false}`, true, ""},
		{"own entrypoint", `{"entrypoint": ["/bin/bash"]}`, `{"entrypoint": ["/bin/sh"]}`, false, "ops[0].args.entrypoint"},
		{"empty string falls back", `{"entrypoint": ["/bin/bash"]}`, `{"entrypoint": ""}`, false, "global.entrypoint"},
		{"empty array is set", `{"entrypoint": ["/bin/bash"]}`, `{"entrypoint": []}`, false, "ops[0].args.entrypoint"},
		{"empty global", `{"entrypoint": ""}`, `{}`, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSource(jsonast.Parse([]byte(`{"global": ` + tc.global + `, "ops": [{"id": "a", "type": "container/run", "args": ` + tc.args + `}]}`)))
			if s.GlobalGPU() != tc.gpu {
				t.Errorf("GlobalGPU = %v", s.GlobalGPU())
			}
			ep := s.Entrypoint(s.Ops[0])
			got := ""
			if ep != nil {
				got = ep.Path()
			}
			if got != tc.entrypoint {
				t.Errorf("Entrypoint = %q, want %q", got, tc.entrypoint)
			}
		})
	}
}

package interp

import (
	"strings"
	"testing"
)

func TestParseVars(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text", ""},
		{"${attr.kernel.name}", "attr.kernel.name"},
		{"http://${NOMAD_ADDR_http}/x and ${meta.rack}", "NOMAD_ADDR_http meta.rack"},
		{"$${not.a.var} ${node.unique.id}", "node.unique.id"},
		{`${env["my.var"]}`, `env["my.var"]`},
		{`${upper(NOMAD_TASK_NAME)}`, "NOMAD_TASK_NAME"},
		{"${attr.unique.network.ip-address}", "attr.unique.network.ip-address"},
		{"cost $5 ${NOMAD_DC}", "NOMAD_DC"},
	} {
		tpl, err := Parse(tc.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.in, err)
		}
		var names []string
		for _, v := range tpl.Vars() {
			names = append(names, v.Name())
		}
		if got := strings.Join(names, " "); got != tc.want {
			t.Errorf("Parse(%q) vars = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		off  int
		want string
	}{
		{"a ${attr.kernel.name", 2, "unterminated"},
		{"${}", 2, ""},
		{"x ${1abc}", 5, "unexpected"},
	} {
		_, err := Parse(tc.in)
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("Parse(%q) = %v, want *Error", tc.in, err)
		}
		if e.Offset != tc.off || !strings.Contains(e.Msg, tc.want) {
			t.Errorf("Parse(%q) error = %d %q, want offset %d containing %q", tc.in, e.Offset, e.Msg, tc.off, tc.want)
		}
	}
}

func TestInterpPositions(t *testing.T) {
	tpl, err := Parse("ab ${node.class} ${NOMAD_DC}")
	if err != nil {
		t.Fatal(err)
	}
	vs := tpl.Vars()
	if len(vs) != 2 || vs[0].Pos.Offset != 5 || vs[1].Pos.Offset != 19 {
		t.Fatalf("positions = %+v", vs)
	}
}

package intel

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core"
)

// render prints an outline as indented "kind name (detail) [selected text]" lines.
func render(text []byte, syms []Symbol, depth int, b *strings.Builder) {
	for _, s := range syms {
		sel := string(text[s.SelectionRange.Start.Offset:s.SelectionRange.End.Offset])
		fmt.Fprintf(b, "%s%s %s (%s) [%s]\n", strings.Repeat("  ", depth), s.Kind, s.Name, s.Detail, sel)
		if s.Range.Start.Offset > s.SelectionRange.Start.Offset || s.Range.End.Offset < s.SelectionRange.End.Offset {
			fmt.Fprintf(b, "%s! selection outside range\n", strings.Repeat("  ", depth))
		}
		render(text, s.Children, depth+1, b)
	}
}

func TestOutline(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"nosana", `{"version":"0.1","type":"container","ops":[
{"id":"vol","type":"container/create-volume","args":{"name":"data"}},
{"id":"web","type":"container/run","args":{"image":"nginx:1.27","expose":[80,{"port":8080}]}},
{"type":"container/run","args":{"image":"x"}}]}`, `op vol (container/create-volume data) ["vol"]
op web (container/run nginx:1.27) ["web"]
  port port 80 () [80]
  port port 8080 () [{"port":8080}]
op ops[2] (container/run x) [{"type":"container/run","args":{"image":"x"}}]
`},
		{"nosana broken", `{"ops":[{"id":"a","type":"container/run","args":{"image":"x"}},{"id":"b", "ty`, `op a (container/run x) ["a"]
op b () ["b"]
`},
		{"nomad wrapped", `{"Job":{"ID":"web","Type":"batch","TaskGroups":[{"Name":"g","Count":2,"Tasks":[{"Name":"t","Driver":"docker","Config":{"image":"nginx"}},{"Driver":"exec"}]}]}}`,
			`job web (batch) ["web"]
  group g (count 2) ["g"]
    task t (docker nginx) ["t"]
    task Tasks[1] (exec) [{"Driver":"exec"}]
`},
		{"nomad bare, any key case", `{"id":"web","taskgroups":[{"name":"g","tasks":[{"name":"t","driver":"docker"}]}]}`,
			`job web (service) ["web"]
  group g () ["g"]
    task t (docker) ["t"]
`},
		{"unknown", `{"a": 1}`, ``},
		{"empty", ``, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := []byte(tt.text)
			var b strings.Builder
			render(text, Outline(text, core.Options{}), 0, &b)
			if b.String() != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), tt.want)
			}
		})
	}
}

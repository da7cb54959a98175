package jobschema

import (
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/schema"
)

// TestSchemaNavigates checks that the generic schema layer (used by hover and
// completion) compiles the embedded schema and finds field documentation.
func TestSchemaNavigates(t *testing.T) {
	s, err := schema.Compile(SchemaJSON, schema.Options{CaseInsensitiveKeys: true})
	if err != nil {
		t.Fatal(err)
	}
	doc := jsonast.Parse([]byte(`{"ID": "x", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "KillTimeout": 5}]}]}`))
	segs := []jsonast.Segment{{Key: "TaskGroups", Index: -1}, {Index: 0}, {Key: "Tasks", Index: -1}, {Index: 0}, {Key: "KillTimeout", Index: -1}}
	if d := s.At(doc, segs).Doc(); !strings.Contains(d, "nanoseconds") || !strings.Contains(d, "Default: 5000000000") {
		t.Errorf("KillTimeout doc = %q", d)
	}
	props := s.At(doc, segs[:4]).Properties()
	names := map[string]bool{}
	for _, p := range props {
		names[p.Name] = true
	}
	for _, want := range []string{"Driver", "Config", "Resources", "KillTimeout", "LogConfig"} {
		if !names[want] {
			t.Errorf("Task completion lacks %s", want)
		}
	}
	if e := s.At(doc, []jsonast.Segment{{Key: "Type", Index: -1}}).Enum(); len(e) != 4 {
		t.Errorf("Job.Type enum = %v", e)
	}
}

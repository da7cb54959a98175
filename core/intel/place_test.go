package intel

import (
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/schema"
)

func TestPlaceholder(t *testing.T) {
	tests := []struct {
		v    info
		want string
	}{
		{info{Types: []string{"string"}}, `"$1"`},
		{info{Types: []string{"integer"}}, `${1:0}`},
		{info{Types: []string{"integer"}, Duration: true}, `${1:30000000000}`},
		{info{Types: []string{"integer"}, Default: 50.0, HasDefault: true}, `${1:50}`},
		{info{Types: []string{"string"}, Default: "a$b", HasDefault: true}, `"${1:a\$b}"`},
		{info{Types: []string{"boolean"}}, `${1:true}`},
		{info{Types: []string{"boolean"}, Default: true, HasDefault: true}, `${1:false}`},
		{info{Types: []string{"string", "array"}}, `[$1]`},
		{info{Types: []string{"string", "object"}}, `{$1}`},
		{info{Types: []string{"string", "object"}, Examples: []any{"no"}}, `"$1"`},
		{info{Enum: []any{"0.1"}}, `"0.1"`},
		{info{Enum: []any{"a", "b"}}, `"$1"`},
		{info{Snippets: []schema.Snippet{{Body: `{"a": $1}`}}}, `{"a": $1}`},
		{info{}, `$1`},
	}
	for _, tt := range tests {
		if got := placeholder(&tt.v); got != tt.want {
			t.Errorf("placeholder(%+v) = %s, want %s", tt.v, got, tt.want)
		}
	}
}

func TestFromSetEnumDocs(t *testing.T) {
	s, err := schema.Compile([]byte(`{"type": "object", "properties": {
		"mode": {"type": "string", "enum": ["a", "b"], "markdownEnumDescriptions": ["Mode **a**.", ""], "description": "The mode."}}}`), schema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := jsonast.Parse([]byte(`{"mode": "a"}`))
	v := fromSet(s, doc, []jsonast.Segment{{Key: "mode", Index: -1}})
	if v.Doc != "The mode." || v.EnumDocs[`"a"`] != "Mode **a**." || v.EnumDocs[`"b"`] != "" || len(v.Enum) != 2 {
		t.Errorf("got %+v", v)
	}
	root := fromSet(s, doc, nil)
	if len(root.Keys) != 1 || root.Keys[0].Name != "mode" || root.Keys[0].Value != `"$1"` || root.Keys[0].Doc != "The mode." {
		t.Errorf("root keys: %+v", root.Keys)
	}
}

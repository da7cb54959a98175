package intel

import (
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// marked splits a test text at its cursor marker "|".
func marked(t *testing.T, s string) ([]byte, int) {
	t.Helper()
	i := strings.Index(s, "|")
	if i < 0 {
		t.Fatalf("test text %q has no | cursor marker", s)
	}
	return []byte(s[:i] + s[i+1:]), i
}

func TestScanCursor(t *testing.T) {
	tests := []struct {
		name, text string
		place      place
		path       string
		partial    string
		replaced   string // the text the replace range covers
		quoted     bool
		hasColon   bool
		commaB     bool
		commaA     bool
		tmpl       string // the template partial, "-" for none
	}{
		{"unclosed key deep", `{"ops":[{"args":{"im|`, atKey, "ops[0].args", "im", `"im`, true, false, false, false, "-"},
		{"key in closed doc", `{"ops":[{"args":{"im|"}}]}`, atKey, "ops[0].args", "im", `"im"`, true, false, false, false, "-"},
		{"key before colon", `{"global":{"im|age": "x"}}`, atKey, "global", "im", `"image"`, true, true, false, false, "-"},
		{"empty object", `{"ops":[{|}]}`, atKey, "ops[0]", "", "", false, false, false, false, "-"},
		{"after value needs comma", `{"version": "0.1" |}`, atKey, "", "", "", false, false, true, false, "-"},
		{"before a key needs comma", `{|"version": "0.1"}`, atKey, "", "", "", false, false, false, true, "-"},
		{"after comma", `{"version": "0.1", |}`, atKey, "", "", "", false, false, false, false, "-"},
		{"unquoted key", `{"global": {gp|}}`, atKey, "global", "gp", "gp", false, false, false, false, "-"},
		{"value after colon", `{"global": {"gpu": |}}`, atValue, "global.gpu", "", "", false, false, false, false, "-"},
		{"value no space", `{"global": {"gpu":|`, atValue, "global.gpu", "", "", false, false, false, false, "-"},
		{"bare word value", `{"global": {"gpu": tr|}}`, atValue, "global.gpu", "tr", "tr", false, false, false, false, "-"},
		{"string value", `{"ops":[{"type":"container/r|"}]}`, atValue, "ops[0].type", "container/r", `"container/r"`, true, false, false, false, "-"},
		{"unclosed string value", "{\"ops\":[{\"type\":\"cont|\n}]}", atValue, "ops[0].type", "cont", `"cont`, true, false, false, false, "-"},
		{"array item", `{"ops":[{"id":"a"},{"execution":{"depends_on":["|"]}}]}`, atValue, "ops[1].execution.depends_on[0]", "", `""`, true, false, false, false, "-"},
		{"second array item", `{"x":[1, 2, |]}`, atValue, "x[2]", "", "", false, false, false, false, "-"},
		{"array missing comma", `{"x":["a" "b|"]}`, atValue, "x[1]", "b", `"b"`, true, false, true, false, "-"},
		{"closed containers before", `{"a":{"b":[1,{"c":2}]},"d":|}`, atValue, "d", "", "", false, false, false, false, "-"},
		{"literal", `{"ops":[{"args":{"cmd":["%%ops.|"]}}]}`, atValue, "ops[0].args.cmd[0]", "%%ops.", `"%%ops."`, true, false, false, false, "ops."},
		{"literal mid string", `{"ops":[{"args":{"env":{"A":"http://%%ops.a.end|%%/x"}}}]}`, atValue, "ops[0].args.env.A", "http://%%ops.a.end", `"http://%%ops.a.end%%/x"`, true, false, false, false, "ops.a.end"},
		{"closed literal is not open", `{"a":"%%ops.a.host%% |"}`, atValue, "a", "%%ops.a.host%% ", `"%%ops.a.host%% "`, true, false, false, false, "-"},
		{"interpolation", `{"Job":{"TaskGroups":[{"Tasks":[{"Env":{"A":"${NOMAD_|"}}]}]}}`, atValue, "Job.TaskGroups[0].Tasks[0].Env.A", "${NOMAD_", `"${NOMAD_"`, true, false, false, false, "NOMAD_"},
		{"closed interpolation", `{"A":"${a} |"}`, atValue, "A", "${a} ", `"${a} "`, true, false, false, false, "-"},
		{"escaped quote in key", `{"a\"b": {"c|`, atKey, `["a\"b"]`, "c", `"c`, true, false, false, false, "-"},
		{"comment before", "{// note\n\"a\": |}", atValue, "a", "", "", false, false, false, false, "-"},
		{"between key and colon", `{"image" |}`, atNone, "", "", "", false, false, false, false, "-"},
		{"after list item", `{"x":[1 |]}`, atNone, "", "", "", false, false, false, false, "-"},
		{"stray closers", `{"a":]]] {"b": |`, atValue, "a.b", "", "", false, false, false, false, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, off := marked(t, tt.text)
			c := scanCursor(text, off)
			if c.Place != tt.place {
				t.Fatalf("place = %d, want %d (%+v)", c.Place, tt.place, c)
			}
			if tt.place == atNone {
				return
			}
			if got := jsonast.FormatPath(c.Segs); got != tt.path {
				t.Errorf("path = %q, want %q", got, tt.path)
			}
			if c.Partial != tt.partial {
				t.Errorf("partial = %q, want %q", c.Partial, tt.partial)
			}
			if got := string(text[c.Start:c.End]); got != tt.replaced {
				t.Errorf("replaced = %q, want %q", got, tt.replaced)
			}
			if c.Quoted != tt.quoted || c.HasColon != tt.hasColon || c.CommaBefore != tt.commaB || c.CommaAfter != tt.commaA {
				t.Errorf("quoted/colon/commaBefore/commaAfter = %v/%v/%v/%v, want %v/%v/%v/%v",
					c.Quoted, c.HasColon, c.CommaBefore, c.CommaAfter, tt.quoted, tt.hasColon, tt.commaB, tt.commaA)
			}
			switch {
			case tt.tmpl == "-" && c.Tmpl != nil:
				t.Errorf("template = %+v, want none", c.Tmpl)
			case tt.tmpl != "-" && c.Tmpl == nil:
				t.Errorf("no template, want partial %q", tt.tmpl)
			case tt.tmpl != "-" && c.Tmpl.Partial != tt.tmpl:
				t.Errorf("template partial = %q, want %q", c.Tmpl.Partial, tt.tmpl)
			}
		})
	}
}

func TestScanCursorRoot(t *testing.T) {
	for _, s := range []string{"|", "  |  \n", "\n|"} {
		text, off := marked(t, s)
		c := scanCursor(text, off)
		if c.Place != atValue || !c.Root || c.Start != off || c.End != len(text) {
			t.Errorf("%q: got %+v, want a root value place replacing the blank after the cursor", s, c)
		}
	}
	text, off := marked(t, `{"a": 1}|`)
	if c := scanCursor(text, off); c.Place != atNone {
		t.Errorf("after the document: got place %d, want none", c.Place)
	}
}

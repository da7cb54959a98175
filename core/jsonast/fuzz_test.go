package jsonast

import (
	"encoding/json"
	"testing"
)

// FuzzParse checks that any input parses without panicking, that every span
// and every fix lies inside the text, that valid JSON gives no error, and
// that an Arena that parsed the previous inputs gives the same tree.
func FuzzParse(f *testing.F) {
	var arena Arena
	for _, s := range []string{`{}`, `{"a":[1,2,{"b":null}]}`, `{"a":1,}`, `{a:'x'}`, `{"a" "b"}`, "{\"a\": \"x\n}", `[[[[`, `{"ops":[{"id":"x","args":{"im`, "\xef\xbb\xbf{}", `{"a":1e400}`, `// c` + "\n{}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		doc := Parse(text)
		if got, want := dump(arena.Parse(text)), dump(doc); got != want {
			t.Fatalf("the Arena's tree differs from Parse's:\n%s\nwant:\n%s", got, want)
		}
		for _, d := range doc.Syntax {
			if d.Range.Start.Offset < 0 || d.Range.End.Offset > len(text) || d.Range.Start.Offset > d.Range.End.Offset {
				t.Fatalf("range out of text: %+v", d.Range)
			}
			for _, fx := range d.Fixes {
				for _, e := range fx.Edits {
					if e.Range.Start.Offset < 0 || e.Range.End.Offset > len(text) {
						t.Fatalf("edit out of text: %+v", e.Range)
					}
				}
			}
		}
		Walk(doc.Root, func(n *Node) bool {
			if n.Start < 0 || n.End > len(text) || n.Start > n.End {
				t.Fatalf("node span out of text: %d-%d of %d", n.Start, n.End, len(text))
			}
			return true
		})
		if json.Valid(text) && doc.HasSyntaxErrors() {
			// Duplicate keys are valid JSON but still reported.
			for _, d := range doc.Syntax {
				if d.Rule != "json-duplicate-key" {
					t.Fatalf("valid JSON reported as broken: %s", d.Message)
				}
			}
		}
	})
}

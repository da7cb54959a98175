package jsonast

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dump prints every node and member of a document with all its fields, and
// its syntax diagnostics: two dumps are equal when the trees are.
func dump(doc *Document) string {
	var b strings.Builder
	Walk(doc.Root, func(n *Node) bool {
		parent, key := -1, ""
		if n.Parent != nil {
			parent = n.Parent.Start
		}
		if n.Member != nil {
			key = fmt.Sprintf("%q@%d-%d dup=%v", n.Member.Key, n.Member.KeyStart, n.Member.KeyEnd, n.Member.Dup)
		}
		fmt.Fprintf(&b, "%v %d-%d parent=%d member=%s index=%d str=%q num=%q bool=%v closed=%v members=%d items=%d\n",
			n.Kind, n.Start, n.End, parent, key, n.Index, n.Str, n.Num, n.Bool, n.Closed, len(n.Members), len(n.Items))
		for _, m := range n.Members {
			if m.Value == nil {
				fmt.Fprintf(&b, "  member %q without a value\n", m.Key)
			}
		}
		return true
	})
	for _, d := range doc.Syntax {
		fmt.Fprintf(&b, "syntax %s %d-%d %s\n", d.Rule, d.Range.Start.Offset, d.Range.End.Offset, d.Message)
	}
	fmt.Fprintf(&b, "deep=%v trailing=%d\n", doc.TooDeep, doc.TrailingText)
	return b.String()
}

// TestArenaParsesLikeParse parses documents of every size and shape one
// after another into one Arena, big ones before small ones so that reused
// memory still holds an earlier tree, and holds each tree to a one-off Parse.
func TestArenaParsesLikeParse(t *testing.T) {
	var texts [][]byte
	files, _ := filepath.Glob("../*/testdata/*/*.json")
	more, _ := filepath.Glob("../*/*/testdata/*/*.json")
	for _, f := range append(files, more...) {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, text)
	}
	if len(texts) < 50 {
		t.Fatalf("found %d testdata documents, want the golden files of core", len(texts))
	}
	var big strings.Builder
	big.WriteString(`{"ops": [`)
	for i := range 3000 {
		fmt.Fprintf(&big, `{"id": "op%d", "args": {"image": "x", "env": {"A": "1"}, "cmd": ["a", 1, true, null]}},`, i)
	}
	big.WriteString(`{}]}`)
	broken := []string{`{"a": [1, 2`, `{"a" "b"}`, `{a:'x'}`, "{\"a\": \"x\n}", `[[[[`, `{"a":1,}`, ``, `null`}
	var a Arena
	for round := range 2 {
		for i, text := range texts {
			if i%7 == 0 {
				a.Parse([]byte(big.String())) // leave a big tree behind
			}
			if got, want := dump(a.Parse(text)), dump(Parse(text)); got != want {
				t.Fatalf("round %d, document %d: the Arena's tree differs from Parse's:\n%s\nwant:\n%s", round, i, got, want)
			}
		}
		for _, s := range broken {
			if got, want := dump(a.Parse([]byte(s))), dump(Parse([]byte(s))); got != want {
				t.Fatalf("%q: the Arena's tree differs from Parse's:\n%s\nwant:\n%s", s, got, want)
			}
		}
	}
}

// TestArenaGivesBackHugeTrees: after a document too big to keep, the Arena
// holds nothing; after small ones, it keeps their slabs.
func TestArenaGivesBackHugeTrees(t *testing.T) {
	var a Arena
	a.Parse([]byte(`{"a": [1, 2, 3]}`))
	if len(a.nodes.kept) == 0 {
		t.Fatal("the Arena kept no slab of a small document")
	}
	huge := "[" + strings.Repeat("1,", slabSize*(arenaKeepSlabs+1)) + "1]"
	doc := a.Parse([]byte(huge))
	if n := len(doc.Root.Items); n != slabSize*(arenaKeepSlabs+1)+1 {
		t.Fatalf("parsed %d items", n)
	}
	if len(a.nodes.kept) != 0 {
		t.Errorf("the Arena kept %d slabs of a huge document, want none", len(a.nodes.kept))
	}
}

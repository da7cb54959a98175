package intel

import (
	"testing"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
)

// The seed corpora are in testdata/fuzz/<target>/ and the f.Add calls.

var fuzzSeeds = []string{
	``, `{`, `{"ops":[{"args":{"im`, `{"ops":[{"type":"container/run","args":{"cmd":["%%ops.`,
	`{"Job":{"TaskGroups":[{"Tasks":[{"Env":{"A":"${NOMAD_`, `{"Job":{"Periodic":{"Spec":"*/5 * * * *"}}}`,
	`{"a":]]] {"b": `, `{"x": "\u00e9\"", 'y': True, z: [1,,2}`, "{\"a\":\"\xff\xfe\"}", `[[[[[[[[`,
	`{"version":"0.1","type":"container","global":{"gpu":true},"ops":[{"id":"a","type":"container/run","args":{"image":"x","gpu":false,"expose":[80]}}]}`,
}

func FuzzComplete(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, i*7)
	}
	f.Fuzz(func(t *testing.T, s string, off int) {
		text := []byte(s)
		if len(text) > 0 {
			off = ((off % (len(text) + 1)) + len(text) + 1) % (len(text) + 1)
		}
		for _, it := range Complete(text, off, core.Options{}) {
			inText(t, text, it.Edit)
			if _, err := ApplyEdits(text, []diag.TextEdit{it.Edit}); err != nil {
				t.Fatalf("item %q: %v", it.Label, err)
			}
		}
		Complete(text, -5, core.Options{})
		Complete(text, len(text)+5, core.Options{})
	})
}

func FuzzHover(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, i*5)
	}
	f.Fuzz(func(t *testing.T, s string, off int) {
		text := []byte(s)
		for _, o := range []int{off, -1, len(text), len(text) + 1} {
			if h := Hover(text, o, core.Options{}); h != nil {
				inText(t, text, diag.TextEdit{Range: h.Range})
			}
		}
	})
}

func FuzzFormat(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Format([]byte(s))
		if err != nil {
			return
		}
		// Formatted output is valid JSON and formats to itself.
		again, err := Format(out)
		if err != nil {
			t.Fatalf("formatted text does not format: %v\n%s", err, out)
		}
		if string(again) != string(out) {
			t.Fatalf("formatting is not stable:\n%s\n%s", out, again)
		}
	})
}

func FuzzOutline(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text := []byte(s)
		var walk func([]Symbol)
		walk = func(syms []Symbol) {
			for _, sym := range syms {
				inText(t, text, diag.TextEdit{Range: sym.Range})
				inText(t, text, diag.TextEdit{Range: sym.SelectionRange})
				walk(sym.Children)
			}
		}
		walk(Outline(text, core.Options{}))
	})
}

func inText(t *testing.T, text []byte, e diag.TextEdit) {
	t.Helper()
	if s, end := e.Range.Start.Offset, e.Range.End.Offset; s < 0 || end < s || end > len(text) {
		t.Fatalf("range %d-%d outside the text (length %d)", s, end, len(text))
	}
}

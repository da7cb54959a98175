package schema

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// TestQuoteMatchesJSON checks quote's shortcut for plain ASCII against what
// encoding/json writes (HTML escapes undone), for every byte in a few
// positions.
func TestQuoteMatchesJSON(t *testing.T) {
	for c := 0; c < 256; c++ {
		for _, s := range []string{string(rune(c)), "a" + string([]byte{byte(c)}) + "z", string([]byte{byte(c)})} {
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			want := string(b)
			if bytes.Contains(b, []byte(`\u00`)) {
				want = unHTML.Replace(want)
			}
			if got := quote(s); got != want {
				t.Errorf("quote(%q) = %s, want %s", s, got, want)
			}
		}
	}
}

// TestPathsMatchFormatPath checks that the mapper's path builders (whole
// and one step at a time) render exactly what jsonast.FormatPath does.
func TestPathsMatchFormatPath(t *testing.T) {
	keys := []string{"ops", "args", "a.b", "", "x-y", "$ref", "_k", "9lives", "with space", `q"uote`, "ünï", "a/b~c"}
	for _, k1 := range keys {
		for _, k2 := range keys {
			segs := []jsonast.Segment{{Key: k1, Index: -1}, {Index: 3}, {Key: k2, Index: -1}}
			want := jsonast.FormatPath(segs)
			if got := formatPath(segs); got != want {
				t.Errorf("formatPath(%v) = %q, want %q", segs, got, want)
			}
			if got := appendPath(jsonast.FormatPath(segs[:2]), segs[2]); got != want {
				t.Errorf("appendPath(%v) = %q, want %q", segs, got, want)
			}
			if got := appendPath("", segs[0]); got != jsonast.FormatPath(segs[:1]) {
				t.Errorf("appendPath(\"\", %v) = %q, want %q", segs[0], got, jsonast.FormatPath(segs[:1]))
			}
		}
	}
}

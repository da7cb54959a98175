package schema

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// decodeEdgeCases are texts where a scanner and encoding/json could part
// ways: repeated keys, numbers out of range, escapes, invalid UTF-8, lone
// surrogates, what jobkit's scanner tolerates and encoding/json does not
// (comments, trailing commas, text after the value), and broken JSON.
var decodeEdgeCases = []string{
	`{"a": 1, "a": 2}`, `{"a": {"b": 1}, "a": [true]}`,
	`1e400`, `[-1e400]`, `1e-400`, `-0`, `0.1e+2`, `123456789012345678901234567890`,
	`"\u00e9\n\t\"\\\/"`, `"\ud83d\ude00"`, `"\ud800"`, `"\udc00x"`, "\"\xff\xfe\"", "\"a\xc3\"",
	`/* c */ {"a": 1}`, `{"a": 1} // c`, `[1, 2,]`, `{"a": 1,}`, `{"a": 1} {"b": 2}`, `1 2`,
	`{"a": }`, `[1, 2`, `{"a" 1}`, `tru`, `nul`, `"abc`, ``, `   `, "\x00", `{"a": NaN}`,
	`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`, `{"": null, " ": false}`,
}

// checkDecodeLikeEncodingJSON fails when decodeJSON and encoding/json
// disagree on text: one fails and the other does not, or the values differ.
func checkDecodeLikeEncodingJSON(t *testing.T, name string, text []byte) {
	t.Helper()
	got, gerr := decodeJSON(text)
	var want any
	werr := json.Unmarshal(text, &want)
	switch {
	case (gerr == nil) != (werr == nil):
		t.Errorf("%s: decodeJSON error %v, encoding/json error %v", name, gerr, werr)
	case gerr == nil && !reflect.DeepEqual(got, want):
		t.Errorf("%s: decodeJSON gives\n%#v\nencoding/json gives\n%#v", name, got, want)
	}
}

func TestDecodeJSONLikeEncodingJSON(t *testing.T) {
	for _, text := range decodeEdgeCases {
		checkDecodeLikeEncodingJSON(t, "`"+text+"`", []byte(text))
	}
	n := 0
	eachJSONText(t, func(rel string, text []byte, _ bool) {
		checkDecodeLikeEncodingJSON(t, rel, text)
		n++
	})
	if n < 100 {
		t.Errorf("compared only %d documents: the testdata walk found too little", n)
	}
}

// TestShippedSchemasTakeTheScannersPath guards the reason decodeJSON
// exists: were the shipped schemas to fall back to encoding/json (a
// comment, a number out of range), the browser's first lint would pay for
// reflection again.
func TestShippedSchemasTakeTheScannersPath(t *testing.T) {
	for name, path := range schemasUnderTest {
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc := jsonast.Parse(text)
		if doc.Root == nil || len(doc.Syntax) > 0 || doc.TooDeep || doc.TrailingText != 0 {
			t.Fatalf("%s: the scanner has something to say about the schema: %v", name, doc.Syntax)
		}
		if _, ok := doc.Root.ValueWith(float64Number); !ok {
			t.Errorf("%s: a number in the schema does not fit a float64", name)
		}
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, text := range decodeEdgeCases {
		f.Add([]byte(text))
	}
	for _, path := range schemasUnderTest {
		text, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		checkDecodeLikeEncodingJSON(t, "input", text)
	})
}

func TestSnippetsOf(t *testing.T) {
	got, err := snippetsOf([]any{
		map[string]any{"label": "a", "description": "d", "body": "{$1}"},
		map[string]any{"label": "b", "body": "x", "other": 1.0},
	})
	want := []Snippet{{Label: "a", Description: "d", Body: "{$1}"}, {Label: "b", Body: "x"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("snippetsOf = %#v, %v; want %#v", got, err, want)
	}
	for _, bad := range []any{"x", []any{"x"}, []any{map[string]any{"label": 1.0}}} {
		if _, err := snippetsOf(bad); err == nil {
			t.Errorf("snippetsOf(%#v): no error", bad)
		}
	}
}

package bridge

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// tricky strings for a JSON encoder: escapes, HTML characters, the
// separators JavaScript once rejected, invalid UTF-8, surrogates encoded
// in UTF-8 (invalid), a literal U+FFFD, astral characters.
var trickyStrings = []string{
	"", "plain", `quote " and backslash \`, "<script>&amp;</script>", "line\nfeed\rreturn\ttab\bback\fform",
	"\x00\x01\x1f\x7f", "sep\u2028and\u2029", "bad \xff byte", "cut \xe2\x82", "surrogate \xed\xa0\x80 half",
	"real \ufffd replacement", "emoji 🚀 and é", "ops[0].args.image: \"ubuntu\" has no tag",
}

func TestAppendStringLikeEncodingJSON(t *testing.T) {
	all := append([]string{}, trickyStrings...)
	var every strings.Builder
	for c := 0; c < 256; c++ {
		every.WriteByte(byte(c))
	}
	all = append(all, every.String())
	for _, s := range all {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}

// TestAppendJSONLikeEncodingJSON: the lint's answer, encoded by hand, is
// byte for byte what encoding/json writes, for the lint of every JSON file
// of the core's testdata and the examples, and for hand-made results with
// the fields' empty and nil cases.
func TestAppendJSONLikeEncodingJSON(t *testing.T) {
	check := func(name string, res LintResult) {
		t.Helper()
		want, err := json.Marshal(envelope{OK: res})
		if err != nil {
			t.Fatal(err)
		}
		if got := encodeEnvelope(envelope{OK: res}); !bytes.Equal(got, want) {
			t.Errorf("%s: hand-encoded answer differs from encoding/json's:\n got %s\nwant %s", name, got, want)
		}
	}
	files := 0
	for _, root := range []string{"../../core/testdata", "../../examples"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
				return err
			}
			text, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, format := range []string{"", "nosana", "nomad"} {
				res, err := lintMethod(request{params: []byte(`{"format":"` + format + `"}`), text: ptr(string(text))})
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				check(path+" as "+format, res.(LintResult))
			}
			files++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 50 {
		t.Fatalf("only %d JSON files under core/testdata and examples: wrong directory?", files)
	}
	check("nil diagnostics", LintResult{Format: "nosana"})
	check("empty diagnostics", LintResult{Diagnostics: []Diagnostic{}, Counts: [3]int{1, 2, 3}})
	for i, s := range trickyStrings {
		check("tricky "+s, LintResult{Format: s, Detected: s, Diagnostics: []Diagnostic{
			{Span: Span{From: -1, To: 1 << 40}, Line: i, Column: -i, Severity: s, Rule: s, Message: s, Path: s, Pointer: s, DocURL: s},
			{Fixes: []Fix{{Title: s}, {Safe: true, Edits: []Edit{}}, {Edits: []Edit{{Span: Span{1, 2}, Insert: s}, {}}}}},
		}})
	}
}

func ptr[T any](v T) *T { return &v }

// TestDecodeDocParamsLikeEncodingJSON: the lint's parameters read by hand
// give what json.Unmarshal gives, or go to it.
func TestDecodeDocParamsLikeEncodingJSON(t *testing.T) {
	for _, tc := range []struct {
		params string
		fast   bool // read without encoding/json
	}{
		{`{}`, true},
		{`{"format":"nomad"}`, true},
		{` { "text" : "{\"a\":1}\n" , "format" : "" } `, true},
		{`{"format":"no\u006dad\ud83d\ude80"}`, true},
		{`{"Format":"nomad"}`, false}, // encoding/json matches keys in any case
		{`{"format":"a","format":"b"}`, false},
		{`{"format":1}`, false},
		{`{"format":null}`, false},
		{`{"format":"nosana","offset":3}`, false},
		{`{"format":"nosana",}`, false},
		{`{"format":"nosana"} x`, false},
		{`[]`, false},
		{`"nosana"`, false},
		{`{"format":"bad \xff"}`, false},
		{``, false},
	} {
		var want, got DocParams
		wantErr := json.Unmarshal([]byte(tc.params), &want)
		fast := decodeDocParams([]byte(tc.params), &got)
		if fast != tc.fast {
			t.Errorf("%s: read by hand %v, want %v", tc.params, fast, tc.fast)
		}
		if fast && (wantErr != nil || got != want) {
			t.Errorf("%s: read by hand as %+v, encoding/json reads %+v (error %v)", tc.params, got, want, wantErr)
		}
		got = DocParams{}
		gotErr := decodeJSON([]byte(tc.params), &got)
		if (gotErr != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decodeJSON gives %+v, %v; json.Unmarshal %+v, %v", tc.params, got, gotErr, want, wantErr)
		}
	}
}

func FuzzDecodeDocParams(f *testing.F) {
	for _, s := range []string{`{}`, `{"format":"nomad","text":"x"}`, `{"format":"\u00e9"}`, `{"Text":"x"}`, `{"format":[1]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, params []byte) {
		var want, got DocParams
		wantErr := json.Unmarshal(params, &want)
		if decodeDocParams(params, &got) && (wantErr != nil || got != want) {
			t.Errorf("%q: read by hand as %+v, encoding/json reads %+v (error %v)", params, got, want, wantErr)
		}
	})
}

package intel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormatGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/format/*.in.json")
	if len(files) == 0 {
		t.Fatal("no testdata/format/*.in.json")
	}
	for _, in := range files {
		t.Run(filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(in, ".in.json") + ".out.json")
			if err != nil {
				t.Fatal(err)
			}
			got, err := Format(src)
			if err != nil {
				t.Fatalf("Format: %v", err)
			}
			if string(got) != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
			again, err := Format(got)
			if err != nil || string(again) != string(got) {
				t.Errorf("formatting is not stable: %v\n%s", err, again)
			}
			// The meaning is unchanged.
			var a, b any
			if json.Unmarshal(src, &a) != nil || json.Unmarshal(got, &b) != nil {
				t.Fatal("not JSON")
			}
			if ja, jb := mustJSON(t, a), mustJSON(t, b); ja != jb {
				t.Errorf("formatting changed the value:\n%s\n%s", ja, jb)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFormatBroken(t *testing.T) {
	for _, s := range []string{``, `   `, `{"a": 1,}`, `{"a" 1}`, `{"a": [1, 2}`, `{"a": 'x'}`, `{"a": 1} x`, `// c` + "\n{}"} {
		if out, err := Format([]byte(s)); err == nil {
			t.Errorf("Format(%q) = %q, want an error", s, out)
		}
	}
	_, err := Format([]byte("{\n\"a\": 1\n\"b\": 2}"))
	if err == nil || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), "comma") {
		t.Errorf("want the error to say where and what: %v", err)
	}
}

func TestFormatKeepsDuplicatesAndLiterals(t *testing.T) {
	got, err := Format([]byte(`{"a":1,"a":2.50,"s":"\u00e9\n","e":1e3}`))
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"a\": 1,\n  \"a\": 2.50,\n  \"s\": \"\\u00e9\\n\",\n  \"e\": 1e3\n}\n"
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

package bridge

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/intel"
)

// callOK runs a method and decodes its "ok" result into out, failing on an
// error envelope.
func callOK(t *testing.T, method string, params any, out any) {
	t.Helper()
	b, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		OK    json.RawMessage `json:"ok"`
		Error string          `json:"error"`
	}
	raw := Call(method, b)
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatalf("%s returned invalid JSON %s: %v", method, raw, err)
	}
	if env.Error != "" {
		t.Fatalf("%s failed: %s", method, env.Error)
	}
	if out != nil {
		if err := json.Unmarshal(env.OK, out); err != nil {
			t.Fatalf("decode %s result %s: %v", method, env.OK, err)
		}
	}
}

// u16 is the UTF-16 index of byte offset off in s, worked out independently
// of the code under test.
func u16(s string, off int) int { return len(utf16.Encode([]rune(s[:off]))) }

func TestOffsets(t *testing.T) {
	text := "aé🚀b\n🚀"
	o := newOffsets([]byte(text))
	for _, tc := range []struct{ byteOff, want int }{
		{0, 0}, {1, 1}, {3, 2}, {7, 4}, {8, 5}, {9, 6}, {13, 8},
		{2, 1},  // inside é: its start
		{5, 2},  // inside 🚀: its start
		{99, 8}, // past the end: clamped
		{-4, 0}, // before the start: clamped
	} {
		if got := o.toUTF16(tc.byteOff); got != tc.want {
			t.Errorf("toUTF16(%d) = %d, want %d", tc.byteOff, got, tc.want)
		}
	}
	for _, b := range []int{0, 1, 3, 7, 8, 9, 13} {
		if got := o.toByte(o.toUTF16(b)); got != b {
			t.Errorf("toByte(toUTF16(%d)) = %d", b, got)
		}
	}
	ascii := newOffsets([]byte(`{"a": 1}`))
	if !ascii.ascii || ascii.toUTF16(5) != 5 || ascii.toByte(99) != 8 {
		t.Errorf("ASCII fast path broken: %+v", ascii)
	}
}

func TestLintConvertsOffsets(t *testing.T) {
	for _, text := range []string{
		`{"name": "🚀🚀 é", "ops": [}`,
		"{\n  \"a\": \"日本\",\n  \"b\": 1,\n}",
		`{"x": 1,}`,
	} {
		var res LintResult
		callOK(t, "lint", DocParams{Text: text}, &res)
		want := core.Lint([]byte(text), core.Options{})
		if len(res.Diagnostics) != len(want.Diagnostics) {
			t.Fatalf("%q: %d diagnostics, core has %d", text, len(res.Diagnostics), len(want.Diagnostics))
		}
		for i, d := range res.Diagnostics {
			w := want.Diagnostics[i]
			if d.From != u16(text, w.Range.Start.Offset) || d.To != u16(text, w.Range.End.Offset) {
				t.Errorf("%q: %s at [%d,%d), want UTF-16 [%d,%d)", text, d.Rule, d.From, d.To,
					u16(text, w.Range.Start.Offset), u16(text, w.Range.End.Offset))
			}
			if d.Line != w.Range.Start.Line || d.Severity != w.Severity.String() || d.Rule != w.Rule {
				t.Errorf("%q: got %+v, want %+v", text, d, w)
			}
			for _, f := range d.Fixes {
				for _, e := range f.Edits {
					if e.From < 0 || e.To < e.From || e.To > len(utf16.Encode([]rune(text))) {
						t.Errorf("%q: fix %q edit [%d,%d) outside the text", text, f.Title, e.From, e.To)
					}
				}
			}
		}
		e, w2, i := 0, 0, 0
		for _, d := range want.Diagnostics {
			switch d.Severity.String() {
			case "error":
				e++
			case "warning":
				w2++
			default:
				i++
			}
		}
		if res.Counts != [3]int{e, w2, i} {
			t.Errorf("%q: counts %v, want %v", text, res.Counts, [3]int{e, w2, i})
		}
	}
}

func TestFormatOption(t *testing.T) {
	text := `{"Job": {"ID": "x", "TaskGroups": []}}`
	var auto, forced LintResult
	callOK(t, "lint", DocParams{Text: text}, &auto)
	callOK(t, "lint", DocParams{Text: text, Format: "nosana"}, &forced)
	if auto.Detected != "nomad" || auto.Format != "nomad" {
		t.Errorf("auto: format %q detected %q, want nomad", auto.Format, auto.Detected)
	}
	if forced.Format != "nosana" || forced.Detected != "nomad" {
		t.Errorf("forced nosana: format %q detected %q", forced.Format, forced.Detected)
	}
}

func TestFixesAtRange(t *testing.T) {
	text := `{"🚀": 1,}`
	comma := u16(text, strings.LastIndex(text, ","))
	var res FixesResult
	callOK(t, "fixes", RangeParams{DocParams: DocParams{Text: text}, Span: Span{From: comma, To: comma}}, &res)
	if len(res.Fixes) == 0 {
		t.Fatalf("no fixes at the trailing comma (UTF-16 %d)", comma)
	}
	f := res.Fixes[0]
	if f.Rule != "json-trailing-comma" || len(f.Edits) != 1 || f.Edits[0].From != comma || f.Edits[0].To != comma+1 {
		t.Errorf("fix = %+v, want json-trailing-comma removing [%d,%d)", f, comma, comma+1)
	}
	var none FixesResult
	callOK(t, "fixes", RangeParams{DocParams: DocParams{Text: text}, Span: Span{From: 1, To: 2}}, &none)
	for _, f := range none.Fixes {
		if f.Rule == "json-trailing-comma" {
			t.Errorf("fix for the comma offered far from it: %+v", f)
		}
	}
}

func TestFixAllAndFormat(t *testing.T) {
	text := "{\"version\": \"0.1\",\n \"type\": \"container\",}"
	var fixed FixAllResult
	callOK(t, "fixAll", DocParams{Text: text}, &fixed)
	want, n := intel.FixAll([]byte(text), core.Options{})
	if fixed.Text != string(want) || fixed.Applied != n || n == 0 {
		t.Errorf("fixAll = %+v, want %q (%d fixes)", fixed, want, n)
	}
	var formatted FormatResult
	callOK(t, "format", DocParams{Text: `{"a":[1,2],"b":"🚀"}`}, &formatted)
	wantF, err := intel.Format([]byte(`{"a":[1,2],"b":"🚀"}`))
	if err != nil {
		t.Fatal(err)
	}
	if formatted.Text != string(wantF) || !strings.Contains(formatted.Text, "\n") {
		t.Errorf("format = %q, want %q", formatted.Text, wantF)
	}
}

func TestCompleteConvertsOffsets(t *testing.T) {
	text := `{"version": "0.1", "type": "container", "meta": {"🚀": 1}, "ops": [{"id": "a", "type": "container/run", "args": {"im": ""}}]}`
	cursor := strings.Index(text, `"im"`) + 3 // after "im
	var res CompleteResult
	callOK(t, "complete", PositionParams{DocParams: DocParams{Text: text}, Offset: u16(text, cursor)}, &res)
	items := intel.Complete([]byte(text), cursor, core.Options{})
	if len(items) == 0 {
		t.Fatalf("intel offers nothing after \"im: the test needs a case with proposals")
	}
	if len(res.Items) != len(items) {
		t.Fatalf("%d items, intel has %d", len(res.Items), len(items))
	}
	for i, it := range res.Items {
		w := items[i]
		if it.Label != w.Label || it.From != u16(text, w.Edit.Range.Start.Offset) || it.To != u16(text, w.Edit.Range.End.Offset) || it.Insert != w.Edit.NewText {
			t.Errorf("item %d = %+v, want %+v in UTF-16", i, it, w)
		}
	}
}

func TestOutline(t *testing.T) {
	text := `{"version": "0.1", "type": "container", "ops": [{"id": "🚀", "type": "container/run", "args": {"image": "a:1"}}, {"id": "b", "type": "container/run", "args": {"image": "b:1"}}]}`
	var res OutlineResult
	callOK(t, "outline", DocParams{Text: text}, &res)
	want := intel.Outline([]byte(text), core.Options{})
	var walk func(got []Symbol, want []intel.Symbol)
	walk = func(got []Symbol, ws []intel.Symbol) {
		if len(got) != len(ws) {
			t.Fatalf("%d symbols, want %d", len(got), len(ws))
		}
		for i, g := range got {
			w := ws[i]
			if g.Name != w.Name || g.SelFrom != u16(text, w.SelectionRange.Start.Offset) || g.To != u16(text, w.Range.End.Offset) {
				t.Errorf("symbol %+v, want %+v", g, w)
			}
			walk(g.Children, w.Children)
		}
	}
	walk(res.Symbols, want)
}

func TestBadCalls(t *testing.T) {
	for _, tc := range []struct{ method, params, want string }{
		{"nope", `{}`, "unknown method"},
		{"lint", `{"text": 5}`, "bad parameters"},
		{"lint", `{"format": "yaml"}`, "unknown format"},
		{"complete", `[`, "bad parameters"},
	} {
		out := string(Call(tc.method, []byte(tc.params)))
		if !strings.Contains(out, `"error"`) || !strings.Contains(out, tc.want) {
			t.Errorf("Call(%q, %s) = %s, want error with %q", tc.method, tc.params, out, tc.want)
		}
	}
}

func TestVersionListsMethods(t *testing.T) {
	var v VersionInfo
	callOK(t, "version", nil, &v)
	for _, m := range []string{"lint", "fixes", "fixAll", "format", "outline", "complete", "hover", "version"} {
		found := false
		for _, got := range v.Methods {
			found = found || got == m
		}
		if !found {
			t.Errorf("version lists %v, missing %q", v.Methods, m)
		}
	}
	if v.Version != Version || !strings.HasPrefix(v.Go, "go") {
		t.Errorf("version = %+v", v)
	}
}

// FuzzCall: nothing the page sends may panic or produce invalid JSON.
func FuzzCall(f *testing.F) {
	f.Add("lint", `{"text": "{\"a\": [1,}"}`)
	f.Add("complete", `{"text": "{\"🚀\": ", "offset": 7}`)
	f.Add("outline", `{"text": "[[[["}`)
	f.Fuzz(func(t *testing.T, method, params string) {
		out := Call(method, []byte(params))
		if !json.Valid(out) {
			t.Fatalf("Call(%q, %q) = invalid JSON %s", method, params, out)
		}
	})
}

func TestHoverConvertsOffsets(t *testing.T) {
	text := `{"version": "0.1", "type": "container", "meta": {"🚀": 1}, "ops": [{"id": "a", "type": "container/run", "args": {"image": "ubuntu:22.04", "gpu": true}}]}`
	at := strings.Index(text, `"gpu"`) + 2
	want := intel.Hover([]byte(text), at, core.Options{})
	if want == nil {
		t.Fatal("intel has no hover for gpu: the test needs a hoverable key")
	}
	var got HoverResult
	callOK(t, "hover", PositionParams{DocParams: DocParams{Text: text}, Offset: u16(text, at)}, &got)
	if got.Markdown != want.Markdown || got.From != u16(text, want.Range.Start.Offset) || got.To != u16(text, want.Range.End.Offset) {
		t.Errorf("hover = %+v, want %+v in UTF-16", got, want)
	}
	out := string(Call("hover", []byte(`{"text": "{}", "offset": 0}`)))
	if out != `{"ok":null}` && !strings.Contains(out, `"ok"`) {
		t.Errorf("hover on nothing = %s", out)
	}
}

func TestCallTextOverridesParams(t *testing.T) {
	text := `{"a": 1,}`
	viaParams := Call("lint", []byte(`{"text": `+mustMarshal(t, text)+`}`))
	apart := CallText("lint", []byte(`{"text": "ignored"}`), text)
	if string(viaParams) != string(apart) {
		t.Errorf("CallText = %s, want %s", apart, viaParams)
	}
	if !strings.Contains(string(apart), "json-trailing-comma") {
		t.Errorf("CallText did not lint the text: %s", apart)
	}
	pos := CallText("complete", []byte(`{"offset": 2}`), `{"`)
	if !strings.Contains(string(pos), `"ok"`) {
		t.Errorf("complete via CallText = %s", pos)
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPrepare(t *testing.T) {
	for _, tt := range []struct {
		params, want string
		collects     bool // the start-up's garbage is collected
	}{
		{`{"format":"nosana"}`, `{"ok":{}}`, true},
		{`{"format":"nomad"}`, `{"ok":{}}`, true},
		{`{"format":"yaml"}`, `{"error":"unknown format \"yaml\" (want nosana or nomad)"}`, false},
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if got := string(Call("prepare", []byte(tt.params))); got != tt.want {
			t.Errorf("prepare %s = %s, want %s", tt.params, got, tt.want)
		}
		runtime.ReadMemStats(&after)
		if collected := after.NumForcedGC > before.NumForcedGC; collected != tt.collects {
			t.Errorf("prepare %s: garbage collected: %v, want %v", tt.params, collected, tt.collects)
		}
	}
}

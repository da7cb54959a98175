//go:build js && wasm

package main

import (
	"encoding/json"
	"strings"
	"syscall/js"
	"testing"
)

// callJS calls globalThis.jobkit.call the way web/worker.js does, through
// JavaScript values, and decodes the envelope.
func callJS(t *testing.T, method string, params any) map[string]any {
	t.Helper()
	b, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	out := js.Global().Get("jobkit").Call("call", method, string(b))
	if out.Type() != js.TypeString {
		t.Fatalf("call(%q) returned a %s, want a string", method, out.Type())
	}
	var env map[string]any
	if err := json.Unmarshal([]byte(out.String()), &env); err != nil {
		t.Fatalf("call(%q) returned invalid JSON %q: %v", method, out.String(), err)
	}
	return env
}

func TestMain(m *testing.M) {
	js.Global().Set("jobkit", api())
	m.Run()
}

func TestVersionIsPublished(t *testing.T) {
	v := js.Global().Get("jobkit").Get("version")
	if v.Type() != js.TypeString || v.String() == "" {
		t.Fatalf("jobkit.version = %v, want a non-empty string", v)
	}
	env := callJS(t, "version", nil)
	ok, _ := env["ok"].(map[string]any)
	if ok == nil || ok["version"] != v.String() {
		t.Fatalf("version method = %v, want version %q", env, v.String())
	}
	if ms, _ := ok["methods"].([]any); len(ms) < 2 {
		t.Fatalf("version method lists methods %v, want lint among them", ok["methods"])
	}
}

// TestLintUTF16 checks the offset conversion through real JS strings: an
// emoji (two UTF-16 units, four UTF-8 bytes) before a syntax error must not
// shift the diagnostic.
func TestLintUTF16(t *testing.T) {
	text := `{"name": "🚀🚀", "ops": [}`
	env := callJS(t, "lint", map[string]any{"text": text})
	res, _ := env["ok"].(map[string]any)
	if res == nil {
		t.Fatalf("lint failed: %v", env)
	}
	ds, _ := res["diagnostics"].([]any)
	if len(ds) == 0 {
		t.Fatalf("no diagnostics for broken JSON %q", text)
	}
	// The position the page will use is a JS string index: ask JS for it.
	proto := js.Global().Get("String").Get("prototype")
	want := proto.Get("indexOf").Call("call", text, "}").Int()
	jsLen := js.Global().Get("Object").Invoke(text).Get("length").Int()
	if want == strings.Index(text, "}") {
		t.Fatalf("test text has no multi-unit character before the error")
	}
	found := false
	for _, d := range ds {
		from := int(d.(map[string]any)["from"].(float64))
		if from == want {
			found = true
		}
		if from > jsLen {
			t.Errorf("diagnostic from=%d is past the end of the JS string (%d units)", from, jsLen)
		}
	}
	if !found {
		t.Errorf("no diagnostic starts at JS index %d (the stray '}'): %v", want, ds)
	}
}

func TestBadCallsAreErrors(t *testing.T) {
	for _, tc := range []struct {
		method string
		params string
		want   string
	}{
		{"nope", "{}", "unknown method"},
		{"lint", "{not json", "bad parameters"},
		{"lint", `{"text":"{}","format":"yaml"}`, "unknown format"},
	} {
		out := js.Global().Get("jobkit").Call("call", tc.method, tc.params).String()
		if !strings.Contains(out, `"error"`) || !strings.Contains(out, tc.want) {
			t.Errorf("call(%q, %q) = %s, want an error containing %q", tc.method, tc.params, out, tc.want)
		}
	}
	// No arguments at all must not throw in JS either.
	out := js.Global().Get("jobkit").Call("call").String()
	if !strings.Contains(out, "unknown method") {
		t.Errorf("call() = %s, want an unknown-method error", out)
	}
}

// TestTextArgument: the worker passes the document as a third argument; an
// emoji in it must not shift positions either.
func TestTextArgument(t *testing.T) {
	text := `{"🚀": 1,}`
	out := js.Global().Get("jobkit").Call("call", "lint", `{"format": "auto"}`, text).String()
	var env struct {
		OK struct {
			Diagnostics []struct {
				From int    `json:"from"`
				Rule string `json:"rule"`
			} `json:"diagnostics"`
		} `json:"ok"`
	}
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		t.Fatal(err)
	}
	proto := js.Global().Get("String").Get("prototype")
	comma := proto.Get("lastIndexOf").Call("call", text, ",").Int()
	found := false
	for _, d := range env.OK.Diagnostics {
		found = found || d.Rule == "json-trailing-comma" && d.From == comma
	}
	if !found {
		t.Errorf("no json-trailing-comma at JS index %d: %s", comma, out)
	}
}

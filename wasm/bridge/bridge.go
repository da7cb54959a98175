// Package bridge is the JSON boundary between the browser editor and jobkit's
// core. Every call takes a method name and a JSON object and returns a JSON
// envelope, {"ok": result} or {"error": "message"}, so the syscall/js glue in
// package wasm stays a few lines and everything here is tested with plain
// `go test`.
//
// Positions cross the boundary as UTF-16 code-unit offsets (what CodeMirror
// and JavaScript strings use); the core works in UTF-8 byte offsets. The
// conversion happens here and only here.
package bridge

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sort"

	"github.com/jobkit-dev/jobkit/internal/version"
)

// Version is jobkit's version: the one stamped into internal/version at
// link time (web/build.sh passes the Makefile's VERSION).
var Version = version.Version

// handler runs one method.
type handler func(r request) (any, error)

// request is one call: JSON parameters, and optionally the document text
// passed on its own so that a large text is not JSON-decoded in Go (it
// overrides params.text).
type request struct {
	params []byte
	text   *string
}

// methods is every method the bridge answers. Files that add features
// register theirs in init.
var methods = map[string]handler{}

func init() {
	methods["version"] = func(request) (any, error) { return versionInfo(), nil }
}

// VersionInfo tells the page what it is talking to.
type VersionInfo struct {
	Version string   `json:"version"`
	Go      string   `json:"go"`
	Methods []string `json:"methods"`
}

func versionInfo() VersionInfo {
	names := make([]string, 0, len(methods))
	for name := range methods {
		names = append(names, name)
	}
	sort.Strings(names)
	return VersionInfo{Version: Version, Go: runtime.Version(), Methods: names}
}

type envelope struct {
	OK    any    `json:"ok,omitempty"`
	Error string `json:"error,omitempty"`
}

// Call runs method with JSON params and returns the JSON envelope. It never
// panics: a failure of any kind comes back as {"error": …}.
func Call(method string, params []byte) []byte {
	return call(method, request{params: params})
}

// CallText is Call with the document text given apart from params, as the
// worker sends it.
func CallText(method string, params []byte, text string) []byte {
	return call(method, request{params: params, text: &text})
}

func call(method string, req request) (out []byte) {
	defer func() {
		if p := recover(); p != nil {
			out = encodeEnvelope(envelope{Error: fmt.Sprintf("internal error in %s: %v (please report this)", method, p)})
		}
	}()
	h, ok := methods[method]
	if !ok {
		return encodeEnvelope(envelope{Error: fmt.Sprintf("unknown method %q", method)})
	}
	res, err := h(req)
	if err != nil {
		return encodeEnvelope(envelope{Error: err.Error()})
	}
	if res == nil {
		return []byte(`{"ok":null}`)
	}
	return encodeEnvelope(envelope{OK: res})
}

func encodeEnvelope(e envelope) []byte {
	if a, ok := e.OK.(jsonAppender); ok {
		return append(a.appendJSON([]byte(`{"ok":`)), '}')
	}
	b, err := json.Marshal(e)
	if err != nil {
		b, _ = json.Marshal(envelope{Error: "cannot encode result: " + err.Error()})
	}
	return b
}

// decode reads the request's parameters into v.
func decode(r request, v any) error {
	if len(r.params) > 0 {
		if err := decodeJSON(r.params, v); err != nil {
			return fmt.Errorf("bad parameters: %w", err)
		}
	}
	if ts, ok := v.(interface{ setText(string) }); ok && r.text != nil {
		ts.setText(*r.text)
	}
	return nil
}

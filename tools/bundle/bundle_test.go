package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestLoadExamples(t *testing.T) {
	root := t.TempDir()
	write := func(rel, body string) {
		t.Helper()
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("web/welcome.json", `{"welcome": true}`)
	write("examples/nomad-redis.json", `{"Job": {}}`)
	write("examples/a_first.json", `{"a": "</script>"}`)
	write("examples/notes.txt", `not an example`)
	got, err := loadExamples(root)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range got {
		names = append(names, e.Name+"="+e.File)
	}
	want := "Welcome: a Jupyter job=job.json|a first=a_first.json|nomad redis=nomad-redis.json"
	if strings.Join(names, "|") != want {
		t.Errorf("examples = %q, want %q", strings.Join(names, "|"), want)
	}
	js, err := examplesModule(got)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(js, "export default [") || strings.Contains(js, "</script>") {
		t.Errorf("module = %q: want an ES module with HTML-safe JSON", js)
	}
	if _, err := loadExamples(t.TempDir()); err == nil {
		t.Error("no error without web/welcome.json")
	}
}

func TestPrecompress(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("function jobkit() { return 42; }\n"), 200)
	os.WriteFile(filepath.Join(dir, "app.js"), big, 0o644)
	os.WriteFile(filepath.Join(dir, "tiny.css"), []byte("a{}"), 0o644)
	os.WriteFile(filepath.Join(dir, "photo.png"), big, 0o644)
	lines, err := precompress(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 {
		t.Errorf("size lines %q, want app.js and tiny.css", lines)
	}
	gz, err := os.ReadFile(filepath.Join(dir, "app.js.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); !bytes.Equal(b, big) {
		t.Error("app.js.gz does not inflate to app.js")
	}
	br, err := os.ReadFile(filepath.Join(dir, "app.js.br"))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); !bytes.Equal(b, big) {
		t.Error("app.js.br does not decode to app.js")
	}
	// Only the copies stay (the binary embeds no raw text file); a .gz is
	// always there to inflate, a .br only when it beats the .gz.
	for f, want := range map[string]bool{
		"app.js": false, "tiny.css": false, "tiny.css.gz": true,
		"photo.png": true, "photo.png.gz": false,
	} {
		if _, err := os.Stat(filepath.Join(dir, f)); (err == nil) != want {
			t.Errorf("%s exists = %v, want %v", f, err == nil, want)
		}
	}
}

func TestCleanKeepsReadme(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("keep"), 0o644)
	os.WriteFile(filepath.Join(dir, "old.js"), []byte("x"), 0o644)
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	if err := clean(dir); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "README.md" {
		t.Errorf("after clean: %v", entries)
	}
}

func TestWasmExecJS(t *testing.T) {
	root := t.TempDir()
	if _, err := wasmExecJS(root); err == nil {
		t.Error("no error for a GOROOT without wasm_exec.js")
	}
	os.MkdirAll(filepath.Join(root, "misc", "wasm"), 0o755)
	os.WriteFile(filepath.Join(root, "misc", "wasm", "wasm_exec.js"), nil, 0o644)
	if p, err := wasmExecJS(root); err != nil || !strings.HasSuffix(p, "misc/wasm/wasm_exec.js") {
		t.Errorf("old layout: %q, %v", p, err)
	}
	os.MkdirAll(filepath.Join(root, "lib", "wasm"), 0o755)
	os.WriteFile(filepath.Join(root, "lib", "wasm", "wasm_exec.js"), nil, 0o644)
	if p, err := wasmExecJS(root); err != nil || !strings.HasSuffix(p, "lib/wasm/wasm_exec.js") {
		t.Errorf("Go 1.24+ layout: %q, %v", p, err)
	}
}

// TestHashedName: the core's name changes with its content (a new build
// is never served from an old immutable cache entry) and has the form
// internal/webui serves as immutable (base.<16 hex digits>.ext).
func TestHashedName(t *testing.T) {
	a := hashedName("jobkit", ".wasm", []byte("\x00asm one"))
	b := hashedName("jobkit", ".wasm", []byte("\x00asm two"))
	if a == b {
		t.Errorf("two cores share the name %s", a)
	}
	if again := hashedName("jobkit", ".wasm", []byte("\x00asm one")); again != a {
		t.Errorf("the same core named %s, then %s", a, again)
	}
	hash, ok := strings.CutPrefix(strings.TrimSuffix(a, ".wasm"), "jobkit.")
	if !ok || len(hash) != 16 || strings.Trim(hash, "0123456789abcdef") != "" {
		t.Errorf("name %s, want jobkit.<16 lower-case hex digits>.wasm", a)
	}
}

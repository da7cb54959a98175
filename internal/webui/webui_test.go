package webui

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var site = fstest.MapFS{
	"index.html":     {Data: []byte("<!doctype html><title>jobkit</title>")},
	"app.js":         {Data: []byte("console.log(1)")},
	"app.js.br":      {Data: []byte("BR")},
	"app.js.gz":      {Data: []byte("GZ")},
	"jobkit.wasm":    {Data: []byte("\x00asm\x01\x00\x00\x00")},
	"jobkit.wasm.gz": {Data: []byte("GZWASM")},
	"style.css":      {Data: []byte("body{}")},
}

func get(t *testing.T, h http.Handler, method, path string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandler(t *testing.T) {
	h := NewHandler(site)
	for _, tc := range []struct {
		name, method, path, accept string
		status                     int
		ctype, encoding, body      string
	}{
		{"index", "GET", "/", "", 200, "text/html; charset=utf-8", "", "<!doctype html><title>jobkit</title>"},
		{"index by name", "GET", "/index.html", "", 200, "text/html; charset=utf-8", "", "<!doctype html><title>jobkit</title>"},
		{"wasm mime", "GET", "/jobkit.wasm", "", 200, "application/wasm", "", "\x00asm\x01\x00\x00\x00"},
		{"wasm gzip", "GET", "/jobkit.wasm", "gzip, deflate, br", 200, "application/wasm", "gzip", "GZWASM"},
		{"js prefers br", "GET", "/app.js", "gzip, deflate, br, zstd", 200, "text/javascript; charset=utf-8", "br", "BR"},
		{"br refused", "GET", "/app.js", "br;q=0, gzip", 200, "text/javascript; charset=utf-8", "gzip", "GZ"},
		{"identity", "GET", "/app.js", "identity", 200, "text/javascript; charset=utf-8", "", "console.log(1)"},
		{"css", "GET", "/style.css", "", 200, "text/css; charset=utf-8", "", "body{}"},
		{"compressed copy is not a resource", "GET", "/app.js.br", "", 404, "", "", ""},
		{"missing", "GET", "/nope.js", "", 404, "", "", ""},
		{"escape attempt", "GET", "/../../etc/passwd", "", 404, "", "", ""},
		{"head", "HEAD", "/app.js", "", 200, "text/javascript; charset=utf-8", "", ""},
		{"post", "POST", "/", "", 405, "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(t, h, tc.method, tc.path, map[string]string{"Accept-Encoding": tc.accept})
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if tc.status != 200 {
				return
			}
			if got := rec.Header().Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type %q, want %q", got, tc.ctype)
			}
			if got := rec.Header().Get("Content-Encoding"); got != tc.encoding {
				t.Errorf("Content-Encoding %q, want %q", got, tc.encoding)
			}
			if got := rec.Body.String(); got != tc.body {
				t.Errorf("body %q, want %q", got, tc.body)
			}
			if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("no Vary: Accept-Encoding")
			}
			if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "'wasm-unsafe-eval'") {
				t.Errorf("CSP %q: want same-origin only, with wasm allowed", csp)
			}
		})
	}
}

func TestETagRevalidation(t *testing.T) {
	h := NewHandler(site)
	first := get(t, h, "GET", "/app.js", map[string]string{"Accept-Encoding": "br"})
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	again := get(t, h, "GET", "/app.js", map[string]string{"Accept-Encoding": "br", "If-None-Match": etag})
	if again.Code != http.StatusNotModified {
		t.Errorf("revalidation status %d, want 304", again.Code)
	}
	plain := get(t, h, "GET", "/app.js", map[string]string{"If-None-Match": etag})
	if plain.Code != 200 || plain.Header().Get("ETag") == etag {
		t.Errorf("the identity representation shares the br ETag (%d, %s)", plain.Code, plain.Header().Get("ETag"))
	}
}

func TestNotBuilt(t *testing.T) {
	h := NewHandler(fstest.MapFS{"README.md": {Data: []byte("placeholder")}})
	rec := get(t, h, "GET", "/", nil)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "make build") {
		t.Errorf("unbuilt editor: %d %q, want 503 telling to run make build", rec.Code, rec.Body.String())
	}
}

// TestEmbedded checks the real embedded directory: either the built editor
// with its wasm served as application/wasm, or the placeholder.
func TestEmbedded(t *testing.T) {
	h := Handler()
	rec := get(t, h, "GET", "/", nil)
	if !Built() {
		if rec.Code != http.StatusServiceUnavailable {
			t.Errorf("placeholder build answers %d", rec.Code)
		}
		return
	}
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `src="app.js"`) {
		t.Fatalf("index: %d %.80q", rec.Code, rec.Body.String())
	}
	// The core is there once, under its content-hashed name, and the
	// worker asks for that name.
	cores, err := fs.Glob(embedded, "dist/jobkit.*.wasm.gz")
	if err != nil || len(cores) != 1 {
		t.Fatalf("want one dist/jobkit.<hash>.wasm.gz, have %q (%v)", cores, err)
	}
	core := "/" + strings.TrimSuffix(path.Base(cores[0]), ".gz")
	if !contentHashed(core) {
		t.Errorf("the core's name %s is not content-hashed", core)
	}
	for _, f := range []string{"/app.js", "/worker.js", "/boot.js", "/style.css", core} {
		r := get(t, h, "HEAD", f, map[string]string{"Accept-Encoding": "br"})
		if r.Code != 200 {
			t.Errorf("%s: %d", f, r.Code)
		}
	}
	wasm := get(t, h, "GET", core, map[string]string{"Accept-Encoding": "br"})
	if wasm.Header().Get("Content-Type") != "application/wasm" || wasm.Header().Get("Content-Encoding") != "br" ||
		!strings.Contains(wasm.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("%s: %v, want brotli application/wasm, immutable", core, wasm.Header())
	}
	// The worker loads that name and carries the Go class of wasm_exec.js.
	worker := get(t, h, "GET", "/worker.js", nil).Body.String()
	if !strings.Contains(worker, strings.TrimPrefix(core, "/")) || !strings.Contains(worker, "importObject") {
		t.Errorf("worker.js does not load %s or lacks wasm_exec.js", core)
	}
}

// TestCacheControl: content-hashed files are cached for good without
// revalidation; everything else (the page, its scripts, which name the
// hashed files) is revalidated on every load.
func TestCacheControl(t *testing.T) {
	h := NewHandler(fstest.MapFS{
		"index.html":                   {Data: []byte("<!doctype html>")},
		"worker.js":                    {Data: []byte("importScripts()")},
		"jobkit.0123456789abcdef.wasm": {Data: []byte("\x00asm")},
		"jobkit.0123456789ABCDEF.wasm": {Data: []byte("\x00asm")},
		"jobkit.0123456789abcde.wasm":  {Data: []byte("\x00asm")},
		"jobkit.wasm":                  {Data: []byte("\x00asm")},
		"0123456789abcdef.wasm":        {Data: []byte("\x00asm")},
		"lib/app.fedcba9876543210.js":  {Data: []byte("1")},
	})
	const immutable = "public, max-age=31536000, immutable"
	for name, want := range map[string]string{
		"/":                             "no-cache",
		"/index.html":                   "no-cache",
		"/worker.js":                    "no-cache",
		"/jobkit.0123456789abcdef.wasm": immutable,
		"/jobkit.0123456789ABCDEF.wasm": "no-cache", // tools/bundle writes lower case only
		"/jobkit.0123456789abcde.wasm":  "no-cache", // 15 digits
		"/jobkit.wasm":                  "no-cache",
		"/0123456789abcdef.wasm":        "no-cache", // a hash with no name before it
		"/lib/app.fedcba9876543210.js":  immutable,
	} {
		rec := get(t, h, "GET", name, nil)
		if rec.Code != 200 {
			t.Errorf("%s: status %d", name, rec.Code)
			continue
		}
		if got := rec.Header().Get("Cache-Control"); got != want {
			t.Errorf("%s: Cache-Control %q, want %q", name, got, want)
		}
	}
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, "127.0.0.1:0", pw); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimPrefix(strings.TrimSpace(line), "jobkit editor: ")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("printed %q, want the URL", line)
	}
	go io.Copy(io.Discard, pr)
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := map[bool]int{true: 200, false: 503}[Built()]; resp.StatusCode != want {
		t.Errorf("GET %s: %d, want %d", url, resp.StatusCode, want)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve returned %v after cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if err := Serve(context.Background(), "bad address", io.Discard); err == nil || !strings.Contains(err.Error(), "bad address") {
		t.Errorf("Serve(bad address) = %v", err)
	}
}

func TestAccepts(t *testing.T) {
	for _, tc := range []struct {
		header, token string
		want          bool
	}{
		{"gzip, br", "br", true},
		{"GZIP", "gzip", true},
		{"br;q=0", "br", false},
		{"br; q=0.0, gzip", "br", false},
		{"br;q=0.5", "br", true},
		{"", "gzip", false},
		{"xbr", "br", false},
	} {
		if got := accepts(tc.header, tc.token); got != tc.want {
			t.Errorf("accepts(%q, %q) = %v", tc.header, tc.token, got)
		}
	}
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCompressedOnly serves a dist/ that holds only .gz and .br copies, as
// the bundle writes it: the encoded copy when the client accepts it, and the
// exact original bytes, inflated from .gz, when it accepts neither.
func TestCompressedOnly(t *testing.T) {
	wasm := bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00 jobkit "), 500)
	page := []byte("<!doctype html><title>jobkit</title>")
	fsys := fstest.MapFS{
		"index.html.gz":  {Data: gzipped(t, page)},
		"jobkit.wasm.gz": {Data: gzipped(t, wasm)},
		"jobkit.wasm.br": {Data: []byte("BROTLI")},
		"broken.js.gz":   {Data: []byte("not gzip")},
	}
	h := NewHandler(fsys)
	for _, tc := range []struct {
		name, path, accept string
		status             int
		encoding           string
		body               []byte
	}{
		{"no Accept-Encoding: exact bytes", "/jobkit.wasm", "", 200, "", wasm},
		{"identity only", "/jobkit.wasm", "identity, br;q=0", 200, "", wasm},
		{"index inflated", "/", "", 200, "", page},
		{"br", "/jobkit.wasm", "gzip, br", 200, "br", []byte("BROTLI")},
		{"gzip", "/jobkit.wasm", "gzip", 200, "gzip", fsys["jobkit.wasm.gz"].Data},
		{"gzip asked, only gzip there", "/", "br, gzip", 200, "gzip", fsys["index.html.gz"].Data},
		{"corrupt copy is a server error", "/broken.js", "", 500, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(t, h, "GET", tc.path, map[string]string{"Accept-Encoding": tc.accept})
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if tc.status != 200 {
				return
			}
			if got := rec.Header().Get("Content-Encoding"); got != tc.encoding {
				t.Errorf("Content-Encoding %q, want %q", got, tc.encoding)
			}
			if got := rec.Header().Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary %q", got)
			}
			if !bytes.Equal(rec.Body.Bytes(), tc.body) {
				t.Errorf("body %d bytes %.40q, want %d bytes %.40q", rec.Body.Len(), rec.Body.Bytes(), len(tc.body), tc.body)
			}
		})
	}
	// Revalidation works for the inflated representation too.
	first := get(t, h, "GET", "/jobkit.wasm", nil)
	again := get(t, h, "GET", "/jobkit.wasm", map[string]string{"If-None-Match": first.Header().Get("ETag")})
	if again.Code != http.StatusNotModified {
		t.Errorf("If-None-Match on the inflated wasm: %d, want 304", again.Code)
	}
}

// TestEmbeddedHoldsOnlyCompressedCopies keeps the binary small: the bundle
// embeds the .gz/.br copies of text files, never the raw ones (the raw wasm
// alone is most of the editor's size).
func TestEmbeddedHoldsOnlyCompressedCopies(t *testing.T) {
	entries, err := fs.ReadDir(embedded, "dist")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch path.Ext(e.Name()) {
		case ".html", ".js", ".css", ".wasm", ".json", ".svg":
			t.Errorf("dist/%s is embedded raw; embed only its .gz and .br copies (run web/build.sh)", e.Name())
		}
	}
}

// Package webui serves jobkit's browser editor from files embedded at build
// time. web/build.sh fills dist/; on a clean clone dist/ holds only a README
// and the handler answers with instructions instead of the page.
//
// Files are served with explicit MIME types (application/wasm is required
// by WebAssembly.compileStreaming), precompressed .br/.gz copies when the
// browser accepts them, ETags for revalidation (content-hashed names, such
// as the wasm core's, are immutable instead), and a strict Content
// Security Policy: the page needs nothing from any other origin.
//
// To keep the binary small, dist/ holds only the compressed copies of text
// files (name.gz always, name.br when smaller): a client that accepts
// neither encoding gets name.gz inflated on the fly with compress/gzip.
package webui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

//go:embed all:dist
var embedded embed.FS

// Handler serves the editor built into this binary.
func Handler() http.Handler {
	sub, err := fs.Sub(embedded, "dist")
	if err != nil {
		panic(err) // "dist" is a literal embedded directory: cannot happen
	}
	return NewHandler(sub)
}

// Built reports whether the editor was built into this binary.
func Built() bool {
	for _, name := range []string{"dist/index.html", "dist/index.html.gz"} {
		if _, err := fs.Stat(embedded, name); err == nil {
			return true
		}
	}
	return false
}

// NewHandler serves the editor from fsys (the layout of dist/).
func NewHandler(fsys fs.FS) http.Handler {
	return &handler{fsys: fsys, etags: map[string]string{}}
}

type handler struct {
	fsys  fs.FS
	mu    sync.Mutex
	etags map[string]string
}

// mimeTypes is fixed here rather than taken from the OS registry, which
// differs between machines and often lacks .wasm.
var mimeTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".wasm": "application/wasm",
	".json": "application/json",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".md":   "text/markdown; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
}

const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

// NotBuilt is the answer for "/" when the editor was not built in.
const NotBuilt = "This jobkit was built without its browser editor.\n\n" +
	"Build it with `make build` (which runs web/build.sh: the wasm core, npm ci, tools/bundle) and rebuild jobkit.\n"

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	if strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") {
		http.NotFound(w, r) // compressed copies are an encoding, not resources
		return
	}
	ctype, ok := mimeTypes[path.Ext(name)]
	if !ok {
		ctype = "application/octet-stream"
	}
	body, enc, err := h.representation(name, r.Header.Get("Accept-Encoding"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		http.Error(w, "jobkit: "+err.Error(), http.StatusInternalServerError) // a corrupt embedded copy: a build bug
		return
	}
	if err != nil {
		if name == "index.html" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(NotBuilt))
			return
		}
		http.NotFound(w, r)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", ctype)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", csp)
	hd.Set("Referrer-Policy", "no-referrer") // share links carry the job in the fragment; keep it home
	hd.Set("Cache-Control", cacheControl(name))
	hd.Set("Vary", "Accept-Encoding")
	if enc != "" {
		hd.Set("Content-Encoding", enc)
	}
	hd.Set("ETag", h.etag(name+"|"+enc, body))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// representation picks the bytes to send for name: the .br or .gz copy when
// the client accepts that encoding, else the plain file, else the .gz copy
// inflated here (dist/ may hold only compressed copies).
func (h *handler) representation(name, acceptEncoding string) (body []byte, enc string, err error) {
	for _, e := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if !accepts(acceptEncoding, e.token) {
			continue
		}
		if b, err := fs.ReadFile(h.fsys, name+e.ext); err == nil {
			return b, e.token, nil
		}
	}
	if b, err := fs.ReadFile(h.fsys, name); err == nil {
		return b, "", nil
	}
	gz, err := fs.ReadFile(h.fsys, name+".gz")
	if err != nil {
		return nil, "", err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, "", fmt.Errorf("inflate %s.gz: %w", name, err)
	}
	body, err = io.ReadAll(zr)
	if err != nil {
		return nil, "", fmt.Errorf("inflate %s.gz: %w", name, err)
	}
	return body, "", nil
}

// etag returns a strong validator for one representation of a file.
func (h *handler) etag(key string, body []byte) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t, ok := h.etags[key]; ok {
		return t
	}
	sum := sha256.Sum256(body)
	t := `"` + hex.EncodeToString(sum[:12]) + `"`
	h.etags[key] = t
	return t
}

// cacheControl says how long a browser may use its copy of name without
// asking again. A content-hashed name (tools/bundle names the wasm core
// jobkit.<hash>.wasm) never changes content: immutable for a year, so a
// returning browser loads it, and the compiled code Chromium keeps with the
// cache entry, without a request. Every other name is revalidated each
// time (cheap, by ETag), so a new build shows at once.
func cacheControl(name string) string {
	if contentHashed(name) {
		return "public, max-age=31536000, immutable"
	}
	return "no-cache"
}

// contentHashed reports whether name has the form base.<16 lower-case hex
// digits>.ext that tools/bundle gives content-hashed files.
func contentHashed(name string) bool {
	base := path.Base(name)
	stem := strings.TrimSuffix(base, path.Ext(base))
	dot := strings.LastIndexByte(stem, '.')
	if dot <= 0 {
		return false
	}
	hash := stem[dot+1:]
	if len(hash) != 16 {
		return false
	}
	for _, c := range hash {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// accepts reports whether an Accept-Encoding header allows token (q > 0).
func accepts(header, token string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), token) {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

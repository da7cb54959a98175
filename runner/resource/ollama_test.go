package resource

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeRegistry serves manifests and blobs like registry.ollama.ai.
type fakeRegistry struct {
	srv       *httptest.Server
	manifests map[string][]byte // "library/llama3:8b" → manifest
	blobs     map[string][]byte // "sha256:…" → content
	override  map[string][]byte // digest → bytes served instead
	blobGets  atomic.Int64
}

func newFakeRegistry(t testing.TB) *fakeRegistry {
	t.Helper()
	r := &fakeRegistry{manifests: map[string][]byte{}, blobs: map[string][]byte{}, override: map[string][]byte{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		p := strings.TrimPrefix(req.URL.Path, "/v2/")
		if repo, tag, ok := strings.Cut(p, "/manifests/"); ok {
			m, found := r.manifests[repo+":"+tag]
			if !found {
				http.Error(w, `{"errors":[{"code":"MANIFEST_UNKNOWN"}]}`, http.StatusNotFound)
				return
			}
			w.Header().Set("Content-Type", "application/vnd.docker.distribution.manifest.v2+json")
			w.Write(m)
			return
		}
		if _, digest, ok := strings.Cut(p, "/blobs/"); ok {
			r.blobGets.Add(1)
			b, found := r.blobs[digest]
			if bad, ok := r.override[digest]; ok {
				b, found = bad, true
			}
			if !found {
				http.NotFound(w, req)
				return
			}
			w.Write(b)
			return
		}
		http.NotFound(w, req)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// add publishes a model with a config and the given layers; it returns the
// manifest and the digests.
func (r *fakeRegistry) add(t testing.TB, ref string, layers ...[]byte) ([]byte, []string) {
	t.Helper()
	layer := func(mt string, b []byte) ollamaLayer {
		d := "sha256:" + sha256Of(b)
		r.blobs[d] = b
		return ollamaLayer{MediaType: mt, Digest: d, Size: int64(len(b))}
	}
	m := ollamaManifest{Config: layer("application/vnd.docker.container.image.v1+json", []byte(`{"model_format":"gguf"}`))}
	digests := []string{m.Config.Digest}
	for _, b := range layers {
		l := layer("application/vnd.ollama.image.model", b)
		m.Layers = append(m.Layers, l)
		digests = append(digests, l.Digest)
	}
	raw, err := json.Marshal(map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "config": m.Config, "layers": m.Layers})
	if err != nil {
		t.Fatal(err)
	}
	r.manifests[ref] = raw
	return raw, digests
}

func TestOllamaDownload(t *testing.T) {
	reg := newFakeRegistry(t)
	weights, params := randomBytes(t, 400_000), []byte(`{"stop":["<|eot|>"]}`)
	manifest, digests := reg.add(t, "library/llama3:8b", weights, params)
	userManifest, _ := reg.add(t, "someone/tiny:latest", []byte("tiny weights"))

	for _, tc := range []struct {
		model, manifestPath string
		manifest            []byte
		blobs               int
	}{
		{"llama3:8b", "manifests/registry.ollama.ai/library/llama3/8b", manifest, 3},
		{"someone/tiny", "manifests/registry.ollama.ai/someone/tiny/latest", userManifest, 2},
	} {
		t.Run(tc.model, func(t *testing.T) {
			c := &Cache{Dir: t.TempDir()}
			spec := Ollama{Model: tc.model, Registry: reg.srv.URL}
			res, err := fetchIn(t, c, spec)
			if err != nil {
				t.Fatal(err)
			}
			got := readTree(t, res.Dir)
			if string(got[tc.manifestPath]) != string(tc.manifest) {
				t.Errorf("manifest at %s missing or different; files: %v", tc.manifestPath, names(got))
			}
			if len(got) != tc.blobs+1 || res.Files != tc.blobs+1 {
				t.Errorf("files %v (Files %d), want %d blobs and the manifest", names(got), res.Files, tc.blobs)
			}
			gets := reg.blobGets.Load()
			again, err := fetchIn(t, c, spec)
			if err != nil || !again.Cached || again.Bytes != 0 || reg.blobGets.Load() != gets {
				t.Errorf("second fetch %+v %v downloaded again", again, err)
			}
		})
	}
	res, err := fetchIn(t, &Cache{Dir: t.TempDir()}, Ollama{Model: "llama3:8b", Registry: reg.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(res.Dir, "blobs", "sha256-"+strings.TrimPrefix(digests[1], "sha256:")))
	if err != nil || string(b) != string(weights) {
		t.Errorf("weights blob: %v, %d bytes", err, len(b))
	}
}

func TestOllamaErrors(t *testing.T) {
	reg := newFakeRegistry(t)
	_, digests := reg.add(t, "library/bad:1", []byte("good weights"))
	reg.override[digests[1]] = []byte("evil weights")
	reg.add(t, "library/short:1", []byte("0123456789"))
	reg.override["sha256:"+sha256Of([]byte("0123456789"))] = []byte("01234")
	reg.manifests["library/traversal:1"] = []byte(`{"config":{"digest":"sha256:../../../etc/passwd","size":1},"layers":[{"digest":"sha256:aa","size":1}]}`)

	for _, tc := range []struct{ model, want string }{
		{"bad:1", "download ollama:bad:1: blobs/sha256-" + strings.TrimPrefix(digests[1], "sha256:") + ": sha256 mismatch"},
		{"short:1", "download ollama:short:1: blobs/sha256-"},
		{"traversal:1", `download ollama:traversal:1: manifest: layer digest "sha256:../../../etc/passwd" is not sha256:<64 hex digits>`},
		{"missing:7b", "download ollama:missing:7b: model library/missing:7b not found on " + reg.srv.URL},
		{"../x:1", `download ollama:../x:1: model "../x:1" must look like name:tag or user/name:tag`},
	} {
		t.Run(tc.model, func(t *testing.T) {
			c := &Cache{Dir: t.TempDir()}
			_, err := fetchIn(t, c, Ollama{Model: tc.model, Registry: reg.srv.URL})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant      %s", err, tc.want)
			}
			if entries, _ := os.ReadDir(c.Dir); len(entries) != 0 {
				t.Errorf("the failed fetch left %v in the cache", entries)
			}
		})
	}
}

func TestOllamaRef(t *testing.T) {
	for _, tc := range []struct{ model, host, repo, tag, registry string }{
		{"llama3", ollamaHost, "library/llama3", "latest", "https://registry.ollama.ai"},
		{"llama3:8b", ollamaHost, "library/llama3", "8b", "https://registry.ollama.ai"},
		{"user/model:q4", ollamaHost, "user/model", "q4", "https://registry.ollama.ai"},
		{"hf.co/org/model:Q4_K_M", "hf.co", "org/model", "Q4_K_M", "https://hf.co"},
		{"localhost:5000/m:1", "localhost:5000", "library/m", "1", "https://localhost:5000"},
	} {
		o := Ollama{Model: tc.model}
		r, err := o.ref()
		if err != nil || r.host != tc.host || r.repo != tc.repo || r.tag != tc.tag || o.registry(r) != tc.registry {
			t.Errorf("%s: %+v %s %v", tc.model, r, o.registry(r), err)
		}
	}
}

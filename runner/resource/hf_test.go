package resource

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

const hfTestToken = "hf_testtoken_secret_123"

type fakeRepo struct {
	sha     string
	files   map[string][]byte
	lfs     map[string]bool // served through the CDN
	private bool
	ghost   string            // listed but missing on resolve
	corrupt map[string]string // name → "lfs" or "small": serve other bytes
}

// fakeHub speaks the two hub endpoints a download needs; LFS files redirect
// to a CDN on 127.0.0.2 that rejects any Authorization header.
type fakeHub struct {
	hub, cdn   *httptest.Server
	repos      map[string]*fakeRepo
	blobs      map[string][]byte // sha256 → content
	cdnHits    atomic.Int64
	cdnAuthErr atomic.Int64
	hubGets    atomic.Int64
}

func gitBlobSHA1(b []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(b))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

func sha256Of(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func newFakeHub(t testing.TB, repos map[string]*fakeRepo) *fakeHub {
	t.Helper()
	h := &fakeHub{repos: repos, blobs: map[string][]byte{}}
	for _, r := range repos {
		for name, b := range r.files {
			if r.lfs[name] {
				h.blobs[sha256Of(b)] = b
			}
		}
	}
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.2 for the fake CDN: %v", err)
	}
	h.cdn = httptest.NewUnstartedServer(http.HandlerFunc(h.serveCDN))
	h.cdn.Listener.Close()
	h.cdn.Listener = l
	h.cdn.Start()
	t.Cleanup(h.cdn.Close)

	h.hub = httptest.NewServer(http.HandlerFunc(h.route))
	t.Cleanup(h.hub.Close)
	return h
}

// route dispatches /api/models/{org}/{name}/revision/{rev} and
// /{org}/{name}/resolve/{rev}/{path...}.
func (h *fakeHub) route(w http.ResponseWriter, r *http.Request) {
	var segs []string
	for _, s := range strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/") {
		u, err := url.PathUnescape(s)
		if err != nil {
			http.Error(w, "bad path", http.StatusBadRequest)
			return
		}
		segs = append(segs, u)
	}
	set := func(org, name, rev string) {
		r.SetPathValue("org", org)
		r.SetPathValue("name", name)
		r.SetPathValue("rev", rev)
	}
	switch {
	case len(segs) == 6 && segs[0] == "api" && segs[1] == "models" && segs[4] == "revision":
		set(segs[2], segs[3], segs[5])
		h.serveInfo(w, r)
	case len(segs) >= 5 && segs[2] == "resolve":
		set(segs[0], segs[1], segs[3])
		r.SetPathValue("path", strings.Join(segs[4:], "/"))
		h.serveResolve(w, r)
	default:
		http.NotFound(w, r)
	}
}

func hubError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("X-Error-Code", code)
	w.Header().Set("X-Error-Message", code)
	http.Error(w, `{"error":"`+code+`"}`, status)
}

// repo checks access and the revision; nil means an error was sent.
func (h *fakeHub) repo(w http.ResponseWriter, r *http.Request) *fakeRepo {
	h.hubGets.Add(1)
	repo := h.repos[r.PathValue("org")+"/"+r.PathValue("name")]
	if repo == nil || (repo.private && r.Header.Get("Authorization") != "Bearer "+hfTestToken) {
		hubError(w, http.StatusUnauthorized, "RepoNotFound")
		return nil
	}
	if rev := r.PathValue("rev"); rev != "main" && rev != repo.sha {
		hubError(w, http.StatusNotFound, "RevisionNotFound")
		return nil
	}
	return repo
}

func (h *fakeHub) serveInfo(w http.ResponseWriter, r *http.Request) {
	repo := h.repo(w, r)
	if repo == nil {
		return
	}
	type lfs struct {
		SHA256 string `json:"sha256"`
		Size   int    `json:"size"`
	}
	type sib struct {
		Name   string `json:"rfilename"`
		Size   int    `json:"size"`
		BlobID string `json:"blobId"`
		LFS    *lfs   `json:"lfs,omitempty"`
	}
	var sibs []sib
	for name, b := range repo.files {
		s := sib{Name: name, Size: len(b), BlobID: gitBlobSHA1(b)}
		if repo.lfs[name] {
			s.LFS = &lfs{SHA256: sha256Of(b), Size: len(b)}
			s.BlobID = gitBlobSHA1([]byte("version https://git-lfs.github.com/spec/v1\n"))
		}
		sibs = append(sibs, s)
	}
	if repo.ghost != "" {
		sibs = append(sibs, sib{Name: repo.ghost, Size: 1})
	}
	json.NewEncoder(w).Encode(map[string]any{"id": r.PathValue("org") + "/" + r.PathValue("name"), "sha": repo.sha, "siblings": sibs})
}

func (h *fakeHub) serveResolve(w http.ResponseWriter, r *http.Request) {
	repo := h.repo(w, r)
	if repo == nil {
		return
	}
	name := r.PathValue("path")
	b, ok := repo.files[name]
	if !ok {
		hubError(w, http.StatusNotFound, "EntryNotFound")
		return
	}
	w.Header().Set("X-Repo-Commit", repo.sha)
	if repo.lfs[name] {
		sum := sha256Of(b)
		w.Header().Set("X-Linked-Etag", `"`+sum+`"`)
		w.Header().Set("X-Linked-Size", fmt.Sprint(len(b)))
		target := h.cdn.URL + "/" + sum
		if repo.corrupt[name] == "lfs" {
			target += "?corrupt=1"
		}
		http.Redirect(w, r, target, http.StatusFound)
		return
	}
	w.Header().Set("ETag", `"`+gitBlobSHA1(b)+`"`)
	if repo.corrupt[name] == "small" {
		b = append([]byte("X"), b[1:]...)
	}
	w.Write(b)
}

func (h *fakeHub) serveCDN(w http.ResponseWriter, r *http.Request) {
	h.cdnHits.Add(1)
	if r.Header.Get("Authorization") != "" {
		h.cdnAuthErr.Add(1)
		http.Error(w, "Only one auth mechanism allowed", http.StatusBadRequest)
		return
	}
	b, ok := h.blobs[strings.TrimPrefix(r.URL.Path, "/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("corrupt") != "" {
		b = append([]byte{b[0] ^ 1}, b[1:]...)
	}
	w.Write(b)
}

func testRepos(t testing.TB) map[string]*fakeRepo {
	files := map[string][]byte{
		"config.json":            []byte(`{"model_type":"tiny"}`),
		"model.safetensors":      randomBytes(t, 300_000),
		"onnx/model.onnx":        randomBytes(t, 50_000),
		"tokenizer/special.json": []byte(`{"bos":"<s>"}`),
		"weights/part-1.bin":     randomBytes(t, 1000),
		"weights/part-2.bin":     randomBytes(t, 1000),
	}
	lfs := map[string]bool{"model.safetensors": true, "onnx/model.onnx": true}
	sha := strings.Repeat("ab", 20)
	return map[string]*fakeRepo{
		"acme/tiny":    {sha: sha, files: files, lfs: lfs},
		"acme/private": {sha: sha, files: files, lfs: lfs, private: true},
		"acme/ghost":   {sha: sha, files: files, lfs: lfs, ghost: "gone.bin"},
		"acme/bad-lfs": {sha: sha, files: files, lfs: lfs, corrupt: map[string]string{"model.safetensors": "lfs"}},
		"acme/bad-git": {sha: sha, files: files, lfs: lfs, corrupt: map[string]string{"config.json": "small"}},
	}
}

func TestHFDownload(t *testing.T) {
	repos := testRepos(t)
	h := newFakeHub(t, repos)
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HUGGING_FACE_HUB_TOKEN", "")
	c := &Cache{Dir: t.TempDir()}
	var log strings.Builder
	// The token goes with a public repo too: the CDN must never see it.
	spec := HF{Repo: "acme/tiny", Token: hfTestToken, Endpoint: h.hub.URL}
	res, err := c.Fetch(t.Context(), spec, NewLines(&log, 0))
	if err != nil {
		t.Fatal(err)
	}
	sameTree(t, res.Dir, repos["acme/tiny"].files)
	if h.cdnHits.Load() != 2 || h.cdnAuthErr.Load() != 0 {
		t.Errorf("CDN: %d requests, %d with Authorization; want 2 and 0", h.cdnHits.Load(), h.cdnAuthErr.Load())
	}
	if strings.Contains(log.String(), hfTestToken) {
		t.Errorf("the token appears in the progress log:\n%s", log.String())
	}
	var total int64
	for _, b := range repos["acme/tiny"].files {
		total += int64(len(b))
	}
	if res.Bytes != total || res.Files != 6 || res.Cached {
		t.Errorf("result %+v, want %d bytes, 6 files", res, total)
	}

	gets := h.hubGets.Load()
	again, err := c.Fetch(t.Context(), spec, nil)
	if err != nil || !again.Cached || again.Bytes != 0 || again.Dir != res.Dir {
		t.Errorf("second fetch: %+v %v, want a cache hit", again, err)
	}
	if h.hubGets.Load() != gets {
		t.Errorf("a cache hit asked the hub %d times", h.hubGets.Load()-gets)
	}
}

func TestHFFilesAndEndpointEnv(t *testing.T) {
	repos := testRepos(t)
	h := newFakeHub(t, repos)
	t.Setenv("HF_ENDPOINT", h.hub.URL+"/")
	f := repos["acme/tiny"].files
	for _, tc := range []struct {
		files []string
		want  []string
	}{
		{[]string{"config.json"}, []string{"config.json"}},
		{[]string{"onnx"}, []string{"onnx/model.onnx"}},
		{[]string{"weights/", "/config.json"}, []string{"config.json", "weights/part-1.bin", "weights/part-2.bin"}},
		{[]string{"*.json"}, []string{"config.json"}},
		{[]string{"weights/*.bin", "tokenizer/*"}, []string{"tokenizer/special.json", "weights/part-1.bin", "weights/part-2.bin"}},
	} {
		t.Run(strings.Join(tc.files, ","), func(t *testing.T) {
			res, err := fetchIn(t, &Cache{Dir: t.TempDir()}, HF{Repo: "acme/tiny", Files: tc.files})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string][]byte{}
			for _, n := range tc.want {
				want[n] = f[n]
			}
			sameTree(t, res.Dir, want)
		})
	}
	_, err := fetchIn(t, &Cache{Dir: t.TempDir()}, HF{Repo: "acme/tiny", Files: []string{"config.json", "nope.bin"}})
	if err == nil || err.Error() != `download hf:acme/tiny@main: files[1] "nope.bin" matches no file of acme/tiny at revision main` {
		t.Errorf("unmatched file: %v", err)
	}
}

func TestHFErrors(t *testing.T) {
	h := newFakeHub(t, testRepos(t))
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HUGGING_FACE_HUB_TOKEN", "")
	for _, tc := range []struct {
		name string
		spec HF
		want string
	}{
		{"private without token", HF{Repo: "acme/private"},
			"download hf:acme/private@main: repository info: repository acme/private not found or private: set accessToken or HF_TOKEN"},
		{"private with a wrong token", HF{Repo: "acme/private", Token: "hf_wrong_token_999"},
			"download hf:acme/private@main: repository info: repository acme/private not found, or the token has no access to it"},
		{"unknown revision", HF{Repo: "acme/tiny", Revision: "v9.9"},
			`download hf:acme/tiny@v9.9: repository info: revision "v9.9" not found in acme/tiny (use a branch, a tag or a commit sha)`},
		{"listed file missing", HF{Repo: "acme/ghost"},
			"download hf:acme/ghost@main: gone.bin: file not found in acme/ghost at revision main (check files)"},
		{"corrupt LFS file", HF{Repo: "acme/bad-lfs", Files: []string{"model.safetensors"}},
			"download hf:acme/bad-lfs@main: model.safetensors: sha256 mismatch"},
		{"corrupt small file", HF{Repo: "acme/bad-git", Files: []string{"config.json"}},
			"download hf:acme/bad-git@main: config.json: git blob sha1 mismatch"},
		{"bad repo name", HF{Repo: "../../etc"}, `download hf:../../etc@main: repo "../../etc" must look like org/name`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.Endpoint = h.hub.URL
			c := &Cache{Dir: t.TempDir()}
			_, err := fetchIn(t, c, tc.spec)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant      %s", err, tc.want)
			}
			if strings.Contains(err.Error(), "hf_wrong_token_999") {
				t.Error("the token appears in the error")
			}
			if entries, _ := os.ReadDir(c.Dir); len(entries) != 0 {
				t.Errorf("the failed fetch left %v in the cache", entries)
			}
		})
	}

	t.Run("private with HF_TOKEN", func(t *testing.T) {
		t.Setenv("HF_TOKEN", hfTestToken)
		res, err := fetchIn(t, &Cache{Dir: t.TempDir()}, HF{Repo: "acme/private", Endpoint: h.hub.URL, Files: []string{"model.safetensors"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(res.Dir, "model.safetensors")); err != nil {
			t.Error(err)
		}
		if h.cdnAuthErr.Load() != 0 {
			t.Error("the token was sent to the CDN")
		}
	})
}

func TestHFPathEscape(t *testing.T) {
	for _, name := range []string{"../evil", "a/../../evil", "/etc/evil", "a//b", "./x", `a\..\evil`} {
		t.Run(name, func(t *testing.T) {
			repos := map[string]*fakeRepo{"acme/evil": {sha: strings.Repeat("cd", 20), files: map[string][]byte{name: []byte("pwned"), "ok.txt": []byte("ok")}}}
			h := newFakeHub(t, repos)
			root := t.TempDir()
			c := &Cache{Dir: filepath.Join(root, "cache")}
			_, err := fetchIn(t, c, HF{Repo: "acme/evil", Endpoint: h.hub.URL})
			want := fmt.Sprintf("download hf:acme/evil@main: refusing file name %q from the server", name)
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("error = %v, want %s", err, want)
			}
			filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					t.Errorf("a file was written: %s", p)
				}
				return nil
			})
		})
	}
}

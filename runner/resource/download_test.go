package resource

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// flakyS3 is an anonymous S3 look-alike with one object per key whose
// behaviour tests choose.
type flakyS3 struct {
	srv     *httptest.Server
	objects map[string][]byte
	fail    map[string]int    // key → failures (503) before success
	short   map[string]int    // key → times to cut the body short
	etag    map[string]string // key → ETag to send instead of the MD5
	status  map[string]int    // key → status to always answer
	gets    atomic.Int64
	onGet   atomic.Pointer[func()] // called before an object GET is answered
}

func newFlakyS3(t testing.TB, objects map[string][]byte) *flakyS3 {
	t.Helper()
	f := &flakyS3{objects: objects, fail: map[string]int{}, short: map[string]int{}, etag: map[string]string{}, status: map[string]int{}}
	var mu sync.Mutex
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Query().Get("list-type") == "2" {
			var b strings.Builder
			b.WriteString("<ListBucketResult>")
			for k, v := range f.objects {
				fmt.Fprintf(&b, "<Contents><Key>b/%s</Key><Size>%d</Size></Contents>", k, len(v))
			}
			b.WriteString("<IsTruncated>false</IsTruncated></ListBucketResult>")
			w.Write([]byte(b.String()))
			return
		}
		f.gets.Add(1)
		if hook := f.onGet.Load(); hook != nil {
			(*hook)()
		}
		key := strings.TrimPrefix(r.URL.Path, "/bucket/b/")
		body := f.objects[key]
		if s := f.status[key]; s != 0 {
			w.WriteHeader(s)
			return
		}
		if f.fail[key] > 0 {
			f.fail[key]--
			http.Error(w, "<Error><Code>SlowDown</Code></Error>", http.StatusServiceUnavailable)
			return
		}
		sum := md5.Sum(body)
		etag := hex.EncodeToString(sum[:])
		if e, ok := f.etag[key]; ok {
			etag = e
		}
		w.Header().Set("ETag", `"`+etag+`"`)
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		if f.short[key] > 0 {
			f.short[key]--
			w.Write(body[:len(body)/2])
			return // the server closes the connection: a truncated body
		}
		w.Write(body)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *flakyS3) spec() S3 { return S3{URL: f.srv.URL + "/bucket/b"} }

func TestDownloadRetries(t *testing.T) {
	body := randomBytes(t, 200_000)
	f := newFlakyS3(t, map[string][]byte{"a.bin": body, "b.txt": []byte("bee")})
	f.fail["a.bin"] = 2
	f.short["b.txt"] = 1
	var retries []string
	var mu sync.Mutex
	res, err := (&Cache{Dir: t.TempDir()}).Fetch(t.Context(), f.spec(), ProgressFunc(func(u Update) {
		if u.Phase == Retrying {
			mu.Lock()
			retries = append(retries, u.File)
			mu.Unlock()
		}
		if u.Phase == Done && u.Bytes != int64(len(body)+3) {
			t.Errorf("Done reports %d bytes, want %d (retried bytes must not count twice)", u.Bytes, len(body)+3)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	sameTree(t, res.Dir, map[string][]byte{"a.bin": body, "b.txt": []byte("bee")})
	if len(retries) != 3 || res.Bytes != int64(len(body)+3) {
		t.Errorf("retries %v, bytes %d; want 3 retries (a.bin twice, b.txt once)", retries, res.Bytes)
	}

	f.fail["a.bin"] = attempts
	_, err = (&Cache{Dir: t.TempDir()}).Fetch(t.Context(), f.spec(), nil)
	if err == nil || !strings.Contains(err.Error(), "a.bin: server answered 503") {
		t.Errorf("persistent 503: %v", err)
	}
}

func TestDownloadNoRetryOnClientError(t *testing.T) {
	f := newFlakyS3(t, map[string][]byte{"a.bin": []byte("x")})
	f.status["a.bin"] = http.StatusForbidden
	_, err := (&Cache{Dir: t.TempDir()}).Fetch(t.Context(), f.spec(), nil)
	if err == nil || !strings.Contains(err.Error(), "a.bin: access denied") {
		t.Errorf("error = %v", err)
	}
	if f.gets.Load() != 1 {
		t.Errorf("a 403 was tried %d times, want once", f.gets.Load())
	}
}

func TestDownloadMD5Mismatch(t *testing.T) {
	f := newFlakyS3(t, map[string][]byte{"a.bin": []byte("content")})
	f.etag["a.bin"] = strings.Repeat("0", 32)
	_, err := (&Cache{Dir: t.TempDir()}).Fetch(t.Context(), f.spec(), nil)
	if err == nil || !strings.Contains(err.Error(), "a.bin: md5 mismatch") {
		t.Errorf("error = %v", err)
	}
	// A multipart ETag is not an MD5 and is not checked.
	f.etag["a.bin"] = strings.Repeat("0", 32) + "-3"
	if _, err := (&Cache{Dir: t.TempDir()}).Fetch(t.Context(), f.spec(), nil); err != nil {
		t.Errorf("multipart ETag: %v", err)
	}
}

func TestFetchSameKeyConcurrently(t *testing.T) {
	f := newFlakyS3(t, map[string][]byte{"a.bin": randomBytes(t, 100_000)})
	c := &Cache{Dir: t.TempDir()}
	var wg sync.WaitGroup
	results := make([]Result, 4)
	errs := make([]error, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = c.Fetch(context.Background(), f.spec(), nil)
		}()
	}
	wg.Wait()
	downloads := 0
	for i, r := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !r.Cached {
			downloads++
		}
	}
	if downloads != 1 || f.gets.Load() != 1 {
		t.Errorf("%d fetches downloaded, %d GETs; want exactly one download", downloads, f.gets.Load())
	}
}

func TestFetchCancelled(t *testing.T) {
	f := newFlakyS3(t, map[string][]byte{"a.bin": []byte("x")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := &Cache{Dir: t.TempDir()}
	_, err := c.Fetch(ctx, f.spec(), nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(c.Dir); len(entries) != 0 {
		t.Errorf("a cancelled fetch left %v", entries)
	}
}

func TestFetchUnsupported(t *testing.T) {
	type other struct{ Spec }
	if _, err := (&Cache{Dir: t.TempDir()}).Fetch(t.Context(), other{}, nil); err == nil {
		t.Error("an unknown spec type was accepted")
	}
	var nilHF *HF
	for _, s := range []Spec{nil, nilHF, (*S3)(nil), (*Ollama)(nil)} {
		if _, err := (&Cache{Dir: t.TempDir()}).Fetch(t.Context(), s, nil); err == nil || !strings.Contains(err.Error(), "unsupported resource") {
			t.Errorf("%T: error %v", s, err)
		}
	}
	if _, err := (&Cache{}).Fetch(t.Context(), HF{Repo: "a/b"}, nil); err == nil {
		t.Error("an empty cache directory was accepted")
	}
}

func TestRelativeCacheDir(t *testing.T) {
	f := newFlakyS3(t, map[string][]byte{"a.bin": []byte("x")})
	t.Chdir(t.TempDir())
	res, err := (&Cache{Dir: "cache"}).Fetch(t.Context(), f.spec(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(res.Dir) {
		t.Errorf("Dir %q is relative; Docker bind mounts need an absolute path", res.Dir)
	}
}

func TestCheckLayout(t *testing.T) {
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{[]string{"a", "b/c", "b/d"}, ""},
		{[]string{"a", "a/b"}, `"a" is both a file and the directory of "a/b"`},
		{[]string{"x/y/z", "x/y"}, `"x/y" is both a file and the directory of "x/y/z"`},
		{[]string{"a", "a"}, `two files would be written to "a"`},
		{[]string{"../a"}, "escapes the target directory"},
		{[]string{"/etc/passwd"}, "is an absolute path"},
		{[]string{"a/./b"}, "is not a clean path"},
		{[]string{"a\x00b"}, "NUL"},
		{[]string{""}, "is empty"},
	} {
		var files []file
		for _, n := range tc.names {
			files = append(files, file{name: n})
		}
		err := checkLayout(files)
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%q: error %v, want %q", tc.names, err, tc.want)
		}
	}
}

func TestScrub(t *testing.T) {
	inner := fmt.Errorf("wrapped: %w", context.Canceled)
	err := scrub(fmt.Errorf("GET https://x/?sig=SECRET1 said SECRET1: %w", inner), []string{"", "SECRET1"})
	if strings.Contains(err.Error(), "SECRET1") || !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("scrub left the secret: %v", err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Error("scrub broke errors.Is")
	}
}

func TestKeys(t *testing.T) {
	t.Setenv("HF_ENDPOINT", "")
	base := HF{Repo: "a/b", Files: []string{"x", "y"}}
	same := []Spec{
		HF{Repo: "a/b", Files: []string{"y", "x", "x"}, Token: "hf_secret"},
		HF{Repo: "a/b", Revision: "main", Files: []string{"x", "y"}, Endpoint: "https://huggingface.co/"},
	}
	differ := []Spec{
		HF{Repo: "a/b", Files: []string{"x"}},
		HF{Repo: "a/b", Revision: "v1", Files: []string{"x", "y"}},
		HF{Repo: "a/c", Files: []string{"x", "y"}},
		HF{Repo: "a/b", Files: []string{"x", "y"}, Endpoint: "https://mirror.example"},
		HF{Repo: "a/b", Files: []string{"x\x00y"}},
	}
	for _, s := range same {
		if s.Key() != base.Key() {
			t.Errorf("%+v: key differs from %+v", s, base)
		}
	}
	for _, s := range differ {
		if s.Key() == base.Key() {
			t.Errorf("%+v: same key as %+v", s, base)
		}
	}
	if k := base.Key(); !strings.HasPrefix(k, "hf-") || len(k) != 35 {
		t.Errorf("key %q is not hf-<32 hex>", k)
	}
	if (Ollama{Model: "llama3"}).Key() != (Ollama{Model: "llama3:latest"}).Key() {
		t.Error("llama3 and llama3:latest must share a key")
	}
	if (S3{URL: "s3://b/p", AccessKeyID: "A", SecretAccessKey: "S"}).Key() != (S3{URL: "s3://b/p/"}).Key() {
		t.Error("credentials or a trailing slash change an S3 key")
	}
}

func TestDownloadStall(t *testing.T) {
	old := stallTimeout
	stallTimeout = 400 * time.Millisecond
	t.Cleanup(func() { stallTimeout = old })
	var calls atomic.Int64
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("list-type") == "2" {
			w.Write([]byte(`<ListBucketResult><Contents><Key>b/a.bin</Key><Size>10</Size></Contents></ListBucketResult>`))
			return
		}
		w.Header().Set("Content-Length", "10")
		if calls.Add(1) == 1 {
			w.Write([]byte("01234"))
			w.(http.Flusher).Flush()
			select { // stall until the test ends
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.Write([]byte("0123456789"))
	}))
	defer srv.Close()
	res, err := fetchIn(t, &Cache{Dir: t.TempDir()}, S3{URL: srv.URL + "/bucket/b"})
	if err != nil {
		t.Fatal(err)
	}
	sameTree(t, res.Dir, map[string][]byte{"a.bin": []byte("0123456789")})
	if calls.Load() != 2 {
		t.Errorf("%d attempts, want the stalled one and a retry", calls.Load())
	}
}

// The downloader writes through os.Root: a symlink in the way cannot lead
// outside the resource directory.
func TestDownloadSymlinkInTheWay(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("data")) }))
	defer srv.Close()
	dir, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "sub")); err != nil {
		t.Fatal(err)
	}
	dl, err := newDownloader(http.DefaultClient, dir, newReporter(nil, "test"))
	if err != nil {
		t.Fatal(err)
	}
	defer dl.close()
	err = dl.run(t.Context(), []file{{
		name: "sub/x", want: expect{size: -1},
		newReq: func(ctx context.Context) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
		},
		check: func(http.Header, *http.Response, *expect) error { return nil },
	}})
	if err == nil {
		t.Error("writing through a symlink that leaves the directory succeeded")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("a file landed outside: %v", entries)
	}
}

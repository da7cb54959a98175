package resource

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func randomBytes(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// readTree returns every regular file under dir, by slash path.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func names(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sameTree(t testing.TB, dir string, want map[string][]byte) {
	t.Helper()
	got := readTree(t, dir)
	if fmt.Sprint(names(got)) != fmt.Sprint(names(want)) {
		t.Fatalf("files in %s = %v, want %v", dir, names(got), names(want))
	}
	for k, v := range want {
		if !bytes.Equal(got[k], v) {
			t.Errorf("%s: content differs (%d bytes, want %d)", k, len(got[k]), len(v))
		}
	}
}

func llamaObjects(t testing.TB) (map[string][]byte, map[string][]byte) {
	objs := map[string][]byte{
		"llama/config.json":      []byte(`{"hello":"from s3"}`),
		"llama/sub/weights.bin":  randomBytes(t, 1<<20+123),
		"llama/tok en+izer.json": []byte("spaces and plus in the key"),
		"other/unrelated.txt":    []byte("not under the prefix"),
	}
	want := map[string][]byte{
		"config.json":      objs["llama/config.json"],
		"sub/weights.bin":  objs["llama/sub/weights.bin"],
		"tok en+izer.json": objs["llama/tok en+izer.json"],
	}
	return objs, want
}

func TestS3WithKeys(t *testing.T) {
	g := s3Gateway(t)
	objs, want := llamaObjects(t)
	b := g.bucket(t, objs)
	var total int64
	for _, v := range want {
		total += int64(len(v))
	}
	for _, tc := range []struct {
		name  string
		spec  S3
		env   string
		under string // where the files land
	}{
		{"s3 url with endpoint", S3{URL: "s3://" + b + "/llama", Endpoint: g.url}, "", ""},
		{"s3 url with AWS_ENDPOINT_URL", S3{URL: "s3://" + b + "/llama/"}, g.url, ""},
		{"path-style http url", S3{URL: g.url + "/" + b + "/llama"}, "", ""},
		{"endpoint url and bucket", S3{URL: g.url + "/llama", Bucket: b}, "", ""},
		{"bucket alone", S3{Bucket: b, Files: []string{"llama/config.json", "llama/sub/weights.bin", "llama/tok en+izer.json"}}, g.url, "llama/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv("AWS_ENDPOINT_URL", tc.env)
			}
			tc.spec.AccessKeyID, tc.spec.SecretAccessKey, tc.spec.Region = testAK, testSK, testRegion
			c := &Cache{Dir: t.TempDir()}
			res, err := fetchIn(t, c, tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			wantHere := map[string][]byte{}
			for k, v := range want {
				wantHere[tc.under+k] = v
			}
			sameTree(t, res.Dir, wantHere)
			if res.Cached || res.Bytes != total || res.Files != len(want) {
				t.Errorf("first fetch: %+v, want Bytes %d Files %d not cached", res, total, len(want))
			}
			if res.Dir != filepath.Join(c.Dir, tc.spec.Key()) {
				t.Errorf("Dir %s is not <cache>/<key>", res.Dir)
			}
			again, err := fetchIn(t, c, tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if !again.Cached || again.Bytes != 0 || again.Files != len(want) || again.Dir != res.Dir {
				t.Errorf("second fetch: %+v, want a cache hit with 0 bytes", again)
			}
		})
	}
}

func TestS3Anonymous(t *testing.T) {
	g := s3Gateway(t)
	objs, want := llamaObjects(t)
	pub := g.bucket(t, objs)
	g.public(t, pub)
	priv := g.bucket(t, objs)

	res, err := fetchIn(t, &Cache{Dir: t.TempDir()}, S3{URL: "s3://" + pub + "/llama", Endpoint: g.url})
	if err != nil {
		t.Fatalf("public bucket without keys: %v", err)
	}
	sameTree(t, res.Dir, want)

	_, err = fetchIn(t, &Cache{Dir: t.TempDir()}, S3{URL: "s3://" + priv + "/llama", Endpoint: g.url})
	if err == nil {
		t.Fatal("private bucket without keys: no error")
	}
	wantMsg := "download s3://" + priv + "/llama: list objects: access denied (the bucket does not allow anonymous reads: set IAM ACCESS_KEY_ID / SECRET_ACCESS_KEY)"
	if err.Error() != wantMsg {
		t.Errorf("error = %q\nwant    %q", err, wantMsg)
	}
}

func TestS3WrongCredentials(t *testing.T) {
	g := s3Gateway(t)
	objs, _ := llamaObjects(t)
	b := g.bucket(t, objs)
	const wrongSecret = "WRONG-secret-value-123"
	for _, tc := range []struct {
		name, ak, sk string
		secrets      []string
	}{
		{"wrong secret", testAK, wrongSecret, []string{wrongSecret, testSK}},
		{"wrong key id", "AKIAUNKNOWN00000", testSK, []string{testSK}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log strings.Builder
			c := &Cache{Dir: t.TempDir()}
			_, err := c.Fetch(t.Context(), S3{URL: "s3://" + b + "/llama", Endpoint: g.url,
				AccessKeyID: tc.ak, SecretAccessKey: tc.sk}, NewLines(&log, 0))
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			prefix := "download s3://" + b + "/llama: list objects: access denied"
			if !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, "check IAM ACCESS_KEY_ID / SECRET_ACCESS_KEY") {
				t.Errorf("error = %q, want it to start with %q and name the IAM keys", msg, prefix)
			}
			for _, s := range tc.secrets {
				if strings.Contains(msg, s) || strings.Contains(log.String(), s) {
					t.Errorf("secret %q appears in the error or the progress log: %q / %q", s, msg, log.String())
				}
			}
			if entries, _ := os.ReadDir(c.Dir); len(entries) != 0 {
				t.Errorf("a failed fetch left %d entries in the cache", len(entries))
			}
		})
	}
}

func TestS3Files(t *testing.T) {
	g := s3Gateway(t)
	objs, want := llamaObjects(t)
	b := g.bucket(t, objs)
	spec := S3{URL: "s3://" + b + "/llama", Endpoint: g.url, AccessKeyID: testAK, SecretAccessKey: testSK,
		Files: []string{"sub/weights.bin", "config.json"}}
	res, err := fetchIn(t, &Cache{Dir: t.TempDir()}, spec)
	if err != nil {
		t.Fatal(err)
	}
	sameTree(t, res.Dir, map[string][]byte{"config.json": want["config.json"], "sub/weights.bin": want["sub/weights.bin"]})

	spec.Files = []string{"config.json", "missing.bin"}
	_, err = fetchIn(t, &Cache{Dir: t.TempDir()}, spec)
	if err == nil || !strings.Contains(err.Error(), "missing.bin: no such object") {
		t.Errorf("missing file: error = %v, want \"missing.bin: no such object\"", err)
	}
	// The same request in another order, with a duplicate and without keys.
	same := S3{URL: spec.URL, Endpoint: spec.Endpoint, Files: []string{"missing.bin", "config.json", "config.json"}}
	if spec.Key() != same.Key() {
		t.Error("file order, duplicates or credentials change the key")
	}
	if other := (S3{URL: spec.URL, Endpoint: spec.Endpoint, Files: []string{"config.json"}}); other.Key() == spec.Key() {
		t.Error("a different file list gives the same key")
	}
}

func TestS3Buckets(t *testing.T) {
	g := s3Gateway(t)
	objs, want := llamaObjects(t)
	b1 := g.bucket(t, objs)
	b2 := g.bucket(t, map[string][]byte{"data/extra/a.txt": []byte("a"), "data/b.txt": []byte("bb")})
	spec := S3{Endpoint: g.url, AccessKeyID: testAK, SecretAccessKey: testSK, Buckets: []S3Bucket{
		{URL: "s3://" + b1 + "/llama", Files: []string{"config.json"}},
		{URL: "s3://" + b2 + "/data"},
	}}
	res, err := fetchIn(t, &Cache{Dir: t.TempDir()}, spec)
	if err != nil {
		t.Fatal(err)
	}
	sameTree(t, res.Dir, map[string][]byte{"config.json": want["config.json"], "extra/a.txt": []byte("a"), "b.txt": []byte("bb")})

	// Two buckets providing the same file name cannot share one directory.
	spec.Buckets = []S3Bucket{{URL: "s3://" + b1 + "/llama"}, {URL: "s3://" + b1 + "/llama"}}
	_, err = fetchIn(t, &Cache{Dir: t.TempDir()}, spec)
	if err == nil || !strings.Contains(err.Error(), "two files would be written to") {
		t.Errorf("overlapping buckets: error = %v", err)
	}
}

func TestS3Pagination(t *testing.T) {
	g := s3Gateway(t)
	objs := map[string][]byte{}
	want := map[string][]byte{}
	for i := range 7 {
		k := fmt.Sprintf("f%02d.txt", i)
		objs["p/"+k] = []byte(k)
		want[k] = []byte(k)
	}
	b := g.bucket(t, objs)
	old := listPageSize
	listPageSize = 2
	t.Cleanup(func() { listPageSize = old })
	res, err := fetchIn(t, &Cache{Dir: t.TempDir()}, S3{URL: "s3://" + b + "/p", Endpoint: g.url, AccessKeyID: testAK, SecretAccessKey: testSK})
	if err != nil {
		t.Fatal(err)
	}
	sameTree(t, res.Dir, want)
}

func TestS3SingleObjectAndMissingPrefix(t *testing.T) {
	g := s3Gateway(t)
	objs, want := llamaObjects(t)
	b := g.bucket(t, objs)
	spec := S3{URL: "s3://" + b + "/llama/sub/weights.bin", Endpoint: g.url, AccessKeyID: testAK, SecretAccessKey: testSK}
	res, err := fetchIn(t, &Cache{Dir: t.TempDir()}, spec)
	if err != nil {
		t.Fatal(err)
	}
	sameTree(t, res.Dir, map[string][]byte{"weights.bin": want["sub/weights.bin"]})

	spec.URL = "s3://" + b + "/nothing-here"
	_, err = fetchIn(t, &Cache{Dir: t.TempDir()}, spec)
	if err == nil || !strings.Contains(err.Error(), "no objects found") {
		t.Errorf("empty prefix: error = %v", err)
	}
	spec.URL = "s3://no-such-bucket-jobkit/x"
	_, err = fetchIn(t, &Cache{Dir: t.TempDir()}, spec)
	if err == nil || !strings.Contains(err.Error(), `bucket "no-such-bucket-jobkit" does not exist`) {
		t.Errorf("missing bucket: error = %v", err)
	}
}

func TestS3AllowWrite(t *testing.T) {
	g := s3Gateway(t)
	objs, want := llamaObjects(t)
	b := g.bucket(t, objs)
	c := &Cache{Dir: t.TempDir()}
	spec := S3{URL: "s3://" + b + "/llama", Endpoint: g.url, AccessKeyID: testAK, SecretAccessKey: testSK, AllowWrite: true}
	first, err := fetchIn(t, c, spec)
	if err != nil {
		t.Fatal(err)
	}
	second, err := fetchIn(t, c, &spec) // a pointer works the same
	if err != nil {
		t.Fatal(err)
	}
	if first.Dir == second.Dir || !second.Cached {
		t.Fatalf("writable fetches share %s (cached %v); want private copies of one cache entry", first.Dir, second.Cached)
	}
	if err := os.WriteFile(filepath.Join(first.Dir, "config.json"), []byte("changed by job 1"), 0o644); err != nil {
		t.Fatalf("writable copy is not writable: %v", err)
	}
	sameTree(t, second.Dir, want)
	sameTree(t, filepath.Join(c.Dir, spec.Key()), want)
	if err := c.Release(first); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(first.Dir); !os.IsNotExist(err) {
		t.Errorf("Release left %s", first.Dir)
	}
	// Release never touches the shared entry.
	if err := c.Release(Result{Dir: filepath.Join(c.Dir, spec.Key())}); err != nil {
		t.Fatal(err)
	}
	sameTree(t, filepath.Join(c.Dir, spec.Key()), want)
}

// TestS3HostileListing uses a fake server whose listing names keys that
// escape the prefix.
func TestS3HostileListing(t *testing.T) {
	for _, key := range []string{"p/../../evil", "p//x", "p/./x", "p/a\\b"} {
		t.Run(key, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Get("list-type") == "2" {
					fmt.Fprintf(w, `<ListBucketResult><Contents><Key>%s</Key><Size>4</Size></Contents><IsTruncated>false</IsTruncated></ListBucketResult>`, key)
					return
				}
				w.Write([]byte("evil"))
			}))
			defer srv.Close()
			c := &Cache{Dir: t.TempDir()}
			_, err := fetchIn(t, c, S3{URL: srv.URL + "/b/p"})
			if err == nil || !strings.Contains(err.Error(), "refusing file name") {
				t.Fatalf("error = %v, want a refusal", err)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(c.Dir), "evil")); err == nil {
				t.Error("a file escaped the cache")
			}
		})
	}
}

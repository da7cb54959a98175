package resource

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchSize is the file both downloaders fetch.
const benchSize = 128 << 20

// benchHub serves one large LFS-style file the way the Hugging Face hub
// does (X-Linked-Etag sha256, X-Linked-Size), from disk. The same server
// also answers as an anonymous S3 bucket "bucket" holding big/model.bin
// without an ETag, which jobkit downloads without computing a hash.
func benchHub(b *testing.B) (*httptest.Server, string) {
	b.Helper()
	dir := b.TempDir()
	blob := filepath.Join(dir, "model.bin")
	data := randomBytes(b, benchSize)
	if err := os.WriteFile(blob, data, 0o644); err != nil {
		b.Fatal(err)
	}
	sum := sha256Of(data)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Query().Get("list-type") == "2":
			fmt.Fprintf(w, `<ListBucketResult><Contents><Key>big/model.bin</Key><Size>%d</Size></Contents></ListBucketResult>`, benchSize)
		case r.URL.Path == "/bucket/big/model.bin":
			http.ServeFile(w, r, blob)
		case strings.HasPrefix(r.URL.Path, "/api/models/"):
			fmt.Fprintf(w, `{"sha":"%s","siblings":[{"rfilename":"model.bin","size":%d,"lfs":{"sha256":"%s","size":%d}}]}`,
				strings.Repeat("ab", 20), benchSize, sum, benchSize)
		case strings.HasSuffix(r.URL.Path, "/model.bin"):
			w.Header().Set("X-Linked-Etag", `"`+sum+`"`)
			w.Header().Set("X-Linked-Size", fmt.Sprint(benchSize))
			http.ServeFile(w, r, blob)
		default:
			http.NotFound(w, r)
		}
	}))
	b.Cleanup(srv.Close)
	return srv, srv.URL + "/acme/big/resolve/" + strings.Repeat("ab", 20) + "/model.bin"
}

func benchFetch(b *testing.B, spec Spec) time.Duration {
	b.Helper()
	dir, err := os.MkdirTemp(b.TempDir(), "cache-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	start := time.Now()
	res, err := (&Cache{Dir: dir}).Fetch(context.Background(), spec, nil)
	el := time.Since(start)
	if err != nil || res.Bytes != benchSize {
		b.Fatalf("fetch: %+v %v", res, err)
	}
	return el
}

// BenchmarkFetch is a verified (sha256) download of a 128 MiB file.
func BenchmarkFetch(b *testing.B) {
	srv, _ := benchHub(b)
	b.SetBytes(benchSize)
	for b.Loop() {
		benchFetch(b, HF{Repo: "acme/big", Endpoint: srv.URL})
	}
}

// BenchmarkFetchVsCurl alternates jobkit's verified download (sha256, as for
// a Hugging Face LFS file), jobkit's unverified download (an S3 object
// without ETag) and curl's of the same file from the same server, and
// reports the speeds and the ratios to curl.
func BenchmarkFetchVsCurl(b *testing.B) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		requireCI(b, "curl not found: %v", err)
	}
	srv, fileURL := benchHub(b)
	var ours, raw, theirs time.Duration
	for b.Loop() {
		ours += benchFetch(b, HF{Repo: "acme/big", Endpoint: srv.URL})
		raw += benchFetch(b, S3{URL: srv.URL + "/bucket/big"})

		out := filepath.Join(b.TempDir(), "curl.bin")
		start := time.Now()
		if msg, err := exec.Command(curl, "-sS", "-f", "-o", out, fileURL).CombinedOutput(); err != nil {
			b.Fatalf("curl: %v %s", err, msg)
		}
		theirs += time.Since(start)
		if st, err := os.Stat(out); err != nil || st.Size() != benchSize {
			b.Fatalf("curl wrote %v %v", st, err)
		}
		os.Remove(out)
	}
	mbps := func(d time.Duration) float64 { return float64(benchSize) * float64(b.N) / d.Seconds() / 1e6 }
	b.ReportMetric(mbps(ours), "verified-MB/s")
	b.ReportMetric(mbps(raw), "unverified-MB/s")
	b.ReportMetric(mbps(theirs), "curl-MB/s")
	b.ReportMetric(mbps(ours)/mbps(theirs), "verified/curl")
	b.ReportMetric(mbps(raw)/mbps(theirs), "unverified/curl")
}

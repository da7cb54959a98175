package resource

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHTTPFetch(t *testing.T) {
	const body = "weights v1\n"
	gets := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gets++
		if r.Header.Get("Authorization") != "Bearer s3cret-tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, body)
	}))
	defer srv.Close()
	sum := sha256.Sum256([]byte(body))
	good := hex.EncodeToString(sum[:])
	auth := map[string]string{"Authorization": "Bearer s3cret-tok"}
	cases := []struct {
		name    string
		spec    HTTP
		wantErr string
	}{
		{"checksum matches", HTTP{URL: srv.URL + "/m/weights.bin?token=q", SHA256: good, Headers: auth}, ""},
		{"name from the URL path", HTTP{URL: srv.URL + "/m/other.bin", Headers: auth}, ""},
		{"checksum differs", HTTP{URL: srv.URL + "/m/bad.bin", SHA256: strings.Repeat("ab", 32), Headers: auth}, "sha256"},
		{"refused", HTTP{URL: srv.URL + "/m/weights.bin"}, "401"},
		{"not http", HTTP{URL: "ftp://example.com/x"}, "not an http(s) URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &Cache{Dir: t.TempDir()}
			res, err := c.Fetch(context.Background(), tc.spec, nil)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "s3cret-tok") {
					t.Errorf("the header value is in the error: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(res.Dir, FileName(tc.spec.URL)))
			if err != nil || string(got) != body {
				t.Fatalf("file %q, %v", got, err)
			}
			before := gets
			again, err := c.Fetch(context.Background(), tc.spec, nil)
			if err != nil || !again.Cached || gets != before {
				t.Errorf("second fetch: cached %v, %d more requests, %v", again.Cached, gets-before, err)
			}
		})
	}
}

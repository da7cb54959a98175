package resource

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// HTTP is one file at an http(s) URL (a Nomad artifact), stored as Name,
// checked against SHA256 or MD5 (lowercase hex) when given.
type HTTP struct {
	URL     string
	Name    string
	SHA256  string
	MD5     string
	Headers map[string]string
}

// Key hashes the URL, the name and the checksums (headers can be credentials).
func (h HTTP) Key() string { return hashKey("http", h.URL, h.Name, h.SHA256, h.MD5) }

// label is the URL without its query string, which may carry a token.
func (h HTTP) label() string {
	u, err := url.Parse(h.URL)
	if err != nil {
		return "http resource"
	}
	u.RawQuery, u.User = "", nil
	return u.String()
}

func (h HTTP) secrets() []string {
	var out []string
	for _, v := range h.Headers {
		out = append(out, v)
	}
	if u, err := url.Parse(h.URL); err == nil {
		if p, ok := u.User.Password(); ok {
			out = append(out, p)
		}
		for _, vs := range u.Query() {
			out = append(out, vs...)
		}
	}
	return out
}

// FileName is the name an artifact gets when none is given: the URL path's
// last element.
func FileName(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || path.Base(u.Path) == "/" || path.Base(u.Path) == "." {
		return "download"
	}
	return path.Base(u.Path)
}

func (h HTTP) fetch(ctx context.Context, dl *downloader) error {
	if !strings.HasPrefix(h.URL, "http://") && !strings.HasPrefix(h.URL, "https://") {
		return fmt.Errorf("%s is not an http(s) URL", h.label())
	}
	name := h.Name
	if name == "" {
		name = FileName(h.URL)
	}
	return dl.run(ctx, []file{{
		name: name,
		want: expect{size: -1, sha256: strings.ToLower(h.SHA256), md5: strings.ToLower(h.MD5)},
		newReq: func(ctx context.Context) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.URL, nil)
			if err != nil {
				return nil, err
			}
			for k, v := range h.Headers {
				req.Header.Set(k, v)
			}
			return req, nil
		},
		check: func(_ http.Header, resp *http.Response, _ *expect) error {
			if resp.StatusCode != http.StatusOK {
				return statusError(h.label(), resp)
			}
			return nil
		},
	}})
}

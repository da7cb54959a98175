package resource

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
)

// HF is a Hugging Face model repository (Nosana `type: "HF"`).
//
// Revision defaults to "main"; Endpoint to $HF_ENDPOINT, else
// https://huggingface.co; Token to $HF_TOKEN, else
// $HUGGING_FACE_HUB_TOKEN. Files limits the download to those paths; an
// entry may also be a directory ("onnx" or "onnx/") or a glob ("*.json").
// The repository's files land at their paths inside the resource.
//
// A branch name (like main) is cached as given: a later commit on the branch
// is not seen until the cache entry is removed.
type HF struct {
	Repo, Revision  string
	Files           []string
	Token, Endpoint string
}

// Key hashes the endpoint, repository, revision and files.
func (h HF) Key() string {
	return hashKey("hf", append([]string{h.endpoint(), h.Repo, h.revision()}, fileParts(h.Files)...)...)
}

func (h HF) label() string     { return "hf:" + h.Repo + "@" + h.revision() }
func (h HF) secrets() []string { return []string{h.token()} }

func (h HF) revision() string {
	if h.Revision == "" {
		return "main"
	}
	return h.Revision
}

func (h HF) endpoint() string {
	e := h.Endpoint
	if e == "" {
		e = os.Getenv("HF_ENDPOINT")
	}
	if e == "" {
		e = "https://huggingface.co"
	}
	return strings.TrimRight(e, "/")
}

func (h HF) token() string {
	for _, t := range []string{h.Token, os.Getenv("HF_TOKEN"), os.Getenv("HUGGING_FACE_HUB_TOKEN")} {
		if t != "" {
			return t
		}
	}
	return ""
}

// hfRepoInfo is the part of GET /api/models/{repo}/revision/{rev} used here.
type hfRepoInfo struct {
	SHA      string `json:"sha"`
	Siblings []struct {
		Name   string `json:"rfilename"`
		Size   *int64 `json:"size"`
		BlobID string `json:"blobId"`
		LFS    *struct {
			SHA256 string `json:"sha256"`
			Size   int64  `json:"size"`
		} `json:"lfs"`
	} `json:"siblings"`
}

// escapeRepo escapes each segment of "org/name".
func escapeRepo(repo string) string {
	segs := strings.Split(repo, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func (h HF) fetch(ctx context.Context, dl *downloader) error {
	if h.Repo == "" || strings.Count(h.Repo, "/") > 1 || strings.Contains(h.Repo, "..") {
		return fmt.Errorf("repo %q must look like org/name", h.Repo)
	}
	base, err := url.Parse(h.endpoint())
	if err != nil || base.Host == "" || (base.Scheme != "https" && base.Scheme != "http") {
		return fmt.Errorf("hub endpoint %q (HF_ENDPOINT) must look like https://host", redactURL(h.endpoint()))
	}
	info, err := h.repoInfo(ctx, dl)
	if err != nil {
		return err
	}
	if info.SHA == "" {
		return fmt.Errorf("the hub gave no commit for revision %q", h.revision())
	}
	var files []file
	matched := make([]bool, len(h.Files))
	for _, s := range info.Siblings {
		if len(h.Files) > 0 && !hfSelect(h.Files, s.Name, matched) {
			continue
		}
		if err := safeName(s.Name); err != nil {
			return err
		}
		want := expect{size: -1}
		if s.Size != nil {
			want.size = *s.Size
		}
		if s.LFS != nil {
			want.size, want.sha256 = s.LFS.Size, strings.ToLower(s.LFS.SHA256)
		} else if isHex(s.BlobID, 40) {
			want.gitSHA1 = strings.ToLower(s.BlobID)
		}
		files = append(files, h.file(s.Name, info.SHA, want))
	}
	for i, ok := range matched {
		if !ok {
			return fmt.Errorf("files[%d] %q matches no file of %s at revision %s", i, h.Files[i], h.Repo, h.revision())
		}
	}
	if len(files) == 0 {
		return fmt.Errorf("%s at revision %s has no files", h.Repo, h.revision())
	}
	return dl.run(ctx, files)
}

// hfSelect reports whether name is wanted by one of the patterns and marks
// the patterns that matched.
func hfSelect(patterns []string, name string, matched []bool) bool {
	hit := false
	for i, p := range patterns {
		p = strings.TrimPrefix(p, "/")
		dir := strings.TrimSuffix(p, "/") + "/"
		ok := p == name || strings.HasPrefix(name, dir)
		if !ok && strings.ContainsAny(p, "*?[") {
			ok, _ = path.Match(p, name)
		}
		if ok {
			matched[i], hit = true, true
		}
	}
	return hit
}

func (h HF) request(ctx context.Context, u string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if t := h.token(); t != "" {
		req.Header.Set("Authorization", "Bearer "+t)
	}
	return req, nil
}

func (h HF) repoInfo(ctx context.Context, dl *downloader) (*hfRepoInfo, error) {
	u := h.endpoint() + "/api/models/" + escapeRepo(h.Repo) + "/revision/" + url.PathEscape(h.revision()) + "?blobs=true"
	req, err := h.request(ctx, u)
	if err != nil {
		return nil, err
	}
	resp, _, err := dl.do(req)
	if err != nil {
		return nil, fmt.Errorf("repository info: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, h.httpError(resp, "")
	}
	var info hfRepoInfo
	if err := json.NewDecoder(io.LimitReader(resp.Body, 256<<20)).Decode(&info); err != nil {
		return nil, fmt.Errorf("repository info: the hub's answer is not JSON: %w", err)
	}
	return &info, nil
}

// file downloads name from the commit sha, following the hub's redirect to
// its CDN. The hub's first answer carries the LFS hash and size.
func (h HF) file(name, sha string, want expect) file {
	u := h.endpoint() + "/" + escapeRepo(h.Repo) + "/resolve/" + url.PathEscape(sha) + "/" + escapeName(name)
	return file{
		name: name,
		want: want,
		newReq: func(ctx context.Context) (*http.Request, error) {
			return h.request(ctx, u)
		},
		check: func(first http.Header, resp *http.Response, want *expect) error {
			if resp.StatusCode != http.StatusOK {
				return h.httpError(resp, name)
			}
			if n := contentLength(first, "X-Linked-Size"); n >= 0 {
				if want.size >= 0 && want.size != n {
					return fmt.Errorf("%s: the hub lists %d bytes but serves %d", name, want.size, n)
				}
				want.size = n
			}
			if e := normETag(first.Get("X-Linked-Etag")); isHex(e, 64) {
				want.sha256 = e
			} else if e := normETag(resp.Header.Get("ETag")); want.sha256 == "" && isHex(e, 40) {
				want.gitSHA1 = e
			}
			return nil
		},
	}
}

// escapeName escapes a repository path but keeps its slashes.
func escapeName(name string) string {
	segs := strings.Split(name, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func normETag(e string) string {
	return strings.ToLower(strings.Trim(strings.TrimPrefix(e, "W/"), `"`))
}

func isHex(s string, n int) bool {
	return len(s) == n && strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}

// httpError explains a failed hub request. name is the file, or "" for the
// repository info.
func (h HF) httpError(resp *http.Response, name string) error {
	what := "repository info"
	if name != "" {
		what = name
	}
	code := resp.Header.Get("X-Error-Code")
	switch {
	case code == "RevisionNotFound":
		return fmt.Errorf("%s: revision %q not found in %s (use a branch, a tag or a commit sha)", what, h.revision(), h.Repo)
	case code == "EntryNotFound":
		return fmt.Errorf("%s: file not found in %s at revision %s (check files)", what, h.Repo, h.revision())
	case code == "GatedRepo":
		return fmt.Errorf("%s: %s is gated: accept its conditions on the model page with the account of the token", what, h.Repo)
	case code == "RepoNotFound", resp.StatusCode == http.StatusUnauthorized:
		if h.token() != "" {
			return fmt.Errorf("%s: repository %s not found, or the token has no access to it", what, h.Repo)
		}
		return fmt.Errorf("%s: repository %s not found or private: set accessToken or HF_TOKEN", what, h.Repo)
	case resp.StatusCode == http.StatusForbidden:
		return fmt.Errorf("%s: access to %s denied (check accessToken or HF_TOKEN)", what, h.Repo)
	case resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%s: not found on the hub (check repo, revision and files)", what)
	}
	return statusError(what, resp)
}

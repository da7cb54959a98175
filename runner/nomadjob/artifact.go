package nomadjob

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/hashicorp/nomad/api"
)

// Artifact is a file a task downloads before it starts (go-getter's
// http(s) and s3 sources).
type Artifact struct {
	Path   string // Job.TaskGroups[i].Tasks[j].Artifacts[k]
	Kind   string // http | s3
	URL    string // http(s) URL; for s3 the object's s3://bucket/key
	S3Host string `json:",omitempty"` // s3::https://host/bucket/key: the endpoint
	// Checksum is go-getter's "type:hex" (sha256 and md5 are checked).
	SHA256, MD5 string `json:",omitempty"`
	Headers     map[string]string
	// Dest is the host path the artifact lands in: a directory (mode any,
	// dir), or the file itself (mode file).
	Dest      string
	Mode      string // any | file | dir
	Unarchive bool   // unpack .tar, .tar.gz, .tgz, .zip into Dest
	// S3 credentials from GetterOptions (never printed).
	S3Region, S3KeyID, S3Secret string `json:"-"`
}

func (b *builder) artifacts(task *Task, t *api.Task, taskDir, tpath string, v vars) error {
	for i, ar := range t.Artifacts {
		where := fmt.Sprintf("%s.Artifacts[%d]", tpath, i)
		src := v.expand(str(ar.GetterSource))
		out := Artifact{Path: where, Mode: str(ar.GetterMode), Headers: map[string]string{}}
		if out.Mode == "" {
			out.Mode = "any"
		}
		opts := map[string]string{}
		for k, val := range ar.GetterOptions {
			opts[k] = v.expand(val)
		}
		for k, val := range ar.GetterHeaders {
			out.Headers[k] = v.expand(val)
		}
		if err := parseSource(&out, src, opts); err != nil {
			return fmt.Errorf("task %q (%s.GetterSource): %w", t.Name, where, err)
		}
		if cs := opts["checksum"]; cs != "" {
			kind, sum, ok := strings.Cut(cs, ":")
			switch {
			case ok && kind == "sha256":
				out.SHA256 = strings.ToLower(sum)
			case ok && kind == "md5":
				out.MD5 = strings.ToLower(sum)
			default:
				return fmt.Errorf("task %q (%s.GetterOptions.checksum): %q: the runner checks \"sha256:<hex>\" and \"md5:<hex>\"", t.Name, where, cs)
			}
		}
		out.Unarchive = opts["archive"] != "false" && out.Mode != "file" && isArchive(out.URL)
		rel := v.expand(str(ar.RelativeDest))
		if rel == "" {
			rel = "local/"
		}
		dest, err := inside(taskDir, rel)
		if err != nil {
			return fmt.Errorf("task %q (%s.RelativeDest): %w", t.Name, where, err)
		}
		out.Dest = dest
		task.Artifacts = append(task.Artifacts, out)
	}
	return nil
}

// parseSource reads go-getter sources the runner can fetch: http(s) URLs
// (with go-getter's query options removed) and S3 objects.
func parseSource(a *Artifact, src string, opts map[string]string) error {
	forced := ""
	if f, rest, ok := strings.Cut(src, "::"); ok && !strings.Contains(f, "/") {
		forced, src = f, rest
	}
	u, err := url.Parse(src)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %w", src, err)
	}
	// go-getter's own options ride in the query.
	q := u.Query()
	for _, k := range []string{"checksum", "archive", "aws_access_key_id", "aws_access_key_secret", "region", "filename"} {
		if q.Has(k) {
			if _, set := opts[k]; !set {
				opts[k] = q.Get(k)
			}
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	switch {
	case forced == "s3" || u.Scheme == "s3" || strings.Contains(u.Host, ".s3.") || strings.HasPrefix(u.Host, "s3."):
		a.Kind = "s3"
		a.S3Region, a.S3KeyID, a.S3Secret = opts["region"], opts["aws_access_key_id"], opts["aws_access_key_secret"]
		switch {
		case u.Scheme == "s3":
			a.URL = "s3://" + u.Host + u.Path
		case strings.Contains(u.Host, ".s3."): // bucket.s3.amazonaws.com/key
			bucket, _, _ := strings.Cut(u.Host, ".s3.")
			a.URL = "s3://" + bucket + u.Path
		default: // s3::https://host/bucket/key (path style, any endpoint)
			a.S3Host = u.Scheme + "://" + u.Host
			a.URL = "s3://" + strings.TrimPrefix(u.Path, "/")
		}
		if strings.Count(strings.TrimPrefix(a.URL, "s3://"), "/") < 1 {
			return fmt.Errorf("%q names no object: write s3::https://HOST/BUCKET/KEY or s3://BUCKET/KEY", src)
		}
	case forced == "" && (u.Scheme == "http" || u.Scheme == "https"):
		a.Kind = "http"
		a.URL = u.String()
	case forced == "http" || forced == "https":
		a.Kind = "http"
		a.URL = u.String()
	default:
		return fmt.Errorf("%q: the runner downloads http(s) and s3 artifacts only (not git, hg, gcs or local files)", src)
	}
	return nil
}

func isArchive(u string) bool {
	p := u
	if parsed, err := url.Parse(u); err == nil {
		p = parsed.Path
	}
	p = strings.ToLower(path.Base(p))
	for _, ext := range []string{".tar.gz", ".tgz", ".tar", ".zip"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

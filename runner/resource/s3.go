package resource

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path"
	"regexp"
	"strings"
	"time"
)

// S3 is an S3 resource (Nosana `type: "S3"`).
//
// Locations: URL is `s3://bucket/prefix` (sent to Endpoint, else
// $AWS_ENDPOINT_URL_S3, else $AWS_ENDPOINT_URL, else AWS in Region) or
// `https://host/bucket/prefix` (path-style; Endpoint, when set, replaces the
// host; an AWS virtual-hosted `https://bucket.s3.region.amazonaws.com/prefix`
// is understood too). With Bucket set, URL is the endpoint (plus an optional
// prefix) and Bucket the bucket; Bucket alone is a whole bucket at the s3://
// endpoint. Buckets lists several such URLs, each with its own Files,
// fetched into one directory.
//
// Objects under the prefix land at their path relative to it; a prefix that
// names a single object gives that one file. Files limits the download to
// those names (relative to the prefix).
//
// Credentials: AccessKeyID and SecretAccessKey sign every request (AWS
// Signature Version 4); without them requests are anonymous, which works
// for buckets whose policy allows public reads.
//
// AllowWrite: the cache entry stays shared and immutable; every Fetch returns
// a private writable copy under <Cache.Dir>/rw/, removed by Cache.Release.
type S3 struct {
	URL, Bucket                          string
	Buckets                              []S3Bucket
	Files                                []string
	AllowWrite                           bool
	Region, AccessKeyID, SecretAccessKey string
	Endpoint                             string
}

// S3Bucket is one entry of S3.Buckets.
type S3Bucket struct {
	URL   string
	Files []string
}

// nosanaBucket is rewritten like Nosana's node does: its public models
// bucket is served through a CDN.
const (
	nosanaBucket    = "nos-ai-models-qllsn32u"
	nosanaBucketCDN = "https://models.nosana.io"
)

// s3Loc is one resolved location: requests go to endpoint + "/" + bucket +
// "/" + key, or to endpoint + "/" + key when the endpoint is the bucket
// (virtual-hosted, bucket == "").
type s3Loc struct {
	endpoint *url.URL
	bucket   string
	prefix   string // without leading or trailing '/'
	files    []string
	label    string // s3://bucket/prefix or the URL, for people
}

// Key hashes the resolved locations and file lists.
func (s S3) Key() string {
	locs, err := s.locations()
	if err != nil {
		return hashKey("s3", "invalid", s.URL, s.Bucket, fmt.Sprint(s.Buckets), fmt.Sprint(s.Files), s.Endpoint)
	}
	var parts []string
	for _, l := range locs {
		parts = append(parts, l.endpoint.String(), l.bucket, l.prefix)
		parts = append(parts, fileParts(l.files)...)
	}
	return hashKey("s3", parts...)
}

func (s S3) label() string {
	locs, err := s.locations()
	if err != nil || len(locs) == 0 {
		return "s3 resource"
	}
	if len(locs) == 1 {
		return locs[0].label
	}
	return fmt.Sprintf("%s (+%d more buckets)", locs[0].label, len(locs)-1)
}

func (s S3) secrets() []string { return []string{s.SecretAccessKey} }

func (s S3) creds() *awsCreds {
	if s.AccessKeyID == "" && s.SecretAccessKey == "" {
		return nil
	}
	region := s.Region
	if region == "" {
		region = os.Getenv("AWS_REGION")
	}
	if region == "" {
		region = "us-east-1"
	}
	return &awsCreds{accessKeyID: s.AccessKeyID, secretAccessKey: s.SecretAccessKey, region: region}
}

// locations resolves URL/Bucket/Buckets into where to list and download.
func (s S3) locations() ([]s3Loc, error) {
	switch {
	case (s.URL != "" || s.Bucket != "") && len(s.Buckets) > 0:
		return nil, fmt.Errorf("set either url/bucket or buckets, not both")
	case s.URL != "":
		l, err := s.parse(s.URL, s.Bucket)
		if err != nil {
			return nil, err
		}
		l.files = s.Files
		return []s3Loc{l}, nil
	case s.Bucket != "" && len(s.Buckets) == 0:
		ep, err := s.s3Endpoint()
		if err != nil {
			return nil, err
		}
		return []s3Loc{{endpoint: ep, bucket: s.Bucket, files: s.Files, label: "s3://" + s.Bucket}}, nil
	case len(s.Buckets) > 0:
		var out []s3Loc
		for i, b := range s.Buckets {
			l, err := s.parse(b.URL, "")
			if err != nil {
				return nil, fmt.Errorf("buckets[%d]: %w", i, err)
			}
			l.files = b.Files
			out = append(out, l)
		}
		return out, nil
	}
	return nil, fmt.Errorf("no url or buckets given: write \"url\": \"s3://bucket/prefix\"")
}

// parse resolves one URL. bucket, when set, names the bucket and makes raw
// an endpoint.
func (s S3) parse(raw, bucket string) (s3Loc, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return s3Loc{}, fmt.Errorf("url %q is not s3://bucket/prefix or https://host/bucket/prefix", redactURL(raw))
	}
	p := strings.Trim(u.Path, "/")
	if u.Scheme == "s3" && u.Host == nosanaBucket && bucket == "" {
		u, _ = url.Parse(nosanaBucketCDN)
		return s3Loc{endpoint: u, prefix: p, label: "s3://" + nosanaBucket + "/" + p}, nil
	}
	switch u.Scheme {
	case "s3":
		if bucket != "" {
			return s3Loc{}, fmt.Errorf("url %q already names a bucket; drop \"bucket\" or give an https endpoint", redactURL(raw))
		}
		ep, err := s.s3Endpoint()
		if err != nil {
			return s3Loc{}, err
		}
		return s3Loc{endpoint: ep, bucket: u.Host, prefix: p, label: "s3://" + path.Join(u.Host, p)}, nil
	case "http", "https":
	default:
		return s3Loc{}, fmt.Errorf("url %q: scheme must be s3, https or http", redactURL(raw))
	}
	ep := &url.URL{Scheme: u.Scheme, Host: u.Host}
	if m := awsVirtualHost.FindStringSubmatch(u.Hostname()); m != nil && bucket == "" && s.Endpoint == "" {
		// https://bucket.s3.region.amazonaws.com/prefix: the host is the bucket.
		return s3Loc{endpoint: ep, prefix: p, label: "s3://" + path.Join(m[1], p)}, nil
	}
	if s.Endpoint != "" {
		if ep, err = parseEndpoint(s.Endpoint); err != nil {
			return s3Loc{}, err
		}
	}
	if bucket == "" {
		bucket, p, _ = strings.Cut(p, "/")
		if bucket == "" {
			return s3Loc{}, fmt.Errorf("url %q names no bucket: write https://host/bucket/prefix", redactURL(raw))
		}
	}
	return s3Loc{endpoint: ep, bucket: bucket, prefix: p, label: "s3://" + path.Join(bucket, p)}, nil
}

// s3Endpoint is where s3:// URLs go.
func (s S3) s3Endpoint() (*url.URL, error) {
	for _, e := range []string{s.Endpoint, os.Getenv("AWS_ENDPOINT_URL_S3"), os.Getenv("AWS_ENDPOINT_URL")} {
		if e != "" {
			return parseEndpoint(e)
		}
	}
	region := s.Region
	if region == "" {
		region = os.Getenv("AWS_REGION")
	}
	if region == "" {
		region = "us-east-1"
	}
	return &url.URL{Scheme: "https", Host: "s3." + region + ".amazonaws.com"}, nil
}

func parseEndpoint(e string) (*url.URL, error) {
	u, err := url.Parse(e)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("endpoint %q must look like https://host[:port]", redactURL(e))
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.TrimSuffix(u.Path, "/")}, nil
}

// awsVirtualHost matches AWS virtual-hosted bucket addresses and captures
// the bucket.
var awsVirtualHost = regexp.MustCompile(`^(.+)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$`)

// redactURL hides a password in a URL given by a person.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return raw
}

// fetch lists every location and downloads the objects into one directory.
func (s S3) fetch(ctx context.Context, dl *downloader) error {
	locs, err := s.locations()
	if err != nil {
		return err
	}
	c := &s3Client{dl: dl, creds: s.creds()}
	var files []file
	for _, l := range locs {
		objs, err := c.objects(ctx, l)
		if err != nil && len(locs) > 1 {
			return fmt.Errorf("%s: %w", l.label, err)
		}
		if err != nil {
			return err
		}
		for _, o := range objs {
			files = append(files, c.file(l, o))
		}
	}
	return dl.run(ctx, files)
}

// s3Object is a key to download and what it is named inside the resource.
type s3Object struct {
	key, name string
	size      int64 // -1: unknown
	etag      string
}

// objects lists what to download from l: the given files, or everything
// under the prefix, or the prefix itself when it names one object.
func (c *s3Client) objects(ctx context.Context, l s3Loc) ([]s3Object, error) {
	if len(l.files) > 0 {
		var out []s3Object
		for _, f := range fileSet(l.files) {
			name := strings.TrimPrefix(f, "/")
			key := name
			if l.prefix != "" {
				key = l.prefix + "/" + name
			}
			out = append(out, s3Object{key: key, name: name, size: -1})
		}
		return out, nil
	}
	dir := ""
	if l.prefix != "" {
		dir = l.prefix + "/"
	}
	listed, err := c.list(ctx, l, dir)
	if err != nil {
		return nil, err
	}
	var out []s3Object
	for _, o := range listed {
		if strings.HasSuffix(o.key, "/") && o.size == 0 {
			continue // a "directory" marker
		}
		o.name = strings.TrimPrefix(o.key, dir)
		out = append(out, o)
	}
	if len(out) == 0 && l.prefix != "" {
		// Maybe the prefix is one object: list it exactly.
		listed, err := c.list(ctx, l, l.prefix)
		if err != nil {
			return nil, err
		}
		for _, o := range listed {
			if o.key == l.prefix {
				o.name = path.Base(o.key)
				out = append(out, o)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no objects found (check the bucket and the prefix)")
	}
	return out, nil
}

// file makes the download of one object.
func (c *s3Client) file(l s3Loc, o s3Object) file {
	want := expect{size: o.size}
	return file{
		name: o.name,
		want: want,
		newReq: func(ctx context.Context) (*http.Request, error) {
			return c.request(ctx, l, "/"+o.key, nil)
		},
		check: func(_ http.Header, resp *http.Response, want *expect) error {
			if resp.StatusCode != http.StatusOK {
				return c.httpError(l, resp, o.name)
			}
			if md5 := plainMD5ETag(resp.Header); md5 != "" {
				want.md5 = md5
			}
			return nil
		},
	}
}

// plainMD5ETag returns the object's MD5 when its ETag is one: a single-part
// upload without KMS or customer-key encryption.
func plainMD5ETag(h http.Header) string {
	etag := strings.ToLower(strings.Trim(strings.TrimPrefix(h.Get("ETag"), "W/"), `"`))
	if len(etag) != 32 || strings.Trim(etag, "0123456789abcdef") != "" {
		return ""
	}
	if sse := h.Get("X-Amz-Server-Side-Encryption"); strings.HasPrefix(sse, "aws:kms") {
		return ""
	}
	if h.Get("X-Amz-Server-Side-Encryption-Customer-Algorithm") != "" {
		return ""
	}
	return etag
}

// s3Client sends (signed) requests.
type s3Client struct {
	dl    *downloader
	creds *awsCreds
}

func (c *s3Client) request(ctx context.Context, l s3Loc, p string, q url.Values) (*http.Request, error) {
	if l.bucket != "" {
		p = "/" + l.bucket + p
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, awsURL(l.endpoint, p, q).String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept-Encoding", "identity")
	if c.creds != nil {
		signV4(req, *c.creds, time.Now())
	}
	return req, nil
}

package resource

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// maxListPages bounds a listing (1000 keys a page) against a server that
// never stops paginating.
const maxListPages = 100_000

// listPageSize sets max-keys when not 0 (tests use it to force pagination).
var listPageSize = 0

type listResult struct {
	Contents []struct {
		Key  string `xml:"Key"`
		Size int64  `xml:"Size"`
		ETag string `xml:"ETag"`
	} `xml:"Contents"`
	IsTruncated           bool   `xml:"IsTruncated"`
	NextContinuationToken string `xml:"NextContinuationToken"`
}

// list runs ListObjectsV2 under prefix, following continuation tokens.
func (c *s3Client) list(ctx context.Context, l s3Loc, prefix string) ([]s3Object, error) {
	var out []s3Object
	token := ""
	for page := 0; page < maxListPages; page++ {
		q := url.Values{"list-type": {"2"}, "prefix": {prefix}}
		if token != "" {
			q.Set("continuation-token", token)
		}
		if listPageSize > 0 {
			q.Set("max-keys", strconv.Itoa(listPageSize))
		}
		req, err := c.request(ctx, l, "/", q)
		if err != nil {
			return nil, err
		}
		resp, _, err := c.dl.do(req)
		if err != nil {
			return nil, fmt.Errorf("list objects: %w", err)
		}
		if resp.StatusCode != http.StatusOK {
			err := c.httpError(l, resp, "")
			resp.Body.Close()
			return nil, err
		}
		var r listResult
		err = xml.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&r)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("list objects: the server's answer is not an S3 listing: %w", err)
		}
		for _, o := range r.Contents {
			out = append(out, s3Object{key: o.Key, size: o.Size, etag: o.ETag})
		}
		if !r.IsTruncated {
			return out, nil
		}
		if r.NextContinuationToken == "" || r.NextContinuationToken == token {
			return nil, fmt.Errorf("list objects: the server paginates without a continuation token")
		}
		token = r.NextContinuationToken
	}
	return nil, fmt.Errorf("list objects: more than %d pages", maxListPages)
}

// s3ErrorBody is the XML error document S3 servers send.
type s3ErrorBody struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// httpError explains a failed S3 request for people. name is the object's
// name inside the resource, or "" for a listing.
func (c *s3Client) httpError(l s3Loc, resp *http.Response, name string) error {
	var e s3ErrorBody
	_ = xml.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&e)
	what := "list objects"
	if name != "" {
		what = name
	}
	keys := "check IAM ACCESS_KEY_ID / SECRET_ACCESS_KEY"
	if c.creds == nil {
		keys = "the bucket does not allow anonymous reads: set IAM ACCESS_KEY_ID / SECRET_ACCESS_KEY"
	}
	switch e.Code {
	case "SignatureDoesNotMatch":
		return fmt.Errorf("%s: access denied, the signature does not match (check IAM ACCESS_KEY_ID / SECRET_ACCESS_KEY)", what)
	case "InvalidAccessKeyId", "XAdminUserNotFound":
		return fmt.Errorf("%s: access denied, the server does not know the access key id (check IAM ACCESS_KEY_ID / SECRET_ACCESS_KEY)", what)
	case "AccessDenied", "AllAccessDisabled", "AccountProblem":
		return fmt.Errorf("%s: access denied (%s)", what, keys)
	case "NoSuchBucket":
		return fmt.Errorf("%s: bucket %q does not exist", what, l.bucket)
	case "NoSuchKey":
		return fmt.Errorf("%s: no such object (check files; names are relative to the url's prefix)", what)
	case "AuthorizationHeaderMalformed", "AuthorizationQueryParametersError":
		return fmt.Errorf("%s: the server rejected the signature's scope (check IAM REGION): %s", what, e.Message)
	case "PermanentRedirect":
		return fmt.Errorf("%s: the bucket is in another region or needs another endpoint (check IAM REGION and the url)", what)
	}
	switch resp.StatusCode {
	case http.StatusForbidden, http.StatusUnauthorized:
		return fmt.Errorf("%s: access denied (%s)", what, keys)
	case http.StatusNotFound:
		return fmt.Errorf("%s: not found", what)
	}
	detail := resp.Status
	if e.Code != "" {
		detail += " " + e.Code
	}
	return fmt.Errorf("%s: server answered %s", what, detail)
}

package resource

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The examples of the Amazon S3 API reference ("Signature Calculations for
// the Authorization Header"), examplebucket, 2013-05-24.
func TestSignV4Examples(t *testing.T) {
	creds := awsCreds{accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1"}
	now := time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
	ep := &url.URL{Scheme: "https", Host: "examplebucket.s3.amazonaws.com"}
	for _, tc := range []struct {
		name    string
		path    string
		query   url.Values
		headers map[string]string
		signed  string
		sig     string
	}{
		{"GET object with range", "/test.txt", nil, map[string]string{"Range": "bytes=0-9"},
			"host;range;x-amz-content-sha256;x-amz-date", "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
		{"GET bucket lifecycle", "/", url.Values{"lifecycle": {""}}, nil,
			"host;x-amz-content-sha256;x-amz-date", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"},
		{"GET bucket list objects", "/", url.Values{"max-keys": {"2"}, "prefix": {"J"}}, nil,
			"host;x-amz-content-sha256;x-amz-date", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, awsURL(ep, tc.path, tc.query).String(), nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			signV4(req, creds, now)
			want := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=" +
				tc.signed + ", Signature=" + tc.sig
			if got := req.Header.Get("Authorization"); got != want {
				t.Errorf("Authorization =\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestAWSURLEscaping(t *testing.T) {
	ep := &url.URL{Scheme: "http", Host: "127.0.0.1:9000"}
	u := awsURL(ep, "/bucket/dir/tok en+izer (1).json", url.Values{"prefix": {"a b/"}, "list-type": {"2"}})
	want := "http://127.0.0.1:9000/bucket/dir/tok%20en%2Bizer%20%281%29.json?list-type=2&prefix=a%20b%2F"
	if u.String() != want {
		t.Errorf("url = %s\nwant  %s", u, want)
	}
	if !strings.Contains(awsEscape("~a-b_c.d/", true), "%2F") || awsEscape("~a-b_c.d", true) != "~a-b_c.d" {
		t.Error("unreserved characters must stay, '/' must be escaped in query values")
	}
}

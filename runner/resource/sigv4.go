package resource

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// emptySHA256 is the hash of an empty payload (every request here is a GET).
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// awsCreds are IAM keys for AWS Signature Version 4.
type awsCreds struct {
	accessKeyID, secretAccessKey, region string
}

// signV4 signs req for S3 with AWS Signature Version 4 (header form). It
// signs the host and every header already set on req, so set them first. The
// request URL must carry its escaped path in RawPath (see awsURL).
func signV4(req *http.Request, c awsCreds, now time.Time) {
	signV4Payload(req, c, now, emptySHA256)
}

// signV4Payload signs a request whose body hashes to payloadHash (hex).
func signV4Payload(req *http.Request, c awsCreds, now time.Time, payloadHash string) {
	amzDate := now.UTC().Format("20060102T150405Z")
	day := amzDate[:8]
	req.Header.Set("X-Amz-Date", amzDate)
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)

	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	names := []string{"host"}
	values := map[string]string{"host": host}
	for k, vs := range req.Header {
		lk := strings.ToLower(k)
		if lk == "authorization" || lk == "user-agent" || lk == "accept-encoding" {
			continue
		}
		trimmed := make([]string, len(vs))
		for i, v := range vs {
			trimmed[i] = strings.Join(strings.Fields(v), " ")
		}
		names = append(names, lk)
		values[lk] = strings.Join(trimmed, ",")
	}
	slices.Sort(names)
	var canonHeaders strings.Builder
	for _, n := range names {
		canonHeaders.WriteString(n + ":" + values[n] + "\n")
	}
	signed := strings.Join(names, ";")

	canonical := strings.Join([]string{
		req.Method,
		req.URL.EscapedPath(),
		canonicalQuery(req.URL.Query()),
		canonHeaders.String(),
		signed,
		payloadHash,
	}, "\n")
	scope := day + "/" + c.region + "/s3/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonical)

	key := hmacSHA256([]byte("AWS4"+c.secretAccessKey), day)
	key = hmacSHA256(key, c.region)
	key = hmacSHA256(key, "s3")
	key = hmacSHA256(key, "aws4_request")
	sig := hex.EncodeToString(hmacSHA256(key, toSign))

	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+c.accessKeyID+"/"+scope+
		", SignedHeaders="+signed+", Signature="+sig)
}

// canonicalQuery sorts parameters by name, then value, and escapes both the
// AWS way.
func canonicalQuery(q url.Values) string {
	var parts []string
	for k, vs := range q {
		for _, v := range vs {
			parts = append(parts, awsEscape(k, true)+"="+awsEscape(v, true))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, "&")
}

// awsEscape percent-encodes everything but unreserved characters
// (A-Z a-z 0-9 - . _ ~), and '/' too when slash is true.
func awsEscape(s string, slash bool) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/' && !slash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexd[c>>4])
			b.WriteByte(hexd[c&15])
		}
	}
	return b.String()
}

// awsURL builds endpoint + path (unescaped, starting with '/') so that the
// path goes on the wire exactly as it is signed, and sets the query.
func awsURL(endpoint *url.URL, p string, q url.Values) *url.URL {
	u := *endpoint
	base := strings.TrimSuffix(endpoint.Path, "/")
	u.Path = base + p
	u.RawPath = awsEscape(base, false) + awsEscape(p, false)
	u.RawQuery = canonicalQuery(q)
	u.Fragment, u.RawFragment, u.User = "", "", nil
	return &u
}

func hmacSHA256(key []byte, s string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return m.Sum(nil)
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

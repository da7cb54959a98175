package resource

import (
	"strings"
	"testing"
)

func TestS3Locations(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_S3", "")
	t.Setenv("AWS_REGION", "")
	for _, tc := range []struct {
		name                     string
		spec                     S3
		env                      map[string]string
		endpoint, bucket, prefix string
		label                    string
	}{
		{"aws default", S3{URL: "s3://models/llama/"}, nil, "https://s3.us-east-1.amazonaws.com", "models", "llama", "s3://models/llama"},
		{"aws region", S3{URL: "s3://models", Region: "eu-west-1"}, nil, "https://s3.eu-west-1.amazonaws.com", "models", "", "s3://models"},
		{"AWS_REGION", S3{URL: "s3://models/x"}, map[string]string{"AWS_REGION": "ap-south-1"}, "https://s3.ap-south-1.amazonaws.com", "models", "x", "s3://models/x"},
		{"AWS_ENDPOINT_URL_S3 first", S3{URL: "s3://m/x"}, map[string]string{"AWS_ENDPOINT_URL": "http://a:1", "AWS_ENDPOINT_URL_S3": "http://b:2/"}, "http://b:2", "m", "x", "s3://m/x"},
		{"Endpoint field first", S3{URL: "s3://m/x", Endpoint: "http://c:3"}, map[string]string{"AWS_ENDPOINT_URL": "http://a:1"}, "http://c:3", "m", "x", "s3://m/x"},
		{"path-style https", S3{URL: "https://minio.example:9000/b/p/q"}, nil, "https://minio.example:9000", "b", "p/q", "s3://b/p/q"},
		{"https with Endpoint", S3{URL: "https://storage.example.com/models", Endpoint: "http://127.0.0.1:7070"}, nil, "http://127.0.0.1:7070", "models", "", "s3://models"},
		{"aws virtual host", S3{URL: "https://my.models.s3.eu-west-1.amazonaws.com/llama"}, nil, "https://my.models.s3.eu-west-1.amazonaws.com", "", "llama", "s3://my.models/llama"},
		{"aws path style", S3{URL: "https://s3.eu-west-1.amazonaws.com/models/llama"}, nil, "https://s3.eu-west-1.amazonaws.com", "models", "llama", "s3://models/llama"},
		{"nosana bucket", S3{URL: "s3://nos-ai-models-qllsn32u/llama"}, nil, "https://models.nosana.io", "", "llama", "s3://nos-ai-models-qllsn32u/llama"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			locs, err := tc.spec.locations()
			if err != nil {
				t.Fatal(err)
			}
			l := locs[0]
			if l.endpoint.String() != tc.endpoint || l.bucket != tc.bucket || l.prefix != tc.prefix || l.label != tc.label {
				t.Errorf("got %s %q %q %q, want %s %q %q %q", l.endpoint, l.bucket, l.prefix, l.label, tc.endpoint, tc.bucket, tc.prefix, tc.label)
			}
		})
	}
}

func TestS3LocationErrors(t *testing.T) {
	for _, tc := range []struct {
		spec S3
		want string
	}{
		{S3{}, "no url or buckets given"},
		{S3{URL: "s3://a/b", Buckets: []S3Bucket{{URL: "s3://c"}}}, "either url/bucket or buckets"},
		{S3{URL: "ftp://host/b"}, "scheme must be s3, https or http"},
		{S3{URL: "https://host/"}, "names no bucket"},
		{S3{URL: "s3://a/b", Bucket: "c"}, "already names a bucket"},
		{S3{URL: "models/llama"}, "is not s3://bucket/prefix"},
		{S3{Buckets: []S3Bucket{{URL: "s3://ok"}, {URL: "nope"}}}, "buckets[1]: url"},
		{S3{URL: "https://user:hunter2@/b"}, "is not s3://bucket/prefix"},
		{S3{URL: "s3://a", Endpoint: "localhost:9000"}, "must look like https://host[:port]"},
	} {
		_, err := tc.spec.locations()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.spec, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("a password from the url appears in %q", err)
		}
	}
}

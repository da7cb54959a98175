package rules

import (
	"strings"
	"testing"
)

func TestResource(t *testing.T) {
	res := func(list string) string { return job(runOp("a", `"resources": [`+list+`]`)) }
	checkCases(t, resource, []ruleCase{
		{"good", res(`{"type": "S3", "url": "s3://bucket/x", "target": "/a"}, {"type": "S3", "bucket": "b", "url": "https://x.example.com", "target": "/b"}, {"type": "HF", "repo": "o/n", "target": "/c"}, {"type": "Ollama", "model": "m"}`), nil},
		{"S3 without url", res(`{"type": "S3", "target": "/a", "files": ["x"]}`), []string{"error ops[0].args.resources[0]"}},
		{"S3 with buckets", res(`{"type": "S3", "target": "/a", "buckets": [{"url": "ftp://x"}]}`), []string{"warning ops[0].args.resources[0].buckets[0].url"}},
		{"relative target", res(`{"type": "HF", "repo": "o/n", "target": "models"}`), []string{"error ops[0].args.resources[0].target"}},
		{"relative Ollama target", res(`{"type": "Ollama", "model": "m", "target": "models"}`), []string{"error ops[0].args.resources[0].target"}},
		{"shared target", res(`{"type": "HF", "repo": "o/n", "target": "/m"}, {"type": "HF", "repo": "o/k", "target": "/m/"}`), []string{"error ops[0].args.resources[1].target"}},
		{"two Ollama defaults", res(`{"type": "Ollama", "model": "a"}, {"type": "Ollama", "model": "b"}`), []string{"error ops[0].args.resources[1]"}},
		{"http url", res(`{"type": "S3", "url": "http://x.example.com/d", "target": "/a"}`), []string{"warning ops[0].args.resources[0].url"}},
		{"literal url", res(`{"type": "S3", "url": "%%global.variables.URL%%", "target": "/a"}`), nil},
		{"HF repo without owner", res(`{"type": "HF", "repo": "gpt2", "target": "/a"}`), []string{"warning ops[0].args.resources[0].repo"}},
		{"HF files without revision", res(`{"type": "HF", "repo": "o/n", "target": "/a", "files": ["c.json"]}`), []string{"warning ops[0].args.resources[0].files"}},
		{"HF files with revision", res(`{"type": "HF", "repo": "o/n", "target": "/a", "files": ["c.json"], "revision": "v1"}`), nil},
		{"allowWrite", res(`{"type": "S3", "url": "s3://b", "target": "/a", "allowWrite": true}`), []string{"info ops[0].args.resources[0].allowWrite"}},
		{"spread and marker skipped", res(`{"__spread__": "%%ops.x.results.r%%"}, "__remove-if-empty__"`), nil},
	})
	out, _ := fixed(t, resource, res(`{"type": "S3", "url": "http://x.example.com/d", "target": "/a"}`), "Use https://")
	if !strings.Contains(out, `"https://x.example.com/d"`) {
		t.Errorf("fix gave %s", out)
	}
}

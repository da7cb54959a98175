package rules

import (
	"strings"
	"testing"
)

func TestParseImageRef(t *testing.T) {
	sha := "sha256:" + strings.Repeat("a1", 32)
	valid := []struct{ in, domain, path, tag, digest string }{
		{"ubuntu", "", "ubuntu", "", ""},
		{"ubuntu:22.04", "", "ubuntu", "22.04", ""},
		{"library/ubuntu:22.04", "", "library/ubuntu", "22.04", ""},
		{"ghcr.io/org/app:v1.2.3", "ghcr.io", "org/app", "v1.2.3", ""},
		{"localhost:5000/app", "localhost:5000", "app", "", ""},
		{"localhost/app:1", "localhost", "app", "1", ""},
		{"registry.example.com:443/a/b/c:x_Y-z", "registry.example.com:443", "a/b/c", "x_Y-z", ""},
		{"nginx@" + sha, "", "nginx", "", sha},
		{"nginx:1.27@" + sha, "", "nginx", "1.27", sha},
		{"my__repo/a-b--c.d_e:t", "", "my__repo/a-b--c.d_e", "t", ""},
		{"[::1]:5000/app:1", "[::1]:5000", "app", "1", ""},
	}
	for _, tc := range valid {
		ref, err := parseImageRef(tc.in)
		if err != nil {
			t.Errorf("%s: unexpected error %s", tc.in, err.Problem)
			continue
		}
		if ref.Domain != tc.domain || ref.Path != tc.path || ref.Tag != tc.tag || ref.Digest != tc.digest {
			t.Errorf("%s = %+v", tc.in, ref)
		}
	}
	invalid := []struct{ in, problem, suggest string }{
		{"Ubuntu:22.04", "lowercase", "ubuntu:22.04"},
		{"myorg/App", "lowercase", "myorg/app"},
		{"MyOrg/app:1", "lowercase", "myorg/app:1"},
		{"ubuntu:22.04 ", "white space", "ubuntu:22.04"},
		{"ubu ntu", "white space", ""},
		{"ubuntu:", "tag", ""},
		{"ubuntu:.x", "tag", ""},
		{"ubuntu:" + strings.Repeat("x", 129), "tag", ""},
		{":22.04", "missing", ""},
		{"a//b", "empty part", ""},
		{"/a", "empty part", ""},
		{"a/", "empty part", ""},
		{"a_-b", "path part", ""},
		{"-a", "path part", ""},
		{"nginx@sha256:abc", "digest", ""},
		{"nginx@sha256:" + strings.Repeat("A", 64), "digest", ""},
		{"nginx@", "digest", ""},
		{"bad_host.com/app", "registry", ""},
		{strings.Repeat("a", 256), "longer than", ""},
	}
	for _, tc := range invalid {
		_, err := parseImageRef(tc.in)
		if err == nil {
			t.Errorf("%q: no error", tc.in)
			continue
		}
		if !strings.Contains(err.Problem, tc.problem) || err.Suggest != tc.suggest {
			t.Errorf("%q: problem %q suggest %q; want %q / %q", tc.in, err.Problem, err.Suggest, tc.problem, tc.suggest)
		}
	}
}

func TestImageReference(t *testing.T) {
	img := func(s string) string {
		return job(`{"id": "a", "type": "container/run", "args": {"image": "` + s + `"}}`)
	}
	checkCases(t, imageReference, []ruleCase{
		{"pinned", img("ubuntu:22.04"), nil},
		{"digest", img("ubuntu@sha256:" + strings.Repeat("0", 64)), nil},
		{"no tag", img("ubuntu"), []string{"warning ops[0].args.image"}},
		{"latest", img("ubuntu:latest"), []string{"warning ops[0].args.image"}},
		{"invalid", img("Ubuntu:22.04"), []string{"error ops[0].args.image"}},
		{"literal", img("%%global.variables.IMAGE%%"), nil},
		{"partial literal", img("ubuntu:%%global.variables.TAG%%"), nil},
		{"empty is empty-value's", img(""), nil},
		{"global image syntax only", withTop(img("ubuntu:22.04"), `"global": {"image": "Bad Image"}`), []string{"error global.image"}},
		{"global image untagged is not reported", withTop(img("ubuntu:22.04"), `"global": {"image": "ubuntu"}`), nil},
	})
	out, _ := fixed(t, imageReference, img("MyOrg/App:1.0"), "Change the image")
	if !strings.Contains(out, `"image": "myorg/app:1.0"`) {
		t.Errorf("fix gave %s", out)
	}
}

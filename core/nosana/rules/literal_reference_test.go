package rules

import (
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
)

// TestLiteralSelfReference: the node fills in an op's host, endpoints and
// deployment endpoint before any op runs, so an op may read its own; its own
// results exist only after it ran.
func TestLiteralSelfReference(t *testing.T) {
	cases := []struct {
		name, top, args string
		wants           []want
	}{
		{"own host", "", `, "cmd": "serve --host %%ops.web.host%%"`, nil},
		{"own endpoint", "", `, "expose": [80], "env": {"URL": "https://%%ops.web.endpoint.80%%"}`, nil},
		{"own deployment endpoint", `"deployment_id": "d", `, `, "expose": 80, "env": {"URL": "%%ops.web.deployment_endpoint%%"}`, nil},
		{"own endpoint of a port it does not expose", "", `, "expose": [80], "env": {"URL": "%%ops.web.endpoint.81%%"}`,
			[]want{{"literal-reference", diag.Error, "%%ops.web.endpoint.81%%", `op "web" exposes only 80`}}},
		{"own deployment endpoint without deployment_id", "", `, "expose": 80, "env": {"URL": "%%ops.web.deployment_endpoint%%"}`,
			[]want{{"literal-reference", diag.Error, "%%ops.web.deployment_endpoint%%", `top-level "deployment_id"`}}},
		{"own endpoint without expose", "", `, "env": {"URL": "%%ops.web.endpoint.80%%"}`,
			[]want{{"literal-reference", diag.Error, "%%ops.web.endpoint.80%%", "exposes no ports"}}},
		{"own result", "", `, "cmd": "echo %%ops.web.results.url%%"`,
			[]want{{"literal-reference", diag.Error, "%%ops.web.results.url%%", `reads a result of op "web" itself`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src, ds := lintOps(t, tc.top, opOf("web", tc.args, `"results": {"url": "https://\\S+"}`))
			expect(t, src, ds, tc.wants...)
		})
	}
}

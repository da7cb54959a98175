package rules

import (
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
)

func TestHealthCheck(t *testing.T) {
	withChecks := func(checks string) string {
		return runOp("a", `"expose": [{"port": 8080, "health_checks": [`+checks+`]}]`)
	}
	good := `{"type": "http", "path": "/health", "method": "GET", "expected_status": 200, "continuous": true}`
	deployed := func(ops ...string) string {
		return strings.Replace(job(ops...), `{"version"`, `{"deployment_id": "d", "version"`, 1)
	}
	checkCases(t, healthCheck, []ruleCase{
		{"good in a job", job(withChecks(good)), nil},
		{"relative path", job(withChecks(`{"type": "http", "path": "health", "method": "GET", "expected_status": 200, "continuous": true}`)),
			[]string{"warning ops[0].args.expose[0].health_checks[0].path"}},
		{"literal path skipped", job(withChecks(`{"type": "http", "path": "%%global.variables.P%%", "method": "GET", "expected_status": 200, "continuous": true}`)), nil},
		{"status out of range", job(withChecks(`{"type": "http", "path": "/", "method": "GET", "expected_status": 99, "continuous": true}`)),
			[]string{"warning ops[0].args.expose[0].health_checks[0].expected_status"}},
		{"body with DELETE", job(withChecks(`{"type": "http", "path": "/", "method": "DELETE", "expected_status": 204, "body": "x", "continuous": true}`)),
			[]string{"warning ops[0].args.expose[0].health_checks[0].body"}},
		{"body with PUT", job(withChecks(`{"type": "http", "path": "/", "method": "PUT", "expected_status": 204, "body": "x", "continuous": true}`)), nil},
		{"websocket", job(withChecks(`{"type": "websocket", "expected_response": "pong", "continuous": true}`)),
			[]string{"warning ops[0].args.expose[0].health_checks[0].type"}},
		{"deployment with a probe", deployed(withChecks(good)), nil},
		{"deployment without a probe", deployed(withChecks(`{"type": "http", "path": "/", "method": "POST", "expected_status": 200, "continuous": true}`)),
			[]string{"warning ops[0].args.expose[0].health_checks"}},
		{"deployment with two probes", deployed(withChecks(good + ", " + good)),
			[]string{"info ops[0].args.expose[0].health_checks[1]"}},
		{"no deployment, no probe needed", job(withChecks(`{"type": "http", "path": "/", "method": "POST", "expected_status": 200, "continuous": true}`)), nil},
	})
	src := job(withChecks(`{"type": "http", "path": "health", "method": "GET", "expected_status": 200, "continuous": true}`))
	out, fix := fixed(t, healthCheck, src, "Change the path")
	if !fix.Safe || !strings.Contains(out, `"path": "/health"`) {
		t.Errorf("fix gave %s", out)
	}
	ds := runRule(t, healthCheck, deployed(withChecks(good+", "+good)))
	if len(ds) != 1 || ds[0].Severity != diag.Info {
		t.Errorf("second probe: %v", brief(ds))
	}
}

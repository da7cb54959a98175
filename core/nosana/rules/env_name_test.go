package rules

import (
	"strings"
	"testing"
)

func TestEnvName(t *testing.T) {
	env := func(members string) string { return job(runOp("a", `"env": {`+members+`}`)) }
	checkCases(t, envName, []ruleCase{
		{"good names", env(`"A": "1", "_b2": "2", "LOG_LEVEL": "x"`), nil},
		{"dash", env(`"MY-VAR": "1"`), []string{"warning ops[0].args.env.MY-VAR"}},
		{"leading digit", env(`"2FA": "1"`), []string{`warning ops[0].args.env["2FA"]`}},
		{"empty name", env(`"": "1"`), []string{`warning ops[0].args.env[""]`}},
		{"reserved", env(`"NOSANA_ID": "1"`), []string{"warning ops[0].args.env.NOSANA_ID"}},
		{"global env", withTop(job(runOp("a", "")), `"global": {"env": {"A.B": "1"}}`), []string{`warning global.env["A.B"]`}},
		{"spread marker", env(`"__spread__": "%%global.variables.ENV%%"`), nil},
	})
	out, fix := fixed(t, envName, env(`"MY-VAR": "1"`), "Rename")
	if fix.Safe || !strings.Contains(out, `"MY_VAR": "1"`) {
		t.Errorf("fix gave %s (safe %v)", out, fix.Safe)
	}
	for _, d := range runRule(t, envName, env(`"MY-VAR": "1", "MY_VAR": "2"`)) {
		if len(d.Fixes) > 0 {
			t.Errorf("offered a rename onto an existing name: %v", d.Fixes[0].Title)
		}
	}
}

package rules

import (
	"strings"
	"testing"
)

func TestDockerAuth(t *testing.T) {
	auth := func(docker string) string {
		return job(runOp("a", `"authentication": {"docker": `+docker+`}`))
	}
	checkCases(t, dockerAuth, []ruleCase{
		{"no authentication", job(runOp("a", "")), nil},
		{"complete", auth(`{"username": "me", "password": "%%global.variables.PW%%"}`), []string{"info ops[0].args.authentication"}},
		{"empty username", auth(`{"username": " ", "password": "x"}`), []string{"info ops[0].args.authentication", "warning ops[0].args.authentication.docker.username"}},
		{"missing both", auth(`{"server": "r.example.com"}`), []string{"info ops[0].args.authentication", "warning ops[0].args.authentication.docker", "warning ops[0].args.authentication.docker"}},
		{"no docker entry", job(runOp("a", `"authentication": {}`)), nil},
	})
	for _, d := range runRule(t, dockerAuth, auth(`{"username": "", "password": "hunter2"}`)) {
		if strings.Contains(d.Message, "hunter2") {
			t.Errorf("message repeats the password: %s", d.Message)
		}
	}
}

package rules

import (
	"strings"
	"testing"
)

func TestPlaintextSecret(t *testing.T) {
	const secret = "s3cr3t-VALUE"
	docker := func(pw string) string {
		return job(runOp("a", `"authentication": {"docker": {"username": "me", "password": "`+pw+`"}}`))
	}
	s3 := runOp("a", `"resources": [{"type": "S3", "url": "s3://b", "target": "/d", "IAM": {"REGION": "r", "ACCESS_KEY_ID": "k", "SECRET_ACCESS_KEY": "`+secret+`"}}]`)
	hf := runOp("a", `"resources": [{"type": "HF", "repo": "o/n", "target": "/m", "accessToken": "`+secret+`"}]`)
	withVar := func(value string) string {
		return strings.Replace(job(runOp("a", `"resources": [{"type": "HF", "repo": "o/n", "target": "/m", "accessToken": "%%global.variables.TOKEN%%"}]`)),
			`{"version"`, `{"global": {"variables": {"TOKEN": "`+value+`"}}, "version"`, 1)
	}
	checkCases(t, plaintextSecret, []ruleCase{
		{"docker password", docker(secret), []string{"warning ops[0].args.authentication.docker.password"}},
		{"empty docker password", docker(""), nil},
		{"literal docker password", docker("%%global.variables.PW%%"), nil},
		{"S3 secret key", job(s3), []string{"warning ops[0].args.resources[0].IAM.SECRET_ACCESS_KEY"}},
		{"HF token", job(hf), []string{"warning ops[0].args.resources[0].accessToken"}},
		{"variable holding the token", withVar(secret), []string{"warning global.variables.TOKEN"}},
		{"empty variable", withVar(""), nil},
		{"confidential job", strings.Replace(job(hf), `{"version"`, `{"logistics": {"send": {"type": "api", "args": {}}, "receive": {"type": "api", "args": {}}}, "version"`, 1), nil},
	})
	for _, src := range []string{docker(secret), job(s3), job(hf), withVar(secret)} {
		for _, d := range runRule(t, plaintextSecret, src) {
			if strings.Contains(d.Message, secret) {
				t.Errorf("message repeats the secret: %s", d.Message)
			}
		}
	}
}

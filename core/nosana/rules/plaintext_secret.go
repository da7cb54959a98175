package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// plaintextSecret: a registry password, an S3 secret key or a Hugging Face
// token written in plain text.
//
// Job definitions are pinned to public IPFS when they are posted, unless the
// job is confidential (its definition travels through "logistics"), so
// anyone can read a secret written in the file. The same holds for a
// global.variables entry that a secret field refers to: variables are part
// of the definition. Messages never repeat the secret's value.
var plaintextSecret = &rule.Rule{
	ID:       "plaintext-secret",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "a password, secret key or token written in plain text in a public job definition",
	Check:    checkPlaintextSecret,
}

// variableLiteral matches a whole-string %%global.variables.NAME%% literal.
var variableLiteral = rule.Regexp(`^%%global\.variables\.([A-Za-z0-9._-]+)%%$`)

func checkPlaintextSecret(c *rule.Context) {
	if c.Doc.Root.Get("logistics").Has("send") {
		return // confidential: the definition is not pinned publicly
	}
	variables := c.Doc.Root.Get("global").Get("variables")
	for _, o := range runOps(c) {
		if pw := o.Args.Get("authentication").Get("docker").Get("password"); pw != nil {
			checkSecret(c, pw, "the registry password", "DOCKER_PASSWORD", variables)
		}
		for _, r := range arrayItems(o.Args.Get("resources")) {
			switch typ, _ := closedStr(r.Get("type")); typ {
			case "S3":
				if k := r.Get("IAM").Get("SECRET_ACCESS_KEY"); k != nil {
					checkSecret(c, k, "the S3 secret access key", "S3_SECRET_ACCESS_KEY", variables)
				}
			case "HF":
				if t := r.Get("accessToken"); t != nil {
					checkSecret(c, t, "the Hugging Face token", "HF_TOKEN", variables)
				}
			}
		}
	}
}

func checkSecret(c *rule.Context, n *jsonast.Node, what, suggested string, variables *jsonast.Node) {
	s, ok := closedStr(n)
	if !ok || s == "" {
		return
	}
	if m := variableLiteral().FindStringSubmatch(s); m != nil {
		if v := variables.MemberByKey(m[1]); v != nil && isClosedStr(v.Value) && v.Value.Str != "" && !containsLiteral(v.Value.Str) {
			c.ReportKey(v, "%s holds %s used by %s in plain text, and job definitions (variables included) are pinned to public IPFS where anyone can read them; post the job as confidential with \"logistics\"", v.Path(), what, n.Path())
		}
		return
	}
	if containsLiteral(s) {
		return
	}
	c.Report(n, "%s: %s is written in plain text, and job definitions are pinned to public IPFS where anyone can read them; post the job as confidential with \"logistics\", and keep the secret in one place with a literal such as \"%%%%global.variables.%s%%%%\"", n.Path(), what, suggested)
}

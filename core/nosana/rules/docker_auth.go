package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// dockerAuth: registry credentials that cannot log in, and what credentials
// cost.
//
// authentication.docker is passed verbatim to the image pull, so an empty or
// missing username or password makes the pull fail as unauthorized. When the
// credentials are set, the node deletes the image after the op, so it is
// pulled again on every run (an info, since it is the price of a private
// image).
var dockerAuth = &rule.Rule{
	ID:       "docker-auth",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "docker credentials with an empty username or password; private images are pulled on every run",
	Check:    checkDockerAuth,
}

func checkDockerAuth(c *rule.Context) {
	for _, o := range runOps(c) {
		am := o.Args.MemberByKey("authentication")
		if am == nil {
			continue
		}
		dm := am.Value.MemberByKey("docker")
		if dm == nil || !dm.Value.Is(jsonast.Object) {
			continue
		}
		docker := dm.Value
		for _, key := range []string{"username", "password"} {
			m := docker.MemberByKey(key)
			switch {
			case m == nil:
				c.ReportKey(dm, "%s: %q is missing, so the registry login fails; add it, or remove \"authentication\" for a public image", dm.Path(), key)
			case isClosedStr(m.Value) && strings.TrimSpace(m.Value.Str) == "":
				c.Report(m.Value, "%s: the %s is empty, so the registry login fails; fill it in or remove \"authentication\" for a public image", m.Path(), key)
			}
		}
		d := c.ReportKey(am, "%s: with registry credentials the node deletes the image after the op, so it is pulled again on every run", am.Path())
		d.Severity = diag.Info
	}
}

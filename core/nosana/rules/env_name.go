package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// envName: environment variable names a shell cannot use, and NOSANA_ID.
//
// Docker passes any name through, but a shell (and most programs) only read
// names made of letters, digits and "_" that do not start with a digit, so
// "MY-VAR" is invisible to `$MY-VAR`. NOSANA_ID is set by the node to the
// flow id after global.env and args.env are merged, so a value written for
// it is always overwritten.
var envName = &rule.Rule{
	ID:       "env-name",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "an environment variable name a shell cannot read, or the reserved NOSANA_ID",
	Check:    checkEnvName,
}

// isEnvName reports whether key matches ^[A-Za-z_][A-Za-z0-9_]*$, the names
// shells accept (a byte loop: this runs on every env key of every op).
func isEnvName(key string) bool {
	if key == "" || key[0] >= '0' && key[0] <= '9' {
		return false
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func checkEnvName(c *rule.Context) {
	checkEnvObject(c, c.Doc.Root.Get("global").Get("env"))
	for _, o := range runOps(c) {
		checkEnvObject(c, o.Args.Get("env"))
	}
}

func checkEnvObject(c *rule.Context, env *jsonast.Node) {
	for _, m := range objectMembers(env) {
		switch {
		case m.Key == "__spread__" || m.Key == "__pairs__" || containsLiteral(m.Key):
		case m.Key == "NOSANA_ID":
			c.ReportKey(m, "%s: NOSANA_ID is set by the node to the flow id and overwrites this value; use another name", m.Path())
		case !isEnvName(m.Key):
			d := c.ReportKey(m, "%s: %s is not a valid environment variable name, so shells and most programs cannot read it; use letters, digits and \"_\", not starting with a digit", m.Path(), jsonString(m.Key))
			if s := envNameSuggestion(m.Key); s != "" && isEnvName(s) && !m.Parent.Has(s) {
				d.Message += ", such as " + jsonString(s)
				d.Fixes = append(d.Fixes, diag.Fix{
					Title: "Rename to " + jsonString(s),
					Edits: []diag.TextEdit{c.Edit(m.KeyStart, m.KeyEnd, jsonString(s))},
				})
			}
		}
	}
}

// envNameSuggestion replaces every character a name cannot hold with "_"
// and prefixes "_" to a leading digit.
func envNameSuggestion(key string) string {
	var b strings.Builder
	for i, r := range key {
		switch {
		case r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			if i == 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

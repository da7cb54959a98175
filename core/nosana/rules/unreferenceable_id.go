package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// unreferenceableID: an op id or a result key that literal syntax cannot
// name.
//
// The node reads %%ops.<id>.<path>%% with a pattern that ends the op id at
// the first "." and allows only letters, digits, ".", "_" and "-" in the
// path, where "." separates levels. An op id with ".", "%" or spaces, or a
// result key with anything else (or a "."), can never be referenced, and an
// attempt fails the op with "Unresolved literal".
var unreferenceableID = &rule.Rule{
	ID:       "unreferenceable-id",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "an op id or result key that %%ops.<id>.results.<key>%% literals cannot name",
	Check:    checkUnreferenceableID,
}

var resultKeyPattern = rule.Regexp(`^[A-Za-z0-9_-]+$`)

func checkUnreferenceableID(c *rule.Context) {
	for _, o := range sourceOf(c).Ops {
		if o.IDNode != nil {
			if bad := badIDChars(o.ID); bad != "" {
				c.Report(o.IDNode, "%s: op id %q contains %s, so literals cannot reference it (the node ends the op id of %%%%ops.<id>.…%%%% at the first \".\"): use only letters, digits, \"-\" and \"_\", e.g. %q",
					o.IDNode.Path(), o.ID, bad, safeName(o.ID))
			}
		}
		results := o.Node.Get("results")
		for _, m := range objectMembers(results) {
			if m.Key == "" || resultKeyPattern().MatchString(m.Key) {
				continue
			}
			d := c.ReportKey(m, "%s: result key %q cannot be read with %%%%ops.%s.results.<key>%%%%, whose key may hold only letters, digits, \"_\" and \"-\" (a \".\" starts a new level): rename it, e.g. %q",
				m.Path(), m.Key, o.ID, safeName(m.Key))
			d.Fixes = append(d.Fixes, diag.Fix{Title: "Rename the key to " + jsonString(safeName(m.Key)),
				Edits: []diag.TextEdit{c.Edit(m.KeyStart, m.KeyEnd, jsonString(safeName(m.Key)))}})
		}
	}
}

// badIDChars describes the characters of id that break literal parsing.
func badIDChars(id string) string {
	var bad []string
	if strings.Contains(id, ".") {
		bad = append(bad, `"."`)
	}
	if strings.Contains(id, "%") {
		bad = append(bad, `"%"`)
	}
	if strings.ContainsAny(id, " \t\r\n") {
		bad = append(bad, "a space")
	}
	return strings.Join(bad, " and ")
}

// safeName turns s into letters, digits, "_" and "-".
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if out := strings.Trim(b.String(), "_"); out != "" {
		return out
	}
	return "key"
}

package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// cmdEntrypoint: cmd and entrypoint forms that do not run what they seem to.
//
// The node turns a string cmd into ["/bin/sh", "-c", cmd] (not bash) and
// passes an array as it is. So cmd "" replaces the image's CMD with a shell
// that does nothing, and a string cmd next to an entrypoint runs
// `<entrypoint> /bin/sh -c …`. An entrypoint string is never split: Docker
// looks for one executable named "/bin/sh -c". A cmd array starting with
// "-c" only works when the image's own ENTRYPOINT is a shell.
var cmdEntrypoint = &rule.Rule{
	ID:       "cmd-entrypoint",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  `cmd/entrypoint pitfalls: cmd "", an unsplit entrypoint string, a string cmd after an entrypoint`,
	Check:    checkCmdEntrypoint,
}

func checkCmdEntrypoint(c *rule.Context) {
	src := sourceOf(c)
	checkEntrypointString(c, src.Global.Get("entrypoint"))
	for _, o := range src.RunOps() {
		checkEntrypointString(c, o.Args.Get("entrypoint"))
		ep := src.Entrypoint(o) // nil: the image's ENTRYPOINT
		m := o.Args.MemberByKey("cmd")
		if m == nil {
			continue
		}
		cmd := m.Value
		switch {
		case isClosedStr(cmd) && strings.TrimSpace(cmd.Str) == "":
			d := c.Report(cmd, "%s: an empty cmd replaces the image's CMD with `sh -c \"\"`, which does nothing; remove cmd to run the image's own CMD", m.Path())
			d.Fixes = append(d.Fixes, diag.Fix{Title: "Remove cmd (run the image's CMD)", Edits: []diag.TextEdit{deleteMember(c.Doc, m)}})
		case isClosedStr(cmd) && !containsLiteral(cmd.Str) && ep != nil:
			d := c.Report(cmd, "%s: a string cmd runs as [\"/bin/sh\", \"-c\", …] and is appended to the entrypoint (%s), giving `<entrypoint> /bin/sh -c …`; write cmd as an array of the entrypoint's arguments", m.Path(), ep.Path())
			d.Fixes = append(d.Fixes, diag.Fix{
				Title: `Write cmd as the argv the node runs: ["/bin/sh", "-c", …]`,
				Edits: []diag.TextEdit{c.Edit(cmd.Start, cmd.End, jsonStrings([]string{"/bin/sh", "-c", cmd.Str}))},
				Safe:  true,
			})
			if words, ok := plainWords(cmd.Str); ok {
				d.Fixes = append(d.Fixes, diag.Fix{
					Title: "Pass the words to the entrypoint as arguments: " + jsonStrings(words),
					Edits: []diag.TextEdit{c.Edit(cmd.Start, cmd.End, jsonStrings(words))},
				})
			}
		case cmd.Is(jsonast.Array) && len(cmd.Items) > 0 && ep == nil:
			if first, _ := closedStr(cmd.Items[0]); first == "-c" {
				c.Report(cmd.Items[0], "%s: a cmd starting with \"-c\" only works if the image's ENTRYPOINT is a shell; set \"entrypoint\": [\"/bin/sh\"] to be sure", cmd.Items[0].Path()).Severity = diag.Info
			}
		}
	}
}

// checkEntrypointString warns about an entrypoint string with spaces, which
// is taken as one executable name.
func checkEntrypointString(c *rule.Context, ep *jsonast.Node) {
	s, ok := closedStr(ep)
	if !ok || containsLiteral(s) || !strings.ContainsAny(strings.TrimSpace(s), " \t\n") {
		return
	}
	d := c.Report(ep, "%s: %s is not split into words, so Docker looks for one executable with that whole name; write it as an array such as %s", ep.Path(), jsonString(s), jsonStrings(strings.Fields(s)))
	// Quotes and escapes suggest the author expected shell-like grouping,
	// which a plain split does not give: offer the split but not as safe.
	words := strings.Fields(s)
	plain := !strings.ContainsAny(s, "\"'\\")
	d.Fixes = append(d.Fixes, diag.Fix{
		Title: "Split the entrypoint into an array: " + jsonStrings(words),
		Edits: []diag.TextEdit{c.Edit(ep.Start, ep.End, jsonStrings(words))},
		Safe:  plain,
	})
}

// plainWords splits s on white space when it has no shell syntax (quotes,
// escapes, variables, operators), so that the words mean the same as argv.
func plainWords(s string) ([]string, bool) {
	if strings.ContainsAny(s, "\"'\\$`|&;<>()*?[]{}~#") {
		return nil, false
	}
	words := strings.Fields(s)
	return words, len(words) > 0
}

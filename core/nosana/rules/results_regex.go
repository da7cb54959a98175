package rules

import (
	"fmt"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// resultsRegex: a results regex the node cannot use as intended.
//
// The node applies new RegExp(regex) to every stored log line and appends
// line.match(re) to the result. A regex JavaScript cannot compile makes the
// result the error text instead; the op still succeeds (warning). Capture
// groups add one entry per group after the full match, which surprises
// readers of
// %%ops.<id>.results.<key>%% (info). Logs are only ever stdout, stderr and
// nodeerr, so a logType of "stdin" never matches (warning).
var resultsRegex = &rule.Rule{
	ID:       "results-regex",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "a results regex JavaScript cannot compile, capture groups that add entries, or a logType that never matches",
	Check:    checkResultsRegex,
}

func checkResultsRegex(c *rule.Context) {
	// Generated jobs repeat one regex in every op: each distinct one is
	// checked once (checkJSRegex is a pure function of the text).
	type checked struct {
		info jsRegexInfo
		err  error
		// invalid is the message after the path when err is set, worded
		// once for the thousands of ops a generated job may repeat it in.
		invalid string
	}
	seen := map[string]checked{}
	for _, o := range sourceOf(c).Ops {
		for _, m := range objectMembers(o.Node.Get("results")) {
			re := m.Value
			if re.Is(jsonast.Object) {
				checkLogType(c, re.Get("logType"))
				re = re.Get("regex")
			}
			if !re.Is(jsonast.String) || re.Str == "*" { // the node turns "*" into "/*"
				continue
			}
			r, ok := seen[re.Str]
			if !ok {
				r.info, r.err = checkJSRegex(re.Str)
				if r.err != nil {
					r.invalid = fmt.Sprintf("%q is not a valid JavaScript regular expression: %v; the node stores the error text as the result instead of matches (the op still succeeds)",
						re.Str, r.err)
				}
				seen[re.Str] = r
			}
			info := r.info
			if r.err != nil {
				c.Report(re, "%s: %s", re.Path(), r.invalid)
				continue
			}
			if info.Groups > 0 {
				d := c.Report(re, "%s: the regex has %d capture %s, so every match adds the whole match and then each group to the result: %%%%ops.%s.results.%s%%%% holds them all; use (?:…) for groups you do not need",
					re.Path(), info.Groups, plural(info.Groups, "group", "groups"), o.ID, m.Key)
				d.Severity = diag.Info
			}
		}
	}
}

// checkLogType warns about "stdin", which no log line ever has.
func checkLogType(c *rule.Context, lt *jsonast.Node) {
	if !lt.Is(jsonast.Array) {
		return
	}
	for i, it := range lt.Items {
		if s, ok := it.StringValue(); !ok || s != "stdin" {
			continue
		}
		d := c.Report(it, "%s: logType \"stdin\" never matches: the node stores only stdout, stderr and nodeerr log lines", it.Path())
		d.Severity = diag.Warning
		if len(lt.Items) > 1 {
			d.Fixes = append(d.Fixes, diag.Fix{Title: `Remove "stdin"`, Edits: []diag.TextEdit{removeItem(c, lt, i)}, Safe: true})
		} else {
			d.Fixes = append(d.Fixes, replaceValue(c, it, `Match stdout instead`, `"stdout"`, false))
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Package results applies an op's "results" regexes to its logs, as the
// Nosana node does (extractResultsFromLogs): for every log line of an allowed
// type, the first match of the regex and its capture groups are appended to
// the result's list.
//
// The node uses JavaScript regexes; jobkit uses Go's RE2. They agree on the
// common syntax (classes, groups, alternation, anchors, \d \w \s, {n,m},
// non-greedy quantifiers, (?:…), named groups (?<n>…)). They differ here:
//   - lookahead/lookbehind ((?=…) (?!…) (?<=…) (?<!…)) and backreferences
//     (\1) do not exist in RE2: the result becomes the compile error, as the
//     node does for an invalid regex;
//   - JavaScript's \d, \w and \b are ASCII-only, like RE2's; "." matches any
//     character but \n in both; RE2 has no sticky or unicode-sets flags;
//   - an unmatched capture group is undefined in JavaScript (null in the
//     node's JSON); here it is "".
//
// The node turns the regex "*" into "/*"; so does this package.
package results

import (
	"regexp"
	"time"

	"github.com/jobkit-dev/jobkit/core/nosana"
)

// Line is one log line of an op.
type Line struct {
	Type string    `json:"type"` // stdout | stderr | nodeerr
	Log  string    `json:"log"`
	Time time.Time `json:"-"`
}

// Value is one result: the matches, or Error when the regex does not compile.
type Value struct {
	Matches []string
	Error   string
}

// Extract applies every result of op to lines. Keys follow op.ResultKeys.
func Extract(op *nosana.Op, lines []Line) map[string]Value {
	if len(op.Results) == 0 {
		return nil
	}
	out := make(map[string]Value, len(op.Results))
	for _, key := range keys(op) {
		spec := op.Results[key]
		if spec == nil {
			continue
		}
		pattern := spec.Regex
		if pattern == "*" {
			pattern = "/*"
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			out[key] = Value{Error: "SyntaxError: Invalid regular expression: /" + spec.Regex + "/: " + err.Error()}
			continue
		}
		v := Value{Matches: []string{}}
		for _, l := range lines {
			if !spec.Reads(l.Type) || l.Log == "" {
				continue
			}
			if m := re.FindStringSubmatch(l.Log); m != nil {
				v.Matches = append(v.Matches, m...)
			}
		}
		out[key] = v
	}
	return out
}

func keys(op *nosana.Op) []string {
	if len(op.ResultKeys) == len(op.Results) {
		return op.ResultKeys
	}
	var ks []string
	for k := range op.Results {
		ks = append(ks, k)
	}
	return ks
}

// Lists gives the values literals resolve to (an error result resolves to
// its message, as a one-item list).
func Lists(vs map[string]Value) map[string][]string {
	out := make(map[string][]string, len(vs))
	for k, v := range vs {
		if v.Error != "" {
			out[k] = []string{v.Error}
			continue
		}
		out[k] = v.Matches
	}
	return out
}

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
	x := NewExtractor(op)
	for _, l := range lines {
		x.Add(l.Type, []byte(l.Log))
	}
	return x.Values()
}

// MaxBytes bounds what one result keeps, so that a regex matching every
// line of an op that logs for hours cannot exhaust the runner's memory.
// Matches past it are counted, not kept.
const MaxBytes = 1 << 20

// Extractor applies an op's results to log lines as they arrive, so that
// the lines need not be kept. It is not safe for concurrent use.
type Extractor struct {
	specs []extractSpec
}

type extractSpec struct {
	key     string
	spec    *nosana.Result
	re      *regexp.Regexp
	val     Value
	bytes   int
	dropped int
}

// NewExtractor prepares op's results (nil when it has none).
func NewExtractor(op *nosana.Op) *Extractor {
	if op == nil || len(op.Results) == 0 {
		return nil
	}
	x := &Extractor{}
	for _, key := range keys(op) {
		spec := op.Results[key]
		if spec == nil {
			continue
		}
		pattern := spec.Regex
		if pattern == "*" {
			pattern = "/*"
		}
		es := extractSpec{key: key, spec: spec}
		re, err := regexp.Compile(pattern)
		if err != nil {
			es.val.Error = "SyntaxError: Invalid regular expression: /" + spec.Regex + "/: " + err.Error()
		} else {
			es.re = re
			es.val.Matches = []string{}
		}
		x.specs = append(x.specs, es)
	}
	return x
}

// Add applies the results to one log line of type typ (stdout, stderr,
// nodeerr). line is not kept.
func (x *Extractor) Add(typ string, line []byte) {
	if x == nil || len(line) == 0 {
		return
	}
	for i := range x.specs {
		s := &x.specs[i]
		if s.re == nil || !s.spec.Reads(typ) {
			continue
		}
		m := s.re.FindSubmatch(line)
		if m == nil {
			continue
		}
		size := 0
		for _, g := range m {
			size += len(g)
		}
		if s.bytes+size > MaxBytes {
			s.dropped++
			continue
		}
		s.bytes += size
		for _, g := range m {
			s.val.Matches = append(s.val.Matches, string(g))
		}
	}
}

// Values are the results so far, by key.
func (x *Extractor) Values() map[string]Value {
	if x == nil {
		return nil
	}
	out := make(map[string]Value, len(x.specs))
	for _, s := range x.specs {
		v := s.val
		if s.val.Matches != nil {
			v.Matches = append([]string(nil), s.val.Matches...)
		}
		out[s.key] = v
	}
	return out
}

// Dropped says, per key, how many matching lines were not kept because the
// result reached MaxBytes.
func (x *Extractor) Dropped() map[string]int {
	if x == nil {
		return nil
	}
	out := map[string]int{}
	for _, s := range x.specs {
		if s.dropped > 0 {
			out[s.key] = s.dropped
		}
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

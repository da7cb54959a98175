// Package literal reads Nosana's templating literals: %%ops.<opId>.<path>%%,
// %%global.<key>%%, %%global.variables.<NAME>%% and %%globals.<key>%%.
//
// Find locates literals exactly as a Nosana node does when it interpolates an
// op's args (nosana-cli interpolateOperation.ts: first the three-part pattern
// /%%(ops|global)\.([^.]+)\.([A-Za-z0-9._-]+)%%/g, then the two-part pattern
// /%%(global|globals)\.([^.]+)%%/g over what is left). Parse reads exactly one
// literal with a participle grammar and explains what is wrong with a malformed
// one; Partial finds the literal being typed at a cursor for completion.
package literal

import (
	"regexp"
	"strings"
)

// Scopes of a literal.
const (
	ScopeOps     = "ops"
	ScopeGlobal  = "global"
	ScopeGlobals = "globals"
)

// Literal is one %%…%% reference inside a string value.
type Literal struct {
	// Start and End are the byte offsets of the literal, %% included, inside
	// the (decoded) string value.
	Start, End int
	// Raw is the literal's text, %% included.
	Raw string
	// Scope is "ops", "global" or "globals".
	Scope string
	// Op is the op id of an ops literal ("" for global and globals).
	Op string
	// Path is what the literal reads: ["results","loss"], ["host"],
	// ["endpoint","8080"], ["deployment_endpoint"] for ops literals;
	// ["job"], ["variables","NAME"] for global ones. Segments may be empty
	// ("%%ops.a.b..c%%" gives ["b","","c"]) because the node accepts that.
	Path []string
}

// String returns the literal's text.
func (l Literal) String() string { return l.Raw }

// The node's patterns. Go's regexp picks the same leftmost-first matches as
// JavaScript's backtracking engine for these patterns.
var (
	threePart = regexp.MustCompile(`%%(ops|global)\.([^.]+)\.([A-Za-z0-9._-]+)%%`)
	twoPart   = regexp.MustCompile(`%%(global|globals)\.([^.]+)%%`)
)

// Find returns every literal in s, in order, as the node finds them: the
// three-part literals first, then the two-part ones in the text between them.
// (The node runs the second pattern over the text with the first literals
// already replaced; a two-part literal that would only form across a
// substituted value is not found here.)
func Find(s string) []Literal {
	if !strings.Contains(s, "%%") {
		return nil
	}
	var out []Literal
	prev := 0
	addTwoPart := func(from, to int) {
		for _, m := range twoPart.FindAllStringSubmatchIndex(s[from:to], -1) {
			out = append(out, fromMatch(s, m, from, false))
		}
	}
	for _, m := range threePart.FindAllStringSubmatchIndex(s, -1) {
		addTwoPart(prev, m[0])
		out = append(out, fromMatch(s, m, 0, true))
		prev = m[1]
	}
	addTwoPart(prev, len(s))
	return out
}

// fromMatch builds a literal from a regexp submatch index m found in s[base:].
func fromMatch(s string, m []int, base int, three bool) Literal {
	for i := range m {
		m[i] += base
	}
	l := Literal{Start: m[0], End: m[1], Raw: s[m[0]:m[1]], Scope: s[m[2]:m[3]]}
	second := s[m[4]:m[5]]
	switch {
	case three && l.Scope == ScopeOps:
		l.Op = second
		l.Path = strings.Split(s[m[6]:m[7]], ".")
	case three:
		l.Path = append([]string{second}, strings.Split(s[m[6]:m[7]], ".")...)
	default:
		l.Path = []string{second}
	}
	return l
}

// Contains reports whether s holds at least one literal the node would read.
func Contains(s string) bool {
	return strings.Contains(s, "%%") && (threePart.MatchString(s) || twoPart.MatchString(s))
}

// Candidate is text that looks like a literal (%%word.…%%) but that the node
// does not read as one.
type Candidate struct {
	Start, End int
	Raw        string
}

var candidate = regexp.MustCompile(`%%[A-Za-z]+\.[^%\s]*%%`)

// Strays returns the %%scope.…%% texts of s that Find does not read as
// literals, such as %%ops.train%% (no path) or %%globals.variables.X%% (the
// three-part form only works as global.). The node leaves them in place as
// plain text.
func Strays(s string, found []Literal) []Candidate {
	if !strings.Contains(s, "%%") {
		return nil
	}
	var out []Candidate
	for _, m := range candidate.FindAllStringIndex(s, -1) {
		overlaps := false
		for _, l := range found {
			if m[0] < l.End && l.Start < m[1] {
				overlaps = true
				break
			}
		}
		if !overlaps {
			out = append(out, Candidate{Start: m[0], End: m[1], Raw: s[m[0]:m[1]]})
		}
	}
	return out
}

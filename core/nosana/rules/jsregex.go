package rules

// A syntax checker for JavaScript regular expressions as the node compiles
// them: new RegExp(pattern) with no flags, so the lenient web-compatibility
// grammar of ECMAScript Annex B applies (a lone "{" or "]" is a literal, an
// unknown escape is the character itself, \8 is "8"). Go's regexp/syntax is
// RE2 and differs both ways: lookaround and backreferences are valid here.
// Only what JavaScript rejects is an error.

import (
	"fmt"
	"strings"
	"unicode"
)

// jsRegexInfo is what checkJSRegex learns about a valid pattern.
type jsRegexInfo struct {
	Groups int // capturing groups, named ones included
}

// jsRegexError is a syntax error at a rune offset of the pattern.
type jsRegexError struct {
	Offset int // in runes
	Msg    string
}

func (e *jsRegexError) Error() string { return e.Msg }

type jsRegexParser struct {
	p      []rune
	i      int
	groups int
	names  map[string]int // named groups and how often each is defined
	depth  int
}

// checkJSRegex reports whether pattern compiles as a JavaScript RegExp with
// no flags.
func checkJSRegex(pattern string) (jsRegexInfo, error) {
	ps := &jsRegexParser{p: []rune(pattern), names: map[string]int{}}
	ps.collectNames()
	for name, n := range ps.names {
		if n > 1 && !strings.Contains(pattern, "|") {
			return jsRegexInfo{}, &jsRegexError{0, fmt.Sprintf("the group name %q is used twice", name)}
		}
	}
	if err := ps.disjunction(); err != nil {
		return jsRegexInfo{}, err
	}
	if ps.i < len(ps.p) { // only a ")" stops the top-level disjunction
		return jsRegexInfo{}, ps.fail("unmatched \")\": escape it as \\) or add the \"(\" it closes")
	}
	return jsRegexInfo{Groups: ps.groups}, nil
}

func (ps *jsRegexParser) fail(format string, args ...any) error {
	return &jsRegexError{Offset: ps.i, Msg: fmt.Sprintf(format, args...)}
}

func (ps *jsRegexParser) peek(k int) rune {
	if ps.i+k < len(ps.p) {
		return ps.p[ps.i+k]
	}
	return -1
}

func (ps *jsRegexParser) has(s string) bool {
	r := []rune(s)
	if ps.i+len(r) > len(ps.p) {
		return false
	}
	return string(ps.p[ps.i:ps.i+len(r)]) == s
}

// collectNames finds the named groups first: \k<name> may come before the
// group it names, and \k is an error only when the pattern has named groups.
func (ps *jsRegexParser) collectNames() {
	inClass := false
	for i := 0; i < len(ps.p); i++ {
		switch c := ps.p[i]; {
		case c == '\\':
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
		case c == '(' && i+2 < len(ps.p) && ps.p[i+1] == '?' && ps.p[i+2] == '<':
			j := i + 3
			for j < len(ps.p) && ps.p[j] != '>' && ps.p[j] != '=' && ps.p[j] != '!' {
				j++
			}
			if j < len(ps.p) && ps.p[j] == '>' && j > i+3 {
				ps.names[string(ps.p[i+3:j])]++
			}
		}
	}
}

func (ps *jsRegexParser) disjunction() error {
	for {
		if err := ps.alternative(); err != nil {
			return err
		}
		if ps.peek(0) != '|' {
			return nil
		}
		ps.i++
	}
}

func (ps *jsRegexParser) alternative() error {
	for ps.i < len(ps.p) && ps.peek(0) != '|' && ps.peek(0) != ')' {
		if err := ps.term(); err != nil {
			return err
		}
	}
	return nil
}

func (ps *jsRegexParser) term() error {
	quantifiable := true
	switch c := ps.peek(0); {
	case c == '^' || c == '$':
		ps.i++
		quantifiable = false
	case c == '\\' && (ps.peek(1) == 'b' || ps.peek(1) == 'B'):
		ps.i += 2
		quantifiable = false
	case c == '(':
		q, err := ps.group()
		if err != nil {
			return err
		}
		quantifiable = q
	case c == '*' || c == '+' || c == '?':
		return ps.fail("nothing to repeat: %q needs something before it; escape it as \\%c", c, c)
	case c == '{':
		if n := ps.bracedQuantifier(); n > 0 {
			return ps.fail("nothing to repeat: %q needs something before it; escape the { as \\{", string(ps.p[ps.i:ps.i+n]))
		}
		ps.i++ // a literal "{"
	case c == '[':
		if err := ps.class(); err != nil {
			return err
		}
	case c == '\\':
		if err := ps.atomEscape(); err != nil {
			return err
		}
	default: // ".", "]", "}" and every other character
		ps.i++
	}
	return ps.quantifier(quantifiable)
}

// quantifier reads an optional quantifier after an atom or assertion.
func (ps *jsRegexParser) quantifier(quantifiable bool) error {
	start := ps.i
	switch c := ps.peek(0); {
	case c == '*' || c == '+' || c == '?':
		ps.i++
	case c == '{':
		n := ps.bracedQuantifier()
		if n == 0 {
			return nil
		}
		if err := ps.checkBraces(n); err != nil {
			return err
		}
		ps.i += n
	default:
		return nil
	}
	if !quantifiable {
		ps.i = start
		return ps.fail("nothing to repeat: %q cannot follow an assertion (^, $, \\b, \\B or a lookbehind)", ps.p[start])
	}
	if ps.peek(0) == '?' { // lazy
		ps.i++
	}
	switch c := ps.peek(0); {
	case c == '*' || c == '+' || c == '?':
		return ps.fail("nothing to repeat: %q follows another quantifier", c)
	case c == '{' && ps.bracedQuantifier() > 0:
		return ps.fail("nothing to repeat: a {…} quantifier follows another quantifier")
	}
	return nil
}

// bracedQuantifier returns the length of a {n}, {n,} or {n,m} at the
// current position, or 0 when the "{" starts no quantifier (then it is a
// literal character).
func (ps *jsRegexParser) bracedQuantifier() int {
	j := ps.i + 1
	digits := func() int {
		k := j
		for j < len(ps.p) && ps.p[j] >= '0' && ps.p[j] <= '9' {
			j++
		}
		return j - k
	}
	if digits() == 0 {
		return 0
	}
	if j < len(ps.p) && ps.p[j] == ',' {
		j++
		digits()
	}
	if j < len(ps.p) && ps.p[j] == '}' {
		return j + 1 - ps.i
	}
	return 0
}

// checkBraces rejects {n,m} with n > m.
func (ps *jsRegexParser) checkBraces(n int) error {
	body := string(ps.p[ps.i+1 : ps.i+n-1])
	lo, hi, ok := strings.Cut(body, ",")
	if !ok || hi == "" {
		return nil
	}
	if compareDecimal(lo, hi) > 0 {
		return ps.fail("numbers out of order in the {%s} quantifier: write the smaller number first", body)
	}
	return nil
}

// compareDecimal compares two strings of decimal digits by value.
func compareDecimal(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// group reads a parenthesised group and reports whether it may be quantified.
func (ps *jsRegexParser) group() (bool, error) {
	open := ps.i
	quantifiable := true
	switch {
	case ps.has("(?:"), ps.has("(?="), ps.has("(?!"):
		ps.i += 3
	case ps.has("(?<="), ps.has("(?<!"):
		ps.i += 4
		quantifiable = false
	case ps.has("(?<"):
		ps.i += 3
		start := ps.i
		for ps.i < len(ps.p) && ps.p[ps.i] != '>' {
			ps.i++
		}
		if ps.i >= len(ps.p) || !validGroupName(ps.p[start:ps.i]) {
			ps.i = start
			return false, ps.fail("invalid capture group name: write (?<name>…) with a name of letters, digits, $ and _ that does not start with a digit")
		}
		ps.i++
		ps.groups++
	case ps.has("(?"):
		// Modifiers (?i:…), (?-i:…), (?ims-ims:…) (ES2025).
		j := ps.i + 2
		for j < len(ps.p) && strings.ContainsRune("ims-", ps.p[j]) {
			j++
		}
		if j == ps.i+2 || j >= len(ps.p) || ps.p[j] != ':' {
			ps.i++
			return false, ps.fail("invalid group: after \"(?\" JavaScript accepts only :, =, !, <=, <! or <name>; to match a literal ?, write \\?")
		}
		ps.i = j + 1
	default:
		ps.i++
		ps.groups++
	}
	ps.depth++
	if ps.depth > 1000 {
		return false, ps.fail("groups nested too deeply")
	}
	if err := ps.disjunction(); err != nil {
		return false, err
	}
	ps.depth--
	if ps.peek(0) != ')' {
		ps.i = open
		return false, ps.fail("unterminated group: the \"(\" here has no matching \")\"")
	}
	ps.i++
	return quantifiable, nil
}

func validGroupName(name []rune) bool {
	if len(name) == 0 {
		return false
	}
	for k, r := range name {
		if r == '$' || r == '_' || unicode.IsLetter(r) || k > 0 && (unicode.IsDigit(r) || r == '\u200c' || r == '\u200d' || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || unicode.Is(unicode.Pc, r)) {
			continue
		}
		return false
	}
	return true
}

// atomEscape reads an escape outside a class (not \b or \B).
func (ps *jsRegexParser) atomEscape() error {
	if ps.i+1 >= len(ps.p) {
		return ps.fail("\\ at the end of the pattern: to match a backslash, write \\\\")
	}
	if ps.p[ps.i+1] == 'k' && len(ps.names) > 0 {
		start := ps.i
		ps.i += 2
		if ps.peek(0) != '<' {
			ps.i = start
			return ps.fail("invalid named reference: in a pattern with named groups, \\k must be written \\k<name>")
		}
		end := ps.i + 1
		for end < len(ps.p) && ps.p[end] != '>' {
			end++
		}
		if end >= len(ps.p) {
			ps.i = start
			return ps.fail("invalid named reference: \\k<name> is not closed with >")
		}
		if name := string(ps.p[ps.i+1 : end]); ps.names[name] == 0 {
			ps.i = start
			return ps.fail("invalid named reference: there is no group named %q", name)
		}
		ps.i = end + 1
		return nil
	}
	ps.i += 2 // every other escape is valid without the u flag
	return nil
}

package rules

// Character classes of JavaScript regular expressions (see jsregex.go).

// class reads a character class [...] and checks its ranges.
func (ps *jsRegexParser) class() error {
	open := ps.i
	ps.i++
	if ps.peek(0) == '^' {
		ps.i++
	}
	for {
		if ps.i >= len(ps.p) {
			ps.i = open
			return ps.fail("unterminated character class: the \"[\" here has no matching \"]\"")
		}
		if ps.peek(0) == ']' {
			ps.i++
			return nil
		}
		lo, loSet, err := ps.classAtom()
		if err != nil {
			return err
		}
		if ps.peek(0) != '-' || ps.peek(1) == ']' || ps.peek(1) == -1 {
			continue
		}
		dash := ps.i
		ps.i++
		hi, hiSet, err := ps.classAtom()
		if err != nil {
			return err
		}
		if !loSet && !hiSet && lo > hi {
			ps.i = dash
			return ps.fail("range out of order in character class: %q comes after %q; write the smaller character first, or escape the - as \\-", lo, hi)
		}
	}
}

// classAtom reads one class member and returns its character, or set=true
// for a class escape such as \d (Annex B then reads a following "-" as a
// literal).
func (ps *jsRegexParser) classAtom() (r rune, set bool, err error) {
	c := ps.p[ps.i]
	if c != '\\' {
		ps.i++
		return c, false, nil
	}
	if ps.i+1 >= len(ps.p) {
		return 0, false, ps.fail("\\ at the end of the pattern: to match a backslash, write \\\\")
	}
	e := ps.p[ps.i+1]
	ps.i += 2
	switch e {
	case 'd', 'D', 'w', 'W', 's', 'S':
		return 0, true, nil
	case 'k':
		if len(ps.names) > 0 {
			ps.i -= 2
			return 0, false, ps.fail("invalid escape \\k inside a character class of a pattern with named groups: write k without the backslash")
		}
	case 'b':
		return '\b', false, nil
	case 'f':
		return '\f', false, nil
	case 'n':
		return '\n', false, nil
	case 'r':
		return '\r', false, nil
	case 't':
		return '\t', false, nil
	case 'v':
		return '\v', false, nil
	case '0', '1', '2', '3', '4', '5', '6', '7':
		// Legacy octal: up to three digits, value at most 0377.
		v := int(e - '0')
		for k := 0; k < 2 && ps.peek(0) >= '0' && ps.peek(0) <= '7' && v*8+int(ps.peek(0)-'0') <= 0377; k++ {
			v = v*8 + int(ps.peek(0)-'0')
			ps.i++
		}
		return rune(v), false, nil
	case 'x':
		if v, ok := hexRunes(ps.p, ps.i, 2); ok {
			ps.i += 2
			return v, false, nil
		}
		return 'x', false, nil
	case 'u':
		if v, ok := hexRunes(ps.p, ps.i, 4); ok {
			ps.i += 4
			return v, false, nil
		}
		return 'u', false, nil
	case 'c':
		if n := ps.peek(0); n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z' || n >= '0' && n <= '9' || n == '_' {
			ps.i++
			return n % 32, false, nil
		}
		ps.i-- // "\c" without a control letter is a backslash, then "c"
		return '\\', false, nil
	}
	return e, false, nil
}

func hexRunes(p []rune, i, n int) (rune, bool) {
	if i+n > len(p) {
		return 0, false
	}
	var v rune
	for _, r := range p[i : i+n] {
		switch {
		case r >= '0' && r <= '9':
			v = v*16 + r - '0'
		case r >= 'a' && r <= 'f':
			v = v*16 + r - 'a' + 10
		case r >= 'A' && r <= 'F':
			v = v*16 + r - 'A' + 10
		default:
			return 0, false
		}
	}
	return v, true
}

package lintconfig

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// validGlob reports whether every segment of a file glob is a valid
// path.Match pattern (or **).
func validGlob(g string) bool {
	if g == "" {
		return false
	}
	for seg := range strings.SplitSeq(g, "/") {
		if seg == "**" {
			continue
		}
		if _, err := path.Match(seg, ""); err != nil {
			return false
		}
	}
	return true
}

// matchGlob matches a slash-separated relative file path against a glob:
// path.Match per segment, ** for zero or more segments. A glob that names a
// directory (legacy, legacy/) also matches everything below it.
func matchGlob(glob, file string) bool {
	glob = strings.TrimSuffix(glob, "/")
	return matchSegs(strings.Split(glob, "/"), strings.Split(file, "/"), true)
}

func matchSegs(pat, segs []string, dirPrefix bool) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(segs); i++ {
				if matchSegs(pat[1:], segs[i:], dirPrefix) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0 || dirPrefix
}

// pathPattern is a parsed field path pattern: one entry per segment, "*"
// for any single key or index, "**" for any number of segments.
type pathPattern []string

// parsePathPattern reads ops[*].args.env, ops[0]["my key"], Job.*.Name,
// **.Config or a JSON Pointer (/ops/0/args).
func parsePathPattern(s string) (pathPattern, error) {
	if s == "" {
		return nil, fmt.Errorf(`an empty field path; leave "paths" out to ignore the whole file`)
	}
	if s[0] == '/' {
		return pointerSegments(s), nil
	}
	var pat pathPattern
	bad := func(why string) (pathPattern, error) {
		return nil, fmt.Errorf("%q is not a field path (%s); write it as jobkit prints it, like ops[*].args.image", s, why)
	}
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '.':
			if i == 0 || i+1 == len(s) || s[i+1] == '.' || s[i+1] == '[' {
				return bad("a dot must join two names")
			}
			i++
		case c == '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return bad("a [ without its ]")
			}
			inner := s[i+1 : i+end]
			switch {
			case inner == "*":
				pat = append(pat, "*")
			case strings.HasPrefix(inner, `"`):
				key, err := strconv.Unquote(inner)
				if err != nil {
					return bad("a quoted key must be a JSON string")
				}
				pat = append(pat, key)
			default:
				if n, err := strconv.Atoi(inner); err != nil || n < 0 {
					return bad("an index is a number or *")
				}
				pat = append(pat, inner)
			}
			i += end + 1
		default:
			j := i
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			pat = append(pat, s[i:j])
			i = j
		}
	}
	return pat, nil
}

// covers reports whether the pattern matches the field segs or one of its
// parents (a pattern covers everything inside the field it names).
func (p pathPattern) covers(segs []string) bool {
	if len(p) == 0 {
		return true
	}
	if p[0] == "**" {
		for i := 0; i <= len(segs); i++ {
			if p[1:].covers(segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 || p[0] != "*" && p[0] != segs[0] {
		return false
	}
	return p[1:].covers(segs[1:])
}

// pointerSegments splits a JSON Pointer into its unescaped segments.
func pointerSegments(ptr string) []string {
	if ptr == "" || ptr[0] != '/' {
		return nil
	}
	parts := strings.Split(ptr[1:], "/")
	for i, s := range parts {
		parts[i] = jsonast.UnescapePointerToken(s)
	}
	return parts
}

package lintconfig

import (
	"path"
	"slices"

	"github.com/jobkit-dev/jobkit/core/diag"
)

// Settings are the configs in effect, lowest precedence first (a file, then
// the flags). A nil *Settings changes nothing.
type Settings struct {
	Layers []*Config
}

// Layer stacks configs, lowest precedence first; nil ones are skipped.
func Layer(cfgs ...*Config) *Settings {
	s := &Settings{}
	for _, c := range cfgs {
		if c != nil {
			s.Layers = append(s.Layers, c)
		}
	}
	return s
}

// Policy is what the settings mean for one file: apply it to that file's
// diagnostics. A nil *Policy changes nothing.
type Policy struct {
	disabled map[string]bool
	severity map[string]diag.Severity
	ignores  []Ignore
}

// Effective reports a rule's state under the settings, for `jobkit rules`:
// off, or on at the given severity (def when nothing overrides it).
func (s *Settings) Effective(id string, def diag.Severity) (sev diag.Severity, on bool) {
	p := s.For("")
	if p.Disabled(id) {
		return def, false
	}
	if v, ok := p.severity[id]; ok {
		return v, true
	}
	return def, true
}

// For resolves the settings for one file, given as a slash- or OS-separated
// path relative to nothing in particular: file globs are matched against it
// relative to each config's Dir (see Rel). "" matches no file glob.
func (s *Settings) For(file string) *Policy {
	p := &Policy{disabled: map[string]bool{}, severity: map[string]diag.Severity{}}
	if s == nil {
		return p
	}
	for _, c := range s.Layers {
		// Within one layer, "severity" comes first and disable/enable after,
		// so {"severity": {"x": "off"}, "enable": ["x"]} in one file is on.
		for id, v := range c.Severity {
			if v == Off {
				p.disabled[id] = true
				continue
			}
			sev, _ := diag.ParseSeverity(v)
			p.severity[id] = sev
			delete(p.disabled, id)
		}
		for _, id := range c.Disable {
			p.disabled[id] = true
		}
		for _, id := range c.Enable {
			delete(p.disabled, id)
		}
		rel, ok := Rel(c.Dir, file)
		for _, ig := range c.Ignore {
			if len(ig.Files) > 0 && (!ok || !slices.ContainsFunc(ig.Files, func(g string) bool { return matchGlob(g, rel) })) {
				continue
			}
			if len(ig.paths) != len(ig.Paths) { // built in Go rather than by Parse
				ig.paths = compilePaths(ig.Paths)
			}
			p.ignores = append(p.ignores, ig)
		}
	}
	return p
}

// compilePaths parses field path patterns; an invalid one matches nothing
// (Parse reports it; a Config built in Go must not ignore more than it says).
func compilePaths(paths []string) []pathPattern {
	out := make([]pathPattern, 0, len(paths))
	for _, s := range paths {
		if pat, err := parsePathPattern(s); err == nil {
			out = append(out, pat)
		} else {
			out = append(out, pathPattern{"\x00no match"})
		}
	}
	return out
}

// Disabled reports whether a rule is off, so a caller may skip running it.
func (p *Policy) Disabled(id string) bool { return p != nil && p.disabled[id] }

// Apply drops the diagnostics of disabled rules and ignored places and sets
// overridden severities. It reuses ds's storage.
func (p *Policy) Apply(ds []diag.Diagnostic) []diag.Diagnostic {
	if p == nil || len(p.disabled) == 0 && len(p.severity) == 0 && len(p.ignores) == 0 {
		return ds
	}
	out := ds[:0]
	for _, d := range ds {
		if p.disabled[d.Rule] || p.ignored(d) {
			continue
		}
		if sev, ok := p.severity[d.Rule]; ok {
			d.Severity = sev
		}
		out = append(out, d)
	}
	return out
}

func (p *Policy) ignored(d diag.Diagnostic) bool {
	for _, ig := range p.ignores {
		if len(ig.Rules) > 0 && !slices.Contains(ig.Rules, d.Rule) {
			continue
		}
		if len(ig.Paths) == 0 {
			return true
		}
		segs := pointerSegments(d.Pointer)
		for _, pat := range ig.paths {
			if pat.covers(segs) {
				return true
			}
		}
	}
	return false
}

// Rel returns file relative to dir, slash-separated, and false when file is
// not inside dir. Both are cleaned; "" for either is never inside.
func Rel(dir, file string) (string, bool) {
	if dir == "" || file == "" {
		return "", false
	}
	dir, file = path.Clean(toSlash(dir)), path.Clean(toSlash(file))
	if dir == "." {
		return file, !isAbsOrUp(file)
	}
	if dir == "/" {
		return file[1:], len(file) > 1 && file[0] == '/'
	}
	if len(file) > len(dir) && file[:len(dir)] == dir && file[len(dir)] == '/' {
		return file[len(dir)+1:], true
	}
	return "", false
}

func isAbsOrUp(p string) bool {
	return path.IsAbs(p) || p == ".." || len(p) > 2 && p[:3] == "../"
}

// toSlash turns Windows separators into slashes without importing
// path/filepath (whose behaviour depends on GOOS, and this runs in wasm too).
func toSlash(p string) string {
	b := []byte(p)
	for i, c := range b {
		if c == '\\' {
			b[i] = '/'
		}
	}
	return string(b)
}

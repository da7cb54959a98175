// Package lintconfig is jobkit's escape hatch: which rules run, at which
// severity, and which files or fields they leave alone. A config comes from a
// .jobkit.json file (found upward from the linted file by the CLI) and from
// flags (--disable, --enable), flags winning. The package is pure Go and
// reads no files itself, so the CLI and the editor apply the same policy.
//
// The file, every key optional:
//
//	{
//	  "disable":  ["nosana-gpu-vram"],
//	  "enable":   ["nomad-port-label"],
//	  "severity": {"nomad-priority": "info", "json-comment": "off"},
//	  "ignore": [
//	    {"files": ["legacy/**"]},
//	    {"files": ["jobs/*.json"], "paths": ["ops[*].args.env"], "rules": ["nosana-env-secret"]}
//	  ]
//	}
package lintconfig

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/textdist"
)

// FileName is the name of the config file the CLI looks for.
const FileName = ".jobkit.json"

// Off is the severity word that disables a rule in "severity".
const Off = "off"

// Config is one source of settings: a file or the command line.
type Config struct {
	// Source names where the settings come from (a file path, or "flags").
	Source string
	// Dir is the directory that "files" globs are relative to ("" for flags).
	Dir      string
	Disable  []string
	Enable   []string
	Severity map[string]string // rule id -> error, warning, info or off
	Ignore   []Ignore
}

// Ignore silences diagnostics in some files and/or under some fields.
type Ignore struct {
	// Files are slash-separated globs relative to Config.Dir: * and ? within
	// a path segment, ** for any number of segments. Empty: every file.
	Files []string
	// Paths are field paths as jobkit prints them, with [*] or .* for any
	// index or key and ** for any depth: ops[*].args.env, Job.TaskGroups[*].Tasks[*].Config.
	// A path covers the field and everything inside it. Empty: the whole document.
	Paths []string
	// Rules limits the entry to these rule ids. Empty: every rule.
	Rules []string

	paths []pathPattern
}

// Error is a problem in a config, placed at a line and column of its file
// when it comes from one.
type Error struct {
	Source       string
	Line, Column int // 0 when not known (flags)
	Msg          string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.Source, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Source, e.Msg)
}

// Parse reads a config file's text. source names it in errors; dir is the
// directory its "files" globs are relative to; ids are the rule ids that
// exist (core.Rules). Every error carries the line and column of the offending value.
func Parse(source, dir string, text []byte, ids []string) (*Config, error) {
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, &Error{Source: source, Msg: "empty file; write {} for a config that changes nothing"}
	}
	doc := jsonast.Parse(text)
	p := &parser{source: source, doc: doc, ids: ids}
	if len(doc.Syntax) > 0 {
		d := doc.Syntax[0]
		return nil, &Error{source, d.Range.Start.Line, d.Range.Start.Column, "not valid JSON: " + d.Message}
	}
	if doc.Root == nil {
		return nil, &Error{Source: source, Msg: "not valid JSON"}
	}
	cfg := &Config{Source: source, Dir: dir}
	if doc.Root.Kind != jsonast.Object {
		return nil, p.errAt(doc.Root, "a config is a JSON object like {\"disable\": [\"rule-id\"]}")
	}
	for _, m := range doc.Root.Members {
		var err error
		switch m.Key {
		case "disable":
			cfg.Disable, err = p.ruleList(m.Value, "disable")
		case "enable":
			cfg.Enable, err = p.ruleList(m.Value, "enable")
		case "severity":
			cfg.Severity, err = p.severities(m.Value)
		case "ignore":
			cfg.Ignore, err = p.ignores(m.Value)
		case "$schema", "//":
			// room for an editor schema link and a comment
		default:
			err = p.errKey(m, fmt.Sprintf("unknown key %q%s; a config has disable, enable, severity and ignore",
				m.Key, suggest(m.Key, []string{"disable", "enable", "severity", "ignore"})))
		}
		if err != nil {
			return nil, err
		}
	}
	if err := cfg.checkConflicts(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// FromFlags makes the command line's --disable and --enable values (each
// may be a comma-separated list) a Config that Layer puts above a file.
func FromFlags(disable, enable, ids []string) (*Config, error) {
	cfg := &Config{Source: "flags"}
	for _, l := range []struct {
		flag string
		in   []string
		out  *[]string
	}{{"--disable", disable, &cfg.Disable}, {"--enable", enable, &cfg.Enable}} {
		for _, v := range l.in {
			for id := range strings.SplitSeq(v, ",") {
				id = strings.TrimSpace(id)
				if id == "" {
					continue
				}
				if !slices.Contains(ids, id) {
					return nil, &Error{Source: l.flag, Msg: unknownRule(id, ids)}
				}
				*l.out = append(*l.out, id)
			}
		}
	}
	return cfg, cfg.checkConflicts()
}

func (c *Config) checkConflicts() error {
	for _, id := range c.Enable {
		if slices.Contains(c.Disable, id) {
			return &Error{Source: c.Source, Msg: fmt.Sprintf("rule %q is both enabled and disabled", id)}
		}
	}
	return nil
}

type parser struct {
	source string
	doc    *jsonast.Document
	ids    []string
}

func (p *parser) errAt(n *jsonast.Node, msg string) error {
	pos := p.doc.Lines.Range(n.Start, n.End).Start
	return &Error{p.source, pos.Line, pos.Column, msg}
}

func (p *parser) errKey(m *jsonast.Member, msg string) error {
	pos := p.doc.Lines.Range(m.KeyStart, m.KeyEnd).Start
	return &Error{p.source, pos.Line, pos.Column, msg}
}

func (p *parser) strings(n *jsonast.Node, what string) ([]string, error) {
	if n.Kind != jsonast.Array {
		return nil, p.errAt(n, what+" must be a list of strings, like [\"a\", \"b\"]")
	}
	out := make([]string, 0, len(n.Items))
	for _, it := range n.Items {
		s, ok := it.StringValue()
		if !ok {
			return nil, p.errAt(it, what+" must be a list of strings; this entry is not a string")
		}
		out = append(out, s)
	}
	return out, nil
}

func (p *parser) ruleList(n *jsonast.Node, what string) ([]string, error) {
	ids, err := p.strings(n, fmt.Sprintf("%q", what))
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		if !slices.Contains(p.ids, id) {
			return nil, p.errAt(n.Items[i], unknownRule(id, p.ids))
		}
	}
	return ids, nil
}

func (p *parser) severities(n *jsonast.Node) (map[string]string, error) {
	if n.Kind != jsonast.Object {
		return nil, p.errAt(n, `"severity" must be an object of rule id to severity, like {"rule-id": "warning"}`)
	}
	out := map[string]string{}
	for _, m := range n.Members {
		if !slices.Contains(p.ids, m.Key) {
			return nil, p.errKey(m, unknownRule(m.Key, p.ids))
		}
		s, _ := m.Value.StringValue()
		if _, err := diag.ParseSeverity(s); err != nil && s != Off {
			return nil, p.errAt(m.Value, fmt.Sprintf("severity of %q must be \"error\", \"warning\", \"info\" or \"off\"", m.Key))
		}
		out[m.Key] = s
	}
	return out, nil
}

func (p *parser) ignores(n *jsonast.Node) ([]Ignore, error) {
	if n.Kind != jsonast.Array {
		return nil, p.errAt(n, `"ignore" must be a list of objects like {"files": ["legacy/**"], "paths": ["ops[*].args.env"], "rules": ["rule-id"]}`)
	}
	var out []Ignore
	for _, it := range n.Items {
		if it.Kind != jsonast.Object {
			return nil, p.errAt(it, `each "ignore" entry is an object with "files", "paths" and/or "rules"`)
		}
		var ig Ignore
		for _, m := range it.Members {
			var err error
			switch m.Key {
			case "files":
				ig.Files, err = p.strings(m.Value, `"files"`)
				for i, g := range ig.Files {
					if err == nil && !validGlob(g) {
						err = p.errAt(m.Value.Items[i], fmt.Sprintf("%q is not a valid file glob (use *, ?, [a-z] and **)", g))
					}
				}
			case "paths":
				ig.Paths, err = p.strings(m.Value, `"paths"`)
				for i, s := range ig.Paths {
					if err != nil {
						break
					}
					var pat pathPattern
					if pat, err = parsePathPattern(s); err != nil {
						err = p.errAt(m.Value.Items[i], err.Error())
					}
					ig.paths = append(ig.paths, pat)
				}
			case "rules":
				ig.Rules, err = p.ruleList(m.Value, "rules")
			default:
				err = p.errKey(m, fmt.Sprintf("unknown key %q in an ignore entry; it has files, paths and rules", m.Key))
			}
			if err != nil {
				return nil, err
			}
		}
		if len(ig.Files) == 0 && len(ig.Paths) == 0 {
			return nil, p.errAt(it, `an ignore entry needs "files" or "paths" (to turn a rule off everywhere, use "disable")`)
		}
		out = append(out, ig)
	}
	return out, nil
}

func unknownRule(id string, ids []string) string {
	return fmt.Sprintf("unknown rule %q%s; `jobkit rules` lists every rule id", id, suggest(id, ids))
}

// suggest returns ` (did you mean "x"?)` when one of words is close to s.
func suggest(s string, words []string) string {
	best, bestD := "", 3
	for _, w := range words {
		if d := textdist.OSA(strings.ToLower(s), w); d < bestD {
			best, bestD = w, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

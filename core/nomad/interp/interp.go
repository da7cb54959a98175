// Package interp parses Nomad's ${...} interpolation with a participle
// grammar: literal text, $${ escapes, and ${expr} where expr is a variable
// path (node.unique.id, attr.kernel.name, NOMAD_PORT_http, env["A.B"]) or, in
// task driver Config, an HCL2 function call.
package interp

import (
	"strings"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Template is a string split into text and interpolations.
type Template struct {
	Parts []*Part `parser:"@@*"`
}

// Part is one piece of a template.
type Part struct {
	Escape string  `parser:"  @Escape"`
	Interp *Interp `parser:"| '${' @@ '}'"`
	Text   string  `parser:"| @Text"`
}

// Interp is one ${...}.
type Interp struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Expr   *Expr `parser:"@@"`
}

// Expr is a function call, a variable path or a literal.
type Expr struct {
	Pos  lexer.Position
	Call *Call   `parser:"  @@"`
	Path *Path   `parser:"| @@"`
	Str  *string `parser:"| @String"`
	Num  *string `parser:"| @Number"`
}

// Call is fn(args...).
type Call struct {
	Name string  `parser:"@Ident '('"`
	Args []*Expr `parser:"( @@ ( ',' @@ )* )? ')'"`
}

// Path is a variable: a name followed by .attr or ["key"] steps.
type Path struct {
	Pos   lexer.Position
	Root  string  `parser:"@Ident"`
	Steps []*Step `parser:"@@*"`
}

// Step is one .name or ["key"] of a path.
type Step struct {
	Attr  string `parser:"  '.' @(Ident | Number)"`
	Index string `parser:"| '[' @(String | Number) ']'"`
}

// parser is built on first use, not at start-up: building the lexer's
// regexps and the grammar (reflection over Template) was one of the largest
// package initialisations of the wasm core, paid before the editor's first
// lint, and most jobs (all Nosana jobs, Nomad jobs without "${") never
// need it.
var parser = sync.OnceValue(func() *participle.Parser[Template] {
	lex := lexer.MustStateful(lexer.Rules{
		"Root": {
			{Name: "Escape", Pattern: `\$\$\{`},
			{Name: "Open", Pattern: `\$\{`, Action: lexer.Push("Expr")},
			{Name: "Text", Pattern: `[^$]+|\$`},
		},
		"Expr": {
			{Name: "Close", Pattern: `\}`, Action: lexer.Pop()},
			{Name: "String", Pattern: `"(\\.|[^"\\])*"`},
			{Name: "Number", Pattern: `\d+`},
			{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_\-]*`},
			{Name: "Punct", Pattern: `[.\[\](),]`},
			{Name: "Whitespace", Pattern: `\s+`},
		},
	})
	return participle.MustBuild[Template](
		participle.Lexer(lex),
		participle.Elide("Whitespace"),
		participle.Unquote("String"),
		participle.UseLookahead(2),
	)
})

// Error is a syntax error at a byte offset of the string.
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// Parse splits s into text and interpolations. Strings without "${" never
// fail; a ${ that is not closed or holds something that is not an
// expression is an *Error. Results for strings with "${" are cached and
// shared between callers: treat the Template and the Error as read-only.
func Parse(s string) (*Template, error) {
	if !strings.Contains(s, "${") {
		return &Template{Parts: []*Part{{Text: s}}}, nil
	}
	if r, ok := cache.get(s); ok {
		return r.tpl, r.err
	}
	t, err := parse(s)
	cache.put(s, t, err)
	return t, err
}

// parse runs the grammar over s (which holds "${").
func parse(s string) (*Template, error) {
	t, err := parser().ParseString("", s)
	if err != nil {
		off := len(s)
		if pe, ok := err.(participle.Error); ok {
			off = pe.Position().Offset
		}
		msg := err.Error()
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		if !strings.Contains(s[strings.LastIndex(s, "${"):], "}") {
			msg = "unterminated ${: add the closing }"
			off = strings.LastIndex(s, "${")
		}
		return nil, &Error{Offset: off, Msg: msg}
	}
	return t, nil
}

// Name renders a path as written: attr.kernel.name, env["A"].
func (p *Path) Name() string {
	var b strings.Builder
	b.WriteString(p.Root)
	for _, s := range p.Steps {
		if s.Index != "" {
			b.WriteString(`["` + s.Index + `"]`)
			continue
		}
		b.WriteString("." + s.Attr)
	}
	return b.String()
}

// Vars returns every variable path of the template, in order, including
// those used as function arguments.
func (t *Template) Vars() []*Path {
	var out []*Path
	var walk func(e *Expr)
	walk = func(e *Expr) {
		switch {
		case e == nil:
		case e.Path != nil:
			out = append(out, e.Path)
		case e.Call != nil:
			for _, a := range e.Call.Args {
				walk(a)
			}
		}
	}
	for _, p := range t.Parts {
		if p.Interp != nil {
			walk(p.Interp.Expr)
		}
	}
	return out
}

// Calls returns the names of the functions the template calls.
func (t *Template) Calls() []*Call {
	var out []*Call
	var walk func(e *Expr)
	walk = func(e *Expr) {
		if e == nil || e.Call == nil {
			return
		}
		out = append(out, e.Call)
		for _, a := range e.Call.Args {
			walk(a)
		}
	}
	for _, p := range t.Parts {
		if p.Interp != nil {
			walk(p.Interp.Expr)
		}
	}
	return out
}

// Interps returns the interpolations of the template.
func (t *Template) Interps() []*Interp {
	var out []*Interp
	for _, p := range t.Parts {
		if p.Interp != nil {
			out = append(out, p.Interp)
		}
	}
	return out
}

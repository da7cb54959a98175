package literal

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar of the body of one literal (the text between its %% marks):
// scope ( . segment )*. A segment is any text without dots (a single % is
// allowed, as the node allows it in op ids and global keys); Parse strips the
// %% marks first and then checks what the node requires of each scope.
//
// It is built on first use, not at start-up (the editor's wasm core pays
// every package initialisation before its first lint, and most jobs hold
// no literal).
var parser = sync.OnceValue(func() *participle.Parser[literalAST] {
	literalLexer := lexer.MustSimple([]lexer.SimpleRule{
		{Name: "Dot", Pattern: `\.`},
		{Name: "Word", Pattern: `[A-Za-z0-9_-]+`},
		{Name: "Percent", Pattern: `%`},
		{Name: "Other", Pattern: `[^.%A-Za-z0-9_-]+`},
	})
	return participle.MustBuild[literalAST](
		participle.Lexer(literalLexer),
		participle.UseLookahead(2),
	)
})

type literalAST struct {
	Scope    *segmentAST   `parser:"@@"`
	Segments []*segmentAST `parser:"( Dot @@ )*"`
}

type segmentAST struct {
	Parts []*partAST `parser:"@@*"`
}

// partAST is a run of path characters (Word) or of anything else but dots.
type partAST struct {
	Word  string `parser:"  @Word"`
	Other string `parser:"| @(Percent | Other)"`
}

func (s *segmentAST) text() string {
	var b strings.Builder
	for _, p := range s.Parts {
		b.WriteString(p.Word)
		b.WriteString(p.Other)
	}
	return b.String()
}

// onlyPathChars reports whether the segment holds only letters, digits, _ and -.
func (s *segmentAST) onlyPathChars() bool {
	for _, p := range s.Parts {
		if p.Other != "" {
			return false
		}
	}
	return true
}

// ErrNotLiteral is wrapped by Parse's errors when the text is not a literal.
var ErrNotLiteral = errors.New("not a Nosana literal")

// opPaths is the help text listing what an ops literal can read.
const opPaths = "host, results.<key>, endpoint.<port> or deployment_endpoint"

// Parse reads s as exactly one literal. It accepts what the node accepts
// (except op ids and keys that contain %%, which the grammar cannot tell from
// the closing %%). For a malformed literal the error says what to write
// instead; the returned Literal then holds as much as could be read (Scope,
// Op, Path), so that a caller can offer a fix.
func Parse(s string) (Literal, error) {
	l := Literal{Start: 0, End: len(s), Raw: s}
	if !strings.HasPrefix(s, "%%") {
		return l, fmt.Errorf("%q: a literal starts with %%%%: %w", s, ErrNotLiteral)
	}
	if len(s) < 4 || !strings.HasSuffix(s, "%%") {
		return l, fmt.Errorf("%q: the literal is not closed: end it with %%%%: %w", s, ErrNotLiteral)
	}
	if i := strings.Index(s[2:len(s)-2], "%%"); i >= 0 {
		return l, fmt.Errorf("%q: unexpected %%%% at byte %d: a literal cannot contain %%%% before its end: %w", s, i+2, ErrNotLiteral)
	}
	ast, err := parser().ParseString("", s[2:len(s)-2])
	if err != nil {
		return l, fmt.Errorf("%q: %s: %w", s, describe(s, err), ErrNotLiteral)
	}
	l.Scope = ast.Scope.text()
	segs := make([]string, len(ast.Segments))
	for i, seg := range ast.Segments {
		segs[i] = seg.text()
	}
	switch l.Scope {
	case ScopeOps:
		if len(segs) > 0 {
			l.Op = segs[0]
		}
		if len(segs) > 1 {
			l.Path = segs[1:]
		}
		switch {
		case len(segs) == 0 || l.Op == "":
			return l, fmt.Errorf("%q names no op: write %%%%ops.<op id>.<path>%%%%", s)
		case len(segs) == 1:
			return l, fmt.Errorf("%q names no path: write %%%%ops.%s.<path>%%%% with a path of %s", s, l.Op, opPaths)
		case strings.Join(l.Path, ".") == "":
			return l, fmt.Errorf("%q has an empty path: write %s after the op id", s, opPaths)
		}
		for _, seg := range ast.Segments[1:] {
			if !seg.onlyPathChars() {
				return l, fmt.Errorf("%q: a path may hold only letters, digits, '.', '_' and '-'", s)
			}
		}
	case ScopeGlobal, ScopeGlobals:
		l.Path = segs
		switch {
		case len(segs) == 0 || segs[0] == "":
			return l, fmt.Errorf("%q names no key: write %%%%%s.job%%%%, %%%%%s.host%%%%, %%%%%s.project%%%%, %%%%%s.frps_address%%%% or %%%%global.variables.<NAME>%%%%",
				s, l.Scope, l.Scope, l.Scope, l.Scope)
		case len(segs) == 1:
			return l, nil
		case l.Scope == ScopeGlobals:
			//lint:ignore ST1005 the message ends with the literal's own dot
			return l, fmt.Errorf("%q is left in place as plain text: a literal with a sub-key must start with %%%%global., not %%%%globals.", s)
		case strings.Join(segs[1:], ".") == "":
			return l, fmt.Errorf("%q has an empty sub-key: write %%%%global.%s.<NAME>%%%%", s, segs[0])
		}
		for _, seg := range ast.Segments[1:] {
			if !seg.onlyPathChars() {
				return l, fmt.Errorf("%q: a sub-key may hold only letters, digits, '.', '_' and '-'", s)
			}
		}
	default:
		//lint:ignore ST1005 the message ends with the literal's own dot
		return l, fmt.Errorf("%q: unknown scope %q: a literal starts with %%%%ops., %%%%global. or %%%%globals.", s, l.Scope)
	}
	return l, nil
}

// describe turns a participle error into words about the literal.
func describe(s string, err error) string {
	var perr participle.Error
	if !errors.As(err, &perr) {
		return "cannot read it"
	}
	off := perr.Position().Offset + 2
	if off >= 0 && off < len(s) {
		return fmt.Sprintf("unexpected %q at byte %d", s[off:], off)
	}
	return "cannot read it"
}

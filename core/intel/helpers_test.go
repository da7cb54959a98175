package intel

import (
	"regexp"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
)

// expandSnippet turns snippet text into what an editor inserts when the user
// accepts every placeholder's default: ${1:x} → x, $1 and $0 → "".
func expandSnippet(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.ContainsRune(`\$}`, rune(s[i+1])):
			b.WriteByte(s[i+1])
			i++
		case c == '$' && i+1 < len(s) && s[i+1] == '{':
			j := i + 2
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j < len(s) && s[j] == '}' { // ${1}: an empty placeholder
				i = j
				continue
			}
			if j < len(s) && s[j] == '|' { // ${1|a,b|}: a choice, the first is the default
				k := strings.Index(s[j:], "|}")
				if k < 0 {
					b.WriteByte(c)
					continue
				}
				b.WriteString(strings.SplitN(s[j+1:j+k], ",", 2)[0])
				i = j + k + 1
				continue
			}
			if j < len(s) && s[j] == ':' {
				// The default runs to the matching }, honouring \} escapes.
				k := j + 1
				var def strings.Builder
				for k < len(s) && s[k] != '}' {
					if s[k] == '\\' && k+1 < len(s) {
						k++
					}
					def.WriteByte(s[k])
					k++
				}
				b.WriteString(expandSnippet(def.String()))
				i = k
				continue
			}
			b.WriteByte(c)
		case c == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			for i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				i++
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// accept applies a completion item the way an editor does.
func accept(t *testing.T, text []byte, it Item) string {
	t.Helper()
	e := it.Edit
	if it.Snippet {
		e.NewText = expandSnippet(e.NewText)
	}
	out, err := ApplyEdits(text, []diag.TextEdit{e})
	if err != nil {
		t.Fatalf("apply %q: %v", it.Label, err)
	}
	return string(out)
}

// completeAt completes at the | marker of s.
func completeAt(t *testing.T, s string) ([]byte, []Item) {
	t.Helper()
	text, off := marked(t, s)
	items := Complete(text, off, core.Options{})
	for _, it := range items {
		checkEdit(t, text, it.Edit)
	}
	return text, items
}

// checkEdit fails when an edit is outside the text or its positions are
// inconsistent with its offsets.
func checkEdit(t *testing.T, text []byte, e diag.TextEdit) {
	t.Helper()
	s, end := e.Range.Start.Offset, e.Range.End.Offset
	if s < 0 || end < s || end > len(text) {
		t.Fatalf("edit %d-%d outside the text (length %d)", s, end, len(text))
	}
	lines := diag.NewLines(text)
	if got := lines.Position(s); got != e.Range.Start {
		t.Fatalf("edit start %+v, want %+v", e.Range.Start, got)
	}
}

func labels(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Label
	}
	return out
}

func find(items []Item, label string) (Item, bool) {
	for _, it := range items {
		if it.Label == label {
			return it, true
		}
	}
	return Item{}, false
}

// problems returns the errors and warnings lintAll finds, as
// "rule: message" lines.
func problems(text string) []string {
	var out []string
	for _, d := range lintAll([]byte(text)) {
		if d.Severity == diag.Info {
			continue
		}
		out = append(out, d.Rule+" at "+d.Path+": "+d.Message)
	}
	return out
}

var snippetSyntax = regexp.MustCompile(`\$\{?\d`)

func TestExpandSnippet(t *testing.T) {
	for in, want := range map[string]string{
		`"$1"`:                 `""`,
		`${1:true}`:            `true`,
		`["${1:a}", $2]`:       `["a", ]`,
		`"${1:x\}y}"`:          `"x}y"`,
		`\$HOME $0`:            `$HOME `,
		`"${1}" ${2|web,api|}`: `"" web`,
	} {
		if got := expandSnippet(in); got != want {
			t.Errorf("expandSnippet(%q) = %q, want %q", in, got, want)
		}
	}
}

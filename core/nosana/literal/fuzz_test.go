package literal

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzFind checks that Find, Parse, Partial and SourceSpan never panic, that
// every span lies inside the string and matches its Raw text, that literals
// come in order without overlapping, and that Parse agrees with Find on every
// literal Find reports (unless its body holds %%, which Parse rejects).
func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"%%ops.train.results.loss%%",
		"x %%ops.a%% and %%ops.b.host%% y",
		"%%global.variables.MODEL%%/%%globals.job%%",
		"%%globals.variables.X%%",
		"%%%ops.a.host%%%",
		"%%ops.a.host..%%",
		"%%global.job%%%%global.host%%",
		"http://%%ops.api.endpoint.8080%%/v1?q=%%global.project%%",
		"%%ops.é.host%%",
	} {
		f.Add(s, len(s)/2)
	}
	f.Fuzz(func(t *testing.T, s string, cursor int) {
		found := Find(s)
		prevEnd := 0
		for _, l := range found {
			if l.Start < prevEnd || l.End > len(s) || l.Start >= l.End {
				t.Fatalf("Find(%q): bad span %d..%d after %d", s, l.Start, l.End, prevEnd)
			}
			prevEnd = l.End
			if s[l.Start:l.End] != l.Raw {
				t.Fatalf("Find(%q): Raw %q is not the text of its span", s, l.Raw)
			}
			if strings.Contains(l.Raw[2:len(l.Raw)-2], "%%") {
				continue
			}
			p, err := Parse(l.Raw)
			p.Start, p.End = l.Start, l.End
			if err != nil || !reflect.DeepEqual(p, l) {
				t.Fatalf("Parse(%q) = %#v, %v; Find read %#v", l.Raw, p, err, l)
			}
		}
		for _, c := range Strays(s, found) {
			if c.Start < 0 || c.End > len(s) || s[c.Start:c.End] != c.Raw {
				t.Fatalf("Strays(%q): bad span %#v", s, c)
			}
		}
		if l, err := Parse(s); err == nil && (len(found) != 1 || found[0].Start != 0 || found[0].End != len(s) || !reflect.DeepEqual(l, found[0])) {
			t.Fatalf("Parse(%q) accepted %#v but Find read %#v", s, l, found)
		}
		if l, ok := Partial(s, cursor); ok {
			if l.Start < 0 || l.End != cursor || l.Start > l.End || s[l.Start:l.End] != l.Raw || !strings.HasPrefix(l.Raw, "%%") {
				t.Fatalf("Partial(%q, %d) = %#v", s, cursor, l)
			}
		}
		token := []byte(`"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`)
		for _, l := range found {
			a, b, _ := SourceSpan(token, s, l.Start, l.End)
			if a < 0 || b > len(token) || a > b {
				t.Fatalf("SourceSpan(%q, %d, %d) = %d, %d", token, l.Start, l.End, a, b)
			}
		}
	})
}

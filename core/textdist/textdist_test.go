package textdist

import (
	"strings"
	"testing"
)

func TestDistances(t *testing.T) {
	long := strings.Repeat("x", MaxLen+1)
	tests := []struct {
		a, b     string
		lev, osa int
	}{
		{"", "", 0, 0},
		{"image", "image", 0, 0},
		{"imgae", "image", 2, 1},
		{"cmd", "command", 4, 4},
		{"kill_timeout", "killtimeout", 1, 1},
		{"", "abc", 3, 3},
		{long, long, 0, 0},
		{long, long + "y", Far, Far},
	}
	for _, tt := range tests {
		if got := Levenshtein(tt.a, tt.b); got != tt.lev {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.lev)
		}
		if got := OSA(tt.a, tt.b); got != tt.osa {
			t.Errorf("OSA(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.osa)
		}
	}
}

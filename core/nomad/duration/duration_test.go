package duration

import "testing"

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		ns   int64
		want string
	}{
		{0, "0s"}, {5, "5ns"}, {1500000, "1.5ms"}, {10 * Second, "10s"}, {300 * Second, "5m"},
		{5400 * Second, "1h30m"}, {3600 * Second, "1h"}, {90 * Second, "1m30s"}, {-5 * Second, "-5s"},
	} {
		if got := Format(tc.ns); got != tc.want {
			t.Errorf("Format(%d) = %q, want %q", tc.ns, got, tc.want)
		}
	}
}

func TestParseRoundTrip(t *testing.T) {
	for _, s := range []string{"10s", "5m", "1h30m", "250ms", "1h"} {
		ns, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		if got := Format(ns); got != s {
			t.Errorf("Format(Parse(%q)) = %q", s, got)
		}
	}
	if _, err := Parse("ten seconds"); err == nil {
		t.Error("Parse(ten seconds) succeeded")
	}
}

func TestSuspicious(t *testing.T) {
	for ns, want := range map[int64]bool{0: false, 1: true, 300: true, 999999: true, 1000000: false, -1: false} {
		if got := Suspicious(ns); got != want {
			t.Errorf("Suspicious(%d) = %v", ns, got)
		}
	}
}

package cron

import (
	"strings"
	"testing"
	"time"
)

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{"", "empty"},
		{"* * * *", "4 fields"},
		{"* * * * * * * *", "8 fields"},
		{"@every 5m", "@every is not supported"},
		{"@often", "unknown macro"},
		{"61 * * * *", "out of range"},
		{"* 25 * * *", "out of range"},
		{"* * * FOO *", "not a valid value"},
		{"5-1 * * * *", "runs backwards"},
		{"*/0 * * * *", "at least 1"},
		{"* * * * * x", "year"},
		{"*/15 * * * * *\" \"SpecType", "syntax error"},
	} {
		_, err := Parse(tc.expr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want error containing %q", tc.expr, err, tc.want)
		}
	}
}

func TestErrorOffset(t *testing.T) {
	_, err := Parse("0 0 * 13 *")
	e, ok := err.(*Error)
	if !ok || e.Offset != 6 {
		t.Fatalf("Parse error = %#v, want offset 6", err)
	}
}

func TestNext(t *testing.T) {
	from := time.Date(2026, 11, 22, 5, 3, 30, 0, time.UTC)
	for _, tc := range []struct {
		expr string
		want []string
	}{
		{"* * * * *", []string{"2026-11-22T05:04:00Z", "2026-11-22T05:05:00Z", "2026-11-22T05:06:00Z"}},
		{"*/15 * * * *", []string{"2026-11-22T05:15:00Z", "2026-11-22T05:30:00Z", "2026-11-22T05:45:00Z"}},
		{"@daily", []string{"2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z", "2026-11-25T00:00:00Z"}},
		{"0 9 * * MON-FRI", []string{"2026-11-23T09:00:00Z", "2026-11-24T09:00:00Z", "2026-11-25T09:00:00Z"}},
		{"30 */20 * * * * *", []string{"2026-11-22T05:20:30Z", "2026-11-22T05:40:30Z", "2026-11-22T06:00:30Z"}},
		{"0 0 L * *", []string{"2026-11-30T00:00:00Z", "2026-12-31T00:00:00Z", "2027-01-31T00:00:00Z"}},
		{"0 0 29 2 *", []string{"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"}},
		{"0 12 * * 1#2", []string{"2026-12-14T12:00:00Z", "2027-01-11T12:00:00Z", "2027-02-08T12:00:00Z"}},
		{"0 0 1 1 * 2027", []string{"2027-01-01T00:00:00Z"}},
		{"0 0 31 2 *", nil},
	} {
		s, err := Parse(tc.expr)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.expr, err)
		}
		got := s.Next(from, 3)
		var gs []string
		for _, g := range got {
			gs = append(gs, g.Format(time.RFC3339))
		}
		if strings.Join(gs, " ") != strings.Join(tc.want, " ") {
			t.Errorf("Next(%q) = %v, want %v", tc.expr, gs, tc.want)
		}
	}
}

// Package duration converts Nomad's integer-nanosecond durations to and from
// the human forms people think in ("30s", "5m", "1h30m").
package duration

import (
	"fmt"
	"strings"
	"time"
)

// Second is one second in nanoseconds.
const Second = int64(time.Second)

// Format renders ns nanoseconds as a short human duration: 300000000000 → "5m",
// 5400000000000 → "1h30m", 1500000 → "1.5ms", 0 → "0s".
func Format(ns int64) string {
	s := time.Duration(ns).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Parse reads a human duration ("10s", "1h30m", "250ms") into nanoseconds.
func Parse(s string) (int64, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("parse duration %q: want a number with a unit such as 10s, 5m or 1h30m", s)
	}
	return int64(d), nil
}

// Suspicious reports whether a duration of ns nanoseconds is so short
// (under one millisecond, but not zero) that its author almost certainly
// meant seconds.
func Suspicious(ns int64) bool { return ns > 0 && ns < int64(time.Millisecond) }

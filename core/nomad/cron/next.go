package cron

import "time"

// maxYears bounds the search for the next run (Feb 29 specs need up to 8).
const maxYears = 9

// Next returns up to n run times strictly after from, in from's location.
// A schedule that never fires (31 February) returns fewer.
func (s *Schedule) Next(from time.Time, n int) []time.Time {
	var out []time.Time
	t := from.Truncate(time.Second).Add(time.Second)
	end := from.AddDate(maxYears, 0, 0)
	for len(out) < n && t.Before(end) {
		next, ok := s.next(t, end)
		if !ok {
			break
		}
		out = append(out, next)
		t = next.Add(time.Second)
	}
	return out
}

// next finds the first run at or after t, day by day.
func (s *Schedule) next(t, end time.Time) (time.Time, bool) {
	loc := t.Location()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	first := true
	for ; day.Before(end); day = day.AddDate(0, 0, 1) {
		if !s.dayMatches(day) {
			first = false
			continue
		}
		for h := 0; h < 24; h++ {
			if s.sets[fHour]&(1<<uint(h)) == 0 {
				continue
			}
			for m := 0; m < 60; m++ {
				if s.sets[fMin]&(1<<uint(m)) == 0 {
					continue
				}
				for sec := 0; sec < 60; sec++ {
					if s.sets[fSec]&(1<<uint(sec)) == 0 {
						continue
					}
					c := time.Date(day.Year(), day.Month(), day.Day(), h, m, sec, 0, loc)
					if first && c.Before(t) {
						continue
					}
					if c.Hour() != h || c.Day() != day.Day() { // skipped by a DST change
						continue
					}
					return c, true
				}
			}
		}
		first = false
	}
	return time.Time{}, false
}

func (s *Schedule) dayMatches(d time.Time) bool {
	if s.years != nil && !s.years[d.Year()] {
		return false
	}
	if s.sets[fMonth]&(1<<uint(d.Month())) == 0 {
		return false
	}
	dom := s.domMatches(d)
	dow := s.dowMatches(d)
	switch {
	case s.domAny && s.dowAny:
		return true
	case s.domAny:
		return dow
	case s.dowAny:
		return dom
	}
	return dom || dow // both restricted: either matches, as in Vixie cron
}

func (s *Schedule) domMatches(d time.Time) bool {
	if s.lastDOM && d.AddDate(0, 0, 1).Day() == 1 {
		return true
	}
	return s.sets[fDOM]&(1<<uint(d.Day())) != 0
}

func (s *Schedule) dowMatches(d time.Time) bool {
	wd := int(d.Weekday())
	if s.sets[fDOW]&(1<<uint(wd)) != 0 {
		return true
	}
	if k, ok := s.nth[wd]; ok && (d.Day()-1)/7+1 == k {
		return true
	}
	return s.lastDOW[wd] && d.AddDate(0, 0, 7).Month() != d.Month()
}

// NextRuns parses expr and returns its next n run times after from, in
// from's location (hover shows three).
func NextRuns(expr string, from time.Time, n int) ([]time.Time, error) {
	s, err := Parse(expr)
	if err != nil {
		return nil, err
	}
	return s.Next(from, n), nil
}

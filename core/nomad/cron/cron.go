// Package cron parses the cron expressions of Nomad's periodic jobs (the
// dialect of hashicorp/cronexpr: 5 to 7 fields, @daily-style macros, no
// @every) with a participle grammar, and computes their next run times.
package cron

import (
	"fmt"
	"strings"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// spec is the grammar: fields separated by whitespace.
type spec struct {
	Fields []*field `parser:"@@ ( Whitespace @@ )*"`
}

// field is a comma-separated list of items.
type field struct {
	Items []*item `parser:"@@ ( ',' @@ )*"`
}

type item struct {
	Pos      lexer.Position
	LastOnly bool `parser:"(  @'L'"`
	Any      bool `parser:" | @('*' | '?')"`
	Range    *rng `parser:" | @@ )"`
	Step     *int `parser:"( '/' @Int )?"`
	Last     bool `parser:"@'L'?"`
	Week     bool `parser:"@'W'?"`
	Nth      *int `parser:"( '#' @Int )?"`
}

type rng struct {
	From *value `parser:"@@"`
	To   *value `parser:"( '-' @@ )?"`
}

type value struct {
	Pos  lexer.Position
	Num  *int   `parser:"  @Int"`
	Name string `parser:"| @Name"`
}

// parser is built on first use, not at start-up: most runs lint no cron
// spec, and the lexer's regexps alone were a noticeable part of the wasm
// core's start-up.
var parser = sync.OnceValue(func() *participle.Parser[spec] {
	lex := lexer.MustSimple([]lexer.SimpleRule{
		{Name: "Int", Pattern: `\d+`},
		{Name: "Name", Pattern: `[A-KM-VX-Za-z][A-Za-z]*|[LW][A-Za-z]+`},
		{Name: "Punct", Pattern: `[*?,/\-#LW]`},
		{Name: "Whitespace", Pattern: `[ \t]+`},
	})
	return participle.MustBuild[spec](participle.Lexer(lex))
})

// Error is a problem in a cron expression, with the byte offset it is at.
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// Schedule is a parsed cron expression.
type Schedule struct {
	sets           [7]uint64 // second, minute, hour, day of month, month, day of week, (years handled apart)
	years          map[int]bool
	lastDOM        bool
	domAny, dowAny bool
	nth            map[int]int // day of week → nth occurrence (dow#n)
	lastDOW        map[int]bool
	weekday        bool // W: nearest weekday (approximated as the day itself when it is a weekday)
}

var macros = map[string]string{
	"@yearly": "0 0 0 1 1 * *", "@annually": "0 0 0 1 1 * *", "@monthly": "0 0 0 1 * * *",
	"@weekly": "0 0 0 * * 0 *", "@daily": "0 0 0 * * * *", "@midnight": "0 0 0 * * * *", "@hourly": "0 0 * * * * *",
}

var months = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
var days = map[string]int{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}

// field indexes
const (
	fSec = iota
	fMin
	fHour
	fDOM
	fMonth
	fDOW
	fYear
)

var names = [...]string{"seconds", "minutes", "hours", "day of month", "month", "day of week", "year"}
var bounds = [...][2]int{{0, 59}, {0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}, {1970, 2099}}

// Parse parses a cron expression as Nomad reads it.
func Parse(expr string) (*Schedule, error) {
	trimmed := strings.TrimSpace(expr)
	if trimmed == "" {
		return nil, &Error{0, "empty cron expression"}
	}
	if strings.HasPrefix(trimmed, "@") {
		m, ok := macros[strings.ToLower(trimmed)]
		if !ok {
			if strings.HasPrefix(strings.ToLower(trimmed), "@every") {
				return nil, &Error{strings.Index(expr, "@"), "@every is not supported by Nomad's cron parser: write a cron expression such as \"*/5 * * * *\""}
			}
			return nil, &Error{strings.Index(expr, "@"), fmt.Sprintf("unknown macro %q: use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly", trimmed)}
		}
		return Parse(m)
	}
	lead := strings.Index(expr, trimmed)
	ast, err := parser().ParseString("", trimmed)
	if err != nil {
		off := 0
		if pe, ok := err.(participle.Error); ok {
			off = pe.Position().Offset
		}
		return nil, &Error{lead + off, "syntax error: " + plain(err)}
	}
	n := len(ast.Fields)
	if n < 5 || n > 7 {
		return nil, &Error{0, fmt.Sprintf("%d fields: a cron expression has 5 (minute hour day-of-month month day-of-week), 6 (plus year) or 7 (seconds first, year last) fields", n)}
	}
	// Map fields to slots: 5 → min..dow; 6 → min..dow year; 7 → sec..year.
	slots := []int{fMin, fHour, fDOM, fMonth, fDOW}
	switch n {
	case 6:
		slots = append(slots, fYear)
	case 7:
		slots = []int{fSec, fMin, fHour, fDOM, fMonth, fDOW, fYear}
	}
	s := &Schedule{nth: map[int]int{}, lastDOW: map[int]bool{}, domAny: true, dowAny: true}
	s.sets[fSec] = 1 // second 0 unless given
	filled := map[int]bool{}
	for i, f := range ast.Fields {
		slot := slots[i]
		filled[slot] = true
		if err := s.fill(slot, f); err != nil {
			if e, ok := err.(*Error); ok {
				e.Offset += lead
			}
			return nil, err
		}
	}
	if !filled[fYear] {
		s.years = nil
	}
	return s, nil
}

func plain(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "1:") {
		msg = msg[i+2:]
	}
	return msg
}

func (s *Schedule) fill(slot int, f *field) error {
	lo, hi := bounds[slot][0], bounds[slot][1]
	var set uint64
	years := map[int]bool{}
	anyItem := false
	for _, it := range f.Items {
		off := it.Pos.Offset
		var from0, to0 *value
		if it.Range != nil {
			from0, to0 = it.Range.From, it.Range.To
		}
		if it.LastOnly && slot != fDOM {
			return &Error{off, fmt.Sprintf("L is only allowed in the day of month field, not %s", names[slot])}
		}
		if it.LastOnly {
			s.lastDOM = true
			s.domAny = false
			continue
		}
		if it.Nth != nil || it.Week || it.Last {
			switch {
			case it.Last && slot == fDOW && from0 != nil:
				d, err := s.val(slot, from0)
				if err != nil {
					return err
				}
				s.lastDOW[d%7] = true
				s.dowAny = false
				continue
			case it.Nth != nil && slot == fDOW && from0 != nil:
				d, err := s.val(slot, from0)
				if err != nil {
					return err
				}
				if *it.Nth < 1 || *it.Nth > 5 {
					return &Error{off, fmt.Sprintf("day of week #%d: the occurrence must be 1 to 5", *it.Nth)}
				}
				s.nth[d%7] = *it.Nth
				s.dowAny = false
				continue
			case it.Week && slot == fDOM && from0 != nil:
				s.weekday = true
			default:
				return &Error{off, fmt.Sprintf("L, W and # are not allowed in the %s field", names[slot])}
			}
		}
		from, to := lo, hi
		if it.Any {
			anyItem = true
			if slot == fDOW {
				to = 6
			}
		} else {
			v, err := s.val(slot, from0)
			if err != nil {
				return err
			}
			from, to = v, v
			if to0 != nil {
				w, err := s.val(slot, to0)
				if err != nil {
					return err
				}
				if w < v {
					return &Error{to0.Pos.Offset, fmt.Sprintf("range %d-%d in the %s field runs backwards", v, w, names[slot])}
				}
				to = w
			} else if it.Step != nil {
				to = hi
			}
		}
		step := 1
		if it.Step != nil {
			step = *it.Step
			if step < 1 {
				return &Error{off, fmt.Sprintf("step /%d in the %s field must be at least 1", step, names[slot])}
			}
		}
		for v := from; v <= to; v += step {
			if slot == fYear {
				years[v] = true
				continue
			}
			if slot == fDOW {
				v := v % 7
				set |= 1 << uint(v)
				continue
			}
			set |= 1 << uint(v)
		}
	}
	switch slot {
	case fYear:
		if !anyItem {
			s.years = years
		}
	case fDOM:
		s.domAny = anyItem
		s.sets[slot] = set
	case fDOW:
		s.dowAny = s.dowAny && anyItem
		s.sets[slot] = set
	default:
		s.sets[slot] = set
	}
	return nil
}

func (s *Schedule) val(slot int, v *value) (int, error) {
	lo, hi := bounds[slot][0], bounds[slot][1]
	if v.Num != nil {
		if *v.Num < lo || *v.Num > hi {
			return 0, &Error{v.Pos.Offset, fmt.Sprintf("%d is out of range for the %s field (%d-%d)", *v.Num, names[slot], lo, hi)}
		}
		return *v.Num, nil
	}
	name := strings.ToLower(v.Name)
	if len(name) > 3 {
		name = name[:3]
	}
	switch slot {
	case fMonth:
		if m, ok := months[name]; ok {
			return m, nil
		}
	case fDOW:
		if d, ok := days[name]; ok {
			return d, nil
		}
	}
	return 0, &Error{v.Pos.Offset, fmt.Sprintf("%q is not a valid value for the %s field", v.Name, names[slot])}
}

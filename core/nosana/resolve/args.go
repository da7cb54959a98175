// Package resolve resolves %%…%% literals and the collection markers
// (__spread__, __remove-if-empty__) in an op's args just before the op
// starts, in the node's order: interpolate, spread, stringify env, then drop
// __remove-if-empty__ (and a field whose array became empty).
package resolve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Resolver gives the value of one literal.
type Resolver interface {
	Resolve(Literal) (any, error)
}

// UnresolvedError lists the literals that could not be resolved.
type UnresolvedError struct {
	Problems []string // "%%ops.x.host%%: op "x" has not started yet"
}

func (e *UnresolvedError) Error() string {
	return "unresolved literal " + strings.Join(e.Problems, "; unresolved literal ")
}

// arrayFields keep an array value when a whole-string literal resolves to
// one; every other field gets the items joined with spaces.
var arrayFields = map[string]bool{
	"cmd": true, "entrypoint": true, "aliases": true, "expose": true, "resources": true,
	"files": true, "volumes": true, "buckets": true, "logType": true, "health_checks": true,
}

const (
	spreadKey     = "__spread__"
	removeIfEmpty = "__remove-if-empty__"
)

// removed marks a field to delete (its array became empty).
type removed struct{}

// Args interpolates raw (an op's args) and returns the new JSON.
func Args(raw json.RawMessage, r Resolver) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("read args: %w", err)
	}
	in := &interpolator{r: r}
	out := in.value(v, "")
	if len(in.problems) > 0 {
		return nil, &UnresolvedError{Problems: in.problems}
	}
	if m, ok := out.(map[string]any); ok {
		if env, ok := m["env"].(map[string]any); ok {
			stringifyEnv(env)
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("write args: %w", err)
	}
	return b, nil
}

// HasLiterals reports whether raw contains any literal.
func HasLiterals(raw json.RawMessage) bool {
	return len(Find(string(raw))) > 0
}

type interpolator struct {
	r        Resolver
	problems []string
}

func (in *interpolator) fail(l Literal, err error) {
	in.problems = append(in.problems, l.Raw+": "+err.Error())
}

// str resolves the literals of one string. whole reports that s was exactly
// one literal, in which case the raw value is returned.
func (in *interpolator) str(s, field string) (v any, whole bool) {
	lits := Find(s)
	if len(lits) == 0 {
		return s, false
	}
	if len(lits) == 1 && lits[0].Start == 0 && lits[0].End == len(s) {
		val, err := in.r.Resolve(lits[0])
		if err != nil {
			in.fail(lits[0], err)
			return s, true
		}
		if list, ok := val.([]string); ok {
			if arrayFields[field] {
				items := make([]any, len(list))
				for i, x := range list {
					items[i] = x
				}
				return items, true
			}
			return strings.Join(list, " "), true
		}
		return val, true
	}
	var b strings.Builder
	last := 0
	for _, l := range lits {
		b.WriteString(s[last:l.Start])
		last = l.End
		val, err := in.r.Resolve(l)
		if err != nil {
			in.fail(l, err)
			b.WriteString(l.Raw)
			continue
		}
		b.WriteString(text(val))
	}
	b.WriteString(s[last:])
	return b.String(), false
}

// text is how a value reads inside a longer string.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []string:
		return strings.Join(x, " ")
	case json.Number:
		return x.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (in *interpolator) value(v any, field string) any {
	switch x := v.(type) {
	case string:
		out, _ := in.str(x, field)
		return out
	case []any:
		return in.array(x, field)
	case map[string]any:
		return in.object(x)
	}
	return v
}

func (in *interpolator) array(items []any, field string) any {
	out := make([]any, 0, len(items))
	marker := false
	for _, it := range items {
		switch x := it.(type) {
		case string:
			if x == removeIfEmpty {
				marker = true
				continue
			}
			val, whole := in.str(x, field)
			if list, ok := val.([]any); ok && whole {
				out = append(out, list...) // a whole-string literal spreads into the array
				continue
			}
			out = append(out, val)
		case map[string]any:
			if sp, ok := x[spreadKey]; ok {
				val := in.spreadValue(sp, field)
				if list, ok := val.([]any); ok {
					out = append(out, list...)
				} else if val != nil && val != "" {
					out = append(out, val)
				}
				continue
			}
			out = append(out, in.object(x))
		default:
			out = append(out, in.value(x, field))
		}
	}
	if marker && len(out) == 0 {
		return removed{}
	}
	return out
}

func (in *interpolator) spreadValue(v any, field string) any {
	s, ok := v.(string)
	if !ok {
		return in.value(v, field)
	}
	val, _ := in.str(s, "resources") // keep arrays as arrays
	if str, ok := val.(string); ok && (strings.HasPrefix(str, "[") || strings.HasPrefix(str, "{")) {
		dec := json.NewDecoder(strings.NewReader(str))
		dec.UseNumber()
		var parsed any
		if dec.Decode(&parsed) == nil {
			return parsed
		}
	}
	return val
}

func (in *interpolator) object(m map[string]any) any {
	out := make(map[string]any, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == spreadKey {
			continue
		}
		val := in.value(m[k], k)
		if _, gone := val.(removed); gone {
			continue
		}
		out[k] = val
	}
	if sp, ok := m[spreadKey]; ok {
		// {"__spread__": "%%…%%", ...}: the resolved object fills keys the
		// object does not set itself.
		switch val := in.spreadValue(sp, spreadKey).(type) {
		case map[string]any:
			for k, x := range val {
				if _, set := out[k]; !set {
					out[k] = x
				}
			}
		case []any: // "KEY=value" items
			for _, it := range val {
				if s, ok := it.(string); ok {
					if k, x, ok := strings.Cut(s, "="); ok {
						if _, set := out[k]; !set {
							out[k] = x
						}
					}
				}
			}
		case nil, string:
			if s, _ := val.(string); s != "" && len(Find(s)) == 0 {
				in.problems = append(in.problems, fmt.Sprintf("__spread__ value %q is not an object", s))
			}
		}
	}
	return out
}

// stringifyEnv makes every env value a string, as the node does.
func stringifyEnv(env map[string]any) {
	for k, v := range env {
		if _, ok := v.(string); !ok {
			env[k] = text(v)
		}
	}
}

// IsUnresolved reports whether err is an UnresolvedError.
func IsUnresolved(err error) bool {
	var u *UnresolvedError
	return errors.As(err, &u)
}

package schema

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// decodeJSON decodes schema text into the values encoding/json gives an
// `any` (map[string]any, []any, string, float64, bool, nil), with jobkit's
// own scanner. In the browser a schema compiles during the first lint, and
// encoding/json's reflection there is code run once, for the schema only:
// half of the first lint's time on a cold start. The scanner is the code
// every lint runs anyway. Text the scanner has anything to say about (not
// strict JSON), or a number out of float64's range, goes to encoding/json,
// so errors read as before.
func decodeJSON(text []byte) (any, error) {
	doc := jsonast.Parse(text)
	if doc.Strict() {
		if v, ok := doc.Root.ValueWith(float64Number); ok {
			return v, nil
		}
	}
	var v any
	if err := json.Unmarshal(text, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// float64Number is a number as encoding/json decodes it into an `any`;
// false when it does not fit a float64 (encoding/json's error then says so).
func float64Number(lit string) (any, bool) {
	f, err := strconv.ParseFloat(lit, 64)
	return f, err == nil
}

// snippetsOf reads an x-snippets value: a list of {label, description, body}.
func snippetsOf(v any) ([]Snippet, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("expected a list of {label, description, body}")
	}
	out := make([]Snippet, 0, len(list))
	for i, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("item %d: expected an object {label, description, body}", i)
		}
		var s Snippet
		for _, f := range []struct {
			key string
			to  *string
		}{{"label", &s.Label}, {"description", &s.Description}, {"body", &s.Body}} {
			switch v := m[f.key].(type) {
			case string:
				*f.to = v
			case nil:
			default:
				return nil, fmt.Errorf("item %d: %s must be a string", i, f.key)
			}
		}
		out = append(out, s)
	}
	return out, nil
}

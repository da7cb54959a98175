package engine

import (
	"bytes"
	"encoding/json"
	"strings"

	interp "github.com/jobkit-dev/jobkit/core/nosana/resolve"
)

// spreadResultObjects rewrites {"__spread__": "%%ops.X.results.K%%"} when
// that result holds JSON objects (a regex capturing `{...}` from a log
// line): the marker then gets the objects merged into one JSON string, which
// interp spreads like a variable holding a JSON object. Without this the
// result, a list of strings, would be read as "KEY=value" items and the
// objects dropped without a word. Anything else is left to interp.
//
// This belongs in interp's spread; it lives here while interp moves to core.
func spreadResultObjects(raw json.RawMessage, r interp.Resolver) json.RawMessage {
	if !bytes.Contains(raw, []byte(`"__spread__"`)) {
		return raw
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return raw
	}
	if !rewriteSpreads(v, r) {
		return raw
	}
	out, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return out
}

func rewriteSpreads(v any, r interp.Resolver) bool {
	changed := false
	switch x := v.(type) {
	case []any:
		for _, it := range x {
			changed = rewriteSpreads(it, r) || changed
		}
	case map[string]any:
		for k, it := range x {
			if k == "__spread__" {
				if s, ok := it.(string); ok {
					if obj, ok := resultObject(s, r); ok {
						x[k] = obj
						changed = true
					}
				}
				continue
			}
			changed = rewriteSpreads(it, r) || changed
		}
	}
	return changed
}

// resultObject resolves s when it is exactly one results literal whose
// items include JSON objects, and returns them merged (earlier keys win).
func resultObject(s string, r interp.Resolver) (string, bool) {
	lits := interp.Find(s)
	if len(lits) != 1 || lits[0].Start != 0 || lits[0].End != len(s) || lits[0].Scope != "ops" ||
		len(lits[0].Path) == 0 || lits[0].Path[0] != "results" {
		return "", false
	}
	val, err := r.Resolve(lits[0])
	if err != nil {
		return "", false
	}
	items, ok := val.([]string)
	if !ok {
		return "", false
	}
	merged := map[string]any{}
	found := false
	for _, it := range items {
		if !strings.HasPrefix(strings.TrimSpace(it), "{") {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(it))
		dec.UseNumber()
		var obj map[string]any
		if dec.Decode(&obj) != nil {
			continue
		}
		found = true
		for k, v := range obj {
			if _, set := merged[k]; !set {
				merged[k] = v
			}
		}
	}
	if !found {
		return "", false
	}
	b, err := json.Marshal(merged)
	if err != nil {
		return "", false
	}
	return string(b), true
}

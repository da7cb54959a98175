package nosana

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Decode reads a job definition into the typed model. Lint the text first:
// Decode reports only what keeps it from building the model (wrong shapes),
// with a field path, and never panics.
func Decode(text []byte) (*Job, error) {
	var j Job
	if err := json.Unmarshal(text, &j); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, fmt.Errorf("decode job: %s: expected %s, found a JSON %s", te.Field, te.Type, te.Value)
		}
		return nil, fmt.Errorf("decode job: %w", err)
	}
	for i, op := range j.Ops {
		if op == nil {
			return nil, fmt.Errorf("decode job: ops[%d] is null", i)
		}
		op.Index = i
		op.global = j.Global
	}
	return &j, nil
}

// unmarshalNumbers decodes b into v keeping numbers as json.Number.
func unmarshalNumbers(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

package nosana

import (
	"encoding/json"
	"fmt"
)

// Log types a result may read.
const (
	LogStdin   = "stdin"
	LogStdout  = "stdout"
	LogStderr  = "stderr"
	LogNodeErr = "nodeerr"
)

// Result is one entry of op.results: a regex over the op's logs, limited to
// LogType when given (a plain string means every log type).
type Result struct {
	Regex   string   `json:"regex"`
	LogType []string `json:"logType,omitempty"`
}

// UnmarshalJSON accepts "regex" or {"regex", "logType"}.
func (r *Result) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*r = Result{Regex: s}
		return nil
	}
	type plain Result
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("expected a regex string or {\"regex\", \"logType\"}")
	}
	*r = Result(p)
	return nil
}

// Reads reports whether the result reads logs of type t.
func (r *Result) Reads(t string) bool {
	if len(r.LogType) == 0 {
		return true
	}
	for _, l := range r.LogType {
		if l == t {
			return true
		}
	}
	return false
}

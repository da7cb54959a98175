package resolve

import (
	"encoding/json"
	"testing"
)

// FuzzArgs: interpolation never panics and, when it succeeds, gives JSON.
func FuzzArgs(f *testing.F) {
	for _, s := range []string{
		`{"cmd":["a","%%ops.srv.results.flags%%","__remove-if-empty__"],"env":{"__spread__":"%%ops.srv.results.env%%","N":1}}`,
		`{"expose":[{"__spread__":"%%ops.srv.results.flags%%"}],"x":"%%global.job%%%%global.variables.MODEL%%"}`,
		`{"env":{"__spread__":"{\"a\":1}"}}`, `[]`, `"%%ops.srv.host%%"`, `{"a":{"__spread__":5}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := Args(b, testStore())
		if err == nil && !json.Valid(out) {
			t.Fatalf("Args(%s) = %s, not JSON", b, out)
		}
	})
}

package engine

import (
	"encoding/json"
	"testing"

	interp "github.com/jobkit-dev/jobkit/core/nosana/resolve"
)

func TestSpreadResultObjects(t *testing.T) {
	store := interp.NewStore(map[string]string{}, map[string]string{"OBJ": `{"V":"x"}`})
	store.SetOp("p", interp.OpValues{Results: map[string][]string{
		"cfg":   {`CONFIG={"A":"1","B":2}`, `{"A":"1","B":2}`},
		"pairs": {"A=1", "B=2"},
	}})
	tests := []struct{ name, args, wantEnv string }{
		{"json object result", `{"env":{"__spread__":"%%ops.p.results.cfg%%","B":"mine"}}`, `{"A":"1","B":"mine"}`},
		{"KEY=value result (interp's)", `{"env":{"__spread__":"%%ops.p.results.pairs%%"}}`, `{"A":"1","B":"2"}`},
		{"variable (interp's)", `{"env":{"__spread__":"%%global.variables.OBJ%%"}}`, `{"V":"x"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := interp.Args(spreadResultObjects(json.RawMessage(tc.args), store), store)
			if err != nil {
				t.Fatal(err)
			}
			var got struct{ Env json.RawMessage }
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if string(got.Env) != tc.wantEnv {
				t.Errorf("env = %s, want %s", got.Env, tc.wantEnv)
			}
		})
	}
}

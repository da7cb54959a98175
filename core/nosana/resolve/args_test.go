package resolve

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func testStore() *Store {
	s := NewStore(map[string]string{"job": "flow1", "host": "node", "project": "p", "frps_address": "f"},
		map[string]string{"MODEL": "llama3", "PORT": "8080"})
	s.SetOp("srv", OpValues{Host: "flow1-0", Endpoints: map[string]string{"8080": "http://127.0.0.1:8080"},
		Results: map[string][]string{"token": {"tok-1"}, "flags": {"-a", "-b"}, "empty": {}, "env": {"A=1", "B=2"}}})
	s.SetOp("early", OpValues{Host: "flow1-1"})
	return s
}

func TestArgs(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no literals", `{"image":"x:1","cmd":"echo 100%% sure"}`, `{"cmd":"echo 100%% sure","image":"x:1"}`},
		{"host inside a string", `{"cmd":"wget http://%%ops.srv.host%%:8080/"}`, `{"cmd":"wget http://flow1-0:8080/"}`},
		{"variables and globals", `{"env":{"M":"%%global.variables.MODEL%%","J":"%%global.job%%","H":"%%globals.host%%"}}`, `{"env":{"H":"node","J":"flow1","M":"llama3"}}`},
		{"endpoint", `{"env":{"U":"%%ops.srv.endpoint.8080%%/v1"}}`, `{"env":{"U":"http://127.0.0.1:8080/v1"}}`},
		{"result in a string field joins", `{"env":{"F":"%%ops.srv.results.flags%%"}}`, `{"env":{"F":"-a -b"}}`},
		{"result spreads into cmd", `{"cmd":["run","%%ops.srv.results.flags%%","x"]}`, `{"cmd":["run","-a","-b","x"]}`},
		{"whole cmd from a result", `{"cmd":"%%ops.srv.results.flags%%"}`, `{"cmd":["-a","-b"]}`},
		{"remove-if-empty keeps others", `{"cmd":["a","__remove-if-empty__"]}`, `{"cmd":["a"]}`},
		{"remove-if-empty deletes the field", `{"image":"x","cmd":["%%ops.srv.results.empty%%","__remove-if-empty__"]}`, `{"image":"x"}`},
		{"spread in an array", `{"expose":[80,{"__spread__":"%%ops.srv.results.flags%%"}]}`, `{"expose":[80,"-a","-b"]}`},
		{"spread in env", `{"env":{"A":"mine","__spread__":"%%ops.srv.results.env%%"}}`, `{"env":{"A":"mine","B":"2"}}`},
		{"env values become strings", `{"env":{"N":5,"B":true}}`, `{"env":{"B":"true","N":"5"}}`},
		{"globals three-part is plain text", `{"cmd":"%%globals.variables.X%%"}`, `{"cmd":"%%globals.variables.X%%"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Args(json.RawMessage(tc.in), testStore())
			if err != nil {
				t.Fatalf("Args: %v", err)
			}
			var got, want any
			_ = json.Unmarshal(out, &got)
			_ = json.Unmarshal([]byte(tc.want), &want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Args(%s) = %s, want %s", tc.in, out, tc.want)
			}
		})
	}
}

func TestArgsUnresolved(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"cmd":"echo %%ops.nope.host%%"}`, `unresolved literal %%ops.nope.host%%: op "nope" has not started yet`},
		{`{"cmd":"%%ops.srv.results.missing%%"}`, `op "srv" has no result "missing" (it has empty, env, flags, token)`},
		{`{"cmd":"%%ops.early.results.x%%"}`, `op "early" has no results yet`},
		{`{"cmd":"%%ops.srv.endpoint.9%%"}`, `op "srv" does not expose port 9`},
		{`{"cmd":"%%global.variables.NOPE%%"}`, `global.variables has no "NOPE" (it has MODEL, PORT)`},
		{`{"cmd":"%%global.nope%%"}`, `"nope" is not a global value`},
		{`{"cmd":"%%ops.srv.bogus%%"}`, `unknown op path "bogus"`},
	}
	for _, tc := range tests {
		_, err := Args(json.RawMessage(tc.in), testStore())
		if err == nil || !IsUnresolved(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Args(%s) error = %v, want it to contain %q", tc.in, err, tc.want)
		}
	}
}

func TestFind(t *testing.T) {
	got := Find("a %%ops.x.results.k.v%% b %%global.variables.N%% %%global.job%%. %%globals.host%%. 100%%")
	var desc []string
	for _, l := range got {
		desc = append(desc, l.Scope+"|"+l.Op+"|"+strings.Join(l.Path, "/"))
	}
	want := []string{"ops|x|results/k/v", "global||variables/N", "global||job", "globals||host"}
	if !reflect.DeepEqual(desc, want) {
		t.Errorf("Find = %v, want %v", desc, want)
	}
	if Find("%%ops.x%%") != nil {
		t.Error("a two-part ops literal is not a literal for the node")
	}
}

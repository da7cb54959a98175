package nosana

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func mustDecode(t *testing.T, text string) *Job {
	t.Helper()
	j, err := Decode([]byte(text))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return j
}

func TestDecodeUnions(t *testing.T) {
	j := mustDecode(t, `{
	  "version": "0.1", "type": "container",
	  "meta": {"trigger": "cli", "system_requirements": {"required_vram": 6}, "x": [1, "a"]},
	  "global": {"image": "g:1", "gpu": true, "entrypoint": "/ep", "env": {"A": "g", "B": "g"}, "work_dir": "/g", "variables": {"V": "v1"}},
	  "ops": [
	    {"id": "run", "type": "container/run",
	     "args": {"image": "busybox:1.36", "cmd": "echo hi", "env": {"B": "op"},
	              "expose": [8080, {"port": 9000, "type": "api", "health_checks": [{"type": "http", "path": "/", "method": "GET", "expected_status": 200, "continuous": true}]}, "%%ops.a.results.p%%", {"__spread__": "%%ops.a.results.q%%"}],
	              "resources": [{"type": "S3", "url": "s3://b/p", "target": "/data", "allowWrite": true, "IAM": {"REGION": "r", "ACCESS_KEY_ID": "k", "SECRET_ACCESS_KEY": "s"}},
	                            {"type": "HF", "repo": "org/m", "target": "/m", "files": ["a"]},
	                            {"type": "Ollama", "model": "llama3"}, "__remove-if-empty__"],
	              "volumes": [{"name": "v", "dest": "/v"}], "aliases": "a1, a2",
	              "restart_policy": {"policy": "on-failure", "restart_tries": 3},
	              "authentication": {"docker": {"username": "u", "password": "p"}}},
	     "results": {"z": "z+", "a": {"regex": "a(.)", "logType": ["stdout"]}},
	     "execution": {"group": "g1", "depends_on": ["vol"], "stop_if_dependent_stops": true}},
	    {"id": "vol", "type": "container/create-volume", "args": {"name": "v"}},
	    {"id": "argv", "type": "container/run", "args": {"image": "x:1", "cmd": ["a", "__remove-if-empty__", "b"], "expose": {"port": 80}, "aliases": ["x"], "restart_policy": "always"}}
	  ],
	  "deployment_id": "dep", "logistics": {"send": {"type": "api", "args": {"endpoint": "https://e"}}, "receive": {"type": "api-listen", "args": {}}}
	}`)
	run, vol, argv := j.Ops[0], j.Ops[1], j.Ops[2]
	checks := []struct {
		name      string
		got, want any
	}{
		{"vram", j.RequiredVRAM(), 6.0},
		{"meta extra", j.Meta.Extra["x"], []any{json.Number("1"), "a"}},
		{"trigger", j.Meta.Trigger, "cli"},
		{"cmd string", *run.Run.Cmd, Command{IsString: true, Shell: "echo hi"}},
		{"cmd argv without marker", argv.Run.Cmd.Argv, []string{"a", "b"}},
		{"expose len", len(run.Run.Expose), 4},
		{"expose number", *run.Run.Expose[0].Port, ExposedPort{Port: 8080, Type: PortNone}},
		{"expose hc", run.Run.Expose[1].Port.HealthChecks[0].ExpectedStatus, 200},
		{"expose literal", run.Run.Expose[2].Literal, "%%ops.a.results.p%%"},
		{"expose spread", run.Run.Expose[3].Spread.Spread, "%%ops.a.results.q%%"},
		{"expose single object", *argv.Run.Expose[0].Port, ExposedPort{Port: 80}},
		{"resources without marker", len(run.Run.Resources), 3},
		{"s3", run.Run.Resources[0].S3.IAM.Region, "r"},
		{"s3 writable", run.Run.Resources[0].Writable(), true},
		{"hf files", run.Run.Resources[1].HF.Files, []string{"a"}},
		{"ollama default target", run.Run.Resources[2].Target(), DefaultOllamaTarget},
		{"aliases split", []string(run.Run.Aliases), []string{"a1", "a2"}},
		{"aliases list", []string(argv.Run.Aliases), []string{"x"}},
		{"restart object", *run.Run.RestartPolicy, RestartPolicy{Policy: "on-failure", RestartTries: 3}},
		{"restart string", *argv.Run.RestartPolicy, RestartPolicy{Policy: "always"}},
		{"auth", run.Run.Authentication.Docker.Password, "p"},
		{"result keys in order", run.ResultKeys, []string{"z", "a"}},
		{"result string", *run.Results["z"], Result{Regex: "z+"}},
		{"result object", *run.Results["a"], Result{Regex: "a(.)", LogType: []string{"stdout"}}},
		{"volume op", vol.Volume.Name, "v"},
		{"volume op has no run args", vol.Run == nil, true},
		{"indexes", []int{run.Index, vol.Index, argv.Index}, []int{0, 1, 2}},
		{"deployment", j.DeploymentID, "dep"},
		{"logistics", j.Logistics.Send.Args.Endpoint, "https://e"},
		{"variables", j.Variables()["V"], "v1"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"not json", `{`, "decode job"},
		{"wrong field type", `{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":5}}]}`, "image"},
		{"null op", `{"version":"0.1","type":"container","ops":[null]}`, "ops[0] is null"},
		{"no args", `{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run"}]}`, `op "a" has no args`},
		{"bad resource type", `{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"x","resources":[{"type":"Git","target":"/x"}]}}]}`, `unknown resource type "Git"`},
		{"bad cmd", `{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"x","cmd":5}}]}`, "string or an array"},
		{"fractional port", `{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"x","expose":80.5}}]}`, "not a whole number"},
		{"not an object", `[1]`, "decode job"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Decode error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestResourceRoundTrip(t *testing.T) {
	for _, in := range []string{
		`{"type":"S3","target":"/d","url":"s3://b","allowWrite":true}`,
		`{"type":"HF","target":"/m","repo":"o/r","revision":"main"}`,
		`{"type":"Ollama","model":"m"}`,
	} {
		var r Resource
		if err := json.Unmarshal([]byte(in), &r); err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var a, b any
		_ = json.Unmarshal([]byte(in), &a)
		_ = json.Unmarshal(out, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("round trip %s → %s", in, out)
		}
	}
}

package nosana

import (
	"reflect"
	"testing"
)

func TestEffectiveValues(t *testing.T) {
	const global = `"global": {"image": "g:1", "gpu": true, "entrypoint": ["/g-ep"], "env": {"A": "g", "B": "g"}, "work_dir": "/g"}`
	tests := []struct {
		name                 string
		job                  string
		gpu                  bool
		image, workDir       string
		entrypoint, cmd, env []string
		ports                []int
	}{
		{
			name:       "global fallbacks",
			job:        `{"version":"0.1","type":"container",` + global + `,"ops":[{"id":"a","type":"container/run","args":{"image":"","gpu":false}}]}`,
			gpu:        true, // args.gpu false cannot opt out
			image:      "g:1",
			workDir:    "/g",
			entrypoint: []string{"/g-ep"},
			env:        []string{"A=g", "B=g", "NOSANA_ID=flow"},
		},
		{
			name:       "op values win",
			job:        `{"version":"0.1","type":"container",` + global + `,"ops":[{"id":"a","type":"container/run","args":{"image":"o:2","entrypoint":"/bin/sh -c","work_dir":"/o","cmd":"echo $A","env":{"B":"o","NOSANA_ID":"mine"},"expose":[80,80,{"port":81,"type":"web"}]}}]}`,
			gpu:        true,
			image:      "o:2",
			workDir:    "/o",
			entrypoint: []string{"/bin/sh -c"}, // a string entrypoint is not split
			cmd:        []string{"/bin/sh", "-c", "echo $A"},
			env:        []string{"A=g", "B=o", "NOSANA_ID=flow"},
			ports:      []int{80, 81},
		},
		{
			name:  "no global",
			job:   `{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"o:2","cmd":["x","y"],"entrypoint":""}}]}`,
			image: "o:2",
			cmd:   []string{"x", "y"},
			env:   []string{"NOSANA_ID=flow"},
		},
		{
			name:  "empty argv cmd is kept empty",
			job:   `{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"o:2","cmd":[]}}]}`,
			image: "o:2",
			cmd:   []string{},
			env:   []string{"NOSANA_ID=flow"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			op := mustDecode(t, tc.job).Ops[0]
			var ports []int
			for _, p := range op.ExposedPorts() {
				ports = append(ports, p.Port)
			}
			got := []any{op.GPU(), op.Image(), op.WorkDir(), op.Entrypoint(), op.Command(), op.EnvList("flow"), ports}
			want := []any{tc.gpu, tc.image, tc.workDir, tc.entrypoint, tc.cmd, tc.env, tc.ports}
			names := []string{"GPU", "Image", "WorkDir", "Entrypoint", "Command", "Env", "ExposedPorts"}
			for i := range got {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("%s = %#v, want %#v", names[i], got[i], want[i])
				}
			}
		})
	}
}

func TestGroups(t *testing.T) {
	j := mustDecode(t, `{"version":"0.1","type":"container","ops":[
	  {"id":"a","type":"container/run","args":{"image":"x"},"execution":{"group":"serve"}},
	  {"id":"b","type":"container/run","args":{"image":"x"}},
	  {"id":"c","type":"container/run","args":{"image":"x"},"execution":{"group":"serve","depends_on":["a"],"stop_if_dependent_stops":true}},
	  {"id":"d","type":"container/create-volume","args":{"name":"v"}}]}`)
	var got [][]string
	for _, g := range j.Groups() {
		ids := []string{g.Name}
		for _, op := range g.Ops {
			ids = append(ids, op.ID)
		}
		got = append(got, ids)
	}
	want := [][]string{{"serve", "a", "c"}, {"b", "b"}, {"d", "d"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Groups = %v, want %v", got, want)
	}
	c := j.Op("c")
	if !reflect.DeepEqual(c.DependsOn(), []string{"a"}) || !c.StopIfDependentStops() {
		t.Errorf("execution of c: %v %v", c.DependsOn(), c.StopIfDependentStops())
	}
	if j.Op("nope") != nil || j.Op("a").DependsOn() != nil {
		t.Error("Op lookup or empty depends_on wrong")
	}
}

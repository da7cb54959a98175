package rules

import (
	"sort"
	"strings"
	"testing"
)

// TestTemplateEnvKeys checks which variable names jobkit reads from an env
// template, and when it gives up because actions produce the names.
func TestTemplateEnvKeys(t *testing.T) {
	for _, tc := range []struct {
		name, tmpl, keys string
		open             bool
	}{
		{"plain lines", "A=1\nexport B=2\n# C=3\n", "A B", false},
		{"values from actions", "HOST={{ .Address }}\nPORT={{ env \"NOMAD_PORT_x\" }}", "HOST PORT", false},
		{"control actions around lines", "{{ with service \"db\" }}{{ with index . 0 -}}\nDB={{ .Address }}\n{{- end }}{{ end }}", "DB", false},
		{"names from actions", "{{ range ls \"app\" }}{{ .Key }}={{ .Value }}\n{{ end }}", "", true},
		{"whole output from an action", "{{ key \"app/env\" }}", "", true},
		{"variable assignment is not output", "{{ $x := 1 }}\nX={{ $x }}", "X", false},
		{"unterminated action", "A={{ .x\nB=2", "A B", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys := map[string]bool{}
			open := templateEnvKeys(tc.tmpl, keys)
			var got []string
			for k := range keys {
				got = append(got, k)
			}
			sort.Strings(got)
			if strings.Join(got, " ") != tc.keys || open != tc.open {
				t.Errorf("got keys %q open %v, want %q open %v", strings.Join(got, " "), open, tc.keys, tc.open)
			}
		})
	}
}

// TestTaskPortVars checks NOMAD_<KIND>_<task>_<label> with underscores in
// both names.
func TestTaskPortVars(t *testing.T) {
	e := &taskEnv{taskPorts: map[string]map[string]bool{"side_car": {"up_stream": true}, "app": {}}}
	for name, want := range map[string]bool{
		"NOMAD_ADDR_side_car_up_stream":       true,
		"NOMAD_HOST_PORT_side_car_up_stream":  true,
		"NOMAD_PORT_side_car_down":            false,
		"NOMAD_ADDR_app_up_stream":            false,
		"NOMAD_ALLOC_PORT_side_car_up_stream": false,
	} {
		if got := e.portVarTask(name); got != want {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
}

package rules

import (
	"strings"
	"testing"
)

func TestVolume(t *testing.T) {
	create := func(id, name string) string {
		return `{"id": "` + id + `", "type": "container/create-volume", "args": {"name": "` + name + `"}}`
	}
	grouped := func(id, group, args string) string {
		return `{"id": "` + id + `", "type": "container/run", "execution": {"group": "` + group + `"}, "args": {"image": "ubuntu:22.04", ` + args + `}}`
	}
	vol := func(name, dest string) string { return `{"name": "` + name + `", "dest": "` + dest + `"}` }
	checkCases(t, volume, []ruleCase{
		{"created first", job(create("mk", "v"), runOp("a", `"volumes": [`+vol("v", "/data")+`]`)), nil},
		{"created in the same group, earlier", job(
			`{"id": "mk", "type": "container/create-volume", "execution": {"group": "g"}, "args": {"name": "v"}}`,
			grouped("a", "g", `"volumes": [`+vol("v", "/data")+`]`)), nil},
		{"relative dest", job(create("mk", "v"), runOp("a", `"volumes": [`+vol("v", "data")+`]`)), []string{"error ops[1].args.volumes[0].dest"}},
		{"literal dest skipped", job(create("mk", "v"), runOp("a", `"volumes": [`+vol("v", "%%global.variables.D%%")+`]`)), nil},
		{"two volumes at one place", job(create("mk", "v"), create("mk2", "w"), runOp("a", `"volumes": [`+vol("v", "/data")+`, `+vol("w", "/data/")+`]`)),
			[]string{"error ops[2].args.volumes[1].dest"}},
		{"volume on a resource target", job(create("mk", "v"), runOp("a", `"volumes": [`+vol("v", "/root/.ollama/models")+`], "resources": [{"type": "Ollama", "model": "llama3"}]`)),
			[]string{"error ops[1].args.volumes[0].dest"}},
		{"never created", job(runOp("a", `"volumes": [`+vol("v", "/data")+`]`)), []string{"warning ops[0].args.volumes[0].name"}},
		{"created later", job(runOp("a", `"volumes": [`+vol("v", "/data")+`]`), create("mk", "v")), []string{"warning ops[0].args.volumes[0].name"}},
		{"two writers in one group", job(create("mk", "v"),
			grouped("a", "g", `"volumes": [`+vol("v", "/data")+`]`),
			grouped("b", "g", `"volumes": [`+vol("v", "/data")+`]`)), []string{"warning ops[2].args.volumes[0].name"}},
		{"writers in two groups", job(create("mk", "v"),
			grouped("a", "g", `"volumes": [`+vol("v", "/data")+`]`),
			grouped("b", "h", `"volumes": [`+vol("v", "/data")+`]`)), nil},
	})
	out, fix := fixed(t, volume, job(create("mk", "v"), runOp("a", `"volumes": [`+vol("v", "data")+`]`)), "Make the path absolute")
	if fix.Safe || !strings.Contains(out, `"dest": "/data"`) {
		t.Errorf("fix gave %s (safe %v)", out, fix.Safe)
	}
}

package rules

import "testing"

func TestRestartPolicy(t *testing.T) {
	grouped := func(id, group, args string) string {
		return `{"id": "` + id + `", "type": "container/run", "execution": {"group": "` + group + `"}, "args": {"image": "nginx:1.27"` + args + `}}`
	}
	checkCases(t, restartPolicy, []ruleCase{
		{"no policy", job(runOp("a", ""), runOp("b", "")), nil},
		{"policy no", job(runOp("a", `"restart_policy": "no"`)), nil},
		{"always in the last group", job(runOp("a", ""), runOp("b", `"restart_policy": "always"`)), []string{"info ops[1].args.restart_policy"}},
		{"always before another group", job(runOp("a", `"restart_policy": "always"`), runOp("b", "")), []string{"warning ops[0].args.restart_policy"}},
		{"unless-stopped before another group", job(runOp("a", `"restart_policy": "unless-stopped"`), runOp("b", "")), []string{"warning ops[0].args.restart_policy"}},
		{"always with its group mates only", job(grouped("a", "g", `, "restart_policy": "always"`), grouped("b", "g", "")), []string{"info ops[0].args.restart_policy"}},
		{"on-failure object", job(runOp("a", `"restart_policy": {"policy": "on-failure", "restart_tries": 2}`), runOp("b", "")), []string{"info ops[0].args.restart_policy"}},
	})
}

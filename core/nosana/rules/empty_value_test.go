package rules

import "testing"

func TestEmptyValue(t *testing.T) {
	checkCases(t, emptyValue, []ruleCase{
		{"fine", job(runOp("a", "")), nil},
		{"no ops", job(), []string{"error ops"}},
		{"empty id", job(`{"id": "", "type": "container/run", "args": {"image": "ubuntu:22.04"}}`), []string{"error ops[0].id"}},
		{"empty image", job(`{"id": "a", "type": "container/run", "args": {"image": " "}}`), []string{"error ops[0].args.image"}},
		{"create-volume has no image", job(`{"id": "v", "type": "container/create-volume", "args": {"name": "x"}}`), nil},
		{"missing ops is the schema's", `{"version": "0.1", "type": "container"}`, nil},
	})
}

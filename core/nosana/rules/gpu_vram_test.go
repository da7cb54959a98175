package rules

import (
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// withTop adds top-level members before "version".
func withTop(src, members string) string {
	return strings.Replace(src, `{"version"`, `{`+members+`, "version"`, 1)
}

func TestGPUVRAM(t *testing.T) {
	gpuJob := job(runOp("a", `"gpu": true`))
	cpuJob := job(runOp("a", ""))
	checkCases(t, gpuVRAM, []ruleCase{
		{"gpu with vram", withTop(gpuJob, `"meta": {"system_requirements": {"required_vram": 8}}`), nil},
		{"gpu without vram", gpuJob, []string{"warning ops[0].args.gpu"}},
		{"global gpu without vram", withTop(cpuJob, `"global": {"gpu": true}`), []string{"warning global.gpu"}},
		{"zero vram", withTop(gpuJob, `"meta": {"system_requirements": {"required_vram": 0}}`), []string{"warning meta.system_requirements.required_vram"}},
		{"vram as text", withTop(gpuJob, `"meta": {"system_requirements": {"required_vram": "8"}}`), []string{"warning meta.system_requirements.required_vram"}},
		{"under system_resources", withTop(gpuJob, `"meta": {"system_resources": {"required_vram": 8}}`), []string{"warning meta.system_resources.required_vram"}},
		{"under meta", withTop(gpuJob, `"meta": {"required_vram": 8}`), []string{"warning meta.required_vram"}},
		{"under args", job(runOp("a", `"gpu": true, "required_vram": 8`)), []string{"warning ops[0].args.required_vram"}},
		{"under global", withTop(gpuJob, `"global": {"required_vram": 8}`), []string{"warning global.required_vram"}},
		{"vram without gpu", withTop(cpuJob, `"meta": {"system_requirements": {"required_vram": 8}}`), []string{"info meta.system_requirements.required_vram"}},
		{"template vram_total_mb", withTop(gpuJob, `"meta": {"system_requirements": {"vram_total_mb": 8192}}`), []string{"warning meta.system_requirements.vram_total_mb"}},
		{"vram_total_mb not a number", withTop(gpuJob, `"meta": {"system_requirements": {"vram_total_mb": "8GB"}}`), []string{"warning meta.system_requirements.vram_total_mb"}},
		{"vram_total_mb beside required_vram", withTop(gpuJob, `"meta": {"system_requirements": {"vram_total_mb": 8192, "required_vram": 8}}`), nil},
		{"vram_total_mb without gpu", withTop(cpuJob, `"meta": {"system_requirements": {"vram_total_mb": 8192}}`), nil},
		{"no ops at all", withTop(job(), `"meta": {"system_requirements": {"required_vram": 8}}`), nil},
	})
}

func TestGPUVRAMFixes(t *testing.T) {
	gpuJob := job(runOp("a", `"gpu": true`))
	cases := []struct {
		name, src, title string
		safe             bool
	}{
		{"rename system_resources", withTop(gpuJob, `"meta": {"system_resources": {"required_vram": 8}}`), `Rename "system_resources"`, true},
		{"wrap meta.required_vram", withTop(gpuJob, `"meta": {"trigger": "cli", "required_vram": 8}`), "Move required_vram", true},
		{"into an existing object", withTop(gpuJob, `"meta": {"system_requirements": {"disk": 10}, "required_vram": 8}`), "Move required_vram", true},
		{"from args into a new meta", job(runOp("a", `"gpu": true, "required_vram": 8`)), "Move required_vram", true},
		{"from global into meta", withTop(gpuJob, `"meta": {"trigger": "cli"}, "global": {"required_vram": 8}`), "Move required_vram", true},
		{"required_vram from vram_total_mb", withTop(gpuJob, `"meta": {"system_requirements": {"vram_total_mb": 7900}}`), `Add "required_vram": 8`, false},
		{"two copies: remove", withTop(gpuJob, `"meta": {"system_requirements": {"required_vram": 8}, "required_vram": 8}`), "Remove meta.required_vram", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, fix := fixed(t, gpuVRAM, tc.src, tc.title)
			if fix.Safe != tc.safe {
				t.Errorf("safe = %v, want %v", fix.Safe, tc.safe)
			}
			if ds := runRule(t, gpuVRAM, out); len(ds) != 0 {
				t.Errorf("after the fix:\n%s\nstill: %v", out, brief(ds))
			}
			doc := jsonast.Parse([]byte(out))
			v := doc.Lookup([]jsonast.Segment{{Key: "meta", Index: -1}, {Key: "system_requirements", Index: -1}, {Key: "required_vram", Index: -1}})
			if n, ok := v.Int(); !ok || n != 8 {
				t.Errorf("after the fix meta.system_requirements.required_vram is not 8:\n%s", out)
			}
		})
	}
}

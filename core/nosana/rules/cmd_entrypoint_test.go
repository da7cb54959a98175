package rules

import (
	"strings"
	"testing"
)

func TestCmdEntrypoint(t *testing.T) {
	checkCases(t, cmdEntrypoint, []ruleCase{
		{"array cmd", job(runOp("a", `"cmd": ["echo", "hi"]`)), nil},
		{"string cmd alone", job(runOp("a", `"cmd": "echo hi && ls"`)), nil},
		{"empty cmd", job(runOp("a", `"cmd": ""`)), []string{"warning ops[0].args.cmd"}},
		{"entrypoint with spaces", job(runOp("a", `"entrypoint": "/bin/sh -c", "cmd": ["echo hi"]`)), []string{"warning ops[0].args.entrypoint"}},
		{"global entrypoint with spaces", withTop(job(runOp("a", "")), `"global": {"entrypoint": "python -u"}`), []string{"warning global.entrypoint"}},
		{"string cmd after entrypoint", job(runOp("a", `"entrypoint": ["python"], "cmd": "app.py"`)), []string{"warning ops[0].args.cmd"}},
		{"string cmd after global entrypoint", withTop(job(runOp("a", `"cmd": "app.py"`)), `"global": {"entrypoint": ["python"]}`), []string{"warning ops[0].args.cmd"}},
		{"empty op entrypoint falls back to global", withTop(job(runOp("a", `"entrypoint": "", "cmd": "app.py"`)), `"global": {"entrypoint": ["python"]}`), []string{"warning ops[0].args.cmd"}},
		{"cmd starting with -c", job(runOp("a", `"cmd": ["-c", "echo hi"]`)), []string{"info ops[0].args.cmd[0]"}},
		{"-c with a shell entrypoint", job(runOp("a", `"entrypoint": ["/bin/sh"], "cmd": ["-c", "echo hi"]`)), nil},
		{"literal cmd skipped", job(runOp("a", `"entrypoint": ["python"], "cmd": "%%ops.x.results.cmd%%"`)), nil},
	})
}

func TestCmdEntrypointFixes(t *testing.T) {
	out, fix := fixed(t, cmdEntrypoint, job(runOp("a", `"entrypoint": "/bin/sh -c"`)), "Split the entrypoint")
	if !fix.Safe || !strings.Contains(out, `"entrypoint": ["/bin/sh", "-c"]`) {
		t.Errorf("split gave %s (safe %v)", out, fix.Safe)
	}
	_, fix = fixed(t, cmdEntrypoint, job(runOp("a", `"entrypoint": "sh -c 'a b'"`)), "Split the entrypoint")
	if fix.Safe {
		t.Error("splitting an entrypoint with quotes is marked safe")
	}
	src := job(runOp("a", `"entrypoint": ["python"], "cmd": "app.py --port 80"`))
	out, fix = fixed(t, cmdEntrypoint, src, "Write cmd as the argv")
	if !fix.Safe || !strings.Contains(out, `"cmd": ["/bin/sh", "-c", "app.py --port 80"]`) {
		t.Errorf("argv fix gave %s (safe %v)", out, fix.Safe)
	}
	out, fix = fixed(t, cmdEntrypoint, src, "Pass the words")
	if fix.Safe || !strings.Contains(out, `"cmd": ["app.py", "--port", "80"]`) {
		t.Errorf("words fix gave %s (safe %v)", out, fix.Safe)
	}
	for _, d := range runRule(t, cmdEntrypoint, job(runOp("a", `"entrypoint": ["python"], "cmd": "a | b"`))) {
		for _, f := range d.Fixes {
			if strings.HasPrefix(f.Title, "Pass the words") {
				t.Errorf("a cmd with shell syntax was offered %q", f.Title)
			}
		}
	}
	out, _ = fixed(t, cmdEntrypoint, job(runOp("a", `"cmd": ""`)), "Remove cmd")
	if strings.Contains(out, "cmd") {
		t.Errorf("remove gave %s", out)
	}
}

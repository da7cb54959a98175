package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneVersion builds jobkit and runner the way the Makefile does, with
// one -X stamp into internal/version, and checks that every face prints it:
// `jobkit version`, `runner --version` and SARIF's tool.driver.version. (The
// editor's footer reads the same variable through the wasm bridge, whose
// test checks bridge.Version against it.)
func TestOneVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	const stamp = "v9.9.9-test"
	dir := t.TempDir()
	ldflags := "-X github.com/jobkit-dev/jobkit/internal/version.Version=" + stamp
	for _, cmd := range []string{"jobkit", "runner"} {
		out, err := exec.Command("go", "build", "-ldflags", ldflags, "-o", filepath.Join(dir, cmd), "../"+cmd).CombinedOutput()
		if err != nil {
			t.Fatalf("build %s: %v\n%s", cmd, err, out)
		}
	}
	for _, tc := range []struct {
		bin  string
		args []string
		want string
	}{
		{"jobkit", []string{"version"}, "jobkit " + stamp + "\n"},
		{"jobkit", []string{"--version"}, "jobkit " + stamp + "\n"},
		{"runner", []string{"--version"}, "runner " + stamp + "\n"},
	} {
		out, err := exec.Command(filepath.Join(dir, tc.bin), tc.args...).Output()
		if err != nil || string(out) != tc.want {
			t.Errorf("%s %s = %q, %v; want %q", tc.bin, strings.Join(tc.args, " "), out, err, tc.want)
		}
	}
	job := filepath.Join(dir, "job.json")
	if err := os.WriteFile(job, []byte(`{"version": "0.1", "type": "container", "ops": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(filepath.Join(dir, "jobkit"), "lint", "--format", "sarif", job).Output()
	var log struct {
		Runs []struct {
			Tool struct{ Driver struct{ Version string } }
		}
	}
	if err := json.Unmarshal(out, &log); err != nil || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Version != stamp {
		t.Errorf("SARIF tool.driver.version: %v\n%s", err, out)
	}
}

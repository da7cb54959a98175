//go:build !js

package bridge

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// goListDeps lists the packages a build of pkgs for the browser pulls in.
func goListDeps(t *testing.T, pkgs ...string) map[string]bool {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...)
	cmd.Dir = "../.."
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list -deps %v: %v\n%s", pkgs, err, msg)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	return deps
}

// TestWasmAddsNothingToTheCore keeps the wasm build lean: beyond what the
// core itself needs, ./wasm may only add the bridge and syscall/js — never
// the CLI, its output formatters, the runner, an HTTP stack or templates —
// and neither may link net/http, crypto/tls or text/template (together 43%
// of the code when gojsonschema's remote $ref loader brought them in).
func TestWasmAddsNothingToTheCore(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	wasm := goListDeps(t, "./wasm")
	core := goListDeps(t, "./core/...")
	var extra []string
	for p := range wasm {
		// internal/version is one string variable: the version stamped once for every face.
		// runtime/debug (part of the runtime, nothing more) sets the collector up for the browser (gc_wasm.go).
		if core[p] || p == "syscall/js" || p == "github.com/jobkit-dev/jobkit/internal/version" || p == "runtime/debug" ||
			strings.HasPrefix(p, "github.com/jobkit-dev/jobkit/wasm") {
			continue
		}
		extra = append(extra, p)
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		t.Errorf("./wasm pulls in packages the core does not need; keep them out of the browser build:\n  %s", strings.Join(extra, "\n  "))
	}
	for _, p := range []string{
		"github.com/jobkit-dev/jobkit/internal/jobkitcli",
		"github.com/jobkit-dev/jobkit/internal/output",
		"github.com/jobkit-dev/jobkit/internal/webui",
		"github.com/jobkit-dev/jobkit/runner",
		"github.com/docker/docker/client",
		"os/exec",
		"html/template",
	} {
		for dep := range wasm {
			if dep == p || strings.HasPrefix(dep, p+"/") {
				t.Errorf("./wasm depends on %s", dep)
			}
		}
	}
	for _, heavy := range []string{"net/http", "crypto/tls", "text/template"} {
		if wasm[heavy] {
			t.Errorf("the wasm build links %s; find what imports it with: GOOS=js GOARCH=wasm go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./wasm | grep '%s'", heavy, heavy)
		}
	}
}

// TestGojsonschemaOnlyInTests keeps gojsonschema, the tests' second opinion
// on schema verdicts, out of everything jobkit ships: the editor's wasm and
// the commands.
func TestGojsonschemaOnlyInTests(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", "./cmd/...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list -deps ./cmd/...: %v\n%s", err, msg)
	}
	for p := range strings.FieldsSeq(string(out)) {
		if strings.HasPrefix(p, "github.com/xeipuuv/") {
			t.Errorf("a shipped build depends on %s: validate with core/schema (santhosh-tekuri/jsonschema) instead", p)
		}
	}
	for p := range goListDeps(t, "./wasm") {
		if strings.HasPrefix(p, "github.com/xeipuuv/") {
			t.Errorf("the wasm build depends on %s", p)
		}
	}
}

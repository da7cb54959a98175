//go:build !js

package jobschema

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// officialVersion is the @nosana/types release schema.json follows.
const officialVersion = "2.1.6"

// deliberate lists the files where jobkit's schema layer and the official
// validator reach different verdicts on purpose, and why. The test fails
// when a file differs without an entry here, and when an entry no longer
// differs.
var deliberate = map[string]string{
	// Checks the official validator makes with custom typia tags, which JSON
	// Schema cannot express; jobkit's semantic rules report them instead.
	"core/testdata/nosana/err/duplicate-op-id.json":                   "unique op ids (typia tag UniqueById): the duplicate-op-id rule reports it",
	"core/nosana/jobschema/testdata/conformance/duplicate-ids.json":   "unique op ids (typia tag UniqueById): the duplicate-op-id rule reports it",
	"core/testdata/nosana/err/duplicate-port.json":                    "unique exposed ports (typia tag UniqueExposedPorts): the duplicate-port rule reports it",
	"core/nosana/jobschema/testdata/conformance/duplicate-ports.json": "unique exposed ports (typia tag UniqueExposedPorts): the duplicate-port rule reports it",
	// jobkit is stricter.
	"core/nosana/jobschema/testdata/conformance/expose-literal-unescaped-dot.json": "the official literal pattern ^%%(ops|global).[^%]+%%$ leaves the dot unescaped, so %%opsX.port%% passes it; the node never resolves it, so jobkit requires the dot",
}

// TestConformance runs the official validator (validateJobDefinition of
// @nosana/types, installed with npm into build/nosana-conformance) over every
// Nosana testdata file, every example and the conformance corpus, and
// requires jobkit's schema layer to reach the same valid/invalid verdict.
// Without node or npm it skips, unless CI=true, where it fails.
func TestConformance(t *testing.T) {
	dir := installOfficial(t)
	var files []string
	for _, pattern := range []string{"../../testdata/nosana/*/*.json", "../../../examples/*.json", "testdata/conformance/*.json"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	sort.Strings(files)
	official := runOfficial(t, dir, files)
	agree, differ := 0, 0
	seen := map[string]bool{}
	for _, path := range files {
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc := jsonast.Parse(text)
		if doc.HasSyntaxErrors() {
			continue // not JSON: neither validator sees a job
		}
		res, ok := official[path]
		if !ok {
			t.Errorf("%s: the official validator gave no verdict", path)
			continue
		}
		var errs []string
		for _, d := range Validate(doc) {
			if d.Severity == diag.Error {
				errs = append(errs, d.Message)
			}
		}
		mine := len(errs) == 0
		key := deliberateKey(path)
		reason, known := deliberate[key]
		if known {
			seen[key] = true
		}
		switch {
		case mine == res.Valid && known:
			t.Errorf("%s: listed as a deliberate difference (%s) but both say valid=%v", path, reason, mine)
		case mine == res.Valid:
			agree++
		case known:
			differ++
			t.Logf("%s: differs on purpose: %s", path, reason)
		default:
			t.Errorf("%s: official valid=%v %v, jobkit valid=%v %v", path, res.Valid, res.Errors, mine, errs)
		}
	}
	for f := range deliberate {
		if !seen[f] {
			t.Errorf("deliberate difference %s matches no file", f)
		}
	}
	t.Logf("@nosana/types %s: %d files agree, %d differ on purpose", officialVersion, agree, differ)
}

type verdict struct {
	Valid  bool     `json:"valid"`
	Errors []string `json:"errors"`
}

// installOfficial installs @nosana/types once into build/nosana-conformance
// and returns that directory.
func installOfficial(t *testing.T) string {
	t.Helper()
	ci := os.Getenv("CI") == "true"
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if ci {
				t.Fatalf("CI=true but %s is missing: %v", tool, err)
			}
			t.Skipf("%s is not installed: %v", tool, err)
		}
	}
	dir, err := filepath.Abs("../../../build/nosana-conformance")
	if err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(dir, "node_modules", "@nosana", "types", "package.json")
	if b, err := os.ReadFile(pkg); err == nil {
		var p struct{ Version string }
		if json.Unmarshal(b, &p) == nil && p.Version == officialVersion {
			return dir
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name": "nosana-conformance", "private": true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "@nosana/types@"+officialVersion)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		if ci {
			t.Fatalf("npm install @nosana/types@%s: %v\n%s", officialVersion, err, out)
		}
		t.Skipf("npm install @nosana/types@%s failed (offline?): %v\n%s", officialVersion, err, out)
	}
	return dir
}

// checker reads file paths from argv and prints one verdict per line.
const checker = `
const { validateJobDefinition } = require("@nosana/types");
const fs = require("fs");
const out = {};
for (const f of process.argv.slice(2)) {
  let input;
  try { input = JSON.parse(fs.readFileSync(f, "utf8")); } catch (e) { continue; }
  // The validator throws on some inputs (null inside expose): that job
  // cannot be posted either, so it counts as rejected.
  let r;
  try { r = validateJobDefinition(input); } catch (e) { out[f] = { valid: false, errors: ["the validator threw: " + e.message] }; continue; }
  out[f] = { valid: r.success, errors: (r.errors || []).map(e => e.path + ": " + e.expected) };
}
process.stdout.write(JSON.stringify(out));
`

func runOfficial(t *testing.T, dir string, files []string) map[string]verdict {
	t.Helper()
	script := filepath.Join(dir, "check.cjs")
	if err := os.WriteFile(script, []byte(checker), 0o644); err != nil {
		t.Fatal(err)
	}
	abs := make([]string, len(files))
	for i, f := range files {
		a, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		abs[i] = a
	}
	cmd := exec.Command("node", append([]string{script}, abs...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, stderr.String())
	}
	var byAbs map[string]verdict
	if err := json.Unmarshal(out, &byAbs); err != nil {
		t.Fatalf("reading the official verdicts: %v\n%s", err, out)
	}
	res := map[string]verdict{}
	for i, f := range files {
		if v, ok := byAbs[abs[i]]; ok {
			res[f] = v
		}
	}
	return res
}

// deliberateKey names a file by its path from the repository root.
func deliberateKey(path string) string {
	root, err1 := filepath.Abs("../../..")
	abs, err2 := filepath.Abs(path)
	rel, err3 := filepath.Rel(root, abs)
	if err1 != nil || err2 != nil || err3 != nil {
		return path
	}
	return filepath.ToSlash(rel)
}

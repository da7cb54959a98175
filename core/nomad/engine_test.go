package nomad

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// TestEngineView pins jobkit to the job as Nomad sees it (defaults of
// Canonicalize, the client's task environment, HCL's decoding of driver
// Config): for each class a job Nomad accepts (<class>.ok.json: no errors)
// and its near miss that Nomad rejects (<class>.bad.json: an error of the
// named rule). Both have golden outputs.
func TestEngineView(t *testing.T) {
	for _, tc := range []struct{ class, rule string }{
		{"addressmode-empty", "nomad-service"},
		{"numeric-service-port", "nomad-port-label"},
		{"task-network-labels", "nomad-network"},
		{"template-env-vars", "nomad-interpolation"},
		{"sibling-task-ports", "nomad-interpolation"},
		{"docker-hcl-shapes", "nomad-docker-config"},
		{"priority-zero", "nomad-job"},
		{"template-signal-default", "nomad-template"},
		{"device-constraints", "nomad-constraint"},
		{"open-attr-target", "nomad-constraint-target"},
		{"network-hostname", "nomad-network"},
		{"port-map-task-network", "nomad-docker-config"},
		{"gateway-group", "nomad-group"},
		{"cores-without-cpu", "nomad-resources"},
		{"periodic-timezone", "nomad-periodic"},
		{"system-task-affinity", "nomad-task"},
		{"nomad-check-method", "nomad-check"},
		{"csi-volume-modes", "nomad-group"},
		{"numa-affinity", "nomad-resources"},
		{"empty-job-update", "nomad-update-not-allowed"},
		{"output-zero-fields", "nomad-resources"},
		// Misses the mutation test found (mutation_test.go).
		{"null-block-item", "nomad-type"},
		{"null-datacenter", "nomad-type"},
		{"restart-interval-zero", "nomad-restart-policy"},
		{"removed-field-type", "nomad-type"},
		{"device-count-negative", "nomad-type"},
		{"docker-image-null", "nomad-docker-config"},
		{"connect-types", "nomad-type"},
		{"scaling-min-count", "nomad-group"},
		{"default-service-name", "nomad-service-name"},
	} {
		t.Run(tc.class, func(t *testing.T) {
			dir := filepath.Join("testdata", "engine")
			for _, d := range golden(t, filepath.Join(dir, tc.class+".ok.json")) {
				if d.Severity == diag.Error {
					t.Errorf("ok: Nomad accepts this job, jobkit says: %s [%s]", d.Message, d.Rule)
				}
			}
			fired := false
			for _, d := range golden(t, filepath.Join(dir, tc.class+".bad.json")) {
				fired = fired || d.Rule == tc.rule && d.Severity == diag.Error
			}
			if !fired {
				t.Errorf("bad: no %s error on the near miss", tc.rule)
			}
		})
	}
}

// TestDecodeErrorStopsValidation checks that a block holding a value Nomad
// cannot decode gets the decode error only, not validation messages Nomad
// never reaches; other blocks are still validated.
func TestDecodeErrorStopsValidation(t *testing.T) {
	for _, tc := range []struct{ name, taskExtra, want string }{
		{"wrong type in resources", `"Resources": {"CPU": "100", "MemoryMB": 4},`, "nomad-type:error"},
		{"valid resources are validated", `"Resources": {"CPU": 100, "MemoryMB": 4},`, "nomad-resources:error"},
		{"sibling block still validated", `"Resources": {"CPU": "100"}, "LogConfig": {"MaxFiles": 0},`, "nomad-type:error nomad-log-config:error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rulesOf(lint([]byte(job("", tc.taskExtra)), rule.Options{})); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCaseFoldedDuplicate checks that two keys differing only in case say
// which one Nomad keeps (Go's decoder takes the last match).
func TestCaseFoldedDuplicate(t *testing.T) {
	text := strings.Replace(job("", ""), `"Name": "g",`, `"Name": "g", "Count": 1, "count": 3,`, 1)
	for _, d := range lint([]byte(text), rule.Options{}) {
		if strings.Contains(d.Message, `keeps the last one, "count": 3`) && d.Range.Start.Column == strings.Index(text, `"Count"`)+1 {
			return
		}
	}
	t.Errorf("no diagnostic on \"Count\" saying Nomad keeps \"count\": 3:\n%s", render("dup.json", lint([]byte(text), rule.Options{})))
}

// TestRealWorldStyle lints whole jobs written the way `nomad job run
// -output` prints them (every field, zero values and nulls included) that
// combine the patterns of real jobs Nomad accepts: no errors allowed.
func TestRealWorldStyle(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "realworld", "*.json"))
	if len(files) == 0 {
		t.Fatal("no testdata/realworld jobs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			for _, d := range golden(t, f) {
				if d.Severity == diag.Error {
					t.Errorf("Nomad accepts this job, jobkit says: %s [%s]", d.Message, d.Rule)
				}
			}
		})
	}
}

// TestEmptyJobUpdate pins when a job-level Update reaches the groups: the
// api fills absent fields with non-zero defaults before it asks Empty().
func TestEmptyJobUpdate(t *testing.T) {
	zero := `"Stagger": 0, "MaxParallel": 0, "HealthCheck": "", "MinHealthyTime": 0, "HealthyDeadline": 0, "ProgressDeadline": 0`
	for _, tc := range []struct{ name, update, want string }{
		{"all zero", `{` + zero + `}`, ""},
		{"all zero with zero flags", `{` + zero + `, "AutoRevert": false, "Canary": 0}`, ""},
		{"empty object gets defaults", `{}`, "nomad-update-not-allowed:error"},
		{"one field absent gets its default", `{"Stagger": 0, "MaxParallel": 0}`, "nomad-update-not-allowed:error"},
		{"a canary", `{` + zero + `, "Canary": 1}`, "nomad-update-not-allowed:error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := job(`"Type": "batch", "Update": `+tc.update+`,`, "")
			if got := rulesOf(lint([]byte(text), rule.Options{})); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDriverDecodeErrorStopsConfigChecks checks that after a Config value
// the driver cannot decode, jobkit does not add what the driver would only
// check after decoding (ports, port_map, mounts).
func TestDriverDecodeErrorStopsConfigChecks(t *testing.T) {
	group := func(cfg string) string {
		return strings.Replace(strings.Replace(job("", ""), `"Name": "g",`, `"Name": "g", "Networks": [{"DynamicPorts": [{"Label": "http"}]}],`, 1),
			`"Config": {"image": "redis:7"}`, `"Config": {"image": "redis:7", `+cfg+`}`, 1)
	}
	for _, tc := range []struct{ name, cfg, want string }{
		{"port not declared", `"ports": ["db"]`, "nomad-docker-config:error"},
		{"port not declared after a type error", `"ports": ["db"], "args": "x"`, "nomad-docker-config:error"},
		{"decoded config is checked", `"ports": ["db"], "args": ["x"]`, "nomad-docker-config:error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := lint([]byte(group(tc.cfg)), rule.Options{})
			if got := rulesOf(ds); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			for _, d := range ds {
				if strings.Contains(tc.cfg, `"args": "x"`) && strings.Contains(d.Message, "not declared") {
					t.Errorf("port check after a decode error: %s", d.Message)
				}
			}
		})
	}
}

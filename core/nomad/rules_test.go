package nomad

import (
	"sort"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// applyFix applies the edits of a fix to text (edits must not overlap).
func applyFix(t *testing.T, text string, f diag.Fix) string {
	t.Helper()
	edits := append([]diag.TextEdit(nil), f.Edits...)
	sort.Slice(edits, func(i, j int) bool { return edits[i].Range.Start.Offset > edits[j].Range.Start.Offset })
	for _, e := range edits {
		text = text[:e.Range.Start.Offset] + e.NewText + text[e.Range.End.Offset:]
	}
	return text
}

func rulesOf(ds []diag.Diagnostic) string {
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.Rule+":"+d.Severity.String())
	}
	return strings.Join(ids, " ")
}

const minimal = `{"Job": {"ID": "x", %s "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Driver": "docker", %s "Config": {"image": "redis:7"}}]}]}}`

func job(jobExtra, taskExtra string) string {
	return strings.Replace(strings.Replace(minimal, "%s", jobExtra, 1), "%s", taskExtra, 1)
}

func TestVersionDependentRules(t *testing.T) {
	for _, tc := range []struct {
		name, version, text, want string
	}{
		{"datacenters required before 1.5", "1.4", job("", ""), "nomad-job:error"},
		{"datacenters default since 1.5", "1.9", job("", ""), ""},
		{"cron deprecated since 1.7", "1.9", job(`"Type": "batch", "Periodic": {"Spec": "@daily"},`, ""), "nomad-deprecated:warning"},
		{"cron fine in 1.6", "1.6", job(`"Type": "batch", "Periodic": {"Spec": "@daily"},`, ""), ""},
		{"vault token kept in 1.9", "1.9", job(`"VaultToken": "",`, ""), ""},
		{"vault token removed in 1.10", "1.10", job(`"VaultToken": "x",`, ""), "nomad-removed-field:warning"},
		{"empty vault token as -output writes it", "1.10", job(`"VaultToken": "", "ConsulToken": null,`, ""), ""},
		{"both disconnect settings accepted by 1.10", "1.10", strings.Replace(job("", ""), `"Name": "g",`, `"Name": "g", "MaxClientDisconnect": 3600000000000, "Disconnect": {"LostAfter": 3600000000000},`, 1), "nomad-deprecated:warning"},
		{"both disconnect settings rejected by 1.9", "1.9", strings.Replace(job("", ""), `"Name": "g",`, `"Name": "g", "MaxClientDisconnect": 3600000000000, "Disconnect": {"LostAfter": 3600000000000},`, 1), "nomad-deprecated:warning nomad-disconnect:error"},
		{"sysbatch unknown before 1.2", "1.1", job(`"Type": "sysbatch", "Datacenters": ["dc1"],`, ""), "nomad-job:error"},
		{"root policy until 1.10", "1.9", job("", `"Vault": {"Policies": ["root"]},`), "nomad-vault:error"},
		{"template Once unknown to 1.9", "1.9", job("", `"Templates": [{"EmbeddedTmpl": "x", "DestPath": "local/x", "Once": true}],`), "nomad-unknown-key:error"},
		{"template Once known to 1.10", "1.10", job("", `"Templates": [{"EmbeddedTmpl": "x", "DestPath": "local/x", "Once": true}],`), ""},
		{"root policy allowed from 1.10", "1.10", job("", `"Vault": {"Policies": ["root"]},`), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := rulesOf(lint([]byte(tc.text), rule.Options{NomadVersion: tc.version}))
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFixes(t *testing.T) {
	for _, tc := range []struct {
		name, text, rule, want string
	}{
		{"rename unknown key", job("", `"kill_timeout": 5000000000,`), "nomad-unknown-key", `"KillTimeout": 5000000000`},
		{"fold casing", job(`"type": "service",`, ""), "nomad-key-case", `"Type": "service"`},
		{"string duration", job("", `"KillTimeout": "10s",`), "nomad-duration-units", `"KillTimeout": 10000000000`},
		{"exponent duration", job("", `"KillTimeout": 6e+10,`), "nomad-duration-units", `"KillTimeout": 60000000000`},
		{"seconds as ns", job("", `"KillTimeout": 5,`), "nomad-duration-units", `"KillTimeout": 5000000000`},
		{"distinct_host", job(`"Constraints": [{"Operand": "distinct_host"}],`, ""), "nomad-constraint", `"Operand": "distinct_hosts"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := lint([]byte(tc.text), rule.Options{})
			for _, d := range ds {
				if d.Rule != tc.rule || len(d.Fixes) == 0 {
					continue
				}
				fixed := applyFix(t, tc.text, d.Fixes[0])
				if !strings.Contains(fixed, tc.want) {
					t.Fatalf("fix gave %s, want it to contain %s", fixed, tc.want)
				}
				for _, d2 := range lint([]byte(fixed), rule.Options{}) {
					if d2.Rule == tc.rule {
						t.Errorf("after the fix %s still reports: %s", tc.rule, d2.Message)
					}
				}
				return
			}
			t.Fatalf("no %s diagnostic with a fix in %s", tc.rule, rulesOf(ds))
		})
	}
}

func TestDockerListMapFix(t *testing.T) {
	text := job("", "")
	text = strings.Replace(text, `"Config": {"image": "redis:7"}`, `"Config": {"image": "redis:7", "labels": {"a": "b"}}`, 1)
	ds := lint([]byte(text), rule.Options{})
	if len(ds) != 1 || ds[0].Rule != "nomad-docker-config" || len(ds[0].Fixes) != 1 {
		t.Fatalf("got %s", rulesOf(ds))
	}
	fixed := applyFix(t, text, ds[0].Fixes[0])
	if !strings.Contains(fixed, `"labels": [{"a": "b"}]`) {
		t.Fatalf("fixed = %s", fixed)
	}
	if ds := lint([]byte(fixed), rule.Options{}); len(ds) != 0 {
		t.Errorf("fixed job still has %s", rulesOf(ds))
	}
}

func TestForms(t *testing.T) {
	bare := `{"ID": "x", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Driver": "docker", "Config": {"image": "redis:7"}}]}]}`
	if got := rulesOf(lint([]byte(bare), rule.Options{})); got != "nomad-bare-job:info" {
		t.Errorf("bare job: %s", got)
	}
	lower := `{"job": ` + bare + `}`
	if got := rulesOf(lint([]byte(lower), rule.Options{})); got != "nomad-key-case:warning" {
		t.Errorf("lower-case wrapper: %s", got)
	}
	hcl := `{"job": {"x": {"group": {"g": {"task": {"t": {"driver": "docker"}}}}}}}`
	if got := rulesOf(lint([]byte(hcl), rule.Options{})); got != "nomad-hcl-json:error" {
		t.Errorf("HCL-JSON: %s", got)
	}
	if got := rulesOf(lint([]byte(`[1]`), rule.Options{})); got != "nomad-type:error" {
		t.Errorf("array document: %s", got)
	}
	if got := rulesOf(lint([]byte(`{"Job": {}}`), rule.Options{})); !strings.Contains(got, "nomad-job:error") {
		t.Errorf("empty job: %s", got)
	}
}

// TestDefaultsApplied checks that rules see Nomad's defaults: the 300 MB disk
// for the log check, and batch restart defaults merged under a partial block.
func TestDefaultsApplied(t *testing.T) {
	text := job("", `"LogConfig": {"MaxFiles": 30},`)
	if got := rulesOf(lint([]byte(text), rule.Options{})); got != "nomad-log-config:error" {
		t.Errorf("30 files × default 10 MB vs default 300 MB disk: %s", got)
	}
	text = job("", `"LogConfig": {"MaxFiles": 29},`)
	if got := rulesOf(lint([]byte(text), rule.Options{})); got != "" {
		t.Errorf("290 MB < 300 MB: %s", got)
	}
	// Attempts 2 with the default 15s delay needs ≥ 30s of interval: 10s fails.
	text = strings.Replace(job("", ""), `"Name": "g",`, `"Name": "g", "RestartPolicy": {"Interval": 10000000000},`, 1)
	if got := rulesOf(lint([]byte(text), rule.Options{})); got != "nomad-restart-policy:error" {
		t.Errorf("restart default merge: %s", got)
	}
}

func TestMoreNomadChecks(t *testing.T) {
	for _, tc := range []struct{ name, jobExtra, taskExtra, want string }{
		{"kill timeout over progress deadline", "", `"KillTimeout": 900000000000,`, "nomad-task:error"},
		{"kill timeout over 30s cap", "", `"KillTimeout": 60000000000,`, "nomad-task:warning"},
		{"script check without command", "", `"Services": [{"Name": "s", "Checks": [{"Type": "script", "Interval": 10000000000, "Timeout": 1000000000}]}],`, "nomad-check:error"},
		{"check restart negative", "", `"Services": [{"Name": "s", "PortLabel": "8080", "AddressMode": "driver", "Checks": [{"Type": "tcp", "AddressMode": "driver", "Interval": 10000000000, "Timeout": 1000000000, "CheckRestart": {"Limit": -1}}]}],`, "nomad-check:error"},
		{"periodic on a service job", `"Periodic": {"Specs": ["@daily"]},`, "", "nomad-job:error"},
		{"parameterized on a batch job", `"Type": "batch", "ParameterizedJob": {"Payload": "required"},`, "", ""},
		{"unknown driver config unchecked", "", `"Driver": "podman", "Config": {"whatever": 1},`, ""},
		{"template perms", "", `"Templates": [{"EmbeddedTmpl": "x", "DestPath": "local/x", "Perms": "999"}],`, "nomad-template:error"},
		{"reschedule interval too short for attempts", `"Type": "batch",`, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := job(tc.jobExtra, tc.taskExtra)
			if strings.Contains(tc.taskExtra, `"Driver"`) {
				text = strings.Replace(text, `"Driver": "docker", `, "", 1)
				text = strings.Replace(text, `"Config": {"image": "redis:7"}`, `"Leader": false`, 1)
			}
			if got := rulesOf(lint([]byte(text), rule.Options{})); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestArtifactSource(t *testing.T) {
	for src, want := range map[string]string{
		"https://example.com/a.tgz":            "",
		"s3::https://s3.amazonaws.com/b/a.tgz": "",
		"git::https://github.com/x/y":          "",
		"ftp::example.com/a":                   "nomad-artifact:error",
		"https://example.com/my file.tgz":      "nomad-artifact:error",
		"https://${attr.unique.hostname}/a":    "",
	} {
		text := job("", `"Artifacts": [{"GetterSource": "`+src+`"}],`)
		if got := rulesOf(lint([]byte(text), rule.Options{})); got != want {
			t.Errorf("%s: got %q, want %q", src, got, want)
		}
	}
}

// TestGPUJobClean lints a typical GPU inference job: no false positives.
func TestGPUJobClean(t *testing.T) {
	text := `{"Job": {"ID": "llm", "Datacenters": ["*"], "Type": "service",
  "Constraints": [{"LTarget": "${attr.driver.docker.runtimes}", "Operand": "set_contains", "RTarget": "nvidia"}],
  "TaskGroups": [{"Name": "infer", "Count": 1,
    "Networks": [{"Mode": "bridge", "DynamicPorts": [{"Label": "api", "To": 8000}]}],
    "Services": [{"Name": "llm-api", "PortLabel": "api", "Provider": "nomad",
      "Checks": [{"Type": "http", "Path": "/health", "Interval": 15000000000, "Timeout": 5000000000}]}],
    "Tasks": [{"Name": "vllm", "Driver": "docker", "KillTimeout": 30000000000,
      "Config": {"image": "vllm/vllm-openai:v0.6.3", "runtime": "nvidia", "ports": ["api"],
        "args": ["--model", "${NOMAD_META_model}", "--port", "8000"], "shm_size": 2147483648},
      "Meta": {"model": "Qwen/Qwen2.5-7B-Instruct"},
      "Env": {"HF_HOME": "${NOMAD_ALLOC_DIR}/hf", "CUDA_VISIBLE_DEVICES": "0"},
      "Resources": {"CPU": 4000, "MemoryMB": 16384,
        "Devices": [{"Name": "nvidia/gpu", "Count": 1,
          "Constraints": [{"LTarget": "${device.attr.memory}", "Operand": ">=", "RTarget": "16 GiB"}]}]}}]}]}}`
	if ds := lint([]byte(text), rule.Options{}); len(ds) != 0 {
		t.Errorf("GPU job has diagnostics:\n%s", render("gpu.json", ds))
	}
}

func TestGroupServiceChecks(t *testing.T) {
	group := func(checks string) string {
		return strings.Replace(job("", ""), `"Name": "g",`, `"Name": "g", "Networks": [{"Hostname": "%H", "DynamicPorts": [{"Label": "http"}]}], "Services": [{"Name": "s", "PortLabel": "http", "Checks": [`+checks+`]}],`, 1)
	}
	for _, tc := range []struct{ checks, host, want string }{
		{`{"Type": "script", "Command": "/bin/true", "Interval": 10000000000, "Timeout": 1000000000}`, "web", "nomad-check:error"},
		{`{"Type": "script", "Command": "/bin/true", "TaskName": "t", "Interval": 10000000000, "Timeout": 1000000000}`, "web", ""},
		{`{"Type": "script", "Command": "/bin/true", "TaskName": "nope", "Interval": 10000000000, "Timeout": 1000000000}`, "web", "nomad-check:error"},
		{`{"Type": "http", "Path": "/", "Interval": 10000000000, "Timeout": 1000000000}`, "bad..host", "nomad-network:error"},
		{`{"Type": "http", "Path": "/", "Interval": 10000000000, "Timeout": 1000000000}`, "web_01", ""},
		{`{"Type": "http", "Path": "/", "Interval": 10000000000, "Timeout": 1000000000}`, "${NOMAD_ALLOC_ID}", ""},
	} {
		text := strings.Replace(group(tc.checks), "%H", tc.host, 1)
		if got := rulesOf(lint([]byte(text), rule.Options{})); got != tc.want {
			t.Errorf("%s / %s: got %q, want %q", tc.checks, tc.host, got, tc.want)
		}
	}
}

func TestMigrate(t *testing.T) {
	for m, want := range map[string]string{
		`{"MaxParallel": 2, "HealthCheck": "task_states"}`:                "",
		`{"HealthCheck": "manual"}`:                                       "nomad-update:error",
		`{"MinHealthyTime": 600000000000}`:                                "nomad-update:error",
		`{"MinHealthyTime": 10000000000, "HealthyDeadline": 60000000000}`: "",
	} {
		text := job(`"Migrate": `+m+`,`, "")
		if got := rulesOf(lint([]byte(text), rule.Options{})); got != want {
			t.Errorf("%s: got %q, want %q", m, got, want)
		}
	}
}

package jobschema

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/nomad/api"
)

// removedAfter19 are catalogue keys of Nomad 1.9 that the (newer) api module
// in go.mod no longer has; jobkit reports them as removed from Nomad 1.10.
var removedAfter19 = map[string]bool{"Job.ConsulToken": true, "Job.VaultToken": true}

// sample builds a value of type t that sets every field of the catalogue.
func sample(t *Type, depth int, path string, skipped map[string]bool) any {
	switch t.Kind {
	case KindString:
		return "eA==" // valid base64, for Job.Payload
	case KindInt, KindNumber:
		return 1
	case KindDuration:
		return 1000000000
	case KindBool:
		return true
	case KindObject, KindAny:
		return map[string]any{}
	case KindList:
		return []any{sample(t.Elem, depth+1, path, skipped)}
	case KindMap:
		if t.Elem == nil {
			return map[string]any{"k": "v"}
		}
		return map[string]any{"k": sample(t.Elem, depth+1, path, skipped)}
	case KindBlock:
		out := map[string]any{}
		if depth > 12 {
			return out
		}
		for _, f := range t.Block.Fields {
			key := t.Block.Name + "." + f.Name
			if removedAfter19[key] {
				skipped[key] = true
				continue
			}
			out[f.Name] = sample(f.Type, depth+1, path+"."+f.Name, skipped)
		}
		return out
	}
	return nil
}

// TestSchemaKeysKnownToNomad decodes a job that sets every key of the schema
// into api.Job with unknown fields disallowed, then encodes it again and
// checks that every key survived the round trip under the same name.
func TestSchemaKeysKnownToNomad(t *testing.T) {
	skipped := map[string]bool{}
	in := sample(&Type{Kind: KindBlock, Block: JobBlock()}, 0, "Job", skipped)
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var job api.Job
	if err := dec.Decode(&job); err != nil {
		t.Fatalf("api.Job rejects a key of the schema: %v", err)
	}
	back, err := json.Marshal(&job)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(back, &out); err != nil {
		t.Fatal(err)
	}
	var missing []string
	compareKeys(in, out, "Job", &missing)
	if len(missing) > 0 {
		t.Errorf("keys the schema accepts but api.Job drops: %v", missing)
	}
	if len(skipped) != len(removedAfter19) {
		t.Errorf("expected to skip %v, skipped %v", removedAfter19, skipped)
	}
}

// compareKeys reports every object key of in that out lacks.
func compareKeys(in, out any, path string, missing *[]string) {
	switch iv := in.(type) {
	case map[string]any:
		ov, _ := out.(map[string]any)
		for k, v := range iv {
			o, ok := ov[k]
			if !ok {
				*missing = append(*missing, path+"."+k)
				continue
			}
			compareKeys(v, o, path+"."+k, missing)
		}
	case []any:
		ov, _ := out.([]any)
		for i, v := range iv {
			if i < len(ov) {
				compareKeys(v, ov[i], path+"[]", missing)
			}
		}
	}
}

// TestIgnoredKeysAreDropped checks that keys jobkit calls unknown or removed
// really are dropped by Nomad's decoder, and that case variants are not.
func TestIgnoredKeysAreDropped(t *testing.T) {
	in := `{"ID": "x", "task_groups": [{}], "TaskGroups": [{"Name": "g", "restart_policy": {"Attempts": 1},
		"Networks": [{"Public": true, "mbits": 10}],
		"Tasks": [{"Name": "t", "kill_timeout": 5, "memory_mb": 1,
			"services": [{"Id": "s1", "Name": "svc", "Checks": [{"Id": "c1", "Name": "chk"}]}]}]}]}`
	var job api.Job
	if err := json.Unmarshal([]byte(in), &job); err != nil {
		t.Fatal(err)
	}
	back, _ := json.Marshal(&job)
	s := string(back)
	for _, k := range []string{`"task_groups"`, `"restart_policy"`, `"Public"`, `"kill_timeout"`, `"memory_mb"`, `"Id"`} {
		if strings.Contains(s, k) {
			t.Errorf("api.Job kept %s, which jobkit reports as ignored", k)
		}
	}
	// Case variants are read: "services" fills Services, "mbits" fills MBits.
	if len(job.TaskGroups) != 1 || len(job.TaskGroups[0].Tasks[0].Services) != 1 {
		t.Fatalf("case-insensitive key not decoded: %s", s)
	}
	if job.TaskGroups[0].Networks[0].MBits == nil || *job.TaskGroups[0].Networks[0].MBits != 10 {
		t.Errorf("mbits not decoded case-insensitively")
	}
	if job.TaskGroups[0].Tasks[0].KillTimeout != nil {
		t.Errorf("kill_timeout was decoded")
	}
	// Every unknown key above has a did-you-mean that names a real field.
	cat := Load()
	for _, tc := range []struct{ block, key, want string }{
		{"Job", "task_groups", "TaskGroups"}, {"TaskGroup", "restart_policy", "RestartPolicy"},
		{"Task", "kill_timeout", "KillTimeout"}, {"Resources", "memory_mb", "MemoryMB"},
		{"Resources", "memory", "MemoryMB"}, {"Task", "template", "Templates"}, {"Service", "port", "PortLabel"},
	} {
		if got := suggest(tc.key, cat.Blocks[tc.block]); got != tc.want {
			t.Errorf("suggest(%s.%s) = %q, want %q", tc.block, tc.key, got, tc.want)
		}
	}
}

func TestCatalogue(t *testing.T) {
	c := Load()
	var names []string
	for n, b := range c.Blocks {
		names = append(names, n)
		for _, f := range b.Fields {
			if f.Description == "" {
				t.Errorf("%s.%s has no description", n, f.Name)
			}
		}
	}
	sort.Strings(names)
	if len(names) < 40 {
		t.Errorf("catalogue has only %d blocks", len(names))
	}
	if f := c.Blocks["Task"].Field("killtimeout"); f == nil || f.Name != "KillTimeout" || f.Type.Kind != KindDuration {
		t.Errorf("Task.KillTimeout = %+v", f)
	}
	if f := c.Blocks["Task"].Field("Config"); f == nil || f.Type.Kind != KindMap {
		t.Errorf("Task.Config = %+v", f)
	}
}

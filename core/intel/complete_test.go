package intel

import (
	"slices"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"strings"
	"testing"
)

const nosanaHead = `{"version": "0.1", "type": "container", `

func TestCompleteKeys(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		accept string // the label to accept
		want   string // the text after accepting it (placeholders at their defaults)
		absent []string
	}{
		{"brief: half-typed key in broken doc", `{"ops":[{"args":{"im|`, "image", `{"ops":[{"args":{"image": ""`, nil},
		{"boolean gets true", nosanaHead + `"ops":[{"id":"a","type":"container/run","args":{"image":"x",|}}]}`, "gpu",
			nosanaHead + `"ops":[{"id":"a","type":"container/run","args":{"image":"x","gpu": true}}]}`, []string{"image"}},
		{"cmd gets a list", nosanaHead + `"ops":[{"id":"a","type":"container/run","args":{"image":"x", "c|"}}]}`, "cmd",
			nosanaHead + `"ops":[{"id":"a","type":"container/run","args":{"image":"x", "cmd": []}}]}`, nil},
		{"present keys left out", `{"version":"0.1","type":"container","ops":[],|}`, "global",
			`{"version":"0.1","type":"container","ops":[],"global": {}}`, []string{"version", "type", "ops"}},
		{"comma before", `{"ops": [] |}`, "type", `{"ops": [] , "type": "container"}`, []string{"ops"}},
		{"comma after", `{"ops": [], |"version": "0.1"}`, "type", `{"ops": [], "type": "container","version": "0.1"}`, nil},
		{"key before an existing colon", `{"ops": [{"type": "container/run", "args": {"im|age": "x"}}]}`, "image", `{"ops": [{"type": "container/run", "args": {"image": "x"}}]}`, nil},
		{"example object as the value", `{"ops": [], "meta": {"sys|"}}`, "system_requirements", `{"ops": [], "meta": {"system_requirements": {"required_vram":16}}}`, []string{"system_resources"}},
		{"unquoted key", `{"ops": [], "global":{gp|}}`, "gpu", `{"ops": [], "global":{"gpu": true}}`, nil},
		{"op keys", `{"ops":[{|}]}`, "type", `{"ops":[{"type": ""}]}`, nil},
		{"execution", `{"ops":[{"id":"a","execution":{"dep|`, "depends_on", `{"ops":[{"id":"a","execution":{"depends_on": []`, nil},
		{"health check keys", `{"ops":[{"type":"container/run","args":{"expose":[{"port":80,"health_checks":[{"type":"http",|}]}]}}]}`, "continuous",
			`{"ops":[{"type":"container/run","args":{"expose":[{"port":80,"health_checks":[{"type":"http","continuous": true}]}]}}]}`, nil},
		{"nomad job key", `{"Job":{"ID":"x","Ty|`, "Type", `{"Job":{"ID":"x","Type": "service"`, nil},
		{"nomad keys match case-insensitively", `{"Job":{"id":"x","TaskGroups":[],|}}`, "Datacenters",
			`{"Job":{"id":"x","TaskGroups":[],"Datacenters": []}}`, []string{"ID", "TaskGroups", "Stop", "CreateIndex"}},
		{"nomad duration", `{"Job":{"ID":"x","TaskGroups":[{"RestartPolicy":{"Del|"}}]}}`, "Delay",
			`{"Job":{"ID":"x","TaskGroups":[{"RestartPolicy":{"Delay": 30000000000}}]}}`, nil},
		{"nomad task", `{"Job":{"ID":"x","TaskGroups":[{"Tasks":[{"Name":"t", |}]}]}}`, "Driver",
			`{"Job":{"ID":"x","TaskGroups":[{"Tasks":[{"Name":"t", "Driver": ""}]}]}}`, []string{"Name"}},
		{"nomad wrapper", `{"Job":{"ID":"x"}, "J|"}`, "", "", []string{"Job"}},
		{"young Nosana document", `{"global": {"gp|`, "gpu", `{"global": {"gpu": true`, nil},
		{"young Nomad document", `{"Job": {"Na|`, "Name", `{"Job": {"Name": ""`, nil},
		{"new document offers both formats", `{"|`, "Job", `{"Job": {}`, nil},
		{"new document Nosana keys", `{"|`, "version", `{"version": "0.1"`, nil},
		{"nomad broken group", "{\"Job\":{\"ID\":\"x\",\"TaskGroups\":[{\"Name\":\"g\",\n  \"Cou|\n", "Count", "{\"Job\":{\"ID\":\"x\",\"TaskGroups\":[{\"Name\":\"g\",\n  \"Count\": 1\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, items := completeAt(t, tt.text)
			for _, a := range tt.absent {
				if _, ok := find(items, a); ok {
					t.Errorf("%q offered, but the object has it already: %v", a, labels(items))
				}
			}
			if tt.accept == "" {
				return
			}
			it, ok := find(items, tt.accept)
			if !ok {
				t.Fatalf("%q not offered; got %v", tt.accept, labels(items))
			}
			if it.Kind != KindProperty || it.Documentation == "" || it.Detail == "" {
				t.Errorf("item %+v: want a property with a type and documentation", it)
			}
			if got := accept(t, text, it); got != tt.want {
				t.Errorf("after accepting %q:\n got %s\nwant %s", tt.accept, got, tt.want)
			}
		})
	}
}

func TestCompleteFiltersAndSorts(t *testing.T) {
	_, items := completeAt(t, `{"ops":[{"type":"container/run","args":{"w|"}}]}`)
	if len(items) == 0 || items[0].Label != "work_dir" {
		t.Fatalf("want work_dir first for \"w\", got %v", labels(items))
	}
	for _, it := range items {
		if !fuzzyMatch(it.Label, "w") {
			t.Errorf("%q does not match what was typed", it.Label)
		}
	}
	// Required keys come first when nothing is typed.
	_, items = completeAt(t, `{"ops":[{|}]}`)
	if got := labels(items); len(got) < 3 || !slices.Contains(got[:3], "id") || !slices.Contains(got[:3], "type") || !slices.Contains(got[:3], "args") {
		t.Errorf("want the required id, type, args first, got %v", got)
	}
}

func TestCompleteValues(t *testing.T) {
	const ops = `{"version":"0.1","type":"container","global":{"variables":{"TOKEN":"t"}},"ops":[` +
		`{"id":"vol","type":"container/create-volume","args":{"name":"data"}},` +
		`{"id":"train","type":"container/run","args":{"image":"x","expose":[8080]},"results":{"loss":"loss=(\\d+)"}},`
	tests := []struct {
		name   string
		text   string
		want   []string // labels that must be offered
		absent []string
		accept string
		result string
	}{
		{"op type enum", `{"ops":[{"type":"|"}]}`, []string{`"container/run"`, `"container/create-volume"`}, nil,
			`"container/run"`, `{"ops":[{"type":"container/run"}]}`},
		{"op type in unclosed string", "{\"ops\":[{\"type\":\"cont|\n", []string{`"container/run"`}, nil,
			`"container/run"`, "{\"ops\":[{\"type\":\"container/run\"\n"},
		{"boolean", `{"ops":[{"type":"container/run","args":{"gpu": |}}]}`, []string{"true", "false"}, nil,
			"true", `{"ops":[{"type":"container/run","args":{"gpu": true}}]}`},
		{"boolean prefix", `{"ops":[{"type":"container/run","args":{"gpu": f|}}]}`, []string{"false"}, []string{"true"},
			"false", `{"ops":[{"type":"container/run","args":{"gpu": false}}]}`},
		{"restart policies", `{"ops":[{"type":"container/run","args":{"restart_policy": "|"}}]}`, []string{`"no"`, `"always"`, `"unless-stopped"`, `"on-failure"`}, nil, "", ""},
		{"health check methods", `{"ops":[{"type":"container/run","args":{"expose":[{"port":80,"health_checks":[{"type":"http","method":"|"}]}]}}]}`,
			[]string{`"GET"`, `"POST"`, `"PUT"`, `"DELETE"`}, nil, "", ""},
		{"depends_on op ids", ops + `{"id":"eval","type":"container/run","args":{"image":"x"},"execution":{"depends_on":["train", "|"]}}]}`,
			[]string{`"vol"`}, []string{`"eval"`, `"train"`}, `"vol"`, ops + `{"id":"eval","type":"container/run","args":{"image":"x"},"execution":{"depends_on":["train", "vol"]}}]}`},
		{"depends_on whole list", ops + `{"id":"eval","execution":{"depends_on": |`, []string{`["train"]`, `["vol"]`}, []string{`["eval"]`}, "", ""},
		{"volume names", ops + `{"id":"eval","type":"container/run","args":{"image":"x","volumes":[{"name":"|","dest":"/d"}]}}]}`,
			[]string{`"data"`}, nil, `"data"`, ops + `{"id":"eval","type":"container/run","args":{"image":"x","volumes":[{"name":"data","dest":"/d"}]}}]}`},
		{"nomad job types", `{"Job":{"ID":"x","Type":"|"}}`, []string{`"service"`, `"batch"`, `"system"`, `"sysbatch"`}, nil,
			`"batch"`, `{"Job":{"ID":"x","Type":"batch"}}`},
		{"nomad operands", `{"Job":{"ID":"x","Constraints":[{"LTarget":"${attr.kernel.name}","Operand":"|"}]}}`, []string{`"="`, `"regexp"`, `"distinct_hosts"`, `"<="`}, nil, "", ""},
		{"nomad restart modes", `{"Job":{"ID":"x","TaskGroups":[{"RestartPolicy":{"Mode":"|"}}]}}`, []string{`"delay"`, `"fail"`}, nil, "", ""},
		{"nomad port labels", `{"Job":{"ID":"x","TaskGroups":[{"Name":"g","Networks":[{"DynamicPorts":[{"Label":"http"},{"Label":"admin"}]}],"Services":[{"PortLabel":"|"}]}]}}`,
			[]string{`"http"`, `"admin"`}, nil, `"admin"`, `{"Job":{"ID":"x","TaskGroups":[{"Name":"g","Networks":[{"DynamicPorts":[{"Label":"http"},{"Label":"admin"}]}],"Services":[{"PortLabel":"admin"}]}]}}`},
		{"nomad check port labels", `{"Job":{"ID":"x","TaskGroups":[{"Networks":[{"ReservedPorts":[{"Label":"db","Value":5432}]}],"Services":[{"Checks":[{"PortLabel": |}]}]}]}}`,
			[]string{`"db"`}, nil, "", ""},
		{"nomad drivers", `{"Job":{"ID":"x","TaskGroups":[{"Tasks":[{"Driver":"d|"}]}]}}`, []string{`"docker"`}, []string{`"exec"`}, `"docker"`,
			`{"Job":{"ID":"x","TaskGroups":[{"Tasks":[{"Driver":"docker"}]}]}}`},
		{"nomad cron specs", `{"Job":{"ID":"x","Type":"batch","Periodic":{"Spec": |}}}`, []string{`"*/15 * * * *"`, `"@daily"`}, nil, "", ""},
		{"nomad constraint target", `{"Job":{"ID":"x","Constraints":[{"LTarget": |}]}}`, []string{`"${attr.kernel.name}"`, `"${node.datacenter}"`}, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, items := completeAt(t, tt.text)
			for _, w := range tt.want {
				if _, ok := find(items, w); !ok {
					t.Errorf("%s not offered; got %v", w, labels(items))
				}
			}
			for _, a := range tt.absent {
				if _, ok := find(items, a); ok {
					t.Errorf("%s offered, want not", a)
				}
			}
			if tt.accept == "" {
				return
			}
			it, _ := find(items, tt.accept)
			if got := accept(t, text, it); got != tt.result {
				t.Errorf("after accepting %s:\n got %s\nwant %s", tt.accept, got, tt.result)
			}
		})
	}
}

func TestCompleteLiterals(t *testing.T) {
	const head = `{"version":"0.1","type":"container","global":{"variables":{"TOKEN":"t"}},"ops":[` +
		`{"id":"train","type":"container/run","args":{"image":"x","expose":[8080]},"results":{"loss":"loss=(\\d+)"}},` +
		`{"id":"eval","type":"container/run","args":{"image":"x","cmd":[`
	tests := []struct {
		name, text string
		want       []string
		absent     []string
		accept     string
		result     string
	}{
		{"all", head + `"%%|"]}}]}`, []string{"ops.train.host", "ops.train.results.loss", "ops.train.endpoint.8080",
			"ops.train.deployment_endpoint", "global.job", "global.variables.TOKEN", "ops.eval.host"}, nil,
			"ops.train.results.loss", head + `"%%ops.train.results.loss%%"]}}]}`},
		{"after ops.<id>.", head + `"echo %%ops.train.|"]}}]}`, []string{"ops.train.host", "ops.train.results.loss", "ops.train.endpoint.8080"},
			[]string{"global.job"}, "ops.train.endpoint.8080", head + `"echo %%ops.train.endpoint.8080%%"]}}]}`},
		{"replaces to the closer", head + `"%%ops.tr|ain.host%% x"]}}]}`, []string{"ops.train.host"}, nil,
			"ops.train.results.loss", head + `"%%ops.train.results.loss%% x"]}}]}`},
		{"broken document", `{"ops":[{"id":"a","results":{"r":"x"}},{"id":"b","args":{"env":{"A":"x %%ops.a.r|`, []string{"ops.a.results.r"}, []string{"ops.a.host"},
			"ops.a.results.r", `{"ops":[{"id":"a","results":{"r":"x"}},{"id":"b","args":{"env":{"A":"x %%ops.a.results.r%%`},
		{"own op: host and endpoints, not results", `{"ops":[{"id":"web","results":{"r":"x"},"args":{"expose":[80],"env":{"A":"%%ops.web.|`,
			[]string{"ops.web.host", "ops.web.endpoint.80"}, []string{"ops.web.results.r"},
			"ops.web.endpoint.80", `{"ops":[{"id":"web","results":{"r":"x"},"args":{"expose":[80],"env":{"A":"%%ops.web.endpoint.80%%`},
		{"global variables", head + `"%%global.variables.|`, []string{"global.variables.TOKEN"}, []string{"ops.train.host"},
			"global.variables.TOKEN", head + `"%%global.variables.TOKEN%%`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, items := completeAt(t, tt.text)
			for _, w := range tt.want {
				if it, ok := find(items, w); !ok {
					t.Errorf("%s not offered; got %v", w, labels(items))
				} else if it.Kind != KindReference || it.Documentation == "" {
					t.Errorf("%s: want a documented reference, got %+v", w, it)
				}
			}
			for _, a := range tt.absent {
				if _, ok := find(items, a); ok {
					t.Errorf("%s offered, want not", a)
				}
			}
			it, _ := find(items, tt.accept)
			if got := accept(t, text, it); got != tt.result {
				t.Errorf("after accepting %s:\n got %s\nwant %s", tt.accept, got, tt.result)
			}
		})
	}
}

func TestCompleteInterpolation(t *testing.T) {
	const job = `{"Job":{"ID":"x","Meta":{"owner":"me"},"TaskGroups":[{"Name":"g","Networks":[{"DynamicPorts":[{"Label":"http"}]}],"Tasks":[{"Name":"t","Driver":"docker","Env":{"A":"`
	text, items := completeAt(t, job+`${NOMAD_|"}}]}]}}`)
	for _, w := range []string{"NOMAD_ALLOC_DIR", "NOMAD_PORT_http", "NOMAD_ADDR_http", "NOMAD_META_owner"} {
		if _, ok := find(items, w); !ok {
			t.Errorf("%s not offered; got %v", w, labels(items))
		}
	}
	if _, ok := find(items, "attr.kernel.name"); ok {
		t.Errorf("attr.kernel.name does not start with NOMAD_")
	}
	it, _ := find(items, "NOMAD_PORT_http")
	if got, want := accept(t, text, it), job+`${NOMAD_PORT_http}"}}]}]}}`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}

	// In a broken document: the string, the objects and the lists are open.
	text, items = completeAt(t, job+`http://${NOMAD_ADDR_h|`)
	it, ok := find(items, "NOMAD_ADDR_http")
	if !ok || len(items) != 1 {
		t.Fatalf("want only NOMAD_ADDR_http, got %v", labels(items))
	}
	if got, want := accept(t, text, it), job+`http://${NOMAD_ADDR_http}`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}

	_, items = completeAt(t, `{"Job":{"ID":"x","Constraints":[{"LTarget":"${a|}","RTarget":"linux"}]}}`)
	if _, ok := find(items, "attr.kernel.name"); !ok {
		t.Errorf("attr.kernel.name not offered in a constraint: %v", labels(items))
	}
	_, items = completeAt(t, `{"Job":{"ID":"x","Constraints":[{"LTarget":"${|}"}]}}`)
	for _, it := range items {
		if strings.HasPrefix(it.Label, "NOMAD_") || it.Label == "node.region" {
			t.Errorf("%s offered in a constraint, where it never resolves", it.Label)
		}
	}
}

// TestCompleteSnippetsLint checks that every snippet, inserted with its
// placeholders' defaults, gives a document that lints without errors or
// warnings: what completion offers must never lint as wrong.
func TestCompleteSnippetsLint(t *testing.T) {
	const nosana = `{
  "version": "0.1",
  "type": "container",
  "ops": [
    {"type": "container/run", "id": "run", "args": {"image": "ubuntu:24.04", "cmd": ["true"]}}%s
  ]
}`
	const run = `{"type": "container/run", "id": "web", "args": {"image": "nginx:1.27", %s}}`
	const nomad = `{"Job": {"ID": "web", "Name": "web", "Type": "service", "Datacenters": ["dc1"], "TaskGroups": [%s]}}`
	tests := []struct {
		name, text string
		labels     []string
	}{
		{"new job", `|`, []string{"Nosana job", "Nomad job"}},
		{"new job in blank text", "\n  |\n", []string{"Nosana job", "Nomad job"}},
		{"ops", strings.Replace(nosana, "%s", ",\n    |", 1), []string{"container/run op", "volume + op mounting it"}},
		{"resources", strings.Replace(nosana, "%s", ",\n"+strings.Replace(run, "%s", `"resources": [|]`, 1), 1), []string{"S3 resource", "HF resource", "Ollama resource"}},
		{"expose item", strings.Replace(nosana, "%s", ",\n"+strings.Replace(run, "%s", `"expose": [|]`, 1), 1), []string{"exposed port with HTTP health check"}},
		{"expose value", strings.Replace(nosana, "%s", ",\n"+strings.Replace(run, "%s", `"expose": |`, 1), 1), []string{"[exposed port with HTTP health check]"}},
		{"expose key", strings.Replace(nosana, "%s", ",\n"+strings.Replace(run, "%s", `"exp|"`, 1), 1), []string{"expose"}},
		{"health check", strings.Replace(nosana, "%s", ",\n"+strings.Replace(run, "%s", `"expose": [{"port": 80, "health_checks": [|]}]`, 1), 1), []string{"HTTP health check"}},
		{"task group", strings.Replace(nomad, "%s", `|`, 1), []string{"task group with a docker task"}},
		{"volumes", strings.Replace(nosana, "%s", `,
    {"type": "container/create-volume", "id": "vol", "args": {"name": "cache"}},
    {"type": "container/run", "id": "web", "args": {"image": "nginx:1.27", "volumes": [|]}, "execution": {"depends_on": ["vol"]}}`, 1), []string{"mount volume cache"}},
		{"volumes key", strings.Replace(nosana, "%s", `,
    {"type": "container/create-volume", "id": "vol", "args": {"name": "cache"}},
    {"type": "container/run", "id": "web", "args": {"image": "nginx:1.27", "vol|"}, "execution": {"depends_on": ["vol"]}}`, 1), []string{"volumes"}},
		{"ops key", `{"version": "0.1", "type": "container", |}`, []string{"ops"}},
		{"TaskGroups key", `{"Job": {"ID": "web", "Name": "web", "Type": "service", "Datacenters": ["dc1"], |}}`, []string{"TaskGroups"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, items := completeAt(t, tt.text)
			for _, l := range tt.labels {
				if _, ok := find(items, l); !ok {
					t.Errorf("%q not offered; got %v", l, labels(items))
				}
			}
			for _, it := range items {
				l := it.Label
				if it.Kind != KindSnippet && !slices.Contains(tt.labels, l) {
					continue
				}
				if !it.Snippet {
					t.Errorf("%q: Snippet not set", l)
				}
				got := accept(t, text, it)
				if snippetSyntax.MatchString(got) {
					t.Errorf("%q: snippet syntax left after expansion:\n%s", l, got)
				}
				if ps := problems(got); len(ps) > 0 {
					t.Errorf("%q inserted gives a document with problems:\n%s\n%s", l, got, strings.Join(ps, "\n"))
				}
			}
		})
	}
}

func TestCompleteDocker(t *testing.T) {
	const job = `{"Job": {"ID": "web", "Name": "web", "Type": "service", "Datacenters": ["dc1"], "TaskGroups": [{"Name": "web", "Count": 1,
"Networks": [{"DynamicPorts": [{"Label": "http", "To": 8080}]}], "Tasks": [|]}]}}`
	text, items := completeAt(t, job)
	it, ok := find(items, "docker task")
	if !ok {
		t.Fatalf("docker task not offered: %v", labels(items))
	}
	got := accept(t, text, it)
	if ps := problems(got); len(ps) > 0 {
		t.Errorf("docker task inserted gives problems:\n%s\n%s", got, strings.Join(ps, "\n"))
	}
}

func TestCompleteNothing(t *testing.T) {
	for _, s := range []string{
		`{"image" |}`,               // between a key and its colon
		`{"a": 1}|`,                 // after the document
		`{"ops":[{"id": "a"} |]}`,   // after a list item
		`{"x": "%%ops.a.host%% |"}`, // after a closed literal in an unknown place
	} {
		if _, items := completeAt(t, s); len(items) > 0 {
			t.Errorf("%s: got %v, want nothing", s, labels(items))
		}
	}
}

// TestWithheldSnippets checks that each snippet completion withholds still
// exists in the schema and still lints as wrong once inserted; when one of
// them no longer does, remove it from withheld.
func TestWithheldSnippets(t *testing.T) {
	const doc = `{"version": "0.1", "type": "container", "ops": [{"type": "container/run", "id": "web", "args": {"image": "nginx:1.27", "expose": [{"port": 80, "health_checks": [%s]}]}}]}`
	v := infoAt(jsonast.Parse([]byte(strings.Replace(doc, "%s", "", 1))), "nosana", []jsonast.Segment{{Key: "ops", Index: -1}, {Index: 0}, {Key: "args", Index: -1}, {Key: "expose", Index: -1}, {Index: 0}, {Key: "health_checks", Index: -1}, {Index: 0}})
	for label, why := range withheld {
		var body string
		for _, s := range v.Snippets {
			if s.Label == label {
				body = s.Body
			}
		}
		if body == "" {
			t.Errorf("withheld snippet %q is no longer in the schema: remove it from withheld", label)
			continue
		}
		text := strings.Replace(doc, "%s", expandSnippet(body), 1)
		if len(problems(text)) == 0 {
			t.Errorf("withheld snippet %q (%s) now lints clean: offer it again", label, why)
		}
	}
}

// TestWithheldKeys checks that each key completion withholds is still
// reported by a rule when written; when one no longer is, offer it again.
func TestWithheldKeys(t *testing.T) {
	const nomadJob = `{"Job": {"ID": "web", "Datacenters": ["dc1"], "Type": "batch", %s "TaskGroups": [{"Name": "g", %s
  "Tasks": [{"Name": "t", "Driver": "docker", "Config": {"image": "nginx:1.27"}, %s "Resources": {"CPU": 100, "MemoryMB": 128 %s}}]}]}}`
	nomad := func(job, group, task, res string) string {
		return strings.NewReplacer("%s1", job, "%s2", group, "%s3", task, "%s4", res).Replace(
			strings.NewReplacer(`"Type": "batch", %s`, `"Type": "batch", %s1`, `"Name": "g", %s`, `"Name": "g", %s2`,
				`"nginx:1.27"}, %s`, `"nginx:1.27"}, %s3`, `"MemoryMB": 128 %s`, `"MemoryMB": 128 %s4`).Replace(nomadJob))
	}
	tests := map[string]struct{ doc, place string }{
		"nosana:global.image": {`{"version": "0.1", "type": "container", "global": {"image": "ubuntu:24.04"}, "ops": [{"type": "container/run", "id": "a", "args": {"image": "ubuntu:24.04"}}]}`,
			`{"version": "0.1", "type": "container", "global": {|}, "ops": []}`},
		"nosana:meta.system_resources": {`{"version": "0.1", "type": "container", "meta": {"system_resources": {"required_vram": 8}}, "ops": [{"type": "container/run", "id": "a", "args": {"image": "ubuntu:24.04", "gpu": true}}]}`,
			`{"version": "0.1", "type": "container", "meta": {|}, "ops": []}`},
		"nomad:periodic.spec":                               {nomad(`"Periodic": {"Spec": "*/5 * * * *"},`, "", "", ""), nomad(`"Periodic": {|},`, "", "", "")},
		"nomad:taskgroups[].networks[].mbits":               {nomad("", `"Networks": [{"MBits": 10}],`, "", ""), nomad("", `"Networks": [{|}],`, "", "")},
		"nomad:taskgroups[].maxclientdisconnect":            {nomad("", `"MaxClientDisconnect": 60000000000,`, "", ""), nomad("", `|`, "", "")},
		"nomad:taskgroups[].stopafterclientdisconnect":      {nomad("", `"StopAfterClientDisconnect": 60000000000,`, "", ""), nomad("", `|`, "", "")},
		"nomad:taskgroups[].preventrescheduleonlost":        {nomad("", `"PreventRescheduleOnLost": true,`, "", ""), nomad("", `|`, "", "")},
		"nomad:taskgroups[].tasks[].resources.iops":         {nomad("", "", "", `, "IOPS": 10`), nomad("", "", "", `, |`)},
		"nomad:taskgroups[].tasks[].resources.networks":     {nomad("", "", "", `, "Networks": [{"MBits": 10}]`), nomad("", "", "", `, |`)},
		"nomad:taskgroups[].tasks[].templates[].vaultgrace": {nomad("", "", `"Templates": [{"DestPath": "local/a", "EmbeddedTmpl": "x", "VaultGrace": 5000000000}],`, ""), nomad("", "", `"Templates": [{|}],`, "")},
	}
	// The documents lint clean without the withheld key.
	for _, base := range []string{nomad("", "", "", ""), `{"version": "0.1", "type": "container", "ops": [{"type": "container/run", "id": "a", "args": {"image": "ubuntu:24.04"}}]}`} {
		if ps := problems(base); len(ps) > 0 {
			t.Fatalf("base document has problems: %v\n%s", ps, base)
		}
	}
	for k := range withheldKeys {
		tt, ok := tests[k]
		if !ok {
			t.Errorf("no test for withheld key %s", k)
			continue
		}
		if ps := problems(tt.doc); len(ps) == 0 {
			t.Errorf("withheld key %s now lints clean: offer it again\n%s", k, tt.doc)
		}
		name := k[strings.LastIndex(k, ".")+1:]
		_, items := completeAt(t, tt.place)
		if len(items) == 0 {
			t.Errorf("%s: nothing offered at all, the test place is wrong: %s", k, tt.place)
		}
		for _, it := range items {
			if strings.EqualFold(it.Label, name) {
				t.Errorf("%s offered", k)
			}
		}
	}
}

// TestCompleteValuesLint accepts every value offered at places where the
// value does not depend on the rest of the document and checks that none
// lints as wrong.
func TestCompleteValuesLint(t *testing.T) {
	const run = `{"version": "0.1", "type": "container", "meta": {"system_requirements": {"required_vram": 8}}, "ops": [{"type": "container/run", "id": "a", "args": {"image": "ubuntu:24.04", %s}}]}`
	const job = `{"Job": {"ID": "web", "Datacenters": ["dc1"], "Type": "batch", "TaskGroups": [{"Name": "g", %s
  "Tasks": [{"Name": "t", "Driver": "docker", "Config": {"image": "nginx:1.27"}, "Resources": {"CPU": 100, "MemoryMB": 128}}]}]}}`
	for _, s := range []string{
		strings.Replace(run, "%s", `"restart_policy": |`, 1),
		strings.Replace(run, "%s", `"gpu": |`, 1),
		strings.Replace(run, "%s", `"expose": [{"port": 80, "type": |}]`, 1),
		strings.Replace(run, "%s", `"expose": [{"port": 80, "health_checks": [{"type": "http", "path": "/", "expected_status": 200, "continuous": false, "method": |}]}]`, 1),
		strings.Replace(job, "%s", `"RestartPolicy": {"Mode": |},`, 1),
		strings.Replace(job, "%s", `"EphemeralDisk": {"Sticky": |},`, 1),
	} {
		text, items := completeAt(t, s)
		if len(items) < 2 {
			t.Errorf("%s: want several values, got %v", s, labels(items))
		}
		for _, it := range items {
			if ps := problems(accept(t, text, it)); len(ps) > 0 {
				t.Errorf("accepting %s at\n%s\ngives %v", it.Label, s, ps)
			}
		}
	}
}

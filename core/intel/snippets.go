package intel

import (
	"fmt"
	"strconv"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
	"github.com/jobkit-dev/jobkit/core/schema"
)

// jobkit's own snippets: whole values that are valid as inserted (with the
// placeholders' defaults) and that no lint rule objects to. Op ids and
// volume names are chosen so they do not clash with the document's.

func runOp(id string) string {
	return `{
  "type": "container/run",
  "id": "${1:` + id + `}",
  "args": {
    "image": "${2:ubuntu:24.04}",
    "cmd": ["${3:echo}", "${4:hello}"]
  }
}`
}

func volumeOps(vol, volID, runID string) string {
	return `{
  "type": "container/create-volume",
  "id": "` + volID + `",
  "args": {
    "name": "${1:` + vol + `}"
  }
},
{
  "type": "container/run",
  "id": "${2:` + runID + `}",
  "args": {
    "image": "${3:ubuntu:24.04}",
    "cmd": ["ls", "${4:/data}"],
    "volumes": [{"name": "${1:` + vol + `}", "dest": "${4:/data}"}]
  },
  "execution": {"depends_on": ["` + volID + `"]}
}`
}

const httpCheck = `{
  "type": "http",
  "path": "${1:/}",
  "method": "GET",
  "expected_status": ${2:200},
  "continuous": ${3:false}
}`

const exposedPort = `{
  "port": ${1:8080},
  "type": "${2:web}",
  "health_checks": [
    {
      "type": "http",
      "path": "${3:/}",
      "method": "GET",
      "expected_status": ${4:200},
      "continuous": ${5:false}
    }
  ]
}`

const s3Resource = `{
  "type": "S3",
  "url": "${1:https://models.example.com/bucket/model}",
  "target": "${2:/data/models}"
}`

const hfResource = `{
  "type": "HF",
  "repo": "${1:openai-community/gpt2}",
  "target": "${2:/data/models}"
}`

const ollamaResource = `{
  "type": "Ollama",
  "model": "${1:llama3.2:1b}"
}`

func dockerTask(name string, n int) string {
	return `{
  "Name": "${` + strconv.Itoa(n) + `:` + name + `}",
  "Driver": "docker",
  "Config": {
    "image": "${` + strconv.Itoa(n+1) + `:nginx:1.27}",
    "ports": ["http"]
  },
  "Resources": {
    "CPU": ${` + strconv.Itoa(n+2) + `:500},
    "MemoryMB": ${` + strconv.Itoa(n+3) + `:256}
  }
}`
}

func taskGroup(name string) string {
	return `{
  "Name": "${1:` + name + `}",
  "Count": ${2:1},
  "Networks": [
    {"DynamicPorts": [{"Label": "http", "To": ${3:8080}}]}
  ],
  "Services": [
    {
      "Name": "${1:` + name + `}",
      "PortLabel": "http",
      "Checks": [
        {"Type": "http", "Path": "/", "Interval": 10000000000, "Timeout": 2000000000}
      ]
    }
  ],
  "Tasks": [
    ` + indentLines(dockerTask("server", 4), "    ") + `
  ]
}`
}

const nosanaJob = `{
  "version": "0.1",
  "type": "container",
  "meta": {
    "trigger": "cli",
    "system_requirements": {
      "required_vram": ${6:8}
    }
  },
  "ops": [
    {
      "type": "container/run",
      "id": "${1:run}",
      "args": {
        "image": "${2:ubuntu:24.04}",
        "cmd": ["${3:echo}", "${4:hello}"],
        "gpu": ${5:true}
      }
    }
  ]
}`

func nomadJob() string {
	return `{
  "Job": {
    "ID": "${1:web}",
    "Name": "${1:web}",
    "Type": "service",
    "Datacenters": ["${2:dc1}"],
    "TaskGroups": [
      ` + indentLines(taskGroup("web"), "      ") + `
    ]
  }
}`
}

// newJobs proposes a whole job of either format for an empty document.
func (c *completer) newJobs() {
	c.add(Item{Label: "Nosana job", Kind: KindSnippet, Detail: "new job",
		Documentation: "A Nosana job definition with one `container/run` op.", Snippet: true, SortText: "00"}, nosanaJob)
	c.add(Item{Label: "Nomad job", Kind: KindSnippet, Detail: "new job",
		Documentation: "A Nomad service job (API JSON) with one task group running a docker task behind an HTTP-checked service.", Snippet: true, SortText: "01"}, nomadJob())
}

// builtinSnippets returns jobkit's snippets for the place segs.
func (c *completer) builtinSnippets(segs []jsonast.Segment) []schema.Snippet {
	switch c.format {
	case rule.Nosana:
		switch pattern(segs, false) {
		case "ops[]":
			return []schema.Snippet{
				{Label: "container/run op", Description: "An op that runs a container.", Body: runOp(c.freshOpID("run"))},
				{Label: "volume + op mounting it", Description: "A `container/create-volume` op and a `container/run` op that mounts the volume.",
					Body: volumeOps(c.freshVolume("data"), c.freshOpID("volume"), c.freshOpID("run"))},
			}
		case "ops[].args.resources[]":
			return []schema.Snippet{
				{Label: "S3 resource", Description: "Files downloaded from an S3 bucket into the container.", Body: s3Resource},
				{Label: "HF resource", Description: "A Hugging Face repository downloaded into the container.", Body: hfResource},
				{Label: "Ollama resource", Description: "An Ollama model pulled for the container.", Body: ollamaResource},
			}
		case "ops[].args.volumes[]":
			var out []schema.Snippet
			for _, o := range nosanaOps(c.doc) {
				if name, ok := o.Node.Get("args").Get("name").StringValue(); ok && o.Type == "container/create-volume" && name != "" {
					out = append(out, schema.Snippet{Label: "mount volume " + name, Description: "Mount the volume that op `" + o.ID + "` creates.",
						Body: `{"name": ` + escapeSnippet(strconv.Quote(name)) + `, "dest": "${1:/data}"}`})
				}
			}
			return out
		case "ops[].args.expose[]":
			return []schema.Snippet{{Label: "exposed port with HTTP health check", Description: "A web port checked over HTTP.", Body: exposedPort}}
		case "ops[].args.expose[].health_checks[]":
			return []schema.Snippet{{Label: "HTTP health check", Description: "Checks the port over HTTP.", Body: httpCheck}}
		}
	case rule.Nomad:
		rest, _, ok := nomadJobSegs(c.doc, segs)
		if !ok {
			return nil
		}
		switch pattern(rest, true) {
		case "taskgroups[]":
			return []schema.Snippet{{Label: "task group with a docker task", Description: "A task group with a network port, an HTTP-checked service and a docker task.",
				Body: taskGroup(c.freshNomadName(nil, "web"))}}
		case "taskgroups[].tasks[]":
			return []schema.Snippet{{Label: "docker task", Description: "A task running a docker image.", Body: dockerTask(c.freshNomadName(rest[:2], "server"), 1)}}
		}
	}
	return nil
}

// builtinKeyValues maps keys of the object at the cursor to the value their
// completion inserts when jobkit has a better one than the schema's
// placeholder (a whole op for "ops", an exposed port for "expose").
func (c *completer) builtinKeyValues() map[string]string {
	out := map[string]string{}
	keys := map[rule.Format][]string{
		rule.Nosana: {"ops", "expose", "health_checks", "volumes"},
		rule.Nomad:  {"TaskGroups", "Tasks"},
	}[c.format]
	for _, k := range keys {
		segs := append(append([]jsonast.Segment(nil), c.cur.Segs...), jsonast.Segment{Key: k, Index: -1}, jsonast.Segment{Index: 0})
		if s := c.builtinSnippets(segs); len(s) > 0 {
			out[k] = "[\n  " + indentLines(s[0].Body, "  ") + "\n]"
		}
	}
	return out
}

// freshOpID returns base, or base-2, base-3, … when an op already has it.
func (c *completer) freshOpID(base string) string {
	used := map[string]bool{}
	for _, o := range nosanaOps(c.doc) {
		used[o.ID] = true
	}
	return fresh(base, used)
}

func (c *completer) freshVolume(base string) string {
	used := map[string]bool{}
	for _, o := range nosanaOps(c.doc) {
		if n, ok := o.Node.Get("args").Get("name").StringValue(); ok {
			used[n] = true
		}
	}
	return fresh(base, used)
}

// freshNomadName returns a task group name (group nil) or a task name in
// the group at groupSegs that is not taken.
func (c *completer) freshNomadName(groupSegs []jsonast.Segment, base string) string {
	job, _, _ := view.Locate(c.doc.Root)
	list := view.Get(job, "TaskGroups")
	if groupSegs != nil {
		groups := view.Items(list)
		if groupSegs[1].Index < 0 || groupSegs[1].Index >= len(groups) {
			return base
		}
		list = view.Get(groups[groupSegs[1].Index], "Tasks")
	}
	used := map[string]bool{}
	for _, n := range view.Objects(list) {
		if s, ok := view.Str(n, "Name"); ok {
			used[s] = true
		}
	}
	return fresh(base, used)
}

func fresh(base string, used map[string]bool) string {
	if !used[base] {
		return base
	}
	for i := 2; ; i++ {
		if s := fmt.Sprintf("%s-%d", base, i); !used[s] {
			return s
		}
	}
}

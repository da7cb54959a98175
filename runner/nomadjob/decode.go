// Package nomadjob turns a linted Nomad JSON job into the runner's plan for
// one host: the allocations of every task group (Count of each), and for
// every docker task the container it becomes (image, command, env after
// interpolation, allocation directories, resources, GPUs, ports, lifecycle,
// restart policy). It is pure: nothing here talks to Docker or reads the
// host; the host's identity and attributes come in through Options.Node.
package nomadjob

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/nomad/api"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
)

// Decode reads the job out of a parsed Nomad document (wrapped {"Job": …}
// or bare) the way Nomad's API does (encoding/json into api.Job, keys
// matched case-insensitively) and applies Nomad's defaults
// (api.Job.Canonicalize), so the runner sees the job a Nomad server would.
func Decode(doc *jsonast.Document) (job *api.Job, err error) {
	defer func() {
		// Canonicalize trusts the shape it is given (a null task, say);
		// bad input must never crash the runner.
		if r := recover(); r != nil {
			job, err = nil, fmt.Errorf("the job cannot be read as a Nomad job: %v", r)
		}
	}()
	if doc == nil || doc.Root == nil {
		return nil, fmt.Errorf("the document holds no JSON value")
	}
	node, _, form := view.Locate(doc.Root)
	switch form {
	case view.None:
		return nil, fmt.Errorf("a Nomad job is a JSON object: {\"Job\": {\"ID\": ..., \"TaskGroups\": [...]}}")
	case view.HCL:
		return nil, fmt.Errorf("this is HCL2's JSON syntax, not the API's JSON job; convert it with `nomad job run -output FILE`")
	}
	job = &api.Job{}
	dec := json.NewDecoder(bytes.NewReader(doc.Text[node.Start:node.End]))
	if err := dec.Decode(job); err != nil {
		return nil, fmt.Errorf("decode the job: %w", err)
	}
	job.Canonicalize()
	return job, nil
}

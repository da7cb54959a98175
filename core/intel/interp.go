package intel

import (
	"slices"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
)

// Names Nomad interpolates (nomad-reference §6.2).
var (
	nodeVars = []string{"node.unique.id", "node.datacenter", "node.unique.name", "node.class", "node.pool", "node.region"}
	attrVars = []string{"kernel.name", "kernel.arch", "kernel.version", "os.name", "os.version", "cpu.arch",
		"cpu.numcores", "cpu.reservablecores", "cpu.frequency", "cpu.totalcompute", "cpu.modelname",
		"memory.totalbytes", "unique.hostname", "unique.network.ip-address", "unique.advertise.address",
		"nomad.version", "driver.docker", "driver.docker.version", "driver.docker.runtimes",
		"driver.docker.privileged.enabled", "driver.docker.volumes.enabled", "driver.exec", "driver.raw_exec",
		"consul.version", "consul.datacenter", "vault.version", "platform.aws.instance-type",
		"platform.aws.placement.availability-zone", "platform.gce.zone", "platform.gce.machine-type",
		"platform.azure.location", "platform.azure.vm-size"}
	runtimeVars = map[string]string{
		"NOMAD_ALLOC_DIR": "The shared allocation directory (`alloc/`).", "NOMAD_TASK_DIR": "The task's local directory (`local/`).",
		"NOMAD_SECRETS_DIR": "The task's secrets directory (`secrets/`).", "NOMAD_MEMORY_LIMIT": "The task's memory limit in MB.",
		"NOMAD_MEMORY_MAX_LIMIT": "The task's memory oversubscription limit in MB.", "NOMAD_CPU_LIMIT": "The task's CPU limit in MHz.",
		"NOMAD_CPU_CORES": "The reserved CPU cores.", "NOMAD_ALLOC_ID": "The allocation id.", "NOMAD_SHORT_ALLOC_ID": "The first 8 characters of the allocation id.",
		"NOMAD_ALLOC_NAME": "The allocation name (`job.group[index]`).", "NOMAD_ALLOC_INDEX": "The allocation's index in its group.",
		"NOMAD_TASK_NAME": "The task name.", "NOMAD_GROUP_NAME": "The task group name.", "NOMAD_JOB_ID": "The job id.",
		"NOMAD_JOB_NAME": "The job name.", "NOMAD_JOB_PARENT_ID": "The parent job id (periodic and dispatched jobs).",
		"NOMAD_NAMESPACE": "The namespace.", "NOMAD_REGION": "The region.", "NOMAD_DC": "The datacenter.",
	}
	// constraintTargets are the whole-value targets constraints resolve.
	constraintTargets = []string{"attr.kernel.name", "attr.cpu.arch", "attr.os.name", "attr.driver.docker",
		"attr.unique.hostname", "node.unique.id", "node.datacenter", "node.unique.name", "node.class", "node.pool"}
)

// interpDoc documents an interpolation name.
func interpDoc(name string) string {
	switch {
	case strings.HasPrefix(name, "attr."):
		return "The client's fingerprinted attribute `" + strings.TrimPrefix(name, "attr.") + "`."
	case strings.HasPrefix(name, "node."):
		return "The client node's `" + strings.TrimPrefix(name, "node.") + "`."
	case strings.HasPrefix(name, "meta."):
		return "The client's meta value `" + strings.TrimPrefix(name, "meta.") + "`."
	case strings.HasPrefix(name, "NOMAD_META_"):
		return "The job, group or task meta value `" + strings.TrimPrefix(name, "NOMAD_META_") + "` (task wins)."
	}
	if d, ok := runtimeVars[name]; ok {
		return d
	}
	for _, p := range portVarPrefixes {
		if strings.HasPrefix(name, p) {
			return portVarDocs[p] + " `" + strings.TrimPrefix(name, p) + "`."
		}
	}
	return ""
}

var portVarPrefixes = []string{"NOMAD_HOST_PORT_", "NOMAD_ALLOC_PORT_", "NOMAD_PORT_", "NOMAD_ADDR_", "NOMAD_IP_"}

var portVarDocs = map[string]string{
	"NOMAD_PORT_":       "The port (inside the task's network namespace) labelled",
	"NOMAD_ADDR_":       "The `ip:port` of the port labelled",
	"NOMAD_IP_":         "The IP address of the port labelled",
	"NOMAD_HOST_PORT_":  "The host port of the port labelled",
	"NOMAD_ALLOC_PORT_": "The allocation port of the port labelled",
}

// interpolations proposes ${…} names inside a Nomad string.
func (c *completer) interpolations() {
	t := c.cur.Tmpl
	rest, _, _ := nomadJobSegs(c.doc, c.cur.Segs)
	p := pattern(rest, true)
	constraint := strings.Contains(p, "constraints[]") || strings.Contains(p, "affinities[]") || strings.Contains(p, "spreads[]")
	var names []string
	names = append(names, nodeVars...)
	for _, a := range attrVars {
		names = append(names, "attr."+a)
	}
	if !constraint {
		for n := range runtimeVars {
			names = append(names, n)
		}
		for _, l := range portLabels(c.doc, rest) {
			for _, pre := range portVarPrefixes {
				names = append(names, pre+l)
			}
		}
		for _, k := range metaKeys(c.doc, rest) {
			names = append(names, "NOMAD_META_"+k)
		}
	} else {
		names = slices.DeleteFunc(names, func(s string) bool { return s == "node.region" }) // never resolves in constraints
	}
	slices.Sort(names)
	names = slices.Compact(names)
	for i, n := range names {
		if !strings.HasPrefix(strings.ToLower(n), strings.ToLower(t.Partial)) {
			continue
		}
		c.addRange(Item{Label: n, Kind: KindReference, Detail: "interpolation", Documentation: interpDoc(n),
			SortText: "0" + strconv.Itoa(1000+i)}, t.Start, t.End, "${"+n+"}")
	}
}

// metaKeys lists the Meta keys of the job, and of the group and task the
// place rest is in.
func metaKeys(doc *jsonast.Document, rest []jsonast.Segment) []string {
	job, _, _ := view.Locate(doc.Root)
	var out []string
	add := func(n *jsonast.Node) {
		if m := view.Get(n, "Meta"); m.Is(jsonast.Object) {
			for _, mm := range m.Members {
				out = append(out, mm.Key)
			}
		}
	}
	add(job)
	if len(rest) >= 2 && strings.EqualFold(rest[0].Key, "TaskGroups") {
		g := view.Items(view.Get(job, "TaskGroups"))
		if rest[1].Index >= 0 && rest[1].Index < len(g) {
			add(g[rest[1].Index])
			if len(rest) >= 4 && strings.EqualFold(rest[2].Key, "Tasks") {
				ts := view.Items(view.Get(g[rest[1].Index], "Tasks"))
				if rest[3].Index >= 0 && rest[3].Index < len(ts) {
					add(ts[rest[3].Index])
				}
			}
		}
	}
	return out
}

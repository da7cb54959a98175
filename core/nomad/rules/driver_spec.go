package rules

import (
	"sort"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// cfgType is the HCL type a driver config attribute is decoded as.
type cfgType uint8

const (
	cString    cfgType = iota // string (numbers are converted)
	cNumber                   // number (numeric strings are converted)
	cBool                     // bool
	cList                     // list(string)
	cListMap                  // list(map(...)): a JSON array of one object
	cMap                      // map(string): a JSON object
	cBlock                    // a block: an object, or an array of one object (HCL's JSON form)
	cBlockList                // a block list: an object or an array of objects
)

var cfgTypeWords = map[cfgType]string{cString: "string", cNumber: "number", cBool: "bool", cList: "list of string",
	cListMap: "list of map", cMap: "map of string", cBlock: "block (object)", cBlockList: "block (object or list of objects)"}

// driverSpec is what a driver's task config accepts.
type driverSpec struct {
	keys     map[string]cfgType
	required []string
	sorted   *[]string
	blocks   map[string]driverSpec // the keys of blocks, where jobkit knows them
}

// dockerBlocks are the docker blocks whose own keys jobkit checks.
var dockerBlocks = map[string]driverSpec{
	"logging":      {keys: map[string]cfgType{"type": cString, "driver": cString, "config": cListMap}},
	"auth":         {keys: map[string]cfgType{"username": cString, "password": cString, "email": cString, "server_address": cString}},
	"healthchecks": {keys: map[string]cfgType{"disable": cBool}},
}

var docker = driverSpec{required: []string{"image"}, keys: map[string]cfgType{
	"image": cString, "command": cString, "args": cList, "entrypoint": cList, "auth": cBlock, "auth_soft_fail": cBool,
	"ports": cList, "port_map": cListMap, "network_mode": cString, "network_aliases": cList, "ipv4_address": cString,
	"ipv6_address": cString, "mac_address": cString, "hostname": cString, "advertise_ipv6_address": cBool,
	"dns_servers": cList, "dns_search_domains": cList, "dns_options": cList, "extra_hosts": cList, "volumes": cList,
	"volume_driver": cString, "mount": cBlockList, "mounts": cBlockList, "devices": cBlockList, "labels": cListMap,
	"logging": cBlock, "privileged": cBool, "cap_add": cList, "cap_drop": cList, "security_opt": cList,
	"sysctl": cListMap, "ulimit": cListMap, "storage_opt": cMap, "shm_size": cNumber, "memory_hard_limit": cNumber,
	"cpu_hard_limit": cBool, "cpu_cfs_period": cNumber, "cpuset_cpus": cString, "pids_limit": cNumber,
	"oom_score_adj": cNumber, "pid_mode": cString, "ipc_mode": cString, "uts_mode": cString, "userns_mode": cString,
	"group_add": cList, "init": cBool, "interactive": cBool, "tty": cBool, "readonly_rootfs": cBool, "force_pull": cBool,
	"work_dir": cString, "load": cString, "image_pull_timeout": cString, "runtime": cString, "isolation": cString,
	"healthchecks": cBlock, "container_exists_attempts": cNumber, "cgroupns": cString,
}}

var otherDrivers = map[string]driverSpec{
	"exec": {required: []string{"command"}, keys: map[string]cfgType{"command": cString, "args": cList, "pid_mode": cString,
		"ipc_mode": cString, "cap_add": cList, "cap_drop": cList, "work_dir": cString}},
	"raw_exec": {required: []string{"command"}, keys: map[string]cfgType{"command": cString, "args": cList,
		"cgroup_v2_override": cString, "cgroup_v1_override": cListMap, "oom_score_adj": cNumber, "work_dir": cString}},
	"java": {keys: map[string]cfgType{"class": cString, "class_path": cString, "jar_path": cString, "jvm_options": cList,
		"args": cList, "pid_mode": cString, "ipc_mode": cString, "cap_add": cList, "cap_drop": cList, "work_dir": cString}},
	"qemu": {required: []string{"image_path"}, keys: map[string]cfgType{"image_path": cString, "drive_interface": cString,
		"accelerator": cString, "graceful_shutdown": cBool, "guest_agent": cBool, "args": cList, "port_map": cListMap}},
}

// names returns the spec's keys, sorted (computed once per spec).
func (s driverSpec) names() []string {
	if s.sorted != nil {
		return *s.sorted
	}
	known := make([]string, 0, len(s.keys))
	for k := range s.keys {
		known = append(known, k)
	}
	sort.Strings(known)
	return known
}

func init() {
	names := docker.names()
	docker.sorted = &names
	docker.blocks = dockerBlocks
	for k, spec := range otherDrivers {
		names := spec.names()
		spec.sorted = &names
		otherDrivers[k] = spec
	}
}

// checkConfigShape checks cfg against spec: unknown keys, required keys and
// JSON shapes, reporting what the driver would say when the task starts.
// It returns whether the driver fails to decode cfg, after which it checks
// nothing else.
func checkConfigShape(ctx *rule.Context, cfg *jsonast.Node, spec driverSpec, driver string) (failed bool) {
	who := "the " + driver
	if !strings.Contains(driver, " ") {
		who += " driver"
	}
	for _, m := range cfg.Members {
		t, ok := spec.keys[m.Key]
		if !ok {
			if best := closest(m.Key, spec.names()); best != "" {
				d := ctx.ReportKey(m, "%s: %s has no option %q (keys are case-sensitive snake_case); the task fails when it starts: Invalid label: No argument or block type is named %q. Did you mean %q?", m.Path(), who, m.Key, m.Key, best)
				d.Fixes = []diag.Fix{{Title: "Rename to " + best, Edits: []diag.TextEdit{ctx.Edit(m.KeyStart, m.KeyEnd, `"`+best+`"`)}}}
				failed = true
			} else {
				failed = true
				ctx.ReportKey(m, "%s: %s has no option %q; the task fails when it starts: Invalid label: No argument or block type is named %q.", m.Path(), who, m.Key, m.Key)
			}
			continue
		}
		if m.Value != nil {
			if checkCfgValue(ctx, m.Value, t) {
				failed = true
			}
			if sub, ok := spec.blocks[m.Key]; ok {
				if obj := blockObject(m.Value); obj != nil {
					if checkConfigShape(ctx, obj, sub, driver+" driver's "+m.Key+" block") {
						failed = true
					}
				}
			}
		}
	}
	for _, k := range spec.required {
		v := cfg.Get(k)
		if v == nil {
			report(ctx, cfg, "%s: %s needs %q; the task fails when it starts: Missing required argument: The argument %q is required, but no definition was found.", cfg.Path(), who, k, k)
			failed = true
		} else if v.Kind == jsonast.Null {
			// HCL decodes null as "not set": the driver gets no value at all.
			ctx.Report(v, "%s is null: %s needs a value; the task fails when it starts", v.Path(), who)
			failed = true
		} else if s, ok := v.StringValue(); ok && strings.TrimSpace(s) == "" {
			ctx.Report(v, "%s is empty: %s needs a value; the task fails when it starts", v.Path(), who)
		}
	}
	return failed
}

// checkCfgValue reports a value the driver cannot decode as t, and whether it did.
func checkCfgValue(ctx *rule.Context, v *jsonast.Node, t cfgType) bool {
	bad := false
	switch t {
	case cString:
		bad = v.Kind != jsonast.String && v.Kind != jsonast.Number && v.Kind != jsonast.Bool
	case cNumber:
		// HCL converts a string holding a number ("5"); "64m" is not one.
		bad = v.Kind != jsonast.Number && !(v.Kind == jsonast.String && numberString(v.Str))
	case cBool:
		// HCL converts the strings "true" and "false" (and "1", "0") to bool.
		bad = v.Kind != jsonast.Bool && !(v.Kind == jsonast.String && boolString(v.Str))
	case cList:
		bad = v.Kind != jsonast.Array
		for _, it := range v.Items {
			if it.Kind == jsonast.Object || it.Kind == jsonast.Array {
				bad = true
			}
		}
	case cListMap:
		bad = v.Kind != jsonast.Array
		for _, it := range v.Items {
			bad = bad || it.Kind != jsonast.Object
		}
	case cMap:
		bad = v.Kind != jsonast.Object
	case cBlock:
		if v.Kind == jsonast.Array && len(v.Items) > 1 {
			name := ""
			if v.Member != nil {
				name = v.Member.Key
			}
			report(ctx, v, "%s holds %d blocks, but the driver takes one; the task fails when it starts: Duplicate %s block: Only one %q block is allowed.", v.Path(), len(v.Items), name, name)
			return true
		}
		bad = blockObject(v) == nil
	case cBlockList:
		bad = v.Kind != jsonast.Object && v.Kind != jsonast.Array
	}
	if !bad || v.Kind == jsonast.Null {
		return false
	}
	name := ""
	if v.Member != nil {
		name = v.Member.Key
	}
	d := report(ctx, v, "%s must be a %s, not %s; the task fails when it starts: Incorrect attribute value type: Inappropriate value for attribute %q: %s required.", v.Path(), cfgTypeWords[t], v.Kind, name, cfgTypeWords[t])
	switch {
	case t == cListMap && v.Kind == jsonast.Object:
		d.Message = v.Path() + " must be a JSON array holding one object, e.g. [{...}]; the task fails when it starts: Inappropriate value for attribute \"" + name + "\": list of map required."
		d.Fixes = []diag.Fix{{Title: "Wrap the object in [ ]", Safe: true, Edits: []diag.TextEdit{ctx.Edit(v.Start, v.Start, "["), ctx.Edit(v.End, v.End, "]")}}}
	case t == cList && v.Kind == jsonast.String:
		d.Fixes = []diag.Fix{{Title: "Wrap the string in [ ]", Edits: []diag.TextEdit{ctx.Edit(v.Start, v.Start, "["), ctx.Edit(v.End, v.End, "]")}}}
	}
	return true
}

// blockObject returns the object of a single block written as {...} or as
// [{...}] (what HCL's JSON conversion and `nomad job run -output` write).
func blockObject(v *jsonast.Node) *jsonast.Node {
	if v.Is(jsonast.Object) {
		return v
	}
	if v.Is(jsonast.Array) && len(v.Items) == 1 && v.Items[0].Is(jsonast.Object) {
		return v.Items[0]
	}
	return nil
}

// boolString reports whether HCL converts s to a bool.
func boolString(s string) bool {
	return s == "true" || s == "false" || s == "1" || s == "0" || strings.Contains(s, "${")
}

// numberString reports whether HCL converts s to a number.
func numberString(s string) bool {
	if strings.Contains(s, "${") {
		return true
	}
	_, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil && strings.TrimSpace(s) == s
}

package rules

import (
	"strconv"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
)

// Nomad canonicalizes a job before it validates it (api Canonicalize, then
// the server's): besides filling absent fields, it replaces some explicit
// zero values, which is what `nomad job run -output` writes for every field
// the author left out. Rules read those fields through the helpers here so
// that "" or 0 means what it means to Nomad, not what it looks like.

// emptyDefaults lists, per block, the string fields Nomad replaces when
// they are "" (not only when absent), with the value it puts there.
var emptyDefaults = map[string]map[string]string{
	"Service": {"AddressMode": "auto", "OnUpdate": "require_healthy", "Provider": "consul"},
	"Network": {"Mode": "host"},
	"NUMA":    {"Affinity": "none"},
}

// zeroDefaults lists, per block, the integer fields the server replaces
// when they are 0.
var zeroDefaults = map[string]map[string]int64{
	"Job": {"Priority": 50},
}

// canonStr returns the string Nomad sees for key in a block of kind blk:
// the written value, or the default when the key is absent or "" and Nomad
// fills it then.
func canonStr(blk string, n *jsonast.Node, key, def string) string {
	v, ok := view.Str(n, key)
	if !ok {
		return def
	}
	if v == "" {
		if d, ok := emptyDefaults[blk][key]; ok {
			return d
		}
	}
	return v
}

// canonInt returns the integer Nomad sees for key in a block of kind blk,
// and whether the value was written (a replaced 0 counts as not written).
func canonInt(blk string, n *jsonast.Node, key string, def int64) (int64, bool) {
	v, ok := view.Int(n, key)
	if !ok {
		return def, false
	}
	if v == 0 {
		if d, ok := zeroDefaults[blk][key]; ok {
			return d, false
		}
	}
	return v, true
}

// zeroJSON reports whether n is null, 0, "", false, or an object or array
// holding only such values: what Go's zero values look like in JSON.
func zeroJSON(n *jsonast.Node) bool {
	if n == nil {
		return true
	}
	switch n.Kind {
	case jsonast.Null, jsonast.Invalid:
		return true
	case jsonast.Number:
		f, err := strconv.ParseFloat(n.Num, 64)
		return err == nil && f == 0
	case jsonast.String:
		return n.Str == ""
	case jsonast.Bool:
		b, _ := n.BoolValue()
		return !b
	case jsonast.Object:
		for _, m := range n.Members {
			if !zeroJSON(m.Value) {
				return false
			}
		}
		return true
	case jsonast.Array:
		return len(n.Items) == 0
	}
	return false
}

// jobUpdate returns the job-level Update block the groups inherit, or nil.
// The api fills a block's absent fields with the defaults first (Stagger
// 30s, MaxParallel 1, HealthCheck "checks", ...) and then does not copy an
// Empty block into the groups: one whose fields with non-zero defaults are
// all written as zero, as `nomad job inspect` prints it for batch jobs.
func jobUpdate(j *Job) *jsonast.Node {
	u := view.Get(j.Node, "Update")
	if u == nil {
		return nil
	}
	for _, k := range []string{"Stagger", "MaxParallel", "HealthCheck", "MinHealthyTime", "HealthyDeadline", "ProgressDeadline"} {
		if v := view.Get(u, k); v == nil || !zeroJSON(v) {
			return u // absent means the non-zero default
		}
	}
	for _, k := range []string{"AutoRevert", "AutoPromote", "Canary"} {
		if !zeroJSON(view.Get(u, k)) {
			return u
		}
	}
	return nil
}

// Package view reads a parsed Nomad JSON job the way Nomad's decoder does:
// it finds the job object (wrapped, bare or HCL-JSON) and looks keys up
// case-insensitively, the last matching key winning, null meaning "absent".
package view

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// Form is the shape a Nomad JSON document has.
type Form uint8

const (
	None    Form = iota // not an object
	Bare                // the job object itself (nomad job run -json, API output)
	Wrapped             // {"Job": {...}} (HTTP API input)
	HCL                 // {"job": {"<name>": {...}}}: HCL2's JSON syntax
)

// jobKeys are the Job fields an API wrapper's value is recognised by.
var jobKeys = map[string]bool{}

func init() {
	for _, k := range []string{"id", "name", "region", "namespace", "type", "priority", "allatonce",
		"datacenters", "nodepool", "constraints", "affinities", "taskgroups", "update", "multiregion",
		"spreads", "periodic", "parameterizedjob", "reschedule", "migrate", "meta", "consultoken",
		"vaulttoken", "ui", "stop", "parentid", "dispatched", "status", "version"} {
		jobKeys[k] = true
	}
}

// Locate finds the job object in a document. For Wrapped and HCL it also
// returns the wrapper member ("Job" or "job").
func Locate(root *jsonast.Node) (job *jsonast.Node, wrapper *jsonast.Member, form Form) {
	if !root.Is(jsonast.Object) {
		return nil, nil, None
	}
	m := Member(root, "Job")
	if m == nil || !m.Value.Is(jsonast.Object) {
		return root, nil, Bare
	}
	for _, jm := range m.Value.Members {
		if jobKeys[strings.ToLower(jm.Key)] {
			return m.Value, m, Wrapped
		}
	}
	// {"job": {"example": {...}}}: every member names a job block.
	if len(m.Value.Members) > 0 {
		for _, jm := range m.Value.Members {
			if !jm.Value.Is(jsonast.Object) && !jm.Value.Is(jsonast.Array) {
				return m.Value, m, Wrapped
			}
		}
		return m.Value, m, HCL
	}
	return m.Value, m, Wrapped
}

// Member returns the member of object n that Nomad's decoder would use for
// key: the last one whose name matches case-insensitively. A member whose
// value is null or missing counts as absent.
func Member(n *jsonast.Node, key string) *jsonast.Member {
	if !n.Is(jsonast.Object) {
		return nil
	}
	// A key that folds to an ASCII key has a rune per byte of it, so it is
	// at least as long: shorter keys are skipped without folding.
	minLen := 0
	if ascii(key) {
		minLen = len(key)
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		m := n.Members[i]
		if len(m.Key) < minLen {
			continue
		}
		if strings.EqualFold(m.Key, key) {
			if m.Value == nil || m.Value.Kind == jsonast.Null || m.Value.Kind == jsonast.Invalid {
				return nil
			}
			return m
		}
	}
	return nil
}

// ascii reports whether s is plain ASCII.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Get returns the value Nomad would read for key in object n, or nil.
func Get(n *jsonast.Node, key string) *jsonast.Node {
	if m := Member(n, key); m != nil {
		return m.Value
	}
	return nil
}

// Items returns the items of an array node (nil for anything else).
func Items(n *jsonast.Node) []*jsonast.Node {
	if !n.Is(jsonast.Array) {
		return nil
	}
	return n.Items
}

// Objects returns the object items of an array node.
func Objects(n *jsonast.Node) []*jsonast.Node {
	var out []*jsonast.Node
	for _, it := range Items(n) {
		if it.Is(jsonast.Object) {
			out = append(out, it)
		}
	}
	return out
}

// Str returns the string value of key in n ("" and false when absent or not a string).
func Str(n *jsonast.Node, key string) (string, bool) {
	return Get(n, key).StringValue()
}

// Int returns the integer value of key in n, when it is written as an integer.
func Int(n *jsonast.Node, key string) (int64, bool) {
	return Get(n, key).Int()
}

// Bool returns the boolean value of key in n.
func Bool(n *jsonast.Node, key string) (bool, bool) {
	return Get(n, key).BoolValue()
}

// IntOr returns the integer value of key, or def when it is absent or not an integer.
func IntOr(n *jsonast.Node, key string, def int64) int64 {
	if v, ok := Int(n, key); ok {
		return v
	}
	return def
}

// StrOr returns the string value of key, or def when it is absent.
func StrOr(n *jsonast.Node, key string, def string) string {
	if v, ok := Str(n, key); ok {
		return v
	}
	return def
}

// Members returns the members of an object node (nil for anything else).
func Members(n *jsonast.Node) []*jsonast.Member {
	if !n.Is(jsonast.Object) {
		return nil
	}
	return n.Members
}

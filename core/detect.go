package core

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Detect tells the format of a document from its shape:
//   - Nosana: an object with "ops", or "type": "container", or "version" with "global"/"meta".
//   - Nomad: {"Job": {...}} (any key casing, as Nomad matches it), a bare job
//     object with TaskGroups, or the HCL-JSON form {"job": {"<name>": {...}}}.
func Detect(doc *jsonast.Document) rule.Format {
	root := doc.Root
	if root.Is(jsonast.Array) && len(root.Items) > 0 {
		// A job wrapped in a list by mistake: detect it by its content so
		// that the format's own schema layer explains the mistake.
		root = root.Items[0]
	}
	if !root.Is(jsonast.Object) {
		return rule.Unknown
	}
	if root.Has("ops") {
		return rule.Nosana
	}
	if t, ok := root.Get("type").StringValue(); ok && t == "container" {
		return rule.Nosana
	}
	nomadKeys := 0
	for _, m := range root.Members {
		switch strings.ToLower(m.Key) {
		case "job":
			if m.Value.Is(jsonast.Object) {
				return rule.Nomad
			}
		case "taskgroups", "task_groups", "datacenters":
			return rule.Nomad
		case "id", "name", "region", "namespace", "priority", "periodic", "constraints", "update":
			nomadKeys++
		}
	}
	if root.Has("version") && (root.Has("global") || root.Has("meta")) {
		return rule.Nosana
	}
	if nomadKeys >= 2 {
		return rule.Nomad
	}
	return rule.Unknown
}

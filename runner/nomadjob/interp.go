package nomadjob

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// vars are the values ${…} resolves to in one task: the task environment
// (NOMAD_* and the task's Env), node.*, attr.* and meta.*.
type vars map[string]string

// nomadRef is the simple ${…} replacement Nomad applies outside driver
// Config; env["…"] is the HCL2 form used in Config.
var nomadRef = regexp.MustCompile(`\$\{([a-zA-Z0-9_\-\.]+|env\["[^"\]]+"\])\}`)

// expand replaces every ${name} it knows; unknown names stay as written,
// as in Nomad's Env interpolation.
func (v vars) expand(s string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	return nomadRef.ReplaceAllStringFunc(s, func(m string) string {
		if val, ok := v.lookup(m[2 : len(m)-1]); ok {
			return val
		}
		return m
	})
}

// expandStrict is the driver Config's interpolation: an unknown name is an
// error, as HCL2 evaluation makes it.
func (v vars) expandStrict(s, where string) (string, error) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	var unknown []string
	out := nomadRef.ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-1]
		if val, ok := v.lookup(name); ok {
			return val
		}
		unknown = append(unknown, name)
		return m
	})
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return "", fmt.Errorf("%s: unknown variable ${%s}; a task's Config can use its environment (NOMAD_*, Env keys), node.*, attr.* and meta.*", where, unknown[0])
	}
	return out, nil
}

func (v vars) lookup(name string) (string, bool) {
	if strings.HasPrefix(name, `env["`) {
		name = name[5 : len(name)-2]
	}
	val, ok := v[name]
	return val, ok
}

// nodeVars are the ${node.*}, ${attr.*} and ${meta.*} values of the host.
func nodeVars(n Node) vars {
	v := vars{
		"node.unique.id":   n.ID,
		"node.unique.name": n.Name,
		"node.datacenter":  n.Datacenter,
		"node.region":      n.Region,
		"node.class":       n.Class,
		"node.pool":        n.Pool,
	}
	for k, val := range n.Attrs {
		v["attr."+k] = val
	}
	for k, val := range n.Meta {
		v["meta."+k] = val
	}
	return v
}

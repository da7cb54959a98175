package rules

import (
	"strconv"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/jobschema"
)

// Go's JSON decoder rejects the whole job when a value has the wrong type,
// so Nomad never validates a job it cannot decode. Reporting Nomad's
// validation messages for a block holding such a value (say "minimum CPU
// value" next to "CPU": "100") describes checks Nomad never reaches; the
// schema layer's type error is the one to fix first.

// undecodable returns the objects that hold a value Nomad cannot decode.
func undecodable(job *jsonast.Node) map[*jsonast.Node]bool {
	bad := map[*jsonast.Node]bool{}
	walkFields(job, func(m *jsonast.Member, f *jobschema.Field, _ *jobschema.Block) {
		if !decodes(m.Value, f.Type) && m.Value.Parent != nil {
			bad[m.Value.Parent] = true
		}
	})
	return bad
}

// decodes reports whether encoding/json decodes v into a field of type t.
func decodes(v *jsonast.Node, t *jobschema.Type) bool {
	if v == nil || v.Kind == jsonast.Null || v.Kind == jsonast.Invalid {
		return true
	}
	switch t.Kind {
	case jobschema.KindString:
		return v.Kind == jsonast.String
	case jobschema.KindInt, jobschema.KindDuration:
		if v.Kind != jsonast.Number {
			return false
		}
		_, err := strconv.ParseInt(v.Num, 10, 64)
		return err == nil
	case jobschema.KindNumber:
		return v.Kind == jsonast.Number
	case jobschema.KindBool:
		return v.Kind == jsonast.Bool
	case jobschema.KindObject, jobschema.KindBlock, jobschema.KindMap:
		return v.Kind == jsonast.Object
	case jobschema.KindList:
		return v.Kind == jsonast.Array
	}
	return true
}

// unreached reports whether n lies in a block Nomad cannot decode.
func (j *Job) unreached(n *jsonast.Node) bool {
	if j.badBlocks == nil {
		j.badBlocks = undecodable(j.Node)
	}
	for ; n != nil; n = n.Parent {
		if j.badBlocks[n] {
			return true
		}
	}
	return false
}

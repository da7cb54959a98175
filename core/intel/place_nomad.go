package intel

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/jobschema"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
)

// nomadJobSegs strips the {"Job": …} wrapper from a document path. ok is
// false at the wrapper itself (segs is empty then) and outside the job.
func nomadJobSegs(doc *jsonast.Document, segs []jsonast.Segment) (rest []jsonast.Segment, wrapped, ok bool) {
	_, wrapper, form := view.Locate(doc.Root)
	switch form {
	case view.Wrapped:
		if len(segs) == 0 {
			return nil, true, false
		}
		if segs[0].Index >= 0 || !strings.EqualFold(segs[0].Key, wrapper.Key) {
			return nil, true, false
		}
		return segs[1:], true, true
	case view.Bare:
		return segs, false, true
	}
	return nil, false, false
}

// nomadInfo describes the place segs of a Nomad document.
func nomadInfo(doc *jsonast.Document, segs []jsonast.Segment) *info {
	rest, wrapped, ok := nomadJobSegs(doc, segs)
	if !ok {
		if wrapped && len(segs) == 0 {
			job := blockInfo(jobschema.JobBlock())
			return &info{Known: true, Types: []string{"object"}, Type: "an object", Doc: "A Nomad job for the HTTP API: the job object goes under \"Job\".",
				Keys: []key{{Name: "Job", Doc: jobschema.JobBlock().Description, Type: "an object (Job)", Required: true, Value: "{$1}", Val: job}}}
		}
		return &info{}
	}
	t := &jobschema.Type{Kind: jobschema.KindBlock, Block: jobschema.JobBlock()}
	var f *jobschema.Field
	for _, s := range rest {
		switch t.Kind {
		case jobschema.KindBlock:
			if s.Index >= 0 {
				return &info{}
			}
			f = t.Block.Field(s.Key)
			if f == nil {
				return &info{}
			}
			t = f.Type
		case jobschema.KindList:
			if s.Index < 0 || t.Elem == nil {
				return &info{}
			}
			t, f = t.Elem, nil
		case jobschema.KindMap:
			if s.Index >= 0 || t.Elem == nil {
				return &info{}
			}
			t, f = t.Elem, nil
		default:
			return &info{}
		}
	}
	v := typeInfo(t)
	if f != nil {
		fieldInto(v, f)
	}
	return v
}

// typeInfo describes a value of type t.
func typeInfo(t *jobschema.Type) *info {
	v := &info{Known: true, Type: t.String(), CaseInsensitive: true}
	switch t.Kind {
	case jobschema.KindString:
		v.Types = []string{"string"}
	case jobschema.KindInt:
		v.Types = []string{"integer"}
	case jobschema.KindDuration:
		v.Types, v.Duration = []string{"integer"}, true
	case jobschema.KindNumber:
		v.Types = []string{"number"}
	case jobschema.KindBool:
		v.Types = []string{"boolean"}
	case jobschema.KindObject, jobschema.KindMap:
		v.Types = []string{"object"}
	case jobschema.KindBlock:
		b := blockInfo(t.Block)
		b.Type = t.String()
		return b
	case jobschema.KindList:
		v.Types = []string{"array"}
		if t.Elem != nil {
			// Shallow: completion needs only the items' types here, and
			// following blocks would walk the whole catalogue.
			v.Item = &info{Known: true, Types: jsonTypes(t.Elem), Type: t.Elem.String()}
			if t.Elem.Kind == jobschema.KindBlock {
				v.Type = "a list of " + t.Elem.Block.Name
			}
		}
	}
	return v
}

func blockInfo(b *jobschema.Block) *info {
	v := &info{Known: true, Types: []string{"object"}, Doc: b.Description, CaseInsensitive: true}
	for _, f := range b.Fields {
		if f.Server || f.Removed {
			continue
		}
		fv := &info{Known: true, Type: f.Type.String(), CaseInsensitive: true}
		fv.Types = jsonTypes(f.Type)
		fieldInto(fv, f)
		k := key{Name: f.Name, Doc: f.Description, Type: fv.Type, Required: nomadRequired[b.Name+"."+f.Name], Val: fv}
		k.Value = placeholder(fv)
		v.Keys = append(v.Keys, k)
	}
	return v
}

// fieldInto copies a field's documentation, enum and default into v.
func fieldInto(v *info, f *jobschema.Field) {
	v.Doc = f.Description
	v.Duration = f.Type.Kind == jobschema.KindDuration
	v.Enum = nil
	for _, e := range f.Enum {
		v.Enum = append(v.Enum, e)
	}
	if f.Default != nil {
		v.Default, v.HasDefault = f.Default, true
	}
	if f.Type.Kind == jobschema.KindBlock && v.Doc == "" {
		v.Doc = f.Type.Block.Description
	}
}

// nomadRequired are the fields Nomad rejects a job without (nomad-reference §2).
var nomadRequired = map[string]bool{
	"Job.ID": true, "Job.TaskGroups": true, "TaskGroup.Name": true, "TaskGroup.Tasks": true,
	"Task.Name": true, "Task.Driver": true, "Constraint.Operand": true,
}

// jsonTypes returns the JSON types a value of type t has.
func jsonTypes(t *jobschema.Type) []string {
	switch t.Kind {
	case jobschema.KindString:
		return []string{"string"}
	case jobschema.KindInt, jobschema.KindDuration:
		return []string{"integer"}
	case jobschema.KindNumber:
		return []string{"number"}
	case jobschema.KindBool:
		return []string{"boolean"}
	case jobschema.KindObject, jobschema.KindMap, jobschema.KindBlock:
		return []string{"object"}
	case jobschema.KindList:
		return []string{"array"}
	}
	return nil
}

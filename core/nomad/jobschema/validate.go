package jobschema

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/xeipuuv/gojsonschema"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

var (
	compileOnce sync.Once
	compiled    *gojsonschema.Schema
	compileErr  error
)

// pruneEnabled lets the tests compare the pruned check with the full one.
var pruneEnabled = true

func compiledSchema() (*gojsonschema.Schema, error) {
	compileOnce.Do(func() {
		compiled, compileErr = gojsonschema.NewSchema(gojsonschema.NewBytesLoader(SchemaJSON))
	})
	return compiled, compileErr
}

// Check runs the schema layer over the job object: the key pass (unknown,
// mis-cased and removed keys, integer syntax) and the JSON Schema type check
// of the canonicalised job. Diagnostics go to ctx; version is the target
// Nomad version ("1.9").
func Check(ctx *rule.Context, job *jsonast.Node, version string) {
	if !job.Is(jsonast.Object) {
		return
	}
	p := &keyPass{ctx: ctx, version: version}
	canon := p.block(job, catalogue.Job)
	s, err := compiledSchema()
	if err != nil {
		ctx.Rule = WrongType
		ctx.ReportSpan(job.Start, job.Start, nil, "internal error: the embedded Nomad schema does not compile: %v", err)
		return
	}
	if pruneEnabled && pruneJob(canon) {
		return // no part of the job can have a type or range error
	}
	res, err := s.Validate(loaderFor(canon))
	if err != nil {
		return
	}
	for _, e := range res.Errors() {
		if e.Type() != "invalid_type" && e.Type() != "number_gte" && e.Type() != "number_lte" {
			continue // enums and ranges are Nomad's own rules, with Nomad's words
		}
		n := resolve(job, e.Context().String("\x00"))
		if n == nil {
			continue
		}
		ctx.Rule = WrongType
		switch e.Type() {
		case "invalid_type":
			ctx.Report(n, "%s must be %s, not %s: Nomad cannot decode the job and rejects it",
				n.Path(), words(fmt.Sprint(e.Details()["expected"])), words(fmt.Sprint(e.Details()["given"])))
		default:
			ctx.Report(n, "%s is out of range (%s): Nomad cannot decode the job and rejects it", n.Path(), e.Description())
		}
	}
}

// resolve follows a gojsonschema context ("(root)\x00TaskGroups\x000\x00Count")
// from the job object, matching keys the way Nomad does.
func resolve(job *jsonast.Node, ctxPath string) *jsonast.Node {
	segs := strings.Split(ctxPath, "\x00")
	n := job
	for _, s := range segs[1:] {
		switch {
		case n.Is(jsonast.Array):
			i, err := strconv.Atoi(s)
			if err != nil {
				return nil
			}
			// Nulls were left out of the canonical list: count non-null items.
			var next *jsonast.Node
			k := 0
			for _, it := range n.Items {
				if it.Kind == jsonast.Null || it.Kind == jsonast.Invalid {
					continue
				}
				if k == i {
					next = it
					break
				}
				k++
			}
			n = next
		case n.Is(jsonast.Object):
			if m := n.MemberByKey(s); m != nil && m.Value != nil {
				n = m.Value
			} else {
				n = view.Get(n, s)
			}
		default:
			return nil
		}
		if n == nil {
			return nil
		}
	}
	return n
}

func words(t string) string {
	switch t {
	case "integer":
		return "a whole number"
	case "number":
		return "a number"
	case "string":
		return "a string"
	case "boolean":
		return "true or false"
	case "array":
		return "a list"
	case "object":
		return "an object"
	case "null":
		return "null"
	}
	return t
}

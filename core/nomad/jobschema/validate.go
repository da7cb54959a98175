package jobschema

import (
	"fmt"
	"math/big"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
	"github.com/jobkit-dev/jobkit/core/schema"
)

// compiled is schema.json compiled by the shared schema layer, once, on the
// first Nomad job. Keys fold (Nomad matches them case-insensitively) and the
// canonical value leaves null items out, as keyPass does.
var compiled = sync.OnceValues(func() (*schema.Schema, error) {
	return schema.Compile(SchemaJSON, schema.Options{CaseInsensitiveKeys: true, NullItemsLeftOut: true})
})

// Prepare compiles the schema and the engine's form of it now (see
// schema.Schema.Prepare).
func Prepare() error {
	s, err := compiled()
	if err != nil {
		return fmt.Errorf("nomad job schema: %w", err)
	}
	return s.Prepare()
}

// pruneEnabled lets the tests compare the pruned check with the full one.
var pruneEnabled = true

// Check runs the schema layer over the job object: the key pass (unknown,
// mis-cased and removed keys, integer syntax) and the JSON Schema type check
// of the canonicalised job. Diagnostics go to ctx; version is the target
// Nomad version ("1.9").
func Check(ctx *rule.Context, job *jsonast.Node, version string) {
	if !job.Is(jsonast.Object) {
		return
	}
	p := &keyPass{ctx: ctx, version: version}
	canon := p.block(job, catalogue().Job)
	s, err := compiled()
	if err != nil {
		ctx.Rule = WrongType
		ctx.ReportSpan(job.Start, job.Start, nil, "internal error: the embedded Nomad schema does not compile: %v", err)
		return
	}
	if pruneEnabled && pruneJob(canon) {
		return // no part of the job can have a type or range error
	}
	// Enums and other keywords are Nomad's own rules, with Nomad's words:
	// only types and ranges are reported here.
	for _, v := range s.Violations(job, canon) {
		n := v.Node
		switch k := v.Kind.(type) {
		case *kind.Type:
			ctx.Rule = WrongType
			want := k.Want[0]
			if len(k.Want) > 1 {
				want = "[" + strings.Join(k.Want, ",") + "]"
			}
			ctx.Report(n, "%s must be %s, not %s: Nomad cannot decode the job and rejects it",
				n.Path(), words(want), words(givenType(n)))
		case *kind.Minimum:
			ctx.Rule = WrongType
			ctx.Report(n, "%s is out of range (it must be at least %s): Nomad cannot decode the job and rejects it", n.Path(), k.Want.RatString())
		case *kind.Maximum:
			ctx.Rule = WrongType
			ctx.Report(n, "%s is out of range (it must be at most %s): Nomad cannot decode the job and rejects it", n.Path(), k.Want.RatString())
		}
	}
}

// givenType names the JSON type of n, numbers without a fraction as
// "integer".
func givenType(n *jsonast.Node) string {
	switch n.Kind {
	case jsonast.Number:
		if r, ok := new(big.Rat).SetString(n.Num); ok && r.IsInt() {
			return "integer"
		}
	case jsonast.Invalid:
		return "null"
	}
	return n.Kind.String() // JSON Schema's names
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

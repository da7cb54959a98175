package schema

import (
	"math/big"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// reporter collects the violations of a document the way one engine run
// over it would report them (flattened and placed, see place), but decides
// the keywords the pre-check evaluates itself: type, const, enum, required,
// properties, additionalProperties, dependencies, items, the string, number
// and array limits, allOf, $ref and if/then/else. Wherever it cannot decide
// (an opaque subschema, a number the pre-check does not compare, a failed
// anyOf or oneOf whose best branch the engine picks), it runs the engine on
// that subschema and value alone. A job whose ops are full of plain
// mistakes then never reaches the engine, and no plain Go copy of it is
// built.
//
// The engine reports every failed keyword of a subschema (it stops only
// after type, const and enum), and so does the reporter. The violations may
// come in another order than the engine's: the engine's own order follows
// Go map iteration, and diagnostics are sorted.
type reporter struct {
	s     *Schema
	l     *locator
	out   []Violation
	alone []Violation // *kind.Not and *kind.OneOf, kept only where nothing more specific is (keepAlone)
	// engineRuns counts the pairs left to the engine (tests read it).
	engineRuns int
}

// report appends the violations of the value at d against n.
func (r *reporter) report(n *Node, d *jsonast.Node, depth int) error {
	if n == nil {
		return nil
	}
	if n.Bool != nil {
		if !*n.Bool {
			r.out = append(r.out, Violation{Node: d, Kind: &kind.FalseSchema{}})
		}
		return nil
	}
	if n.opaque || depth > 256 || d == nil || d.Kind == jsonast.Invalid {
		return r.engine(n, d)
	}
	// The engine stops at the first of type, const and enum that fails.
	if len(n.Type) > 0 {
		switch typeVerdict(n.Type, d) {
		case invalid:
			r.out = append(r.out, Violation{Node: d, Kind: &kind.Type{Got: typeName(d), Want: engineTypeOrder(n.Type)}})
			return nil
		case unknown:
			return r.engine(n, d)
		}
	}
	if n.HasConst {
		switch equalVerdict(d, n.Const) {
		case invalid:
			r.out = append(r.out, Violation{Node: d, Kind: &kind.Const{Got: scalarValue(d), Want: n.Const}})
			return nil
		case unknown:
			return r.engine(n, d)
		}
	}
	if n.Enum != nil {
		switch enumVerdict(d, n.Enum) {
		case invalid:
			r.out = append(r.out, Violation{Node: d, Kind: &kind.Enum{Got: scalarValue(d), Want: n.Enum}})
			return nil
		case unknown:
			return r.engine(n, d)
		}
	}
	if n.Target != nil {
		// Draft-07: the keywords beside a $ref (but the ones above) are ignored.
		return r.report(n.Target, d, depth+1)
	}
	out, alone := len(r.out), len(r.alone)
	decided, err := r.reportKeywords(n, d, depth)
	if err != nil || decided {
		return err
	}
	// Something the pre-check cannot decide: the engine validates the pair
	// alone, in place of what was collected for it.
	r.out, r.alone = r.out[:out], r.alone[:alone]
	return r.engine(n, d)
}

// reportKeywords appends the violations of the keywords that follow type,
// const, enum and $ref. decided is false when the pre-check cannot decide
// one of them.
func (r *reporter) reportKeywords(n *Node, d *jsonast.Node, depth int) (decided bool, err error) {
	switch d.Kind {
	case jsonast.Object:
		if decided, err = r.reportObject(n, d, depth); err != nil || !decided {
			return decided, err
		}
	case jsonast.Array:
		if decided, err = r.reportArray(n, d, depth); err != nil || !decided {
			return decided, err
		}
	case jsonast.String:
		if n.minLength >= 0 || n.maxLength >= 0 {
			l := utf8.RuneCountInString(d.Str)
			if n.minLength >= 0 && l < n.minLength {
				r.out = append(r.out, Violation{Node: d, Kind: &kind.MinLength{Got: l, Want: n.minLength}})
			}
			if n.maxLength >= 0 && l > n.maxLength {
				r.out = append(r.out, Violation{Node: d, Kind: &kind.MaxLength{Got: l, Want: n.maxLength}})
			}
		}
		if n.pattern != nil && !n.pattern.MatchString(d.Str) {
			r.out = append(r.out, Violation{Node: d, Kind: &kind.Pattern{Got: d.Str, Want: n.Pattern}})
		}
	case jsonast.Number:
		if n.minimum != nil || n.maximum != nil {
			i, ok := d.Int()
			if !ok {
				return false, nil // a fraction, an exponent or a big number
			}
			if n.minimum != nil && i < *n.minimum {
				r.out = append(r.out, Violation{Node: d, Kind: &kind.Minimum{Got: big.NewRat(i, 1), Want: big.NewRat(*n.minimum, 1)}})
			}
			if n.maximum != nil && i > *n.maximum {
				r.out = append(r.out, Violation{Node: d, Kind: &kind.Maximum{Got: big.NewRat(i, 1), Want: big.NewRat(*n.maximum, 1)}})
			}
		}
	}
	return r.reportConditions(n, d, depth)
}

// reportConditions evaluates not, allOf, anyOf, oneOf and if/then/else.
func (r *reporter) reportConditions(n *Node, d *jsonast.Node, depth int) (bool, error) {
	if n.Not != nil {
		switch r.s.precheck(n.Not, d, depth+1) {
		case valid:
			r.alone = append(r.alone, Violation{Node: d, Kind: &kind.Not{}})
		case unknown:
			return false, nil
		}
	}
	for _, a := range n.AllOf {
		if err := r.report(a, d, depth+1); err != nil {
			return false, err
		}
	}
	if len(n.AnyOf) > 0 {
		fits := false
		for _, a := range n.AnyOf {
			if v := r.s.precheck(a, d, depth+1); v == valid {
				fits = true
				break
			} else if v == unknown {
				return false, nil
			}
		}
		if !fits {
			return false, nil // the engine picks the branch to report
		}
	}
	if len(n.OneOf) > 0 {
		var fit []int
		for i, a := range n.OneOf {
			switch r.s.precheck(a, d, depth+1) {
			case valid:
				fit = append(fit, i)
			case unknown:
				return false, nil
			}
			if len(fit) == 2 {
				break
			}
		}
		switch len(fit) {
		case 0:
			return false, nil // the engine picks the branch to report
		case 2:
			r.alone = append(r.alone, Violation{Node: d, Kind: &kind.OneOf{Subschemas: fit}})
		}
	}
	if n.If != nil {
		switch r.s.precheck(n.If, d, depth+1) {
		case valid:
			return true, r.report(n.Then, d, depth+1)
		case invalid:
			return true, r.report(n.Else, d, depth+1)
		default:
			return false, nil
		}
	}
	return true, nil
}

// reportObject evaluates the object keywords in the engine's order.
func (r *reporter) reportObject(n *Node, d *jsonast.Node, depth int) (bool, error) {
	// Only the declared keys are checked when no other key is judged: look
	// them up instead of visiting every member.
	lookUp := !n.AdditionalFalse && n.Additional == nil && len(n.propKeys) < len(d.Members)
	if lookUp && !cleanChildren(d) {
		return false, nil // the engine sees another set of members
	}
	r.reportRequired(n, d)
	if len(n.DependentKeys) > 0 || len(n.DependentSchemas) > 0 {
		if decided, err := r.reportDependencies(n, d, depth); !decided || err != nil {
			return decided, err
		}
	}
	if lookUp {
		for _, k := range n.propKeys {
			if v := d.Get(k); v != nil {
				if err := r.report(n.Properties[k], v, depth+1); err != nil {
					return false, err
				}
			}
		}
		return true, nil
	}
	var unknownKeys []string
	for _, m := range d.Members {
		if m.Dup || m.Value == nil || m.Value.Kind == jsonast.Invalid {
			return false, nil // the engine sees another set of members (cleanChildren)
		}
		sub, ok := n.Properties[m.Key]
		if !ok {
			if n.AdditionalFalse {
				unknownKeys = append(unknownKeys, m.Key)
				continue
			}
			sub = n.Additional
		}
		if err := r.report(sub, m.Value, depth+1); err != nil {
			return false, err
		}
	}
	if unknownKeys != nil {
		r.out = append(r.out, Violation{Node: d, Kind: &kind.AdditionalProperties{Properties: unknownKeys}})
	}
	return true, nil
}

// reportDependencies evaluates "dependencies", both forms.
func (r *reporter) reportDependencies(n *Node, d *jsonast.Node, depth int) (bool, error) {
	if !cleanChildren(d) {
		return false, nil
	}
	for k, deps := range n.DependentKeys {
		if !d.Has(k) {
			continue
		}
		var missing []string
		for _, dep := range deps {
			if !d.Has(dep) {
				missing = append(missing, dep)
			}
		}
		if missing != nil {
			r.out = append(r.out, Violation{Node: d, Kind: &kind.Dependency{Prop: k, Missing: missing}})
		}
	}
	for k, dep := range n.DependentSchemas {
		if d.Has(k) {
			if err := r.report(dep, d, depth+1); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

// reportArray evaluates the array keywords in the engine's order.
func (r *reporter) reportArray(n *Node, d *jsonast.Node, depth int) (bool, error) {
	if n.Items == nil && !cleanChildren(d) {
		return false, nil // the engine sees fewer items
	}
	if n.minItems >= 0 && len(d.Items) < n.minItems {
		r.out = append(r.out, Violation{Node: d, Kind: &kind.MinItems{Got: len(d.Items), Want: n.minItems}})
	}
	if n.maxItems >= 0 && len(d.Items) > n.maxItems {
		r.out = append(r.out, Violation{Node: d, Kind: &kind.MaxItems{Got: len(d.Items), Want: n.maxItems}})
	}
	if n.uniqueItems && len(d.Items) > 1 {
		i, j, ok := firstRepeat(d.Items)
		if !ok {
			return false, nil
		}
		if j >= 0 {
			r.out = append(r.out, Violation{Node: d, Kind: &kind.UniqueItems{Duplicates: [2]int{i, j}}})
		}
	}
	if n.Items != nil {
		for _, it := range d.Items {
			if it.Kind == jsonast.Invalid {
				return false, nil // the engine sees fewer items (cleanChildren)
			}
			if err := r.report(n.Items, it, depth+1); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

// firstRepeat finds the pair the engine reports for uniqueItems: the first
// item j that repeats an earlier one, and the first such earlier item i
// (j is -1 when all differ). ok is false when an item is not a string:
// only strings are compared here.
func firstRepeat(items []*jsonast.Node) (i, j int, ok bool) {
	seen := make(map[string]int, len(items))
	for k, it := range items {
		if it.Kind != jsonast.String {
			return 0, 0, false
		}
		if first, dup := seen[it.Str]; dup {
			return first, k, true
		}
		seen[it.Str] = k
	}
	return -1, -1, true
}

// engine runs the engine on the value at d against n, and records its
// violations.
func (r *reporter) engine(n *Node, d *jsonast.Node) error {
	js, err := r.s.engineAt(n)
	if err != nil {
		return err
	}
	root := r.l.root
	r.l.root = d
	r.engineRuns++
	w := walker{loc: r.l, out: r.out, alone: r.alone}
	w.walkError(js.Validate(d.Value()))
	r.out, r.alone = w.out, w.alone
	r.l.root = root
	return nil
}

// typeName is the engine's name of the JSON type of d (a number is
// "number" whatever its value; Kind's names are JSON Schema's).
func typeName(d *jsonast.Node) string {
	if d.Kind == jsonast.Invalid {
		return ""
	}
	return d.Kind.String()
}

// engineOrder is the order the engine lists the types of a failed "type".
var engineOrder = []string{"null", "boolean", "number", "integer", "string", "array", "object"}

// engineTypeOrder returns types the way the engine reports them: in its
// order, each once, unknown names left out.
func engineTypeOrder(types []string) []string {
	if len(types) == 1 {
		return types
	}
	var out []string
	for _, t := range engineOrder {
		if contains(types, t) {
			out = append(out, t)
		}
	}
	return out
}

// scalarValue is the engine's value of d for the Got of a const or enum
// error; containers are converted only then.
func scalarValue(d *jsonast.Node) any {
	switch d.Kind {
	case jsonast.String:
		return d.Str
	case jsonast.Bool:
		return d.Bool
	case jsonast.Null:
		return nil
	}
	return d.Value()
}

// reportRequired reports the keys n requires that the object d lacks, in
// one violation as the engine does.
func (r *reporter) reportRequired(n *Node, d *jsonast.Node) {
	var missing []string
	for _, k := range n.Required {
		if !d.Has(k) {
			missing = append(missing, k)
		}
	}
	if missing != nil {
		r.out = append(r.out, Violation{Node: d, Kind: &kind.Required{Missing: missing}})
	}
}

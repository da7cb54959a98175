package nosana

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// Source is a Nosana job as written: the parsed document with its ops
// indexed, each op's id, type, args and execution group read once, the way
// the node reads them, and every value still tied to its place in the text.
// The lint rules and the editor read it, and the runner executes the typed
// Job built from it (Job), whose effective values (effective.go) follow the
// node's rules.
//
// Values are read only from strings whose closing quote is present: a
// string the scanner had to cut short (half-typed text) holds whatever
// followed it on the line, so nothing is derived from it.
type Source struct {
	Doc *jsonast.Document
	// Global is the global object, or nil.
	Global *jsonast.Node
	// Ops are the object entries of ops[], in document order.
	Ops    []*SourceOp
	byID   map[string]*SourceOp
	runOps []*SourceOp
}

// SourceOp is one object entry of ops[] as the node schedules it.
type SourceOp struct {
	Node     *jsonast.Node
	Index    int           // position in ops[]
	ID       string        // "" when missing or not a string
	IDNode   *jsonast.Node // the id string, or nil
	Type     string        // as written: "container/run", "container/create-volume" or anything else
	TypeNode *jsonast.Node // the type string, or nil
	Args     *jsonast.Node // the args object, or nil
	// GroupSet reports whether execution.group is written (as a string);
	// GroupName is its value. The node compares these raw values when it
	// checks depends_on (an absent group equals another absent group).
	GroupSet  bool
	GroupName string
	// Group is the group the op runs in: execution.group, else the op id
	// (the node's createExecutionPlan), else a group of its own. Order is
	// that group's place in the run: groups run one after another, ordered
	// by first appearance.
	Group string
	Order int
	// Deps are the string entries of execution.depends_on.
	Deps []Dep
}

// Dep is one depends_on entry.
type Dep struct {
	ID   string
	Node *jsonast.Node // the string inside depends_on
}

// NewSource indexes the document's ops. It never fails: whatever is not
// where the schema wants it is simply absent from the model.
func NewSource(doc *jsonast.Document) *Source {
	s := &Source{Doc: doc}
	root := doc.Root
	if g := root.Get("global"); g.Is(jsonast.Object) {
		s.Global = g
	}
	ops := root.Get("ops")
	if !ops.Is(jsonast.Array) {
		return s
	}
	// Sized once: a generated job has thousands of ops.
	s.byID = make(map[string]*SourceOp, len(ops.Items))
	s.Ops = make([]*SourceOp, 0, len(ops.Items))
	slab := make([]SourceOp, len(ops.Items))
	order := map[string]int{}
	for i, n := range ops.Items {
		if !n.Is(jsonast.Object) {
			continue
		}
		o := &slab[i]
		o.Node, o.Index = n, i
		if id := n.Get("id"); closed(id) {
			o.ID, o.IDNode = id.Str, id
			if _, dup := s.byID[o.ID]; !dup {
				s.byID[o.ID] = o
			}
		}
		if t := n.Get("type"); closed(t) {
			o.Type, o.TypeNode = t.Str, t
		}
		if a := n.Get("args"); a.Is(jsonast.Object) {
			o.Args = a
		}
		exec := n.Get("execution")
		if g := exec.Get("group"); closed(g) {
			o.GroupSet, o.GroupName = true, g.Str
		}
		switch {
		case o.GroupSet:
			o.Group = o.GroupName
		case o.IDNode != nil:
			o.Group = o.ID
		default:
			o.Group = fmt.Sprintf("\x00ops[%d]", i) // no id: a group of its own
		}
		if _, seen := order[o.Group]; !seen {
			order[o.Group] = len(order)
		}
		o.Order = order[o.Group]
		if deps := exec.Get("depends_on"); deps.Is(jsonast.Array) {
			for _, d := range deps.Items {
				if closed(d) {
					o.Deps = append(o.Deps, Dep{ID: d.Str, Node: d})
				}
			}
		}
		s.Ops = append(s.Ops, o)
		if o.IsRun() && o.Args != nil {
			s.runOps = append(s.runOps, o)
		}
	}
	return s
}

func closed(n *jsonast.Node) bool { return n.Is(jsonast.String) && n.Closed }

// Op returns the (first) op with id, or nil.
func (s *Source) Op(id string) *SourceOp { return s.byID[id] }

// IDs returns the op ids in document order, without repeats.
func (s *Source) IDs() []string {
	var ids []string
	for _, o := range s.Ops {
		if o.IDNode != nil && s.byID[o.ID] == o {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

// Dependencies returns the ops o waits for: the existing ops, other than
// itself, named in its depends_on (none for an op whose id an earlier op
// already took, which the node never reaches).
func (s *Source) Dependencies(o *SourceOp) []*SourceOp {
	var out []*SourceOp
	if s.byID[o.ID] != o {
		return nil
	}
	for _, d := range o.Deps {
		if t := s.byID[d.ID]; t != nil && t != o {
			out = append(out, t)
		}
	}
	return out
}

// RunOps returns the ops the node runs as containers (every op that is not
// container/create-volume) that have an args object.
// The list is shared: callers must not modify it.
func (s *Source) RunOps() []*SourceOp { return s.runOps }

// GlobalGPU reports whether global.gpu is true, which gives every op a GPU.
func (s *Source) GlobalGPU() bool {
	b, ok := s.Global.Get("gpu").BoolValue()
	return ok && b
}

// IsVolume reports whether the op is a container/create-volume op.
func (o *SourceOp) IsVolume() bool { return o.Type == TypeCreateVolume }

// IsRun reports whether the node runs the op as a container: anything that
// is not a create-volume op, as the node does.
func (o *SourceOp) IsRun() bool { return !o.IsVolume() }

// Name names the op in messages: "train", or ops[2] when it has no id.
func (o *SourceOp) Name() string {
	if o.IDNode == nil {
		return fmt.Sprintf("ops[%d]", o.Index)
	}
	return strconv.Quote(o.ID)
}

// Label names the op with its place: op "web" (ops[1]).
func (o *SourceOp) Label() string {
	if o.IDNode == nil {
		return fmt.Sprintf("ops[%d]", o.Index)
	}
	return fmt.Sprintf("op %q (ops[%d])", o.ID, o.Index)
}

// GroupText describes the op's execution.group for messages.
func (o *SourceOp) GroupText() string {
	if o.GroupSet {
		return fmt.Sprintf("in group %q", o.GroupName)
	}
	return "in no execution.group"
}

// GroupLabel names the group the op runs in: "train", or `of ops[2]` for an
// op without id or group.
func (o *SourceOp) GroupLabel() string {
	if o.GroupSet || o.IDNode != nil {
		return strconv.Quote(o.Group)
	}
	return "of " + o.Label()
}

// DependsOn reports whether o lists id in execution.depends_on.
func (o *SourceOp) DependsOn(id string) bool {
	for _, d := range o.Deps {
		if d.ID == id {
			return true
		}
	}
	return false
}

// Decode decodes one op together with the job's global section into the
// typed model, whose effective values (effective.go: image, GPU,
// entrypoint, work_dir, cmd, env) are the ones the runner uses; the rest of
// the job is not decoded, so this stays fast on big documents. It returns
// nil while the op or global is not a complete, well-formed object.
func (s *Source) Decode(o *SourceOp) *Op {
	op, err := s.decodeOp(o)
	if err != nil {
		return nil
	}
	return op
}

func (s *Source) decodeOp(o *SourceOp) (*Op, error) {
	if !o.Node.Closed {
		return nil, fmt.Errorf("ops[%d] is not a complete object", o.Index)
	}
	text := s.Doc.Text
	var b bytes.Buffer
	b.WriteString(`{"version":"0.1","type":"container",`)
	if g := s.Global; g != nil {
		if !g.Closed {
			return nil, errors.New("global is not a complete object")
		}
		b.WriteString(`"global":`)
		b.Write(text[g.Start:g.End])
		b.WriteByte(',')
	}
	b.WriteString(`"ops":[`)
	b.Write(text[o.Node.Start:o.Node.End])
	b.WriteString(`]}`)
	job, err := Decode(b.Bytes())
	if err != nil {
		// The one op sits at ops[0] of the document decoded here, and
		// encoding/json names fields inside it "ops.<key>".
		msg := strings.TrimPrefix(err.Error(), "decode job: ")
		at := fmt.Sprintf("ops[%d]", o.Index)
		msg = strings.Replace(msg, "ops[0]", at, 1)
		if strings.HasPrefix(msg, "ops.") {
			msg = at + msg[len("ops"):]
		}
		return nil, errors.New(msg)
	}
	if len(job.Ops) != 1 {
		return nil, fmt.Errorf("ops[%d] is not an object", o.Index)
	}
	job.Ops[0].Index = o.Index
	return job.Ops[0], nil
}

// Job is the typed job the runner executes, read from this model: the
// top-level sections decoded from the document, and each op from its place
// in ops[] (decodeOp) with its index, so the runner, the rules and the
// editor see the same ops. It fails, with a field path, when the document
// is not a complete job: every entry of ops[] must be an object.
func (s *Source) Job() (*Job, error) {
	root := s.Doc.Root
	if !root.Is(jsonast.Object) || !root.Closed {
		return nil, errors.New("decode job: the document is not a complete JSON object")
	}
	// Everything but ops, which the embedded field's shadow skips.
	var head struct {
		Job
		Ops json.RawMessage `json:"ops"`
	}
	if err := json.Unmarshal(s.Doc.Text[root.Start:root.End], &head); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, fmt.Errorf("decode job: %s: expected %s, found a JSON %s", te.Field, te.Type, te.Value)
		}
		return nil, fmt.Errorf("decode job: %w", err)
	}
	job := head.Job
	ops := root.Get("ops")
	if ops == nil || ops.Is(jsonast.Null) {
		return &job, nil
	}
	if !ops.Is(jsonast.Array) {
		return nil, errors.New("decode job: ops: expected an array")
	}
	job.Ops = make([]*Op, 0, len(ops.Items))
	byNode := make(map[*jsonast.Node]*SourceOp, len(s.Ops))
	for _, o := range s.Ops {
		byNode[o.Node] = o
	}
	for i, n := range ops.Items {
		o := byNode[n]
		if o == nil {
			return nil, fmt.Errorf("decode job: ops[%d] is not an object", i)
		}
		op, err := s.decodeOp(o)
		if err != nil {
			return nil, fmt.Errorf("decode job: %w", err)
		}
		op.global = job.Global
		job.Ops = append(job.Ops, op)
	}
	return &job, nil
}

// Entrypoint is the entrypoint node the node uses: args.entrypoint when it
// is set (a non-empty string or any array: JavaScript truthiness), else
// global.entrypoint; nil when neither is.
func (s *Source) Entrypoint(o *SourceOp) *jsonast.Node {
	if ep := o.Args.Get("entrypoint"); setCommand(ep) {
		return ep
	}
	if ep := s.Global.Get("entrypoint"); setCommand(ep) {
		return ep
	}
	return nil
}

// setCommand reports whether a cmd or entrypoint value counts as set for
// the node: a non-empty string or any array (JavaScript truthiness).
func setCommand(n *jsonast.Node) bool {
	return n.Is(jsonast.Array) || closed(n) && n.Str != ""
}

// Exposure is what an op exposes, as the node derives it.
type Exposure struct {
	// Exposed reports whether the node publishes the op at all. Like the
	// node's getExposePorts it counts a port number, a string and a
	// non-empty array; a single {port…} object is silently not exposed.
	Exposed bool
	// Dynamic reports whether expose holds literals or spread markers, whose
	// ports are known only at run time.
	Dynamic bool
	// Ports holds the port numbers as written ("8080").
	Ports []string
	// HealthChecked reports whether some port has a non-empty health_checks.
	HealthChecked bool
}

// Exposure reads args.expose.
func (o *SourceOp) Exposure() Exposure {
	var x Exposure
	e := o.Args.Get("expose")
	if e == nil || o.IsVolume() {
		return x
	}
	var entries []*jsonast.Node
	switch e.Kind {
	case jsonast.Number:
		if f, ok := e.Float(); ok && f != 0 { // 0 is falsy: the node skips it
			entries = []*jsonast.Node{e}
		}
	case jsonast.String:
		entries = []*jsonast.Node{e}
	case jsonast.Array:
		entries = e.Items
	}
	x.Exposed = len(entries) > 0
	for _, n := range entries {
		switch {
		case n.Is(jsonast.Number):
			x.Ports = append(x.Ports, n.Num)
		case n.Is(jsonast.String):
			if strings.Contains(n.Str, "%%") {
				x.Dynamic = true
			} else {
				x.Ports = append(x.Ports, n.Str)
			}
		case n.Is(jsonast.Object) && n.Has("__spread__"):
			x.Dynamic = true
		case n.Is(jsonast.Object):
			if p := n.Get("port"); p.Is(jsonast.Number) {
				x.Ports = append(x.Ports, p.Num)
			} else if s, ok := p.StringValue(); ok {
				x.Ports = append(x.Ports, s)
			}
			if hc := n.Get("health_checks"); hc.Is(jsonast.Array) && len(hc.Items) > 0 {
				x.HealthChecked = true
			}
		}
	}
	return x
}

// HasPort reports whether port (as written in a literal) is exposed.
func (x Exposure) HasPort(port string) bool {
	for _, p := range x.Ports {
		if p == port {
			return true
		}
	}
	return false
}

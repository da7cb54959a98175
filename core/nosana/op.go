package nosana

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Op is one operation. Exactly one of Run and Volume is set, chosen by Type
// (any type other than container/create-volume decodes as container/run).
// RawArgs keeps the args as written, for the runner's literal interpolation.
type Op struct {
	ID        string             `json:"id"`
	Type      string             `json:"type"`
	Run       *ContainerRunArgs  `json:"-"`
	Volume    *CreateVolumeArgs  `json:"-"`
	RawArgs   json.RawMessage    `json:"args"`
	Results   map[string]*Result `json:"results,omitempty"`
	Execution *Execution         `json:"execution,omitempty"`

	// ResultKeys are the keys of Results in document order.
	ResultKeys []string `json:"-"`
	// Index is the op's position in ops[].
	Index int `json:"-"`

	global *Global
}

// Execution places an op in a group and orders it after others.
type Execution struct {
	// Group is nil when execution.group is absent or null: the node tells
	// those apart from "" (an empty group is a group like any other).
	Group                *string  `json:"group,omitempty"`
	DependsOn            []string `json:"depends_on,omitempty"`
	StopIfDependentStops bool     `json:"stop_if_dependent_stops,omitempty"`
}

// CreateVolumeArgs are the args of container/create-volume.
type CreateVolumeArgs struct {
	Name string `json:"name"`
}

// UnmarshalJSON decodes args by the op's type and keeps results in order.
func (o *Op) UnmarshalJSON(b []byte) error {
	type plain Op
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*o = Op(p)
	if len(o.Results) > 0 {
		keys, err := objectKeys(b, "results")
		if err != nil {
			return err
		}
		o.ResultKeys = keys
	}
	return o.SetArgs(o.RawArgs)
}

// SetArgs replaces the op's args with raw (for example after literals were
// interpolated) and decodes them again.
func (o *Op) SetArgs(raw json.RawMessage) error {
	o.RawArgs = raw
	o.Run, o.Volume = nil, nil
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return fmt.Errorf("op %q has no args", o.ID)
	}
	if o.Type == TypeCreateVolume {
		o.Volume = new(CreateVolumeArgs)
		if err := json.Unmarshal(raw, o.Volume); err != nil {
			return fmt.Errorf("op %q: args: %w", o.ID, err)
		}
		return nil
	}
	o.Run = new(ContainerRunArgs)
	if err := json.Unmarshal(raw, o.Run); err != nil {
		return fmt.Errorf("op %q: args: %w", o.ID, err)
	}
	kept := o.Run.Resources[:0]
	for _, r := range o.Run.Resources {
		if r.Type != "" || r.Spread != nil { // drop "__remove-if-empty__"
			kept = append(kept, r)
		}
	}
	o.Run.Resources = kept
	return nil
}

// Clone copies the op so that its args can be replaced (SetArgs) without
// touching the original.
func (o *Op) Clone() *Op {
	c := *o
	return &c
}

// Group is the group the op runs in, as the node's createExecutionPlan
// computes it: execution.group ?? id (so "" is a group of its own name).
func (o *Op) Group() string {
	if g, ok := o.WrittenGroup(); ok {
		return g
	}
	return o.ID
}

// WrittenGroup is execution.group as written, and whether it is. The node
// checks depends_on against these raw values (validateExecutionPlan: an
// absent group equals another absent group), not against Group.
func (o *Op) WrittenGroup() (string, bool) {
	if o.Execution == nil || o.Execution.Group == nil {
		return "", false
	}
	return *o.Execution.Group, true
}

// DependsOn lists the ops this op waits for.
func (o *Op) DependsOn() []string {
	if o.Execution == nil {
		return nil
	}
	return o.Execution.DependsOn
}

// StopIfDependentStops reports whether the op stops when a dependency stops.
func (o *Op) StopIfDependentStops() bool {
	return o.Execution != nil && o.Execution.StopIfDependentStops
}

// objectKeys returns the keys of the object at key in the object b, in order.
func objectKeys(b []byte, key string) ([]string, error) {
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(b, &outer); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(outer[key]))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("%s: not an object", key)
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, t.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

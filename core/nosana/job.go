// Package nosana is the typed model of a Nosana job definition (the schema of
// @nosana/types 2.1.6) and the effective values a node derives from it: the
// runner reads this model and nothing else. Decode a document only after it
// linted without errors; Decode checks shapes, not rules.
package nosana

import "encoding/json"

// Operation types.
const (
	TypeRun          = "container/run"
	TypeCreateVolume = "container/create-volume"
)

// Job is a whole job definition.
type Job struct {
	Version      string     `json:"version"`
	Type         string     `json:"type"`
	Meta         *Meta      `json:"meta,omitempty"`
	Global       *Global    `json:"global,omitempty"`
	Ops          []*Op      `json:"ops"`
	Logistics    *Logistics `json:"logistics,omitempty"`
	DeploymentID string     `json:"deployment_id,omitempty"`
}

// Meta is the open meta object. Known keys are typed; every key (known or not)
// is also kept in Extra as decoded JSON (numbers as json.Number).
type Meta struct {
	Trigger string `json:"trigger,omitempty"`
	// SystemRequirements is meta.system_requirements, the field Nosana's
	// dashboard reads; SystemResources is the typed name in @nosana/types.
	SystemRequirements map[string]any `json:"system_requirements,omitempty"`
	SystemResources    map[string]any `json:"system_resources,omitempty"`
	Extra              map[string]any `json:"-"`
}

// UnmarshalJSON keeps every key in Extra besides the typed ones.
func (m *Meta) UnmarshalJSON(b []byte) error {
	type plain Meta
	var p plain
	if err := unmarshalNumbers(b, &p); err != nil {
		return err
	}
	if err := unmarshalNumbers(b, &p.Extra); err != nil {
		return err
	}
	*m = Meta(p)
	return nil
}

// MarshalJSON writes Extra (which holds every key).
func (m Meta) MarshalJSON() ([]byte, error) {
	if m.Extra != nil {
		return json.Marshal(m.Extra)
	}
	type plain Meta
	return json.Marshal(plain(m))
}

// Global holds defaults shared by every op.
type Global struct {
	Image      string            `json:"image,omitempty"`
	GPU        bool              `json:"gpu,omitempty"`
	Entrypoint *Command          `json:"entrypoint,omitempty"`
	Env        map[string]string `json:"env,omitempty"`
	WorkDir    string            `json:"work_dir,omitempty"`
	Variables  map[string]string `json:"variables,omitempty"`
}

// Logistics moves the definition and the results over an API (confidential jobs).
type Logistics struct {
	Send    *Logistic `json:"send,omitempty"`
	Receive *Logistic `json:"receive,omitempty"`
}

// Logistic is one direction of Logistics.
type Logistic struct {
	Type string `json:"type"` // "api" | "api-listen"
	Args struct {
		Endpoint string `json:"endpoint,omitempty"`
	} `json:"args"`
}

// RequiredVRAM is meta.system_requirements.required_vram (falling back to
// meta.system_resources.required_vram) in GB; 0 when absent or not a number.
func (j *Job) RequiredVRAM() float64 {
	if j.Meta == nil {
		return 0
	}
	for _, m := range []map[string]any{j.Meta.SystemRequirements, j.Meta.SystemResources} {
		if v, ok := number(m["required_vram"]); ok && v > 0 {
			return v
		}
	}
	return 0
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

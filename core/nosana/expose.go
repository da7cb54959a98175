package nosana

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Expose is args.expose: a number, a literal string, a spread marker, a port
// object, or an array of those. Decoding always gives a list.
type Expose []ExposeItem

// ExposeItem is one entry: a port, or a Literal ("%%…%%") or Spread marker
// to be resolved by the runner.
type ExposeItem struct {
	Port    *ExposedPort
	Literal string
	Spread  *Spread
}

// Spread is {"__spread__": "%%…%%", "chunked"?: bool}.
type Spread struct {
	Spread  string `json:"__spread__"`
	Chunked bool   `json:"chunked,omitempty"`
}

// Port types.
const (
	PortWeb       = "web"
	PortAPI       = "api"
	PortWebAPI    = "webapi"
	PortWebSocket = "websocket"
	PortNone      = "none"
)

// ExposedPort is {port, type?, health_checks?}. A bare number is {port, type:"none"}.
type ExposedPort struct {
	Port         int           `json:"port"`
	Type         string        `json:"type,omitempty"`
	HealthChecks []HealthCheck `json:"health_checks,omitempty"`
}

// HealthCheck is an http or websocket check.
type HealthCheck struct {
	Type             string            `json:"type"` // "http" | "websocket"
	Path             string            `json:"path,omitempty"`
	Method           string            `json:"method,omitempty"`
	ExpectedStatus   int               `json:"expected_status,omitempty"`
	Headers          map[string]string `json:"headers,omitempty"`
	Body             json.RawMessage   `json:"body,omitempty"`
	ExpectedResponse string            `json:"expected_response,omitempty"`
	Continuous       bool              `json:"continuous"`
}

// UnmarshalJSON accepts every form of expose.
func (e *Expose) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		out := make(Expose, 0, len(raw))
		for i, r := range raw {
			it, err := decodeExposeItem(r)
			if err != nil {
				return fmt.Errorf("expose[%d]: %w", i, err)
			}
			out = append(out, it)
		}
		*e = out
		return nil
	}
	it, err := decodeExposeItem(b)
	if err != nil {
		return fmt.Errorf("expose: %w", err)
	}
	*e = Expose{it}
	return nil
}

func decodeExposeItem(b json.RawMessage) (ExposeItem, error) {
	var n float64
	if err := json.Unmarshal(b, &n); err == nil {
		if n != float64(int(n)) {
			return ExposeItem{}, fmt.Errorf("port %v is not a whole number", n)
		}
		return ExposeItem{Port: &ExposedPort{Port: int(n), Type: PortNone}}, nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		return ExposeItem{Literal: s}, nil
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return ExposeItem{}, fmt.Errorf("expected a port number, a literal or a port object")
	}
	if _, ok := probe["__spread__"]; ok {
		var sp Spread
		if err := json.Unmarshal(b, &sp); err != nil {
			return ExposeItem{}, err
		}
		return ExposeItem{Spread: &sp}, nil
	}
	var p ExposedPort
	if err := json.Unmarshal(b, &p); err != nil {
		return ExposeItem{}, err
	}
	return ExposeItem{Port: &p}, nil
}

// MarshalJSON writes the item in its own form.
func (it ExposeItem) MarshalJSON() ([]byte, error) {
	switch {
	case it.Port != nil:
		return json.Marshal(it.Port)
	case it.Spread != nil:
		return json.Marshal(it.Spread)
	}
	return json.Marshal(it.Literal)
}

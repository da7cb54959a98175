// Package jobschema is the schema layer for Nosana job definitions: the JSON
// Schema of the current job format (@nosana/types 2.1.6, see schema.json)
// and the glue that reports its violations as jobkit diagnostics.
//
// The schema follows the official validator (typia validateEquals over
// JobDefinition) except where jobkit is deliberately stricter; the
// conformance test lists those differences.
package jobschema

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
	"github.com/jobkit-dev/jobkit/core/schema"
)

//go:embed schema.json
var schemaJSON []byte

// Rule ids reported by the schema layer.
const (
	UnknownKey   = "unknown-key"
	MissingField = "missing-field"
	WrongType    = "wrong-type"
	InvalidValue = "invalid-value"
)

// aliases are keys people write for the ones Nosana expects.
var aliases = map[string]schema.Alias{
	"command":            {To: "cmd"},
	"commmand":           {To: "cmd"},
	"commands":           {To: "cmd"},
	"ports":              {To: "expose"},
	"port":               {To: "expose"},
	"workdir":            {To: "work_dir"},
	"work":               {To: "work_dir"},
	"working_dir":        {To: "work_dir"},
	"workingDir":         {To: "work_dir"},
	"environment":        {To: "env"},
	"healthchecks":       {To: "health_checks"},
	"healthCheck":        {To: "health_checks"},
	"health_check":       {To: "health_checks"},
	"depends-on":         {To: "depends_on"},
	"dependsOn":          {To: "depends_on"},
	"restartPolicy":      {To: "restart_policy"},
	"output":             {Note: "a legacy field that the current Nosana validator (@nosana/types 2.x) rejects; remove it"},
	"args.required_vram": {Note: "a legacy field: set meta.system_requirements.required_vram instead"},
}

var compiled = sync.OnceValues(func() (*schema.Schema, error) {
	s, err := schema.Compile(schemaJSON, schema.Options{
		Rules:   schema.RuleIDs{UnknownKey: UnknownKey, MissingField: MissingField, WrongType: WrongType, InvalidValue: InvalidValue},
		Aliases: aliases,
	})
	if err != nil {
		return nil, fmt.Errorf("nosana job schema: %w", err)
	}
	return s, nil
})

// Schema returns the compiled Nosana job schema (compiled once, on first
// use), for completion and hover: see schema.Schema.At.
func Schema() *schema.Schema {
	s, err := compiled()
	if err != nil {
		// The embedded schema is tested; this is a build mistake.
		panic(err)
	}
	return s
}

// Prepare compiles the schema and the engine's form of it now (see
// schema.Schema.Prepare).
func Prepare() error {
	s, err := compiled()
	if err != nil {
		return err
	}
	return s.Prepare()
}

// JSON returns the Nosana job JSON Schema (draft-07) as embedded.
func JSON() []byte { return append([]byte(nil), schemaJSON...) }

// Validate returns the schema-layer diagnostics of a Nosana job document.
func Validate(doc *jsonast.Document) []diag.Diagnostic {
	s, err := compiled()
	if err != nil {
		return []diag.Diagnostic{{Rule: "internal", Severity: diag.Error, Message: err.Error(), Range: doc.Lines.Range(0, 0)}}
	}
	return s.Validate(doc)
}

// Rules describes the schema-layer rules (their Check is nil: Validate
// reports them).
func Rules() []*rule.Rule {
	return []*rule.Rule{
		{ID: UnknownKey, Format: rule.Nosana, Severity: diag.Error, Summary: "a key the Nosana job format does not have (the validator rejects unknown keys); suggests the intended key"},
		{ID: MissingField, Format: rule.Nosana, Severity: diag.Error, Summary: "a required field is missing, e.g. args.image of a container/run op or REGION of S3 IAM credentials"},
		{ID: WrongType, Format: rule.Nosana, Severity: diag.Error, Summary: "a value of the wrong JSON type, e.g. \"gpu\": \"yes\" or a number as an env value"},
		{ID: InvalidValue, Format: rule.Nosana, Severity: diag.Error, Summary: "a value outside the allowed ones, e.g. version other than \"0.1\" or an unknown op type"},
	}
}

// Package jobschema holds the JSON Schema of a Nomad 1.9 API job (embedded,
// generated from catalogue.txt) and the schema layer built on it: the key
// pass (unknown keys, non-canonical casing, removed fields) and the type
// check of the canonicalised document by the shared schema layer (core/schema).
package jobschema

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

//go:generate go run gen.go

// SchemaJSON is the JSON Schema of a Nomad API job (the object inside {"Job": ...}).
//
//go:embed schema.json
var SchemaJSON []byte

// Kind is the JSON shape a field holds.
type Kind uint8

const (
	KindAny      Kind = iota // anything (opaque)
	KindString               // string
	KindInt                  // integer
	KindDuration             // integer nanoseconds
	KindNumber               // any number
	KindBool                 // boolean
	KindObject               // an opaque object (keys not checked)
	KindBlock                // an object of a named type (Field.Block)
	KindList                 // an array of Field.Elem
	KindMap                  // an object whose keys are data, values Field.Elem
)

// Type is one field type: a kind plus, for blocks, lists and maps, what they hold.
type Type struct {
	Kind  Kind
	Block *Block // KindBlock
	Elem  *Type  // KindList, KindMap (nil for a map of anything)
}

// Field is one key of a block.
type Field struct {
	Name        string // canonical spelling (the Go field name)
	Type        *Type
	Description string
	Default     any
	Enum        []string
	Server      bool   // set by the server; ignored or harmful on submit
	Removed     bool   // accepted by old Nomad versions, ignored now
	Since       string // Nomad version that added the field, when after 1.9

	norm string // normalize(Name), for suggestions
}

// Block is an object type such as Job, TaskGroup or Task.
type Block struct {
	Name        string
	Description string
	Fields      []*Field          // in catalogue order
	byFold      map[string]*Field // lower-cased name → field
	byName      map[string]*Field // exact name → the field byFold gives for it
}

// Field returns the field whose name matches key the way Nomad matches it
// (case-insensitively), or nil.
func (b *Block) Field(key string) *Field {
	if b == nil {
		return nil
	}
	if f, ok := b.byName[key]; ok {
		return f // the canonical spelling: no case folding needed
	}
	if len(key) <= 64 {
		// Fold ASCII keys on the stack; anything else goes through ToLower.
		var buf [64]byte
		for i := 0; i < len(key); i++ {
			c := key[i]
			if c >= 0x80 {
				return b.byFold[strings.ToLower(key)]
			}
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		return b.byFold[string(buf[:len(key)])]
	}
	return b.byFold[strings.ToLower(key)]
}

// Catalogue is every block of the schema.
type Catalogue struct {
	Blocks map[string]*Block
	Job    *Block
}

// catalogue is read on first use: a run that lints only Nosana jobs never
// pays for reading the Nomad schema at start-up.
var catalogue = sync.OnceValue(func() *Catalogue { return mustLoad(SchemaJSON) })

// Load returns the catalogue read from the embedded schema.
func Load() *Catalogue { return catalogue() }

// JobBlock returns the Job block.
func JobBlock() *Block { return catalogue().Job }

type rawProp struct {
	Type        string              `json:"type"`
	Ref         string              `json:"$ref"`
	Items       *rawProp            `json:"items"`
	Additional  json.RawMessage     `json:"additionalProperties"`
	Description string              `json:"description"`
	Default     any                 `json:"default"`
	Enum        []string            `json:"enum"`
	Unit        string              `json:"x-unit"`
	Data        bool                `json:"x-data"`
	Server      bool                `json:"x-server"`
	Removed     bool                `json:"x-removed"`
	Since       string              `json:"x-since"`
	Properties  map[string]*rawProp `json:"properties"`
	Order       []string            `json:"x-order"`
}

func mustLoad(b []byte) *Catalogue {
	c, err := load(b)
	if err != nil {
		panic(fmt.Sprintf("jobschema: embedded schema.json: %v", err))
	}
	return c
}

func load(b []byte) (*Catalogue, error) {
	var raw struct {
		Definitions map[string]*rawProp `json:"definitions"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("decode schema: %w", err)
	}
	c := &Catalogue{Blocks: map[string]*Block{}}
	for name, d := range raw.Definitions {
		c.Blocks[name] = &Block{Name: name, Description: d.Description, byFold: map[string]*Field{}}
	}
	for name, d := range raw.Definitions {
		blk := c.Blocks[name]
		for _, fname := range d.Order {
			p := d.Properties[fname]
			t, err := c.typeOf(p)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", name, fname, err)
			}
			f := &Field{Name: fname, Type: t, Description: p.Description, Default: p.Default,
				Enum: p.Enum, Server: p.Server, Removed: p.Removed, Since: p.Since, norm: normalize(fname)}
			blk.Fields = append(blk.Fields, f)
			blk.byFold[strings.ToLower(fname)] = f
		}
	}
	for _, blk := range c.Blocks {
		blk.byName = make(map[string]*Field, len(blk.byFold))
		for _, f := range blk.byFold {
			blk.byName[f.Name] = f
		}
	}
	c.Job = c.Blocks["Job"]
	if c.Job == nil {
		return nil, fmt.Errorf("no Job definition")
	}
	return c, nil
}

func (c *Catalogue) typeOf(p *rawProp) (*Type, error) {
	if p.Ref != "" {
		name := strings.TrimPrefix(p.Ref, "#/definitions/")
		b := c.Blocks[name]
		if b == nil {
			return nil, fmt.Errorf("unknown $ref %q", p.Ref)
		}
		return &Type{Kind: KindBlock, Block: b}, nil
	}
	switch p.Type {
	case "string":
		return &Type{Kind: KindString}, nil
	case "integer":
		if p.Unit == "ns" {
			return &Type{Kind: KindDuration}, nil
		}
		return &Type{Kind: KindInt}, nil
	case "number":
		return &Type{Kind: KindNumber}, nil
	case "boolean":
		return &Type{Kind: KindBool}, nil
	case "array":
		if p.Items == nil {
			return &Type{Kind: KindList, Elem: &Type{Kind: KindAny}}, nil
		}
		e, err := c.typeOf(p.Items)
		if err != nil {
			return nil, err
		}
		return &Type{Kind: KindList, Elem: e}, nil
	case "object":
		if !p.Data {
			return &Type{Kind: KindObject}, nil
		}
		t := &Type{Kind: KindMap}
		if len(p.Additional) > 0 && p.Additional[0] == '{' {
			var ap rawProp
			if err := json.Unmarshal(p.Additional, &ap); err != nil {
				return nil, err
			}
			e, err := c.typeOf(&ap)
			if err != nil {
				return nil, err
			}
			t.Elem = e
		}
		return t, nil
	case "":
		return &Type{Kind: KindAny}, nil
	}
	return nil, fmt.Errorf("unsupported type %q", p.Type)
}

// String describes a type for messages: "string", "list of Constraint", ...
func (t *Type) String() string {
	switch t.Kind {
	case KindString:
		return "a string"
	case KindInt:
		return "a whole number"
	case KindDuration:
		return "a whole number of nanoseconds"
	case KindNumber:
		return "a number"
	case KindBool:
		return "true or false"
	case KindObject, KindMap:
		return "an object"
	case KindBlock:
		return "an object (" + t.Block.Name + ")"
	case KindList:
		return "a list"
	}
	return "any value"
}

package jsonschema

// Tests of jobkit's patch (see PATCHES.md): each draft's metaschemas are
// compiled on first use, not in the package's init. Run from jobkit's root
// module: go test -race github.com/santhosh-tekuri/jsonschema/v6

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
)

var allDrafts = []*Draft{Draft4, Draft6, Draft7, Draft2019, Draft2020}

// compiledAtInit lists the drafts whose metaschema was compiled before any
// test ran: the patch's point is that there are none.
var compiledAtInit []string

func TestMain(m *testing.M) {
	for _, d := range allDrafts {
		if d.sch != nil || d.vocabSchemas != nil {
			compiledAtInit = append(compiledAtInit, d.url)
		}
	}
	os.Exit(m.Run())
}

func TestNoMetaschemaCompiledAtInit(t *testing.T) {
	if len(compiledAtInit) > 0 {
		t.Fatalf("metaschemas compiled by the package's init: %v", compiledAtInit)
	}
}

// freshDraft returns a copy of d whose metaschemas are not compiled yet.
func freshDraft(d *Draft) *Draft {
	return &Draft{
		version:       d.version,
		url:           d.url,
		id:            d.id,
		subschemas:    d.subschemas,
		vocabPrefix:   d.vocabPrefix,
		allVocabs:     d.allVocabs,
		defaultVocabs: d.defaultVocabs,
	}
}

// compileString compiles schema as the document at url with draft as the
// compiler's default.
func compileString(t *testing.T, draft *Draft, url, schema string, resources map[string]string) error {
	t.Helper()
	c := NewCompiler()
	c.DefaultDraft(draft)
	for u, s := range resources {
		doc, err := UnmarshalJSON(strings.NewReader(s))
		if err != nil {
			t.Fatalf("resource %s: %v", u, err)
		}
		if err := c.AddResource(u, doc); err != nil {
			t.Fatalf("add resource %s: %v", u, err)
		}
	}
	doc, err := UnmarshalJSON(strings.NewReader(schema))
	if err != nil {
		t.Fatalf("schema: %v", err)
	}
	if err := c.AddResource(url, doc); err != nil {
		return err
	}
	_, err = c.Compile(url)
	return err
}

// Every draft still checks schemas against its metaschema, compiled when
// the first schema of that draft is compiled.
func TestEachDraftChecksSchemasOnFirstUse(t *testing.T) {
	for _, d := range allDrafts {
		t.Run(d.url, func(t *testing.T) {
			d := freshDraft(d)
			if err := compileString(t, d, "mem:valid.json", `{"type": "string", "minLength": 1}`, nil); err != nil {
				t.Fatalf("valid schema: %v", err)
			}
			if d.sch == nil {
				t.Fatal("metaschema not compiled after the first schema of the draft")
			}
			err := compileString(t, d, "mem:invalid.json", `{"type": 1}`, nil)
			var sve *SchemaValidationError
			if !errors.As(err, &sve) {
				t.Fatalf(`{"type": 1}: got %v, want a *SchemaValidationError`, err)
			}
		})
	}
}

// Drafts 2019-09 and 2020-12 check a schema against the vocabularies its
// metaschema lists: those come from vocabSchema.
func TestVocabularySchemasOnFirstUse(t *testing.T) {
	meta := func(vocabs ...string) string {
		var b strings.Builder
		b.WriteString(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "mem:meta.json", "$vocabulary": {`)
		for i, v := range vocabs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(`"https://json-schema.org/draft/2020-12/vocab/` + v + `": true`)
		}
		b.WriteString(`}}`)
		return b.String()
	}
	const schema = `{"$schema": "mem:meta.json", "minLength": "one"}`
	tests := []struct {
		name    string
		vocabs  []string
		wantErr bool
	}{
		// "minLength" belongs to the validation vocabulary: checked only
		// when the metaschema lists it.
		{"with validation", []string{"core", "applicator", "validation"}, true},
		{"without validation", []string{"core", "applicator"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The dialect is the package's Draft2020, named by the
			// metaschema's own $schema.
			err := compileString(t, Draft7, "mem:schema.json", schema, map[string]string{"mem:meta.json": meta(tt.vocabs...)})
			if got := err != nil; got != tt.wantErr {
				t.Fatalf("error = %v, want an error: %v", err, tt.wantErr)
			}
			if Draft2020.vocabSchemas == nil {
				t.Fatal("vocabulary schemas not compiled")
			}
		})
	}
}

// The first use may come from several goroutines at once (go test -race).
func TestConcurrentFirstUse(t *testing.T) {
	d := freshDraft(Draft7)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func(i int) { // the module is go 1.21: one i for the whole loop
			defer wg.Done()
			c := NewCompiler()
			c.DefaultDraft(d)
			if err := c.AddResource("mem:invalid.json", map[string]any{"type": 1.0}); err != nil {
				errs[i] = err
				return
			}
			_, errs[i] = c.Compile("mem:invalid.json")
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		var sve *SchemaValidationError
		if !errors.As(err, &sve) {
			t.Errorf("goroutine %d: got %v, want a *SchemaValidationError", i, err)
		}
	}
}

package jobschema

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/nomad/api"
)

// fill sets every pointer, slice and map of v to one non-zero element so
// that json.Marshal prints every field api.Job has.
func fill(v reflect.Value, depth int) {
	if depth > 10 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		if k.Kind() == reflect.String {
			k.SetString("k")
		}
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

// TestAPIOutputKeysKnown checks the other direction of the conformance
// test: every key api.Job prints (as in `nomad job inspect` output) is in
// the catalogue, so re-submitted API output gets no unknown-key errors.
func TestAPIOutputKeysKnown(t *testing.T) {
	var job api.Job
	fill(reflect.ValueOf(&job).Elem(), 0)
	b, err := json.Marshal(&job)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var unknown []string
	walkKnown(v, &Type{Kind: KindBlock, Block: JobBlock()}, "Job", &unknown)
	if len(unknown) > 0 {
		t.Errorf("api.Job prints keys the catalogue lacks:\n%s", strings.Join(unknown, "\n"))
	}
}

func walkKnown(v any, t *Type, path string, unknown *[]string) {
	switch t.Kind {
	case KindBlock:
		m, _ := v.(map[string]any)
		for k, val := range m {
			f := t.Block.Field(k)
			if f == nil {
				*unknown = append(*unknown, path+"."+k)
				continue
			}
			walkKnown(val, f.Type, path+"."+k, unknown)
		}
	case KindList:
		for _, it := range asList(v) {
			walkKnown(it, t.Elem, path+"[]", unknown)
		}
	case KindMap:
		if t.Elem != nil {
			m, _ := v.(map[string]any)
			for k, val := range m {
				walkKnown(val, t.Elem, path+"."+k, unknown)
			}
		}
	}
}

func asList(v any) []any { l, _ := v.([]any); return l }

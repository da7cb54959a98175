package literal

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// The raw texts below were checked against Node.js 20 running the node's own
// two regexes (interpolateOperation.ts) over the same inputs.
func TestFind(t *testing.T) {
	tests := []struct {
		in   string
		want []Literal
	}{
		{"no literal here", nil},
		{"%%ops.train.results.loss%%", []Literal{{0, 26, "%%ops.train.results.loss%%", "ops", "train", []string{"results", "loss"}}}},
		{"http://%%ops.api.host%%:8080/v1", []Literal{{7, 23, "%%ops.api.host%%", "ops", "api", []string{"host"}}}},
		// A two-part ops literal is not one: the op-id pattern runs on to the next literal.
		{"x %%ops.a%% and %%ops.b.host%% y", []Literal{{2, 30, "%%ops.a%% and %%ops.b.host%%", "ops", "a%% and %%ops", []string{"b", "host"}}}},
		{"%%global.variables.MODEL%%/%%globals.job%%", []Literal{
			{0, 26, "%%global.variables.MODEL%%", "global", "", []string{"variables", "MODEL"}},
			{27, 42, "%%globals.job%%", "globals", "", []string{"job"}},
		}},
		{"%%globals.variables.X%%", nil},
		{"%%ops.a.b.c.d%%%%global.job%%", []Literal{
			{0, 15, "%%ops.a.b.c.d%%", "ops", "a", []string{"b", "c", "d"}},
			{15, 29, "%%global.job%%", "global", "", []string{"job"}},
		}},
		{"%%ops.a.host..%%", []Literal{{0, 16, "%%ops.a.host..%%", "ops", "a", []string{"host", "", ""}}}},
		{"%%ops.a.%%", nil},
		{"%%global.%%", nil},
		{"%%ops.a b.host%%", []Literal{{0, 16, "%%ops.a b.host%%", "ops", "a b", []string{"host"}}}},
		{"%%%ops.a.host%%%", []Literal{{1, 15, "%%ops.a.host%%", "ops", "a", []string{"host"}}}},
		{"%%global.job%%%%global.host%%", []Literal{{0, 29, "%%global.job%%%%global.host%%", "global", "", []string{"job%%%%global", "host"}}}},
		{"%%ops.a.endpoint.8080%%:%%ops.b.endpoint.80%%", []Literal{
			{0, 23, "%%ops.a.endpoint.8080%%", "ops", "a", []string{"endpoint", "8080"}},
			{24, 45, "%%ops.b.endpoint.80%%", "ops", "b", []string{"endpoint", "80"}},
		}},
		{"%%global.a.b%%c%%", []Literal{{0, 14, "%%global.a.b%%", "global", "", []string{"a", "b"}}}},
		{"%%ops.x.host%% %%global.job.%%", []Literal{{0, 14, "%%ops.x.host%%", "ops", "x", []string{"host"}}}},
		{"%%GLOBAL.job%%", nil},
		{"%%ops..host%%", nil},
		{"%%ops.a.h ost%%", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Find(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Find(%q)\n got %#v\nwant %#v", tt.in, got, tt.want)
			}
			if Contains(tt.in) != (len(tt.want) > 0) {
				t.Errorf("Contains(%q) = %v", tt.in, !(len(tt.want) > 0))
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		scope   string
		op      string
		path    []string
		errPart string // "" means no error
	}{
		{"%%ops.train.results.loss%%", "ops", "train", []string{"results", "loss"}, ""},
		{"%%ops.web.endpoint.8080%%", "ops", "web", []string{"endpoint", "8080"}, ""},
		{"%%ops.web.deployment_endpoint%%", "ops", "web", []string{"deployment_endpoint"}, ""},
		{"%%ops.a.host..%%", "ops", "a", []string{"host", "", ""}, ""},
		{"%%ops.my op.host%%", "ops", "my op", []string{"host"}, ""},
		{"%%global.job%%", "global", "", []string{"job"}, ""},
		{"%%globals.frps_address%%", "globals", "", []string{"frps_address"}, ""},
		{"%%global.variables.MODEL_NAME%%", "global", "", []string{"variables", "MODEL_NAME"}, ""},
		{"%%global.a key%%", "global", "", []string{"a key"}, ""},
		{"%%ops.train%%", "ops", "train", nil, "names no path"},
		{"%%ops.%%", "ops", "", nil, "names no op"},
		{"%%ops.a.%%", "ops", "a", []string{""}, "empty path"},
		{"%%ops.a.res ults%%", "ops", "a", []string{"res ults"}, "only letters"},
		{"%%globals.variables.X%%", "globals", "", []string{"variables", "X"}, "not %%globals."},
		{"%%global.%%", "global", "", []string{""}, "names no key"},
		{"%%global.variables.%%", "global", "", []string{"variables", ""}, "empty sub-key"},
		{"%%op.a.host%%", "op", "", nil, "unknown scope"},
		{"ops.a.host%%", "", "", nil, "starts with %%"},
		{"%%ops.a.host", "", "", nil, "not closed"},
		{"%%ops.a%%b.host%%", "", "", nil, "cannot contain %%"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			l, err := Parse(tt.in)
			if tt.errPart == "" {
				if err != nil {
					t.Fatalf("Parse(%q): %v", tt.in, err)
				}
				// What Parse accepts, the node reads as one literal spanning it all.
				if f := Find(tt.in); len(f) != 1 || f[0].Start != 0 || f[0].End != len(tt.in) || !reflect.DeepEqual(f[0], l) {
					t.Errorf("Find(%q) = %#v, want the same literal as Parse: %#v", tt.in, f, l)
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Fatalf("Parse(%q) error = %v, want one containing %q", tt.in, err, tt.errPart)
			}
			if l.Scope != tt.scope || l.Op != tt.op || !reflect.DeepEqual(l.Path, tt.path) {
				t.Errorf("Parse(%q) = scope %q op %q path %#v, want %q %q %#v", tt.in, l.Scope, l.Op, l.Path, tt.scope, tt.op, tt.path)
			}
		})
	}
	if _, err := Parse("plain"); !errors.Is(err, ErrNotLiteral) {
		t.Errorf("Parse(plain) = %v, want ErrNotLiteral", err)
	}
}

func TestPartial(t *testing.T) {
	tests := []struct {
		in    string // | marks the cursor
		ok    bool
		start int
		scope string
		op    string
		path  []string
	}{
		{"%%|", true, 0, "", "", nil},
		{"%%op|", true, 0, "op", "", nil},
		{"%%ops.tr|", true, 0, "ops", "tr", nil},
		{"echo %%ops.train.|", true, 5, "ops", "train", []string{""}},
		{"%%ops.train.results.l|", true, 0, "ops", "train", []string{"results", "l"}},
		{"%%ops.tr|ain.host%%", true, 0, "ops", "tr", nil},
		{"%%global.variables.|", true, 0, "global", "", []string{"variables", ""}},
		{"%%glo|", true, 0, "glo", "", nil},
		{"%%ops.a.host%% %%globals.j|", true, 15, "globals", "", []string{"j"}},
		{"%%ops.a.host%%|", false, 0, "", "", nil},
		{"%%ops.a.host%%x|", false, 0, "", "", nil},
		{"plain te|xt", false, 0, "", "", nil},
		{"%%ops a|", false, 0, "", "", nil},
		{"|", false, 0, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			cursor := strings.Index(tt.in, "|")
			s := tt.in[:cursor] + tt.in[cursor+1:]
			l, ok := Partial(s, cursor)
			if ok != tt.ok {
				t.Fatalf("Partial(%q, %d) ok = %v, want %v (%#v)", s, cursor, ok, tt.ok, l)
			}
			if !ok {
				return
			}
			if l.Start != tt.start || l.End != cursor || l.Raw != s[tt.start:cursor] || l.Scope != tt.scope || l.Op != tt.op || !reflect.DeepEqual(l.Path, tt.path) {
				t.Errorf("Partial(%q, %d) = %#v, want start %d scope %q op %q path %#v", s, cursor, l, tt.start, tt.scope, tt.op, tt.path)
			}
		})
	}
	for _, c := range []int{-1, 100} {
		if _, ok := Partial("%%ops", c); ok {
			t.Errorf("Partial with cursor %d out of range reported a literal", c)
		}
	}
}

func TestStrays(t *testing.T) {
	s := "a %%ops.train%% see b.c then %%globals.variables.X%% c %%ops.x.host%% d %%nope%%"
	got := Strays(s, Find(s))
	var raws []string
	for _, c := range got {
		if s[c.Start:c.End] != c.Raw {
			t.Errorf("stray %#v: span does not match its text", c)
		}
		raws = append(raws, c.Raw)
	}
	want := []string{"%%ops.train%%", "%%globals.variables.X%%"}
	if !reflect.DeepEqual(raws, want) {
		t.Errorf("Strays = %q, want %q", raws, want)
	}
}

func TestSourceSpan(t *testing.T) {
	tests := []struct {
		token   string
		decoded string
		lit     string // the literal to locate in decoded
		want    string // the source text the span must cover
		exact   bool
	}{
		{`"%%ops.a.host%%"`, "%%ops.a.host%%", "%%ops.a.host%%", "%%ops.a.host%%", true},
		{`"x\n\"%%ops.a.host%%\""`, "x\n\"%%ops.a.host%%\"", "%%ops.a.host%%", "%%ops.a.host%%", true},
		{`"\u00e9 %%global.job%%"`, "é %%global.job%%", "%%global.job%%", "%%global.job%%", true},
		{`"\ud83d\ude00%%global.job%%"`, "😀%%global.job%%", "%%global.job%%", "%%global.job%%", true},
		{`"\u0025%global.job%%"`, "%%global.job%%", "%%global.job%%", `\u0025%global.job%%`, true},
		{`'%%global.job%%'`, "%%global.job%%", "%%global.job%%", "%%global.job%%", true},
		// The decoded value does not match the token: fall back to the whole token.
		{`"%%global.job%%"`, "something else %%global.job%%", "%%global.job%%", `"%%global.job%%"`, false},
		{`"%%global.job%%`, "%%global.job%%", "%%global.job%%", "%%global.job%%", true},
		{`%%global.job%%`, "%%global.job%%", "%%global.job%%", "%%global.job%%", false},
	}
	for _, tt := range tests {
		t.Run(tt.token, func(t *testing.T) {
			start := strings.Index(tt.decoded, tt.lit)
			s, e, exact := SourceSpan([]byte(tt.token), tt.decoded, start, start+len(tt.lit))
			if exact != tt.exact || tt.token[s:e] != tt.want {
				t.Errorf("SourceSpan = %q exact %v, want %q exact %v", tt.token[s:e], exact, tt.want, tt.exact)
			}
		})
	}
}

func TestDocumentSpan(t *testing.T) {
	doc := []byte(`{"cmd": "a\tb %%ops.x.host%%"}`)
	tok := strings.Index(string(doc), `"a`)
	end := strings.LastIndex(string(doc), `"`) + 1
	value := "a\tb %%ops.x.host%%"
	l := Find(value)[0]
	s, e, exact := DocumentSpan(doc, tok, end, value, l.Start, l.End)
	if !exact || string(doc[s:e]) != "%%ops.x.host%%" {
		t.Errorf("DocumentSpan = %q exact %v", doc[s:e], exact)
	}
	if _, _, exact := DocumentSpan(doc, -1, 3, value, 0, 1); exact {
		t.Error("DocumentSpan accepted a token outside the document")
	}
}

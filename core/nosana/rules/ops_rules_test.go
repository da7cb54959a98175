package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// opsRules lists the rules about ops, dependencies and literals, in registration order.
func opsRules() []*rule.Rule {
	return []*rule.Rule{duplicateOpID, opTypeArgsMismatch, unknownDependency, dependencyCycle,
		dependencyGroupOrder, dependencyNeverReady, literalReference, unreferenceableID,
		resultsRegex, networkAlias, logisticsConfidential}
}

func TestOpsRulesRegistered(t *testing.T) {
	all := Rules()
	for _, r := range opsRules() {
		if !slices.Contains(all, r) {
			t.Errorf("rule %s is not registered in Rules()", r.ID)
		}
		if r.Format != rule.Nosana || r.Check == nil || r.Summary == "" {
			t.Errorf("rule %s: format %q, check set %v, summary %q", r.ID, r.Format, r.Check != nil, r.Summary)
		}
	}
}

// lintA runs the rules about ops, dependencies and literals over a job built from ops (JSON objects)
// and extra top-level members.
func lintOps(t *testing.T, top string, ops ...string) (string, []diag.Diagnostic) {
	t.Helper()
	src := `{"version": "0.1", "type": "container", ` + top + `"ops": [` + strings.Join(ops, ",\n") + `]}`
	doc := jsonast.Parse([]byte(src))
	if doc.HasSyntaxErrors() {
		t.Fatalf("test job is not valid JSON: %s\n%v", src, doc.Syntax)
	}
	return src, rule.NewContext(doc, rule.Options{}).Run(opsRules())
}

// opA builds an op; extra is more members ("execution": …).
func opOf(id, args, extra string) string {
	s := fmt.Sprintf(`{"id": %q, "type": "container/run", "args": {"image": "ubuntu:22.04"%s}`, id, args)
	if extra != "" {
		s += ", " + extra
	}
	return s + "}"
}

// want is one expected diagnostic: its rule, severity, the text its range
// covers, and a piece of its message.
type want struct {
	rule string
	sev  diag.Severity
	at   string
	msg  string
}

func expect(t *testing.T, src string, got []diag.Diagnostic, wants ...want) {
	t.Helper()
	var lines []string
	for _, d := range got {
		lines = append(lines, fmt.Sprintf("%s %s %q: %s", d.Rule, d.Severity, src[d.Range.Start.Offset:d.Range.End.Offset], d.Message))
	}
	if len(got) != len(wants) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(wants), strings.Join(lines, "\n"))
	}
	for _, w := range wants {
		found := false
		for _, d := range got {
			if d.Rule == w.rule && d.Severity == w.sev && src[d.Range.Start.Offset:d.Range.End.Offset] == w.at && strings.Contains(d.Message, w.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("missing %s %s at %q with %q; got:\n%s", w.rule, w.sev, w.at, w.msg, strings.Join(lines, "\n"))
		}
	}
}

// applyA applies a fix's edits to src.
func applyFixText(src string, f diag.Fix) string {
	edits := slices.Clone(f.Edits)
	slices.SortFunc(edits, func(a, b diag.TextEdit) int { return b.Range.Start.Offset - a.Range.Start.Offset })
	for _, e := range edits {
		src = src[:e.Range.Start.Offset] + e.NewText + src[e.Range.End.Offset:]
	}
	return src
}

func TestDependencies(t *testing.T) {
	g := `"execution": {"group": "g"}`
	t.Run("clean", func(t *testing.T) {
		src, ds := lintOps(t, "", opOf("a", "", g), opOf("b", "", `"execution": {"group": "g", "depends_on": ["a"]}`),
			opOf("c", "", ""), opOf("d", "", `"execution": {"depends_on": ["c"]}`))
		expect(t, src, ds)
	})
	t.Run("unknown and self", func(t *testing.T) {
		src, ds := lintOps(t, "", opOf("train", "", g), opOf("b", "", `"execution": {"group": "g", "depends_on": ["trian", "b", "zzzzzz"]}`))
		expect(t, src, ds,
			want{"unknown-dependency", diag.Error, `"trian"`, `did you mean "train"?`},
			want{"unknown-dependency", diag.Error, `"b"`, "depends on itself"},
			want{"unknown-dependency", diag.Error, `"zzzzzz"`, `op "zzzzzz" does not exist; the ops are "train", "b"`})
		for _, d := range ds {
			if strings.Contains(d.Message, "itself") {
				if out := applyFixText(src, d.Fixes[0]); !strings.Contains(out, `"depends_on": ["trian", "zzzzzz"]`) {
					t.Errorf("removing the self-dependency gave %s", out)
				}
			}
		}
	})
	t.Run("cycle", func(t *testing.T) {
		src, ds := lintOps(t, "",
			opOf("a", "", `"execution": {"group": "g", "depends_on": ["b"]}`),
			opOf("b", "", `"execution": {"group": "g", "depends_on": ["a"]}`),
			opOf("c", "", `"execution": {"group": "g", "depends_on": ["a", "c"]}`))
		expect(t, src, ds,
			want{"dependency-cycle", diag.Error, `"b"`, "dependency cycle a → b → a"},
			want{"unknown-dependency", diag.Error, `"c"`, "itself"})
	})
	t.Run("groups", func(t *testing.T) {
		src, ds := lintOps(t, "",
			opOf("a", "", `"execution": {"group": "x"}`),
			opOf("b", "", `"execution": {"group": "y", "depends_on": ["a"]}`),
			opOf("c", "", `"execution": {"depends_on": ["a", "d"]}`),
			opOf("d", "", ""))
		expect(t, src, ds,
			want{"dependency-group-order", diag.Error, `"a"`, `op "b" is in group "y" but depends on "a", which is in group "x"`},
			want{"dependency-group-order", diag.Error, `"a"`, `op "c" is in no execution.group but depends on "a"`},
			want{"dependency-group-order", diag.Warning, `"d"`, "comes later in ops"})
	})
	t.Run("never ready", func(t *testing.T) {
		hc := `"expose": [{"port": 80, "health_checks": [{"type": "http", "path": "/", "method": "GET", "expected_status": 200, "continuous": true}]}]`
		src, ds := lintOps(t, "",
			opOf("bare", `, "expose": 80`, g), opOf("checked", ", "+hc, g), opOf("single", `, "expose": {"port": 80}`, g),
			opOf("dyn", `, "expose": "%%global.variables.PORTS%%"`, g),
			opOf("user", "", `"execution": {"group": "g", "depends_on": ["bare", "checked", "single", "dyn"]}`))
		expect(t, src, ds,
			want{"dependency-never-ready", diag.Warning, `"bare"`, `give "bare"'s port a health check, e.g. {"port": 80,`},
			want{"literal-reference", diag.Error, `%%global.variables.PORTS%%`, `variable "PORTS", which global.variables does not declare`})
		for _, d := range ds {
			if d.Rule != "dependency-never-ready" {
				continue
			}
			out := applyFixText(src, d.Fixes[0])
			if !strings.Contains(out, `"expose": [{"port": 80, "health_checks": [{"type": "http"`) {
				t.Fatalf("health-check fix gave %s", out)
			}
			_, again := lintOps(t, "", strings.TrimSuffix(strings.SplitN(out, `"ops": [`, 2)[1], "]}"))
			for _, a := range again {
				if a.Rule == "dependency-never-ready" {
					t.Errorf("after the fix: %s", a.Message)
				}
			}
		}
	})
}

func TestOpsAndTypes(t *testing.T) {
	src, ds := lintOps(t, "",
		opOf("x", "", ""), opOf("x", "", ""), opOf("x", "", ""),
		`{"id": "vol", "type": "container/run", "args": {"name": "vol"}}`,
		`{"id": "run", "type": "container/create-volume", "args": {"image": "ubuntu:22.04"}}`,
		`{"id": "ok", "type": "container/create-volume", "args": {"name": "v"}}`,
		opOf("a.b c", "", `"results": {"ok-key_1": "x", "bad key": "y", "a.b": "z"}`))
	expect(t, src, ds,
		want{"duplicate-op-id", diag.Error, `"x"`, `op id "x" is already used by ops[0]`},
		want{"duplicate-op-id", diag.Error, `"x"`, `op id "x" is already used by ops[0]`},
		want{"op-type-args-mismatch", diag.Error, `"container/run"`, `write "type": "container/create-volume"`},
		want{"op-type-args-mismatch", diag.Error, `"container/create-volume"`, `write "type": "container/run"`},
		want{"unreferenceable-id", diag.Warning, `"a.b c"`, `contains "." and a space`},
		want{"unreferenceable-id", diag.Warning, `"bad key"`, `e.g. "bad_key"`},
		want{"unreferenceable-id", diag.Warning, `"a.b"`, `e.g. "a_b"`})
	var renames []string
	for _, d := range ds {
		if d.Rule == "duplicate-op-id" {
			renames = append(renames, d.Fixes[0].Edits[0].NewText)
		}
		if d.Rule == "op-type-args-mismatch" && (len(d.Fixes) != 1 || !d.Fixes[0].Safe) {
			t.Errorf("op-type-args-mismatch should offer one safe fix: %+v", d.Fixes)
		}
	}
	if !slices.Equal(renames, []string{`"x-2"`, `"x-3"`}) {
		t.Errorf("duplicate renames = %q, want distinct new ids", renames)
	}
}

func TestLiteralReferences(t *testing.T) {
	top := `"deployment_id": "dep", "global": {"variables": {"MODEL": "m", "EMPTY": ""}}, `
	train := opOf("train", `, "expose": [8080]`, `"results": {"loss": "loss: [0-9.]+"}, "execution": {"group": "one"}`)
	cases := []struct {
		name  string
		value string // the cmd of an op in group "two" (after train's group)
		wants []want
	}{
		{"valid", `%%ops.train.results.loss%% %%ops.train.host%% %%ops.train.endpoint.8080%% %%ops.train.deployment_endpoint%% %%global.variables.MODEL%% %%global.variables.EMPTY%% %%globals.project%%`, nil},
		{"unknown op", `x %%ops.trian.host%%`, []want{{"literal-reference", diag.Error, "%%ops.trian.host%%", `did you mean "train"?`}}},
		{"undeclared result", `%%ops.train.results.los%%`, []want{{"literal-reference", diag.Error, "%%ops.train.results.los%%", `did you mean "loss"?`}}},
		{"result without key", `%%ops.train.results%%`, []want{{"literal-reference", diag.Warning, "%%ops.train.results%%", "names no result key"}}},
		{"port", `%%ops.train.endpoint.80%%`, []want{{"literal-reference", diag.Error, "%%ops.train.endpoint.80%%", "exposes only 8080"}}},
		{"unknown path", `%%ops.train.hots%%`, []want{{"literal-reference", diag.Error, "%%ops.train.hots%%", `reads "hots", which the node does not know`}}},
		{"below host", `%%ops.train.host.x%%`, []want{{"literal-reference", diag.Error, "%%ops.train.host.x%%", "below host"}}},
		{"global key", `%%global.projcet%%`, []want{{"literal-reference", diag.Error, "%%global.projcet%%", `did you mean "project"?`}}},
		{"variables object", `%%global.variables%%`, []want{{"literal-reference", diag.Warning, "%%global.variables%%", "[object Object]"}}},
		{"variable", `%%global.variables.MODLE%%`, []want{{"literal-reference", diag.Error, "%%global.variables.MODLE%%", `did you mean "MODEL"?`}}},
		{"sub-key", `%%global.job.id%%`, []want{{"literal-reference", diag.Error, "%%global.job.id%%", "has no sub-keys"}}},
		{"globals three-part", `%%globals.variables.MODEL%%`, []want{{"literal-reference", diag.Error, "%%globals.variables.MODEL%%", "must be written %%global.variables.MODEL%%"}}},
		{"stray", `%%ops.train%%`, []want{{"literal-reference", diag.Warning, "%%ops.train%%", "names no path"}}},
		{"case", `%%GLOBAL.job%%`, []want{{"literal-reference", diag.Warning, "%%GLOBAL.job%%", `unknown scope "GLOBAL"`}}},
		{"printf", `printf %%s.%%d %%env.HOME%%`, nil},
		{"merged", `%%global.job%% %%ops.train.host%%`, []want{{"literal-reference", diag.Error, "%%global.job%% %%ops.train.host%%", `because %%global.job%% comes first`}}},
		{"escaped", `say \"%%ops.trian.host%%\"\n`, []want{{"literal-reference", diag.Error, "%%ops.trian.host%%", `did you mean "train"?`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src, ds := lintOps(t, top, train, opOf("use", `, "cmd": "`+tc.value+`"`, `"execution": {"group": "two"}`))
			expect(t, src, ds, tc.wants...)
			for _, d := range ds {
				for _, f := range d.Fixes {
					out := applyFixText(src, f)
					_, again := lintOps(t, top, strings.TrimSuffix(strings.SplitN(out, `"ops": [`, 2)[1], "]}"))
					for _, a := range again {
						if a.Rule == d.Rule && a.Range.Start.Offset == d.Range.Start.Offset {
							t.Errorf("fix %q left %q", f.Title, a.Message)
						}
					}
				}
			}
		})
	}
}

func TestLiteralOrdering(t *testing.T) {
	hc := `"expose": [{"port": 80, "health_checks": [{"type": "http", "path": "/", "method": "GET", "expected_status": 200, "continuous": true}]}]`
	src, ds := lintOps(t, "",
		opOf("early", `, "cmd": "%%ops.late.results.r%% %%ops.late.host%%"`, ""),
		opOf("late", ", "+hc, `"results": {"r": "r"}`),
		opOf("same1", `, "cmd": "%%ops.same2.host%%"`, `"execution": {"group": "g"}`),
		opOf("same2", ", "+hc, `"execution": {"group": "g"}`),
		opOf("dep", `, "cmd": "%%ops.same2.endpoint.80%% %%ops.self.host%% %%ops.same1.results.x%%"`, `"execution": {"group": "g", "depends_on": ["same2"]}`),
		opOf("self", `, "cmd": "%%ops.self.results.r%%"`, ""))
	expect(t, src, ds,
		want{"literal-reference", diag.Error, "%%ops.late.results.r%%", "runs in a later group"},
		want{"literal-reference", diag.Warning, "%%ops.late.host%%", "runs in a later group"},
		want{"literal-reference", diag.Warning, "%%ops.same2.host%%", "runs in the same group"},
		want{"literal-reference", diag.Warning, "%%ops.self.host%%", `reads op "self", which runs in a later group`},
		want{"literal-reference", diag.Error, "%%ops.self.results.r%%", `reads a result of op "self" itself`},
		want{"literal-reference", diag.Error, "%%ops.same1.results.x%%", `declares no "results"`})
	for _, d := range ds {
		if strings.Contains(d.Message, "%%ops.same2.host%%") {
			if len(d.Fixes) != 0 {
				t.Errorf("same1 has no depends_on array, yet a fix was offered: %+v", d.Fixes)
			}
		}
	}
	// With a depends_on array the fix adds the op to it.
	src, ds = lintOps(t, "",
		opOf("api", ", "+hc, `"execution": {"group": "g"}`),
		opOf("db", "", `"execution": {"group": "g"}`),
		opOf("web", `, "cmd": "%%ops.api.host%%"`, `"execution": {"group": "g", "depends_on": ["db"]}`))
	expect(t, src, ds, want{"literal-reference", diag.Warning, "%%ops.api.host%%", "runs in the same group"})
	if out := applyFixText(src, ds[0].Fixes[0]); !strings.Contains(out, `"depends_on": ["db", "api"]`) {
		t.Errorf("depends_on fix gave %s", out)
	}

	// A result of an op in the same group is never readable, depends_on or
	// not: depends_on waits for the start, results exist after the end.
	src, ds = lintOps(t, "",
		opOf("gen", "", `"results": {"r": "r"}, "execution": {"group": "g"}`),
		opOf("use", `, "cmd": "%%ops.gen.results.r%%"`, `"execution": {"group": "g", "depends_on": ["gen"]}`))
	expect(t, src, ds, want{"literal-reference", diag.Error, "%%ops.gen.results.r%%", "execution.depends_on only waits until it has started"})
	if len(ds[0].Fixes) != 0 {
		t.Errorf("a depends_on fix was offered for a same-group result: %+v", ds[0].Fixes)
	}
}

func TestLiteralsOutsideArgsIgnored(t *testing.T) {
	src, ds := lintOps(t, `"meta": {"note": "%%ops.nope.host%%"}, `, opOf("a", "", `"results": {"r": "%%ops.nope.host%%"}`))
	expect(t, src, ds)
}

func TestResultsRegexAndAliases(t *testing.T) {
	src, ds := lintOps(t, "",
		opOf("a", `, "aliases": "web,,Web-1"`, `"results": {"ok": "*", "la": "(?<=a)b", "bad": "a{3,1}", "g": "(a)(?<n>b)", "lt": {"regex": "x", "logType": ["stdin"]}}`),
		opOf("b", `, "aliases": ["web-1", "%%global.job%%", "-x"]`, ""))
	expect(t, src, ds,
		want{"alias", diag.Warning, "", "remove the empty entry"},
		want{"alias", diag.Warning, "web-1", `is also given to op "a"`},
		want{"alias", diag.Warning, "-x", "not a valid host name"},
		want{"results-regex", diag.Warning, `"a{3,1}"`, "numbers out of order"},
		want{"results-regex", diag.Info, `"(a)(?<n>b)"`, "2 capture groups"},
		want{"results-regex", diag.Warning, `"stdin"`, `logType "stdin" never matches`})
}

func TestLogistics(t *testing.T) {
	src, ds := lintOps(t, `"logistics": {"send": {"type": "api", "args": {}}, "receive": {"type": "api", "args": {}}}, `, opOf("a", "", ""))
	expect(t, src, ds, want{"logistics-confidential", diag.Info, `"logistics"`, "local runner ignores logistics"})
}

// FuzzOpsRules checks that the rules about ops, dependencies and literals never panic (a panic becomes an
// "internal error" diagnostic) and report ranges inside the document.
func FuzzOpsRules(f *testing.F) {
	for _, s := range []string{
		`{"ops": [{"id": "a", "args": {"cmd": "%%ops.b.host%%"}, "execution": {"depends_on": ["b"]}}, {"id": "b", "execution": {"depends_on": ["a"]}}]}`,
		`{"ops": [{"id": "a", "type": "container/run", "args": {"name": "x", "aliases": "a,,b"}, "results": {"x y": "("}}]}`,
		`{"logistics": {"send": {"type": "api-listen"}}, "ops": [{"id": "a.b", "args": {"env": {"X": "\"%%globals.variables.Y%%\u0025%"}}}]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		doc := jsonast.Parse([]byte(src))
		if doc.Root == nil {
			return
		}
		for _, d := range rule.NewContext(doc, rule.Options{}).Run(opsRules()) {
			if strings.Contains(d.Message, "internal error") {
				t.Fatalf("%s", d.Message)
			}
			if d.Range.Start.Offset < 0 || d.Range.End.Offset > len(src) || d.Range.Start.Offset > d.Range.End.Offset {
				t.Fatalf("%s: range %d..%d outside the document", d.Rule, d.Range.Start.Offset, d.Range.End.Offset)
			}
		}
	})
}

// BenchmarkOpsRules lints a clean 50-op job (one op per line, as jobs are
// written) with literals, dependencies, results and aliases in every op.
func BenchmarkOpsRules(b *testing.B) {
	ops := []string{`{"id": "op0", "type": "container/run", "args": {"image": "ubuntu:22.04"}, "execution": {"group": "g"}}`}
	for i := 0; i < 49; i++ {
		ops = append(ops, fmt.Sprintf(`{"id": "op%d", "type": "container/run",
  "args": {"image": "ubuntu:22.04", "cmd": "echo %%%%ops.op%d.host%%%% %%%%global.variables.V%%%%", "aliases": ["a%d"]},
  "results": {"r": "r: (?:[0-9]+)"}, "execution": {"group": "g", "depends_on": ["op%d"]}}`, i+1, i, i+1, i))
	}
	src := []byte("{\"version\": \"0.1\", \"type\": \"container\", \"global\": {\"variables\": {\"V\": \"v\"}},\n\"ops\": [\n" + strings.Join(ops, ",\n") + "]}")
	doc := jsonast.Parse(src)
	if ds := rule.NewContext(doc, rule.Options{}).Run(opsRules()); len(ds) != 0 {
		b.Fatalf("benchmark job is not clean: %v", ds[0].Message)
	}
	b.ReportAllocs()
	for b.Loop() {
		rule.NewContext(doc, rule.Options{}).Run(opsRules())
	}
}

// FuzzOpsRulesJob fuzzes the values of a well-formed job (ids, dependencies,
// literal-bearing strings, result keys and regexes, aliases), with parts
// switched on and off by mask, so that the rules see every shape of op.
func FuzzOpsRulesJob(f *testing.F) {
	f.Add("a", "b", "a", "%%ops.a.results.r%% %%ops.b.endpoint.80%%", "r", "(x", "db,web", uint16(0xffff))
	f.Add("a.b", "a.b", "c", "%%globals.variables.X%% %%global.job%%", "k y", "*", ",", uint16(0x0f0f))
	f.Fuzz(func(t *testing.T, id1, id2, dep, value, key, regex, aliases string, mask uint16) {
		on := func(bit int) bool { return mask&(1<<bit) != 0 }
		part := func(bit int, s string) string {
			if on(bit) {
				return s
			}
			return ""
		}
		op2 := `{"id": ` + jsonString(id2) + `, "type": ` + jsonString([]string{"container/run", "container/create-volume"}[mask>>15]) +
			`, "args": {"image": "ubuntu:22.04"` + part(0, `, "cmd": `+jsonString(value)) + part(1, `, "aliases": `+jsonString(aliases)) +
			[]string{"", `, "expose": [80, {"port": 81}]`, `, "expose": 80`, `, "expose": {"port": 80}`}[mask>>2&3] + part(4, `, "name": "v"`) + `}` +
			part(5, `, "results": {`+jsonString(key)+`: `+jsonString(regex)+`, "o": {"regex": `+jsonString(regex)+`, "logType": ["stdin"]}}`) +
			part(6, `, "execution": {"depends_on": [`+jsonString(dep)+`]`+part(7, `, "group": "g"`)+`}`) + `}`
		op1 := `{"id": ` + jsonString(id1) + `, "type": "container/run", "args": {"image": "ubuntu:22.04"` + part(8, `, "env": {"X": `+jsonString(value)+`}`) +
			part(9, `, "aliases": [`+jsonString(aliases)+`]`) + `}` + part(10, `, "results": {"r": "r"}`) +
			part(11, `, "execution": {"group": "g", "depends_on": [`+jsonString(id2)+`]}`) + `}`
		top := part(12, `"deployment_id": "d", `) + part(13, `"global": {"variables": {"X": ""}}, `) + part(14, `"logistics": {"send": {"type": "api-listen"}}, `)
		src := `{"version": "0.1", "type": "container", ` + top + `"ops": [` + op1 + ", " + op2 + `]}`
		// Duplicate keys (a fuzzed result key "o") are fine: the rules must cope.
		ds := rule.NewContext(jsonast.Parse([]byte(src)), rule.Options{}).Run(opsRules())
		for _, d := range ds {
			if strings.Contains(d.Message, "internal error") {
				t.Fatalf("%s\n%s", d.Message, src)
			}
			if d.Range.Start.Offset < 0 || d.Range.End.Offset > len(src) || d.Range.Start.Offset > d.Range.End.Offset {
				t.Fatalf("%s: range %d..%d outside the document", d.Rule, d.Range.Start.Offset, d.Range.End.Offset)
			}
			for _, fx := range d.Fixes {
				for _, e := range fx.Edits {
					if e.Range.Start.Offset < 0 || e.Range.End.Offset > len(src) || e.Range.Start.Offset > e.Range.End.Offset {
						t.Fatalf("%s: fix %q edits %d..%d outside the document", d.Rule, fx.Title, e.Range.Start.Offset, e.Range.End.Offset)
					}
				}
			}
		}
	})
}

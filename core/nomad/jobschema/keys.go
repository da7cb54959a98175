package jobschema

import (
	"fmt"
	"github.com/jobkit-dev/jobkit/core/textdist"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// The rules whose diagnostics come from the schema layer.
var (
	UnknownKey = &rule.Rule{ID: "nomad-unknown-key", Format: rule.Nomad, Severity: diag.Error,
		Summary: "a key Nomad does not know: it is dropped without a word"}
	KeyCase = &rule.Rule{ID: "nomad-key-case", Format: rule.Nomad, Severity: diag.Warning,
		Summary: "a key written in non-canonical casing (Nomad matches keys case-insensitively)"}
	RemovedField = &rule.Rule{ID: "nomad-removed-field", Format: rule.Nomad, Severity: diag.Warning,
		Summary: "a field from older Nomad versions that modern Nomad ignores"}
	WrongType = &rule.Rule{ID: "nomad-type", Format: rule.Nomad, Severity: diag.Error,
		Summary: "a value of the wrong JSON type: Nomad cannot decode the job"}
)

// Rules returns the schema layer's rules (their Check is nil).
func Rules() []*rule.Rule { return []*rule.Rule{UnknownKey, KeyCase, RemovedField, WrongType} }

// removed describes keys Nomad's API no longer has, by block and lower-cased key.
var removed = map[string]map[string]string{
	"ServiceCheck":    {"id": "check Id was removed from the API in Nomad 1.3; Nomad ignores it: remove it"},
	"Service":         {"id": "service Id was removed from the API in Nomad 1.3; Nomad ignores it: remove it"},
	"NetworkResource": {"public": "Public existed only in Nomad 0.5; Nomad ignores it: remove it"},
}

// removedField explains fields that are still in the catalogue but ignored.
var removedField = map[string]string{
	"Resources.DiskMB":  "DiskMB is ignored since Nomad 0.6 (the disk is the group's EphemeralDisk.SizeMB, default 300 MB): move the value to TaskGroups[].EphemeralDisk.SizeMB",
	"LogConfig.Enabled": "Enabled is ignored since Nomad 1.5: use \"Disabled\": true to turn logs off, or remove it",
}

// hclNames maps HCL block and attribute names (as people copy them from
// .nomad files) to API keys, per block.
var hclNames = map[string]map[string]string{
	"Job":             {"group": "TaskGroups", "constraint": "Constraints", "affinity": "Affinities", "spread": "Spreads", "parameterized": "ParameterizedJob", "reschedule": "Reschedule"},
	"TaskGroup":       {"task": "Tasks", "constraint": "Constraints", "affinity": "Affinities", "spread": "Spreads", "restart": "RestartPolicy", "reschedule": "ReschedulePolicy", "network": "Networks", "service": "Services", "volume": "Volumes", "ephemeraldisk": "EphemeralDisk"},
	"Task":            {"constraint": "Constraints", "affinity": "Affinities", "service": "Services", "restart": "RestartPolicy", "logs": "LogConfig", "artifact": "Artifacts", "template": "Templates", "volumemount": "VolumeMounts", "dispatchpayload": "DispatchPayload", "action": "Actions", "identity": "Identity"},
	"Resources":       {"memory": "MemoryMB", "memorymax": "MemoryMaxMB", "disk": "DiskMB", "network": "Networks", "device": "Devices", "secrets": "SecretsMB"},
	"Service":         {"port": "PortLabel", "check": "Checks", "tags": "Tags"},
	"ServiceCheck":    {"port": "PortLabel", "grpcservice": "GRPCService", "grpcusetls": "GRPCUseTLS"},
	"TaskArtifact":    {"source": "GetterSource", "options": "GetterOptions", "headers": "GetterHeaders", "mode": "GetterMode", "destination": "RelativeDest", "insecure": "GetterInsecure"},
	"Template":        {"source": "SourcePath", "destination": "DestPath", "data": "EmbeddedTmpl", "env": "Envvars", "perms": "Perms"},
	"LogConfig":       {"maxfilesize": "MaxFileSizeMB", "maxfilesizemb": "MaxFileSizeMB"},
	"EphemeralDisk":   {"size": "SizeMB"},
	"NetworkResource": {"port": "DynamicPorts", "mbits": "MBits"},
	"Port":            {"static": "Value", "to": "To"},
	"PeriodicConfig":  {"cron": "Spec", "crons": "Specs", "timezone": "TimeZone", "prohibitoverlap": "ProhibitOverlap"},
	"VolumeMount":     {"readonly": "ReadOnly"},
}

// keyPass walks the job with the catalogue, reports unknown, mis-cased and
// removed keys and integer syntax, and returns the canonicalised value that
// the JSON Schema is checked against.
type keyPass struct {
	ctx     *rule.Context
	version string
}

func (p *keyPass) block(n *jsonast.Node, b *Block) map[string]any {
	out := make(map[string]any, len(n.Members))
	for i, m := range n.Members {
		f := b.Field(m.Key)
		if f == nil {
			p.unknown(m, b)
			continue
		}
		if later := laterFold(n.Members, i); later != nil {
			// Exact duplicates are json-duplicate-key's; this is the case-folded kind.
			p.ctx.Rule = KeyCase
			kept := ""
			if v := later.Value; v != nil && v.Kind != jsonast.Object && v.Kind != jsonast.Array && v.End-v.Start <= 40 {
				kept = fmt.Sprintf(", %q: %s", later.Key, p.ctx.Doc.Text[v.Start:v.End])
			}
			p.ctx.ReportKey(m, "%s is set again as %q on line %d: Nomad matches keys case-insensitively and keeps the last one%s, so this value is ignored; remove one of them", m.Path(), later.Key, p.ctx.Doc.Lines.Range(later.KeyStart, later.KeyEnd).Start.Line, kept)
		}
		if f.Name != m.Key {
			p.ctx.Rule = KeyCase
			d := p.ctx.ReportKey(m, "key %q in %s: write it as %q (Nomad matches keys case-insensitively, so it works, but the canonical spelling is %q)", m.Key, where(m), f.Name, f.Name)
			d.Fixes = []diag.Fix{{Title: fmt.Sprintf("Rename to %q", f.Name), Safe: true,
				Edits: []diag.TextEdit{p.ctx.Edit(m.KeyStart, m.KeyEnd, strconv.Quote(f.Name))}}}
		}
		if msg, ok := removedField[b.Name+"."+f.Name]; ok && !zeroValue(m.Value) {
			p.ctx.Rule = RemovedField
			p.ctx.ReportKey(m, "%s: %s", m.Path(), msg)
			continue
		}
		if (f.Name == "VaultToken" || f.Name == "ConsulToken") && b.Name == "Job" && atLeast(p.version, 1, 10) && !zeroValue(m.Value) {
			p.ctx.Rule = RemovedField
			p.ctx.ReportKey(m, "%s: removed in Nomad 1.10 and ignored: use workload identities, and keep tokens out of job files", m.Path())
			continue
		}
		if f.Since != "" && !atLeastVersion(p.version, f.Since) {
			p.ctx.Rule = UnknownKey
			p.ctx.ReportKey(m, "%s: %q exists since Nomad %s; Nomad %s ignores this key (set the target Nomad version if you run a newer one)", m.Path(), f.Name, f.Since, p.version)
			continue
		}
		if m.Value == nil || m.Value.Kind == jsonast.Null || m.Value.Kind == jsonast.Invalid {
			delete(out, f.Name)
			continue
		}
		if v, ok := p.value(m.Value, f.Type, f.Name); ok {
			out[f.Name] = v
		} else {
			delete(out, f.Name)
		}
	}
	return out
}

// value converts n for the schema check. ok is false when the value is left
// out (reported here, or owned by a rule such as durations).
func (p *keyPass) value(n *jsonast.Node, t *Type, name string) (any, bool) {
	switch t.Kind {
	case KindDuration:
		return nil, false // nomad-duration-units owns duration values
	case KindInt:
		if n.Kind == jsonast.Number {
			if _, err := strconv.ParseInt(n.Num, 10, 64); err != nil {
				p.ctx.Rule = WrongType
				p.ctx.Report(n, "%s must be a whole number written without a fraction or exponent; Nomad cannot decode %s (it rejects the whole job)", n.Path(), n.Num)
				return nil, false
			}
		}
	case KindBlock:
		if n.Kind == jsonast.Object {
			return p.block(n, t.Block), true
		}
	case KindList:
		if n.Kind == jsonast.Array {
			out := make([]any, 0, len(n.Items))
			for _, it := range n.Items {
				if it.Kind == jsonast.Null || it.Kind == jsonast.Invalid {
					continue
				}
				if v, ok := p.value(it, t.Elem, name); ok {
					out = append(out, v)
				}
			}
			return out, true
		}
	case KindMap:
		if n.Kind == jsonast.Object && t.Elem != nil {
			out := make(map[string]any, len(n.Members))
			for _, m := range n.Members {
				if m.Value == nil || m.Value.Kind == jsonast.Null || m.Value.Kind == jsonast.Invalid {
					continue
				}
				if v, ok := p.value(m.Value, t.Elem, name); ok {
					out[m.Key] = v
				}
			}
			return out, true
		}
	}
	return n.Value(), true
}

func (p *keyPass) unknown(m *jsonast.Member, b *Block) {
	if msg, ok := removed[b.Name][strings.ToLower(m.Key)]; ok {
		if zeroValue(m.Value) {
			return // "Id": "" as old -output wrote it: nothing is lost
		}
		p.ctx.Rule = RemovedField
		p.ctx.ReportKey(m, "%s: %s", m.Path(), msg)
		return
	}
	p.ctx.Rule = UnknownKey
	where := where(m)
	s := suggest(m.Key, b)
	if s == "" {
		p.ctx.ReportKey(m, "unknown key %q in %s (%s): Nomad ignores this key", m.Key, where, b.Name)
		return
	}
	d := p.ctx.ReportKey(m, "unknown key %q in %s (%s): Nomad ignores this key; did you mean %q?", m.Key, where, b.Name, s)
	d.Fixes = []diag.Fix{{Title: fmt.Sprintf("Rename to %q", s),
		Edits: []diag.TextEdit{p.ctx.Edit(m.KeyStart, m.KeyEnd, strconv.Quote(s))}}}
}

// where names the object a member is in, for messages.
func where(m *jsonast.Member) string {
	if m.Parent == nil || m.Parent.Parent == nil {
		return "the job"
	}
	if p := m.Parent.Path(); p != "" {
		return p
	}
	return "the job"
}

// suggest finds the field a mistyped key most likely means.
func suggest(key string, b *Block) string {
	norm := normalize(key)
	if alias, ok := hclNames[b.Name][norm]; ok && b.Field(alias) != nil {
		return alias
	}
	best, bestDist := "", 3
	for _, f := range b.Fields {
		if f.Server {
			continue
		}
		fn := f.norm
		if fn == "" {
			fn = normalize(f.Name)
		}
		if rest, ok := strings.CutPrefix(fn, norm); ok && (rest == "" || rest == "s" || rest == "es") {
			return f.Name
		}
		if diff := len(norm) - len(fn); diff >= bestDist || -diff >= bestDist {
			continue // the distance is at least the length difference
		}
		if d := textdist.Levenshtein(norm, fn); d < bestDist && d <= len(norm)/3+1 {
			best, bestDist = f.Name, d
		}
	}
	return best
}

var separators = strings.NewReplacer("_", "", "-", "", " ", "")

func normalize(s string) string { return separators.Replace(strings.ToLower(s)) }

// atLeast reports whether version "X.Y" is at least major.minor.
func atLeast(version string, major, minor int) bool {
	a, b, _ := strings.Cut(version, ".")
	b, _, _ = strings.Cut(b, ".")
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil {
		return false
	}
	return x > major || x == major && y >= minor
}

// atLeastVersion reports whether version is at least min ("1.10").
func atLeastVersion(version, min string) bool {
	a, b, _ := strings.Cut(min, ".")
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil {
		return false
	}
	return atLeast(version, x, y)
}

// zeroValue reports whether v is null, 0, "" or false: what `nomad job run
// -output` writes for fields the author left out, which Nomad ignores
// without a word.
func zeroValue(v *jsonast.Node) bool {
	if v == nil {
		return true
	}
	switch v.Kind {
	case jsonast.Null, jsonast.Invalid:
		return true
	case jsonast.Number:
		return v.Num == "0"
	case jsonast.String:
		return v.Str == ""
	case jsonast.Bool:
		b, _ := v.BoolValue()
		return !b
	}
	return false
}

// laterFold returns a later member of the same object whose key differs
// from members[i]'s only in case (nil if none).
func laterFold(members []*jsonast.Member, i int) *jsonast.Member {
	for _, m := range members[i+1:] {
		if m.Key != members[i].Key && strings.EqualFold(m.Key, members[i].Key) {
			return m
		}
	}
	return nil
}

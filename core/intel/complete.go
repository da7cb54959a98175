package intel

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
	"github.com/jobkit-dev/jobkit/core/schema"
)

// Complete returns the completion items for the cursor at byte offset
// offset: keys that may go there and are not present yet, values (enums,
// booleans, snippets, and names taken from the document itself such as op
// ids, volume names and port labels), and whole new jobs in an empty
// document. Items are filtered by the word typed so far and sorted.
func Complete(text []byte, offset int, opts core.Options) []Item {
	offset = clamp(offset, 0, len(text))
	cur := scanCursor(text, offset)
	if cur.Place == atNone {
		return nil
	}
	doc := jsonast.Parse(text)
	c := &completer{text: text, doc: doc, cur: cur, format: formatOf(doc, opts)}
	if cur.Root {
		c.newJobs()
		return c.finish(cur.Partial)
	}
	if c.format == rule.Unknown {
		c.format = guessFormat(doc)
	}
	if cur.Tmpl != nil {
		if cur.Tmpl.Interp && c.format == rule.Nomad {
			c.interpolations()
		} else if !cur.Tmpl.Interp && c.format == rule.Nosana {
			c.literals()
		}
		return c.finish(cur.Tmpl.Partial)
	}
	v := c.infoAt(cur.Segs)
	if c.format == rule.Unknown && cur.Place == atKey && len(cur.Segs) == 0 {
		v = newDocumentKeys(doc)
	}
	switch cur.Place {
	case atKey:
		c.keys(v)
	case atValue:
		c.values(v)
	}
	return c.finish(cur.Partial)
}

// completer gathers the items of one completion request.
type completer struct {
	text   []byte
	doc    *jsonast.Document
	cur    cursor
	format rule.Format
	items  []Item
}

// guessFormat tells the format of a document too young or too broken to
// detect, from its top-level keys.
func guessFormat(doc *jsonast.Document) rule.Format {
	if !doc.Root.Is(jsonast.Object) {
		return rule.Unknown
	}
	for _, m := range doc.Root.Members {
		switch strings.ToLower(m.Key) {
		case "version", "ops", "global", "meta", "logistics", "deployment_id":
			return rule.Nosana
		case "job", "taskgroups", "datacenters", "id":
			return rule.Nomad
		}
	}
	return rule.Unknown
}

// infoAt describes a place in the document's format.
func (c *completer) infoAt(segs []jsonast.Segment) *info {
	return infoAt(c.doc, c.format, segs)
}

func infoAt(doc *jsonast.Document, f rule.Format, segs []jsonast.Segment) *info {
	if doc == nil {
		doc = jsonast.Parse(nil)
	}
	switch f {
	case rule.Nosana:
		if s := nosanaSchema(); s != nil {
			return fromSet(s, typedOps(doc, segs), segs)
		}
	case rule.Nomad:
		return nomadInfo(doc, segs)
	}
	return &info{}
}

// add appends an item replacing the cursor's token with newText.
func (c *completer) add(it Item, newText string) {
	c.addRange(it, c.cur.Start, c.cur.End, newText)
}

func (c *completer) addRange(it Item, start, end int, newText string) {
	it.Edit = c.doc.Edit(start, end, newText)
	c.items = append(c.items, it)
}

// punctuate adds the commas the place needs around an inserted entry.
func (c *completer) punctuate(s string) string {
	if c.cur.CommaBefore {
		s = ", " + s
	}
	if c.cur.CommaAfter {
		s += ","
	}
	return s
}

// keys proposes the keys v allows that the object does not hold yet.
func (c *completer) keys(v *info) {
	present := map[string]bool{}
	if obj := c.doc.Lookup(c.cur.Segs); obj.Is(jsonast.Object) {
		for _, m := range obj.Members {
			if m.KeyStart == c.cur.Start {
				continue // the key being typed
			}
			present[c.norm(m.Key, v.CaseInsensitive)] = true
		}
	}
	builtin := c.builtinKeyValues()
	where := pattern(c.cur.Segs, false)
	if c.format == rule.Nomad {
		rest, _, _ := nomadJobSegs(c.doc, c.cur.Segs)
		where = pattern(rest, true)
	}
	for i, k := range v.Keys {
		if present[c.norm(k.Name, v.CaseInsensitive)] {
			continue
		}
		if _, ok := withheldKeys[string(c.format)+":"+joinPath(where, c.norm(k.Name, v.CaseInsensitive))]; ok {
			continue
		}
		value := k.Value
		if b, ok := builtin[k.Name]; ok {
			value = b
		}
		text := strconv.Quote(k.Name)
		if !c.cur.HasColon {
			text += ": " + value
		}
		rank := 1
		if k.Required {
			rank = 0
		}
		c.add(Item{Label: k.Name, Kind: KindProperty, Detail: k.Type, Documentation: k.Doc,
			Snippet: true, SortText: fmt.Sprintf("%d%04d", rank, i)}, c.punctuate(text))
	}
}

func (c *completer) norm(k string, fold bool) string {
	if fold {
		return strings.ToLower(k)
	}
	return k
}

// values proposes values for the place: enums, booleans, defaults,
// snippets and names from the document.
func (c *completer) values(v *info) {
	seen := map[string]bool{}
	value := func(label, kind, detail, doc string, rank int) {
		if seen[label] {
			return
		}
		seen[label] = true
		c.add(Item{Label: label, Kind: kind, Detail: detail, Documentation: doc,
			SortText: fmt.Sprintf("%d%04d", rank, len(c.items))}, c.punctuate(label))
	}
	for _, e := range c.references() {
		value(e.label, KindReference, e.detail, e.doc, 0)
	}
	for _, e := range v.Enum {
		t := jsonText(e)
		value(t, KindValue, v.Type, v.EnumDocs[t], 1)
	}
	for _, e := range v.Examples {
		value(jsonText(e), KindValue, "example", v.EnumDocs[jsonText(e)], 2)
	}
	if len(v.Enum) == 0 && hasType(v.Types, "boolean") {
		value("true", KindKeyword, "", "", 1)
		value("false", KindKeyword, "", "", 1)
	}
	if v.HasDefault && len(v.Enum) == 0 {
		if t := jsonText(v.Default); !seen[t] {
			value(t, KindValue, "default", "The default value.", 2)
		}
	}
	for _, s := range c.snippetsFor(v) {
		if seen["snippet:"+s.Label] {
			continue
		}
		seen["snippet:"+s.Label] = true
		c.add(Item{Label: s.Label, Kind: KindSnippet, Detail: "snippet", Documentation: s.Description,
			Snippet: true, SortText: fmt.Sprintf("3%04d", len(c.items))}, c.punctuate(s.Body))
	}
}

// snippetsFor returns the schema's snippets for the place plus jobkit's own,
// and for a list place, its item snippets wrapped in a list.
func (c *completer) snippetsFor(v *info) []schema.Snippet {
	out := append(c.builtinSnippets(c.cur.Segs), vetted(v.Snippets)...)
	if v.Item != nil && hasType(v.Types, "array") {
		itemSegs := append(slices.Clone(c.cur.Segs), jsonast.Segment{Index: 0})
		for _, s := range append(c.builtinSnippets(itemSegs), vetted(v.Item.Snippets)...) {
			out = append(out, schema.Snippet{Label: "[" + s.Label + "]", Description: s.Description, Body: "[\n  " + indentLines(s.Body, "  ") + "\n]"})
		}
	}
	return out
}

// indentLines indents every line after the first.
func indentLines(s, ind string) string {
	return strings.ReplaceAll(s, "\n", "\n"+ind)
}

// finish filters the items by what was typed and sorts them.
func (c *completer) finish(typed string) []Item {
	typed = strings.Trim(strings.TrimSpace(typed), `"`)
	out := c.items[:0]
	for _, it := range c.items {
		if typed == "" || fuzzyMatch(strings.Trim(it.Label, `"[]`), typed) || fuzzyMatch(it.Label, typed) {
			if !strings.HasPrefix(strings.ToLower(strings.Trim(it.Label, `"`)), strings.ToLower(typed)) {
				it.SortText = "9" + it.SortText // prefix matches first
			}
			out = append(out, it)
		}
	}
	slices.SortStableFunc(out, func(a, b Item) int { return strings.Compare(a.SortText, b.SortText) })
	return out
}

// fuzzyMatch reports whether the letters of typed appear in label in order
// (case-insensitively), the way editors filter completions.
func fuzzyMatch(label, typed string) bool {
	l, t := strings.ToLower(label), strings.ToLower(typed)
	i := 0
	for j := 0; j < len(l) && i < len(t); j++ {
		if l[j] == t[i] {
			i++
		}
	}
	return i == len(t)
}

// typedOps returns doc, or when segs lead into an op that has no "type" yet,
// a copy of doc in which that op is a "container/run" op, so that its args
// complete as the common case.
func typedOps(doc *jsonast.Document, segs []jsonast.Segment) *jsonast.Document {
	if len(segs) < 3 || segs[0].Key != "ops" || segs[1].Index < 0 || segs[2].Key != "args" {
		return doc
	}
	op := doc.Lookup(segs[:2])
	if !op.Is(jsonast.Object) || op.Has("type") {
		return doc
	}
	text := doc.Text
	patched := make([]byte, 0, len(text)+32)
	patched = append(patched, text[:op.Start+1]...)
	patched = append(patched, `"type":"container/run",`...)
	patched = append(patched, text[op.Start+1:]...)
	return jsonast.Parse(patched)
}

// newDocumentKeys offers the top-level keys of both formats in a document
// whose format cannot be told yet: Nosana's keys and Nomad's "Job" wrapper.
func newDocumentKeys(doc *jsonast.Document) *info {
	v := infoAt(doc, rule.Nosana, nil)
	wrapper := nomadInfo(jsonast.Parse([]byte(`{"Job":{}}`)), nil)
	out := &info{Known: true, Types: []string{"object"}}
	out.Keys = append(out.Keys, v.Keys...)
	out.Keys = append(out.Keys, wrapper.Keys...)
	return out
}

// withheld lists schema snippets completion does not offer because a lint
// rule reports what they insert (completion must never offer something that
// lints as wrong). TestWithheldSnippets fails once the rule or the snippet
// changes so that the entry can go.
var withheld = map[string]string{
	"websocket health check": "the health-check rule warns that the node runs websocket checks in its tunnel sidecar, not against the container",
}

// withheldKeys lists keys completion does not offer although the schema
// allows them, because a lint rule reports them wherever they appear
// (format:place.key). TestWithheldKeys fails once one of them lints clean.
var withheldKeys = map[string]string{
	"nosana:global.image":          "the global-image-unused rule: the node never uses global.image",
	"nosana:meta.system_resources": "the gpu-vram rule: nothing reads system_resources; required_vram goes in system_requirements",
	// Deprecated in Nomad (nomad-deprecated rule).
	"nomad:periodic.spec":                               "deprecated since Nomad 1.7: use Specs",
	"nomad:taskgroups[].networks[].mbits":               "deprecated since Nomad 0.12",
	"nomad:taskgroups[].maxclientdisconnect":            "deprecated in favour of Disconnect.LostAfter",
	"nomad:taskgroups[].stopafterclientdisconnect":      "deprecated in favour of Disconnect.StopOnClientAfter",
	"nomad:taskgroups[].preventrescheduleonlost":        "deprecated in favour of Disconnect.Replace",
	"nomad:taskgroups[].tasks[].resources.iops":         "deprecated since Nomad 0.9",
	"nomad:taskgroups[].tasks[].resources.networks":     "task networks are deprecated since Nomad 0.12: use the group's Networks",
	"nomad:taskgroups[].tasks[].templates[].vaultgrace": "deprecated since Nomad 0.11",
}

func joinPath(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}

// vetted drops the withheld snippets.
func vetted(snips []schema.Snippet) []schema.Snippet {
	out := snips[:0:0]
	for _, s := range snips {
		if _, ok := withheld[s.Label]; !ok {
			out = append(out, s)
		}
	}
	return out
}

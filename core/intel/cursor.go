package intel

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nosana/literal"
)

// place says what goes at the cursor.
type place uint8

const (
	atNone  place = iota // nothing sensible (between a key and its colon, after a list item, ...)
	atKey                // an object key is being typed or may start here
	atValue              // a value is being typed or may start here
)

// cursor is what a tolerant scan of the text up to the cursor found.
type cursor struct {
	Place place
	// Segs is the path of the object whose key is typed (atKey) or of the
	// value being typed (atValue).
	Segs []jsonast.Segment
	// Quoted reports that the cursor is inside a string token; Partial is the
	// text of the token before the cursor (without the opening quote).
	Quoted  bool
	Partial string
	// Start and End delimit what an accepted item replaces: the whole token
	// under the cursor, quotes included, or an empty range at the cursor.
	Start, End int
	// HasColon reports that the key under the cursor is already followed by
	// a colon, so a key item inserts the key only.
	HasColon bool
	// CommaBefore and CommaAfter report that the inserted entry needs a
	// comma before or after it to keep the JSON valid.
	CommaBefore, CommaAfter bool
	// Tmpl describes a %%…%% literal or ${…} interpolation the cursor is in.
	Tmpl *template
	// Root reports the cursor is where the document's root value goes.
	Root bool
}

// template is the part of a string value between an opening %% or ${ and
// the cursor.
type template struct {
	Interp  bool   // ${…} (Nomad) rather than %%…%% (Nosana)
	Partial string // the text after the opener, up to the cursor
	// Start and End delimit the whole literal (opener and closer included,
	// when the closer is there) that an accepted item replaces.
	Start, End int
}

// Key returns the member key at the end of Segs ("" for an array item).
func (c *cursor) Key() string {
	if len(c.Segs) == 0 || c.Segs[len(c.Segs)-1].Index >= 0 {
		return ""
	}
	return c.Segs[len(c.Segs)-1].Key
}

type frameState uint8

const (
	sKey   frameState = iota // object: a key or } may come
	sColon                   // object: after a key, before :
	sValue                   // a value may come
	sAfter                   // after a value: , or the closer
)

type frame struct {
	obj   bool
	key   string
	index int
	state frameState
}

// maxFrames bounds the nesting the cursor scan follows.
const maxFrames = 1024

// scanCursor scans text up to off and works out the cursor context. It reads
// broken text the way people type it: unclosed strings, objects and lists,
// missing commas and colons.
func scanCursor(text []byte, off int) cursor {
	off = clamp(off, 0, len(text))
	var st []frame
	top := func() *frame {
		if len(st) == 0 {
			return nil
		}
		return &st[len(st)-1]
	}
	// value notes that a value starts in the top frame.
	value := func() {
		f := top()
		if f == nil {
			return
		}
		if !f.obj && f.state == sAfter {
			f.index++ // missing comma between items
		}
		f.state = sAfter
	}
	rootSeen := false
	i := 0
	for i < off {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"' || c == '\'':
			end, closed := stringEnd(text, i)
			if end > off || end == off && !closed {
				// The cursor is inside this string.
				return atToken(text, off, st, i, true)
			}
			f := top()
			switch {
			case f == nil:
				rootSeen = true
			case f.obj && (f.state == sKey || f.state == sAfter):
				f.key, f.state = unquote(text[i:end]), sColon
			default:
				value()
			}
			i = end
		case c == '{' || c == '[':
			rootSeen = true
			value()
			if len(st) < maxFrames {
				f := frame{obj: c == '{', state: sValue}
				if f.obj {
					f.state = sKey
				}
				st = append(st, f)
			}
			i++
		case c == '}' || c == ']':
			// Pop to the matching container (tolerating unclosed inner ones).
			for j := len(st) - 1; j >= 0; j-- {
				if st[j].obj == (c == '}') {
					st = st[:j]
					break
				}
			}
			i++
		case c == ':':
			if f := top(); f != nil && f.obj && f.state == sColon {
				f.state = sValue
			}
			i++
		case c == ',':
			if f := top(); f != nil {
				if f.obj {
					f.state, f.key = sKey, ""
				} else {
					f.index++
					f.state = sValue
				}
			}
			i++
		case c == '/' && i+1 < len(text) && (text[i+1] == '/' || text[i+1] == '*'):
			i = commentEnd(text, i)
			if i > off {
				return cursor{Place: atNone, Start: off, End: off}
			}
		default:
			end := i
			for end < len(text) && isWord(text[end]) {
				end++
			}
			if end == i {
				i++ // a stray byte
				continue
			}
			if end >= off {
				return atToken(text, off, st, i, false)
			}
			f := top()
			switch {
			case f == nil:
				rootSeen = true
			case f.obj && (f.state == sKey || f.state == sAfter):
				f.key, f.state = string(text[i:end]), sColon
			default:
				value()
			}
			i = end
		}
	}
	f := top()
	cur := cursor{Start: off, End: off}
	switch {
	case f == nil:
		if !rootSeen {
			cur.Place, cur.Root = atValue, true
			cur.End = len(text) // a new job replaces whatever blank follows
			if strings.TrimSpace(string(text[off:])) != "" {
				cur.Place, cur.End = atNone, off
			}
		}
		return cur
	case f.obj && (f.state == sKey || f.state == sAfter):
		cur.Place = atKey
		cur.CommaBefore = f.state == sAfter
		cur.Segs = segsOf(st, false)
	case f.state == sValue:
		cur.Place = atValue
		cur.Segs = segsOf(st, true)
	default:
		return cur
	}
	cur.finish(text)
	return cur
}

// atToken builds the context for a cursor inside the string or word that
// starts at start.
func atToken(text []byte, off int, st []frame, start int, quoted bool) cursor {
	cur := cursor{Start: start, Quoted: quoted}
	if quoted {
		cur.Partial = string(text[start+1 : off])
		end, closed := stringEnd(text, start)
		if !closed {
			// An unclosed string: replace up to the end of the word at the cursor.
			end = off
			for end < len(text) && isWord(text[end]) {
				end++
			}
		}
		cur.End = end
	} else {
		cur.Partial = string(text[start:off])
		end := off
		for end < len(text) && isWord(text[end]) {
			end++
		}
		cur.End = end
	}
	var f *frame
	if len(st) > 0 {
		f = &st[len(st)-1]
	}
	switch {
	case f == nil:
		cur.Place, cur.Root = atNone, true
		return cur
	case f.obj && (f.state == sKey || f.state == sAfter):
		cur.Place = atKey
		cur.CommaBefore = f.state == sAfter
		cur.Segs = segsOf(st, false)
	case f.obj && f.state == sValue, !f.obj:
		if !f.obj && f.state == sAfter {
			f.index++ // missing comma between items
			cur.CommaBefore = true
		}
		cur.Place = atValue
		cur.Segs = segsOf(st, true)
		if quoted {
			cur.Tmpl = findTemplate(text, start, off, cur.End)
		}
	default:
		cur.Place = atNone
		return cur
	}
	cur.finish(text)
	return cur
}

// finish looks after the replaced range: is a colon there already, does the
// inserted text need a comma after it.
func (c *cursor) finish(text []byte) {
	j := skipSpace(text, c.End)
	if j < len(text) && text[j] == ':' {
		c.HasColon = true
		return
	}
	if j < len(text) && (text[j] == '"' || text[j] == '{' || text[j] == '[' || isWord(text[j])) {
		c.CommaAfter = true
	}
}

// segsOf turns the frame stack into a path. With value set the top frame's
// current key or index is included (the path of the value being typed).
func segsOf(st []frame, value bool) []jsonast.Segment {
	n := len(st) - 1
	if value {
		n = len(st)
	}
	segs := make([]jsonast.Segment, 0, n)
	for k := 0; k < n; k++ {
		if st[k].obj {
			segs = append(segs, jsonast.Segment{Key: st[k].key, Index: -1})
		} else {
			segs = append(segs, jsonast.Segment{Index: st[k].index})
		}
	}
	return segs
}

// findTemplate finds a %%…%% literal or ${…} interpolation that is open at
// off inside the string starting at strStart (strEnd is where it ends).
func findTemplate(text []byte, strStart, off, strEnd int) *template {
	body := string(text[strStart+1 : off])
	if l, ok := literal.Partial(body, len(body)); ok {
		t := &template{Partial: body[l.Start+2:], Start: strStart + 1 + l.Start}
		t.End = templateEnd(text, off, strEnd, "%%")
		return t
	}
	if at := strings.LastIndex(body, "${"); at >= 0 && !strings.Contains(body[at:], "}") {
		t := &template{Interp: true, Partial: body[at+2:], Start: strStart + 1 + at}
		t.End = templateEnd(text, off, strEnd, "}")
		return t
	}
	return nil
}

// templateEnd returns the end of the literal at the cursor: after its closer
// when the closer follows the name at the cursor, else the end of that name.
func templateEnd(text []byte, off, strEnd int, closer string) int {
	j := off
	for j < strEnd && (isWord(text[j]) && text[j] != '%' || text[j] == '-') {
		j++
	}
	if strings.HasPrefix(string(text[j:min(strEnd, len(text))]), closer) {
		j += len(closer)
	}
	return j
}

// stringEnd returns the offset after the string starting at text[i] and
// whether it was closed. An unclosed string ends at the line break.
func stringEnd(text []byte, i int) (int, bool) {
	q := text[i]
	j := i + 1
	for j < len(text) {
		switch text[j] {
		case '\\':
			j += 2
			continue
		case q:
			return j + 1, true
		case '\n', '\r':
			return j, false
		}
		j++
	}
	return len(text), false
}

func commentEnd(text []byte, i int) int {
	if text[i+1] == '/' {
		for i < len(text) && text[i] != '\n' {
			i++
		}
		return i
	}
	if k := strings.Index(string(text[i+2:]), "*/"); k >= 0 {
		return i + 2 + k + 2
	}
	return len(text)
}

func unquote(tok []byte) string {
	if len(tok) < 2 {
		return ""
	}
	s := string(tok[1:])
	if strings.HasSuffix(s, string(tok[0])) {
		s = s[:len(s)-1]
	}
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	doc := jsonast.Parse([]byte(`"` + s + `"`))
	if v, ok := doc.Root.StringValue(); ok {
		return v
	}
	return s
}

func isWord(c byte) bool {
	return c == '_' || c == '$' || c == '-' || c == '.' || c == '+' || c == '%' ||
		c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func skipSpace(text []byte, i int) int {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
		i++
	}
	return i
}

func clamp(v, lo, hi int) int {
	return max(lo, min(v, hi))
}

// The live lint's delta (see docs/editor.md, "The live lint protocol"):
// the worker describes a lint's diagnostics against the previous answer's,
// moved through the edit between the two texts (lintDelta), and the page
// moves what it holds the same way and applies the splice (applyDelta).
// Both sides are here so that their rules for moving a position, a line
// and a column cannot drift apart.

// textEdit returns the edit from a to b as {at, end, delta, lines, line}:
// a replaced [at, end) of its UTF-16 units, changing the length by delta
// and the number of lines by lines; end is on a's line line (1-based).
// With changes (the page's ChangeSet JSON from a to b) it needs not compare
// the texts: the edit spans the first change to the last.
function textEdit(a, b, changes = null) {
  const n = Math.min(a.length, b.length);
  let at = 0;
  let tail = 0;
  if (changes) {
    const first = changes[0];
    const last = changes[changes.length - 1];
    if (changes.length === 1 && typeof first === "number") at = n; // no change
    else {
      if (typeof first === "number") at = first;
      if (typeof last === "number") tail = last;
    }
  } else {
    while (at < n && a.charCodeAt(at) === b.charCodeAt(at)) at++;
    while (tail < n - at && a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)) tail++;
  }
  const end = a.length - tail;
  const newlines = (s, from, to) => {
    let k = 0;
    for (let i = s.indexOf("\n", from); i >= 0 && i < to; i = s.indexOf("\n", i + 1)) k++;
    return k;
  };
  return {
    at,
    end,
    delta: b.length - a.length,
    lines: newlines(b, at, b.length - tail) - newlines(a, at, end),
    line: 1 + newlines(a, 0, end),
  };
}

// mapPos maps a position of the old text through edit, and mapLine and
// mapColumn a diagnostic's line and column (lintDelta compares by them,
// applyDelta moves the page's diagnostics by them); inside the replaced text mapPos returns -1. A column after the
// edit on its line moves only when the edit adds or removes no line (else
// the diagnostic is sent anew).
function mapPos(p, e) {
  if (p < e.at) return p;
  if (p >= e.end) return p + e.delta;
  return -1;
}

function mapLine(d, e) {
  return d.from >= e.end ? d.line + e.lines : d.line;
}

function mapColumn(d, e) {
  return d.from >= e.end && d.line === e.line && e.lines === 0 ? d.column + e.delta : d.column;
}

// sameMapped tells whether the old diagnostic o, moved by edit e, is the
// new diagnostic n: then the page need not be sent n.
function sameMapped(o, n, e) {
  if (mapPos(o.from, e) !== n.from || mapPos(o.to, e) !== n.to) return false;
  if (mapLine(o, e) !== n.line || mapColumn(o, e) !== n.column) return false;
  if (o.severity !== n.severity || o.rule !== n.rule || o.message !== n.message || o.path !== n.path) return false;
  if (o.pointer !== n.pointer || o.docUrl !== n.docUrl) return false;
  const of = o.fixes ?? [];
  const nf = n.fixes ?? [];
  if (of.length !== nf.length) return false;
  for (let i = 0; i < of.length; i++) {
    const a = of[i];
    const b = nf[i];
    if (a.title !== b.title || a.safe !== b.safe || a.edits.length !== b.edits.length) return false;
    for (let j = 0; j < a.edits.length; j++) {
      const x = a.edits[j];
      const y = b.edits[j];
      if (mapPos(x.from, e) !== y.from || mapPos(x.to, e) !== y.to || x.insert !== y.insert) return false;
    }
  }
  return true;
}

// lintDelta describes next (the new diagnostics) against prev's, moved by
// the edit from prev's text to text: the page maps every diagnostic it
// holds through edit, then replaces splice[1] of them at index splice[0]
// with the JSON array splice[2]. Typing that adds or fixes no problem
// sends no diagnostic. (JSON: the page's JSON.parse of 13,000 diagnostics
// is several times faster than receiving them as cloned objects.)
export function lintDelta(prev, text, next, changes) {
  const edit = textEdit(prev.text, text, changes);
  const old = prev.diagnostics;
  let k = 0;
  while (k < old.length && k < next.length && sameMapped(old[k], next[k], edit)) k++;
  let m = 0;
  while (m < old.length - k && m < next.length - k && sameMapped(old[old.length - 1 - m], next[next.length - 1 - m], edit)) m++;
  return { edit, splice: [k, old.length - k - m, JSON.stringify(next.slice(k, next.length - m))] };
}

// applyDelta updates diags (the previous lint's diagnostics) in place to
// the new lint's, as the worker described them: every position moved
// through the edit, then splice = [index, count removed, JSON of those
// inserted].
export function applyDelta(diags, delta) {
  const e = delta.edit;
  if (e.delta !== 0 || e.lines !== 0) {
    for (const d of diags) {
      d.column = mapColumn(d, e);
      d.line = mapLine(d, e);
      d.from = mapPos(d.from, e);
      d.to = mapPos(d.to, e);
      for (const f of d.fixes ?? []) {
        for (const x of f.edits) {
          x.from = mapPos(x.from, e);
          x.to = mapPos(x.to, e);
        }
      }
    }
  }
  const [at, removed, json] = delta.splice;
  const inserted = JSON.parse(json);
  if (removed === 0 && inserted.length === 0) return diags;
  // A big change (a paste): a new array, not a splice of 13,000 arguments.
  if (inserted.length > 1000) return [...diags.slice(0, at), ...inserted, ...diags.slice(at + removed)];
  diags.splice(at, removed, ...inserted);
  return diags;
}

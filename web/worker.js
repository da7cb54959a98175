// jobkit's Web Worker: it loads the Go core (jobkit.<hash>.wasm) once and answers
// {id, method, params} messages with {id, out} where out is the JSON envelope
// the core returns ({"ok": …} or {"error": "…"}). The page never waits for Go
// on the main thread: typing stays smooth while the worker lints.
//
// The editor's live diagnostics are lint requests marked live: after the
// first, each sends only the changes to the previous one's text, and is
// answered {id, out, delta, ms} where out has no diagnostics and delta says
// how the new ones differ from the previous answer's (see lintDelta):
// typing moves problems, it rarely changes them. Other lint requests are
// answered in full and change nothing of this.
/* global Go, JOBKIT_WASM */

// The toolchain's wasm_exec.js (the Go class), bundled in by tools/bundle:
// a separate importScripts would block this thread on a request of its own
// while the wasm's response waits to be handed to the compiler.
import "jobkit:wasm_exec";

// Fetch and compile first: compiling the core is the longest step of the
// cold start. compileStreaming compiles while the bytes arrive, and lets the
// browser keep the compiled code with its HTTP cache entry for the next
// visit. tools/bundle defines JOBKIT_WASM, the core's content-hashed file
// name (served as immutable, so a returning browser neither downloads nor
// revalidates it before it reuses the compiled code).
const wasmURL = new URL(JOBKIT_WASM, self.location.href);
// boot holds start-up times in ms since the worker started (origin is the
// worker's performance.timeOrigin, so the page can put them on its own
// clock), sent with the first answer for the page's status and the
// benchmarks: the wasm's response headers arrived (fetched), compiled,
// instantiated, Go's main returned (ready), the page's first request
// arrived (request) and was answered (answered).
const boot = { origin: performance.timeOrigin, fetched: 0, compiled: 0, instantiated: 0, ready: 0, request: 0, answered: 0 };
const compiled = compileCore(wasmURL).then((m) => ((boot.compiled = performance.now()), m));

let jobkit = null;
let failure = null;
const queue = [];
let linted = false; // the first lint was answered (warm-up may follow)
let warmTimer = 0;

async function compileCore(url) {
  try {
    return await WebAssembly.compileStreaming(fetch(url).then((r) => ((boot.fetched = performance.now()), r)));
  } catch {
    // Servers that send the wrong MIME type break compileStreaming; try the
    // slower path before giving up.
    const resp = await fetch(url);
    if (!resp.ok) throw new Error(`cannot load ${url.pathname}: HTTP ${resp.status}`);
    return WebAssembly.compile(await resp.arrayBuffer());
  }
}

// The previous live lint's answer: the page holds its diagnostics, so the
// next answer can be a delta against them.
let prevLint = null; // {format, text, diagnostics}

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
// mapColumn a diagnostic's line and column (web/diagnostics.js has the same
// rules); inside the replaced text mapPos returns -1. A column after the
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
function lintDelta(prev, text, next, changes) {
  const edit = textEdit(prev.text, text, changes);
  const old = prev.diagnostics;
  let k = 0;
  while (k < old.length && k < next.length && sameMapped(old[k], next[k], edit)) k++;
  let m = 0;
  while (m < old.length - k && m < next.length - k && sameMapped(old[old.length - 1 - m], next[next.length - 1 - m], edit)) m++;
  return { edit, splice: [k, old.length - k - m, JSON.stringify(next.slice(k, next.length - m))] };
}

// lintText is the text of the last live lint request: the page sends
// later ones as changes to it (CodeMirror's ChangeSet JSON).
let lintText = null;

// applyChanges applies a ChangeSet's JSON (kept lengths, and [deleted
// length, ...inserted lines]) to text.
function applyChanges(text, changes) {
  const out = [];
  let pos = 0;
  for (const c of changes) {
    if (typeof c === "number") {
      out.push(text.slice(pos, pos + c));
      pos += c;
    } else {
      pos += c[0];
      if (c.length > 1) out.push(c.slice(1).join("\n"));
    }
  }
  if (pos !== text.length) throw new Error(`the changes are for a text of ${pos} characters, not ${text.length}`);
  return out.join("");
}

function answer(msg) {
  if (failure) {
    postMessage({ id: msg.id, fail: failure });
    return;
  }
  const live = msg.method === "lint" && msg.live;
  let changes = null;
  let params;
  const baseText = lintText;
  if (live) {
    ({ changes, ...params } = msg.params ?? {});
    if (changes) {
      try {
        if (lintText === null) throw new Error("no text to change");
        params.text = applyChanges(lintText, changes);
      } catch (err) {
        lintText = null;
        prevLint = null;
        postMessage({ id: msg.id, fail: "the editor and the jobkit worker disagree on the text: " + err.message });
        return;
      }
    } else {
      prevLint = null; // the whole text: the page starts over, answer in full
    }
    msg = { ...msg, params };
    lintText = typeof params.text === "string" ? params.text : null;
  }
  let out;
  const started = performance.now();
  // Phase times (ms since the epoch, comparable with the page's) for the
  // benchmarks' breakdown of a keystroke: answer start, Go done, posted.
  const at = [performance.timeOrigin + started, 0, 0];
  try {
    // The document goes as its own argument: Go then need not JSON-decode it.
    const { text, ...rest } = msg.params ?? {};
    out = typeof text === "string"
      ? jobkit.call(msg.method, JSON.stringify(rest), text)
      : jobkit.call(msg.method, JSON.stringify(rest));
  } catch (err) {
    out = JSON.stringify({ error: "the jobkit core stopped: " + err + " (reload the page)" });
  }
  const ms = performance.now() - started;
  at[1] = performance.timeOrigin + started + ms;
  if (live) {
    // Live lint answers go as a delta against the previous one, which the
    // page holds: parsing and comparing the diagnostics here spares the
    // page's main thread the whole list (13,000 problems are 5 MB of JSON)
    // on every keystroke.
    const prev = prevLint;
    prevLint = null;
    let env = null;
    try {
      env = JSON.parse(out);
    } catch {
      /* answered as it is */
    }
    const res = env?.ok;
    const text = msg.params?.text;
    if (res && Array.isArray(res.diagnostics) && typeof text === "string") {
      const format = msg.params?.format ?? "";
      prevLint = { format, text, diagnostics: res.diagnostics };
      if (prev && prev.format === format) {
        // The changes took prev's text to this one only if prev was the
        // request just before (it is, unless that one failed).
        const delta = lintDelta(prev, text, res.diagnostics, prev.text === baseText ? changes : null);
        at[2] = performance.timeOrigin + performance.now();
        postMessage({ id: msg.id, delta, out: JSON.stringify({ ok: { ...res, diagnostics: null } }), ms, at });
        return;
      }
    }
  }
  if (msg.method === "lint" && !linted) boot.answered = performance.now();
  at[2] = performance.timeOrigin + performance.now();
  postMessage({ id: msg.id, out, ms, boot, at });
  if (msg.method === "lint" && !linted) {
    linted = true;
    scheduleWarmUp();
  }
}

const WARM = [
  ["nosana", '{"version":"0.1","type":"container","ops":[]}'],
  ["nomad", '{"Job":{"ID":"w","TaskGroups":[]}}'],
];

// warm lints a tiny job of a format once: the first lint of each format
// pays one-time setup in Go (schemas, tables), which should not land on
// the page's first lint or on a keystroke.
const warmed = new Set();
function warm(format, full) {
  const text = WARM.find((w) => w[0] === format)[1];
  try {
    if (!warmed.has(format)) jobkit.call("lint", JSON.stringify({ format }), text);
    warmed.add(format);
    if (full) {
      jobkit.call("complete", JSON.stringify({ format, offset: 1 }), text);
      jobkit.call("hover", JSON.stringify({ format, offset: 2 }), text);
    }
  } catch {
    /* a warm-up failure shows on the real call */
  }
}

// Before the page's first request (the worker starts before the page's
// script does), warm one format at a time, giving way to the first request
// as soon as it arrives.
function warmBeforeFirstRequest(i = 0) {
  if (i >= WARM.length || seen || failure) return;
  warm(WARM[i][0], false);
  setTimeout(() => warmBeforeFirstRequest(i + 1), 0);
}

// After the first answer, warm the rest (completion, hover) once the page
// has been quiet for a moment.
function scheduleWarmUp() {
  clearTimeout(warmTimer);
  warmTimer = setTimeout(() => {
    if (!jobkit) return;
    for (const [format] of WARM) warm(format, true);
  }, 600);
}

let seen = false; // a request came from the page
onmessage = (e) => {
  if (!seen) boot.request = performance.now();
  seen = true;
  if (linted) scheduleWarmUp(); // still busy: warm up later
  if (jobkit || failure) answer(e.data);
  else queue.push(e.data);
};

async function start() {
  const go = new Go();
  const instance = await WebAssembly.instantiate(await compiled, go.importObject);
  boot.instantiated = performance.now();
  go.run(instance); // runs main() up to its select{}, which publishes globalThis.jobkit
  if (!self.jobkit) throw new Error("jobkit.wasm started but did not publish its API");
  jobkit = self.jobkit;
  boot.ready = performance.now();
}

start()
  .catch((err) => {
    failure = String(err && err.message ? err.message : err);
    if (self.location.protocol === "file:") {
      failure += " — browsers cannot load WebAssembly from file:// pages; run `jobkit serve` and open the address it prints";
    }
  })
  .finally(() => {
    for (const msg of queue.splice(0)) answer(msg);
    if (!seen) setTimeout(warmBeforeFirstRequest, 0);
  });

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
import { lintDelta } from "./lintdelta.js";

// Compiling the core is the longest step of the cold start, so it starts
// first: on the page (web/boot.js, which posts the module here) or, when
// no module comes, here. compileStreaming compiles while the bytes arrive,
// and lets the browser keep the compiled code with its HTTP cache entry for
// the next visit. tools/bundle defines JOBKIT_WASM, the core's content-hashed file
// name (served as immutable, so a returning browser neither downloads nor
// revalidates it before it reuses the compiled code).
const wasmURL = new URL(JOBKIT_WASM, self.location.href);
// boot holds start-up times in ms since the worker started (origin is the
// worker's performance.timeOrigin, so the page can put them on its own
// clock), sent with the first answer for the page's status and the
// benchmarks: the wasm's response headers arrived (fetched), compiled,
// instantiated, Go's main returned (ready), the page's first request
// arrived (request) and was answered (answered).
// When web/boot.js started this worker (named jobkit-page-compiled), the
// page fetches and compiles the core while this worker starts, and posts
// the module (see boot.js); fetched and compiled are then the page's times
// on this clock, module is when the module got here, and source says which
// side compiled it ("page" or "worker").
// warmLints counts the warm-up lints done so far (see warmLints).
const boot = { origin: performance.timeOrigin, source: "", fetched: 0, compiled: 0, module: 0, instantiated: 0, ready: 0, request: 0, answered: 0, warmLints: 0 };
let pageModule = null; // resolves with the page's module, or null: compile here
const compiled = (
  self.name === "jobkit-page-compiled"
    ? new Promise((resolve) => (pageModule = resolve)).then((m) => m ?? compileCore(wasmURL))
    : compileCore(wasmURL)
).then((m) => ((boot.compiled ||= performance.now()), m));

let jobkit = null;
let failure = null;
const queue = [];
let linted = false; // the first lint was answered (warm-up may follow)
let warmTimer = 0;

async function compileCore(url) {
  boot.source = "worker";
  boot.fetched = boot.compiled = 0;
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

// lintText is the text of the last live lint request: the page sends
// later ones as changes to it (CodeMirror's ChangeSet JSON).
let lintText = null;

// NO_LINT_TEXT answers a call that asked for the live lint's text when the
// worker has none (the live lint failed): the page sends the text then.
const NO_LINT_TEXT = "no live lint text";

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
  } else if (msg.params?.lintText === true) {
    // Completion, hover and outline of the text the last live lint had:
    // the page need not copy and post the whole document (callOnDoc in
    // web/diagnostics.js).
    if (lintText === null) {
      postMessage({ id: msg.id, fail: NO_LINT_TEXT });
      return;
    }
    const { lintText: _, ...rest } = msg.params;
    msg = { ...msg, params: { ...rest, text: lintText } };
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
    warmLints(WARM_LINTS);
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
      // The schema engine, which the first lint no longer compiles: its
      // compilation also runs the core long enough for Chromium to keep
      // the optimised wasm code for the next visit (without it the code
      // cache was never written and a reload compiled everything again).
      jobkit.call("prepare", JSON.stringify({ format }));
    }
  } catch {
    /* a warm-up failure shows on the real call */
  }
}

// V8 compiles a wasm function's optimised code in the background once it
// has run for a while: left to the first keystrokes, that compiling took
// the CPU from them (a 20 KB job's next 30 lints in node: p50 6.6-10.5 ms,
// in steps of the scheduler's ~4 ms slice; 1.7-2.4 ms after 20 lints of
// the 428-byte welcome job). So after the first answer the worker lints the
// page's job WARM_LINTS more times, one per task and only while the page
// has sent nothing for QUIET_MS (a warm-up lint then delays no keystroke's),
// when the job is small enough for a lint to be short.
const WARM_LINTS = 20;
const WARM_TEXT_MAX = 32_768; // UTF-16 code units
const QUIET_MS = 50;
let lastRequest = 0; // performance.now() when the page's last request came

function warmLints(left) {
  if (left <= 0 || failure || !jobkit || !prevLint || prevLint.text.length > WARM_TEXT_MAX) return;
  const wait = lastRequest + QUIET_MS - performance.now();
  if (wait > 0) {
    setTimeout(() => warmLints(left), wait);
    return;
  }
  try {
    jobkit.call("lint", JSON.stringify({ format: prevLint.format }), prevLint.text);
    boot.warmLints++;
  } catch {
    return; // a failure shows on the next real call
  }
  setTimeout(() => warmLints(left - 1), 0);
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

// onPageModule takes boot.js's message: the page's compiled module, or
// null when compiling there failed.
function onPageModule({ jobkitModule, boot: times }) {
  const resolve = pageModule;
  pageModule = null;
  if (!resolve) return;
  if (jobkitModule instanceof WebAssembly.Module) {
    boot.module = performance.now();
    boot.source = "page";
    for (const k of ["fetched", "compiled"]) if (times?.[k]) boot[k] = times[k] - performance.timeOrigin;
    resolve(jobkitModule);
  } else resolve(null);
}

let seen = false; // a request came from the page
onmessage = (e) => {
  if (e.data && "jobkitModule" in e.data) {
    onPageModule(e.data);
    return;
  }
  if (!seen) boot.request = performance.now();
  seen = true;
  lastRequest = performance.now();
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

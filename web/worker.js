// jobkit's Web Worker: it loads the Go core (jobkit.wasm) once and answers
// {id, method, params} messages with {id, out} where out is the JSON envelope
// the core returns ({"ok": …} or {"error": "…"}). The page never waits for Go
// on the main thread: typing stays smooth while the worker lints.
//
// Lint answers skip what the page already has: when a lint's diagnostics
// are the same as the previous lint's (same text of the "diagnostics" part
// of the envelope), the worker answers {id, same: true, ms} and the page
// keeps what it shows (positions mapped through the edit by CodeMirror).
/* global Go, importScripts */

// Fetch and compile first, before even loading wasm_exec.js: compiling the
// core is the longest step of the cold start. compileStreaming compiles
// while the bytes arrive, and lets the browser keep the compiled code with
// its HTTP cache entry for the next visit.
const wasmURL = new URL("jobkit.wasm", self.location.href);
// boot holds start-up times (ms since the worker started), sent with the
// first answer for the page's status and the benchmarks.
const boot = { compiled: 0, ready: 0 };
const compiled = compileCore(wasmURL).then((m) => ((boot.compiled = performance.now()), m));

importScripts("wasm_exec.js");

let jobkit = null;
let failure = null;
const queue = [];
const lastLint = new Map(); // format -> the diagnostics part of the last answer
let linted = false; // the first lint was answered (warm-up may follow)
let warmTimer = 0;

async function compileCore(url) {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    // Servers that send the wrong MIME type break compileStreaming; try the
    // slower path before giving up.
    const resp = await fetch(url);
    if (!resp.ok) throw new Error(`cannot load ${url.pathname}: HTTP ${resp.status}`);
    return WebAssembly.compile(await resp.arrayBuffer());
  }
}

// diagPart returns the diagnostics array's text in a lint envelope (the
// part that decides what the page draws), or "" if it cannot be found.
function diagPart(out) {
  const i = out.indexOf('"diagnostics":');
  if (i < 0) return "";
  const j = out.indexOf(',"counts":', i);
  return j < 0 ? out.slice(i) : out.slice(i, j);
}

function answer(msg) {
  if (failure) {
    postMessage({ id: msg.id, fail: failure });
    return;
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
  if (msg.method === "lint" && msg.incremental) {
    const key = msg.params?.format ?? "";
    const part = diagPart(out);
    const same = part !== "" && lastLint.get(key) === part;
    lastLint.clear();
    lastLint.set(key, part);
    if (same) {
      at[2] = performance.timeOrigin + performance.now();
      postMessage({ id: msg.id, same: true, out: countsOf(out), ms, at });
      return;
    }
  }
  at[2] = performance.timeOrigin + performance.now();
  postMessage({ id: msg.id, out, ms, boot, at });
  if (msg.method === "lint" && !linted) {
    linted = true;
    scheduleWarmUp();
  }
}

// countsOf returns the envelope without its diagnostics (counts, format,
// detected), so an unchanged answer still updates the status line.
function countsOf(out) {
  const part = diagPart(out);
  return part ? out.replace(part, '"diagnostics":null') : out;
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
  seen = true;
  if (linted) scheduleWarmUp(); // still busy: warm up later
  if (jobkit || failure) answer(e.data);
  else queue.push(e.data);
};

async function start() {
  const go = new Go();
  const instance = await WebAssembly.instantiate(await compiled, go.importObject);
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

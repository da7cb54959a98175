// jobkit's Web Worker: it loads the Go core (jobkit.wasm) once and answers
// {id, method, params} messages with {id, out} where out is the JSON envelope
// the core returns ({"ok": …} or {"error": "…"}). The page never waits for Go
// on the main thread: typing stays smooth while the worker lints.
/* global Go, importScripts */

importScripts("wasm_exec.js");

let jobkit = null;
let failure = null;
const queue = [];

function answer(msg) {
  if (failure) {
    postMessage({ id: msg.id, fail: failure });
    return;
  }
  let out;
  const started = performance.now();
  try {
    // The document goes as its own argument: Go then need not JSON-decode it.
    const { text, ...rest } = msg.params ?? {};
    out = typeof text === "string"
      ? jobkit.call(msg.method, JSON.stringify(rest), text)
      : jobkit.call(msg.method, JSON.stringify(rest));
  } catch (err) {
    out = JSON.stringify({ error: "the jobkit core stopped: " + err + " (reload the page)" });
  }
  postMessage({ id: msg.id, out, ms: performance.now() - started });
}

onmessage = (e) => {
  if (jobkit || failure) answer(e.data);
  else queue.push(e.data);
};

async function start() {
  const go = new Go();
  const url = new URL("jobkit.wasm", self.location.href);
  let result;
  try {
    result = await WebAssembly.instantiateStreaming(fetch(url), go.importObject);
  } catch (err) {
    // Servers that send the wrong MIME type break instantiateStreaming; try
    // the slower path before giving up.
    const resp = await fetch(url);
    if (!resp.ok) throw new Error(`cannot load ${url.pathname}: HTTP ${resp.status}`);
    result = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
  }
  go.run(result.instance); // runs main() up to its select{}, which publishes globalThis.jobkit
  if (!self.jobkit) throw new Error("jobkit.wasm started but did not publish its API");
  jobkit = self.jobkit;
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
  });

// boot.js runs first, from the page's <head>, before the editor's bundle is
// even fetched. A classic script, not a module, so that it runs as soon as
// it is parsed. main.js picks the worker up (client.js startCore).
//
// It starts the worker and, at the same moment, fetches and compiles the
// wasm core here (compileStreaming compiles on V8's background threads while
// the bytes arrive): a new worker takes ~130 ms to start and run its script,
// and it would only then begin the download and the compile. The compiled
// WebAssembly.Module is posted to the worker, which instantiates it. The
// worker is named BOOT_NAME so that it waits for that message instead of
// fetching the core itself; the message carries null when compiling here
// failed (the worker then tries its own, slower paths and reports what
// fails). The response is cacheable (immutable, content-hashed name), so
// Chromium keeps the compiled code with it for the next visit as it did
// when the worker compiled.
/* global JOBKIT_WASM */
const BOOT_NAME = "jobkit-page-compiled"; // web/worker.js checks self.name

let worker = null;
try {
  worker = new Worker("worker.js", { name: BOOT_NAME });
  window.jobkitWorker = worker;
} catch {
  /* main.js starts one and reports what fails */
}
if (worker) {
  // Times go as ms since the epoch: the worker moves them onto its clock.
  const at = () => performance.timeOrigin + performance.now();
  const boot = { fetched: 0, compiled: 0 };
  let compiling;
  try {
    compiling = WebAssembly.compileStreaming(fetch(JOBKIT_WASM).then((r) => ((boot.fetched = at()), r)));
  } catch (err) {
    compiling = Promise.reject(err); // no compileStreaming: the worker falls back
  }
  const post = (module) => {
    try {
      worker.postMessage({ jobkitModule: module, boot });
    } catch {
      worker.postMessage({ jobkitModule: null, boot }); // not cloneable here
    }
  };
  compiling.then(
    (module) => {
      boot.compiled = at();
      post(module);
    },
    () => post(null),
  );
}

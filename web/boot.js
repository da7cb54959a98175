// boot.js runs first, from the page's <head>, before the editor's bundle is
// even fetched: it starts the worker, which starts fetching and compiling
// the wasm core at once. main.js picks the worker up (client.js startCore).
// A classic script, not a module, so that it runs as soon as it is parsed.
try {
  window.jobkitWorker = new Worker("worker.js");
} catch {
  /* main.js starts one and reports what fails */
}

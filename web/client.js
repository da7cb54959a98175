// client talks to the jobkit worker: call(method, params) returns a Promise
// of the method's result and rejects with an Error carrying the core's
// message. call("lint", params, true) is the editor's live lint (see
// worker.js): params may hold changes instead of text, and after the first
// it resolves with {delta, …counts}: no diagnostics, but how they differ
// from the previous live lint's.

export class CoreError extends Error {}

// now is a time comparable between the page and the worker (ms since the epoch).
export const now = () => performance.timeOrigin + performance.now();

// startCore uses the worker that web/boot.js started while the page was
// still loading (so the wasm compiles in parallel with the page), or starts
// one at url.
export function startCore(worker = "worker.js") {
  if (typeof worker === "string") worker = new Worker(worker);
  const pending = new Map();
  let next = 1;
  worker.onmessage = (e) => {
    const got = now();
    const { id, out, fail, ms, delta, boot, at } = e.data;
    client.coreMs = ms;
    if (boot) client.boot = boot;
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (fail) {
      p.reject(new CoreError(fail));
      return;
    }
    const env = JSON.parse(out);
    if (at) client.trace = { method: p.method, sent: p.sent, start: at[0], go: at[1], posted: at[2], got, parsed: now() };
    if (env.error) p.reject(new CoreError(env.error));
    else if (delta) p.resolve({ ...env.ok, delta });
    else p.resolve(env.ok ?? null);
  };
  worker.onerror = (e) => {
    const err = new CoreError("the jobkit worker failed: " + (e.message || "unknown error"));
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const client = {
    coreMs: 0, // how long the last call took inside the worker (Go), in ms
    // trace of the last answer, in ms since the epoch: sent by the page,
    // started and Go done and posted in the worker, got and parsed here.
    trace: null,
    boot: null, // {compiled, ready}: ms from the worker's start to the wasm compiled, to Go started
    call(method, params, live = false) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, method, sent: now() });
        worker.postMessage({ id, method, params, live });
      });
    },
  };
  return client;
}

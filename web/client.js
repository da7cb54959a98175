// client talks to the jobkit worker: call(method, params) returns a Promise
// of the method's result and rejects with an Error carrying the core's
// message.

export class CoreError extends Error {}

export function startCore(url = "worker.js") {
  const worker = new Worker(url);
  const pending = new Map();
  let next = 1;
  worker.onmessage = (e) => {
    const { id, out, fail, ms } = e.data;
    client.coreMs = ms;
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (fail) {
      p.reject(new CoreError(fail));
      return;
    }
    const env = JSON.parse(out);
    if (env.error) p.reject(new CoreError(env.error));
    else p.resolve(env.ok ?? null);
  };
  worker.onerror = (e) => {
    const err = new CoreError("the jobkit worker failed: " + (e.message || "unknown error"));
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const client = {
    coreMs: 0, // how long the last call took inside the worker (Go), in ms
    call(method, params) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, method, params });
      });
    },
  };
  return client;
}

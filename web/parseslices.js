// CodeMirror parses the document in the background in slices of up to
// 100 ms (@codemirror/language's parse worker, in idle callbacks) where the
// browser has navigator.scheduling.isInputPending: it counts on that to
// stop a slice when a key is pressed. A slice still holds up every frame,
// and when no input event is pending (a paste, a key that arrives just
// after the check) the page freezes for the whole slice: pasting a 200 KB
// job and typing on gave main-thread tasks of 100-350 ms.
//
// CodeMirror asks isInputPending() between parse steps, on every call, so
// capSlices makes it also answer true once the task that asked has run for
// SLICE_MS: the parse then yields, as it would for input, and goes on in a
// later idle callback. (Browsers without isInputPending already slice the
// parse by the idle deadline, 25-45 ms.)

import { ViewPlugin } from "@codemirror/view";
import { forceParsing, syntaxTreeAvailable } from "@codemirror/language";

// SLICE_MS leaves room within 50 ms (a long task) for what follows a slice:
// the new syntax tree's view update and a collection.
export const SLICE_MS = 25;

export function capSlices(scheduling = globalThis.navigator?.scheduling, now = () => performance.now()) {
  if (!scheduling || typeof scheduling.isInputPending !== "function" || scheduling.isInputPending.capped) return;
  const pending = scheduling.isInputPending.bind(scheduling);
  let since = -1; // when the current task first asked, -1 between tasks
  const capped = (...args) => {
    const t = now();
    if (since < 0) {
      since = t;
      queueMicrotask(() => (since = -1)); // runs when the asking task ends
    }
    return t - since >= SLICE_MS || pending(...args);
  };
  capped.capped = true;
  scheduling.isInputPending = capped;
}

// CodeMirror waits 100 ms or more before each background slice
// (setTimeout, then requestIdleCallback), so 25 ms slices alone would take
// 2-3 s to parse a pasted 200 KB job, and until then every keystroke's
// transaction spends its own 20 ms trying to finish the parse. steadyParse
// runs the slices back to back instead (setTimeout 0, which lets input and
// frames in between), up to where CodeMirror's worker would parse: the
// viewport and PARSE_AHEAD beyond it.
const PARSE_AHEAD = 100_000;

export const steadyParse = ViewPlugin.fromClass(
  class {
    constructor(view) {
      this.view = view;
      this.timer = 0;
      this.schedule();
    }
    update(u) {
      // A keystroke's transaction usually finishes the parse itself: then
      // no task is needed (one more task between the key and its lint
      // answer otherwise).
      if ((u.docChanged || u.viewportChanged) && !syntaxTreeAvailable(u.state, parseUpto(u.view))) this.schedule();
    }
    schedule() {
      if (!this.timer) this.timer = setTimeout(() => this.step(), 0);
    }
    step() {
      this.timer = 0;
      const { view } = this;
      if (!forceParsing(view, parseUpto(view), SLICE_MS)) this.schedule();
    }
    destroy() {
      clearTimeout(this.timer);
    }
  }
);

// parseUpto is where steadyParse parses to: the viewport and PARSE_AHEAD
// beyond it.
function parseUpto(view) {
  return Math.min(view.state.doc.length, view.viewport.to + PARSE_AHEAD);
}

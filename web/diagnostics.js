// Live diagnostics: every document change is sent to the worker (one
// request in flight, the newest text next: keystrokes made while Go lints
// coalesce into one lint), and the answer is shown with @codemirror/lint as
// underlines, gutter markers and tooltips with fix buttons. Results for an
// outdated document are dropped, never shown. After the first, answers are
// deltas (web/worker.js): when a keystroke only moved the problems, the
// underlines on screen (CodeMirror maps them through edits) are kept; an
// answer that draws the same underlines as those on screen is not
// dispatched again either, so a keystroke re-renders no decorations.

import { ViewPlugin } from "@codemirror/view";
import { StateEffect } from "@codemirror/state";
import { setDiagnostics, forEachDiagnostic } from "@codemirror/lint";
import { now } from "./client.js";
import { applyDelta } from "./lintdelta.js";

// relint asks for a new lint without a document change (format switch).
export const relint = StateEffect.define();

// MAX_MARKS caps the underlines and gutter markers drawn (errors first,
// then by position): beyond a few thousand they only cost time, and the
// problems panel lists every one.
export const MAX_MARKS = 1500;

const RANK = { error: 0, warning: 1, info: 2 };

// liveDocs maps a core to the document of its last live lint request: the
// worker holds that text (it applies the changes sent), so calls about the
// same document need not send it again.
const liveDocs = new WeakMap();

// callOnDoc calls method with params and doc (a CodeMirror Text): when doc
// is the last live lint's, as {lintText: true} (the worker uses the text it
// holds: copying and posting a 5 MB job cost the page ~300 ms per call),
// otherwise, or when the worker has lost that text, as {text}.
export async function callOnDoc(core, method, params, doc) {
  if (liveDocs.get(core) === doc) {
    try {
      return await core.call(method, { ...params, lintText: true });
    } catch (err) {
      if (err.message !== "no live lint text") throw err;
    }
  }
  return core.call(method, { ...params, text: doc.toString() });
}

// applyEdits applies UTF-16 edits computed for the current document.
export function applyEdits(view, edits, userEvent = "input.fix") {
  const changes = [...edits]
    .sort((a, b) => a.from - b.from)
    .map((e) => ({ from: e.from, to: e.to, insert: e.insert }));
  view.dispatch({ changes, userEvent, scrollIntoView: true });
}

export function ruleLink(d) {
  const a = document.createElement("a");
  a.className = "jk-rule";
  a.textContent = d.rule;
  a.title = `What ${d.rule} checks and how to fix it`;
  if (d.docUrl) {
    a.href = d.docUrl;
    a.target = "_blank";
    a.rel = "noopener";
  }
  return a;
}

// refetchFix applies the fix titled title for the diagnostic now at
// from..to, asking the core again (the document changed since the lint).
export function refetchFix(core, getFormat, view, rule, title, from, to) {
  return core
    .call("fixes", { text: view.state.doc.toString(), format: getFormat(), from, to })
    .then((res) => {
      const again = res.fixes.find((f) => f.title === title && (!rule || f.rule === rule));
      if (again) applyEdits(view, again.edits);
    })
    .catch(() => {});
}

function toCM(core, getFormat, doc, d) {
  const len = doc.length;
  const from = Math.min(d.from, len);
  return {
    from,
    to: Math.max(from, Math.min(d.to, len)),
    severity: d.severity,
    message: d.message,
    jk: d,
    renderMessage() {
      const el = document.createElement("span");
      el.className = "jk-diag-message";
      el.append(d.message, " ");
      el.append(ruleLink(d));
      if (d.path) {
        const p = document.createElement("span");
        p.className = "jk-path";
        p.textContent = d.path;
        el.append(" ", p);
      }
      return el;
    },
    actions: (d.fixes || []).map((fix) => ({
      name: fix.title,
      apply(view, curFrom, curTo) {
        if (view.state.doc === doc) applyEdits(view, fix.edits);
        else refetchFix(core, getFormat, view, d.rule, fix.title, curFrom, curTo);
      },
    })),
  };
}

// marked picks the diagnostics to underline: all, or MAX_MARKS of them,
// errors first.
export function marked(diags) {
  if (diags.length <= MAX_MARKS) return diags;
  return [...diags]
    .sort((a, b) => (RANK[a.severity] ?? 3) - (RANK[b.severity] ?? 3) || a.from - b.from)
    .slice(0, MAX_MARKS);
}

const keyOf = (from, to, d) => `${from}:${to}:${d.severity}:${d.rule}:${d.message}`;

// sameAsShown tells whether diags (for the current document) are exactly
// the underlines on screen, positions mapped through the edits since.
function sameAsShown(state, diags) {
  const shown = new Map();
  let n = 0;
  forEachDiagnostic(state, (d, from, to) => {
    n++;
    const k = keyOf(from, to, d.jk ?? d);
    shown.set(k, (shown.get(k) ?? 0) + 1);
  });
  if (n !== diags.length) return false;
  const len = state.doc.length;
  for (const d of diags) {
    const from = Math.min(d.from, len);
    const k = keyOf(from, Math.max(from, Math.min(d.to, len)), d);
    const c = shown.get(k);
    if (!c) return false;
    shown.set(k, c - 1);
  }
  return true;
}

// BIG_CHANGE (UTF-16 units inserted) makes a change big enough to be sent
// to the worker in a task of its own.
const BIG_CHANGE = 100_000;

function inserted(changes) {
  let n = 0;
  changes.iterChangedRanges((fromA, toA, fromB, toB) => (n += toB - fromB));
  return n;
}

// liveDiagnostics returns the editor extension. onResult(result, doc, ms,
// trace) is called after each lint with the core's result, its diagnostics
// complete (result.moved is true when they are the previous lint's, moved
// by the edit), and the call's phase times (core.trace plus shown: the
// underlines dispatched).
//
// In a view created with dispatchTransactions: lintFirst(plugin), each
// change goes to the worker before CodeMirror computes the new state and
// redraws (the syntax tree's update, the DOM: 2-15 ms of a keystroke), so Go
// lints while the page updates. Without it the change goes when the plugin
// sees the update.
export function liveDiagnostics(core, getFormat, onResult, onError) {
  return ViewPlugin.fromClass(
    class {
      constructor(view) {
        this.view = view;
        this.inflight = false;
        this.dirty = true;
        this.destroyed = false;
        this.last = null; // the last result with diagnostics
        // The worker keeps the text of the last lint request: later ones
        // send only the changes since (sentDoc to now), not the whole
        // text (posting 5 MB costs the page ~50 ms a keystroke).
        this.sentDoc = null;
        this.changes = null;
        this.shownInSync = false; // the underlines and panel show this.last (but moved)
        this.later = 0; // a send after a big change, in a task of its own
        this.nextDoc = null; // the document the changes taken make
        // lost() starts a new epoch: answers to requests of an earlier one
        // are not read (the whole text goes next, answered in full).
        this.epoch = 0;
        this.send();
      }
      // take notes the changes of transactions (in order, each one once)
      // and sends them; doc is the document after the last of them.
      take(trs, doc) {
        let changed = false;
        let big = false;
        for (const tr of trs) {
          if (taken.has(tr)) continue;
          taken.add(tr);
          if (tr.docChanged && this.sentDoc) this.changes = this.changes ? this.changes.compose(tr.changes) : tr.changes;
          if (tr.docChanged || tr.effects.some((e) => e.is(relint))) changed = true;
          if (tr.docChanged) big ||= inserted(tr.changes) >= BIG_CHANGE;
        }
        if (!changed) return;
        this.dirty = true;
        this.nextDoc = doc;
        // A paste of megabytes: its changes' JSON and their postMessage
        // (~50 ms for 2.4 MB) go in a task of their own, not in the
        // paste's, which CodeMirror's own work already makes long.
        if (!big) this.send();
        else this.later ||= setTimeout(() => ((this.later = 0), this.send()));
      }
      update(u) {
        this.take(u.transactions, u.state.doc);
      }
      // lost is called when transactions sent early were not applied (the
      // view's update threw): the worker's text is no longer the page's.
      lost() {
        this.epoch++;
        this.sentDoc = null;
        this.changes = null;
        liveDocs.delete(core);
        this.dirty = true;
        this.nextDoc = null;
      }
      send() {
        if (this.inflight || !this.dirty || this.destroyed) return;
        this.dirty = false;
        this.inflight = true;
        const doc = this.nextDoc ?? this.view.state.doc;
        this.nextDoc = null;
        const started = performance.now();
        const epoch = this.epoch;
        const params = { format: getFormat() };
        if (this.sentDoc) params.changes = this.changes ? this.changes.toJSON() : [doc.length];
        else params.text = doc.toString();
        this.sentDoc = doc;
        liveDocs.set(core, doc);
        this.changes = null;
        core
          .call("lint", params, true)
          .then((res) => {
            // An answer about a text the page never had (a refused change)
            // must not move the diagnostics the page holds: applyDelta
            // changes them in place, and they are also those on screen.
            if (epoch !== this.epoch) return;
            // The worker answers with a delta against its previous answer,
            // even one this page dropped: apply every answer.
            const { delta, ...rest } = res;
            if (delta) res = { ...rest, diagnostics: applyDelta(this.last.diagnostics, delta) };
            this.last = res;
            // Only moved: every problem is the one shown, at the place
            // CodeMirror mapped it to (the problems panel redraws its rows).
            // An answer dropped below may have changed the problems: then
            // the next one shown is not a mere move of those on screen.
            const onlyMoved = Boolean(delta) && delta.splice[1] === 0 && delta.splice[2] === "[]";
            res.moved = onlyMoved && this.shownInSync;
            this.shownInSync = res.moved;
            const trace = core.trace;
            if (this.destroyed || this.dirty || this.view.state.doc !== doc) return;
            this.shownInSync = true;
            if (!res.moved) {
              const marks = marked(res.diagnostics);
              if (!sameAsShown(this.view.state, marks)) {
                this.view.dispatch(setDiagnostics(this.view.state, marks.map((d) => toCM(core, getFormat, doc, d))));
              }
            }
            if (trace) trace.shown = now();
            onResult(res, doc, performance.now() - started, trace);
          })
          .catch((err) => {
            this.sentDoc = null; // send the whole text next
            liveDocs.delete(core);
            // A failure with changes is retried once with the whole text
            // (say the worker had lost the text); any other is shown.
            if (params.changes) this.dirty = true;
            else onError(err);
          })
          .finally(() => {
            this.inflight = false;
            this.send();
          });
      }
      destroy() {
        this.destroyed = true;
      }
    }
  );
}

// taken holds the transactions a live lint plugin has sent, so that those
// sent by lintFirst are not sent again when the plugin sees the update.
const taken = new WeakSet();

// lintFirst returns an EditorView's dispatchTransactions for a view with
// plugin (liveDiagnostics' extension): it sends the changes to the worker
// (the document they make is known before the new state is computed), then
// lets the view apply them.
export function lintFirst(plugin) {
  return (trs, view) => {
    const live = view.plugin(plugin);
    const doc = trs.length ? trs[trs.length - 1].newDoc : view.state.doc;
    live?.take(trs, doc);
    try {
      view.update(trs);
    } catch (err) {
      if (view.state.doc !== doc) live?.lost();
      throw err;
    }
  };
}

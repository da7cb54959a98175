// Live diagnostics: every document change is sent to the worker at once (one
// request in flight, the newest text wins), and the answer is shown with
// @codemirror/lint as underlines, gutter markers and tooltips with fix
// buttons. Results for an outdated document are dropped, never shown.

import { ViewPlugin } from "@codemirror/view";
import { StateEffect } from "@codemirror/state";
import { setDiagnostics } from "@codemirror/lint";

// relint asks for a new lint without a document change (format switch).
export const relint = StateEffect.define();

// applyEdits applies UTF-16 edits computed for the current document.
export function applyEdits(view, edits, userEvent = "input.fix") {
  const changes = [...edits]
    .sort((a, b) => a.from - b.from)
    .map((e) => ({ from: e.from, to: e.to, insert: e.insert }));
  view.dispatch({ changes, userEvent, scrollIntoView: true });
}

function ruleLink(d) {
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

export { ruleLink };

function toCM(core, getFormat, doc, d) {
  const len = doc.length;
  const from = Math.min(d.from, len);
  return {
    from,
    to: Math.max(from, Math.min(d.to, len)),
    severity: d.severity,
    message: d.message,
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
        if (view.state.doc === doc) {
          applyEdits(view, fix.edits);
          return;
        }
        // The document changed since this lint: ask for the fixes again at
        // the diagnostic's current place and apply the one with this title.
        core
          .call("fixes", { text: view.state.doc.toString(), format: getFormat(), from: curFrom, to: curTo })
          .then((res) => {
            const again = res.fixes.find((f) => f.title === fix.title && f.rule === d.rule);
            if (again) applyEdits(view, again.edits);
          })
          .catch(() => {});
      },
    })),
  };
}

// liveDiagnostics returns the editor extension. onResult(result, doc, ms) is
// called after each lint with the raw core result.
export function liveDiagnostics(core, getFormat, onResult, onError) {
  return ViewPlugin.fromClass(
    class {
      constructor(view) {
        this.view = view;
        this.inflight = false;
        this.dirty = true;
        this.destroyed = false;
        this.send();
      }
      update(u) {
        if (u.docChanged || u.transactions.some((tr) => tr.effects.some((e) => e.is(relint)))) {
          this.dirty = true;
          this.send();
        }
      }
      send() {
        if (this.inflight || !this.dirty || this.destroyed) return;
        this.dirty = false;
        this.inflight = true;
        const doc = this.view.state.doc;
        const started = performance.now();
        core
          .call("lint", { text: doc.toString(), format: getFormat() })
          .then((res) => {
            if (this.destroyed || this.dirty || this.view.state.doc !== doc) return;
            const diagnostics = res.diagnostics.map((d) => toCM(core, getFormat, doc, d));
            this.view.dispatch(setDiagnostics(this.view.state, diagnostics));
            onResult(res, doc, performance.now() - started);
          })
          .catch((err) => onError(err))
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

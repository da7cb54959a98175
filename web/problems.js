// The problems panel lists every diagnostic; activating a row moves the
// cursor there. Rows are buttons, so the list works with the keyboard alone.

import { EditorSelection } from "@codemirror/state";
import { ruleLink } from "./diagnostics.js";

const ICON = { error: "✖", warning: "▲", info: "ℹ" };

export function renderProblems(list, view, res) {
  list.replaceChildren();
  if (!res.diagnostics.length) {
    const li = document.createElement("li");
    li.className = "jk-empty";
    li.textContent = "No problems found.";
    list.append(li);
    return;
  }
  for (const d of res.diagnostics) {
    const li = document.createElement("li");
    li.className = "jk-problem jk-" + d.severity;
    const btn = document.createElement("button");
    btn.type = "button";
    btn.className = "jk-problem-jump";
    btn.dataset.line = d.line;
    btn.dataset.rule = d.rule;
    btn.title = `Go to line ${d.line}, column ${d.column}`;
    const icon = document.createElement("span");
    icon.className = "jk-sev";
    icon.textContent = ICON[d.severity] || "•";
    icon.setAttribute("aria-label", d.severity);
    const msg = document.createElement("span");
    msg.className = "jk-msg";
    msg.textContent = d.message;
    const loc = document.createElement("span");
    loc.className = "jk-loc";
    loc.textContent = `${d.line}:${d.column}`;
    btn.append(icon, msg, loc);
    btn.addEventListener("click", () => {
      const len = view.state.doc.length;
      view.dispatch({
        selection: EditorSelection.range(Math.min(d.from, len), Math.min(d.to, len)),
        scrollIntoView: true,
      });
      view.focus();
    });
    li.append(btn, ruleLink(d));
    list.append(li);
  }
}

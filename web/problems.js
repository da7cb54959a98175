// The problems panel lists every diagnostic, errors first, then by
// position. It draws only the rows in view (a job can have 13,000
// problems): a spacer gives the list its full height and the visible rows
// are placed over it, so a scroll or an update costs the same whatever the
// number of problems. Rows are buttons (Enter or a click moves the cursor
// there); Up/Down/Home/End move between rows; the rule link sits beside the
// button, never inside it.

import { EditorSelection } from "@codemirror/state";
import { ruleLink } from "./diagnostics.js";

const RANK = { error: 0, warning: 1, info: 2 };
export const ROW = 44; // px; fixed so that a row's place is index * ROW
const OVERSCAN = 6;
const FALLBACK_HEIGHT = 600; // px; until the panel is laid out, or while it is hidden

// sortProblems orders diagnostics errors first, then warnings, then infos,
// each by position.
export function sortProblems(diags) {
  return [...diags].sort((a, b) => (RANK[a.severity] ?? 3) - (RANK[b.severity] ?? 3) || a.from - b.from || a.to - b.to);
}

export class ProblemsPanel {
  constructor(root, view) {
    this.root = root; // a scrolling element
    this.view = view;
    this.items = [];
    this.key = null;
    this.focusIndex = -1;
    this.spacer = document.createElement("div");
    this.spacer.className = "jk-spacer";
    this.list = document.createElement("ul");
    this.list.className = "jk-rows";
    this.list.setAttribute("aria-label", "Problems");
    this.empty = document.createElement("p");
    this.empty.className = "jk-empty";
    this.empty.textContent = "Loading jobkit…";
    root.replaceChildren(this.empty, this.spacer);
    this.spacer.append(this.list);
    // Where the rows in view start and how tall the view is, read where
    // reading them costs nothing (a scroll event, a resize observation, a
    // key press in the panel), never in draw: draw runs on every lint
    // answer, just after the editor changed the page, and reading
    // offsetTop there made the browser lay the page out in the middle of
    // every keystroke (the panel step of a 20 KB keystroke: p50 1.3 -> 0.35 ms).
    this.top = 0;
    this.height = FALLBACK_HEIGHT;
    root.addEventListener("scroll", () => (this.measure(), this.schedule()), { passive: true });
    // The empty-state line sits above the rows: it moves them when it
    // appears, goes or changes.
    const resized = new ResizeObserver(() => (this.measure(), this.schedule()));
    resized.observe(root);
    resized.observe(this.empty);
    root.addEventListener("keydown", (e) => this.onKey(e));
    root.addEventListener("focusin", (e) => {
      const li = e.target.closest?.("li[data-index]");
      if (li) this.focusIndex = Number(li.dataset.index);
    });
    this.frame = 0;
  }

  // set shows a new list of diagnostics; nothing is redrawn when it is the
  // same list as before.
  set(diags, key = null) {
    if (key !== null && key === this.key) return;
    this.key = key;
    this.items = sortProblems(diags);
    this.empty.hidden = this.items.length > 0;
    this.empty.textContent = "No problems found.";
    this.spacer.style.height = this.items.length * ROW + "px";
    this.draw();
  }

  // refresh updates the rows in view to the same problems moved by an edit
  // (their line:column may have changed; their order has not): only the
  // text that changed is written, so typing rebuilds no row.
  refresh() {
    const d0 = this.drawn;
    this.draw();
    if (this.drawn !== d0) return; // other rows: drawn anew
    for (const li of this.list.children) {
      const d = this.items[Number(li.dataset.index)];
      const btn = li.firstChild;
      if (btn.dataset.line !== String(d.line)) btn.dataset.line = d.line;
      const loc = btn.lastChild;
      const at = `${d.line}:${d.column}`;
      if (loc.textContent !== at) {
        loc.textContent = at;
        btn.title = `${d.message} (line ${d.line}, column ${d.column})`;
      }
    }
  }

  measure() {
    this.top = this.root.scrollTop - this.spacer.offsetTop;
    this.height = this.root.clientHeight || FALLBACK_HEIGHT;
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    const { top, height } = this;
    const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const last = Math.min(this.items.length, Math.ceil((top + height) / ROW) + OVERSCAN);
    // Same rows as on screen (a resize, a scroll within the overscan):
    // keep the nodes, and with them the focus and any pending click.
    if (this.drawn && this.drawn.items === this.items && this.drawn.first === first && this.drawn.last === last) return;
    this.drawn = { items: this.items, first, last };
    const had = this.root.contains(document.activeElement) ? this.focusIndex : -1;
    const rows = [];
    for (let i = first; i < last; i++) rows.push(this.row(i));
    this.list.replaceChildren(...rows);
    if (had >= first && had < last) this.list.querySelector(`li[data-index="${had}"] button`)?.focus({ preventScroll: true });
  }

  row(i) {
    const d = this.items[i];
    const li = document.createElement("li");
    li.className = "jk-problem jk-" + d.severity;
    li.dataset.index = i;
    li.style.top = i * ROW + "px";
    li.setAttribute("aria-setsize", this.items.length);
    li.setAttribute("aria-posinset", i + 1);
    const btn = document.createElement("button");
    btn.type = "button";
    btn.className = "jk-problem-jump";
    btn.dataset.line = d.line;
    btn.dataset.rule = d.rule;
    btn.title = `${d.message} (line ${d.line}, column ${d.column})`;
    const icon = document.createElement("span");
    // A shape drawn by CSS, as in the editor's gutter (style.css .jk-sev).
    icon.className = "jk-sev";
    icon.setAttribute("role", "img");
    icon.setAttribute("aria-label", d.severity);
    const msg = document.createElement("span");
    msg.className = "jk-msg";
    msg.textContent = d.message;
    const loc = document.createElement("span");
    loc.className = "jk-loc";
    loc.textContent = `${d.line}:${d.column}`;
    btn.append(icon, msg, loc);
    btn.addEventListener("click", () => this.jump(d));
    li.append(btn, ruleLink(d));
    return li;
  }

  jump(d) {
    const len = this.view.state.doc.length;
    this.view.dispatch({
      selection: EditorSelection.range(Math.min(d.from, len), Math.min(d.to, len)),
      scrollIntoView: true,
    });
    this.view.focus();
  }

  // focusRow focuses row i, scrolling it into view first.
  focusRow(i) {
    if (!this.items.length) return;
    i = Math.max(0, Math.min(this.items.length - 1, i));
    this.focusIndex = i;
    const top = i * ROW + this.spacer.offsetTop;
    if (top < this.root.scrollTop) this.root.scrollTop = top;
    else if (top + ROW > this.root.scrollTop + this.root.clientHeight) this.root.scrollTop = top + ROW - this.root.clientHeight;
    this.measure(); // the scroll event comes later: the row must be drawn now
    this.draw();
    this.list.querySelector(`li[data-index="${i}"] button`)?.focus({ preventScroll: true });
  }

  onKey(e) {
    const li = e.target.closest?.("li[data-index]");
    if (!li) return;
    const i = Number(li.dataset.index);
    const page = Math.max(1, Math.floor(this.root.clientHeight / ROW) - 1);
    const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: this.items.length - 1, PageDown: i + page, PageUp: i - page }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    this.focusRow(to);
  }
}

// Completion, hover and outline, all answered by the Go core in the worker.
// Each feature is switched on only when the core reports the method (see
// the "version" call), so the page works with any core build.

import { snippet, pickedCompletion } from "@codemirror/autocomplete";
import { hoverTooltip } from "@codemirror/view";
import { EditorSelection } from "@codemirror/state";
import { renderMarkdown } from "./markdown.js";
import { showCursorPanel, docs } from "./cursorpanel.js";
import { callOnDoc } from "./diagnostics.js";
import { thousands } from "./thousands.js";

const KINDS = {
  property: "property", key: "property", field: "property",
  value: "constant", constant: "constant", enum: "enum", boolean: "constant",
  snippet: "keyword", keyword: "keyword", type: "type", variable: "variable",
  function: "function", module: "namespace", object: "class", class: "class",
};

// toTemplate turns an LSP-style snippet ($1, ${1:x}, $0, \$ escapes) into a
// CodeMirror snippet template, where literal braces must be escaped.
export function toTemplate(s) {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && i + 1 < s.length) {
      const n = s[++i];
      out += n === "{" || n === "}" ? "\\" + n : n;
    } else if (c === "$" && /\d/.test(s[i + 1] ?? "")) {
      let j = i + 1;
      while (/\d/.test(s[j] ?? "")) j++;
      out += "${" + s.slice(i + 1, j) + "}";
      i = j - 1;
    } else if (c === "$" && s[i + 1] === "{") {
      const m = /^\$\{(\d+)(?::((?:\\.|[^}\\])*))?\}/.exec(s.slice(i));
      if (!m) {
        out += "\\{";
        i++;
        continue;
      }
      const def = (m[2] ?? "").replace(/\\(.)/g, "$1").replace(/[{}]/g, "\\$&");
      out += "${" + m[1] + (def ? ":" + def : "") + "}";
      i += m[0].length - 1;
    } else if (c === "{" || c === "}") {
      out += "\\" + c;
    } else {
      out += c;
    }
  }
  return out;
}

function applyItem(item, reqPos) {
  return (view, completion, from, to) => {
    // The user may have typed on after the request: text at or after the
    // request position moved by that much.
    const shift = to - reqPos;
    const start = item.from >= reqPos ? item.from + shift : item.from;
    const end = Math.max(to, item.to >= reqPos ? item.to + shift : item.to);
    if (item.snippet) {
      snippet(toTemplate(item.insert))(view, completion, start, end);
      return;
    }
    view.dispatch({
      changes: { from: start, to: end, insert: item.insert },
      selection: EditorSelection.cursor(start + item.insert.length),
      annotations: pickedCompletion.of(completion),
      userEvent: "input.complete",
      scrollIntoView: true,
    });
  };
}

// filterLabel is the text CodeMirror matches what was typed against.
export function filterLabel(item) {
  if (!item.snippet && typeof item.insert === "string" && item.insert.startsWith("%%") && !item.label.startsWith("%%")) {
    return item.insert.replace(/%%$/, "");
  }
  return item.label;
}

export function completionSource(core, getFormat) {
  return async (ctx) => {
    let res;
    try {
      res = await callOnDoc(core, "complete", { offset: ctx.pos, format: getFormat() }, ctx.state.doc);
    } catch {
      return null;
    }
    const slice = (a, b) => ctx.state.sliceDoc(a, b); // no copy of the whole document
    const items = res?.items ?? [];
    if (!items.length || ctx.aborted) return null;
    // Filter on what was typed between the start of the token and the cursor;
    // a leading quote is not part of any label.
    let from = Math.min(ctx.pos, ...items.map((i) => i.from));
    if (slice(from, from + 1) === '"' && from < ctx.pos) from++;
    const typed = slice(from, ctx.pos);
    if (!ctx.explicit && !typed && !/["\[{:,]\s*$|^\s*$/.test(slice(Math.max(0, ctx.pos - 3), ctx.pos))) return null;
    const sorted = [...items].sort((a, b) => (a.sortText || a.label).localeCompare(b.sortText || b.label));
    const options = sorted.map((item, rank) => ({
      // CodeMirror filters on the label against the text from `from` to
      // the cursor. A %%…%% literal is typed with its markers but labelled
      // without them: filter on what it inserts, show the label.
      label: filterLabel(item),
      displayLabel: item.label,
      detail: item.detail || undefined,
      type: KINDS[String(item.kind).toLowerCase()] || "text",
      boost: Math.max(-99, 50 - rank),
      info: item.documentation ? () => renderMarkdown(item.documentation) : undefined,
      apply: applyItem(item, ctx.pos),
    }));
    return { from, options, validFor: /^[\w$.%\-/]*$/ };
  };
}

async function hoverAt(core, getFormat, view, pos) {
  try {
    const h = await callOnDoc(core, "hover", { offset: pos, format: getFormat() }, view.state.doc);
    return h && h.markdown ? h : null;
  } catch {
    return null;
  }
}

export function hover(core, getFormat) {
  return hoverTooltip(async (view, pos) => {
    const h = await hoverAt(core, getFormat, view, pos);
    if (!h) return null;
    return {
      pos: h.from,
      end: Math.max(h.from, h.to),
      above: true,
      create() {
        const dom = renderMarkdown(h.markdown);
        dom.classList.add("jk-hover");
        return { dom };
      },
    };
  }, { hoverTime: 300 });
}

// hoverAtCursor shows the hover docs of the text at the cursor in a panel
// the keyboard can reach (Ctrl+K Ctrl+I, as in VS Code); Esc closes it.
export async function hoverAtCursor(core, getFormat, view) {
  const pos = view.state.selection.main.head;
  const doc = view.state.doc;
  const h = await hoverAt(core, getFormat, view, pos);
  if (view.state.doc !== doc || view.state.selection.main.head !== pos) return;
  const el = h ? renderMarkdown(h.markdown) : document.createElement("p");
  if (h) el.classList.add("jk-hover");
  else el.textContent = "No documentation here.";
  showCursorPanel(view, pos, docs(el, "Documentation"));
}

// renderOutline draws the symbol tree as nested lists of buttons.
export function renderOutline(root, view, symbols) {
  root.replaceChildren();
  if (!symbols.length) {
    const p = document.createElement("p");
    p.className = "jk-empty";
    p.textContent = "Nothing to outline yet.";
    root.append(p);
    return;
  }
  // A job with thousands of ops would make thousands of buttons: draw the
  // first MAX_SYMBOLS and say how many more there are.
  let budget = MAX_SYMBOLS;
  let left = 0;
  const count = (syms) => syms.reduce((n, s) => n + 1 + count(s.children ?? []), 0);
  const build = (syms) => {
    const ul = document.createElement("ul");
    for (const [i, s] of syms.entries()) {
      if (budget <= 0) {
        left += count(syms.slice(i));
        break;
      }
      budget--;
      const li = document.createElement("li");
      const btn = document.createElement("button");
      btn.type = "button";
      btn.className = "jk-symbol jk-kind-" + String(s.kind).toLowerCase();
      const name = document.createElement("span");
      name.className = "jk-sym-name";
      name.textContent = s.name;
      btn.append(name);
      if (s.detail) {
        const det = document.createElement("span");
        det.className = "jk-sym-detail";
        det.textContent = s.detail;
        btn.append(det);
      }
      btn.title = `${s.kind} ${s.name}`;
      btn.addEventListener("click", () => {
        const len = view.state.doc.length;
        view.dispatch({ selection: EditorSelection.cursor(Math.min(s.selFrom, len)), scrollIntoView: true });
        view.focus();
      });
      li.append(btn);
      if (s.children?.length) li.append(build(s.children));
      ul.append(li);
    }
    return ul;
  };
  root.append(build(symbols));
  if (left) {
    const p = document.createElement("p");
    p.className = "jk-empty";
    p.textContent = `… and ${thousands(left)} more`;
    root.append(p);
  }
}

const MAX_SYMBOLS = 300;

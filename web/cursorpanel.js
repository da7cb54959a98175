// A panel at the cursor, opened from the keyboard: the fixes menu of
// Ctrl+. and the hover docs of Ctrl+K Ctrl+I. It closes on Esc, on any edit
// or cursor move, and gives the focus back to the editor.

import { showTooltip, keymap } from "@codemirror/view";
import { StateField, StateEffect } from "@codemirror/state";

const open = StateEffect.define(); // {pos, create} or null

const field = StateField.define({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(open)) return e.value;
    if (value && (tr.docChanged || tr.selection)) return null;
    return value;
  },
  provide: (f) => showTooltip.from(f, (v) => (v ? { pos: v.pos, above: false, create: v.create } : null)),
});

// cursorPanel is the editor extension; Esc in the editor closes the panel.
export const cursorPanel = [
  field,
  keymap.of([
    {
      key: "Escape",
      run: (view) => {
        if (!view.state.field(field)) return false;
        view.dispatch({ effects: open.of(null) });
        return true;
      },
    },
  ]),
];

// showCursorPanel shows dom (built by render(close)) at pos.
export function showCursorPanel(view, pos, render) {
  const close = () => {
    view.dispatch({ effects: open.of(null) });
    view.focus();
  };
  view.dispatch({
    effects: open.of({
      pos,
      create: () => {
        const dom = render(close);
        dom.addEventListener("keydown", (e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            close();
          }
        });
        return { dom, mount: () => (dom.matches("[tabindex]") ? dom : dom.querySelector("button, [tabindex]"))?.focus() };
      },
    }),
  });
}

// menu returns a render function for a list of {label, run} choices,
// navigable with the arrow keys.
export function menu(title, choices) {
  return (close) => {
    const dom = document.createElement("div");
    dom.className = "jk-menu";
    dom.setAttribute("role", "group");
    dom.setAttribute("aria-label", title);
    const buttons = choices.map((c) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "jk-menu-item";
      b.textContent = c.label;
      b.addEventListener("click", () => {
        close();
        c.run();
      });
      return b;
    });
    dom.append(...buttons);
    dom.addEventListener("keydown", (e) => {
      const i = buttons.indexOf(document.activeElement);
      const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1 }[e.key];
      if (to === undefined || i < 0) return;
      e.preventDefault();
      buttons[(to + buttons.length) % buttons.length].focus();
    });
    return dom;
  };
}

// docs returns a render function for a focusable documentation panel.
export function docs(el, label) {
  return () => {
    const dom = document.createElement("div");
    dom.className = "jk-docs";
    dom.tabIndex = 0;
    dom.setAttribute("role", "note");
    dom.setAttribute("aria-label", label);
    dom.append(el);
    return dom;
  };
}

// One editor theme that follows the system's light/dark choice: every
// colour is a CSS variable defined in style.css under prefers-color-scheme.

import { EditorView } from "@codemirror/view";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";

const theme = EditorView.theme({
  "&": { color: "var(--fg)", backgroundColor: "var(--editor-bg)", height: "100%" },
  ".cm-content": { caretColor: "var(--caret)", fontFamily: "var(--mono)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--caret)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection": {
    backgroundColor: "var(--selection)",
  },
  ".cm-gutters": { backgroundColor: "var(--gutter-bg)", color: "var(--muted)", borderRight: "1px solid var(--border)" },
  ".cm-activeLine": { backgroundColor: "var(--active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--active-line)" },
  ".cm-tooltip": { backgroundColor: "var(--panel-bg)", color: "var(--fg)", border: "1px solid var(--border)" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { backgroundColor: "var(--accent)", color: "var(--accent-fg)" },
  ".cm-panels": { backgroundColor: "var(--panel-bg)", color: "var(--fg)" },
  ".cm-matchingBracket": { backgroundColor: "var(--match)", outline: "1px solid var(--border)" },
  ".cm-snippetField": { backgroundColor: "var(--selection)" },
  // Problems are underlined with CSS wavy lines in the theme's colours, not
  // CodeMirror's default SVG background images: Chromium loads each SVG
  // image as a document of its own, and the first ones on a new page held
  // the main thread ~90 ms between the first diagnostics arriving and their
  // frame (a Chrome trace of the cold start).
  ".cm-lintRange": {
    backgroundImage: "none",
    textDecorationLine: "underline",
    textDecorationStyle: "wavy",
    textDecorationSkipInk: "none",
    textDecorationThickness: "1px",
    textUnderlineOffset: "2px",
  },
  ".cm-lintRange-error": { backgroundImage: "none", textDecorationColor: "var(--error)" },
  ".cm-lintRange-warning": { backgroundImage: "none", textDecorationColor: "var(--warning)" },
  ".cm-lintRange-info": { backgroundImage: "none", textDecorationColor: "var(--info)" },
  ".cm-lintRange-hint": { backgroundImage: "none", textDecorationColor: "var(--muted)" },
  // The gutter's markers likewise: shapes drawn by CSS (circle, triangle,
  // square) instead of SVG images.
  ".cm-lint-marker": {
    content: "normal",
    width: "0.7em",
    height: "0.7em",
    margin: "0.2em 0.15em",
    boxSizing: "border-box",
    forcedColorAdjust: "none",
  },
  ".cm-lint-marker-error": { content: "normal", backgroundColor: "var(--error)", borderRadius: "50%" },
  ".cm-lint-marker-warning": { content: "normal", backgroundColor: "var(--warning)", clipPath: "polygon(50% 0, 100% 100%, 0 100%)" },
  ".cm-lint-marker-info": { content: "normal", backgroundColor: "var(--info)", borderRadius: "2px" },
});

const highlight = HighlightStyle.define([
  { tag: t.propertyName, color: "var(--syn-key)" },
  { tag: t.string, color: "var(--syn-string)" },
  { tag: t.number, color: "var(--syn-number)" },
  { tag: [t.bool, t.null], color: "var(--syn-keyword)" },
  { tag: [t.separator, t.punctuation, t.brace, t.squareBracket], color: "var(--muted)" },
  { tag: t.invalid, color: "var(--error)" },
]);

export const systemTheme = [theme, syntaxHighlighting(highlight)];

// jobkit's browser editor: CodeMirror 6 in the page, jobkit's Go core in a
// Web Worker. See docs/editor.md for the architecture and the worker API.

import { EditorView, keymap, tooltips, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, dropCursor } from "@codemirror/view";
import { EditorState, Compartment } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { bracketMatching, indentOnInput, foldGutter, foldKeymap } from "@codemirror/language";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { lintGutter, lintKeymap, openLintPanel } from "@codemirror/lint";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import examples from "jobkit:examples";

import { startCore } from "./client.js";
import { liveDiagnostics, relint, applyEdits } from "./diagnostics.js";
import { renderProblems } from "./problems.js";
import { completionSource, hover, renderOutline } from "./intel.js";
import { encodeShare, decodeShare, isShare } from "./share.js";
import { systemTheme } from "./theme.js";
import { loadState, saveState, flushState } from "./storage.js";

const $ = (id) => document.getElementById(id);
const core = startCore("worker.js");
const intel = new Compartment();
const FORMAT_NAMES = { nosana: "Nosana", nomad: "Nomad", unknown: "unknown", "": "unknown" };

let methods = new Set(["lint", "fixes", "fixAll"]);
let formatChoice = "auto";
let fromLink = false;
const getFormat = () => formatChoice;

// --- status and notices -------------------------------------------------

function notice(text, kind = "info") {
  const el = $("notice");
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = !text;
}

function announce(text) {
  $("live").textContent = text;
}

// --- lint results -------------------------------------------------------

const hooks = { lints: 0, last: null, firstLintAt: 0, waiters: [] };

let lastSummary = "";

function onLint(res, doc, ms) {
  hooks.lints++;
  hooks.last = res;
  hooks.lastDoc = doc;
  if (!hooks.firstLintAt) hooks.firstLintAt = performance.now();
  const [e, w, i] = res.counts;
  $("counts").textContent = `${e} error${e === 1 ? "" : "s"}, ${w} warning${w === 1 ? "" : "s"}, ${i} info`;
  $("counts").dataset.errors = e;
  $("detected").textContent =
    formatChoice === "auto"
      ? `detected: ${FORMAT_NAMES[res.detected] ?? res.detected}`
      : `linting as ${FORMAT_NAMES[res.format] ?? res.format} (detected: ${FORMAT_NAMES[res.detected] ?? res.detected})`;
  $("timing").textContent = `linted in ${ms.toFixed(1)} ms (Go ${core.coreMs.toFixed(1)} ms)`;
  renderProblems($("problems"), view, res);
  const summary = `${e} errors, ${w} warnings`;
  if (summary !== lastSummary) announce(summary); // not on every keystroke
  lastSummary = summary;
  hooks.waiters = hooks.waiters.filter((waiter) => (waiter.doc === doc ? (waiter.resolve(res), false) : true));
  scheduleOutline();
}

function onLintError(err) {
  notice(err.message, "error");
}

// The outline follows the lint once typing pauses (it must never delay the
// next keystroke's diagnostics in the worker's queue): one request in
// flight, the newest document next, answers for an outdated document dropped.
let outlineBusy = false;
let outlineDirty = false;
let outlineTimer = 0;
function scheduleOutline() {
  clearTimeout(outlineTimer);
  outlineTimer = setTimeout(requestOutline, 250);
}
function requestOutline() {
  if (!methods.has("outline")) return;
  if (outlineBusy) {
    outlineDirty = true; // requested again when the one in flight is done
    return;
  }
  outlineBusy = true;
  outlineDirty = false;
  const doc = view.state.doc;
  core
    .call("outline", { text: doc.toString(), format: getFormat() })
    .then((res) => {
      if (view.state.doc !== doc) return;
      renderOutline($("outline"), view, res.symbols ?? []);
      hooks.outlineDoc = doc;
    })
    .catch((err) => ($("outline").textContent = err.message))
    .finally(() => {
      outlineBusy = false;
      if (outlineDirty || view.state.doc !== doc) requestOutline();
    });
}

// --- commands -----------------------------------------------------------

function replaceDoc(text, userEvent) {
  const old = view.state.doc.toString();
  if (old === text) return false;
  let a = 0;
  while (a < old.length && a < text.length && old[a] === text[a]) a++;
  let b = 0;
  while (b < old.length - a && b < text.length - a && old[old.length - 1 - b] === text[text.length - 1 - b]) b++;
  view.dispatch({ changes: { from: a, to: old.length - b, insert: text.slice(a, text.length - b) }, userEvent, scrollIntoView: true });
  return true;
}

async function formatDoc() {
  if (!methods.has("format")) {
    notice("This jobkit build cannot format yet.");
    return true;
  }
  try {
    const res = await core.call("format", { text: view.state.doc.toString() });
    announce(replaceDoc(res.text, "input.format") ? "Formatted." : "Already formatted.");
    notice("");
  } catch (err) {
    notice("Cannot format: " + err.message, "error");
  }
  return true;
}

async function fixAll() {
  try {
    const res = await core.call("fixAll", { text: view.state.doc.toString(), format: getFormat() });
    replaceDoc(res.text, "input.fix");
    announce(res.applied ? `Applied ${res.applied} fix${res.applied === 1 ? "" : "es"}.` : "No safe fixes to apply.");
  } catch (err) {
    notice(err.message, "error");
  }
}

async function quickFix(v) {
  const { from, to } = v.state.selection.main;
  try {
    const res = await core.call("fixes", { text: v.state.doc.toString(), format: getFormat(), from, to });
    if (res.fixes.length === 1) {
      applyEdits(v, res.fixes[0].edits);
      announce("Applied: " + res.fixes[0].title);
    } else if (res.fixes.length > 1) {
      openLintPanel(v);
    } else {
      announce("No fix here.");
    }
  } catch (err) {
    notice(err.message, "error");
  }
  return true;
}

async function share() {
  const frag = await encodeShare(view.state.doc.toString());
  const url = location.href.split("#")[0] + frag;
  window.history.replaceState(null, "", frag);
  fromLink = true;
  $("share-link").value = url;
  $("share-box").hidden = false;
  $("share-link").select();
  await copyText(url, "Share link copied.");
  return url;
}

async function copyText(text, done) {
  try {
    await navigator.clipboard.writeText(text);
    announce(done);
    notice(done);
  } catch {
    notice("Copy was blocked by the browser; select the text and press Ctrl+C.");
  }
}

function download() {
  const blob = new Blob([view.state.doc.toString()], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = $("filename").value || "job.json";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function setFormat(f) {
  formatChoice = f;
  hooks.lastDoc = null; // the next lint answers for the new format
  $("format").value = f;
  view.dispatch({ effects: relint.of(null) });
  persist();
}

function persist() {
  saveState({ text: view.state.doc.toString(), format: formatChoice, name: $("filename").value });
}

// --- the editor ---------------------------------------------------------

const view = new EditorView({
  parent: $("editor"),
  state: EditorState.create({
    doc: "",
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      foldGutter(),
      lintGutter(),
      history(),
      drawSelection(),
      dropCursor(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      json(),
      systemTheme,
      tooltips({ parent: $("tooltips") }), // not clipped by the editor's box
      intel.of(autocompletion({ override: [] })),
      liveDiagnostics(core, getFormat, onLint, onLintError),
      keymap.of([
        { key: "Shift-Alt-f", run: () => (formatDoc(), true) },
        { key: "Mod-Shift-f", run: () => (formatDoc(), true), preventDefault: true },
        { key: "Mod-.", run: (v) => (quickFix(v), true), preventDefault: true },
        ...closeBracketsKeymap,
        ...defaultKeymap,
        ...searchKeymap,
        ...historyKeymap,
        ...foldKeymap,
        ...completionKeymap,
        ...lintKeymap,
      ]),
      EditorView.contentAttributes.of({ "aria-label": "Job definition (JSON)" }),
      EditorView.updateListener.of((u) => {
        if (!u.docChanged) return;
        persist();
        if (fromLink && u.transactions.some((tr) => tr.isUserEvent("input") || tr.isUserEvent("delete"))) {
          // The page no longer shows what the link holds: drop it so a reload
          // keeps the edits (from localStorage) instead of reopening the link.
          fromLink = false;
          window.history.replaceState(null, "", location.pathname + location.search);
        }
      }),
    ],
  }),
});

function setDoc(text, userEvent = "set") {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent });
}

async function openLink(hash) {
  try {
    setDoc(await decodeShare(hash), "set.share");
    fromLink = true;
    notice("Opened the job from a share link.");
    return true;
  } catch (err) {
    notice(err.message, "error");
    return false;
  }
}

// --- toolbar --------------------------------------------------------------

function buildExamples() {
  const sel = $("examples");
  for (const [i, ex] of examples.entries()) {
    const opt = document.createElement("option");
    opt.value = String(i);
    opt.textContent = ex.name;
    sel.append(opt);
  }
  sel.addEventListener("change", () => {
    const ex = examples[Number(sel.value)];
    sel.value = "";
    if (!ex) return;
    setDoc(ex.text, "input.example");
    $("filename").value = ex.file;
    setFormat("auto");
    view.focus();
  });
}

function wireToolbar() {
  $("format").addEventListener("change", (e) => setFormat(e.target.value));
  $("btn-format").addEventListener("click", () => formatDoc());
  $("btn-fixall").addEventListener("click", () => fixAll());
  $("btn-share").addEventListener("click", () => share());
  $("btn-copy").addEventListener("click", () => copyText(view.state.doc.toString(), "Job copied."));
  $("btn-download").addEventListener("click", download);
  $("btn-open").addEventListener("click", () => $("file").click());
  $("file").addEventListener("change", async (e) => {
    const f = e.target.files[0];
    if (!f) return;
    setDoc(await f.text(), "input.open");
    $("filename").value = f.name;
    e.target.value = "";
    view.focus();
  });
  $("share-close").addEventListener("click", () => ($("share-box").hidden = true));
  $("notice").addEventListener("click", () => notice(""));
  window.addEventListener("hashchange", () => {
    if (isShare(location.hash)) openLink(location.hash);
  });
  window.addEventListener("pagehide", () => flushState({ text: view.state.doc.toString(), format: formatChoice, name: $("filename").value }));
}

async function start() {
  buildExamples();
  wireToolbar();
  const saved = loadState();
  if (saved?.format) {
    formatChoice = saved.format;
    $("format").value = saved.format;
  }
  if (isShare(location.hash) && (await openLink(location.hash))) {
    // opened from the link
  } else if (saved) {
    setDoc(saved.text);
    $("filename").value = saved.name || "job.json";
  } else if (examples.length) {
    setDoc(examples[0].text);
    $("filename").value = examples[0].file;
  }
  hooks.ready = true;
  try {
    const v = await core.call("version");
    methods = new Set(v.methods);
    $("version").textContent = `jobkit ${v.version} (${v.go})`;
    const ext = [];
    ext.push(autocompletion({ override: methods.has("complete") ? [completionSource(core, getFormat)] : [], icons: true }));
    if (methods.has("hover")) ext.push(hover(core, getFormat));
    view.dispatch({ effects: intel.reconfigure(ext) });
    $("btn-format").disabled = !methods.has("format");
    $("outline-section").hidden = !methods.has("outline");
    scheduleOutline();
  } catch (err) {
    notice(err.message, "error");
  }
}

// Hooks for the end-to-end tests and benchmarks (e2e/).
window.jobkitEditor = Object.assign(hooks, {
  view,
  core,
  share,
  formatDoc,
  fixAll,
  setFormat,
  // whenLinted resolves with the lint result of the current document.
  whenLinted() {
    if (hooks.lastDoc === view.state.doc) return Promise.resolve(hooks.last);
    return new Promise((resolve) => hooks.waiters.push({ doc: view.state.doc, resolve }));
  },
});

start();

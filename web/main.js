// jobkit's browser editor: CodeMirror 6 in the page, jobkit's Go core in a
// Web Worker. See docs/editor.md for the architecture and the worker API.

import { EditorView, keymap, tooltips, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, dropCursor } from "@codemirror/view";
import { EditorState, Compartment } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { bracketMatching, indentOnInput, foldGutter, foldKeymap, syntaxTree } from "@codemirror/language";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { linter, lintGutter, nextDiagnostic, previousDiagnostic, forEachDiagnostic } from "@codemirror/lint";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import examples from "jobkit:examples";

import { startCore, now } from "./client.js";
import { liveDiagnostics, lintFirst, relint, applyEdits, callOnDoc, MAX_MARKS } from "./diagnostics.js";
import { ProblemsPanel } from "./problems.js";
import { completionSource, hover, hoverAtCursor, renderOutline } from "./intel.js";
import { cursorPanel, showCursorPanel, menu } from "./cursorpanel.js";
import { encodeShare, decodeShare, isShare } from "./share.js";
import { systemTheme } from "./theme.js";
import { loadState, saveState, flushState, loadPref, savePref } from "./storage.js";
import { notice, announce, cleanError } from "./notice.js";
import { thousands } from "./thousands.js";
import { capSlices, steadyParse } from "./parseslices.js";

const $ = (id) => document.getElementById(id);
capSlices(); // CodeMirror's background parse yields within 25 ms (web/parseslices.js)
const core = startCore(window.jobkitWorker || "worker.js");
const intel = new Compartment();
const wrapping = new Compartment();
const FORMAT_NAMES = { nosana: "Nosana", nomad: "Nomad", unknown: "unknown", "": "unknown" };

let methods = new Set(["lint", "fixes", "fixAll"]);
let formatChoice = "auto";
let fromLink = false;
const getFormat = () => formatChoice;

// --- lint results -------------------------------------------------------

// firstLintAt: the first lint's result reached the page (its underlines
// are in the DOM); firstPaintAt: the frame showing them was drawn.
const hooks = { lints: 0, last: null, firstLintAt: 0, firstPaintAt: 0, waiters: [] };

// afterNextPaint runs fn once the next frame has been drawn: a task posted
// from requestAnimationFrame runs after that frame's style, layout and paint.
function afterNextPaint(fn) {
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = fn;
    ch.port2.postMessage(null);
  });
}

let lastSummary = "";
let lastDetected = "";
let lastCounts = "";
let problems = null; // ProblemsPanel, once the view exists
let shownResult = null;

function onLint(res, doc, ms, trace) {
  hooks.lints++;
  hooks.last = res;
  hooks.lastDoc = doc;
  if (!hooks.firstLintAt) {
    hooks.firstLintAt = performance.now();
    afterNextPaint(() => (hooks.firstPaintAt = performance.now()));
  }
  const [e, w, i] = res.counts;
  const total = e + w + i;
  let counts = `${thousands(e)} error${e === 1 ? "" : "s"}, ${thousands(w)} warning${w === 1 ? "" : "s"}, ${thousands(i)} info`;
  if (total > MAX_MARKS) counts += ` (first ${thousands(MAX_MARKS)} underlined)`;
  // Written only when they change: an unchanged text written again is a
  // change of the page all the same, laid out again after every keystroke.
  if (counts !== lastCounts) {
    $("counts").textContent = lastCounts = counts;
    $("counts").dataset.errors = e;
  }
  const detected =
    formatChoice === "auto"
      ? `detected: ${FORMAT_NAMES[res.detected] ?? res.detected}`
      : `linting as ${FORMAT_NAMES[res.format] ?? res.format} (detected: ${FORMAT_NAMES[res.detected] ?? res.detected})`;
  if (detected !== lastDetected) $("detected").textContent = lastDetected = detected;
  $("timing").textContent = `linted in ${ms.toFixed(1)} ms (Go ${core.coreMs.toFixed(1)} ms)`;
  // The panel shows line:column, which moves with edits above a problem:
  // redraw the rows in view when the problems only moved (same order),
  // sort them again otherwise.
  if (res.moved && shownResult !== null) problems.refresh();
  else problems.set(res.diagnostics);
  shownResult = res;
  const summary = `${e} errors, ${w} warnings`;
  if (summary !== lastSummary) announce(summary); // not on every keystroke
  lastSummary = summary;
  if (trace) hooks.trace = { ...trace, done: now() };
  hooks.waiters = hooks.waiters.filter((waiter) => (waiter.doc === doc ? (waiter.resolve(res), false) : true));
  scheduleOutline();
}

function onLintError(err) {
  notice(cleanError(err.message), "error");
}

// The outline follows the lint once typing pauses (it must never delay the
// next keystroke's diagnostics in the worker's queue): one request in
// flight, the newest document next, answers for an outdated document dropped.
let outlineBusy = false;
let outlineDirty = false;
let outlineTimer = 0;
let outlineKey = "";
function scheduleOutline() {
  clearTimeout(outlineTimer);
  outlineTimer = setTimeout(requestOutline, 400);
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
  callOnDoc(core, "outline", { format: getFormat() }, doc)
    .then((res) => {
      if (view.state.doc !== doc) return;
      const symbols = res.symbols ?? [];
      const key = JSON.stringify(symbols.slice(0, 400));
      if (key !== outlineKey || symbols.length > 400) renderOutline($("outline"), view, symbols);
      outlineKey = key;
      hooks.outlineDoc = doc;
    })
    .catch((err) => ($("outline").textContent = cleanError(err.message)))
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
    const done = replaceDoc(res.text, "input.format") ? "Formatted." : "Already formatted.";
    announce(done);
    notice(done);
  } catch (err) {
    notice("Cannot format: " + cleanError(err.message, ["cannot format", "format"]), "error");
  }
  return true;
}

async function fixAll() {
  try {
    const res = await core.call("fixAll", { text: view.state.doc.toString(), format: getFormat() });
    replaceDoc(res.text, "input.fix");
    const done = res.applied ? `Applied ${res.applied} fix${res.applied === 1 ? "" : "es"}.` : "No safe fixes to apply.";
    announce(done);
    notice(done);
  } catch (err) {
    notice("Cannot fix: " + cleanError(err.message, ["cannot fix"]), "error");
  }
}

// quickFix (Ctrl+.) applies the only fix for the problem under the cursor,
// or opens a menu of that problem's fixes at the cursor.
async function quickFix(v) {
  const { from, to } = v.state.selection.main;
  const doc = v.state.doc;
  try {
    const res = await core.call("fixes", { text: doc.toString(), format: getFormat(), from, to });
    if (v.state.doc !== doc) return true; // typed on: the fixes are for old text
    if (res.fixes.length === 1) {
      applyEdits(v, res.fixes[0].edits);
      announce("Applied: " + res.fixes[0].title);
    } else if (res.fixes.length > 1) {
      showCursorPanel(v, from, menu("Fixes", res.fixes.map((f) => ({
        label: f.title,
        run: () => {
          applyEdits(v, f.edits);
          announce("Applied: " + f.title);
        },
      }))));
    } else {
      announce("No fix here.");
      notice("No fix for the text at the cursor.");
    }
  } catch (err) {
    notice(cleanError(err.message), "error");
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
    notice("Copy was blocked by the browser; select the text and press Ctrl+C.", "error");
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
  hooks.downloads = (hooks.downloads ?? 0) + 1;
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function setFormat(f) {
  formatChoice = f;
  hooks.lastDoc = null; // the next lint answers for the new format
  $("format").value = f;
  view.dispatch({ effects: relint.of(null) });
  persist();
}

function setWrap(on, save = true) {
  $("wrap").checked = on;
  view.dispatch({ effects: wrapping.reconfigure(on ? EditorView.lineWrapping : []) });
  if (save) savePref("wrap", on ? "1" : "0");
}

function persist() {
  saveState(() => ({ text: view.state.doc.toString(), format: formatChoice, name: $("filename").value }), view.state.doc.length, storageProblem);
}

// storageProblem is told when the job could not be kept for the next visit.
function storageProblem(bytes) {
  const mb = (bytes / 1e6).toFixed(1);
  notice(`This job (${mb} MB) is too big to keep in this browser: a reload will not bring it back. Download it to keep it.`, "error");
  hooks.notKept = bytes;
}

// --- the editor ---------------------------------------------------------

let view;

function createView(doc) {
  // Wrap long lines by default on narrow screens, where sideways scrolling
  // hides the start of every line.
  const wrapPref = loadPref("wrap");
  const wrap = wrapPref === null ? matchMedia("(max-width: 600px)").matches : wrapPref === "1";
  $("wrap").checked = wrap;
  const live = liveDiagnostics(core, getFormat, onLint, onLintError);
  view = new EditorView({
    parent: $("editor"),
    dispatchTransactions: lintFirst(live),
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        foldGutter(),
        lintGutter(),
        // The lint state and its theme from the start (no lint source: the
        // worker's answers are set by liveDiagnostics). Otherwise the first
        // diagnostics add them, and with them a reconfiguration and a
        // restyle of the whole page: 55-100 ms on a cold start.
        linter(null),
        history(),
        drawSelection(),
        dropCursor(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        json(),
        steadyParse,
        systemTheme,
        wrapping.of(wrap ? EditorView.lineWrapping : []),
        tooltips({ parent: $("tooltips") }), // not clipped by the editor's box
        cursorPanel,
        intel.of(autocompletion({ override: [] })),
        live,
        keymap.of([
          { key: "Shift-Alt-f", run: () => (formatDoc(), true) },
          { key: "Mod-Shift-f", run: () => (formatDoc(), true), preventDefault: true },
          { key: "Mod-.", run: (v) => (quickFix(v), true), preventDefault: true },
          { key: "Mod-k Mod-i", run: (v) => (methods.has("hover") && hoverAtCursor(core, getFormat, v), true), preventDefault: true },
          { key: "Mod-Shift-m", run: () => (focusProblems(), true), preventDefault: true },
          { key: "F8", run: nextDiagnostic },
          { key: "Shift-F8", run: previousDiagnostic },
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...searchKeymap,
          ...historyKeymap,
          ...foldKeymap,
          ...completionKeymap,
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
  problems = new ProblemsPanel($("problems"), view);
}

// CodeMirror's completion list scrolls but cannot take the focus (the
// editor keeps it and points at the active option). Put the list in the
// tab order so that keyboard users can scroll it (axe:
// scrollable-region-focusable).
function focusableCompletionLists() {
  new MutationObserver(() => {
    for (const ul of $("tooltips").querySelectorAll(".cm-tooltip-autocomplete > ul:not([tabindex])")) ul.tabIndex = 0;
  }).observe($("tooltips"), { childList: true, subtree: true });
}

function focusProblems() {
  if (problems.items.length) problems.focusRow(0);
  else $("problems").focus();
}

function setDoc(text, userEvent = "set") {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent });
}

// linkText returns the job in a share link, or null (with a notice saying
// why) when the link cannot be read.
async function linkText(hash) {
  try {
    return await decodeShare(hash);
  } catch (err) {
    notice(err.message, "error");
    return null;
  }
}

async function openLink(hash) {
  const text = await linkText(hash);
  if (text === null) return false;
  setDoc(text, "set.share");
  fromLink = true;
  notice("Opened the job from a share link.");
  return true;
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
    notice("");
    view.focus();
  });
}

function wireToolbar() {
  $("format").addEventListener("change", (e) => setFormat(e.target.value));
  $("wrap").addEventListener("change", (e) => setWrap(e.target.checked));
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
    notice("");
    view.focus();
  });
  $("share-close").addEventListener("click", () => ($("share-box").hidden = true));
  $("notice").addEventListener("click", () => notice(""));
  window.addEventListener("hashchange", () => {
    if (isShare(location.hash)) openLink(location.hash);
  });
  window.addEventListener("pagehide", () =>
    flushState({ text: view.state.doc.toString(), format: formatChoice, name: $("filename").value }, storageProblem)
  );
}

async function start() {
  const saved = loadState();
  if (saved?.format) {
    formatChoice = saved.format;
    $("format").value = saved.format;
  }
  // The first lint is of the real document: pick it before the editor
  // (and with it the lint plugin) exists.
  let doc = null;
  let name = "job.json";
  if (isShare(location.hash)) {
    doc = await linkText(location.hash);
    if (doc !== null) {
      fromLink = true;
      notice("Opened the job from a share link.");
    }
  }
  if (doc === null && saved) {
    doc = saved.text;
    name = saved.name || "job.json";
  } else if (doc === null && examples.length) {
    doc = examples[0].text;
    name = examples[0].file;
  }
  createView(doc ?? "");
  $("filename").value = name;
  buildExamples();
  wireToolbar();
  focusableCompletionLists();
  hooks.view = view;
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
    // The section shows now: fill it at once (after the first diagnostics'
    // frame), not after the pause that spaces the outlines of typing.
    afterNextPaint(() => requestOutline());
  } catch (err) {
    notice(cleanError(err.message), "error");
  }
}

// Hooks for the end-to-end tests and benchmarks (e2e/).
window.jobkitEditor = Object.assign(hooks, {
  core,
  share,
  formatDoc,
  fixAll,
  setFormat,
  setWrap,
  forEachDiagnostic: (f) => forEachDiagnostic(view.state, f),
  // parsedTo is how far CodeMirror's syntax tree covers the document.
  parsedTo: () => syntaxTree(view.state).length,
  // whenLinted resolves with the lint result of the current document.
  whenLinted() {
    if (hooks.lastDoc === view.state.doc) return Promise.resolve(hooks.last);
    return new Promise((resolve) => hooks.waiters.push({ doc: view.state.doc, resolve }));
  },
});

start();

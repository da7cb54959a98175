// The editor's state survives a reload through localStorage. Storage may be
// unavailable (private mode) or full (a job of a few MB): then the saved job
// is removed, so that a reload never reopens an older one silently, and
// onFail(bytes) is told once per job so the page can warn.

const KEY = "jobkit.editor.v1";
const PREFS = "jobkit.editor.prefs.";

export function loadState() {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) || "null");
    return s && typeof s.text === "string" ? s : null;
  } catch {
    return null;
  }
}

let failedFor = -1; // length of the text that last failed, to warn once

// MAX_KEEP is the largest job (in characters) written to localStorage.
// Browsers give an origin about 5 MB there, and writing is synchronous:
// a 3 MB job froze the page for a whole second on a busy machine. Bigger
// jobs are not kept (the page says so).
export const MAX_KEEP = 1_500_000;

function write(state, onFail) {
  if (state.text.length > MAX_KEEP) return fail(state, onFail, state.text.length);
  const json = JSON.stringify(state);
  try {
    localStorage.setItem(KEY, json);
    failedFor = -1;
    return true;
  } catch {
    return fail(state, onFail, json.length);
  }
}

// fail forgets the saved job (a reload must not silently bring back an
// older one) and tells onFail once until a save succeeds again.
function fail(state, onFail, size) {
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* storage disabled */
  }
  if (failedFor < 0 && onFail) onFail(size);
  failedFor = state.text.length;
  return false;
}

let timer = 0;
// saveState writes getState() after typing pauses; big jobs (size in
// characters) wait longer, since serialising them costs main-thread time.
export function saveState(getState, size, onFail) {
  clearTimeout(timer);
  if (size > MAX_KEEP) {
    // Not written anyway: say so at once, without serialising anything.
    timer = setTimeout(() => fail({ text: { length: size } }, onFail, size), 300);
    return;
  }
  const wait = size > 100_000 ? 1500 : 300;
  timer = setTimeout(() => write(getState(), onFail), wait);
}

// flushState writes a pending save at once (the page is going away).
export function flushState(state, onFail) {
  clearTimeout(timer);
  write(state, onFail);
}

export function loadPref(name) {
  try {
    return localStorage.getItem(PREFS + name);
  } catch {
    return null;
  }
}

export function savePref(name, value) {
  try {
    localStorage.setItem(PREFS + name, value);
  } catch {
    /* not kept: nothing to do */
  }
}

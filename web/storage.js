// The editor's state survives a reload through localStorage. Storage may be
// unavailable (private mode, quota): then the page simply forgets.

const KEY = "jobkit.editor.v1";

export function loadState() {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) || "null");
    return s && typeof s.text === "string" ? s : null;
  } catch {
    return null;
  }
}

let timer = 0;
export function saveState(state) {
  clearTimeout(timer);
  timer = setTimeout(() => {
    try {
      localStorage.setItem(KEY, JSON.stringify(state));
    } catch {
      /* storage full or disabled: nothing to do */
    }
  }, 250);
}

// flushState writes a pending save at once (the page is going away).
export function flushState(state) {
  clearTimeout(timer);
  try {
    localStorage.setItem(KEY, JSON.stringify(state));
  } catch {
    /* nothing to do */
  }
}

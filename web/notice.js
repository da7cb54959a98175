// Notices: one line under the toolbar that says what just happened. A new
// notice replaces the old one; each goes away by itself (errors stay a little
// longer), or on a click.

const $ = (id) => document.getElementById(id);
let timer = 0;

export function notice(text, kind = "info") {
  const el = $("notice");
  clearTimeout(timer);
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = !text;
  if (text) timer = setTimeout(() => (el.hidden = true), kind === "error" ? 12000 : 4000);
}

export function announce(text) {
  $("live").textContent = text;
}

// cleanError makes a core error readable after a prefix of our own: it
// drops leading "prefix:" parts the error already carries (the Go side
// wraps errors with the operation's name, "cannot format: format: …") and
// capitalises nothing, since it follows our own words.
export function cleanError(message, prefixes = []) {
  let m = String(message).trim();
  for (let again = true; again; ) {
    again = false;
    for (const p of prefixes) {
      if (m.toLowerCase().startsWith(p.toLowerCase() + ":")) {
        m = m.slice(p.length + 1).trimStart();
        again = true;
      }
    }
  }
  return m;
}

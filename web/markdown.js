// A small Markdown renderer for hover and completion docs written by jobkit's
// core: paragraphs, headings, bullet lists, fenced code, `code`, **bold**,
// *emphasis* and [links](url). It builds DOM nodes and never parses HTML, so
// text from a job file cannot inject markup.

function inline(parent, text) {
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/g;
  let at = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > at) parent.append(text.slice(at, m.index));
    const s = m[0];
    if (m[1]) {
      const el = document.createElement("code");
      el.textContent = s.slice(1, -1);
      parent.append(el);
    } else if (m[2]) {
      const el = document.createElement("strong");
      inline(el, s.slice(2, -2));
      parent.append(el);
    } else if (m[3]) {
      const el = document.createElement("em");
      inline(el, s.slice(1, -1));
      parent.append(el);
    } else {
      const close = s.indexOf("](");
      const href = s.slice(close + 2, -1);
      const a = document.createElement("a");
      if (/^(https?:|#|\.{0,2}\/)/.test(href)) a.href = href;
      a.target = "_blank";
      a.rel = "noopener";
      inline(a, s.slice(1, close));
      parent.append(a);
    }
    at = m.index + s.length;
  }
  if (at < text.length) parent.append(text.slice(at));
}

export function renderMarkdown(md) {
  const root = document.createElement("div");
  root.className = "jk-md";
  const lines = String(md ?? "").replace(/\r\n?/g, "\n").split("\n");
  let para = [];
  let list = null;
  const flush = () => {
    if (para.length) {
      const p = document.createElement("p");
      inline(p, para.join(" "));
      root.append(p);
      para = [];
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^```/.test(line)) {
      flush();
      list = null;
      const code = [];
      for (i++; i < lines.length && !/^```/.test(lines[i]); i++) code.push(lines[i]);
      const pre = document.createElement("pre");
      pre.textContent = code.join("\n");
      root.append(pre);
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    const li = /^\s*[-*]\s+(.*)$/.exec(line);
    if (h) {
      flush();
      list = null;
      const el = document.createElement("h4");
      inline(el, h[2]);
      root.append(el);
    } else if (li) {
      flush();
      if (!list) {
        list = document.createElement("ul");
        root.append(list);
      }
      const item = document.createElement("li");
      inline(item, li[1]);
      list.append(item);
    } else if (line.trim() === "") {
      flush();
      list = null;
    } else if (list && /^\s+/.test(line)) {
      inline(list.lastChild, " " + line.trim());
    } else {
      list = null;
      para.push(line.trim());
    }
  }
  flush();
  return root;
}

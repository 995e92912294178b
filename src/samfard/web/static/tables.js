// A table wrapper that scrolls sideways (`.table-wrap`) is a region the keyboard can
// scroll: it takes focus and is named, so a screen reader says what it holds (axe-core:
// scrollable-region-focusable). `ui.table_wrap` draws it so; this gives the same to a
// wrapper a page writes as a bare <div class="table-wrap">, on load and in every part
// htmx swaps in. The name is the table's caption, else the nearest heading before it.
(function () {
  "use strict";

  function heading(wrap) {
    for (let node = wrap; node && node !== document.body; node = node.parentElement) {
      for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
        const found = /^H[1-6]$/.test(before.tagName)
          ? before
          : Array.from(before.querySelectorAll("h1, h2, h3, h4, h5, h6")).pop();
        if (found && found.textContent.trim()) return found.textContent.trim();
      }
    }
    return "";
  }

  function label(wrap) {
    const caption = wrap.querySelector("caption");
    const text = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    return text || heading(wrap).replace(/\s+/g, " ") || "Tabell";
  }

  function mark(root) {
    const wraps = Array.from(root.querySelectorAll(".table-wrap"));
    if (root.matches && root.matches(".table-wrap")) wraps.push(root);
    for (const wrap of wraps) {
      if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
      if (!wrap.hasAttribute("role")) wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
        wrap.setAttribute("aria-label", label(wrap));
      }
    }
  }

  mark(document);
  if (window.htmx) window.htmx.onLoad(mark);
})();

/* Combobox with a list of suggestions (WAI-ARIA combobox pattern), for htmx active search.
 *
 * Markup: a container [data-combobox] holding
 *   <input role="combobox" aria-controls="LIST" aria-expanded="false" ...hx-get...>
 *   <input type="hidden" data-combobox-value>          (optional: the chosen value)
 *   <ul id="LIST" role="listbox"> <li role="option" data-value=".." data-label=".."> </ul>
 *   <span data-combobox-status role="status"></span>   (optional: "3 träffar")
 * The server fills the list (htmx swaps the options in). Keys: ArrowDown/ArrowUp move,
 * Enter picks the active option (or the first one, when something is typed; in an empty
 * field it sends the form), Escape closes. A click picks too.
 * Picking sets the text and the hidden value and fires "combobox:chosen" on the container;
 * an option with data-load="URL" is loaded by htmx into the container's data-load-target.
 */
(function () {
  "use strict";

  function parts(container) {
    const input = container.querySelector("[role=combobox]");
    const list = document.getElementById(input.getAttribute("aria-controls"));
    return {
      input: input,
      list: list,
      hidden: container.querySelector("[data-combobox-value]"),
      status: container.querySelector("[data-combobox-status]"),
    };
  }

  function options(list) {
    return Array.from(list.querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }

  function close(p) {
    p.list.innerHTML = "";
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function activate(p, option) {
    for (const o of p.list.querySelectorAll("[role=option]")) o.setAttribute("aria-selected", "false");
    if (!option) {
      p.input.removeAttribute("aria-activedescendant");
      return;
    }
    option.setAttribute("aria-selected", "true");
    p.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function choose(container, option) {
    const p = parts(container);
    p.input.value = option.dataset.label || option.textContent.trim();
    if (p.hidden) p.hidden.value = option.dataset.value || "";
    close(p);
    if (p.status) p.status.textContent = "Vald: " + p.input.value;
    container.dispatchEvent(new CustomEvent("combobox:chosen", { bubbles: true, detail: { value: option.dataset.value } }));
    p.input.dispatchEvent(new Event("change", { bubbles: true }));
    const url = option.dataset.load;
    const target = container.dataset.loadTarget;
    if (url && target && window.htmx) {
      window.htmx.ajax("GET", url, { target: target, swap: "innerHTML" }).then(function () {
        if (option.dataset.pushUrl) history.pushState({}, "", option.dataset.pushUrl);
      });
    }
  }

  function onKey(event) {
    const input = event.target;
    if (input.getAttribute("role") !== "combobox") return;
    const container = input.closest("[data-combobox]");
    const p = parts(container);
    const all = options(p.list);
    const active = document.getElementById(input.getAttribute("aria-activedescendant") || "");
    const index = all.indexOf(active);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = index < 0 ? (step > 0 ? 0 : all.length - 1) : (index + step + all.length) % all.length;
      activate(p, all[next]);
    } else if (event.key === "Enter") {
      if (!all.length) return;
      if (index < 0 && !input.value.trim()) {
        /* Nothing typed and nothing marked: the operator meant to send the form, not to
           take the first suggestion (an empty Till became the home, as Från). */
        close(p);
        return;
      }
      event.preventDefault(); /* picking a suggestion never submits the form */
      choose(container, index >= 0 ? all[index] : all[0]);
    } else if (event.key === "Escape") {
      if (all.length) event.preventDefault();
      close(p);
    }
  }

  function onInput(event) {
    const input = event.target;
    if (input.getAttribute("role") !== "combobox") return;
    const p = parts(input.closest("[data-combobox]"));
    if (p.hidden) p.hidden.value = ""; /* the text changed: what was picked no longer holds */
  }

  function onSwap(event) {
    const list = event.detail.target;
    if (!list || list.getAttribute("role") !== "listbox") return;
    const input = document.querySelector('[aria-controls="' + list.id + '"]');
    if (!input) return;
    const p = parts(input.closest("[data-combobox]"));
    if (document.activeElement !== input) { /* answered after the operator moved on */
      close(p);
      return;
    }
    const count = options(list).length;
    input.setAttribute("aria-expanded", count ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
    if (p.status) p.status.textContent = count === 0 ? "Inga träffar" : count === 1 ? "1 träff" : count + " träffar";
  }

  document.addEventListener("keydown", onKey);
  document.addEventListener("input", onInput);
  document.addEventListener("htmx:afterSwap", onSwap);
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest("[role=listbox]")) event.preventDefault(); /* keep focus */
  });
  document.addEventListener("click", function (event) {
    const option = event.target.closest && event.target.closest("[role=option]");
    if (!option || option.getAttribute("aria-disabled") === "true") return;
    const container = option.closest("[data-combobox]");
    if (container) choose(container, option);
  });
  document.addEventListener("focusout", function (event) {
    const input = event.target;
    if (!input.getAttribute || input.getAttribute("role") !== "combobox") return;
    setTimeout(function () {
      if (document.activeElement !== input) close(parts(input.closest("[data-combobox]")));
    }, 150);
  });
})();

// A change refused by the server, shown. htmx swaps no 4xx or 5xx answer, so a button that
// works in place (Avbeställ, Kvittera, a move) answered by the shell's error page (a form
// from before a logout, a record changed meanwhile) showed nothing: the user pressed again
// or walked away thinking it was done. An answer marked as that page (the
// Samfard-Page-Error header, `web.templating.page_error`) to a change (not a GET: the
// background refreshes handle their own failures) replaces the page's <main> with the
// error page's, and its heading takes the focus, so a screen reader says it too.
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    const detail = event.detail;
    const verb = detail.requestConfig ? detail.requestConfig.verb : "get";
    if (detail.xhr.status < 400 || verb === "get" || !detail.xhr.getResponseHeader("Samfard-Page-Error")) return;
    const main = document.getElementById("innehall");
    if (!main) return;
    detail.shouldSwap = true;
    detail.isError = false;
    detail.target = main;
    detail.swapOverride = "innerHTML";
    detail.selectOverride = "#innehall > *";
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    const main = document.getElementById("innehall");
    if (event.detail.xhr.status < 400 || event.target !== main) return;
    const heading = main.querySelector("h1");
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  });
})();

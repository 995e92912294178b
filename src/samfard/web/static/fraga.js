// The question htmx asks before an act that cannot be undone (hx-confirm: cancel a trip,
// re-plan the day, offer the runs). htmx asks with the browser's confirm(), whose buttons
// are the browser's ("OK", "Cancel") and whose box no page style or screen reader label
// reaches. It is asked here instead, in the page's own dialog (#fraga in base.html): the
// question as its heading, what follows the question mark as its text, Ja or Avbryt.
// Avbryt has focus first, so an Enter pressed by habit does nothing that cannot be undone;
// Esc is Avbryt too. Closed, the dialog gives focus back to the control that asked.
(function () {
  "use strict";
  const dialog = document.getElementById("fraga");
  if (!dialog || !dialog.showModal) return; // htmx falls back to the browser's confirm()
  const heading = document.getElementById("fraga-rubrik");
  const text = document.getElementById("fraga-text");
  let yes = null; // what Ja does for the question now open
  let asker = null; // the control that asked, given focus back

  document.getElementById("fraga-ja").addEventListener("click", function () { dialog.close("ja"); });
  document.getElementById("fraga-avbryt").addEventListener("click", function () { dialog.close("nej"); });
  dialog.addEventListener("close", function () {
    dialog.removeAttribute("aria-labelledby");
    dialog.removeAttribute("aria-describedby");
    const go = dialog.returnValue === "ja" ? yes : null;
    yes = null;
    if (asker && asker.isConnected) asker.focus();
    asker = null;
    if (go) go();
  });

  // "Avbeställa resan R-1? Det går inte att ångra." asks "Avbeställa resan R-1?" and
  // says "Det går inte att ångra." below it.
  function ask(question, then) {
    const mark = question.indexOf("?");
    heading.textContent = mark < 0 ? question : question.slice(0, mark + 1);
    text.textContent = mark < 0 ? "" : question.slice(mark + 1).trim();
    text.hidden = !text.textContent;
    yes = then;
    asker = document.activeElement;
    dialog.setAttribute("aria-labelledby", "fraga-rubrik");
    if (text.textContent) dialog.setAttribute("aria-describedby", "fraga-text");
    dialog.returnValue = "";
    dialog.showModal();
    // Not `autofocus` on Avbryt: a page's one autofocus is its first field.
    document.getElementById("fraga-avbryt").focus();
  }

  document.body.addEventListener("htmx:confirm", function (event) {
    if (!event.detail.question) return;
    event.preventDefault();
    ask(event.detail.question, function () { event.detail.issueRequest(true); });
  });
})();

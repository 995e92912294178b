// A run's page (/trafik/korning/{id}): htmx replaces the stops (#korning-stopp) when the
// run or the day changes (trafik-live.js). Controls keep their ids, so htmx gives focus
// back to the one that had it; a Flytta gone because its pickup was just reported had
// left focus on <body>, so focus goes to the stops' heading instead. The live region
// (#trafik-live) says a new report aloud, once, and nothing when a fetch brings nothing
// new (a position, another run's change of the plan).
(function () {
  "use strict";
  const ID = "korning-stopp";
  let before = null; // {focused, latest, order} of the section being replaced

  function say(text) {
    const live = document.getElementById("trafik-live");
    if (!live) return;
    live.textContent = "";
    // Set after a pause: the same words twice in a row are otherwise not read again.
    setTimeout(function () { live.textContent = text; }, 100);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    const section = event.detail.target;
    if (!section || section.id !== ID) return;
    const focused = document.activeElement;
    before = {
      focused: Boolean(focused && section.contains(focused)),
      latest: section.dataset.senaste || "",
      order: Number(section.dataset.annanOrdning || 0),
    };
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    const section = document.getElementById(ID);
    if (!section || event.target !== section || before === null) return;
    const was = before;
    before = null;
    const latest = section.dataset.senaste || "";
    if (latest && latest !== was.latest) {
      // A report that puts a stop out of order says so, with the page's count of them.
      const count = document.getElementById("annan-ordning");
      const order = count && Number(section.dataset.annanOrdning || 0) > was.order
        ? " " + count.textContent.trim() : "";
      say("Ny rapport: " + latest + "." + order);
    }
    const now = document.activeElement;
    if (!was.focused || (now && now !== document.body && document.contains(now))) return;
    document.getElementById("stopp-rubrik").focus();
  });

  let gone = false; // the run left the plan: said once, not at every change after it
  document.addEventListener("htmx:responseError", function (event) {
    const section = document.getElementById(ID);
    if (gone || !section || event.detail.elt !== section || event.detail.xhr.status !== 404) return;
    gone = true;
    say("Körningen finns inte längre i dagens nyaste plan. Gå tillbaka till dagen för att se körningarna som de är nu.");
  });
})();

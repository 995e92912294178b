// The traffic controller's pages follow the live day: the server sends an event when what
// the page shows changes (a driver's report, a booking placed or leaving, a new plan
// version; on a run's page also the vehicle's position), and the changed parts are fetched
// again through the page's own route. The stream's URL is the live region's data-strom.
// A burst of changes becomes one "trafik-andring" event on <body>: a run's page has htmx
// fetch its stops on it (hx-trigger="trafik-andring from:body"); /trafik (data-datum)
// replaces its parts from the whole page, below.
(function () {
  "use strict";
  const live = document.getElementById("trafik-live");
  if (!live || !window.EventSource) return;
  let pending = null;
  const stream = new EventSource(live.dataset.strom);
  stream.addEventListener("change", function () {
    // Several changes in a burst cost one fetch.
    if (pending === null) pending = setTimeout(function () {
      pending = null;
      document.body.dispatchEvent(new CustomEvent("trafik-andring"));
    }, 500);
  });

  const day = live.dataset.datum;
  if (!day) return;
  const PARTS = ["planinfo", "tidslinje", "oplanerade", "korningar"];
  // A slow answer may overlap the next change's fetch: only the latest fetch's answer is
  // shown, so an older one arriving last does not bring back a plan from before a change.
  let fetched = 0;

  async function refresh() {
    const mine = ++fetched;
    const answer = await fetch("/trafik?datum=" + encodeURIComponent(day));
    if (!answer.ok || mine !== fetched) return;
    const html = await answer.text();
    if (mine !== fetched) return;
    const fresh = new DOMParser().parseFromString(html, "text/html");
    PARTS.forEach(function (id) {
      const now = document.getElementById(id);
      const next = fresh.getElementById(id);
      if (now && next && !now.contains(document.activeElement)) now.replaceWith(next);
    });
    live.textContent = "Uppdaterad " + new Date().toLocaleTimeString("sv-SE") + " efter en ändring i dagens plan.";
  }

  document.body.addEventListener("trafik-andring", function () { refresh().catch(function () {}); });
})();

// /trafik follows the live day: the server sends an event when the day's plan changes
// (a driver's report, a booking placed or leaving, a new plan version), and the changed
// parts of the page are fetched again through the page's own route.
(function () {
  "use strict";
  const live = document.getElementById("trafik-live");
  if (!live || !window.EventSource) return;
  const day = live.dataset.datum;
  const PARTS = ["planinfo", "tidslinje", "oplanerade", "korningar"];
  let pending = null;
  // A slow answer may overlap the next change's fetch: only the latest fetch's answer is
  // shown, so an older one arriving last does not bring back a plan from before a change.
  let fetched = 0;

  async function refresh() {
    pending = null;
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

  const stream = new EventSource("/trafik/strom?datum=" + encodeURIComponent(day));
  stream.addEventListener("change", function () {
    // Several changes in a burst cost one fetch.
    if (pending === null) pending = setTimeout(function () { refresh().catch(function () {}); }, 500);
  });
})();

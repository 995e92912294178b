// The day's runs on the map of /trafik: one line per vehicle from its stops in order.
// The lines are drawn even when the tile server is unreachable.
(function () {
  "use strict";
  const element = document.getElementById("map");
  if (!element || typeof L === "undefined") return;
  const lines = JSON.parse(document.getElementById("run-lines").textContent);
  const tiles = JSON.parse(document.getElementById("tile-url").textContent);
  const map = L.map(element, { keyboard: true, zoomControl: false }).setView([63.0, 16.0], 6);
  L.control.zoom({ zoomInTitle: "Zooma in", zoomOutTitle: "Zooma ut" }).addTo(map);
  if (tiles) L.tileLayer(tiles, { maxZoom: 18, attribution: "© OpenStreetMap" }).addTo(map);
  const colours = ["#0b4f6c", "#a40000", "#0b6b3a", "#7a4f00", "#5b2a86", "#1d2733"];
  const bounds = [];
  lines.forEach(function (entry, index) {
    const code = entry[0];
    // Whole 1e-5 degrees (dispatch/day_view.py MAP_UNITS), back to degrees.
    const points = entry[1].map(function (p) { return [p[0] / 1e5, p[1] / 1e5]; });
    if (points.length === 0) return;
    const line = L.polyline(points, { color: colours[index % colours.length], weight: 3, opacity: 0.8 })
      .bindTooltip(code)
      .addTo(map);
    // The timeline and the table name every run: the lines are no keyboard stops.
    line.getElement().setAttribute("tabindex", "-1");
    line.getElement().setAttribute("aria-hidden", "true");
    points.forEach(function (p) { bounds.push(p); });
  });
  // Not animated: the first view is where the page starts, not a zoom to watch.
  if (bounds.length > 0) map.fitBounds(bounds, { padding: [10, 10], animate: false });
})();

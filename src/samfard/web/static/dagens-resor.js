// Dagens resor (/): the day's pickups on a map beside the table, from the rows' data-lat
// and data-lon; the tile server's address comes in the page's #tile-url (a file of its own,
// so the Content-Security-Policy allows scripts from the site only). Loaded by that page
// only, after Leaflet; `map` stays a global of the page, as the browser tests read it.
// The map works without tiles: markers are drawn even when the tile server is unreachable.
// Rows without coordinates (a protected traveller's home is hidden) have no data-lat.
// The table lists every marker, so the markers are no keyboard stops: 300 of them stood
// between the map and the table. The zoom buttons speak Swedish. The first fit is not
// animated: a zoom still moving when the page is read showed a view half-way there.
const map = L.map("map", {zoomControl: false}).setView([63.0, 16.0], 6);
L.control.zoom({zoomInTitle: "Zooma in", zoomOutTitle: "Zooma ut"}).addTo(map);
L.tileLayer(JSON.parse(document.getElementById("tile-url").textContent), {maxZoom: 18, attribution: "© OpenStreetMap"}).addTo(map);
const markers = [];
for (const row of document.querySelectorAll("tr[data-lat]")) {
  const at = [+row.dataset.lat, +row.dataset.lon];
  if (!Number.isFinite(at[0]) || !Number.isFinite(at[1])) continue;
  const marker = L.circleMarker(at, {radius: 4}).bindTooltip(row.dataset.ref).addTo(map);
  marker.getElement().setAttribute("tabindex", "-1");
  marker.getElement().setAttribute("aria-hidden", "true");
  markers.push(marker);
}
if (markers.length) map.fitBounds(L.featureGroup(markers).getBounds(), {padding: [20, 20], maxZoom: 13, animate: false});

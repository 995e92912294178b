// The driver's page: every press becomes a report with an id made here, queued in
// localStorage and sent in order whenever there is a connection. The server stores a
// report once per id, so sending one again after a lost answer is harmless.
// A first report at a pickup far ahead of its time (the stop carries the moment,
// data-early-until, from dispatch/driver/rules.py) is asked about before it is queued, by
// the phone's clock, so offline too; Uteblev (data-opens) is enabled when the promised
// window opens, by the same clock the report is dated with; a drop-off (data-pickup) when
// its pickup's Hämtad is queued. Uteblev ends the trip and may cost the traveller a fee, so
// it is always asked about first. Both questions are asked in the page's dialog
// ("Rapportera att Nils uteblev?", Ja or Avbryt; Avbryt and Esc leave focus on the button
// pressed), never with the browser's confirm(), whose buttons speak the phone's language.
// A report that takes its stop off the list (a no-show) leaves focus on the next stop's
// heading, not on the page's <body>.
(function () {
  "use strict";
  const root = document.getElementById("forare");
  if (!root || !root.dataset.run) return;
  const KEY = "samfard.forare.ko";
  const REFUSED = "samfard.forare.avvisade";
  const POSITION_EVERY_MS = 60000;
  // After one of these the stop is finished and takes no more reports.
  const FINISHING = ["picked_up", "no_show", "dropped_off"];
  const status = document.getElementById("anslutning");
  const baseline = status.textContent;
  let sending = false;

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(key, list) { localStorage.setItem(key, JSON.stringify(list)); }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function csrf() {
    const match = document.cookie.match(/(?:^|; )samfard_csrf=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function clock(iso) {
    return new Date(iso).toLocaleTimeString("sv-SE", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  // "7 tim 5 min", "45 min": how long until the stop.
  function left(ms) {
    const minutes = Math.max(0, Math.round(ms / 60000));
    const hours = Math.floor(minutes / 60);
    return hours ? hours + " tim " + (minutes % 60) + " min" : minutes + " min";
  }

  // Whether the report is asked about as early: it is the stop's first (nothing stored,
  // nothing waiting) and far ahead of the stop's time.
  function early(stop) {
    const until = stop && Date.parse(stop.dataset.earlyUntil || "");
    if (!until || Date.now() >= until) return false;
    const id = Number(stop.id.replace("stopp-", ""));
    return !load(KEY).some(function (event) { return event.stop_id === id; });
  }

  // Uteblev waits for the promised window: disabled, with its time beside it, until then.
  let opening = null;
  function openNoShows() {
    clearTimeout(opening);
    let next = Infinity;
    root.querySelectorAll("button[data-opens]").forEach(function (button) {
      const opens = Date.parse(button.dataset.opens);
      const closed = Date.now() < opens;
      button.disabled = closed;
      const hint = document.getElementById(button.getAttribute("aria-describedby"));
      if (hint) hint.hidden = !closed;
      if (closed) next = Math.min(next, opens);
    });
    // At most a minute at a time: a phone asleep lets a long timer run late.
    if (next < Infinity) opening = setTimeout(openNoShows, Math.min(next - Date.now() + 50, 60000));
  }

  // A drop-off waits for its pickup's Hämtad (data-pickup: the server refuses it before);
  // its buttons open once that report is queued, so offline the queue carries both.
  function openDropOffs(queue) {
    queue.forEach(function (event) {
      if (event.kind !== "picked_up") return;
      root.querySelectorAll('button[data-pickup="' + event.stop_id + '"]').forEach(function (button) {
        button.disabled = false;
        const hint = document.getElementById(button.getAttribute("aria-describedby"));
        if (hint) hint.hidden = true;
      });
    });
  }

  function show() {
    openNoShows();
    const queue = load(KEY);
    openDropOffs(queue);
    const list = document.getElementById("ko");
    list.replaceChildren();
    queue.forEach(function (event) {
      const item = document.createElement("li");
      item.textContent = event.label + " (" + clock(event.at) + ")";
      list.appendChild(item);
    });
    document.getElementById("ko-antal").textContent = String(queue.length);
    const refused = document.getElementById("avvisade");
    refused.replaceChildren();
    load(REFUSED).forEach(function (text) {
      const item = document.createElement("li");
      item.textContent = text;
      refused.appendChild(item);
    });
    queue.forEach(function (event) {
      const stop = event.stop_id && document.getElementById("stopp-" + event.stop_id);
      if (!stop) return;
      withoutButtonsFor(stop, event.kind);
      if (!stop.querySelector(".pending")) {
        const note = document.createElement("p");
        note.className = "pending";
        note.textContent = "Väntar på att skickas";
        stop.appendChild(note);
      }
    });
  }

  // A report waiting to be sent takes its button away, and every button of its stop once
  // the stop is finished; show() does it again after the list is fetched, since a list
  // fetched before the report was stored offers its button again (a second press would
  // report twice). Focus moves to the stop's next button, or its heading.
  function withoutButtonsFor(stop, kind) {
    const finished = FINISHING.indexOf(kind) >= 0;
    let hadFocus = false;
    stop.querySelectorAll("form.report").forEach(function (form) {
      if (finished || form.elements.kind.value === kind) {
        hadFocus = hadFocus || form.contains(document.activeElement);
        form.remove();
      }
    });
    if (hadFocus) (stop.querySelector("form.report button") || stop.querySelector("h3")).focus();
  }

  function online(isOnline) {
    status.classList.toggle("offline", !isOnline);
    const waiting = load(KEY).length;
    const reports = waiting === 1 ? "1 rapport väntar" : waiting + " rapporter väntar";
    status.textContent = isOnline ? baseline : "Ingen anslutning: " + reports + " och skickas när anslutningen är tillbaka.";
  }

  function enqueue(event) {
    const queue = load(KEY);
    if (event.kind === "position") {
      // Only the newest unsent position matters.
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i].kind === "position") queue.splice(i, 1);
    }
    queue.push(event);
    save(KEY, queue);
    show();
    flush();
  }

  // The question before a report. The form asked about is kept by its stop and kind: the
  // list may be fetched again while the dialog is open, which replaces the form itself.
  // Ja goes on with `then`, given the form as it is then.
  const question = document.getElementById("fraga-rapport");
  const yes = document.getElementById("fraga-rapport-ja");
  let asked = null;
  function liveForm(which) {
    const stop = document.getElementById(which.stopId);
    return stop ? stop.querySelector('form.report input[name="kind"][value="' + which.kind + '"]') : null;
  }
  function ask(form, heading, text, then) {
    const kind = form.elements.kind.value;
    asked = { stopId: form.closest(".stop").id, kind: kind, form: form, then: then };
    document.getElementById("fraga-rapport-rubrik").textContent = heading;
    document.getElementById("fraga-rapport-text").textContent = text;
    yes.classList.toggle("report-no_show", kind === "no_show");
    question.returnValue = "";
    question.showModal();
  }
  yes.addEventListener("click", function () { question.close("ja"); });
  document.getElementById("fraga-rapport-avbryt").addEventListener("click", function () { question.close("nej"); });
  question.addEventListener("close", function () {
    const which = asked;
    asked = null;
    if (!which) return;
    const input = liveForm(which);
    const form = input ? input.form : which.form;
    if (question.returnValue === "ja") {
      which.then(form);
      return;
    }
    const button = input && form.querySelector("button");
    if (button) button.focus();
  });

  // A report far ahead of its stop's time: asked about first, then on as any other.
  function askEarly(form) {
    const stop = form.closest(".stop");
    const label = String(form.querySelector("button").firstChild.textContent).trim();
    const ahead = left(Date.parse(stop.dataset.stopAt) - Date.now());
    ask(form, "Rapportera " + label + " nu ändå?", stop.dataset.earlyText + ": det är " + ahead + " dit.", report);
  }

  // Uteblev ends the trip: always asked about. Every other report is queued at once.
  function report(form) {
    if (form.elements.kind.value !== "no_show") {
      send(form);
      return;
    }
    const name = form.querySelector("button").dataset.name || "resenären";
    ask(form, "Rapportera att " + name + " uteblev?",
      "Resan avslutas, och resenären kan få betala avgiften för bomkörning.", send);
  }

  // The stop list fetched again (after a report is sent, or on a change from elsewhere).
  // Fetches overlap (a report sent and the server's change event each ask for one), and an
  // answer read before the last report was stored must not replace a newer list: only the
  // answer to the latest fetch is shown. The button or heading that had keyboard focus
  // gets it back in the new list, so a key pressed while the list is replaced still
  // reaches the same stop's same button.
  let fetched = 0;
  async function refresh() {
    const mine = ++fetched;
    const answer = await fetch("/forare?del=stopp", { headers: { "HX-Request": "true" } });
    if (!answer.ok || mine !== fetched) return;
    const html = await answer.text();
    if (mine !== fetched) return;
    const list = document.getElementById("stopp");
    const focused = list.contains(document.activeElement) ? document.activeElement : null;
    const stop = focused ? focused.closest(".stop") : null;
    const button = focused && focused.matches("form.report button") ? focused.className : null;
    // The stops after the focused one: where focus goes if that stop leaves the list.
    const after = [];
    for (let next = stop && stop.nextElementSibling; next; next = next.nextElementSibling) after.push(next.id);
    list.innerHTML = html;
    const again = stop ? document.getElementById(stop.id) : null;
    if (again) {
      const same = button ? again.querySelector("form.report button." + button) : null;
      (same || again.querySelector("h3")).focus();
    } else if (stop) {
      const next = after.map(function (id) { return document.getElementById(id); }).find(Boolean);
      (next ? next.querySelector("h3") : document.getElementById("stopp-rubrik")).focus();
    }
    show();
  }

  async function flush() {
    if (sending) return;
    sending = true;
    let sent = 0;
    try {
      while (load(KEY).length > 0) {
        const event = load(KEY)[0];
        const body = Object.assign({}, event);
        delete body.label;
        let answer;
        try {
          answer = await fetch("/api/v1/driver/events", {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
            body: JSON.stringify(body),
          });
        } catch (e) {
          online(false);
          return;
        }
        if (answer.status >= 500 || answer.status === 429 || answer.status === 401) {
          online(answer.status !== 401);
          return;
        }
        if (!answer.ok) {
          const problem = await answer.json().catch(function () { return {}; });
          const refused = load(REFUSED);
          refused.push(event.label + " (" + clock(event.at) + ") sparades inte: " + (problem.detail_sv || problem.detail || answer.status));
          save(REFUSED, refused);
        }
        save(KEY, load(KEY).filter(function (e) { return e.client_event_id !== event.client_event_id; }));
        sent += 1;
      }
      online(true);
    } finally {
      sending = false;
      show();
      if (sent > 0) refresh().catch(function () { online(false); });
    }
  }

  root.addEventListener("submit", function (submitted) {
    const form = submitted.target.closest("form.report");
    if (!form) return;
    submitted.preventDefault();
    if (early(form.closest(".stop"))) askEarly(form);
    else report(form);
  });

  // Queue the form's report: pressed once, the button would only repeat it.
  function send(form) {
    const data = new FormData(form);
    const kind = String(data.get("kind"));
    const button = form.querySelector("button");
    button.focus();
    withoutButtonsFor(form.closest(".stop"), kind);
    enqueue({
      client_event_id: newId(),
      run_id: Number(data.get("run_id")),
      stop_id: Number(data.get("stop_id")),
      kind: kind,
      at: new Date().toISOString(),
      label: button.dataset.label,
    });
  }

  if (navigator.geolocation) {
    let last = 0;
    navigator.geolocation.watchPosition(function (where) {
      if (Date.now() - last < POSITION_EVERY_MS) return;
      last = Date.now();
      enqueue({
        client_event_id: newId(),
        run_id: Number(root.dataset.run),
        kind: "position",
        at: new Date(where.timestamp || Date.now()).toISOString(),
        lat: Math.round(where.coords.latitude * 1e5) / 1e5,
        lon: Math.round(where.coords.longitude * 1e5) / 1e5,
        label: "Position",
      });
    }, function () { /* position not allowed: the page works without it */ }, { enableHighAccuracy: false, maximumAge: 30000 });
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { online(false); });
  setInterval(flush, 15000);

  // Changes from elsewhere (the controller moved a stop, another device reported) arrive
  // as server-sent events; the stop list is fetched again when nothing waits to be sent.
  if (window.EventSource) {
    const stream = new EventSource("/forare/strom");
    stream.addEventListener("change", function () {
      if (load(KEY).length === 0) refresh().catch(function () { online(false); });
    });
  }

  show();
  flush();
})();

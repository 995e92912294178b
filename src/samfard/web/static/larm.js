// The controller's alerts (#larm) are one section htmx replaces whole: every 30 seconds,
// after Kvittera and after "Planera om resten av dagen". htmx gives focus back to the
// control that had it when the new section has one with the same id (the controls keep
// their ids). The alert just acknowledged is gone, and focus fell to <body>: the
// controller, on the keyboard, had to start again from the top of the page. So focus goes
// to the next alert's Kvittera (the one now in the same row, else the last), else to the
// section's heading; and the answer's message ("Larmet är kvitterat.", the re-plan's
// outcome) is shown in the status region outside the section (#larm-meddelande), which
// reads it out: a section inserted whole would not be. The section brings the message
// hidden, so it is shown once (it stood both above the table and in the region).
(function () {
  "use strict";
  let before = null; // {row} of the control that had focus in the section, or null

  function rowOf(section, element) {
    const row = element.closest("tbody tr");
    return row ? Array.prototype.indexOf.call(section.querySelectorAll("tbody tr"), row) : -1;
  }

  function focusOn(element) {
    element.focus();
    return document.activeElement === element;
  }

  function moveOn(section, row) {
    const buttons = section.querySelectorAll("button.kvittera");
    if (row >= 0 && buttons.length > 0 && focusOn(buttons[Math.min(row, buttons.length - 1)])) return;
    const heading = document.getElementById("alerts-title");
    if (heading) focusOn(heading);
  }

  function announce(section) {
    const live = document.getElementById("larm-meddelande");
    const note = section.querySelector(".larm-svar");
    // A reload every 30 seconds brings no message: the last answer's stays until the next.
    if (!live || !note) return;
    const text = note.textContent.trim();
    note.remove();
    live.replaceChildren();
    // Set after a pause: the same message twice in a row is otherwise not read again.
    setTimeout(function () {
      const shown = document.createElement("p");
      shown.className = "success";
      shown.textContent = text;
      live.replaceChildren(shown);
    }, 100);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    const section = event.detail.target;
    if (!section || section.id !== "larm") return;
    const focused = document.activeElement;
    before = focused && section.contains(focused) ? { row: rowOf(section, focused) } : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    const section = document.getElementById("larm");
    if (!section || event.target !== section) return;
    announce(section);
    const was = before;
    before = null;
    if (was === null) return;
    // Kept by htmx, or moved by the controller meanwhile: leave it where it is.
    const now = document.activeElement;
    if (now && now !== document.body && document.contains(now)) return;
    moveOn(section, was.row);
  });
})();

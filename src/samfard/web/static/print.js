// "Skriv ut" buttons open the browser's print dialog (the print style hides the shell).
document.querySelectorAll(".print-button").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});

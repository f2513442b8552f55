// A button with data-print opens the browser's print dialog (A4 layouts in
// css/print.css).
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

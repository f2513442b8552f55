// Homework forms: stop a double tap from sending the same form twice (the
// server is idempotent anyway) and show how many files were picked.
(function () {
  "use strict";
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-busy")) {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-busy", "");
      // Disable after this tick so the clicked button's name is still sent.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          b.disabled = true;
        });
      }, 0);
    });
  });
  document.querySelectorAll("input[type=file][multiple]").forEach(function (input) {
    var note = document.createElement("p");
    note.className = "muted help";
    note.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", note);
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      note.textContent = names.join(", ");
    });
  });
})();

// Self-check questions in lessons: checked in the browser, no round trip.
// Without JavaScript the <details> under each question shows the answer.
"use strict";
document.querySelectorAll("[data-self-check]").forEach(function (form) {
  var button = form.querySelector("[data-check]");
  var result = form.querySelector(".self-check-result");
  button.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = form.querySelector("input[type=radio]:checked");
    if (!chosen) return;
    var right = chosen.hasAttribute("data-correct");
    result.textContent = right ? result.dataset.right : result.dataset.wrong;
    result.className = "self-check-result " + (right ? "badge-ok" : "badge-warn");
    result.hidden = false;
  });
});

// The phone header's menu button (templates/base.html): the links of
// nav#site-nav open below the header line and close again on a second tap,
// on Escape or on a tap outside the menu. Without this script the links
// simply stay in the header.
"use strict";
(function () {
  var button = document.querySelector("[data-menu-toggle]");
  var nav = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) return;
  var root = document.documentElement;
  root.classList.add("has-menu");
  button.hidden = false;
  function setOpen(open) {
    root.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  button.addEventListener("click", function () {
    setOpen(!root.classList.contains("menu-open"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && root.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!root.classList.contains("menu-open")) return;
    if (button.contains(event.target) || nav.contains(event.target)) return;
    setOpen(false);
  });
})();

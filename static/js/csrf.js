// Forms take their CSRF token from the csrftoken cookie at submit time, so
// a page saved for offline use carries no token and still posts (the
// service worker strips tokens from saved pages). A missing cookie is
// refreshed from /csrf/ first; a form that meets a CSRF 403 retries once.
"use strict";
(function () {
  function cookieToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function fill(form, token) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "csrfmiddlewaretoken";
      form.appendChild(input);
    }
    input.value = token;
  }
  function refresh() {
    return fetch("/csrf/", { credentials: "same-origin", cache: "no-store" })
      .then(function () { return cookieToken(); });
  }
  window.lophocCsrf = { token: cookieToken, refresh: refresh };
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.method || "").toLowerCase() !== "post") return;
    if (new URL(form.action, location.href).origin !== location.origin) return;
    var token = cookieToken();
    if (token) { fill(form, token); return; }
    event.preventDefault();
    refresh().then(function (fresh) { fill(form, fresh); form.submit(); });
  }, true);
})();

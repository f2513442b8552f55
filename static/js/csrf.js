// Forms take their CSRF token from the csrftoken cookie at submit time, so
// a page saved for offline use carries no token and still posts (the
// service worker strips tokens from saved pages). A missing cookie is
// refreshed from /csrf/ first. A form that meets a CSRF 403 (a stale
// token) is sent once more, transparently: each POST's fields are kept in
// sessionStorage until the next page; the 403 page (courses.pwa.csrf_failure,
// <meta name="lophoc-csrf-failed">) refreshes the token and resends them.
"use strict";
(function () {
  var KEY = "lophoc-csrf-resend";
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
  function keep(form, submitter) {
    try {
      var fields = [];
      var data = new FormData(form, submitter || undefined);
      var files = false;
      data.forEach(function (value, name) {
        if (typeof value !== "string") files = true;
        else if (name !== "csrfmiddlewaretoken") fields.push([name, value]);
      });
      // A file can't be kept: such a form is not resent.
      if (files) sessionStorage.removeItem(KEY);
      else sessionStorage.setItem(KEY, JSON.stringify({ action: form.action, fields: fields }));
    } catch (e) { /* private mode */ }
  }
  function resend() {
    var kept = null;
    try {
      kept = JSON.parse(sessionStorage.getItem(KEY));
      sessionStorage.removeItem(KEY);
    } catch (e) { /* private mode */ }
    if (!kept || !document.querySelector("meta[name=lophoc-csrf-failed]")) return;
    refresh().then(function (token) {
      var form = document.createElement("form");
      form.method = "post";
      form.action = kept.action;
      form.hidden = true;
      kept.fields.forEach(function (field) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = field[0];
        input.value = field[1];
        form.appendChild(input);
      });
      fill(form, token);
      document.body.appendChild(form);
      HTMLFormElement.prototype.submit.call(form); // once: nothing kept now
    });
  }
  window.lophocCsrf = { token: cookieToken, refresh: refresh };
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.method || "").toLowerCase() !== "post") return;
    if (new URL(form.action, location.href).origin !== location.origin) return;
    var token = cookieToken();
    if (token) { fill(form, token); keep(form, event.submitter); return; }
    event.preventDefault();
    refresh().then(function (fresh) { fill(form, fresh); keep(form, event.submitter); form.submit(); });
  }, true);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resend);
  else resend();
})();

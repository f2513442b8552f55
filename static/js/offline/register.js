// Installs the service worker and tells it who is signed in on this page
// (the <meta name="lophoc-user"> id; empty for a visitor), so saved lessons
// stay in that child's own cache. On logout the child's caches are cleared
// before the form is sent. Shows the week's data meter in the footer.
"use strict";
(function () {
  var script = document.currentScript;
  var meta = document.querySelector("meta[name=lophoc-user]");
  var user = meta ? meta.content : "";
  // The offline page is the same for everyone: the worker knows the child.
  var fromWorker = !!meta && meta.hasAttribute("data-from-worker");
  if (!("serviceWorker" in navigator)) return;

  function ask(message) {
    return navigator.serviceWorker.ready.then(function (reg) {
      return new Promise(function (resolve, reject) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (e) {
          if (e.data.ok) resolve(e.data.result); else reject(new Error(e.data.error));
        };
        message.user = message.user === undefined ? user : message.user;
        if (fromWorker) message.asCurrent = true;
        (navigator.serviceWorker.controller || reg.active).postMessage(message, [channel.port2]);
      });
    });
  }
  window.lophocOffline = { ask: ask, user: user, fromWorker: fromWorker };

  navigator.serviceWorker.register(script.dataset.sw, { scope: "/" }).catch(function () {});
  if (!fromWorker) ask({ type: "user" }).catch(function () {});

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!user || !/\/accounts\/logout\/$/.test(new URL(form.action, location.href).pathname)) return;
    event.preventDefault();
    var sent = false;
    var send = function () { if (!sent) { sent = true; form.submit(); } };
    ask({ type: "logout" }).then(send, send);
    setTimeout(send, 2000);
  });

  var meter = document.querySelector("[data-data-meter]");
  var footer = document.querySelector(".site-footer");
  if (meter && footer) {
    footer.appendChild(meter);
    var text = meter.querySelector("[data-meter-text]");
    ask({ type: "meter" }).then(function (total) {
      text.textContent = text.dataset.label + " " + (total / 1048576).toFixed(2) + " MB";
      text.hidden = false;
    }).catch(function () {});
  }
})();

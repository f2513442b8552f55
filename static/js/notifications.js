// The notification bell: opens /ws/notifications/ and updates the unread
// count without a reload. Reconnects with jittered backoff; the page works
// without it (the count is also rendered by the server).
(function () {
  "use strict";
  var bell = document.querySelector("[data-notification-bell]");
  if (!bell || !("WebSocket" in window)) {
    return;
  }
  var count = bell.querySelector("[data-bell-count]");
  var toast = document.querySelector("[data-bell-toast]");
  var delay = 1000;

  function show(message) {
    count.textContent = String(message.unread);
    count.hidden = message.unread < 1;
    bell.classList.add("bell-new");
    if (toast && message.title) {
      toast.textContent = message.title;
      toast.hidden = false;
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.addEventListener("open", function () {
      delay = 1000;
      bell.dataset.live = "1";
    });
    socket.addEventListener("message", function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message.type === "notification.new") {
        show(message);
      }
    });
    socket.addEventListener("close", function (event) {
      bell.dataset.live = "0";
      if (event.code === 4401) {
        return;
      }
      var wait = delay + Math.random() * delay;
      delay = Math.min(delay * 2, 60000);
      window.setTimeout(connect, wait);
    });
  }

  connect();
})();

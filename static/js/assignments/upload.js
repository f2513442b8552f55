// Handing in homework from a phone (#15): photos are shrunk on the phone
// before they are sent (turned upright, long edge 1,600 px at JPEG 0.8;
// a busy page still over 230 KB steps down to 0.6, then to 1,400 and
// 1,280 px (0.6, then 0.5), so three photos cross a 400 kbit/s link in about 15 s), the
// upload shows its progress, and the page says only what is true: "Đã nộp"
// appears once the server has committed the work, with the server's time.
// A failed send keeps the form and offers "Gửi lại" with the same
// idempotency key, so a retry never makes a second submission.
// Without this script the form is posted as it is (full photos).
(function () {
  "use strict";
  // [long edge, JPEG quality], tried in turn until a photo fits BUDGET.
  var LADDER = [[1600, 0.8], [1600, 0.7], [1600, 0.6], [1400, 0.6], [1280, 0.6], [1280, 0.5]];
  var BUDGET = 230 * 1024;
  var form = document.querySelector("form[data-upload]");
  var panel = document.getElementById("upload-status");
  var textNode = document.getElementById("upload-text");
  if (!form || !panel || !textNode || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var text = JSON.parse(textNode.textContent);
  var state = panel.querySelector(".upload-state");
  var bar = panel.querySelector("progress");
  var detail = panel.querySelector(".upload-detail");
  var retry = panel.querySelector(".upload-retry");
  var discard = panel.querySelector(".upload-discard");
  var view = panel.querySelector(".upload-view");
  var fullSize = form.hasAttribute("data-full-size");
  var sending = false;
  var lastBody = null;
  // The queue (queue.js): work is kept on the phone before it is sent.
  var Q = window.LophocQueue && window.indexedDB && form.dataset.ticket ? window.LophocQueue : null;
  var me = form.dataset.user;
  var homework = form.dataset.assignment;
  var current = null; // the queued item this page is showing

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function kb(bytes) {
    return bytes < 1024 * 1024
      ? Math.max(1, Math.round(bytes / 1024)) + " KB"
      : (bytes / (1024 * 1024)).toFixed(1) + " MB";
  }

  function show(label, kind) {
    panel.hidden = false;
    panel.className = "upload-status" + (kind ? " message message-" + kind : "");
    state.textContent = label;
  }

  // Below the button on a phone: bring the panel into sight.
  function reveal() {
    if (panel.scrollIntoView) { panel.scrollIntoView({ block: "nearest" }); }
  }

  function buttons(enabled) {
    form.querySelectorAll("button[type=submit]").forEach(function (b) {
      b.disabled = !enabled;
    });
    if (enabled) { form.removeAttribute("data-busy"); }
  }

  function jpegName(name) {
    return (name.replace(/\.[^.]*$/, "") || "anh") + ".jpg";
  }

  // Encode at the first rung of the ladder that fits the budget.
  function encode(bitmap, step) {
    var rung = LADDER[step];
    var scale = Math.min(1, rung[0] / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    var context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent PNG becomes white paper, not black
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) {
      canvas.toBlob(resolve, "image/jpeg", rung[1]);
    }).then(function (blob) {
      canvas.width = canvas.height = 0; // give the phone its memory back now
      if (blob && blob.size > BUDGET && step + 1 < LADDER.length) {
        return encode(bitmap, step + 1);
      }
      return blob;
    });
  }

  // One photo, shrunk and upright; the original when it is already small,
  // cannot be decoded here (HEIC on most browsers) or would not get smaller.
  function shrink(file) {
    if (fullSize || !window.createImageBitmap || !/^image\/(jpeg|png|webp)$/.test(file.type)) {
      return Promise.resolve({ blob: file, name: file.name });
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      return encode(bitmap, 0).then(function (blob) {
        if (bitmap.close) { bitmap.close(); }
        return blob && blob.size < file.size
          ? { blob: blob, name: jpegName(file.name) }
          : { blob: file, name: file.name };
      });
    }).catch(function () {
      return { blob: file, name: file.name };
    });
  }

  function body() {
    var photos = form.querySelector("input[type=file][name=photos]");
    var data = new FormData(form);
    data.delete("photos");
    var picked = photos ? Array.prototype.slice.call(photos.files) : [];
    // One at a time: a cheap phone holds one decoded 12 Mpx photo, not ten.
    return picked.reduce(function (done, file) {
      return done.then(function () {
        return shrink(file).then(function (photo) {
          data.append("photos", photo.blob, photo.name);
        });
      });
    }, Promise.resolve()).then(function () { return data; });
  }

  function failed(reason) {
    sending = false;
    show(text.failed, "error");
    bar.hidden = true;
    detail.textContent = reason;
    retry.hidden = false;
    buttons(true);
    reveal();
  }

  function submitted(answer) {
    sending = false;
    lastBody = null;
    show(answer.message, "success");
    bar.hidden = true;
    detail.textContent = "";
    retry.hidden = true;
    view.href = answer.url;
    view.hidden = false;
    form.hidden = true;
    reveal();
  }

  function progress(event, started) {
    if (!event.lengthComputable) { return; }
    bar.max = event.total;
    bar.value = event.loaded;
    var seconds = (Date.now() - started) / 1000;
    var rate = seconds > 0 ? event.loaded / seconds : 0;
    var eta = rate > 0 ? Math.ceil((event.total - event.loaded) / rate) : "?";
    detail.textContent = format(text.progress, {
      sent: kb(event.loaded), total: kb(event.total), eta: eta
    });
  }

  function answerOf(xhr) {
    try { return JSON.parse(xhr.responseText); } catch (error) { return null; }
  }

  // "Đang gửi" with an empty bar; the time the send began.
  function sendingNow() {
    sending = true;
    retry.hidden = true;
    show(text.sending, "");
    bar.hidden = false;
    bar.value = 0;
    detail.textContent = "\u00a0"; // the line's height, before the first figure
    reveal();
    return Date.now();
  }

  function send(data) {
    lastBody = data;
    var started = sendingNow();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action") || window.location.href);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (event) { progress(event, started); };
    xhr.onload = function () {
      var answer = answerOf(xhr);
      if (xhr.status === 200 && answer && answer.state === "submitted") {
        submitted(answer);
      } else if (xhr.status === 400 && answer && answer.errors) {
        failed(answer.errors.join(" "));
      } else if (xhr.status === 413) {
        failed(text.too_large);
      } else if (xhr.status === 403 || xhr.status === 404) {
        failed(text.expired);
      } else {
        failed(text.server);
      }
    };
    xhr.onerror = xhr.ontimeout = xhr.onabort = function () { failed(text.offline); };
    xhr.send(data);
  }

  // --- The queue: keep the work on the phone, then send it. ---

  function buffers(data, name) {
    return Promise.all(data.getAll(name).filter(function (f) {
      return f && f.size;
    }).map(function (f) {
      return f.arrayBuffer().then(function (buffer) {
        return { buffer: buffer, type: f.type || "application/octet-stream", name: f.name || "anh.jpg" };
      });
    }));
  }

  function itemFrom(data) {
    return Promise.all([buffers(data, "photos"), buffers(data, "files")]).then(function (parts) {
      return {
        key: data.get("idempotency_key"),
        user: me,
        assignment: homework,
        queueUrl: form.dataset.queueUrl,
        ticket: form.dataset.ticket,
        text: data.get("text") || "",
        photos: parts[0],
        files: parts[1],
        pressedAt: new Date().toISOString(),
        lang: document.documentElement.lang,
        state: "queued"
      };
    });
  }

  // While the page is open, try again now and then (5 s, 10 s … 1 min), on
  // top of Background Sync and the "online" event.
  var nextTry = null;
  var pause = 5000;
  function tryLater() {
    if (nextTry) { return; }
    nextTry = window.setTimeout(function () {
      nextTry = null;
      Q.flush().then(function (clear) {
        if (!clear) { pause = Math.min(pause * 2, 60000); tryLater(); }
      });
    }, pause);
  }

  function waiting() {
    sending = false;
    tryLater();
    show(text.queued, "warn");
    bar.hidden = true;
    detail.textContent = text.queued_detail;
    retry.hidden = true;
    form.hidden = true;
    reveal();
  }

  function failedItem(item) {
    failed(item.reason || text.server);
    form.hidden = true;
    discard.hidden = false;
  }

  function cookieToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function sendItem(item) {
    current = item;
    var started = sendingNow();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", item.queueUrl);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", cookieToken());
    xhr.upload.onprogress = function (event) { progress(event, started); };
    xhr.onload = function () {
      var answer = answerOf(xhr);
      if (xhr.status === 200 && answer && answer.state === "submitted") {
        item.message = answer.message;
        item.url = answer.url;
        Q.done(item).then(function () { submitted(answer); }, function () { submitted(answer); });
      } else if (xhr.status === 400 && answer && answer.errors) {
        item.state = "failed";
        item.reason = answer.errors.join(" ");
        Q.put(item).then(function () { failedItem(item); });
      } else {
        waiting();
        Q.wake();
      }
    };
    xhr.onerror = xhr.ontimeout = xhr.onabort = function () { waiting(); Q.wake(); };
    xhr.send(Q.formData(item));
  }

  function queue(data) {
    return itemFrom(data).then(function (item) {
      return Q.put(item).then(function () {
        if (navigator.onLine === false) { current = item; waiting(); Q.wake(); }
        else { sendItem(item); }
      });
    });
  }

  // What this child left waiting for this homework, shown on opening it.
  function restore() {
    Q.all().then(function (items) {
      var mine = items.filter(function (i) { return i.user === me && i.assignment === homework; });
      if (!mine.length) { return; }
      current = mine[mine.length - 1];
      if (current.state === "failed") { failedItem(current); } else { waiting(); }
    }).catch(function () {});
  }

  if (Q) {
    restore();
    if (window.BroadcastChannel) {
      new BroadcastChannel(Q.TAG).onmessage = function (event) {
        var news = event.data;
        if (!current || news.key !== current.key) { return; }
        if (news.state === "submitted") { submitted(news); }
        else if (news.state === "failed") { restore(); }
      };
    }
  }

  discard.addEventListener("click", function () {
    if (!current || !Q) { return; }
    Q.remove(current).then(function () {
      current = null;
      panel.hidden = true;
      discard.hidden = true;
      form.hidden = false;
      buttons(true);
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) { return; }
    sending = true;
    show(text.preparing, "");
    body().then(function (data) {
      if (!Q) { return send(data); }
      return queue(data).catch(function () { send(data); }); // no IndexedDB here
    }, function () { failed(text.server); });
  });

  retry.addEventListener("click", function () {
    if (sending) { return; }
    if (current && Q) {
      // Not handed in: send it again under this page's own ticket and key
      // (an expired or revoked ticket cannot be used twice).
      var old = current;
      var again = Object.assign({}, old, {
        key: form.querySelector("input[name=idempotency_key]").value,
        ticket: form.dataset.ticket,
        state: "queued"
      });
      delete again.reason;
      discard.hidden = true;
      Q.remove(old).then(function () { return Q.put(again); }).then(function () {
        sendItem(again);
      });
    } else if (lastBody) { send(lastBody); } else { form.requestSubmit(); }
  });
})();

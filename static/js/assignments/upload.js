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
  var view = panel.querySelector(".upload-view");
  var fullSize = form.hasAttribute("data-full-size");
  var sending = false;
  var lastBody = null;

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

  function answerOf(xhr) {
    try { return JSON.parse(xhr.responseText); } catch (error) { return null; }
  }

  function send(data) {
    sending = true;
    lastBody = data;
    retry.hidden = true;
    show(text.sending, "");
    bar.hidden = false;
    bar.value = 0;
    detail.textContent = "\u00a0"; // the line's height, before the first figure
    reveal();
    var started = Date.now();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action") || window.location.href);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (event) {
      if (!event.lengthComputable) { return; }
      bar.max = event.total;
      bar.value = event.loaded;
      var seconds = (Date.now() - started) / 1000;
      var rate = seconds > 0 ? event.loaded / seconds : 0;
      var eta = rate > 0 ? Math.ceil((event.total - event.loaded) / rate) : "?";
      detail.textContent = format(text.progress, {
        sent: kb(event.loaded), total: kb(event.total), eta: eta
      });
    };
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

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) { return; }
    sending = true;
    show(text.preparing, "");
    body().then(send, function () { failed(text.server); });
  });

  retry.addEventListener("click", function () {
    if (sending) { return; }
    if (lastBody) { send(lastBody); } else { form.requestSubmit(); }
  });
})();

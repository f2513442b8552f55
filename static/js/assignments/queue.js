// The phone's homework queue (#15 Build 3), shared by the pages and the
// service worker (importScripts in sw.js). Work waiting for a signal is
// kept in IndexedDB ("lophoc-homework", store "queue"), keyed by its
// idempotency key: the photos as ArrayBuffers with their type (iOS cannot
// always store Blobs), the text, the child's id, the server-signed upload
// ticket and the time "Nộp" was pressed. flush() sends every waiting item
// with its ticket (assignments.tickets), so it is handed in as the child who
// made it whoever is signed in now; the server collapses a double send on
// the key. A refusal marks the item failed with the reason: nothing is
// dropped without the child seeing why. Each change is told on the
// BroadcastChannel "lophoc-homework".
(function (scope) {
  "use strict";
  var DB = "lophoc-homework";
  var STORE = "queue";
  var TAG = "lophoc-homework";
  var channel = scope.BroadcastChannel ? new BroadcastChannel(TAG) : null;
  var flushing = null;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() { return run("readonly", function (s) { return s.getAll(); }); }
  function put(item) { return run("readwrite", function (s) { s.put(item); }).then(tell(item)); }
  function remove(item) { return run("readwrite", function (s) { s.delete(item.key); }).then(tell(item)); }

  function tell(item) {
    return function () { if (channel) { channel.postMessage({ key: item.key, state: item.state }); } };
  }

  function formData(item) {
    var data = new FormData();
    data.append("idempotency_key", item.key);
    data.append("ticket", item.ticket);
    data.append("text", item.text || "");
    data.append("pressed_at", item.pressedAt);
    data.append("lang", item.lang || "");
    item.photos.forEach(function (photo) {
      data.append("photos", new Blob([photo.buffer], { type: photo.type }), photo.name);
    });
    (item.files || []).forEach(function (file) {
      data.append("files", new Blob([file.buffer], { type: file.type }), file.name);
    });
    return data;
  }

  // A CSRF token from the server: the worker cannot read the cookie.
  function csrfToken() {
    return fetch("/csrf/", {
      credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" }
    }).then(function (r) { return r.json(); }).then(function (body) { return body.token; });
  }

  // What the server said, as the item's next state; null when it was not
  // reached (no signal, a 5xx): the item waits for the next chance.
  function outcome(item, response) {
    return response.json().catch(function () { return null; }).then(function (answer) {
      if (response.ok && answer && answer.state === "submitted") {
        item.state = "submitted";
        item.message = answer.message;
        item.url = answer.url;
        return item;
      }
      if (response.status === 400 && answer && answer.errors) {
        item.state = "failed";
        item.reason = answer.errors.join(" ");
        return item;
      }
      return null;
    });
  }

  function sendOne(item, token) {
    return fetch(item.queueUrl, {
      method: "POST",
      body: formData(item),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token }
    }).then(function (response) { return outcome(item, response); });
  }

  // Send everything waiting; resolves true when nothing is left waiting.
  function flush() {
    if (flushing) { return flushing; }
    flushing = all().then(function (items) {
      var waiting = items.filter(function (i) { return i.state === "queued"; });
      if (!waiting.length) { return true; }
      return csrfToken().then(function (token) {
        return waiting.reduce(function (done, item) {
          return done.then(function (left) {
            return sendOne(item, token).then(function (next) {
              if (!next) { return false; }
              return (next.state === "submitted" ? done_(next) : put(next)).then(function () {
                return left;
              });
            }, function () { return false; });
          });
        }, Promise.resolve(true));
      });
    }).catch(function () { return false; }).then(function (clear) {
      flushing = null;
      return clear;
    });
    return flushing;
  }

  // A submitted item leaves the queue; pages still open hear how it ended.
  function done_(item) {
    return remove(item).then(function () {
      if (channel) {
        channel.postMessage({ key: item.key, state: "submitted", message: item.message, url: item.url });
      }
    });
  }

  // Ask for a Background Sync; where there is none, pages flush on load and
  // when the signal returns.
  function wake() {
    if (scope.navigator && scope.navigator.serviceWorker && scope.ServiceWorkerRegistration &&
        "sync" in scope.ServiceWorkerRegistration.prototype) {
      return scope.navigator.serviceWorker.ready.then(function (reg) {
        return reg.sync.register(TAG);
      }).catch(function () {});
    }
    return Promise.resolve();
  }

  scope.LophocQueue = {
    TAG: TAG, all: all, put: put, remove: remove, flush: flush, wake: wake,
    sendOne: sendOne, csrfToken: csrfToken, done: done_, formData: formData,
    channel: channel
  };

  if (scope.document) {
    // A page: send what waits now and whenever the signal comes back.
    var go = function () { if (scope.navigator.onLine !== false) { flush(); } };
    scope.addEventListener("online", go);
    if (scope.document.readyState === "loading") {
      scope.document.addEventListener("DOMContentLoaded", go);
    } else {
      go();
    }
  }
})(self);

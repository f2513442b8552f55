// "Lưu để học offline" on a lesson, "Lưu cả chương" on a unit, and the
// list of saved lessons ("Bài đã lưu" and the offline page). The saving is
// done by the service worker (static/js/sw.js) in the signed-in child's
// own cache; this file only asks it and shows the answers.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var offline = window.lophocOffline;
  function mb(bytes) { return (bytes / 1048576).toFixed(2) + " MB"; }
  function ask(message) {
    if (!offline || (!offline.user && !offline.fromWorker)) return Promise.reject(new Error("anonymous"));
    return offline.ask(message);
  }
  function persist() {
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persisted().then(function (yes) { if (!yes) navigator.storage.persist(); });
    }
  }
  function waitForImages(root) {
    var images = Array.prototype.slice.call(root.querySelectorAll("img"));
    return Promise.all(images.map(function (img) {
      img.loading = "eager";
      // A picture that already failed (complete, no width) fires no more
      // events: waiting for it would leave "Đang lưu…" on screen for good.
      if (img.complete) return img.currentSrc || img.src;
      return new Promise(function (resolve) {
        var done = function () { resolve(img.currentSrc || img.src); };
        img.addEventListener("load", done, { once: true });
        img.addEventListener("error", done, { once: true });
      });
    }));
  }
  function pageAssets() {
    var files = [];
    document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (el) {
      files.push(el.href || el.src);
    });
    return files;
  }
  function estimate(root) {
    var nav = performance.getEntriesByType("navigation")[0];
    var total = nav ? nav.decodedBodySize || nav.transferSize || 0 : 0;
    var seen = {};
    performance.getEntriesByType("resource").forEach(function (e) { seen[e.name] = e.decodedBodySize || e.transferSize || 0; });
    root.querySelectorAll("img").forEach(function (img) {
      var src = img.currentSrc || img.src;
      total += seen[src] || (img.width * img.height * 0.12) || 0;
    });
    pageAssets().forEach(function (src) { total += seen[src] || 0; });
    return total;
  }
  function statusFor(list, url) {
    var full = new URL(url, location.href).href;
    return list.filter(function (e) { return e.url === full; })[0];
  }

  // ---- one lesson ----------------------------------------------------------
  var box = document.querySelector("[data-save-lesson]");
  if (box) {
    var button = box.querySelector("button");
    var note = box.querySelector("[data-save-status]");
    var article = document.querySelector("article.lesson") || document.body;
    var lesson = { url: box.dataset.url, title: box.dataset.title, revision: box.dataset.revision };
    var show = function (text) { note.textContent = text; note.hidden = false; };
    var saveNow = function () {
      button.disabled = true;
      show(box.dataset.saving);
      return waitForImages(article).then(function (images) {
        lesson.assets = images.concat(pageAssets());
        return ask({ type: "save", lesson: lesson });
      }).then(function (entry) {
        persist();
        show(box.dataset.saved + " (" + mb(entry.bytes) + ")");
        box.dataset.state = "saved";
      }, function () {
        show(box.dataset.failed);
        button.disabled = false;
      });
    };
    window.addEventListener("load", function () {
      box.querySelector("[data-size]").textContent = mb(estimate(article));
      box.hidden = !offline || !offline.user;
      ask({ type: "list" }).then(function (list) {
        var entry = statusFor(list, lesson.url);
        if (!entry) return;
        if (entry.revision !== lesson.revision && navigator.onLine) { saveNow(); return; }
        button.disabled = true;
        box.dataset.state = "saved";
        show(box.dataset.saved + " (" + mb(entry.bytes) + ")");
      }).catch(function () {});
    });
    button.addEventListener("click", saveNow);
  }

  // ---- a whole unit ----------------------------------------------------------
  var unit = document.querySelector("[data-save-unit]");
  if (unit) {
    var unitButton = unit.querySelector("button");
    var unitNote = unit.querySelector("[data-save-status]");
    unit.hidden = !offline || !offline.user;
    unitButton.addEventListener("click", function () {
      var items = Array.prototype.slice.call(document.querySelectorAll("[data-lesson-url]"));
      unitButton.disabled = true;
      unitNote.hidden = false;
      var done = 0;
      var total = 0;
      var next = function (i) {
        if (i >= items.length) {
          persist();
          unitNote.textContent = unit.dataset.saved.replace("%s", done) + " (" + mb(total) + ")";
          unitButton.disabled = done === items.length;
          return;
        }
        var a = items[i];
        unitNote.textContent = unit.dataset.saving + " " + (i + 1) + "/" + items.length;
        ask({ type: "save", lesson: { url: a.dataset.lessonUrl, title: a.dataset.lessonTitle, revision: a.dataset.revision } })
          .then(function (entry) { done += 1; total += entry.bytes; }, function () {})
          .then(function () { next(i + 1); });
      };
      next(0);
    });
  }

  // ---- the list of saved lessons ----------------------------------------------
  var listBox = document.querySelector("[data-saved-list]");
  if (listBox) {
    var ul = listBox.querySelector("ul");
    var totalNote = listBox.querySelector("[data-saved-total]");
    var empty = listBox.querySelector("[data-saved-empty]");
    var render = function () {
      return ask({ type: "list" }).catch(function () { return []; }).then(function (list) {
        list.sort(function (a, b) { return b.savedAt - a.savedAt; });
        ul.textContent = "";
        var sum = 0;
        list.forEach(function (entry) {
          sum += entry.bytes;
          var li = document.createElement("li");
          var link = document.createElement("a");
          link.href = entry.url;
          link.textContent = entry.title;
          var size = document.createElement("span");
          size.className = "muted";
          size.textContent = " · " + mb(entry.bytes) + " ";
          li.appendChild(link);
          li.appendChild(size);
          if (listBox.dataset.remove) {
            var remove = document.createElement("button");
            remove.type = "button";
            remove.textContent = listBox.dataset.remove;
            remove.addEventListener("click", function () {
              remove.disabled = true;
              ask({ type: "remove", url: entry.url }).then(render, render);
            });
            li.appendChild(remove);
          }
          ul.appendChild(li);
        });
        empty.hidden = list.length > 0;
        totalNote.textContent = listBox.dataset.total + " " + mb(sum);
        totalNote.hidden = list.length === 0;
      });
    };
    render();
  }
});

// Lophoc's service worker (docs/offline.md). Served at /sw.js by
// courses.pwa, which puts self.LOPHOC = {version, shell, offline, static}
// in front of this file. Rules:
// - the shell (CSS, JS, icons, offline page) is precached for everyone;
// - hashed static files are cache-first, others network-first;
// - pages are network-first; a page is never cached unless the signed-in
//   child saved it, and then only in that child's own cache;
// - the bytes fetched over the network are counted per week (data meter).
"use strict";
var CFG = self.LOPHOC;
// The homework queue (#15): sent by Background Sync when the signal returns.
importScripts(CFG.queue);
var SHELL = "lophoc-shell-" + CFG.version;
var STATIC = "lophoc-static";
var META = "lophoc-meta";
var SAVED = "lophoc-saved-u"; // + the child's user id
var NAV_TIMEOUT = 3000;
var HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;
var TOKEN = /<input[^>]*name="csrfmiddlewaretoken"[^>]*>/g;
var user = null; // the signed-in child's id as the pages report it
var bytes = null; // {week, total}
var flushTimer = null;

function metaUrl(name) { return new URL("/__lophoc/" + name, self.location).href; }
function savedCache(uid) { return caches.open(SAVED + uid); }
function json(value) {
  return new Response(JSON.stringify(value), { headers: { "Content-Type": "application/json" } });
}
function readMeta(name) {
  return caches.open(META).then(c => c.match(metaUrl(name)))
    .then(r => r ? r.json() : null);
}
function writeMeta(name, value) {
  return caches.open(META).then(c => c.put(metaUrl(name), json(value)));
}
function currentUser() {
  if (user !== null) return Promise.resolve(user);
  return readMeta("user").then(function (v) { user = (v && v.id) || ""; return user; });
}

self.addEventListener("sync", function (event) {
  if (event.tag !== self.LophocQueue.TAG) return;
  event.waitUntil(self.LophocQueue.flush().then(function (clear) {
    // Still waiting (no signal yet): a rejection makes the browser retry.
    if (!clear) throw new Error("homework still queued");
  }));
});

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (c) {
    return c.addAll(CFG.shell.concat([CFG.offline]).map(function (u) {
      return new Request(u, { credentials: "omit", cache: "reload" });
    }));
  }).then(() => self.skipWaiting()));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("lophoc-shell-") === 0 && k !== SHELL;
    }).map(k => caches.delete(k)));
  }).then(() => self.clients.claim()));
});

// ---- data meter -------------------------------------------------------
// The week number since 1970, weeks starting on a local Monday.
function weekOf() {
  return Math.floor((Date.now() / 6e4 - new Date().getTimezoneOffset()) / 10080 + 3 / 7);
}
function loadBytes() {
  if (bytes) return Promise.resolve(bytes);
  return readMeta("bytes").then(function (v) {
    bytes = bytes || v || { week: weekOf(), total: 0 };
    return bytes;
  });
}
function count(response) {
  if (!response || response.type === "opaque") return;
  var length = parseInt(response.headers.get("Content-Length"), 10);
  var sized = isNaN(length)
    ? response.clone().arrayBuffer().then(b => b.byteLength)
    : Promise.resolve(length);
  return Promise.all([sized, loadBytes()]).then(function (r) {
    var week = weekOf();
    if (bytes.week !== week) bytes = { week: week, total: 0 };
    bytes.total += r[0];
    clearTimeout(flushTimer);
    flushTimer = setTimeout(function () { writeMeta("bytes", bytes); }, 1000);
  }).catch(function () {});
}
function network(request, event) {
  return fetch(request).then(function (response) {
    var counted = Promise.resolve(count(response));
    if (event) event.waitUntil(counted);
    return response;
  });
}

// ---- fetch --------------------------------------------------------------
// Saved pages are kept gzip'd (about their size on the wire) and unpacked
// when served.
function unpack(hit) {
  if (!hit || !hit.headers.get("X-Lophoc-Gzip")) return hit;
  var headers = new Headers(hit.headers);
  headers.delete("X-Lophoc-Gzip");
  return new Response(hit.body.pipeThrough(new DecompressionStream("gzip")), { headers: headers });
}
function fromSaved(request) {
  return currentUser().then(function (uid) {
    if (!uid) return null;
    return savedCache(uid).then(function (c) { return c.match(request, { ignoreVary: true }); }).then(unpack);
  });
}

function navigate(event) {
  var request = event.request;
  var live = network(request, event);
  var bare = request.url.split("?")[0];
  var fallback = function () {
    return fromSaved(bare).then(function (saved) {
      return saved || caches.match(CFG.offline);
    });
  };
  var timer = new Promise(function (resolve) {
    setTimeout(function () {
      // Slow network: a saved copy now beats a page later; without one, wait.
      fromSaved(bare).then(function (saved) { if (saved) resolve(saved); });
    }, NAV_TIMEOUT);
  });
  return Promise.race([live.catch(fallback), timer]);
}

function staticFile(event) {
  var request = event.request;
  var path = new URL(request.url).pathname;
  if (HASHED.test(path)) {
    return caches.match(request).then(function (hit) {
      return hit || network(request, event).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          event.waitUntil(caches.open(STATIC).then(c => c.put(request, copy)));
        }
        return response;
      });
    });
  }
  return network(request, event).catch(function () {
    return caches.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || fromSaved(request);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/admin/") === 0 || url.pathname.indexOf("/ws/") === 0) return;
  if (request.mode === "navigate") { event.respondWith(navigate(event)); return; }
  if (url.pathname.indexOf(CFG.static) === 0) { event.respondWith(staticFile(event)); return; }
  event.respondWith(fromSaved(request).then(function (hit) {
    return hit || network(request, event).catch(() => anyRendition(request));
  }));
});

// ---- saving lessons -------------------------------------------------------
function entryUrl(url) { return metaUrl("saved?u=" + encodeURIComponent(url)); }

function listSaved(uid) {
  return savedCache(uid).then(function (c) {
    return c.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return k.url.indexOf(metaUrl("saved?u=")) === 0;
      }).map(k => c.match(k).then(r => r.json())));
    });
  });
}

// A unit is saved without opening its lessons: take the files each page
// names (its <img src>, the phone-width rendition, styles and scripts).
function assetsOf(html) {
  var found = [];
  var tag = /<(img|script|link)\b[^>]*>/gi;
  var m;
  while ((m = tag.exec(html))) {
    if (m[1].toLowerCase() === "link" && !/rel="stylesheet"/.test(m[0])) continue;
    var attr = /\s(?:src|href)="([^"]+)"/.exec(m[0]);
    if (attr) found.push(attr[1].replace(/&amp;/g, "&"));
  }
  return found;
}

// Offline, a phone may ask for another width of a saved picture (turned
// sideways): any saved rendition of the same image will do.
function anyRendition(request) {
  var m = /\/images\/[^/]*\/(\d+)\//.exec(new URL(request.url).pathname);
  if (!m) return Promise.reject(new Error("offline"));
  return currentUser().then(function (uid) {
    if (!uid) return Response.error();
    return savedCache(uid).then(function (c) {
      return c.keys().then(function (keys) {
        var same = keys.filter(function (k) {
          return new RegExp("/images/[^/]*/" + m[1] + "/").test(k.url);
        })[0];
        return same ? c.match(same) : Response.error();
      });
    });
  });
}

function sizeOf(response) {
  return response.clone().blob().then(b => b.size);
}

function save(uid, lesson) {
  var url = new URL(lesson.url, self.location).href;
  return savedCache(uid).then(function (cache) {
    return network(new Request(url, { credentials: "same-origin", cache: "no-cache" })).then(function (page) {
      if (!page.ok || page.redirected) throw new Error("status " + page.status);
      return page.text().then(function (html) {
        // No cached page carries a token: forms read it from the cookie.
        html = html.replace(TOKEN, "");
        var headers = new Headers(page.headers);
        headers.delete("Content-Length");
        var packed = typeof CompressionStream === "function";
        if (packed) headers.set("X-Lophoc-Gzip", "1");
        var body = new Response(packed
          ? new Blob([html]).stream().pipeThrough(new CompressionStream("gzip"))
          : html, { headers: headers });
        var listed = lesson.assets && lesson.assets.length ? lesson.assets : assetsOf(html);
        var assets = listed.map(a => new URL(a, url).href)
          .filter(a => new URL(a).origin === self.location.origin);
        // Static files are shared by every lesson: kept in the shell and
        // static caches, not in the lesson's (nor counted in its size).
        var shared = assets.filter(a => new URL(a).pathname.indexOf(CFG.static) === 0);
        assets = assets.filter(a => shared.indexOf(a) < 0);
        // One file at a time (a thin 3G link, a small server), two retries each.
        var sizes = [];
        var fetchAsset = function (a, retry) {
          return network(new Request(a, { credentials: "same-origin" })).then(function (r) {
            if (!r.ok) throw new Error("asset " + r.status);
            return r;
          }).catch(function (error) {
            if (!retry) throw error;
            return new Promise(function (resolve) { setTimeout(resolve, 1000); })
              .then(() => fetchAsset(a, retry - 1));
          });
        };
        return assets.reduce(function (chain, a) {
          return chain.then(function () {
            return cache.match(a).then(function (hit) {
              return hit || fetchAsset(a, 2).then(function (r) {
                return cache.put(a, r.clone()).then(() => r);
              });
            }).then(sizeOf).then(function (size) { sizes.push(size); });
          });
        }, Promise.resolve()).then(function () {
          return caches.open(STATIC).then(function (c) {
            return Promise.all(shared.map(function (a) {
              return caches.match(a).then(hit => hit || fetchAsset(a, 2).then(r => c.put(a, r)));
            }));
          });
        }).then(function () {
          return sizeOf(body).then(function (htmlSize) {
            var entry = {
              url: url, title: lesson.title, revision: String(lesson.revision),
              assets: assets, savedAt: Date.now(),
              bytes: sizes.reduce((a, b) => a + b, htmlSize),
            };
            return cache.put(url, body).then(function () {
              return cache.put(entryUrl(url), json(entry));
            }).then(() => entry);
          });
        });
      });
    });
  });
}

function remove(uid, url) {
  url = new URL(url, self.location).href;
  return savedCache(uid).then(function (cache) {
    return listSaved(uid).then(function (entries) {
      var mine = entries.filter(e => e.url === url)[0];
      if (!mine) return false;
      var kept = {};
      entries.forEach(function (e) {
        if (e.url !== url) e.assets.forEach(function (a) { kept[a] = true; });
      });
      return Promise.all(mine.assets.filter(a => !kept[a])
        .map(a => cache.delete(a)))
        .then(() => cache.delete(url))
        .then(() => cache.delete(entryUrl(url)));
    });
  });
}

function forget(uid) {
  // Logout: this child's saved lessons go; another child's stay.
  return caches.delete(SAVED + uid).then(function () {
    user = "";
    return writeMeta("user", { id: "" });
  });
}

var handlers = {
  user: function (m) {
    user = m.user || "";
    return writeMeta("user", { id: user });
  },
  list: m => listSaved(m.user),
  save: m => save(m.user, m.lesson),
  remove: m => remove(m.user, m.url),
  logout: m => forget(m.user),
  meter: function () {
    return loadBytes().then(function () {
      return bytes.week === weekOf() ? bytes.total : 0;
    });
  },
};

self.addEventListener("message", function (event) {
  var m = event.data || {};
  var port = event.ports && event.ports[0];
  var handler = handlers[m.type];
  if (!handler || !port) return;
  // A page acts on the child it was rendered for; only the offline page
  // (the same for everyone) may list the saved lessons of the last child.
  var who = m.asCurrent && m.type === "list" ? currentUser() : Promise.resolve(m.user);
  event.waitUntil(who.then(function (uid) {
    m.user = uid || "";
    if (m.type !== "user" && m.type !== "meter" && !m.user) throw new Error("anonymous");
    return handler(m);
  }).then(function (result) {
    port.postMessage({ ok: true, result: result });
  }, function (error) {
    port.postMessage({ ok: false, error: String(error) });
  }));
});

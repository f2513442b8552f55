// The grading viewer: one photo at a time, zoom (buttons, wheel, pinch),
// quarter turns, a pen and three stamps drawn over the photo, and the
// keyboard for the next photo or pupil. Marks are points from 0 to 1000
// across the unturned photo (assignments/marks.py); they are written into
// the grade form's hidden "marks" field and saved with the grade.
(function () {
  "use strict";
  var list = document.getElementById("viewer-photos");
  var bar = document.getElementById("viewer-bar");
  var form = document.querySelector("form.grade-form");
  var field = form && form.querySelector("input[name=marks]");
  var figures = list ? list.querySelectorAll(".marked-photo") : [];
  if (!figures.length || !bar || !field) {
    return;
  }
  var SVG = "http://www.w3.org/2000/svg";
  var SCALE = 1000;
  var MAX_POINTS = 500;
  var ZOOMS = [1, 1.5, 2, 3, 4, 6];
  var saved = JSON.parse(document.getElementById("photo-marks").textContent);
  var photos = Array.prototype.map.call(figures, function (figure) {
    var id = figure.getAttribute("data-photo");
    var state = saved[id] || { r: 0, m: [] };
    return {
      id: id,
      figure: figure,
      svg: figure.querySelector("svg"),
      turn: figure.querySelector(".turn"),
      image: figure.querySelector("image"),
      layer: figure.querySelector(".marks"),
      w: Number(figure.getAttribute("data-width")) || 1,
      h: Number(figure.getAttribute("data-height")) || 1,
      src: figure.getAttribute("data-src"),
      size: "phone",
      r: state.r,
      m: state.m.slice()
    };
  });
  var current = 0;
  var zoom = 0; // an index into ZOOMS
  var tool = null;
  var dirty = false;

  function el(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function sizes(photo) {
    var longest = Math.max(photo.w, photo.h);
    return { pen: longest * 0.004, stamp: longest * 0.07 };
  }

  // The same frames as assignments.marks.frame.
  function frame(photo) {
    var w = photo.w, h = photo.h;
    var turned = photo.r === 90 || photo.r === 270;
    var transform = {
      0: "",
      90: "translate(" + h + " 0) rotate(90)",
      180: "translate(" + w + " " + h + ") rotate(180)",
      270: "translate(0 " + w + ") rotate(270)"
    }[photo.r];
    return { width: turned ? h : w, height: turned ? w : h, transform: transform };
  }

  function penPath(photo, points) {
    var sx = photo.w / SCALE, sy = photo.h / SCALE, d = "";
    for (var i = 0; i < points.length; i += 2) {
      d += (i ? " L" : "M") + (points[i] * sx).toFixed(1) + " " + (points[i + 1] * sy).toFixed(1);
    }
    return d;
  }

  function drawMark(photo, mark) {
    if (mark.t === "pen") {
      return el("path", { d: penPath(photo, mark.p) });
    }
    var s = sizes(photo).stamp;
    var cx = mark.x * photo.w / SCALE, cy = mark.y * photo.h / SCALE;
    var node = el("use", {
      x: (cx - s / 2).toFixed(1),
      y: (cy - s / 2).toFixed(1),
      width: s.toFixed(1),
      height: s.toFixed(1)
    });
    node.setAttribute("href", "#stamp-" + mark.t);
    if (photo.r) {
      // Stamps stand upright on the screen, however the photo is turned.
      node.setAttribute("transform",
        "rotate(" + -photo.r + " " + cx.toFixed(1) + " " + cy.toFixed(1) + ")");
    }
    return node;
  }

  function render(photo) {
    var f = frame(photo);
    photo.svg.setAttribute("viewBox", "0 0 " + f.width + " " + f.height);
    if (f.transform) {
      photo.turn.setAttribute("transform", f.transform);
    } else {
      photo.turn.removeAttribute("transform");
    }
    photo.layer.setAttribute("stroke-width", sizes(photo).pen.toFixed(1));
    while (photo.layer.firstChild) {
      photo.layer.removeChild(photo.layer.firstChild);
    }
    photo.m.forEach(function (mark) { photo.layer.appendChild(drawMark(photo, mark)); });
    photo.figure.setAttribute("data-rotation", String(photo.r));
    photo.figure.setAttribute("data-marks", String(photo.m.length));
  }

  // The smallest copy sharp enough for the photo as shown: the phone copy,
  // the 1,600 px copy, and the photo as stored only when asked for (or when
  // zoomed far past the 1,600 px copy).
  function pickSource(photo, wantFull) {
    var shown = photo.svg.getBoundingClientRect();
    var pixels = Math.max(shown.width, shown.height) * Math.min(window.devicePixelRatio || 1, 2);
    var size = photo.size;
    if (wantFull || size === "full" || pixels > 2400) {
      size = "full";
    } else if (pixels > 800 && size === "phone") {
      size = "screen";
    }
    if (size !== photo.size) {
      photo.size = size;
      photo.image.setAttribute("href", size === "full" ? photo.src : photo.src + "?size=" + size);
    }
    photo.figure.setAttribute("data-size", size);
  }

  function setChanged() {
    dirty = true;
    field.value = JSON.stringify(collect());
  }

  function collect() {
    var out = {};
    photos.forEach(function (photo) { out[photo.id] = { r: photo.r, m: photo.m }; });
    return out;
  }

  function show(index) {
    current = (index + photos.length) % photos.length;
    photos.forEach(function (photo, i) {
      photo.figure.parentNode.classList.toggle("current", i === current);
    });
    bar.querySelector("[data-count]").textContent = (current + 1) + " / " + photos.length;
    applyZoom();
  }

  // At 100% the whole photo fits in the viewer, however it is turned.
  function fitWidth(photo) {
    var f = frame(photo);
    var room = list.clientWidth;
    var tall = parseFloat(window.getComputedStyle(list).maxHeight) || window.innerHeight;
    return Math.max(1, Math.min(room, tall * f.width / f.height) - 2);
  }

  function applyZoom(anchor) {
    var photo = photos[current];
    var before = photo.svg.getBoundingClientRect();
    photo.svg.style.width = Math.round(fitWidth(photo) * ZOOMS[zoom]) + "px";
    bar.querySelector("[data-zoom-label]").textContent = Math.round(ZOOMS[zoom] * 100) + "%";
    if (anchor && before.width) {
      // Keep the point under the pointer where it was.
      var after = photo.svg.getBoundingClientRect();
      var ratio = after.width / before.width;
      list.scrollLeft += (anchor.x - before.left) * (ratio - 1);
      list.scrollTop += (anchor.y - before.top) * (ratio - 1);
    }
    pickSource(photo, false);
  }

  function zoomBy(step, anchor) {
    var next = Math.max(0, Math.min(ZOOMS.length - 1, zoom + step));
    if (next !== zoom) {
      zoom = next;
      applyZoom(anchor);
    }
  }

  function rotate(by) {
    var photo = photos[current];
    photo.r = (photo.r + by + 360) % 360;
    render(photo);
    setChanged();
    applyZoom();
  }

  function setTool(name) {
    tool = tool === name ? null : name;
    bar.querySelectorAll("[data-tool]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-tool") === tool));
    });
    list.classList.toggle("drawing", tool !== null);
  }

  function undo() {
    var photo = photos[current];
    if (photo.m.length) {
      photo.m.pop();
      render(photo);
      setChanged();
    }
  }

  // Where a pointer is on the unturned photo, in points from 0 to 1000.
  function pointAt(photo, event) {
    var matrix = photo.turn.getScreenCTM();
    if (!matrix) {
      return null;
    }
    var p = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    var clamp = function (v) { return Math.max(0, Math.min(SCALE, Math.round(v))); };
    return { x: clamp(p.x / photo.w * SCALE), y: clamp(p.y / photo.h * SCALE) };
  }

  // Pointers: one draws (pen), stamps (on release) or pans; two pinch-zoom.
  var pointers = {};
  var stroke = null;
  var pan = null;
  var pinch = null;

  function count() { return Object.keys(pointers).length; }

  list.addEventListener("pointerdown", function (event) {
    var photo = photos[current];
    if (!photo.figure.contains(event.target)) {
      return;
    }
    pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    list.setPointerCapture(event.pointerId);
    event.preventDefault();
    if (count() === 2) {
      stroke = null;
      pan = null;
      var ids = Object.keys(pointers);
      var a = pointers[ids[0]], b = pointers[ids[1]];
      pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y), zoom: zoom };
      render(photo);
      return;
    }
    if (tool === "pen") {
      var start = pointAt(photo, event);
      if (start) {
        stroke = { mark: { t: "pen", p: [start.x, start.y] }, node: null };
        stroke.node = drawMark(photo, { t: "pen", p: [start.x, start.y, start.x, start.y] });
        photo.layer.appendChild(stroke.node);
      }
    } else {
      pan = { x: event.clientX, y: event.clientY, left: list.scrollLeft, top: list.scrollTop, moved: 0 };
    }
  });

  list.addEventListener("pointermove", function (event) {
    if (!pointers[event.pointerId]) {
      return;
    }
    pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    var photo = photos[current];
    if (pinch && count() === 2) {
      var ids = Object.keys(pointers);
      var a = pointers[ids[0]], b = pointers[ids[1]];
      var ratio = Math.hypot(a.x - b.x, a.y - b.y) / (pinch.distance || 1);
      var wanted = ZOOMS[pinch.zoom] * ratio, best = 0;
      ZOOMS.forEach(function (z, i) {
        if (Math.abs(z - wanted) < Math.abs(ZOOMS[best] - wanted)) { best = i; }
      });
      if (best !== zoom) {
        zoom = best;
        applyZoom({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
      }
    } else if (stroke) {
      var p = pointAt(photo, event);
      var points = stroke.mark.p;
      var last = points.length - 2;
      if (p && points.length < 2 * MAX_POINTS &&
          Math.abs(p.x - points[last]) + Math.abs(p.y - points[last + 1]) >= 3) {
        points.push(p.x, p.y);
        stroke.node.setAttribute("d", penPath(photo, points));
      }
    } else if (pan) {
      pan.moved = Math.max(pan.moved, Math.abs(event.clientX - pan.x) + Math.abs(event.clientY - pan.y));
      list.scrollLeft = pan.left - (event.clientX - pan.x);
      list.scrollTop = pan.top - (event.clientY - pan.y);
    }
  });

  function release(event) {
    if (!pointers[event.pointerId]) {
      return;
    }
    delete pointers[event.pointerId];
    var photo = photos[current];
    if (stroke && event.type === "pointerup") {
      var points = stroke.mark.p;
      if (points.length === 2) {
        points.push(points[0], points[1]); // a dot
      }
      photo.m.push(stroke.mark);
      render(photo);
      setChanged();
    } else if (pan && event.type === "pointerup" && pan.moved < 8 && tool && tool !== "pen") {
      var at = pointAt(photo, event);
      if (at) {
        photo.m.push({ t: tool, x: at.x, y: at.y });
        render(photo);
        setChanged();
      }
    }
    stroke = null;
    pan = null;
    if (count() < 2) {
      pinch = null;
    }
  }
  list.addEventListener("pointerup", release);
  list.addEventListener("pointercancel", release);

  list.addEventListener("wheel", function (event) {
    if (!photos[current].figure.contains(event.target)) {
      return;
    }
    event.preventDefault();
    zoomBy(event.deltaY < 0 ? 1 : -1, { x: event.clientX, y: event.clientY });
  }, { passive: false });

  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) {
      return;
    }
    if (button.hasAttribute("data-tool")) {
      setTool(button.getAttribute("data-tool"));
      return;
    }
    var act = button.getAttribute("data-act");
    if (act === "prev") { show(current - 1); }
    if (act === "next") { show(current + 1); }
    if (act === "zoom-in") { zoomBy(1); }
    if (act === "zoom-out") { zoomBy(-1); }
    if (act === "zoom-fit") { zoom = 0; applyZoom(); }
    if (act === "rotate-left") { rotate(-90); }
    if (act === "rotate-right") { rotate(90); }
    if (act === "undo") { undo(); }
    if (act === "full") { pickSource(photos[current], true); }
  });

  function goTo(rel) {
    var link = document.querySelector(".pager a[rel=" + rel + "]");
    if (link) {
      link.click();
    }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.metaKey || target.isContentEditable ||
        /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
      return;
    }
    var key = event.key;
    if (event.ctrlKey) {
      if (key === "z") { event.preventDefault(); undo(); }
      return;
    }
    var actions = {
      ArrowLeft: function () { show(current - 1); },
      ArrowRight: function () { show(current + 1); },
      n: function () { goTo("next"); },
      N: function () { goTo("next"); },
      PageDown: function () { goTo("next"); },
      p: function () { goTo("prev"); },
      P: function () { goTo("prev"); },
      PageUp: function () { goTo("prev"); },
      "+": function () { zoomBy(1); },
      "=": function () { zoomBy(1); },
      "-": function () { zoomBy(-1); },
      "0": function () { zoom = 0; applyZoom(); },
      r: function () { rotate(90); },
      R: function () { rotate(-90); },
      b: function () { setTool("pen"); },
      1: function () { setTool("ok"); },
      2: function () { setTool("no"); },
      3: function () { setTool("ask"); },
      Escape: function () { if (tool) { setTool(tool); } }
    };
    if (actions[key]) {
      event.preventDefault();
      actions[key]();
    }
  });

  form.addEventListener("submit", function () {
    field.value = JSON.stringify(collect());
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  photos.forEach(render);
  // A grade refused for another reason comes back with the marks it sent
  // (the viewer starts from them): they are not saved yet.
  dirty = field.value !== "";
  list.classList.add("viewing");
  bar.hidden = false;
  show(0);
  window.addEventListener("resize", function () { applyZoom(); });
})();

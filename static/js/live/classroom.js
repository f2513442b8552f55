// Lophoc live room client: plain ES module, no framework, no build step.
// Speaks docs/live-protocol.md. The screen is always rebuilt from
// room.state, so a reconnect (weak 3G drops every few minutes) restores
// exactly where the class is. Chat is inserted with textContent only.

import { setupQuiz } from "./quiz.js";
import { setupAudio } from "./audio.js";

const root = document.getElementById("live-room");
const $ = (id) => document.getElementById(id);
const t = (key) => root.dataset["t" + key[0].toUpperCase() + key.slice(1)] || key;
const role = root.dataset.role;
const staff = role !== "student";
const sessionId = root.dataset.session;
const slideTotal = Number(root.dataset.slides) || 0;

const FINAL = { 4401: "login", 4403: "denied", 4404: "denied", 4410: "ended" };
let ws = null;
let attempt = 0;
let lastSeq = 0;
let me = null;
let slide = 0;
let strokes = [];
let hands = new Map();
let roster = new Map();
let stopped = false;
let idSeq = 0;
let retry = null;
let lastHeard = 0;
let lastPing = 0;

function setConn(state, text) {
  const el = $("live-conn");
  el.className = "conn conn-" + state;
  el.textContent = text;
}

function connect() {
  if (stopped) return;
  setConn("wait", t("connecting"));
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  ws = new WebSocket(scheme + location.host + "/ws/live/" + sessionId + "/" + audio.query());
  ws.binaryType = "arraybuffer";
  ws.onmessage = (ev) => {
    lastHeard = Date.now();
    if (typeof ev.data !== "string") { audio.onBundle(ev.data); return; }
    let frame;
    try { frame = JSON.parse(ev.data); } catch { return; }
    // room.state is applied first and sets lastSeq: its seq is naturally
    // ahead of the last frame seen before the reconnect, not a gap.
    if (frame.seq && frame.type !== "room.state") {
      // Already in the snapshot this socket began with: skip a repeat.
      if (frame.seq <= lastSeq) return;
      // A gap means a broadcast was lost (pub/sub is at-most-once):
      // resync once; room.state brings the screen up to date.
      if (lastSeq && frame.seq > lastSeq + 1) { resync(); return; }
      lastSeq = frame.seq;
    }
    (handlers[frame.type] || (() => {}))(frame);
  };
  ws.onclose = (ev) => { ws = null; disconnected(ev.code); };
}

function disconnected(code, delay) {
  const final = FINAL[code];
  if (final) { stopped = true; setConn("off", t(final)); return; }
  if (code === 4409) setConn("wait", t("waiting"));
  else setConn("off", t("offline"));
  // Exponential backoff with full jitter (docs/live-protocol.md): wait
  // random(0, min(30 s, 0.5 s × 2^attempt)), so thousands of phones that
  // lost the same cell tower do not all come back in the same second.
  const ceiling = Math.min(30000, 500 * 2 ** attempt);
  attempt += 1;
  clearTimeout(retry);
  retry = setTimeout(connect, delay ?? Math.random() * ceiling);
}

// One resync per gap: reconnect at once, unless the last resync was under
// 10 s ago (then the usual backoff), so a lossy link never loops.
let lastResync = 0;
function resync() {
  const now = Date.now();
  const soon = now - lastResync > 10000;
  lastResync = now;
  if (soon) attempt = 0;
  drop(soon ? 0 : undefined);
}

// A socket on a dead network can stay "open" for minutes: when the browser
// says it is offline, or a ping goes unanswered, drop it and reconnect.
function drop(delay) {
  if (!ws) return;
  const old = ws;
  ws = null;
  old.onclose = null;
  old.onmessage = null;
  try { old.close(); } catch { /* already closed */ }
  disconnected(1006, delay);
}

function send(frame) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
}

function sendBinary(data) {
  // A bundle that cannot go now is dropped: late audio is worse than none.
  if (ws && ws.readyState === WebSocket.OPEN && ws.bufferedAmount < 16384) ws.send(data);
}

function clientId() {
  idSeq += 1;
  return Date.now().toString(36) + "-" + idSeq;
}

// ---- rendering -------------------------------------------------------
function showSlide(index) {
  slide = index;
  $("live-slide").textContent = String(index + 1);
  for (const el of document.querySelectorAll("#live-slides .slide")) {
    el.hidden = Number(el.dataset.index) !== index;
  }
}

function addChat(msg) {
  const li = document.createElement("li");
  const who = document.createElement("strong");
  who.textContent = msg.author.name + ": ";
  if (msg.author.role === "teacher") li.className = "from-teacher";
  // Name and text are isolated from each other's direction: an RTL override
  // in either cannot reorder the other (WS-07).
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = msg.text;
  li.append(who, text);
  const log = $("live-chat");
  log.append(li);
  while (log.children.length > 200) log.firstChild.remove();
  log.scrollTop = log.scrollHeight;
}

function renderHands() {
  const hand = $("live-hand");
  if (hand && me) {
    const up = hands.has(me.user_id);
    hand.textContent = up ? t("lower") : t("raise");
    hand.setAttribute("aria-pressed", String(up));
  }
  const list = $("live-hands");
  if (!list) return;
  $("live-hands-count").textContent = hands.size;
  list.replaceChildren(...[...hands.values()].map((name) => {
    const li = document.createElement("li");
    li.textContent = "✋ " + name;
    return li;
  }));
}

// "nguyen" finds "Nguyễn", "duc" finds "Đức": a teacher types without marks.
const plain = (s) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();

function renderRoster() {
  const list = $("live-roster");
  if (!list) return;
  const pupils = [...roster.values()].filter((p) => p.role === "student");
  $("live-roster-count").textContent = t("rosterCount")
    .replace("{online}", pupils.filter((p) => p.online).length).replace("{total}", pupils.length);
  const query = plain($("live-roster-search").value.trim());
  const show = $("live-roster-show").value;
  const keep = (p) => (!query || plain(p.name).includes(query))
    && (show === "all" || (show === "online" && p.online) || (show === "offline" && !p.online)
      || (show === "hand" && hands.has(p.user_id)));
  // Hands up first, then who is here; the server's order (Vietnamese names) within.
  const rank = (p) => (hands.has(p.user_id) ? 0 : p.online ? 1 : 2);
  const people = [...roster.values()].filter(keep).sort((a, b) => rank(a) - rank(b));
  if (!people.length) {
    const li = document.createElement("li");
    li.className = "offline";
    li.textContent = t("rosterNone");
    list.replaceChildren(li);
    return;
  }
  list.replaceChildren(...people.map((p) => {
    const li = document.createElement("li");
    li.className = p.online ? "online" : "offline";
    li.textContent = (hands.has(p.user_id) ? "✋ " : "") + p.name;
    if (role === "teacher" && p.role === "student" && p.online) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = t("remove");
      b.addEventListener("click", () => {
        // Removing a pupil bars them for the rest of the session: ask first.
        if (confirm(t("confirmRemove").replace("{name}", p.name))) send({ type: "participant.remove", user_id: p.user_id });
      });
      li.append(" ", b);
    }
    return li;
  }));
}

if (staff) {
  $("live-roster-search").addEventListener("input", renderRoster);
  $("live-roster-show").addEventListener("change", renderRoster);
}

const board = $("live-board");
const ctx = board.getContext("2d");

function drawStroke(s) {
  const pts = s.points;
  if (!pts.length) return;
  ctx.strokeStyle = s.color;
  ctx.lineWidth = s.width;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.beginPath();
  ctx.moveTo(pts[0][0] * board.width, pts[0][1] * board.height);
  for (const [x, y] of pts) ctx.lineTo(x * board.width, y * board.height);
  ctx.stroke();
}

function redraw() {
  ctx.clearRect(0, 0, board.width, board.height);
  strokes.forEach(drawStroke);
}

// The board stays collapsed until something is drawn on it (or the teacher
// opens it to draw), so that on a phone the chat is not pushed off screen.
const boardWrap = $("live-board-wrap");
const boardToggle = $("live-board-toggle");
let boardOpen = null; // the teacher's choice; null: open while it has strokes
function showBoard() {
  const open = boardOpen ?? strokes.length > 0;
  boardWrap.hidden = !open;
  if (boardToggle) {
    boardToggle.setAttribute("aria-expanded", String(open));
    boardToggle.textContent = open ? boardToggle.dataset.close : boardToggle.dataset.open;
  }
}

function showError(text) {
  const el = $("live-error");
  el.textContent = text;
  setTimeout(() => { if (el.textContent === text) el.textContent = ""; }, 4000);
}

// ---- server frames ---------------------------------------------------------
const handlers = {
  "room.state"(s) {
    attempt = 0;
    lastSeq = s.seq || 0;
    me = s.you;
    setConn("on", t("online"));
    $("live-count").textContent = s.participants.count;
    showSlide(s.slide.index);
    $("live-chat").replaceChildren();
    s.chat.recent.forEach(addChat);
    const mute = $("live-mute");
    if (mute) mute.checked = s.chat.muted;
    strokes = s.board.strokes;
    redraw();
    showBoard();
    hands = new Map();
    if (s.you.hand_raised) hands.set(s.you.user_id, s.you.name);
    roster = new Map();
    for (const p of s.roster || []) {
      roster.set(p.user_id, p);
      if (p.hand_raised) hands.set(p.user_id, p.name);
    }
    renderHands();
    renderRoster();
  },
  pong() {},
  presence(f) { $("live-count").textContent = f.count; },
  "presence.roster"(f) {
    for (const p of f.joined) roster.set(p.user_id, { ...roster.get(p.user_id), ...p, online: true });
    for (const id of f.left) {
      const p = roster.get(id);
      if (p) p.online = false;
      hands.delete(id);
    }
    renderHands();
    renderRoster();
  },
  "chat.message": addChat,
  "chat.muted"(f) {
    const mute = $("live-mute");
    if (mute) mute.checked = f.muted;
    if (f.muted && !staff) showError(t("muted"));
  },
  "hand.changed"(f) {
    if (f.raised) hands.set(f.user_id, f.name); else hands.delete(f.user_id);
    renderHands();
    renderRoster();
  },
  "slide.changed"(f) { showSlide(f.index); },
  "board.stroke"(f) { strokes.push(f.stroke); drawStroke(f.stroke); showBoard(); },
  "board.clear"() { strokes = []; redraw(); showBoard(); },
  "session.ended"() { stopped = true; setConn("off", t("ended")); },
  error(f) { showError(t("error") + ": " + f.message); },
};

// ---- user actions ----------------------------------------------------------
$("live-chat-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = $("live-chat-text");
  const text = input.value.trim();
  if (!text) return;
  send({ type: "chat.send", text, client_id: clientId() });
  input.value = "";
});

const handButton = $("live-hand");
if (handButton) {
  handButton.addEventListener("click", () => {
    send({ type: me && hands.has(me.user_id) ? "hand.lower" : "hand.raise" });
  });
}

if (role === "teacher") {
  const go = (delta) => {
    const next = Math.max(0, slideTotal ? Math.min(slideTotal - 1, slide + delta) : slide + delta);
    send({ type: "slide.goto", index: next });
  };
  $("live-prev").addEventListener("click", () => go(-1));
  $("live-next").addEventListener("click", () => go(1));
  $("live-clear").addEventListener("click", () => send({ type: "board.clear" }));
  boardToggle.addEventListener("click", () => { boardOpen = boardWrap.hidden; showBoard(); });
  $("live-mute").addEventListener("change", (ev) => send({ type: "chat.mute", muted: ev.target.checked }));

  let points = null;
  const at = (ev) => {
    const r = board.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, v));
    return [clamp((ev.clientX - r.left) / r.width), clamp((ev.clientY - r.top) / r.height)];
  };
  const flush = () => {
    if (points && points.length > 1) {
      send({ type: "board.stroke", stroke: { points, color: $("live-color").value, width: 3 } });
    }
  };
  board.addEventListener("pointerdown", (ev) => { points = [at(ev)]; board.setPointerCapture(ev.pointerId); });
  board.addEventListener("pointermove", (ev) => {
    if (!points) return;
    points.push(at(ev));
    const n = points.length;
    drawStroke({ points: points.slice(n - 2), color: $("live-color").value, width: 3 });
    if (n >= 500) { flush(); points = [points[n - 1]]; }
  });
  const end = () => { flush(); points = null; };
  board.addEventListener("pointerup", end);
  board.addEventListener("pointercancel", end);
}

// Phones sleep and networks change: reconnect at once when we come back.
window.addEventListener("online", () => {
  if (ws || stopped) return;
  clearTimeout(retry);
  attempt = 0;
  connect();
});
window.addEventListener("offline", () => drop());
// Keep idle mobile NAT mappings alive, and notice a silently dead socket.
setInterval(() => {
  if (!ws || ws.readyState !== WebSocket.OPEN) return;
  if (lastPing && lastHeard < lastPing) { drop(); return; }
  lastPing = Date.now();
  send({ type: "ping", t: lastPing });
}, 25000);
setupQuiz({ send, clientId, handlers, role });
const audio = setupAudio({ send, sendBinary, handlers, role, t });
connect();

// "Kết thúc" ends the class for everyone: ask before the form is sent.
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (ev) => { if (!confirm(form.dataset.confirm)) ev.preventDefault(); });
}

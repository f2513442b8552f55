// The live quiz on a projector (/live/<id>/projector/, teachers only):
// the question, the choices, the countdown and answered/total while it is
// open; the answers as bars and the top five after "Công bố đáp án"; the
// podium at the end. It listens on the room's socket like the console and
// rebuilds from room.state after a drop (docs/live-protocol.md).

const root = document.getElementById("projector");
const $ = (id) => document.getElementById(id);
const t = (key) => root.dataset["t" + key[0].toUpperCase() + key.slice(1)] || key;
let ws = null;
let attempt = 0;
let question = null;
let deadline = 0;
let stopped = false;

function show(id, on) { $(id).hidden = !on; }

function renderQuestion(q) {
  question = q;
  deadline = Date.now() + Math.max(0, Date.parse(q.closes_at) - Date.parse(q.server_time || q.opens_at));
  if (q.remaining_ms !== undefined) deadline = Date.now() + q.remaining_ms;
  $("pj-index").textContent = t("question") + " " + (q.index + 1) + "/" + q.count;
  $("pj-question").textContent = q.text;
  $("pj-progress").textContent = "";
  $("pj-choices").replaceChildren(...q.choices.map((c) => {
    const li = document.createElement("li");
    li.dataset.id = c.id;
    const n = document.createElement("span");
    n.className = "pj-n";
    const bar = document.createElement("span");
    bar.className = "pj-bar";
    li.append(n, document.createTextNode(c.text), bar);
    return li;
  }));
  show("pj-waiting", false);
  show("pj-question-box", true);
  show("pj-board", false);
  show("pj-podium", false);
}

function leaders(list, into) {
  $(into).replaceChildren(...list.slice(0, 5).map((e) => {
    const li = document.createElement("li");
    li.textContent = e.name + " — " + e.score + " " + t("points");
    return li;
  }));
}

setInterval(() => {
  if (!question) return;
  const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  $("pj-countdown").textContent = left + " s";
}, 250);

const handlers = {
  "room.state"(s) {
    attempt = 0;
    $("pj-conn").textContent = "";
    $("pj-count").textContent = s.participants.count;
    if (s.quiz) {
      const q = { ...s.quiz, remaining_ms: Date.parse(s.quiz.closes_at) - Date.parse(s.server_time) };
      renderQuestion(q);
    }
  },
  presence(f) { $("pj-count").textContent = f.count; },
  "quiz.started"() { question = null; show("pj-podium", false); show("pj-board", false); show("pj-question-box", false); show("pj-waiting", true); },
  "quiz.question"(q) { renderQuestion({ ...q, remaining_ms: q.time_limit_ms }); },
  "quiz.progress"(f) { $("pj-progress").textContent = f.answered + "/" + f.total + " " + t("answered"); },
  "quiz.result"(r) {
    question = null;
    $("pj-countdown").textContent = "";
    const counts = Object.values(r.counts);
    const most = Math.max(1, ...counts);
    for (const li of $("pj-choices").children) {
      const n = r.counts[li.dataset.id] || 0;
      li.querySelector(".pj-n").textContent = String(n);
      li.querySelector(".pj-bar").style.width = (100 * n / most) + "%";
      const right = r.correct_choice_ids.includes(Number(li.dataset.id));
      li.classList.toggle("is-right", right);
      li.classList.toggle("is-wrong", !right);
    }
    leaders(r.leaderboard, "pj-leaders");
    show("pj-board", r.leaderboard.length > 0);
  },
  "quiz.ended"(f) {
    question = null;
    show("pj-question-box", false);
    show("pj-board", false);
    show("pj-waiting", false);
    leaders(f.leaderboard, "pj-podium-list");
    show("pj-podium", true);
  },
  "session.ended"() { stopped = true; $("pj-conn").textContent = t("ended"); },
};

function connect() {
  if (stopped) return;
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  ws = new WebSocket(scheme + location.host + "/ws/live/" + root.dataset.session + "/");
  ws.onmessage = (ev) => {
    if (typeof ev.data !== "string") return;
    let frame;
    try { frame = JSON.parse(ev.data); } catch { return; }
    (handlers[frame.type] || (() => {}))(frame);
  };
  ws.onclose = (ev) => {
    ws = null;
    if ([4401, 4403, 4404, 4410].includes(ev.code)) { stopped = true; $("pj-conn").textContent = t("ended"); return; }
    $("pj-conn").textContent = t("offline");
    const ceiling = Math.min(30000, 500 * 2 ** attempt);
    attempt += 1;
    setTimeout(connect, Math.random() * ceiling);
  };
}
window.addEventListener("online", () => { if (!ws) { attempt = 0; connect(); } });
connect();

// The live quiz game part of the live room (docs/live-protocol.md, quiz.*).
// Plain ES module; classroom.js calls setupQuiz() once with its socket
// helpers. An answer is kept (also in localStorage) and re-sent with the
// same client_id until the server acks it, so a child on a dropping 3G link
// never loses an answer the screen said was sent.

export function setupQuiz({ send, clientId, handlers, role }) {
  const panel = document.getElementById("quiz-panel");
  if (!panel) return;
  const $ = (id) => document.getElementById(id);
  const t = (key) => panel.dataset["t" + key.replace(/(^|-)(\w)/g, (_m, _d, c) => c.toUpperCase())] || key;
  const sessionId = document.getElementById("live-room").dataset.session;
  const storeKey = "lophoc-quiz-" + sessionId;

  let question = null;   // the open quiz.question
  let deadline = 0;      // local clock ms when it closes
  let mine = load();     // {question_id, choice_id, client_id, acked}
  let timer = null;
  let resend = null;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || null; } catch { return null; }
  }
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(mine)); } catch { /* private mode */ }
  }
  function show(id, on) { $(id).hidden = !on; if (on) panel.hidden = false; }

  function renderQuestion(q) {
    question = q;
    $("quiz-index").textContent = t("question") + " " + (q.index + 1) + "/" + q.count;
    $("quiz-text").textContent = q.text;
    const box = $("quiz-choices");
    box.replaceChildren();
    for (const c of q.choices) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "quiz-choice";
      b.dataset.choice = c.id;
      const label = document.createElement("span");
      label.textContent = c.text;
      b.append(label);
      if (role === "student") b.addEventListener("click", () => choose(c.id));
      else b.disabled = true;
      box.append(b);
    }
    $("quiz-status").textContent = "";
    show("quiz-question", true);
    show("quiz-result", false);
    $("quiz-you").hidden = true;
    show("quiz-podium", false);
    markMine();
    tick();
    clearInterval(timer);
    timer = setInterval(tick, 250);
  }

  function tick() {
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    $("quiz-countdown").textContent = left + " s";
    if (left <= 0) {
      clearInterval(timer);
      for (const b of $("quiz-choices").children) b.disabled = true;
    }
  }

  function markMine() {
    const chosen = mine && question && mine.question_id === question.question_id ? mine.choice_id : null;
    for (const b of $("quiz-choices").children) {
      b.classList.toggle("is-mine", Number(b.dataset.choice) === chosen);
      if (chosen !== null) b.disabled = true;
    }
    if (chosen !== null) $("quiz-status").textContent = mine.acked ? t("saved") : t("sending");
  }

  function choose(choiceId) {
    if (!question || Date.now() > deadline) return;
    if (mine && mine.question_id === question.question_id) return;
    mine = { question_id: question.question_id, choice_id: choiceId, client_id: clientId(), acked: false };
    save();
    markMine();
    push();
  }

  function push() {
    clearTimeout(resend);
    if (!mine || mine.acked) return;
    send({ type: "quiz.answer", question_id: mine.question_id, choice_id: mine.choice_id, client_id: mine.client_id });
    // Until acked, try again: the same client_id makes a re-send harmless.
    resend = setTimeout(push, 3000);
  }

  const baseState = handlers["room.state"];
  handlers["room.state"] = (s) => {
    baseState(s);
    const q = s.quiz;
    if (!q) { question = null; show("quiz-question", false); return; }
    deadline = Date.parse(q.closes_at) - Date.parse(s.server_time) + Date.now();
    if (q.your_answer) {
      mine = { question_id: q.question_id, choice_id: q.your_answer.choice_id, client_id: (mine && mine.client_id) || "", acked: true };
      save();
    }
    renderQuestion(q);
    if (mine && !mine.acked && mine.question_id === q.question_id) push();
  };
  // The teacher who pressed "start" opens the first question at once.
  let startPending = false;
  handlers["quiz.started"] = (f) => {
    if (startPending) { startPending = false; send({ type: "quiz.next" }); }
    $("quiz-title").textContent = t("started") + ": " + f.title;
    show("quiz-title", true);
    show("quiz-podium", false);
    show("quiz-result", false);
    $("quiz-you").hidden = true;
  };
  handlers["quiz.question"] = (q) => {
    deadline = Date.now() + q.time_limit_ms;
    if (mine && mine.question_id !== q.question_id) { mine = null; save(); }
    renderQuestion(q);
  };
  handlers["quiz.ack"] = (a) => {
    if (!mine || a.client_id !== mine.client_id) return;
    clearTimeout(resend);
    if (a.accepted) {
      mine.acked = true;
      save();
      markMine();
    } else {
      $("quiz-status").textContent = t(a.reason.replace("_", "-"));
      if (a.reason !== "already_answered") { mine = null; save(); markMine(); }
    }
  };
  handlers["quiz.progress"] = (p) => {
    const el = $("quiz-progress");
    if (el) el.textContent = p.answered + "/" + p.total + " " + t("answered");
  };
  handlers["quiz.result"] = (r) => {
    clearInterval(timer);
    $("quiz-countdown").textContent = "0 s";
    const most = Math.max(1, ...Object.values(r.counts));
    for (const b of $("quiz-choices").children) {
      const id = Number(b.dataset.choice);
      const n = r.counts[String(id)] || 0;
      b.disabled = true;
      b.classList.toggle("is-right", r.correct_choice_ids.includes(id));
      let count = b.querySelector(".quiz-count");
      if (!count) { count = document.createElement("span"); count.className = "quiz-count"; b.append(count); }
      count.textContent = String(n);
      // The answers as bars, the longest for the most chosen choice.
      let bar = b.querySelector(".quiz-bar");
      if (!bar) { bar = document.createElement("span"); bar.className = "quiz-bar"; bar.setAttribute("aria-hidden", "true"); b.append(bar); }
      bar.style.width = (100 * n / most).toFixed(1) + "%";
    }
    const list = $("quiz-leaderboard");
    list.replaceChildren(...r.leaderboard.map((e) => {
      const li = document.createElement("li");
      li.textContent = e.name + " — " + e.score;
      return li;
    }));
    show("quiz-result", true);
  };
  handlers["quiz.you"] = (y) => {
    const el = $("quiz-you");
    // No answer of this phone's for the question: "not answered", not "wrong".
    const answered = mine && mine.question_id === y.question_id;
    el.textContent = (y.correct ? t("right") + " +" + y.points + " " + t("points") : answered ? t("wrong") : t("unanswered"))
      + " · " + t("total") + " " + y.score + " · " + t("rank") + " " + y.rank;
    el.hidden = false;
  };
  handlers["quiz.ended"] = (f) => {
    clearInterval(timer);
    question = null;
    show("quiz-question", false);
    show("quiz-result", false);
    const list = $("quiz-podium-list");
    list.replaceChildren(...f.leaderboard.map((e) => {
      const li = document.createElement("li");
      li.textContent = e.name + " — " + e.score;
      return li;
    }));
    show("quiz-podium", true);
  };

  if (role === "teacher") {
    const form = $("quiz-start-form");
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const select = $("quiz-select");
      if (!select) return;
      startPending = true;
      send({ type: "quiz.start", quiz_id: Number(select.value) });
    });
    $("quiz-next").addEventListener("click", () => send({ type: "quiz.next" }));
    $("quiz-reveal").addEventListener("click", () => send({ type: "quiz.reveal" }));
    $("quiz-end").addEventListener("click", () => send({ type: "quiz.end" }));
  }
}

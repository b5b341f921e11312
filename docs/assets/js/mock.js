// 模拟面试 (docs/mock.md): a session of questions, one at a time with a timer; the reader reveals the
// answer, grades it (会 / 模糊 / 不会, each grade schedules the question's next review: review.js),
// and gets a summary at the end. The same session, started from the home page's 开始复习 button,
// is a review of the due questions.
// The session lives in localStorage (mjbg.mock), saved at every step and every second of the timer,
// so a reload or leaving the page (instant navigation included) resumes at the same question; the
// timer counts only while the question is on screen. Loaded as a module by overrides/main.html on
// this page only; practice.js (window.mjbg) gives the storage helpers and the question list.
import { review } from "./review.js";

const GRADES = [["good", "会"], ["hard", "模糊"], ["again", "不会"]];  // keys 1, 2, 3
const NAMES = Object.fromEntries(GRADES);
const DEFAULT_COUNT = 10;
const pages = new Map();  // page URL -> its parsed document (answers are read from the question's page)
let view = null;          // what is on screen: { box, session, timer }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children);
  return node;
}

function clock(ms) {
  const s = Math.floor(ms / 1000);
  return String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
}

function save(session) { window.mjbg.write(window.mjbg.keys.mock, session); }

function questionUrl(q) { return new URL(q.url + "#" + q.id, window.mjbg.root()).href; }

// The answer as on the question's page (`<div class="answer" id="a-<id>">`, scripts/hooks/practice.py,
// with formulas already rendered by KaTeX), its links made absolute to work from this page.
async function answerOf(q) {
  const url = new URL(q.url, window.mjbg.root()).href;
  if (!pages.has(url)) {
    pages.set(url, fetch(url).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (text) { return new DOMParser().parseFromString(text, "text/html"); }));
  }
  const source = (await pages.get(url)).getElementById("a-" + q.id);
  if (!source) throw new Error("no answer");
  const answer = document.importNode(source, true);
  for (const node of answer.querySelectorAll("[href], [src]")) {
    const key = node.hasAttribute("href") ? "href" : "src";
    node.setAttribute(key, new URL(node.getAttribute(key), url).href);
  }
  answer.querySelectorAll(".qa-controls, .headerlink").forEach(function (n) { n.remove(); });
  answer.querySelectorAll(".answer").forEach(function (n) { n.classList.add("open"); });  // sub-questions
  return [...answer.childNodes];
}

// ---- setup -----------------------------------------------------------------------------------------

function shuffle(list) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

function showSetup(box, list, note) {
  const topics = [...new Set(list.map(function (q) { return q.topic; }))];
  const boxes = el("fieldset", { class: "mock-topics" }, el("legend", {}, "主题（不选即全部主题）"));
  for (const topic of topics) {
    boxes.append(el("label", {}, el("input", { type: "checkbox", name: "topic", value: topic }), topic));
  }
  const message = el("p", { class: "mock-message", role: "status" }, note || "");
  const form = el("form", { class: "mock-setup" },
    boxes,
    el("p", {}, el("label", {}, el("input", { type: "checkbox", name: "hot" }), "只抽高频题")),
    el("p", {}, el("label", { for: "mock-count" }, "题数"),
      el("input", { type: "number", id: "mock-count", name: "count", min: 1, max: list.length, value: DEFAULT_COUNT, required: true })),
    el("p", {}, el("button", { type: "submit", class: "md-button md-button--primary" }, "开始面试")),
    message);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const chosen = [...form.querySelectorAll("[name=topic]:checked")].map(function (c) { return c.value; });
    const hot = form.elements.hot.checked;
    const pool = list.filter(function (q) { return (!chosen.length || chosen.includes(q.topic)) && (!hot || q.hot); });
    if (!pool.length) {
      message.textContent = "所选范围里没有题，请换个主题或取消「只抽高频题」。";
      return;
    }
    const ids = shuffle(pool.map(function (q) { return q.id; })).slice(0, Number(form.elements.count.value));
    start(box, list, { ids: ids, review: false });
    box.querySelector(".mock-reveal").focus();
  });
  box.replaceChildren(form);
}

// ---- one question ----------------------------------------------------------------------------------

function start(box, list, session) {
  // a session written by the home page's 开始复习 has only its ids
  const full = Object.assign({ i: 0, revealed: false, elapsed: 0, results: [] }, session);
  save(full);
  show(box, list, full);
}

function show(box, list, session) {
  stopTimer();
  if (session.i >= session.ids.length) return showSummary(box, list, session);
  const q = list.find(function (x) { return x.id === session.ids[session.i]; });
  if (!q) {  // a question removed from the site since the session began: skip it
    session.ids.splice(session.i, 1);
    save(session);
    return show(box, list, session);
  }
  const kind = session.review ? "复习" : "模拟面试";
  const timer = el("span", { class: "mock-timer", role: "timer", "aria-label": "作答用时" }, clock(session.elapsed));
  const answer = el("div", { class: "mock-answer", tabindex: -1, hidden: !session.revealed }, "正在载入答案……");
  const reveal = el("button", { type: "button", class: "md-button md-button--primary mock-reveal", hidden: session.revealed,
    onclick: function () { revealAnswer(); } }, "显示答案（空格 / 回车）");
  const grades = el("p", { class: "mock-grades", hidden: !session.revealed }, "自评：",
    ...GRADES.map(function ([grade, name], k) {
      return el("button", { type: "button", class: "md-button", "data-grade": grade, onclick: function () { gradeAs(grade); } },
        name + "（" + (k + 1) + "）");
    }));
  box.replaceChildren(el("div", { class: "mock-question", "data-view": "question" },
    el("p", { class: "mock-meta" }, kind + " 第 " + (session.i + 1) + " / " + session.ids.length + " 题 · " + q.topic + " · " + q.page + " · ", timer),
    el("h2", { id: "mock-title" }, q.title),
    reveal, grades, answer,
    el("p", { class: "mock-end" },
      el("button", { type: "button", class: "md-button", onclick: function () { abandon(box, list, session); } }, "结束"),
      el("span", { class: "mock-keys" }, "键盘：空格或回车显示答案，1 / 2 / 3 自评"))));
  answerOf(q).then(function (nodes) { answer.replaceChildren(...nodes); }, function () {
    answer.replaceChildren(el("p", {}, "答案载入失败，请到", el("a", { href: questionUrl(q) }, "题目页"), "查看。"));
  });

  function revealAnswer() {
    if (session.revealed) return;
    stopTimer();
    session.revealed = true;
    save(session);
    reveal.hidden = true;
    grades.hidden = answer.hidden = false;
    answer.focus();  // Space scrolls the answer; 1 / 2 / 3 grade
  }
  function gradeAs(grade) {
    if (!session.revealed) return;
    review(q.id, grade);
    session.results.push({ id: q.id, grade: grade, ms: session.elapsed });
    Object.assign(session, { i: session.i + 1, revealed: false, elapsed: 0 });
    save(session);
    show(box, list, session);
    const next = box.querySelector(".mock-reveal");
    if (next) next.focus();
  }
  view = { box: box, session: session, reveal: revealAnswer, grade: gradeAs, timer: null };
  if (!session.revealed) {
    const since = Date.now() - session.elapsed;
    view.timer = setInterval(function () {
      if (!box.isConnected) return stopTimer();  // the reader left by instant navigation
      session.elapsed = Date.now() - since;
      save(session);
      timer.textContent = clock(session.elapsed);
    }, 1000);
  }
}

function stopTimer() {
  if (view && view.timer) clearInterval(view.timer);
  if (view) view.timer = null;
}

function abandon(box, list, session) {
  stopTimer();
  window.mjbg.write(window.mjbg.keys.mock, null);
  view = null;
  const done = session.results.length;
  showSetup(box, list, "已结束这一轮" + (done ? "；已自评的 " + done + " 题已记入复习计划。" : "。"));
}

// Keys: Space / Enter reveal (unless a control has the focus: it handles them), 1 / 2 / 3 grade.
document.addEventListener("keydown", function (event) {
  if (!view || !view.box.isConnected || event.ctrlKey || event.altKey || event.metaKey) return;
  if (event.target.closest("input, select, textarea")) return;
  const k = ["1", "2", "3"].indexOf(event.key);
  if (k >= 0 && view.session.revealed) {
    event.preventDefault();
    view.grade(GRADES[k][0]);
  } else if ((event.key === " " || event.key === "Enter") && !view.session.revealed && !event.target.closest("button, a")) {
    event.preventDefault();
    view.reveal();
  }
});

// ---- summary -------------------------------------------------------------------------------------

function showSummary(box, list, session) {
  view = null;
  const total = session.results.reduce(function (t, r) { return t + r.ms; }, 0);
  const counts = GRADES.map(function ([grade, name]) {
    return name + " " + session.results.filter(function (r) { return r.grade === grade; }).length;
  });
  const rows = session.results.map(function (r) {
    const q = list.find(function (x) { return x.id === r.id; }) || { title: r.id, url: "", id: r.id };
    return el("tr", {}, el("td", {}, el("a", { href: questionUrl(q) }, q.title)), el("td", {}, NAMES[r.grade]), el("td", {}, clock(r.ms)));
  });
  const again = el("button", { type: "button", class: "md-button md-button--primary", onclick: function () {
    window.mjbg.write(window.mjbg.keys.mock, null);
    showSetup(box, list);
  } }, "再来一轮");
  box.replaceChildren(el("div", { class: "mock-summary", "data-view": "summary" },
    el("h2", { id: "mock-summary", tabindex: -1 }, (session.review ? "复习" : "模拟面试") + "小结"),
    el("p", {}, "共 " + session.results.length + " 题，作答总用时 " + clock(total) + "；" + counts.join("，") + "。每道题的下次复习日期已经排好。"),
    el("table", {},
      el("thead", {}, el("tr", {}, ...["题目", "自评", "作答用时"].map(function (h) { return el("th", { scope: "col" }, h); }))),
      el("tbody", {}, ...rows),
      el("tfoot", {}, el("tr", {}, el("th", { scope: "row" }, "合计"), el("td", {}), el("td", {}, clock(total))))),
    el("p", {}, again)));
  box.querySelector("#mock-summary").focus();
}

// ---- page setup ------------------------------------------------------------------------------------

async function setup() {
  const box = document.getElementById("mock");
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "1";
  const list = await window.mjbg.loadQuestions();
  const session = window.mjbg.read(window.mjbg.keys.mock, null);
  if (session && Array.isArray(session.ids) && session.ids.length) start(box, list, session);
  else showSetup(box, list);
}

// Material's document$ fires for this page and again each time the reader comes back to it by instant
// navigation; the module itself runs once. On a full page load this module runs before Material's
// bundle (both deferred, this one first in the document), so document$ exists only once the document
// is loaded.
function init() { document$.subscribe(setup); }
if (typeof document$ === "undefined") document.addEventListener("DOMContentLoaded", init);
else init();

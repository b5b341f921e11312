// Practice features: quiz mode, progress marks (已掌握 / 需复习), 随机一题, 今日待复习, export / import.
// Everything is stored in this browser only (localStorage); nothing is sent anywhere.
// Marks also schedule reviews (assets/js/review.js, loaded only when a reader marks a question);
// the home page counts the due reviews from the stored dates, without loading the scheduler.
// Pages come from scripts/hooks/practice.py: each answer is a <div class="answer" id="a-<question id>">
// right after its question heading, and assets/questions.json lists every question.
(function () {
  const QUIZ = "mjbg.quiz";
  const PROGRESS = "mjbg.progress";
  const RANDOM = "mjbg.random";
  const REVIEW = "mjbg.review";  // FSRS cards by question id (assets/js/review.js)
  const MOCK = "mjbg.mock";      // the mock-interview / review session (assets/js/mock.js)
  const STATES = { known: "已掌握", review: "需复习" };
  const MARK_RATING = { known: "good", review: "again" };  // a mark is a review: 已掌握 → Good, 需复习 → Again
  const SITE = "mianjing-bagu", VERSION = 2;  // export files: version 2 adds the review schedule
  const questionsUrl = new URL("../questions.json", document.currentScript.src);
  const reviewUrl = new URL("review.js", document.currentScript.src);
  const importCheckUrl = new URL("import-check.js", document.currentScript.src);
  const root = function () { return new URL("../", questionsUrl); }; // the site root
  let questions = null;

  function read(key, fallback) {
    try {
      const value = JSON.parse(localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }
  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: state lasts this page */ }
  }
  function progress() { return read(PROGRESS, {}); }

  // assets/<name>.json. In the offline copy, read from disk (file://), Chromium refuses fetch(), so
  // the offline build writes each also as a script setting window.mjbgData[name] (scripts/hooks/offline_copy.py).
  function loadData(name) {
    const url = new URL(name + ".json", questionsUrl);
    if (location.protocol !== "file:") return fetch(url).then(function (r) { return r.json(); });
    return new Promise(function (resolve, reject) {
      const script = el("script", { src: url.href.replace(/\.json$/, ".js") });
      script.onload = function () { resolve(window.mjbgData[name]); };
      script.onerror = function () { reject(new Error(script.src + " did not load")); };
      document.head.append(script);
    });
  }

  function loadQuestions() {
    if (!questions) questions = loadData("questions");
    return questions;
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---- quiz mode and answers -------------------------------------------------------------------

  function quizOn() { return document.documentElement.classList.contains("quiz"); }

  function setOpen(answer, open) {
    answer.classList.toggle("open", open);
    const button = document.querySelector('[aria-controls="' + answer.id + '"]');
    if (button) {
      button.setAttribute("aria-expanded", String(open || !quizOn()));
      button.textContent = open ? "收起答案" : "显示答案";
    }
  }

  function setQuiz(on) {
    document.documentElement.classList.toggle("quiz", on);
    write(QUIZ, on);
    document.querySelectorAll(".qa-quiz").forEach(function (b) { b.setAttribute("aria-pressed", String(on)); });
    document.querySelectorAll(".answer").forEach(function (a) { setOpen(a, false); });
  }

  // A link to a question id that no longer is on this page (merged, renamed or moved: see
  // redirects.yml) goes to the page that holds the question now.
  async function followMovedQuestion(id) {
    const [list, moved] = await Promise.all([
      loadQuestions(), loadData("redirects"),
    ]);
    const now = moved.ids[id] || id;
    const q = list.find(function (x) { return x.id === now; });
    if (q && (now !== id || new URL(q.url, root()).pathname !== location.pathname)) {
      location.replace(new URL(q.url + "#" + now, root()).href);
    }
  }

  // A search hit (?h=…) opens the answer it points to; so does any link to a place inside an answer.
  function openFromUrl() {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (id && !target && /^[a-z0-9-]+$/.test(id)) followMovedQuestion(id);
    if (!target || !quizOn()) return;
    let answer = target.closest(".answer");
    const fromSearch = new URLSearchParams(location.search).has("h");
    if (!answer && fromSearch && target.nextElementSibling) {
      const next = target.nextElementSibling.nextElementSibling; // heading, controls, answer
      if (next && next.classList.contains("answer")) answer = next;
    }
    if (answer && !answer.classList.contains("open")) {
      setOpen(answer, true);
      target.scrollIntoView();
    }
  }

  // ---- progress ----------------------------------------------------------------------------------

  // Pressing a mark reviews the question (README.md, 间隔复习); pressing it again removes the mark
  // but keeps the schedule: that review did happen. Not in the offline copy (file://), where
  // Chromium refuses to load a module script: there a mark is only a mark.
  function mark(id, state) {
    const all = progress();
    if (all[id] === state) delete all[id]; else all[id] = state;
    write(PROGRESS, all);
    refreshMarks();
    if (all[id] && location.protocol !== "file:") import(reviewUrl).then(function (m) { m.review(id, MARK_RATING[state]); });
  }

  // Ids (in site order) of the questions whose next review is due now.
  function dueIds(list) {
    const cards = read(REVIEW, {}), now = Date.now();
    return list.filter(function (q) { return cards[q.id] && Date.parse(cards[q.id].due) <= now; })
      .map(function (q) { return q.id; });
  }

  function refreshMarks() {
    const all = progress();
    document.querySelectorAll(".qa-mark").forEach(function (b) {
      const pressed = String(all[b.dataset.q] === b.dataset.state);
      if (b.getAttribute("aria-pressed") !== pressed) b.setAttribute("aria-pressed", pressed);
    });
    const answers = document.querySelectorAll(".answer");
    const count = document.querySelector(".qa-count");
    if (count) {
      let known = 0, review = 0;
      answers.forEach(function (a) {
        const s = all[a.id.slice(2)];
        if (s === "known") known++;
        if (s === "review") review++;
      });
      const text = "本页 " + answers.length + " 题：已掌握 " + known + "，需复习 " + review;
      if (count.textContent !== text) count.textContent = text;
    }
  }

  // ---- 随机一题 ----------------------------------------------------------------------------------

  async function randomQuestion() {
    const list = await loadQuestions();
    const filter = read(RANDOM, { topic: "", hot: false });
    const all = progress();
    const pool = list.filter(function (q) { return (!filter.topic || q.topic === filter.topic) && (!filter.hot || q.hot); });
    const fresh = pool.filter(function (q) { return all[q.id] !== "known"; });
    const from = fresh.length ? fresh : pool;
    if (!from.length) return;
    const q = from[Math.floor(Math.random() * from.length)];
    location.href = new URL(q.url + "#" + q.id, root()).href;
  }

  // ---- page setup --------------------------------------------------------------------------------

  function setupQuestionPage() {
    const bar = document.querySelector(".qa-toolbar");
    if (!bar || bar.dataset.ready) return;
    bar.dataset.ready = "1";
    bar.querySelector(".qa-quiz").addEventListener("click", function () { setQuiz(!quizOn()); });
    bar.querySelector(".qa-random").addEventListener("click", randomQuestion);
    const quiz = quizOn();
    document.querySelectorAll(".qa-toggle").forEach(function (toggle) {
      const answer = document.getElementById(toggle.getAttribute("aria-controls"));
      toggle.addEventListener("click", function () { setOpen(answer, !answer.classList.contains("open")); });
      if (quiz) toggle.setAttribute("aria-expanded", "false"); // the HTML is written for answers shown
    });
    document.querySelectorAll(".qa-mark").forEach(function (b) {
      b.addEventListener("click", function () { mark(b.dataset.q, b.dataset.state); });
    });
    if (quiz) bar.querySelector(".qa-quiz").setAttribute("aria-pressed", "true");
    refreshMarks();
    openFromUrl();
  }

  // Home page: progress per topic and page, the random-question filter, export / import.
  async function setupHome() {
    const box = document.getElementById("practice");
    if (!box || box.dataset.ready) return;
    box.dataset.ready = "1";
    const list = await loadQuestions();
    const topics = [...new Set(list.map(function (q) { return q.topic; }))];

    const filter = read(RANDOM, { topic: "", hot: false });
    const select = el("select", { id: "practice-topic" });
    select.append(el("option", { value: "" }, "全部主题"));
    topics.forEach(function (t) { select.append(el("option", { value: t }, t)); });
    select.value = filter.topic;
    const hot = el("input", { type: "checkbox", id: "practice-hot" });
    hot.checked = filter.hot;
    function saveFilter() { write(RANDOM, { topic: select.value, hot: hot.checked }); }
    select.addEventListener("change", saveFilter);
    hot.addEventListener("change", saveFilter);
    const go = el("button", { type: "button", class: "md-button md-button--primary" }, "随机一题");
    go.addEventListener("click", randomQuestion);
    const pick = el("p", { class: "practice-pick" });
    pick.append(el("label", { for: "practice-topic" }, "范围"), select, hot, el("label", { for: "practice-hot" }, "只抽高频题"), go);

    const mockUrl = new URL("mock/", root()).href;
    const reviewLine = el("p", { class: "practice-review" });
    function renderReview() {
      const due = dueIds(list);
      const parts = [el("strong", {}, "今日待复习：" + due.length + " 题")];
      if (due.length) {
        const start = el("button", { type: "button", class: "md-button md-button--primary" }, "开始复习（" + due.length + " 题）");
        start.addEventListener("click", function () {
          write(MOCK, { ids: due, review: true });  // mock.js starts this session
          location.href = mockUrl;
        });
        parts.push(start);
      } else {
        parts.push(el("span", {}, "现在没有到期的题；模拟面试里打过分、标记过的题会按复习计划回到这里。"));
      }
      parts.push(el("a", { href: mockUrl, class: "md-button" }, "模拟面试"));
      reviewLine.replaceChildren(...parts);
    }

    const table = el("table");
    function render() {
      renderReview();
      const all = progress();
      table.replaceChildren();
      const head = el("tr");
      ["主题 / 页面", "题数", "已掌握", "需复习"].forEach(function (h) { head.append(el("th", { scope: "col" }, h)); });
      table.append(el("thead"), el("tbody"));
      table.tHead.append(head);
      const rows = [];
      function count(qs) {
        return [qs.length, qs.filter(function (q) { return all[q.id] === "known"; }).length,
          qs.filter(function (q) { return all[q.id] === "review"; }).length];
      }
      for (const topic of topics) {
        const inTopic = list.filter(function (q) { return q.topic === topic; });
        rows.push([topic, null, count(inTopic), true]);
        const pages = [...new Set(inTopic.map(function (q) { return q.url; }))];
        for (const url of pages) {
          const inPage = inTopic.filter(function (q) { return q.url === url; });
          rows.push([inPage[0].page, url, count(inPage), false]);
        }
      }
      const total = count(list);
      rows.push(["合计", null, total, true]);
      for (const [name, url, counts, strong] of rows) {
        const tr = el("tr", strong ? { class: "practice-topic" } : {});
        const cell = el(strong ? "th" : "td", strong ? { scope: "row" } : {});
        if (url) cell.append(el("a", { href: new URL(url, root()).href }, name));
        else cell.textContent = name;
        tr.append(cell);
        counts.forEach(function (n) { tr.append(el("td", {}, String(n))); });
        table.tBodies[0].append(tr);
      }
    }
    render();

    const message = el("span", { class: "practice-message", role: "status" });
    const exportButton = el("button", { type: "button", class: "md-button" }, "导出进度");
    exportButton.addEventListener("click", function () {
      const data = { site: SITE, version: VERSION, exported: new Date().toISOString(), progress: progress(), review: read(REVIEW, {}) };
      const link = el("a", {
        href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" })),
        download: "mianjing-bagu-progress-" + data.exported.slice(0, 10) + ".json",
      });
      link.click();
      URL.revokeObjectURL(link.href);
    });
    const file = el("input", { type: "file", accept: ".json,application/json", hidden: "" });
    file.addEventListener("change", async function () {
      const f = file.files[0];
      file.value = "";
      if (!f) return;
      try {
        const text = await f.text();
        const { checkImport } = await import(importCheckUrl);  // loaded on the first import only
        const data = checkImport(JSON.parse(text), { site: SITE, version: VERSION, states: STATES });
        write(PROGRESS, Object.assign(progress(), data.progress));
        write(REVIEW, Object.assign(read(REVIEW, {}), data.review));
        message.textContent = "已导入 " + Object.keys(data.progress).length + " 条进度、" +
          Object.keys(data.review).length + " 条复习记录。";
        render();
      } catch (e) {
        message.textContent = "导入失败：" + (e instanceof SyntaxError ? "文件不是合法的 JSON" : e.message) +
          "。已有的进度没有改动。";
      }
    });
    const importButton = el("button", { type: "button", class: "md-button" }, "导入进度");
    importButton.addEventListener("click", function () { file.click(); });
    const actions = el("p", { class: "practice-actions" });
    actions.append(exportButton, importButton, file, message);

    box.replaceChildren(reviewLine, pick, table, actions);
  }

  // What assets/js/review.js and assets/js/mock.js share with this script.
  window.mjbg = { read: read, write: write, loadQuestions: loadQuestions, root: root, keys: { review: REVIEW, mock: MOCK } };

  document$.subscribe(function () {
    setupQuestionPage();
    setupHome();
  });
  window.addEventListener("hashchange", openFromUrl);
  location$.subscribe(function () { setTimeout(openFromUrl, 0); });
})();

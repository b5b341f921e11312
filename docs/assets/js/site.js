// Loads what a page needs, from this site only, on first load and after every instant navigation:
// KaTeX's stylesheet (and so its fonts) where there is math -- formulas are rendered at build time by
// scripts/hooks/math.py -- and the notebook stylesheet where there is a notebook.
// Also removes the zero-width spaces that Chinese segmentation leaves in search results.
(function () {
  const assets = new URL("../", document.currentScript.src); // …/assets/
  const loading = {};

  function load(tag, url) {
    if (!loading[url]) {
      loading[url] = new Promise(function (resolve, reject) {
        const el = document.createElement(tag);
        if (tag === "link") { el.rel = "stylesheet"; el.href = url; } else { el.src = url; }
        el.onload = resolve;
        el.onerror = function () { reject(new Error("could not load " + url)); };
        document.head.appendChild(el);
      });
    }
    return loading[url];
  }

  function stripZeroWidth(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.data.indexOf("\u200b") >= 0) n.data = n.data.replace(/\u200b/g, "");
    }
  }

  // Names for two of Material's ARIA widgets that it leaves unnamed (accessibility audit).
  const names = { ".md-search[role=dialog]": "搜索", ".md-progress[role=progressbar]": "页面加载进度" };
  for (const [selector, name] of Object.entries(names)) {
    const el = document.querySelector(selector);
    if (el && !el.hasAttribute("aria-label")) el.setAttribute("aria-label", name);
  }

  const results = document.querySelector(".md-search-result__list");
  if (results) {
    new MutationObserver(function () { stripZeroWidth(results); })
      .observe(results, { childList: true, subtree: true });
  }

  document$.subscribe(function () {
    // notebook pages link it in <head>; this covers arriving by instant navigation
    if (document.querySelector(".jupyter-wrapper") && !document.querySelector('link[href$="css/jupyter.css"]')) {
      load("link", new URL("css/jupyter.css", assets));
    }
    if (document.querySelector(".katex") && !document.querySelector('link[href$="katex.min.css"]')) {
      load("link", new URL("vendor/katex/katex.min.css", assets));
    }
  });
})();

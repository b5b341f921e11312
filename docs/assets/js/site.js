// Loads what a page needs, from this site only, on first load and after every instant navigation:
// KaTeX where there is math, the notebook stylesheet where there is a notebook.
// Also removes the zero-width spaces that Chinese segmentation leaves in search results.
(function () {
  const assets = new URL("../", document.currentScript.src); // …/assets/
  const katex = new URL("vendor/katex/", assets);
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

  async function renderMath() {
    const blocks = Array.from(document.querySelectorAll(".arithmatex, .jp-RenderedMarkdown"))
      .filter(function (el) { return /\$|\\\(|\\\[/.test(el.textContent); });
    if (!blocks.length) return;
    await Promise.all([load("link", katex + "katex.min.css"), load("script", katex + "katex.min.js")]);
    await load("script", katex + "contrib/auto-render.min.js");
    for (const el of blocks) {
      window.renderMathInElement(el, {
        delimiters: [
          { left: "$$", right: "$$", display: true },
          { left: "\\[", right: "\\]", display: true },
          { left: "$", right: "$", display: false },
          { left: "\\(", right: "\\)", display: false },
        ],
        throwOnError: false,
      });
    }
  }

  function stripZeroWidth(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.data.indexOf("\u200b") >= 0) n.data = n.data.replace(/\u200b/g, "");
    }
  }

  const results = document.querySelector(".md-search-result__list");
  if (results) {
    new MutationObserver(function () { stripZeroWidth(results); })
      .observe(results, { childList: true, subtree: true });
  }

  document$.subscribe(function () {
    if (document.querySelector(".jupyter-wrapper")) load("link", new URL("css/jupyter.css", assets));
    renderMath();
  });
})();

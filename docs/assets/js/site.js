// Removes the word boundaries that Chinese segmentation leaves in search results, names two of
// Material's widgets, and keeps a linked heading in view on long pages. (Stylesheets a page needs are linked in its <head> by overrides/main.html;
// instant navigation carries them over, as it does every <head> element of the next page.)
(function () {
  // The search index marks word boundaries in Chinese text with a space (scripts/hooks/assets.py);
  // the site's prose never has a space between two Chinese characters, so results drop those
  // (across the <mark> elements of highlighted words too).
  const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  function joinChineseWords(root) {
    const nodes = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    nodes.forEach(function (node, i) {
      const text = node.data.replace(/\u200b/g, "");
      let out = "";
      for (let j = 0; j < text.length; j++) {
        const before = j > 0 ? text[j - 1] : (i > 0 ? nodes[i - 1].data.slice(-1) : "");
        const after = j + 1 < text.length ? text[j + 1] : (i + 1 < nodes.length ? nodes[i + 1].data[0] || "" : "");
        if (text[j] === " " && CJK.test(before) && CJK.test(after)) continue;
        out += text[j];
      }
      if (out !== node.data) node.data = out;
    });
  }

  // Names for two of Material's ARIA widgets that it leaves unnamed (accessibility audit).
  const names = { ".md-search[role=dialog]": "搜索", ".md-progress[role=progressbar]": "页面加载进度" };
  for (const [selector, name] of Object.entries(names)) {
    const el = document.querySelector(selector);
    if (el && !el.hasAttribute("aria-label")) el.setAttribute("aria-label", name);
  }

  // A link to a heading far down a long page: the answers and notebook cells above it are laid out
  // only once they come near the viewport (content-visibility: auto, site.css), and each one that
  // does pushes the heading down, out of view. Lay out those above the target, then show it.
  function showLinkedHeading() {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (!target || !target.closest(".md-content")) return;
    const skipped = document.querySelectorAll(".md-content .answer, .md-content .jp-Notebook > *");
    for (const el of skipped) {
      if (el.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING) el.style.contentVisibility = "visible";
    }
    target.scrollIntoView();
    // After instant navigation the next page's stylesheets (jupyter.css on a notebook page) may still be
    // on their way: once they apply, the content above the heading changes height. Show it again then.
    const pending = [...document.querySelectorAll('link[rel="stylesheet"]')].filter(function (l) { return !l.sheet; });
    pending.forEach(function (link) {
      link.addEventListener("load", function () { if (location.hash.slice(1) === target.id) target.scrollIntoView(); }, { once: true });
    });
  }
  document$.subscribe(showLinkedHeading);  // every page, instant navigation included
  window.addEventListener("hashchange", showLinkedHeading);

  const results = document.querySelector(".md-search-result__list");
  if (results) {
    new MutationObserver(function () { joinChineseWords(results); })
      .observe(results, { childList: true, subtree: true });
  }
})();

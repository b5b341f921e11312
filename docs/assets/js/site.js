// Removes the zero-width spaces that Chinese segmentation leaves in search results, and names two of
// Material's widgets. (Stylesheets a page needs are linked in its <head> by overrides/main.html;
// instant navigation carries them over, as it does every <head> element of the next page.)
(function () {
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
})();

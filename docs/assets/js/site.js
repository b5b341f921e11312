// Removes the zero-width spaces that Chinese segmentation leaves in search results, names two of
// Material's widgets, and keeps a linked heading in view on long pages. (Stylesheets a page needs are linked in its <head> by overrides/main.html;
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
  }
  document$.subscribe(showLinkedHeading);  // every page, instant navigation included
  window.addEventListener("hashchange", showLinkedHeading);

  const results = document.querySelector(".md-search-result__list");
  if (results) {
    new MutationObserver(function () { stripZeroWidth(results); })
      .observe(results, { childList: true, subtree: true });
  }
})();

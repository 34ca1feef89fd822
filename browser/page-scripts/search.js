// Point Material's search at workers/search-i18n.js (results in this page's language only,
// Vietnamese diacritics optional; the worker explains how). Material reads its search
// worker URL from #__config once, when its bundle starts, so overrides/main.html loads
// this script between the two.
(() => {
  const element = document.getElementById("__config");
  const config = JSON.parse(element.textContent);
  const material = new URL(config.search, location.href);
  const root = new URL(config.base, location.href).href;
  const lang = document.documentElement.lang;
  const worker = new URL("search-i18n.js", material);
  // In the fragment, not the query: the worker's script then has one URL on every page,
  // the one the offline save caches, and is fetched once (a query makes a URL per page
  // language, each missing the HTTP cache).
  worker.hash = new URLSearchParams({
    material: material.href,
    // "en/" on English pages, "" on the default language's pages, which sit at the root.
    section: location.href.startsWith(`${root}${lang}/`) ? `${lang}/` : "",
    languages: document.currentScript.dataset.languages,
  });
  config.search = worker.href;
  element.textContent = JSON.stringify(config);
})();

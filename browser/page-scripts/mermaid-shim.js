// Serve Mermaid from this site instead of the CDN Material would fetch it from.
// Material renders diagrams through `mermaid.initialize()` and `mermaid.render()`, and
// loads Mermaid itself only when no `mermaid` global exists. This stand-in provides both
// and loads the self-hosted ES module build (a small core plus the chunks a diagram
// needs) only on pages that draw a diagram, and only once one comes near the screen:
// Mermaid costs a few hundred kilobytes and milliseconds that a reader at the top of a
// long page should not pay for.
(() => {
  const url = new URL("../mermaid/mermaid.esm.min.mjs", document.currentScript.src);
  let config = {};
  let loaded;
  const nearScreen = () =>
    new Promise((resolve) => {
      const observer = new IntersectionObserver(
        (entries) => {
          if (entries.some((entry) => entry.isIntersecting)) {
            observer.disconnect();
            resolve();
          }
        },
        { rootMargin: "800px 0px" },
      );
      for (const diagram of document.querySelectorAll(".mermaid")) observer.observe(diagram);
    });
  const load = () =>
    (loaded ??= nearScreen()
      .then(() => import(url))
      .then(({ default: mermaid }) => {
        mermaid.initialize(config);
        return mermaid;
      }));
  window.mermaid = {
    initialize(options) {
      config = options;
    },
    async render(id, text) {
      return (await load()).render(id, text);
    },
  };
})();

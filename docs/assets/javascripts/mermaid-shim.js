// Serve Mermaid from this site instead of the CDN Material would fetch it from.
// Material renders diagrams through `mermaid.initialize()` and `mermaid.render()`, and
// loads Mermaid itself only when no `mermaid` global exists. This stand-in provides both
// and loads the self-hosted ES module build (a small core plus the chunks a diagram
// needs) only on pages that actually draw a diagram.
(() => {
  const url = new URL("../mermaid/mermaid.esm.min.mjs", document.currentScript.src);
  let config = {};
  let loaded;
  const load = () =>
    (loaded ??= import(url).then(({ default: mermaid }) => {
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

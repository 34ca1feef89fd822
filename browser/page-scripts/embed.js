// The embed view (PAGE/?embed=<kind>.<target>): marks <html data-embed="<kind>.<target>">
// before the first paint, so that share.css hides the site's navigation at once and the
// page never flashes whole inside another site's frame. A classic script in <head>
// (overrides/main.html), because the bundle, a module, runs only after the first paint.
// The query parameter's name is on this script's own tag, read by the bundle too.
(() => {
  const value = new URLSearchParams(location.search).get(document.currentScript.dataset.embedParam);
  if (value) document.documentElement.dataset.embed = value;
})();
